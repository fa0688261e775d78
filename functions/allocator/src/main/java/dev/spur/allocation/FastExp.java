package dev.spur.allocation;

/**
 * e to a power between -745 and 0, to about twelve significant digits, from a table and a
 * short series: several times faster than {@link StrictMath#exp}, and, unlike {@link Math#exp},
 * the same on every processor, so that a run can be replayed anywhere.
 */
final class FastExp {

  private static final double LOG2E = 1.4426950408889634;
  private static final double LN2 = 0.6931471805599453;
  private static final int BITS = 10;
  private static final int SIZE = 1 << BITS;
  /** 2 to the power k / SIZE. */
  private static final double[] POWERS = new double[SIZE];

  static {
    for (int k = 0; k < SIZE; k++) {
      POWERS[k] = StrictMath.pow(2, k / (double) SIZE);
    }
  }

  private FastExp() {}

  /** exp(x) for x from -745 to 0; 0 below. */
  static double exp(double x) {
    if (x < -745) {
      return 0;
    }
    // x = (n + k / SIZE) ln 2 + r, with 0 <= r < ln 2 / SIZE.
    double scaled = x * LOG2E * SIZE;
    long whole = (long) Math.floor(scaled);
    double r = (scaled - whole) * (LN2 / SIZE);
    int k = (int) (whole & (SIZE - 1));
    long n = whole >> BITS;
    double series = 1 + r * (1 + r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24))));
    return Math.scalb(POWERS[k] * series, (int) n);
  }
}
