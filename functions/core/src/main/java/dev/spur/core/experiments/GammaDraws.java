package dev.spur.core.experiments;

import java.util.SplittableRandom;

/**
 * Gamma-distributed draws from a seeded source, written out so that a seed gives the same
 * numbers on every Java version and processor (hence {@code StrictMath}): Marsaglia and Tsang's
 * squeeze method on Box-Muller normals.
 */
final class GammaDraws {

  private final SplittableRandom random;

  GammaDraws(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /**
   * A draw from the gamma distribution of the given shape and rate (mean shape / rate). The
   * method needs a shape of at least 1, which the comparison's prior guarantees.
   */
  double gamma(double shape, double rate) {
    if (!(shape >= 1) || !(rate > 0)) {
      throw new IllegalArgumentException("shape must be at least 1 and rate positive");
    }
    double d = shape - 1.0 / 3.0;
    double c = 1.0 / Math.sqrt(9.0 * d);
    while (true) {
      double x = normal();
      double t = 1.0 + c * x;
      if (t <= 0) {
        continue;
      }
      double v = t * t * t;
      double u = random.nextDouble();
      double xx = x * x;
      if (u < 1.0 - 0.0331 * xx * xx
          || StrictMath.log(u) < 0.5 * xx + d * (1.0 - v + StrictMath.log(v))) {
        return d * v / rate;
      }
    }
  }

  private double normal() {
    double u = 1.0 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2.0 * StrictMath.log(u)) * StrictMath.cos(2.0 * Math.PI * v);
  }
}
