package dev.spur.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class QuickAllocationBenchTest {

  @Test
  void everyPolicyKeepsEveryGuardrailAndSumsToTheBudgetInEveryPeriod() {
    // RuleAudit checks each allocation in each period, the exact sum to the budget included.
    AllocationBench.Report report = AllocationBench.run(5);

    int policies = AllocationBench.policies().size() + 1;
    assertEquals(Scenario.all().size() * policies, report.lines().size());
    for (AllocationBench.Line line : report.lines()) {
      assertEquals(
          List.of(), line.firstViolations(), line.scenario() + " / " + line.policy());
      assertEquals(0, line.violations(), line.scenario() + " / " + line.policy());
    }
    assertEquals(0, report.violations());
  }

  @Test
  void theSummaryLineHasTheAgreedShape() {
    AllocationBench.Report report = AllocationBench.run(1);
    String summary = AllocationBench.summary(report);
    assertTrue(
        summary.matches(
            "allocation: stationary \\d+\\.\\d% change-point \\d+\\.\\d% violations 0"
                + " slowest \\d+us"),
        summary);
  }
}
