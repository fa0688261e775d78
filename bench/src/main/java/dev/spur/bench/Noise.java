package dev.spur.bench;

import java.util.SplittableRandom;

/** The random outcomes of one channel in one period, drawn from a seeded source. */
final class Noise {

  private final SplittableRandom random;

  Noise(long seed) {
    this.random = new SplittableRandom(seed);
  }

  double uniform() {
    return random.nextDouble();
  }

  double normal() {
    double u = 1.0 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
  }

  /** Poisson counts; above a mean of 30 a rounded normal stands in, which is close enough. */
  long poisson(double mean) {
    if (mean <= 0) {
      return 0;
    }
    if (mean > 30) {
      return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal()));
    }
    double limit = Math.exp(-mean);
    double product = random.nextDouble();
    long count = 0;
    while (product > limit) {
      product *= random.nextDouble();
      count++;
    }
    return count;
  }

  /** A gamma draw with mean 1 and the given coefficient of variation. */
  double shock(double cv) {
    if (cv <= 0) {
      return 1;
    }
    double shape = 1 / (cv * cv);
    return gamma(shape) / shape;
  }

  /** A gamma draw with unit scale (Marsaglia and Tsang). */
  double gamma(double shape) {
    if (shape < 1) {
      return gamma(shape + 1) * Math.pow(1.0 - random.nextDouble(), 1.0 / shape);
    }
    double d = shape - 1.0 / 3.0;
    double c = 1.0 / Math.sqrt(9.0 * d);
    while (true) {
      double z = normal();
      double v = 1.0 + c * z;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = 1.0 - random.nextDouble();
      if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }

  /**
   * The sum of {@code count} log-normal values with the given mean; beyond 30 terms a normal
   * with the same mean and variance stands in.
   */
  double logNormalSum(long count, double mean, double spread) {
    if (count <= 0) {
      return 0;
    }
    double mu = Math.log(mean) - spread * spread / 2;
    if (count > 30) {
      double variance = (Math.exp(spread * spread) - 1) * mean * mean;
      return Math.max(0, count * mean + Math.sqrt(count * variance) * normal());
    }
    double sum = 0;
    for (long k = 0; k < count; k++) {
      sum += Math.exp(mu + spread * normal());
    }
    return sum;
  }

  static long mix(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
