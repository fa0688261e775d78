package dev.spur.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spur.allocation.Allocation;
import dev.spur.allocation.AllocationRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class OracleTest {

  @Test
  void thePlanTakesAtLeastTheGreedyOracleAndKnownCurvesOnEverySeed() {
    // What makes the oracle an upper bound in practice: seed by seed, neither policy that is
    // told the truth and decides period by period takes more. Strictly more than the greedy
    // oracle, which leaves carry-over out. The tiny budget is checked below.
    for (Scenario scenario : Scenario.all()) {
      if (scenario.kind() == Scenario.Kind.TINY_BUDGET) {
        continue;
      }
      for (long seed = 0; seed < 3; seed++) {
        Market market = scenario.market(seed);
        double plan = total(Oracle.run(scenario, market, seed));
        double greedy = total(Trajectory.run(scenario, market, Oracle.greedy(), seed));
        double knownCurves = total(Trajectory.run(scenario, market, knownCurves(market), seed));
        String where = scenario.name() + " seed " + seed;

        assertTrue(plan > greedy, where + ": " + plan + " against greedy " + greedy);
        assertTrue(plan >= knownCurves, where + ": " + plan + " against " + knownCurves);
      }
    }
  }

  @Test
  void withATinyBudgetThePlanTakesAtLeastTheOthersOverTheSeedsButNotOnEach() {
    // At 3,000 a period the exploration floor binds: a small channel whose window is worth
    // fewer than five conversions must get 150 instead of 60, and whether it is depends on
    // the conversions the window shows, which are random. Which channels the floor catches in
    // which periods then moves a campaign's value by more than planning does, so on seeds 0 to
    // 29 the greedy oracle takes more than the plan on seeds 9, 14 and 18 (by at most 0.28%)
    // and known-curves on five. Over the seeds, the plan takes the most.
    Scenario scenario = scenario(Scenario.Kind.TINY_BUDGET);
    double plan = 0;
    double greedy = 0;
    double knownCurves = 0;
    for (long seed = 0; seed < 10; seed++) {
      Market market = scenario.market(seed);
      plan += total(Oracle.run(scenario, market, seed));
      greedy += total(Trajectory.run(scenario, market, Oracle.greedy(), seed));
      knownCurves += total(Trajectory.run(scenario, market, knownCurves(market), seed));
    }

    assertTrue(plan > greedy, plan + " against greedy " + greedy);
    assertTrue(plan >= knownCurves, plan + " against known-curves " + knownCurves);
  }

  @Test
  void thePlanIsTheSameWhateverTheNoiseWhereTheExplorationFloorDoesNotBind() {
    // The oracle decides from the true curves alone: another stream of random numbers for the
    // same market changes every window it is shown but not one unit of what it spends.
    for (Scenario.Kind kind :
        List.of(
            Scenario.Kind.STATIONARY,
            Scenario.Kind.DRIFT,
            Scenario.Kind.CHANNEL_DIES,
            Scenario.Kind.HEAVY_NOISE)) {
      Scenario scenario = scenario(kind);
      Market market = scenario.market(1);

      assertArrayEquals(
          Oracle.run(scenario, market, 1).value(),
          Oracle.run(scenario, market, 1_001).value(),
          scenario.name());
    }
  }

  @Test
  void theAdstockThePlanCreditsIsTheOneTheTrajectoryScores() {
    // The credits are slopes at the adstock the pass reached; rebuilt from the spends alone,
    // it must be the simulator's to the last bit, late channel and history included.
    Scenario scenario = scenario(Scenario.Kind.CHANNEL_ADDED);
    Market market = scenario.market(2);
    long[][] amounts = new long[scenario.horizon()][market.channels()];
    Policy greedy = Oracle.greedy();
    Policy recording =
        new Policy() {
          @Override
          public String name() {
            return greedy.name();
          }

          @Override
          public Allocation decide(AllocationRequest request, Truth truth) {
            Allocation allocation = greedy.decide(request, truth);
            for (int k = 0; k < request.channels().size(); k++) {
              int i = market.index(request.channels().get(k).channel());
              amounts[truth.period()][i] = allocation.channels().get(k).amount();
            }
            return allocation;
          }
        };
    double[] scored = Trajectory.run(scenario, market, recording, 2).value();

    double[][] adstock = Oracle.adstock(scenario, market, amounts);
    double[] rebuilt = new double[scenario.horizon()];
    for (int t = 0; t < scenario.horizon(); t++) {
      for (int i = 0; i < market.channels(); i++) {
        if (market.firstPeriod(i) <= t) {
          rebuilt[t] += market.truth(i, t).value(adstock[t][i]);
        }
      }
    }
    assertArrayEquals(scored, rebuilt, 0.0);
  }

  @Test
  void aUnitSpentIsCreditedWithWhatItsCarryOverAddsLaterAndNothingAfterTheLastPeriod() {
    // Channel a has run 1,000 a period for a two-period window, carrying half over; b joins in
    // period 1, carrying a quarter.
    ChannelTruth a = new ChannelTruth(10, 1_000, 1.0, 0.5, 100, 0.5, 0, 0);
    ChannelTruth b = new ChannelTruth(20, 500, 2.0, 0.25, 50, 0.5, 1, 0);
    ChannelTruth[][] truths = {{a, b}, {a, b}, {a, b}};
    Market market =
        new Market(new String[] {"a", "b"}, new int[] {0, 1}, new double[] {1, 0}, truths);
    Scenario scenario =
        new Scenario("test", Scenario.Kind.STATIONARY, 1_000, 3, 2, Scenario.GUARDRAILS);
    long[][] amounts = {{400, 0}, {800, 300}, {200, 100}};

    double[][] adstock = Oracle.adstock(scenario, market, amounts);
    double[][] credits = Oracle.credits(scenario, market, amounts);

    // Before period 0: 1,000, then 1,000 + 500.
    assertArrayEquals(new double[] {1_150, 1_375, 887.5}, column(adstock, 0), 0.0);
    assertArrayEquals(new double[] {0, 300, 175}, column(adstock, 1), 0.0);
    double laterA = 0.5 * a.marginalValue(887.5);
    assertArrayEquals(
        new double[] {0.5 * (a.marginalValue(1_375) + laterA), laterA, 0},
        column(credits, 0),
        0.0);
    // Nothing for b before it joins.
    assertArrayEquals(new double[] {0, 0.25 * b.marginalValue(175), 0}, column(credits, 1), 0.0);
  }

  private static Scenario scenario(Scenario.Kind kind) {
    return Scenario.all().stream().filter(s -> s.kind() == kind).findFirst().orElseThrow();
  }

  private static Policy knownCurves(Market market) {
    return References.all().get("known-curves").apply(market);
  }

  private static double total(Trajectory.Result result) {
    double sum = 0;
    for (double v : result.value()) {
      sum += v;
    }
    return sum;
  }

  private static double[] column(double[][] rows, int i) {
    double[] column = new double[rows.length];
    for (int t = 0; t < rows.length; t++) {
      column[t] = rows[t][i];
    }
    return column;
  }
}
