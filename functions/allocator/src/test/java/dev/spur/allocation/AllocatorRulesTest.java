package dev.spur.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AllocatorRulesTest {

  static Stream<Arguments> allocators() {
    return Stream.of(
        Arguments.of("standard", Allocators.standard()),
        Arguments.of("valueRatio", Allocators.valueRatio()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allocators")
  void everyFeasibleRandomRequestGetsAnAllocationThatKeepsEveryRule(
      String name, Allocator allocator) {
    RandomRequests requests = new RandomRequests(20_240_601L);
    int feasible = 0;
    int infeasible = 0;
    for (int run = 0; run < 8_000; run++) {
      AllocationRequest request = requests.next(8, 5_000_000);
      Allocation allocation;
      try {
        allocation = allocator.allocate(request);
      } catch (InfeasibleGuardrailsException e) {
        assertFalse(e.getMessage().isBlank());
        infeasible++;
        continue;
      }
      feasible++;
      List<String> broken = RuleAudit.violations(request, allocation);
      if (!broken.isEmpty()) {
        fail("run " + run + " " + request + " gave " + allocation + ": " + broken);
      }
      assertEquals(allocation, allocator.allocate(request), "same request, same result");
    }
    // Both kinds must be common, or the loop would prove little.
    assertTrue(feasible > 4_000, "feasible requests: " + feasible);
    assertTrue(infeasible > 2_000, "infeasible requests: " + infeasible);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allocators")
  void throwsExactlyWhenNoSplitOfASmallBudgetKeepsTheRules(String name, Allocator allocator) {
    RandomRequests requests = new RandomRequests(77L);
    int feasible = 0;
    for (int run = 0; run < 2_000; run++) {
      AllocationRequest request = requests.next(3, 40);
      boolean exists = anySplitKeepsTheRules(request);
      boolean thrown = false;
      try {
        Allocation allocation = allocator.allocate(request);
        assertEquals(List.of(), RuleAudit.violations(request, allocation), request.toString());
      } catch (InfeasibleGuardrailsException e) {
        thrown = true;
      }
      assertEquals(exists, !thrown, "run " + run + " " + request);
      if (exists) {
        feasible++;
      }
    }
    assertTrue(feasible > 800, "feasible requests: " + feasible);
  }

  /** Tries every split of the budget into whole units. */
  private static boolean anySplitKeepsTheRules(AllocationRequest request) {
    int n = request.channels().size();
    long[] amounts = new long[n];
    return search(request, amounts, 0, request.budget());
  }

  private static boolean search(AllocationRequest request, long[] amounts, int i, long left) {
    int n = amounts.length;
    if (i == n - 1) {
      amounts[i] = left;
      List<ChannelAllocation> entries = new ArrayList<>(n);
      for (int k = 0; k < n; k++) {
        entries.add(
            new ChannelAllocation(request.channels().get(k).channel(), amounts[k], "tried"));
      }
      return RuleAudit.violations(request, new Allocation(entries, null)).isEmpty();
    }
    for (long a = 0; a <= left; a++) {
      amounts[i] = a;
      if (search(request, amounts, i + 1, left - a)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void rulesHoldAcrossRunsThatCarryTheModelStateWhileChannelsComeAndGo() {
    Random random = new Random(5_150L);
    Allocator allocator = Allocators.standard();
    RandomRequests requests = new RandomRequests(99L);
    int checked = 0;
    for (int campaign = 0; campaign < 150; campaign++) {
      AllocationRequest request = requests.next(6, 2_000_000);
      String state = null;
      List<ChannelWindow> channels = request.channels();
      for (int run = 0; run < 12; run++) {
        AllocationRequest now =
            new AllocationRequest(
                request.budget(), channels, request.guardrails(), random.nextLong(), state);
        List<ChannelWindow> next = new ArrayList<>();
        try {
          Allocation allocation = allocator.allocate(now);
          assertEquals(List.of(), RuleAudit.violations(now, allocation), now.toString());
          state = allocation.modelState();
          checked++;
          for (int i = 0; i < channels.size(); i++) {
            next.add(advance(channels.get(i), allocation.channels().get(i).amount(), random));
          }
        } catch (InfeasibleGuardrailsException e) {
          for (ChannelWindow channel : channels) {
            next.add(advance(channel, channel.currentAllocation(), random));
          }
        }
        // Now and then a channel leaves or a new one joins, and the state must cope.
        if (next.size() > 1 && random.nextInt(6) == 0) {
          next.remove(random.nextInt(next.size()));
        } else if (random.nextInt(6) == 0) {
          next.add(new ChannelWindow("new" + run, true, 0, 0, List.of()));
        }
        channels = next;
      }
    }
    assertTrue(checked > 800, "allocations checked: " + checked);
  }

  @Test
  void rulesHoldWhateverNumbersAKeptStateCarries() {
    // A state is only ever written by the allocator, but it is read back from storage: numbers
    // at the edges of a float (largest, smallest, negative, zero, not a number) in the steady
    // filters' part must neither break a guardrail nor make two runs disagree.
    String[] words = {"7f7fffff", "00000001", "ff7fffff", "00000000", "80000000", "7fc00000"};
    Random random = new Random(2_718L);
    Allocator allocator = Allocators.standard();
    RandomRequests requests = new RandomRequests(31L);
    int checked = 0;
    for (int campaign = 0; campaign < 100; campaign++) {
      AllocationRequest request = requests.next(5, 1_000_000);
      // A not-a-number makes a channel's entry unreadable, so most states carry none: their
      // extreme numbers are read and used.
      int choices = campaign % 4 == 0 ? words.length : words.length - 1;
      List<ChannelWindow> channels = request.channels();
      String state = null;
      for (int run = 0; run < 3; run++) {
        AllocationRequest now =
            new AllocationRequest(
                request.budget(), channels, request.guardrails(), random.nextLong(), state);
        Allocation allocation;
        try {
          allocation = allocator.allocate(now);
        } catch (InfeasibleGuardrailsException e) {
          break;
        }
        state = allocation.modelState();
        List<ChannelWindow> next = new ArrayList<>();
        for (int i = 0; i < channels.size(); i++) {
          next.add(advance(channels.get(i), allocation.channels().get(i).amount(), random));
        }
        channels = next;
      }
      if (state == null) {
        continue;
      }
      StringBuilder hostile = new StringBuilder();
      for (String entry : state.split(",", -1)) {
        int steady = entry.lastIndexOf(':') + 1;
        StringBuilder numbers = new StringBuilder();
        for (int at = steady; at < entry.length(); at += 8) {
          numbers.append(words[random.nextInt(choices)]);
        }
        hostile.append(hostile.isEmpty() ? "" : ",").append(entry, 0, steady).append(numbers);
      }
      AllocationRequest now =
          new AllocationRequest(
              request.budget(), channels, request.guardrails(), 77L, hostile.toString());
      Allocation first;
      try {
        first = allocator.allocate(now);
      } catch (InfeasibleGuardrailsException e) {
        continue; // refused for its guardrails, whatever the state
      }
      assertEquals(List.of(), RuleAudit.violations(now, first), hostile.toString());
      assertEquals(first, allocator.allocate(now));
      checked++;
    }
    assertTrue(checked > 40, "hostile states checked: " + checked);
  }

  /** The channel one bucket later, with its new allocation spent and some result drawn. */
  private static ChannelWindow advance(ChannelWindow channel, long amount, Random random) {
    List<WindowBucket> buckets = new ArrayList<>(channel.buckets());
    long conversions = random.nextInt(1 + (int) Math.min(50, amount / 500));
    long revenue = conversions * (500 + random.nextInt(5_000));
    buckets.add(new WindowBucket(amount, conversions * 9, conversions, revenue, revenue * 2));
    if (buckets.size() > 28) {
      buckets.remove(0);
    }
    boolean enabled = random.nextInt(10) == 0 ? !channel.enabled() : channel.enabled();
    return new ChannelWindow(channel.channel(), enabled, amount, 0, buckets);
  }
}
