package dev.spur.bench;

import dev.spur.allocation.Guardrails;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One simulated campaign setting: its channels, budget, guardrails, horizon and how the
 * channels' true curves change over time.
 *
 * @param name the name printed in the results
 * @param kind how the curves change
 * @param budget the budget of every period, in minor units
 * @param horizon the number of periods (one allocation run each)
 * @param window the number of most recent periods the allocator is shown
 * @param guardrails the campaign's limits
 */
record Scenario(
    String name, Kind kind, long budget, int horizon, int window, Guardrails guardrails) {

  /** How a scenario's curves move. */
  enum Kind {
    STATIONARY,
    DRIFT,
    CHANGE_POINT,
    CHANNEL_DIES,
    CHANNEL_ADDED,
    TINY_BUDGET,
    HEAVY_NOISE
  }

  static final Guardrails GUARDRAILS = new Guardrails(200, 6_000, 1_000, 500);
  static final int HORIZON = 150;
  static final int WINDOW = 28;
  /** Periods between jumps in the change-point scenario. */
  static final int JUMP_EVERY = 21;

  private static final String[] NAMES = {
    "email", "social", "in-app", "blog", "newsletter", "paid", "partners"
  };
  private static final ChannelTruth[] BASE = {
    new ChannelTruth(14, 12_000, 1.0, 0.2, 3_500, 0.7, 1.5, 0),
    new ChannelTruth(30, 40_000, 1.6, 0.4, 3_000, 0.8, 0.3, 0),
    new ChannelTruth(10, 8_000, 1.0, 0.1, 4_500, 0.6, 1.0, 0),
    new ChannelTruth(12, 20_000, 2.2, 0.5, 5_000, 0.9, 1.2, 0),
    new ChannelTruth(8, 6_000, 1.2, 0.3, 4_000, 0.7, 2.0, 0),
    new ChannelTruth(45, 60_000, 1.4, 0.2, 3_000, 0.8, 0.2, 0),
    new ChannelTruth(20, 15_000, 1.0, 0.2, 4_000, 0.7, 1.5, 0),
  };
  /** The split the campaign ran before any allocator: heavy on the paid channel. */
  private static final double[] STATUS_QUO = {0.15, 0.25, 0.10, 0.10, 0.10, 0.30};

  /** Every scenario the benchmark runs, in the order it prints them. */
  static List<Scenario> all() {
    return List.of(
        of("stationary", Kind.STATIONARY, 100_000),
        of("drift", Kind.DRIFT, 100_000),
        of("change-point", Kind.CHANGE_POINT, 100_000),
        of("channel-dies", Kind.CHANNEL_DIES, 100_000),
        of("channel-added", Kind.CHANNEL_ADDED, 100_000),
        of("tiny-budget", Kind.TINY_BUDGET, 3_000),
        of("heavy-noise", Kind.HEAVY_NOISE, 100_000));
  }

  private static Scenario of(String name, Kind kind, long budget) {
    return new Scenario(name, kind, budget, HORIZON, WINDOW, GUARDRAILS);
  }

  /** The period from which the added channel exists, and at which the dying channel dies. */
  int eventPeriod() {
    return horizon / 3;
  }

  /** The true curves of every channel in every period for one seed. */
  Market market(long seed) {
    int n = kind == Kind.CHANNEL_ADDED ? NAMES.length : NAMES.length - 1;
    SplittableRandom random = new SplittableRandom(Noise.mix(seed, kind.ordinal()));
    ChannelTruth[] start = new ChannelTruth[n];
    for (int i = 0; i < n; i++) {
      ChannelTruth base = BASE[i];
      if (kind == Kind.HEAVY_NOISE) {
        base = base.noisier(0.6, 1.3);
      }
      // Channels differ from seed to seed in reach (widely), in saturation and in how often
      // their customers come back, so that no fixed rule of thumb suits every market.
      start[i] =
          base.scaled(Math.exp(0.5 * gaussian(random)))
              .stretched(Math.exp(0.25 * gaussian(random)))
              .loyal(Math.exp(0.5 * gaussian(random)));
    }

    ChannelTruth[][] truths = new ChannelTruth[horizon][n];
    double[] level = new double[n];
    for (int t = 0; t < horizon; t++) {
      if (kind == Kind.DRIFT) {
        for (int i = 0; i < n; i++) {
          level[i] = Math.max(-1.2, Math.min(1.2, level[i] + 0.04 * gaussian(random)));
        }
      }
      if (kind == Kind.CHANGE_POINT && t > 0 && t % JUMP_EVERY == 0) {
        int i = random.nextInt(n);
        double size = 0.6 + 0.6 * random.nextDouble();
        double jump = level[i] > 0.4 || (level[i] > -0.4 && random.nextBoolean()) ? -size : size;
        level[i] = Math.max(-1.6, Math.min(1.6, level[i] + jump));
      }
      for (int i = 0; i < n; i++) {
        double factor = Math.exp(level[i]);
        if (kind == Kind.CHANNEL_DIES && i == 0 && t >= eventPeriod()) {
          factor *= 0.03;
        }
        truths[t][i] = start[i].scaled(factor);
      }
    }

    String[] names = new String[n];
    int[] firstPeriod = new int[n];
    double[] statusQuo = new double[n];
    for (int i = 0; i < n; i++) {
      names[i] = NAMES[i];
      firstPeriod[i] = i < STATUS_QUO.length ? 0 : eventPeriod();
      statusQuo[i] = i < STATUS_QUO.length ? STATUS_QUO[i] : 0;
    }
    return new Market(names, firstPeriod, statusQuo, truths);
  }

  private static double gaussian(SplittableRandom random) {
    double u = 1.0 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
  }
}
