package dev.spur.bench;

import dev.spur.allocation.Allocators;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.ToDoubleFunction;

/**
 * Runs every scenario against every policy for a number of seeds and prints how each policy
 * did next to the oracle.
 */
final class AllocationBench {

  /** How one policy did in one scenario across the seeds. */
  record Line(
      String scenario,
      String policy,
      double meanPercent,
      double lowPercent,
      double highPercent,
      double finalRegret,
      double regretSlope,
      int violations,
      double churn,
      double meanMicros,
      double maxMicros,
      List<String> firstViolations,
      double[] perSeed,
      double[] byPhase) {}

  /**
   * Every line, in print order, and the reference lines (empty unless asked for).
   *
   * @param from the first seed
   */
  record Report(List<Line> lines, int seeds, long from, List<Line> references) {

    Line line(String scenario, String policy) {
      for (Line line : lines) {
        if (line.scenario().equals(scenario) && line.policy().equals(policy)) {
          return line;
        }
      }
      throw new IllegalArgumentException("no line for " + scenario + " / " + policy);
    }

    int violations() {
      return lines.stream().mapToInt(Line::violations).sum();
    }
  }

  static final String LEARNER = "learning";
  /** Where each phase starts, as a share of the horizon: the first fifth, the middle, the last. */
  private static final double[] PHASES = {0, 0.2, 0.6};

  private AllocationBench() {}

  static List<Policy> policies() {
    return List.of(
        Policy.of(LEARNER, Allocators.learning()),
        Policy.of("value-ratio", Allocators.valueRatio()),
        Policy.of("equal-split", new EqualSplit()),
        Policy.of("status-quo", new StatusQuo()),
        Policy.of("last-roas", new LastPeriodRoas(false)),
        Policy.of("last-clv-roas", new LastPeriodRoas(true)),
        Policy.of("static-optimum", new StaticOptimum()),
        Policy.of("epsilon-greedy", new EpsilonGreedy(0.1)),
        Policy.of("budgeted-ts", new BudgetedThompson()));
  }

  static Report run(int seeds) {
    return run(seeds, 0, false);
  }

  /**
   * Runs seeds {@code from} to {@code from + seeds - 1}; with {@code references}, also the
   * policies that are told part of the truth ({@link References}).
   */
  static Report run(int seeds, long from, boolean references) {
    warmUp();
    List<Policy> policies = policies();
    List<Line> lines = new ArrayList<>();
    List<Line> referenceLines = new ArrayList<>();
    for (Scenario scenario : Scenario.all()) {
      int horizon = scenario.horizon();
      double[][] oracleValue = new double[seeds][];
      int oracleViolations = 0;
      List<String> oracleNotes = new ArrayList<>();
      long oracleNanos = 0;
      long oracleMax = 0;
      List<Market> markets = new ArrayList<>(seeds);
      for (int s = 0; s < seeds; s++) {
        Market market = scenario.market(from + s);
        markets.add(market);
        Trajectory.Result result = Oracle.run(scenario, market, from + s);
        oracleValue[s] = result.value();
        oracleViolations += result.violations();
        oracleNotes.addAll(result.firstViolations());
        oracleNanos += result.totalNanos();
        oracleMax = Math.max(oracleMax, result.maxNanos());
      }
      lines.add(
          new Line(
              scenario.name(),
              Oracle.NAME,
              100,
              100,
              100,
              0,
              Double.NaN,
              oracleViolations,
              Double.NaN,
              oracleNanos / 1e3 / (seeds * (double) horizon),
              oracleMax / 1e3,
              oracleNotes,
              new double[0],
              new double[0]));

      for (Policy policy : policies) {
        lines.add(line(scenario, policy.name(), k -> policy, markets, oracleValue, from));
      }
      if (references) {
        for (Map.Entry<String, Function<Market, Policy>> reference :
            References.all().entrySet()) {
          referenceLines.add(
              line(
                  scenario,
                  reference.getKey(),
                  k -> reference.getValue().apply(markets.get(k)),
                  markets,
                  oracleValue,
                  from));
        }
      }
    }
    return new Report(lines, seeds, from, referenceLines);
  }

