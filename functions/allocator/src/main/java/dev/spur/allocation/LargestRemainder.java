package dev.spur.allocation;

/**
 * Turns a real-valued split into whole minor units that add up to the total exactly, each
 * inside its range: every amount is rounded down, then the units left over go one each to the
 * largest fractional parts, ties going to the earlier channel.
 */
public final class LargestRemainder {

  private LargestRemainder() {}

  /**
   * Rounds {@code shares} to whole units summing to {@code total}, keeping each within
   * {@code [lower[i], upper[i]]}; the shares are first clamped into their ranges.
   *
   * @throws IllegalArgumentException when the ranges cannot hold the total
   */
  public static long[] apportion(double[] shares, long[] lower, long[] upper, long total) {
    int n = shares.length;
    long[] amounts = new long[n];
    double[] fraction = new double[n];
    long sum = 0;
    long lowSum = 0;
    long highSum = 0;
    for (int i = 0; i < n; i++) {
      double x = Math.min(Math.max(shares[i], lower[i]), upper[i]);
      long whole = (long) Math.floor(x);
      whole = Math.min(Math.max(whole, lower[i]), upper[i]);
      amounts[i] = whole;
      fraction[i] = x - whole;
      sum += whole;
      lowSum += lower[i];
      highSum += upper[i];
    }
    if (lowSum > total || highSum < total) {
      throw new IllegalArgumentException("the ranges cannot hold the total");
    }

    // Largest fraction first; equal fractions keep channel order. Channels are few, so a
    // stable insertion sort is quicker here than a general one.
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      int at = i;
      while (at > 0 && fraction[order[at - 1]] < fraction[i]) {
        order[at] = order[at - 1];
        at--;
      }
      order[at] = i;
    }
    // Floating-point error can leave the rounded sum a unit or more off either way; the loops
    // below walk the order as often as needed, so they end whenever the ranges hold the total.
    while (sum < total) {
      for (int k = 0; k < n && sum < total; k++) {
        int i = order[k];
        if (amounts[i] < upper[i]) {
          amounts[i]++;
          sum++;
        }
      }
    }
    while (sum > total) {
      for (int k = n - 1; k >= 0 && sum > total; k--) {
        int i = order[k];
        if (amounts[i] > lower[i]) {
          amounts[i]--;
          sum--;
        }
      }
    }
    return amounts;
  }
}
