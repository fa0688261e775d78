package dev.spur.bench;

import dev.spur.allocation.Allocation;
import dev.spur.allocation.AllocationRequest;
import dev.spur.allocation.ChannelWindow;
import dev.spur.allocation.Envelope;
import dev.spur.allocation.LargestRemainder;
import dev.spur.allocation.ResponseMaximizer;
import dev.spur.allocation.WindowBucket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/**
 * Policies that are told part of the truth, to show what bounds the regret slope: none is a
 * baseline, and none could run in the product.
 *
 * <p>Except for the greedy oracle, each decides as a policy that counts carry-over should: by
 * a channel's steady-state value, what a spend brings per period once the same spend has run
 * long enough for its adstock to settle at spend / (1 - carry-over). That is the period's value
 * plus, roughly, what the spend carries into the periods after it.
 *
 * <ul>
 *   <li><b>greedy-oracle</b> is the oracle before it planned: each period the best split by
 *       that period's true value alone, carry-over already built up included, on the oracle's
 *       fine grid and with its exchanges. Against the oracle it shows what planning for
 *       carry-over is worth.
 *   <li><b>known-curves</b> spends by the true steady-state curves of the current period, on
 *       the learning allocator's 60-step grid and without the oracle's exchanges.
 *   <li><b>known-shape</b> knows each channel's true carry-over, Hill exponent and
 *       half-saturation spend, and learns only its reach, by least squares over the window
 *       (conversions times the window's value per conversion, as the learner reads them). It
 *       spends by the steady-state curve of that shape at the learned reach.
 *   <li><b>known-shape-all</b> is the same but learns the reach from every period it has seen,
 *       carried in the model state, so its estimate keeps sharpening after the window is full.
 * </ul>
 */
final class References {

  /** The learning allocator's default grid. */
  private static final int STEPS = 60;

  private References() {}

  /** Each reference by name, made for one market. */
  static Map<String, Function<Market, Policy>> all() {
    Map<String, Function<Market, Policy>> references = new LinkedHashMap<>();
    references.put("greedy-oracle", market -> Oracle.greedy());
    references.put("known-curves", market -> new KnownCurves());
    references.put("known-shape", market -> new KnownShape(market, false));
    references.put("known-shape-all", market -> new KnownShape(market, true));
    return references;
  }

  private static Allocation spend(AllocationRequest request, List<DoubleUnaryOperator> curves) {
    Envelope envelope = Envelope.of(request);
    long[] lower = envelope.lowers();
    long[] upper = envelope.uppers();
    double[] x = ResponseMaximizer.maximize(curves, lower, upper, request.budget(), STEPS);
    long[] amounts = LargestRemainder.apportion(x, lower, upper, request.budget());
    return Split.of(request, amounts, "reference", null);
  }

  private static final class KnownCurves implements Policy {
    @Override
    public String name() {
      return "known-curves";
    }

    @Override
    public Allocation decide(AllocationRequest request, Truth truth) {
      List<DoubleUnaryOperator> curves = new ArrayList<>();
      for (int k = 0; k < request.channels().size(); k++) {
        ChannelTruth channel = truth.channel(k);
        double settled = 1 / (1 - channel.carryover());
        curves.add(x -> channel.value(x * settled));
      }
      return spend(request, curves);
    }
  }

  /**
   * Knows the shapes, learns the reach. Its model state, when it keeps every period, holds per
   * channel the adstock and the running sums of the least-squares fit.
   */
  private static final class KnownShape implements Policy {
    private final Market market;
    private final boolean allPeriods;

    KnownShape(Market market, boolean allPeriods) {
      this.market = market;
      this.allPeriods = allPeriods;
    }

    @Override
    public String name() {
      return allPeriods ? "known-shape-all" : "known-shape";
    }

    @Override
    public Allocation decide(AllocationRequest request, Truth truth) {
      Map<String, double[]> sums = parse(allPeriods ? request.modelState() : null);
      List<DoubleUnaryOperator> curves = new ArrayList<>();
      StringBuilder state = new StringBuilder();
      for (ChannelWindow channel : request.channels()) {
        ChannelTruth shape = market.truth(market.index(channel.channel()), 0);
        List<WindowBucket> buckets = channel.buckets();
        // stock, sum h*h, sum h*conversions, conversions, value
        double[] s = sums.get(channel.channel());
        List<WindowBucket> fresh = buckets;
        if (s == null) {
          s = new double[5];
        } else if (!buckets.isEmpty()) {
          // The bench adds one bucket per run: only the newest is new to the sums.
          fresh = buckets.subList(buckets.size() - 1, buckets.size());
        }
        for (WindowBucket bucket : fresh) {
          s[0] = bucket.spend() + shape.carryover() * s[0];
          double h = shape.conversions(s[0]) / shape.maxConversions();
          s[1] += h * h;
          s[2] += h * bucket.conversions();
          s[3] += bucket.conversions();
          s[4] += bucket.lifetimeValue();
        }
        double perConversion = s[3] > 0 ? s[4] / s[3] : 0;
        double reach = s[1] > 0 ? s[2] / s[1] : 0;
        double settled = 1 / (1 - shape.carryover());
        curves.add(
            x -> reach * perConversion * shape.conversions(x * settled) / shape.maxConversions());
        state.append(channel.channel());
        for (double v : s) {
          state.append(':').append(Double.toString(v));
        }
        state.append(';');
      }
      Allocation allocation = spend(request, curves);
      return new Allocation(allocation.channels(), allPeriods ? state.toString() : null);
    }

    private static Map<String, double[]> parse(String state) {
      Map<String, double[]> sums = new HashMap<>();
      if (state == null || state.isEmpty()) {
        return sums;
      }
      for (String entry : state.split(";")) {
        String[] fields = entry.split(":");
        double[] s = new double[5];
        for (int k = 0; k < 5; k++) {
          s[k] = Double.parseDouble(fields[k + 1]);
        }
        sums.put(fields[0], s);
      }
      return sums;
    }
  }
}
