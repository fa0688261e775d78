package dev.spur.core.experiments;

import dev.spur.allocation.LargestRemainder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Moves an experiment's variant weights toward the variants likely to be best, Thompson style:
 * each variant's target weight is its P(best) share of 10,000. The new weights are the nearest,
 * in squared distance, to the targets that the guardrails allow, rounded by largest remainder
 * (ties to the earlier variant) so that they add up to exactly 10,000.
 *
 * <p>Guardrails: every variant keeps the minimum weight, and no weight moves by more than the
 * maximum change. A variant below the minimum (weights set before the guardrail was) is brought
 * up to it at once; when the others cannot give way that much within their maximum change, the
 * maximum change yields, since the minimum is what keeps every variant tested. Nothing moves
 * until every variant has the comparison's minimum number of referrers.
 */
public final class WeightShift {

  private final List<WeightChange> changes;

  private WeightShift(List<WeightChange> changes) {
    this.changes = changes;
  }

  /** The shift under the default guardrails: minimum weight 1,000, maximum change 1,000. */
  public static WeightShift of(List<Variant> current, VariantComparison comparison) {
    return of(current, comparison, ShiftGuardrails.DEFAULT);
  }

  /**
   * The shift of the current weights that the comparison calls for within the guardrails.
   *
   * @param current the variants and their weights now, in declared order
   * @param comparison the comparison of the same variants
   * @param guardrails the campaign's limits on the weights
   * @throws IllegalArgumentException when the variants do not make an experiment, the comparison
   *     names other variants, or the minimum weight times the number of variants exceeds 10,000
   */
  public static WeightShift of(
      List<Variant> current, VariantComparison comparison, ShiftGuardrails guardrails) {
    List<Variant> variants = Variant.checkedSet(current);
    Objects.requireNonNull(comparison, "comparison");
    Objects.requireNonNull(guardrails, "guardrails");
    int n = variants.size();
    int min = guardrails.minWeightBps();
    int maxChange = guardrails.maxChangeBps();
    if ((long) min * n > Variant.TOTAL_BPS) {
      throw new IllegalArgumentException(
          "minimum weight "
              + min
              + " for "
              + n
              + " variants needs "
              + (long) min * n
              + ", more than 10000");
    }
    checkSameVariants(variants, comparison);

    if (!comparison.hasMinimumSample()) {
      return unchanged(variants, comparison);
    }

    double[] probability = new double[n];
    double probabilitySum = 0;
    for (int i = 0; i < n; i++) {
      probability[i] = comparison.estimate(variants.get(i).name()).probabilityBest();
      probabilitySum += probability[i];
    }
    double[] target = new double[n];
    for (int i = 0; i < n; i++) {
      target[i] = Variant.TOTAL_BPS * probability[i] / probabilitySum;
    }

    long[] lower = new long[n];
    long[] upper = new long[n];
    long lowerSum = 0;
    for (int i = 0; i < n; i++) {
      int weight = variants.get(i).weightBps();
      lower[i] = Math.max(min, weight - maxChange);
      upper[i] = Math.max(lower[i], Math.min(Variant.TOTAL_BPS, weight + maxChange));
      lowerSum += lower[i];
    }
    // Only a variant below the minimum can push the lower bounds past the total; the others
    // then give way down to the minimum, beyond their maximum change.
    boolean maxChangeYields = lowerSum > Variant.TOTAL_BPS;
    if (maxChangeYields) {
      Arrays.fill(lower, min);
    }

    double[] nearest = nearestWithin(target, lower, upper, Variant.TOTAL_BPS);
    long[] weights = LargestRemainder.apportion(nearest, lower, upper, Variant.TOTAL_BPS);

    List<WeightChange> changes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Variant variant = variants.get(i);
      int from = variant.weightBps();
      int to = (int) weights[i];
      String why;
      if (to < from - maxChange) {
        why =
            "beyond the "
                + maxChange
                + " max change, to bring the others up to the "
                + min
                + " minimum weight";
      } else if (to == lower[i] && target[i] < lower[i]) {
        why =
            lower[i] == min
                ? "held at the " + min + " minimum weight"
                : "held by the " + maxChange + " max change";
      } else if (to == upper[i] && target[i] > upper[i]) {
        why =
            upper[i] == (long) from + maxChange
                ? "held by the " + maxChange + " max change"
                : "raised to the " + min + " minimum weight, beyond the " + maxChange
                    + " max change";
      } else if (Math.abs(to - target[i]) < 1) {
        why = "at its target";
      } else {
        why = "limited by the other variants' guardrails";
      }
      String move = to == from ? "stays at " + from : from + " to " + to;
      String reason =
          "P(best) "
              + VariantComparison.probability(probability[i])
              + ", target "
              + Math.round(target[i])
              + ": "
              + move
              + ", "
              + why;
      changes.add(new WeightChange(variant.name(), from, to, reason));
    }
    return new WeightShift(List.copyOf(changes));
  }

  /** One change per variant, in the variants' declared order. */
  public List<WeightChange> changes() {
    return changes;
  }

  /** The variants with their new weights, in declared order, ready for assignment. */
  public List<Variant> variants() {
    List<Variant> variants = new ArrayList<>(changes.size());
    for (WeightChange change : changes) {
      variants.add(new Variant(change.variant(), change.toBps()));
    }
    return List.copyOf(variants);
  }

  /** True when at least one weight moves. */
  public boolean changed() {
    for (WeightChange change : changes) {
      if (change.fromBps() != change.toBps()) {
        return true;
      }
    }
    return false;
  }

  private static void checkSameVariants(List<Variant> variants, VariantComparison comparison) {
    Set<String> compared = new HashSet<>();
    for (VariantEstimate estimate : comparison.estimates()) {
      compared.add(estimate.variant());
    }
    Set<String> named = new HashSet<>();
    for (Variant variant : variants) {
      named.add(variant.name());
    }
    if (!compared.equals(named)) {
      throw new IllegalArgumentException(
          "the comparison covers variants " + compared + ", the weights " + named);
    }
  }

  private static WeightShift unchanged(List<Variant> variants, VariantComparison comparison) {
    VariantEstimate fewest = comparison.estimates().get(0);
    for (VariantEstimate estimate : comparison.estimates()) {
      if (estimate.referrers() < fewest.referrers()) {
        fewest = estimate;
      }
    }
    String why =
        "no shift until every variant has "
            + comparison.minimumReferrers()
            + " referrers; "
            + fewest.variant()
            + " has "
            + fewest.referrers();
    List<WeightChange> changes = new ArrayList<>(variants.size());
    for (Variant variant : variants) {
      changes.add(
          new WeightChange(
              variant.name(),
              variant.weightBps(),
              variant.weightBps(),
              "stays at " + variant.weightBps() + ", " + why));
    }
    return new WeightShift(List.copyOf(changes));
  }

  /**
   * The point nearest the target, in squared distance, that adds up to the total with every
   * coordinate in its range: the target shifted by one common amount, then clamped. The
   * clamped sum grows piecewise linearly with the shift, so the amount is found exactly on the
   * piece where it reaches the total. The ranges must be able to hold the total.
   */
  private static double[] nearestWithin(double[] target, long[] lower, long[] upper, long total) {
    int n = target.length;
    double[] knots = new double[2 * n];
    for (int i = 0; i < n; i++) {
      knots[2 * i] = lower[i] - target[i];
      knots[2 * i + 1] = upper[i] - target[i];
    }
    Arrays.sort(knots);

    double previous = knots[0];
    double previousSum = clampedSum(target, lower, upper, previous);
    double shift = knots[2 * n - 1];
    if (previousSum >= total) {
      shift = previous;
    } else {
      for (int k = 1; k < 2 * n; k++) {
        double knot = knots[k];
        double sum = clampedSum(target, lower, upper, knot);
        if (sum >= total) {
          shift = previous + (total - previousSum) * (knot - previous) / (sum - previousSum);
          break;
        }
        previous = knot;
        previousSum = sum;
      }
    }
    double[] point = new double[n];
    for (int i = 0; i < n; i++) {
      point[i] = clamp(target[i] + shift, lower[i], upper[i]);
    }
    return point;
  }

  private static double clampedSum(double[] target, long[] lower, long[] upper, double shift) {
    double sum = 0;
    for (int i = 0; i < target.length; i++) {
      sum += clamp(target[i] + shift, lower[i], upper[i]);
    }
    return sum;
  }

  private static double clamp(double x, long lo, long hi) {
    return Math.min(Math.max(x, lo), hi);
  }
}
