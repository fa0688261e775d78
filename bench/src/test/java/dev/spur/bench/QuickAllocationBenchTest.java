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
  void theReferenceThatKnowsTheCurvesComesWithinATenthOfAPointOfTheOracle() {
    // It differs from the oracle by the learner's coarser grid, without the exchanges, and by
    // valuing carry-over at the steady state instead of planning it. A larger gap would mean
    // the references measure something other than what they claim.
    AllocationBench.Report report = AllocationBench.run(2, 0, true);

    assertEquals(Scenario.all().size() * References.all().size(), report.references().size());
    for (AllocationBench.Line line : report.references()) {
      assertEquals(0, line.violations(), line.scenario() + " / " + line.policy());
      if (line.policy().equals("known-curves")) {
        assertTrue(line.meanPercent() >= 99.9, line.scenario() + ": " + line.meanPercent());
      }
    }
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
