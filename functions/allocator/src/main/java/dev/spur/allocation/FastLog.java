package dev.spur.allocation;

/**
 * A natural logarithm of a positive number, to about twelve significant digits, from a table
 * and a short series: several times faster than {@link StrictMath#log}, and, unlike {@link
 * Math#log}, the same on every processor, so that a run can be replayed anywhere.
 */
final class FastLog {

  private static final double LN2 = 0.6931471805599453;
  private static final int BITS = 10;
  private static final int SIZE = 1 << BITS;
  private static final long MANTISSA = 0x000fffffffffffffL;
  private static final long ONE = 0x3ff0000000000000L;
  /** log(1 + k / SIZE), and the reciprocal of 1 + k / SIZE. */
  private static final double[] LOGS = new double[SIZE];
  private static final double[] RECIPROCALS = new double[SIZE];

  static {
    for (int k = 0; k < SIZE; k++) {
      double m = 1 + k / (double) SIZE;
      LOGS[k] = StrictMath.log(m);
      RECIPROCALS[k] = 1 / m;
    }
  }

  private FastLog() {}

  /** log(x) for a positive, finite, normal x. */
  static double log(double x) {
    long bits = Double.doubleToRawLongBits(x);
    int exponent = (int) (bits >>> 52) - 1023;
    int k = (int) (bits >>> (52 - BITS)) & (SIZE - 1);
    double m = Double.longBitsToDouble((bits & MANTISSA) | ONE);
    // m lies just above 1 + k / SIZE; log m is the table's value plus log(1 + r), r < 1 / SIZE.
    double r = (m - (1 + k * (1.0 / SIZE))) * RECIPROCALS[k];
    return exponent * LN2 + LOGS[k] + r * (1 - r * (0.5 - r * (1.0 / 3)));
  }
}
