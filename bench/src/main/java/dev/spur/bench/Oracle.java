package dev.spur.bench;

import dev.spur.allocation.Allocation;
import dev.spur.allocation.AllocationRequest;
import dev.spur.allocation.ChannelAllocation;
import dev.spur.allocation.Envelope;
import dev.spur.allocation.LargestRemainder;
import dev.spur.allocation.ResponseMaximizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Knows every channel's true curve and carry-over and takes the best split of each period
 * under the same guardrails: a fine grid search, then exchanges between pairs of channels until
 * no exchange gains. It is greedy in time: it does not spend now for carry-over later.
 */
final class Oracle implements Policy {

  private static final int STEPS = 200;
  private static final int SWEEPS = 4;

  @Override
  public String name() {
    return "oracle";
  }

  @Override
  public Allocation decide(AllocationRequest request, Truth truth) {
    Envelope envelope = Envelope.of(request);
    int n = envelope.size();
    List<DoubleUnaryOperator> curves = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      curves.add(truth.curve(i));
    }
    long[] lower = envelope.lowers();
    long[] upper = envelope.uppers();
    double[] x = ResponseMaximizer.maximize(curves, lower, upper, request.budget(), STEPS);
    polish(curves, x, lower, upper);
    long[] amounts = LargestRemainder.apportion(x, lower, upper, request.budget());
    List<ChannelAllocation> result = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      result.add(
          new ChannelAllocation(request.channels().get(i).channel(), amounts[i], "oracle"));
    }
    return new Allocation(result, null);
  }

  /** Moves money between pairs of channels by golden-section search while it pays. */
  private static void polish(
      List<DoubleUnaryOperator> curves, double[] x, long[] lower, long[] upper) {
    int n = x.length;
    double ratio = (Math.sqrt(5) - 1) / 2;
    for (int sweep = 0; sweep < SWEEPS; sweep++) {
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          DoubleUnaryOperator fi = curves.get(i);
          DoubleUnaryOperator fj = curves.get(j);
          // Move t from j to i, within both channels' ranges.
          double lo = Math.max(lower[i] - x[i], x[j] - upper[j]);
          double hi = Math.min(upper[i] - x[i], x[j] - lower[j]);
          if (hi - lo < 1e-6) {
            continue;
          }
          double xi = x[i];
          double xj = x[j];
          double a = lo;
          double b = hi;
          double c = b - ratio * (b - a);
          double d = a + ratio * (b - a);
          double fc = fi.applyAsDouble(xi + c) + fj.applyAsDouble(xj - c);
          double fd = fi.applyAsDouble(xi + d) + fj.applyAsDouble(xj - d);
          for (int k = 0; k < 40; k++) {
            if (fc > fd) {
              b = d;
              d = c;
              fd = fc;
              c = b - ratio * (b - a);
              fc = fi.applyAsDouble(xi + c) + fj.applyAsDouble(xj - c);
            } else {
              a = c;
              c = d;
              fc = fd;
              d = a + ratio * (b - a);
              fd = fi.applyAsDouble(xi + d) + fj.applyAsDouble(xj - d);
            }
          }
          double t = (a + b) / 2;
          double now = fi.applyAsDouble(xi) + fj.applyAsDouble(xj);
          if (fi.applyAsDouble(xi + t) + fj.applyAsDouble(xj - t) > now) {
            x[i] = xi + t;
            x[j] = xj - t;
          }
        }
      }
    }
  }
}
