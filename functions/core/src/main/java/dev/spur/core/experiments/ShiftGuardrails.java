package dev.spur.core.experiments;

/**
 * Limits on how a campaign's variant weights may move, in basis points (10,000 = all
 * referrers).
 *
 * @param minWeightBps least weight any variant keeps, so that none stops being tested
 * @param maxChangeBps greatest change of one variant's weight in one run
 */
public record ShiftGuardrails(int minWeightBps, int maxChangeBps) {

  /** A minimum of 1,000 and a maximum change of 1,000 per run. */
  public static final ShiftGuardrails DEFAULT = new ShiftGuardrails(1_000, 1_000);

  public ShiftGuardrails {
    check("minWeightBps", minWeightBps);
    check("maxChangeBps", maxChangeBps);
  }

  private static void check(String name, int value) {
    if (value < 0 || value > Variant.TOTAL_BPS) {
      throw new IllegalArgumentException(name + " " + value + " must be between 0 and 10000");
    }
  }
}
