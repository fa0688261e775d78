package dev.spur.allocation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks an allocation against the rules of {@link Allocators} straight from the request,
 * without sharing the allocators' arithmetic, so that tests and benchmarks can judge any of
 * them.
 */
public final class RuleAudit {

  private RuleAudit() {}

  /** Every rule the allocation breaks, in words; empty when it keeps them all. */
  public static List<String> violations(AllocationRequest request, Allocation allocation) {
    List<String> found = new ArrayList<>();
    List<ChannelWindow> channels = request.channels();
    List<ChannelAllocation> result = allocation.channels();
    if (result.size() != channels.size()) {
      found.add("has " + result.size() + " entries for " + channels.size() + " channels");
      return found;
    }
    long budget = request.budget();
    Guardrails rails = request.guardrails();
    long currentSum = 0;
    long sum = 0;
    for (int i = 0; i < channels.size(); i++) {
      currentSum += channels.get(i).currentAllocation();
      sum += result.get(i).amount();
    }
    if (sum != budget) {
      found.add(String.format(Locale.ROOT, "sums to %d, not the budget %d", sum, budget));
    }
    boolean changeLimited = currentSum == budget;
    boolean[] little = Envelope.littleData(channels);

    for (int i = 0; i < channels.size(); i++) {
      ChannelWindow channel = channels.get(i);
      ChannelAllocation entry = result.get(i);
      String name = channel.channel();
      long amount = entry.amount();
      long committed = channel.committed();
      if (!name.equals(entry.channel())) {
        found.add("entry " + i + " is " + entry.channel() + ", expected " + name);
      }
      if (entry.reason() == null || entry.reason().isBlank()) {
        found.add(name + " has no reason");
      }
      if (amount < committed) {
        found.add(name + " gets " + amount + " below its committed " + committed);
      }
      if (!channel.enabled()) {
        if (amount != committed) {
          found.add(name + " is disabled but gets " + amount + " for committed " + committed);
        }
        continue;
      }
      // Compare shares as exact integers: amount / budget against bps / 10,000.
      long scaled = amount * 10_000;
      if (scaled < budget * rails.minShareBps()) {
        found.add(name + " gets " + amount + " below min share");
      }
      if (scaled > budget * rails.maxShareBps() && amount != committed) {
        found.add(name + " gets " + amount + " above max share");
      }
      if (little[i] && scaled < budget * rails.explorationFloorBps()) {
        found.add(name + " gets " + amount + " below the exploration floor");
      }
      if (changeLimited) {
        long change = Math.abs(amount - channel.currentAllocation()) * 10_000;
        boolean committedWins = amount == committed && committed > channel.currentAllocation();
        if (change > budget * rails.maxChangeBps() && !committedWins) {
          found.add(
              name + " moves from " + channel.currentAllocation() + " to " + amount
                  + " beyond max change");
        }
      }
    }
    return found;
  }
}
