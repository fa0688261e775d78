package dev.spur.core.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightShiftTest {

  private static final long SEED = 99L;

  /** Results whose every conversion nets 2000 minor units. */
  private static VariantResults results(String variant, long referrers, long conversions) {
    return new VariantResults(
        variant, referrers, conversions, conversions * 500, conversions * 2_500);
  }

  /** Results with no value at all: every draw ties, so P(best) is exactly even. */
  private static VariantResults noValue(String variant, long referrers) {
    return new VariantResults(variant, referrers, 0, 0, 0);
  }

  private static List<Integer> weights(WeightShift shift) {
    List<Integer> weights = new ArrayList<>();
    for (WeightChange change : shift.changes()) {
      weights.add(change.toBps());
    }
    return weights;
  }

  private static List<String> reasons(WeightShift shift) {
    List<String> reasons = new ArrayList<>();
    for (WeightChange change : shift.changes()) {
      reasons.add(change.reason());
    }
    return reasons;
  }

  @Test
  void aCertainWinnerGainsNoMoreThanTheMaxChange() {
    VariantComparison comparison =
        VariantComparison.of(
            List.of(results("cash", 1_000, 500), results("discount", 1_000, 100)), SEED);
    assertEquals(1.0, comparison.estimate("cash").probabilityBest());

    WeightShift shift =
        WeightShift.of(
            List.of(new Variant("cash", 5_000), new Variant("discount", 5_000)), comparison);

    assertEquals(List.of(6_000, 4_000), weights(shift));
    assertEquals(
        List.of(
            "P(best) 1.00, target 10000: 5000 to 6000, held by the 1000 max change",
            "P(best) 0.00, target 0: 5000 to 4000, held by the 1000 max change"),
        reasons(shift));
    assertEquals(
        List.of(new Variant("cash", 6_000), new Variant("discount", 4_000)), shift.variants());
    assertTrue(shift.changed());
  }

  @Test
  void whatTheWinnerCannotTakeIsSharedEvenlyByTheOthers() {
    // Targets 10000, 0, 0. Cash can rise only to 4334, so the other two come down from 3333
    // by the same amount each until the weights add up again: 2833 apiece.
    VariantComparison comparison =
        VariantComparison.of(
            List.of(
                results("cash", 1_000, 500),
                results("discount", 1_000, 100),
                results("points", 1_000, 100)),
            SEED);

    WeightShift shift =
        WeightShift.of(
            List.of(
                new Variant("cash", 3_334),
                new Variant("discount", 3_333),
                new Variant("points", 3_333)),
            comparison);

    assertEquals(List.of(4_334, 2_833, 2_833), weights(shift));
    assertEquals(
        List.of(
            "P(best) 1.00, target 10000: 3334 to 4334, held by the 1000 max change",
            "P(best) 0.00, target 0: 3333 to 2833, limited by the other variants' guardrails",
            "P(best) 0.00, target 0: 3333 to 2833, limited by the other variants' guardrails"),
        reasons(shift));
  }

  @Test
  void aLoserStopsAtTheMinimumWeight() {
    VariantComparison comparison =
        VariantComparison.of(
            List.of(results("cash", 1_000, 100), results("discount", 1_000, 500)), SEED);

    WeightShift shift =
        WeightShift.of(
            List.of(new Variant("cash", 1_500), new Variant("discount", 8_500)), comparison);

    assertEquals(List.of(1_000, 9_000), weights(shift));
    assertEquals(
        List.of(
            "P(best) 0.00, target 0: 1500 to 1000, held at the 1000 minimum weight",
            "P(best) 1.00, target 10000: 8500 to 9000, limited by the other variants' guardrails"),
        reasons(shift));
  }

  @Test
  void evenChancesMoveWeightsToEvenWithTheSpareUnitToTheFirstVariant() {
    VariantComparison comparison =
        VariantComparison.of(
            List.of(noValue("a", 200), noValue("b", 200), noValue("c", 200)), SEED);

    WeightShift shift =
        WeightShift.of(
            List.of(new Variant("a", 5_000), new Variant("b", 2_500), new Variant("c", 2_500)),
            comparison,
            new ShiftGuardrails(1_000, 3_000));

    assertEquals(List.of(3_334, 3_333, 3_333), weights(shift));
    assertEquals(
        List.of(
            "P(best) 0.33, target 3333: 5000 to 3334, at its target",
            "P(best) 0.33, target 3333: 2500 to 3333, at its target",
            "P(best) 0.33, target 3333: 2500 to 3333, at its target"),
        reasons(shift));
  }

  @Test
  void aStepTooSmallForTheTargetIsHeldAndTheRestFollow() {
    VariantComparison comparison =
        VariantComparison.of(
            List.of(noValue("a", 200), noValue("b", 200), noValue("c", 200)), SEED);

    WeightShift shift =
        WeightShift.of(
            List.of(new Variant("a", 6_000), new Variant("b", 2_000), new Variant("c", 2_000)),
            comparison,
            new ShiftGuardrails(1_000, 2_000));

    assertEquals(List.of(4_000, 3_000, 3_000), weights(shift));
    assertEquals(
        List.of(
            "P(best) 0.33, target 3333: 6000 to 4000, held by the 2000 max change",
            "P(best) 0.33, target 3333: 2000 to 3000, limited by the other variants' guardrails",
            "P(best) 0.33, target 3333: 2000 to 3000, limited by the other variants' guardrails"),
        reasons(shift));
  }

  @Test
  void aVariantBelowTheMinimumIsBroughtUpToIt() {
    VariantComparison comparison =
        VariantComparison.of(
            List.of(results("cash", 1_000, 100), results("discount", 1_000, 500)), SEED);

    WeightShift shift =
        WeightShift.of(
            List.of(new Variant("cash", 500), new Variant("discount", 9_500)), comparison);

    assertEquals(List.of(1_000, 9_000), weights(shift));
    assertEquals(
        "P(best) 0.00, target 0: 500 to 1000, held at the 1000 minimum weight",
        shift.changes().get(0).reason());
  }

  @Test
  void theMaxChangeYieldsWhenTheMinimumCannotBeReachedOtherwise() {
    VariantComparison comparison =
        VariantComparison.of(
            List.of(results("a", 1_000, 100), results("b", 1_000, 100), results("c", 1_000, 500)),
            SEED);

    WeightShift shift =
        WeightShift.of(
            List.of(new Variant("a", 0), new Variant("b", 0), new Variant("c", 10_000)),
            comparison,
            new ShiftGuardrails(1_000, 500));

    assertEquals(List.of(1_000, 1_000, 8_000), weights(shift));
    assertEquals(
        List.of(
            "P(best) 0.00, target 0: 0 to 1000, held at the 1000 minimum weight",
            "P(best) 0.00, target 0: 0 to 1000, held at the 1000 minimum weight",
            "P(best) 1.00, target 10000: 10000 to 8000, beyond the 500 max change, to bring the"
                + " others up to the 1000 minimum weight"),
        reasons(shift));
  }

  @Test
  void nothingMovesBelowTheMinimumSample() {
    VariantComparison comparison =
        VariantComparison.of(
            List.of(results("cash", 1_000, 500), results("discount", 99, 5)), SEED);

    WeightShift shift =
        WeightShift.of(
            List.of(new Variant("cash", 5_000), new Variant("discount", 5_000)), comparison);

    assertEquals(List.of(5_000, 5_000), weights(shift));
    assertFalse(shift.changed());
    assertEquals(
        List.of(
            "stays at 5000, no shift until every variant has 100 referrers; discount has 99",
            "stays at 5000, no shift until every variant has 100 referrers; discount has 99"),
        reasons(shift));
  }

  @Test
  void weightsAlwaysAddUpAndKeepTheGuardrails() {
    Random random = new Random(11);
    for (int run = 0; run < 500; run++) {
      int k = 1 + random.nextInt(8);
      int min = random.nextInt(10_000 / k + 1);
      int maxChange = random.nextInt(10_001);
      List<Variant> current = randomWeights(random, k, min);
      List<VariantResults> results = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        long referrers = 100 + random.nextInt(2_000);
        long conversions = random.nextInt(300);
        results.add(
            new VariantResults(
                "v" + i,
                referrers,
                conversions,
                conversions * random.nextInt(2_000),
                conversions * random.nextInt(4_000)));
      }
      VariantComparison comparison = VariantComparison.of(results, run, 1_000, 100);

      WeightShift shift =
          WeightShift.of(current, comparison, new ShiftGuardrails(min, maxChange));

      int sum = 0;
      for (int i = 0; i < k; i++) {
        WeightChange change = shift.changes().get(i);
        String where = "run " + run + ", " + change.reason();
        assertEquals(current.get(i).weightBps(), change.fromBps(), where);
        assertTrue(change.toBps() >= min, where);
        assertTrue(Math.abs(change.toBps() - change.fromBps()) <= maxChange, where);
        sum += change.toBps();
      }
      assertEquals(10_000, sum, "run " + run);
    }
  }

  @Test
  void weightsAddUpAndReachTheMinimumFromAnyStart() {
    Random random = new Random(12);
    for (int run = 0; run < 300; run++) {
      int k = 1 + random.nextInt(8);
      int min = random.nextInt(10_000 / k + 1);
      int maxChange = random.nextInt(3_000);
      List<Variant> current = randomWeights(random, k, 0);
      List<VariantResults> results = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        results.add(results("v" + i, 100 + random.nextInt(1_000), random.nextInt(200)));
      }
      VariantComparison comparison = VariantComparison.of(results, run, 1_000, 100);

      WeightShift shift =
          WeightShift.of(current, comparison, new ShiftGuardrails(min, maxChange));

      int sum = 0;
      for (WeightChange change : shift.changes()) {
        assertTrue(change.toBps() >= min, "run " + run + ", " + change.reason());
        sum += change.toBps();
      }
      assertEquals(10_000, sum, "run " + run);
    }
  }

  /** k variants with random weights of at least {@code min}, adding up to 10,000. */
  private static List<Variant> randomWeights(Random random, int k, int min) {
    int spare = 10_000 - k * min;
    int[] cuts = new int[k + 1];
    cuts[k] = spare;
    for (int i = 1; i < k; i++) {
      cuts[i] = random.nextInt(spare + 1);
    }
    Arrays.sort(cuts, 1, k);
    List<Variant> variants = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      variants.add(new Variant("v" + i, min + cuts[i + 1] - cuts[i]));
    }
    return variants;
  }

  @Test
  void infeasibleGuardrailsAreRefused() {
    List<Variant> four =
        List.of(
            new Variant("a", 2_500),
            new Variant("b", 2_500),
            new Variant("c", 2_500),
            new Variant("d", 2_500));
    VariantComparison comparison =
        VariantComparison.of(
            List.of(
                results("a", 100, 1),
                results("b", 100, 1),
                results("c", 100, 1),
                results("d", 100, 1)),
            SEED);

    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> WeightShift.of(four, comparison, new ShiftGuardrails(3_000, 1_000)));
    assertEquals(
        "minimum weight 3000 for 4 variants needs 12000, more than 10000", refused.getMessage());
    assertEquals(
        "minWeightBps -1 must be between 0 and 10000",
        assertThrows(IllegalArgumentException.class, () -> new ShiftGuardrails(-1, 1_000))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ShiftGuardrails(1_000, -1));
    assertEquals(
        List.of(2_500, 2_500, 2_500, 2_500),
        weights(WeightShift.of(four, comparison, new ShiftGuardrails(2_500, 1_000))));
  }

  @Test
  void aComparisonOfOtherVariantsIsRefused() {
    VariantComparison comparison =
        VariantComparison.of(List.of(results("cash", 100, 1), results("points", 100, 1)), SEED);

    assertThrows(
        IllegalArgumentException.class,
        () ->
            WeightShift.of(
                List.of(new Variant("cash", 5_000), new Variant("discount", 5_000)), comparison));
  }
}
