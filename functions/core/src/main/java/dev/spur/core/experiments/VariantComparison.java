package dev.spur.core.experiments;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Compares an experiment's variants by their net value per referrer and says how likely each
 * is to be the best, from a seeded Monte Carlo over the posterior: the same results and seed
 * give the same numbers on every JVM.
 *
 * <p>The model. A variant's conversions per referrer are Poisson with an unknown rate; the rate
 * has a gamma prior of shape {@value #PRIOR_CONVERSIONS} and rate {@value #PRIOR_REFERRERS},
 * worth one referrer with one conversion, so the posterior after {@code c} conversions from
 * {@code n} referrers is Gamma({@code 1 + c}, {@code 1 + n}). A variant's mean net value per
 * conversion (lifetime revenue less reward cost) enters as a plug-in: its own average, shrunk
 * toward the average over all variants by {@value #PRIOR_VALUE_CONVERSIONS} conversion's worth,
 * so a variant without conversions takes the overall average. Each draw takes every variant's
 * rate from its posterior and multiplies it by that mean; the variant with the highest product
 * wins the draw, tied variants sharing it. P(best) is a variant's share of the draws, and its
 * expected loss the mean, over the draws, of the best product less its own.
 *
 * <p>The uncertainty of the mean value per conversion is not modelled: only its sums are
 * recorded, not its spread, so the plug-in treats it as known. Where variants differ mainly in
 * value per conversion rather than in conversions, P(best) is therefore overconfident.
 */
public final class VariantComparison {

  /** Gamma prior shape for conversions per referrer: one pseudo-conversion. */
  public static final double PRIOR_CONVERSIONS = 1.0;

  /** Gamma prior rate for conversions per referrer: one pseudo-referrer. */
  public static final double PRIOR_REFERRERS = 1.0;

  /** Weight, in conversions, of the overall mean value in each variant's mean value. */
  public static final double PRIOR_VALUE_CONVERSIONS = 1.0;

  /** Draws taken unless told otherwise. */
  public static final int DEFAULT_DRAWS = 20_000;

  /** Referrers each variant needs before a winner is called, unless told otherwise. */
  public static final int DEFAULT_MINIMUM_REFERRERS = 100;

  /** P(best) a variant needs to be called the winner. */
  public static final double WINNING_PROBABILITY = 0.95;

  private static final int MAX_DRAWS = 1_000_000;

  private final List<VariantEstimate> estimates;
  private final int minimumReferrers;

  private VariantComparison(List<VariantEstimate> estimates, int minimumReferrers) {
    this.estimates = estimates;
    this.minimumReferrers = minimumReferrers;
  }

  /** Compares the variants with {@value #DEFAULT_DRAWS} draws and the default minimum sample. */
  public static VariantComparison of(List<VariantResults> results, long seed) {
    return of(results, seed, DEFAULT_DRAWS, DEFAULT_MINIMUM_REFERRERS);
  }

  /**
   * Compares the variants.
   *
   * @param results one entry per variant, in the variants' declared order
   * @param seed seeds the draws
   * @param draws Monte Carlo draws, 1 to 1,000,000
   * @param minimumReferrers referrers each variant needs before a winner is called
   * @throws IllegalArgumentException when there are not 1 to 8 results with unique names, or
   *     draws or the minimum are out of range
   */
  public static VariantComparison of(
      List<VariantResults> results, long seed, int draws, int minimumReferrers) {
    Objects.requireNonNull(results, "results");
    if (results.isEmpty() || results.size() > Variant.MAX_VARIANTS) {
      throw new IllegalArgumentException(
          "a comparison takes 1 to 8 variants, not " + results.size());
    }
    Set<String> names = new HashSet<>();
    for (VariantResults result : results) {
      Objects.requireNonNull(result, "result");
      if (!names.add(result.variant())) {
        throw new IllegalArgumentException("variant " + result.variant() + " is repeated");
      }
    }
    if (draws < 1 || draws > MAX_DRAWS) {
      throw new IllegalArgumentException("draws " + draws + " must be 1 to 1000000");
    }
    if (minimumReferrers < 0) {
      throw new IllegalArgumentException(
          "minimumReferrers " + minimumReferrers + " must not be negative");
    }

    int k = results.size();
    double totalNet = 0;
    double totalConversions = 0;
    for (VariantResults result : results) {
      totalNet += (double) result.clvRevenue() - result.rewardCost();
      totalConversions += result.conversions();
    }
    double overallValue = totalConversions > 0 ? totalNet / totalConversions : 0;

    double[] shape = new double[k];
    double[] rate = new double[k];
    double[] valuePerConversion = new double[k];
    for (int i = 0; i < k; i++) {
      VariantResults result = results.get(i);
      shape[i] = PRIOR_CONVERSIONS + result.conversions();
      rate[i] = PRIOR_REFERRERS + result.referrers();
      double net = (double) result.clvRevenue() - result.rewardCost();
      valuePerConversion[i] =
          (net + PRIOR_VALUE_CONVERSIONS * overallValue)
              / (result.conversions() + PRIOR_VALUE_CONVERSIONS);
    }

    GammaDraws random = new GammaDraws(seed);
    double[] wins = new double[k];
    double[] lossSum = new double[k];
    double[] value = new double[k];
    for (int draw = 0; draw < draws; draw++) {
      double best = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < k; i++) {
        value[i] = random.gamma(shape[i], rate[i]) * valuePerConversion[i];
        best = Math.max(best, value[i]);
      }
      int tied = 0;
      for (int i = 0; i < k; i++) {
        if (value[i] == best) {
          tied++;
        }
      }
      for (int i = 0; i < k; i++) {
        if (value[i] == best) {
          wins[i] += 1.0 / tied;
        }
        lossSum[i] += best - value[i];
      }
    }

    List<VariantEstimate> estimates = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      VariantResults result = results.get(i);
      double conversionRate = shape[i] / rate[i];
      estimates.add(
          new VariantEstimate(
              result.variant(),
              result.referrers(),
              conversionRate,
              valuePerConversion[i],
              conversionRate * valuePerConversion[i],
              wins[i] / draws,
              lossSum[i] / draws));
    }
    return new VariantComparison(List.copyOf(estimates), minimumReferrers);
  }

  /** One estimate per variant, in the order the results were given. */
  public List<VariantEstimate> estimates() {
    return estimates;
  }

  /** The estimate of the named variant. */
  public VariantEstimate estimate(String variant) {
    for (VariantEstimate estimate : estimates) {
      if (estimate.variant().equals(variant)) {
        return estimate;
      }
    }
    throw new IllegalArgumentException("no variant " + variant + " in this comparison");
  }

  /** Referrers each variant needs before a winner is called or weights move. */
  public int minimumReferrers() {
    return minimumReferrers;
  }

  /** True when every variant has at least the minimum number of referrers. */
  public boolean hasMinimumSample() {
    return fewestReferrers().referrers() >= minimumReferrers;
  }

  /**
   * Winner when one variant's P(best) is at least {@value #WINNING_PROBABILITY} and every variant
   * has the minimum number of referrers; otherwise keep testing, saying what is missing.
   */
  public Decision decision() {
    VariantEstimate leader = estimates.get(0);
    for (VariantEstimate estimate : estimates) {
      if (estimate.probabilityBest() > leader.probabilityBest()) {
        leader = estimate;
      }
    }
    VariantEstimate fewest = fewestReferrers();
    boolean enoughData = fewest.referrers() >= minimumReferrers;
    boolean certain = leader.probabilityBest() >= WINNING_PROBABILITY;
    String leading =
        leader.variant() + " leads with P(best) " + probability(leader.probabilityBest());
    if (enoughData && certain) {
      return new Decision.Winner(
          leader.variant(),
          leader.probabilityBest(),
          leader.variant()
              + " is best with P(best) "
              + probability(leader.probabilityBest())
              + ", every variant with at least "
              + minimumReferrers
              + " referrers");
    }
    List<String> missing = new ArrayList<>(2);
    if (!enoughData) {
      missing.add(
          fewest.variant()
              + " has "
              + fewest.referrers()
              + " referrers, "
              + minimumReferrers
              + " needed per variant");
    }
    if (!certain) {
      missing.add(leading + ", " + probability(WINNING_PROBABILITY) + " needed");
    }
    return new Decision.KeepTesting(String.join("; ", missing));
  }

  private VariantEstimate fewestReferrers() {
    VariantEstimate fewest = estimates.get(0);
    for (VariantEstimate estimate : estimates) {
      if (estimate.referrers() < fewest.referrers()) {
        fewest = estimate;
      }
    }
    return fewest;
  }

  /**
   * A probability as the reasons print it: two decimals, rounded down so that a reason never
   * shows a threshold reached when it was not (0.949 reads 0.94).
   */
  static String probability(double p) {
    return BigDecimal.valueOf(p).setScale(2, RoundingMode.FLOOR).toPlainString();
  }
}
