package dev.spur.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.stream.Stream;
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
      List<ChannelAllocation> entries = new java.util.ArrayList<>(n);
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
}