  /** One policy's line in one scenario; {@code policies} gives the policy for each seed. */
  private static Line line(
      Scenario scenario,
      String name,
      IntFunction<Policy> policies,
      List<Market> markets,
      double[][] oracleValue,
      long from) {
    int seeds = markets.size();
    int horizon = scenario.horizon();
    double[] percent = new double[seeds];
    double[] regret = new double[horizon];
    int violations = 0;
    List<String> notes = new ArrayList<>();
    double churn = 0;
    long nanos = 0;
    long max = 0;
    double[] phaseGot = new double[PHASES.length];
    double[] phaseBest = new double[PHASES.length];
    for (int s = 0; s < seeds; s++) {
      Trajectory.Result result =
          Trajectory.run(scenario, markets.get(s), policies.apply(s), from + s);
      for (int t = 0; t < horizon; t++) {
        int phase = phaseOf(t, horizon);
        phaseGot[phase] += result.value()[t];
        phaseBest[phase] += oracleValue[s][t];
      }
      double got = 0;
      double best = 0;
      double cumulative = 0;
      for (int t = 0; t < horizon; t++) {
        got += result.value()[t];
        best += oracleValue[s][t];
        cumulative += oracleValue[s][t] - result.value()[t];
        regret[t] += cumulative / seeds;
      }
      percent[s] = 100 * got / best;
      violations += result.violations();
      notes.addAll(result.firstViolations());
      churn += result.churn() / seeds;
      nanos += result.totalNanos();
      max = Math.max(max, result.maxNanos());
    }
    double mean = mean(percent);
    double half = halfInterval(percent);
    return new Line(
        scenario.name(),
        name,
        mean,
        mean - half,
        mean + half,
        regret[horizon - 1],
        slope(regret),
        violations,
        churn,
        nanos / 1e3 / (seeds * (double) horizon),
        max / 1e3,
        notes,
        percent,
        phaseShares(phaseGot, phaseBest));
  }

  /**
   * Runs each policy through two untimed markets, so that compilation does not land in the
   * first scenario's times.
   */
  private static void warmUp() {
    Scenario scenario = Scenario.all().get(0);
    for (long seed = -2; seed < 0; seed++) {
      Market market = scenario.market(seed);
      Oracle.run(scenario, market, seed);
      for (Policy policy : policies()) {
        Trajectory.run(scenario, market, policy, seed);
      }
    }
  }

  private static int phaseOf(int t, int horizon) {
    int phase = 0;
    for (int p = 1; p < PHASES.length; p++) {
      if (t >= PHASES[p] * horizon) {
        phase = p;
      }
    }
    return phase;
  }

  private static double[] phaseShares(double[] got, double[] best) {
    double[] shares = new double[got.length];
    for (int p = 0; p < got.length; p++) {
      shares[p] = 100 * got[p] / best[p];
    }
    return shares;
  }

  static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  /** Half the width of the 95% confidence interval of the mean (Student's t). */
  static double halfInterval(double[] values) {
    int n = values.length;
    if (n < 2) {
      return 0;
    }
    double m = mean(values);
    double squares = 0;
    for (double v : values) {
      squares += (v - m) * (v - m);
    }
    double sd = Math.sqrt(squares / (n - 1));
    return studentT975(n - 1) * sd / Math.sqrt(n);
  }

  private static double studentT975(int df) {
    double[] table = {
      12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
      2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
      2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042
    };
    return df <= table.length ? table[df - 1] : 1.96 + 2.4 / df;
  }

  /**
   * The slope of log cumulative regret against log time from the tenth period on; NaN when
   * the regret is not positive throughout that stretch, as when a policy beats the oracle.
   */
  static double slope(double[] cumulative) {
    int from = Math.min(9, cumulative.length - 1);
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    int count = 0;
    for (int t = from; t < cumulative.length; t++) {
      if (cumulative[t] <= 0) {
        return Double.NaN;
      }
      double x = Math.log(t + 1);
      double y = Math.log(cumulative[t]);
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
      count++;
    }
    if (count < 2) {
      return Double.NaN;
    }
    return (count * sxy - sx * sy) / (count * sxx - sx * sx);
  }

