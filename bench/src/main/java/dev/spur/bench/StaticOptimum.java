package dev.spur.bench;

import dev.spur.allocation.Allocation;
import dev.spur.allocation.AllocationRequest;
import dev.spur.allocation.Allocator;
import dev.spur.allocation.ChannelWindow;
import dev.spur.allocation.Envelope;
import dev.spur.allocation.LargestRemainder;
import dev.spur.allocation.ResponseMaximizer;
import dev.spur.allocation.WindowBucket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * Baseline in the manner of a marketing-mix model: for the first weeks it runs the historical
 * split with some deliberate variation, then fits one Hill curve per channel by least squares
 * on those weeks and from then on spends by those curves, never refitting.
 */
final class StaticOptimum implements Allocator {

  static final int FIT_AFTER = 28;
  private static final double[] EXPONENTS = {1.0, 1.5, 2.0, 2.5};
  private static final int HALF_POINTS = 16;

  @Override
  public Allocation allocate(AllocationRequest request) {
    String state = request.modelState();
    if (state != null && state.startsWith("fit;")) {
      return spendByCurves(request, state, parseCurves(state));
    }
    int runs = 0;
    String reference = null;
    if (state != null && state.startsWith("warm;")) {
      String[] parts = state.split(";", 3);
      runs = Integer.parseInt(parts[1]);
      reference = parts[2];
    }
    if (runs >= FIT_AFTER) {
      String fitted = fit(request);
      return spendByCurves(request, fitted, parseCurves(fitted));
    }
    return warmUp(request, runs, reference);
  }

  /** The historical split, each channel moved up or down by up to a quarter. */
  private Allocation warmUp(AllocationRequest request, int runs, String reference) {
    List<ChannelWindow> channels = request.channels();
    int n = channels.size();
    double[] base = new double[n];
    if (reference == null) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < n; i++) {
        base[i] = channels.get(i).currentAllocation();
        text.append(i == 0 ? "" : ",").append(Math.round(base[i]));
      }
      reference = text.toString();
    } else {
      String[] parts = reference.split(",");
      for (int i = 0; i < n && i < parts.length; i++) {
        base[i] = Double.parseDouble(parts[i]);
      }
    }
    Noise noise = new Noise(request.seed());
    double[] weights = new double[n];
    for (int i = 0; i < n; i++) {
      weights[i] = base[i] * (0.75 + 0.5 * noise.uniform());
    }
    return Split.proportional(
        request, weights, "historical split, varied", "warm;" + (runs + 1) + ";" + reference);
  }

  private Allocation spendByCurves(
      AllocationRequest request, String state, Map<String, double[]> curves) {
    Envelope envelope = Envelope.of(request);
    List<DoubleUnaryOperator> list = new ArrayList<>();
    for (ChannelWindow channel : request.channels()) {
      double[] c = curves.get(channel.channel());
      if (c == null || !channel.enabled()) {
        list.add(x -> 0.0);
      } else {
        list.add(x -> c[0] * hill(x, c[1], c[2]));
      }
    }
    double[] point =
        ResponseMaximizer.maximize(
            list, envelope.lowers(), envelope.uppers(), request.budget(), 100);
    long[] amounts =
        LargestRemainder.apportion(
            point, envelope.lowers(), envelope.uppers(), request.budget());
    return Split.of(request, amounts, "fitted once", state);
  }

  /** Least squares over a grid of shapes, the scale solved exactly for each. */
  private String fit(AllocationRequest request) {
    StringBuilder state = new StringBuilder("fit;");
    double typical = Math.max(1.0, (double) request.budget() / request.channels().size());
    for (ChannelWindow channel : request.channels()) {
      List<WindowBucket> buckets = channel.buckets();
      double bestError = Double.POSITIVE_INFINITY;
      double[] best = {0, typical, 1};
      for (double exponent : EXPONENTS) {
        for (int g = 0; g < HALF_POINTS; g++) {
          double half = typical * 0.1 * Math.pow(320.0, g / (double) (HALF_POINTS - 1));
          double shh = 0;
          double shv = 0;
          double svv = 0;
          for (WindowBucket bucket : buckets) {
            double h = hill(bucket.spend(), half, exponent);
            double v = Split.lifetimeValue(bucket);
            shh += h * h;
            shv += h * v;
            svv += v * v;
          }
          if (shh <= 0) {
            continue;
          }
          double beta = Math.max(0, shv / shh);
          double error = svv - 2 * beta * shv + beta * beta * shh;
          if (error < bestError) {
            bestError = error;
            best = new double[] {beta, half, exponent};
          }
        }
      }
      state.append(
          String.format(
              Locale.ROOT,
              "%s=%.6g/%.6g/%.6g|",
              channel.channel(),
              best[0],
              best[1],
              best[2]));
    }
    return state.toString();
  }

  private static Map<String, double[]> parseCurves(String state) {
    Map<String, double[]> curves = new HashMap<>();
    for (String entry : state.substring(4).split("\\|")) {
      int eq = entry.lastIndexOf('=');
      if (eq < 0) {
        continue;
      }
      String[] numbers = entry.substring(eq + 1).split("/");
      curves.put(
          entry.substring(0, eq),
          new double[] {
            Double.parseDouble(numbers[0]),
            Double.parseDouble(numbers[1]),
            Double.parseDouble(numbers[2])
          });
    }
    return curves;
  }

  private static double hill(double x, double half, double exponent) {
    if (x <= 0) {
      return 0;
    }
    double p = Math.pow(x / half, exponent);
    return p / (1 + p);
  }
}
