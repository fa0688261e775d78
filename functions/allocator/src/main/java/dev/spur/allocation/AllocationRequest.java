package dev.spur.allocation;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything one allocation run is a function of.
 *
 * @param budget the campaign's budget for the period, in minor units; the result sums to it
 * @param channels every channel of the campaign, enabled or not, in a stable order
 * @param guardrails the campaign's limits
 * @param seed fixes any randomness, so that a run can be replayed
 * @param modelState what the allocator returned last run for this campaign, or null on the first
 */
public record AllocationRequest(
    long budget,
    List<ChannelWindow> channels,
    Guardrails guardrails,
    long seed,
    String modelState) {

  /**
   * The largest budget, allocation or commitment taken, in minor units: a hundred trillion, a
   * hundred times what a campaign may hold, and small enough that no sum or share of the
   * allocator's overflows a long.
   */
  public static final long MAX_AMOUNT = 100_000_000_000_000L;

  /** The most channels a request may have. */
  public static final int MAX_CHANNELS = 1_000;

  public AllocationRequest {
    if (budget < 0 || budget > MAX_AMOUNT) {
      throw new IllegalArgumentException("budget must be 0 to " + MAX_AMOUNT);
    }
    channels = List.copyOf(channels);
    if (channels.isEmpty() || channels.size() > MAX_CHANNELS) {
      throw new IllegalArgumentException("a request needs 1 to " + MAX_CHANNELS + " channels");
    }
    Set<String> names = new HashSet<>();
    for (ChannelWindow channel : channels) {
      if (!names.add(channel.channel())) {
        throw new IllegalArgumentException("channel " + channel.channel() + " appears twice");
      }
    }
    if (guardrails == null) {
      throw new IllegalArgumentException("guardrails are required");
    }
  }
}