  static void print(Report report, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "allocation benchmark: %d seeds%s, %d periods, %d-period window%n%n",
        report.seeds(),
        report.from() == 0 ? "" : " from " + report.from(),
        Scenario.HORIZON,
        Scenario.WINDOW);
    String header =
        String.format(
            Locale.ROOT,
            "%-14s %-15s %8s %17s %11s %6s %5s %7s %9s %9s",
            "scenario",
            "policy",
            "value%",
            "95% interval",
            "regret",
            "slope",
            "viol",
            "churn%",
            "us/run",
            "max us");
    out.println(header);
    out.println("-".repeat(header.length()));
    String last = null;
    for (Line line : report.lines()) {
      if (last != null && !last.equals(line.scenario())) {
        out.println();
      }
      last = line.scenario();
      out.println(row(line));
    }
    out.println();
    out.println(
        "learning minus the best other policy, paired by seed (same market, same noise):");
    for (Scenario scenario : Scenario.all()) {
      Line learner = report.line(scenario.name(), LEARNER);
      Line best = highestOther(report, scenario.name(), Line::meanPercent);
      double[] difference = new double[learner.perSeed().length];
      for (int s = 0; s < difference.length; s++) {
        difference[s] = learner.perSeed()[s] - best.perSeed()[s];
      }
      double mean = mean(difference);
      double half = halfInterval(difference);
      out.printf(
          Locale.ROOT,
          "  %-14s vs %-15s %+6.2f points  [%+6.2f, %+6.2f]%n",
          scenario.name(),
          best.policy(),
          mean,
          mean - half,
          mean + half);
    }
    out.println();
    out.println(
        "learning's 95% interval against the highest other one"
            + " (its bottom minus their top; positive means apart):");
    for (Scenario scenario : Scenario.all()) {
      Line learner = report.line(scenario.name(), LEARNER);
      Line highest = highestOther(report, scenario.name(), Line::highPercent);
      double gap = learner.lowPercent() - highest.highPercent();
      out.printf(
          Locale.ROOT,
          "  %-14s vs %-15s %+7.3f points, %s%n",
          scenario.name(),
          highest.policy(),
          gap,
          gap > 0 ? "apart" : "overlapping");
    }
    out.println();
    int horizon = Scenario.HORIZON;
    out.printf(
        Locale.ROOT,
        "learning by phase, value as %% of the oracle's over all seeds"
            + " (periods 0-%d, %d-%d, %d-%d):%n",
        (int) (PHASES[1] * horizon) - 1,
        (int) (PHASES[1] * horizon),
        (int) (PHASES[2] * horizon) - 1,
        (int) (PHASES[2] * horizon),
        horizon - 1);
    for (Scenario scenario : Scenario.all()) {
      double[] phases = report.line(scenario.name(), LEARNER).byPhase();
      out.printf(
          Locale.ROOT,
          "  %-14s %6.2f %6.2f %6.2f%n",
          scenario.name(),
          phases[0],
          phases[1],
          phases[2]);
    }
    out.println();
    if (!report.references().isEmpty()) {
      out.println("references (told part of the truth; not baselines):");
      for (Line line : report.references()) {
        out.println(row(line));
      }
      out.println();
    }
    for (Line line : report.lines()) {
      for (String note : line.firstViolations()) {
        out.println("violation: " + note);
      }
    }
    out.println(summary(report));
  }

  /** The policy, neither the learner nor the oracle, highest by a figure in one scenario. */
  private static Line highestOther(Report report, String scenario, ToDoubleFunction<Line> by) {
    Line highest = null;
    for (Line line : report.lines()) {
      if (line.scenario().equals(scenario)
          && !line.policy().equals(LEARNER)
          && !line.policy().equals(Oracle.NAME)
          && (highest == null || by.applyAsDouble(line) > by.applyAsDouble(highest))) {
        highest = line;
      }
    }
    return highest;
  }

  /** One line of the table. */
  private static String row(Line line) {
    return String.format(
        Locale.ROOT,
        "%-14s %-15s %8.2f   [%6.2f, %6.2f] %11.0f %6s %5d %7s %9.1f %9.0f",
        line.scenario(),
        line.policy(),
        line.meanPercent(),
        line.lowPercent(),
        line.highPercent(),
        line.finalRegret(),
        Double.isNaN(line.regretSlope())
            ? "-"
            : String.format(Locale.ROOT, "%.2f", line.regretSlope()),
        line.violations(),
        Double.isNaN(line.churn())
            ? "-"
            : String.format(Locale.ROOT, "%.1f", 100 * line.churn()),
        line.meanMicros(),
        line.maxMicros());
  }

  /** The last line: the learner's share of the oracle in two scenarios, and the totals. */
  static String summary(Report report) {
    double slowest = 0;
    for (Line line : report.lines()) {
      if (line.policy().equals(LEARNER)) {
        slowest = Math.max(slowest, line.meanMicros());
      }
    }
    return String.format(
        Locale.ROOT,
        "allocation: stationary %.1f%% change-point %.1f%% violations %d slowest %dus",
        report.line("stationary", LEARNER).meanPercent(),
        report.line("change-point", LEARNER).meanPercent(),
        report.violations(),
        Math.round(slowest));
  }
}
