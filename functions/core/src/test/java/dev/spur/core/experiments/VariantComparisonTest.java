package dev.spur.core.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VariantComparisonTest {

  private static final long SEED = 20_260_401L;

  /** Results whose every conversion costs {@code cost} and brings {@code revenue}. */
  private static VariantResults results(
      String variant, long referrers, long conversions, long cost, long revenue) {
    return new VariantResults(
        variant, referrers, conversions, conversions * cost, conversions * revenue);
  }

  private static double probabilitySum(VariantComparison comparison) {
    double sum = 0;
    for (VariantEstimate estimate : comparison.estimates()) {
      sum += estimate.probabilityBest();
    }
    return sum;
  }

  @Test
  void aClearWinnerIsCalled() {
    VariantComparison comparison =
        VariantComparison.of(
            List.of(
                results("cash", 1_000, 300, 1_000, 6_000),
                results("discount", 1_000, 150, 500, 6_000)),
            SEED);

    VariantEstimate cash = comparison.estimate("cash");
    assertTrue(cash.probabilityBest() > 0.99, "P(best) " + cash.probabilityBest());
    assertEquals(
        new Decision.Winner(
            "cash",
            cash.probabilityBest(),
            "cash is best with P(best) 1.00, every variant with at least 100 referrers"),
        comparison.decision());
    // Cash wins every draw, so choosing it gives nothing up and choosing discount gives up the
    // difference of their values per referrer.
    VariantEstimate discount = comparison.estimate("discount");
    assertEquals(0.0, cash.expectedLoss());
    double gap = cash.valuePerReferrer() - discount.valuePerReferrer();
    assertEquals(gap, discount.expectedLoss(), gap * 0.01);
  }

  @Test
  void posteriorMeansFollowTheGammaPoissonModelAndThePluggedInValue() {
    // cash: 30 conversions from 199 referrers, net 4000 each; discount: 10 from 200, net 1000.
    VariantComparison comparison =
        VariantComparison.of(
            List.of(
                results("cash", 199, 30, 1_000, 5_000),
                results("discount", 200, 10, 500, 1_500)),
            SEED);

    // Prior Gamma(1, 1): rate (1 + conversions) / (1 + referrers). Overall net per conversion
    // 130000 / 40 = 3250, worth one conversion in each variant's mean.
    VariantEstimate cash = comparison.estimate("cash");
    assertEquals(31.0 / 200, cash.conversionRate(), 1e-12);
    assertEquals((120_000 + 3_250) / 31.0, cash.valuePerConversion(), 1e-9);
    assertEquals(31.0 / 200 * ((120_000 + 3_250) / 31.0), cash.valuePerReferrer(), 1e-9);
    VariantEstimate discount = comparison.estimate("discount");
    assertEquals(11.0 / 201, discount.conversionRate(), 1e-12);
    assertEquals((10_000 + 3_250) / 11.0, discount.valuePerConversion(), 1e-9);
    assertEquals(199, cash.referrers());
  }

  @Test
  void aVariantWithoutConversionsTakesTheOverallValuePerConversion() {
    VariantComparison comparison =
        VariantComparison.of(
            List.of(results("cash", 100, 20, 200, 2_200), results("points", 100, 0, 0, 0)),
            SEED);

    assertEquals(2_000, comparison.estimate("points").valuePerConversion(), 1e-9);
    assertEquals(1.0 / 101 * 2_000, comparison.estimate("points").valuePerReferrer(), 1e-9);
  }

  @Test
  void twoVariantsMatchTheExactBetaIntegral() {
    // Same net value per conversion, so cash is best exactly when its rate is higher. With
    // rates Gamma(a, r1) and Gamma(b, r2), that happens with probability
    // P(Binomial(a + b - 1, r1 / (r1 + r2)) <= a - 1).
    VariantComparison comparison =
        VariantComparison.of(
            List.of(
                results("cash", 250, 30, 500, 1_500), results("discount", 200, 22, 500, 1_500)),
            SEED,
            100_000,
            100);

    double exact = binomialAtMost(31 + 23 - 1, 251.0 / (251 + 201), 31 - 1);
    assertEquals(exact, comparison.estimate("cash").probabilityBest(), 0.01);
    assertEquals(1 - exact, comparison.estimate("discount").probabilityBest(), 0.01);
  }

  private static double binomialAtMost(int trials, double p, int most) {
    double sum = 0;
    double term = Math.pow(1 - p, trials);
    for (int j = 0; j <= most; j++) {
      sum += term;
      term = term * (trials - j) / (j + 1) * p / (1 - p);
    }
    return sum;
  }

  @Test
  void equalDataGivesEveryVariantAnEvenChance() {
    for (int k = 2; k <= 8; k++) {
      List<VariantResults> equal = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        equal.add(results("v" + i, 300, 30, 1_000, 4_000));
      }

      VariantComparison comparison = VariantComparison.of(equal, SEED + k);

      for (VariantEstimate estimate : comparison.estimates()) {
        assertEquals(1.0 / k, estimate.probabilityBest(), 0.02, k + " variants");
      }
      assertEquals(1.0, probabilitySum(comparison), 1e-9);
      assertInstanceOf(Decision.KeepTesting.class, comparison.decision());
    }
  }

  @Test
  void variantsWithoutValueTieInEveryDrawAndShareTheWinEvenly() {
    VariantComparison comparison =
        VariantComparison.of(
            List.of(results("a", 100, 0, 0, 0), results("b", 100, 5, 0, 0)), SEED);

    assertEquals(0.5, comparison.estimate("a").probabilityBest(), 1e-12);
    assertEquals(0.5, comparison.estimate("b").probabilityBest(), 1e-12);
    assertEquals(0.0, comparison.estimate("a").expectedLoss());
  }

  @Test
  void probabilitiesAddUpToOneAndLossesAreNeverNegative() {
    Random random = new Random(7);
    for (int run = 0; run < 200; run++) {
      int k = 1 + random.nextInt(8);
      List<VariantResults> results = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        long referrers = random.nextInt(2_000);
        long conversions = random.nextInt(500);
        results.add(
            new VariantResults(
                "v" + i,
                referrers,
                conversions,
                conversions * random.nextInt(3_000),
                conversions * random.nextInt(3_000)));
      }

      VariantComparison comparison = VariantComparison.of(results, run, 2_000, 100);

      assertEquals(1.0, probabilitySum(comparison), 1e-9, "run " + run);
      VariantEstimate leastLoss = comparison.estimates().get(0);
      for (VariantEstimate estimate : comparison.estimates()) {
        assertTrue(estimate.expectedLoss() >= 0, "run " + run);
        assertTrue(estimate.probabilityBest() >= 0 && estimate.probabilityBest() <= 1);
        if (estimate.expectedLoss() < leastLoss.expectedLoss()) {
          leastLoss = estimate;
        }
      }
      if (k == 1) {
        assertEquals(1.0, leastLoss.probabilityBest());
        assertEquals(0.0, leastLoss.expectedLoss());
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameNumbers() {
    List<VariantResults> results =
        List.of(
            results("cash", 400, 44, 1_000, 3_000),
            results("discount", 380, 40, 600, 2_900),
            results("points", 420, 41, 300, 2_500));

    VariantComparison first = VariantComparison.of(results, SEED);
    VariantComparison second = VariantComparison.of(results, SEED);
    VariantComparison otherSeed = VariantComparison.of(results, SEED + 1);

    assertEquals(first.estimates(), second.estimates());
    assertEquals(first.decision(), second.decision());
    assertNotEquals(first.estimates(), otherSeed.estimates());
  }

  @Test
  void tooFewReferrersKeepTheTestRunningWhateverTheCertainty() {
    List<VariantResults> results =
        List.of(results("cash", 120, 60, 1_000, 6_000), results("discount", 50, 2, 1_000, 6_000));

    VariantComparison comparison = VariantComparison.of(results, SEED);

    assertTrue(comparison.estimate("cash").probabilityBest() >= 0.95);
    assertEquals(
        new Decision.KeepTesting("discount has 50 referrers, 100 needed per variant"),
        comparison.decision());
  }

  @Test
  void theMinimumSampleIsConfigurable() {
    List<VariantResults> results =
        List.of(results("cash", 120, 60, 1_000, 6_000), results("discount", 50, 2, 1_000, 6_000));

    VariantComparison comparison = VariantComparison.of(results, SEED, 20_000, 50);

    Decision.Winner winner = assertInstanceOf(Decision.Winner.class, comparison.decision());
    assertEquals("cash", winner.variant());
    assertTrue(comparison.hasMinimumSample());
  }

  @Test
  void aLeadShortOfCertaintyKeepsTheTestRunning() {
    List<VariantResults> results =
        List.of(results("cash", 500, 60, 500, 2_500), results("discount", 500, 55, 500, 2_500));

    VariantComparison comparison = VariantComparison.of(results, SEED);

    double cash = comparison.estimate("cash").probabilityBest();
    assertTrue(cash > 0.5 && cash < 0.95, "P(best) " + cash);
    Decision.KeepTesting keep =
        assertInstanceOf(Decision.KeepTesting.class, comparison.decision());
    assertTrue(
        keep.reason().matches("cash leads with P\\(best\\) 0\\.[5-9][0-9], 0\\.95 needed"),
        keep.reason());
  }

  @Test
  void bothShortcomingsAreNamed() {
    List<VariantResults> results =
        List.of(results("cash", 60, 6, 500, 2_500), results("discount", 40, 4, 500, 2_500));

    VariantComparison comparison = VariantComparison.of(results, SEED);

    Decision.KeepTesting keep =
        assertInstanceOf(Decision.KeepTesting.class, comparison.decision());
    assertTrue(
        keep.reason()
            .matches(
                "discount has 40 referrers, 100 needed per variant; "
                    + "(cash|discount) leads with P\\(best\\) 0\\.[0-9][0-9], 0\\.95 needed"),
        keep.reason());
  }

  @Test
  void probabilitiesInReasonsRoundDownSoNoThresholdLooksReached() {
    assertEquals("0.94", VariantComparison.probability(0.9499));
    assertEquals("0.29", VariantComparison.probability(0.29));
    assertEquals("1.00", VariantComparison.probability(1.0));
    assertEquals("0.00", VariantComparison.probability(0.0));
  }

  @Test
  void malformedComparisonsAreRefused() {
    VariantResults cash = results("cash", 10, 1, 1, 1);
    assertThrows(IllegalArgumentException.class, () -> VariantComparison.of(List.of(), SEED));
    assertEquals(
        "variant cash is repeated",
        assertThrows(
                IllegalArgumentException.class,
                () -> VariantComparison.of(List.of(cash, cash), SEED))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> VariantComparison.of(List.of(cash), SEED, 0, 100));
    assertThrows(
        IllegalArgumentException.class, () -> VariantComparison.of(List.of(cash), SEED, 10, -1));
    assertEquals(
        "variant cash: conversions -1 must not be negative",
        assertThrows(IllegalArgumentException.class, () -> new VariantResults("cash", 1, -1, 0, 0))
            .getMessage());
  }
}
