package dev.spur.allocation;

import java.util.Arrays;

/**
 * The nearest point, in squared distance, to a wished-for split that adds up to the total and
 * keeps every channel inside its range: each channel gets its wish shifted by one common amount
 * and clamped, and that amount is found exactly from the sorted breakpoints.
 */
final class BoxProjection {

  private BoxProjection() {}

  static double[] project(double[] wish, long[] lower, long[] upper, long total) {
    int n = wish.length;
    double[] breaks = new double[2 * n];
    for (int i = 0; i < n; i++) {
      breaks[2 * i] = lower[i] - wish[i];
      breaks[2 * i + 1] = upper[i] - wish[i];
    }
    Arrays.sort(breaks);

    // The clamped sum is piecewise linear and non-decreasing in the shift: find the piece
    // where it crosses the total, then solve that piece's line.
    double lo = breaks[0];
    double sumLo = clampedSum(wish, lower, upper, lo);
    double shift = lo;
    if (sumLo < total) {
      shift = breaks[2 * n - 1];
      for (int k = 1; k < 2 * n; k++) {
        double hi = breaks[k];
        double sumHi = clampedSum(wish, lower, upper, hi);
        if (sumHi >= total) {
          shift = sumHi == sumLo ? hi : lo + (total - sumLo) * (hi - lo) / (sumHi - sumLo);
          break;
        }
        lo = hi;
        sumLo = sumHi;
      }
    }
    double[] point = new double[n];
    for (int i = 0; i < n; i++) {
      point[i] = clamp(wish[i] + shift, lower[i], upper[i]);
    }
    return point;
  }

  private static double clampedSum(double[] wish, long[] lower, long[] upper, double shift) {
    double sum = 0;
    for (int i = 0; i < wish.length; i++) {
      sum += clamp(wish[i] + shift, lower[i], upper[i]);
    }
    return sum;
  }

  private static double clamp(double x, long lo, long hi) {
    return Math.min(Math.max(x, lo), hi);
  }
}
