package dev.spur.allocation;

import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Splits a total across channels to maximise the sum of their response curves, each channel
 * inside its range, by dynamic programming over a grid of equal steps of the money left above
 * the lower ends.
 *
 * <p>A grid search rather than equal marginal returns, because a curve shaped like an S has two
 * spends with the same slope and only one of them is worth having; on the grid the answer is
 * exact for any shape. The cost is channels times steps squared, so keep the steps modest.
 */
public final class ResponseMaximizer {

  private ResponseMaximizer() {}

  /**
   * The best split found, as real amounts that add up to {@code total}.
   *
   * @param curves each channel's value as a function of its spend
   * @param steps how many equal parts the money above the lower ends is cut into
   */
  public static double[] maximize(
      List<DoubleUnaryOperator> curves, long[] lower, long[] upper, long total, int steps) {
    int n = curves.size();
    double free = total;
    for (long lo : lower) {
      free -= lo;
    }
    double[] point = new double[n];
    for (int i = 0; i < n; i++) {
      point[i] = lower[i];
    }
    if (free <= 0) {
      return point;
    }
    double step = free / steps;

    // capacity[i] is the number of steps channel i can take; its last step may be partial.
    int[] capacity = new int[n];
    double[][] value = new double[n][];
    for (int i = 0; i < n; i++) {
      double room = upper[i] - lower[i];
      capacity[i] = (int) Math.min(steps, Math.ceil(room / step - 1e-9));
      value[i] = new double[capacity[i] + 1];
      DoubleUnaryOperator curve = curves.get(i);
      for (int k = 0; k <= capacity[i]; k++) {
        value[i][k] = curve.applyAsDouble(lower[i] + Math.min(k * step, room));
      }
    }

    // best[u] = the most value the channels seen so far make from u steps.
    double[] best = new double[steps + 1];
    double[] next = new double[steps + 1];
    int[][] choice = new int[n][steps + 1];
    java.util.Arrays.fill(best, Double.NEGATIVE_INFINITY);
    for (int k = 0; k <= capacity[0]; k++) {
      best[k] = value[0][k];
      choice[0][k] = k;
    }
    for (int i = 1; i < n; i++) {
      double[] v = value[i];
      int cap = capacity[i];
      int[] pick = choice[i];
      for (int u = 0; u <= steps; u++) {
        double top = Double.NEGATIVE_INFINITY;
        int arg = 0;
        int most = Math.min(cap, u);
        for (int k = 0; k <= most; k++) {
          double candidate = best[u - k] + v[k];
          if (candidate > top) {
            top = candidate;
            arg = k;
          }
        }
        next[u] = top;
        pick[u] = arg;
      }
      double[] swap = best;
      best = next;
      next = swap;
    }

    // Partial last steps can leave the grid's best short of every step; take the fullest.
    int units = steps;
    while (units > 0 && best[units] == Double.NEGATIVE_INFINITY) {
      units--;
    }
    for (int i = n - 1; i >= 0; i--) {
      int k = choice[i][units];
      point[i] = Math.min(lower[i] + k * step, upper[i]);
      units -= k;
    }

    // Steps clipped at an upper end leave money over; hand it to channels with room.
    double placed = 0;
    for (double x : point) {
      placed += x;
    }
    double left = total - placed;
    for (int i = 0; i < n && left > 0; i++) {
      double room = upper[i] - point[i];
      double add = Math.min(room, left);
      point[i] += add;
      left -= add;
    }
    return point;
  }
}
