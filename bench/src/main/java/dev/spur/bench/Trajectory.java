package dev.spur.bench;

import dev.spur.allocation.Allocation;
import dev.spur.allocation.AllocationRequest;
import dev.spur.allocation.ChannelWindow;
import dev.spur.allocation.InfeasibleGuardrailsException;
import dev.spur.allocation.RuleAudit;
import dev.spur.allocation.WindowBucket;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one policy through one scenario and seed: each period it shows the policy the window,
 * applies its allocation, scores the expected lifetime value bought and draws the noisy results
 * the next window will show.
 *
 * <p>Before the first run the campaign has already run its status quo split for a full window,
 * so every policy starts with the same history. Every policy sees the same random numbers in
 * the same period and channel, so differences between policies come from their decisions, not
 * from luck. Each channel spends its whole
 * allocation, and nothing is committed when a run starts.
 */
final class Trajectory {

  /** What one run of a policy came to. */
  record Result(
      double[] value,
      int violations,
      List<String> firstViolations,
      double churn,
      long totalNanos,
      long maxNanos,
      int runs) {}

  /**
   * Times each decision in processor time of the running thread, which other work on a shared
   * machine inflates far less than wall-clock time.
   */
  private static final ThreadMXBean CLOCK = ManagementFactory.getThreadMXBean();

  private Trajectory() {}

  static Result run(Scenario scenario, Market market, Policy policy, long seed) {
    int n = market.channels();
    long budget = scenario.budget();
    double[] adstock = new double[n];
    long[] current = new long[n];
    List<ArrayDeque<WindowBucket>> windows = new ArrayList<>(n);
    long[] initial = statusQuo(market, budget);
    for (int i = 0; i < n; i++) {
      windows.add(new ArrayDeque<>());
      current[i] = initial[i];
    }

    // The campaign ran its status quo for a full window before the allocator took over, so the
    // first run sees what any real campaign has: a history. Those periods are not scored.
    for (int t = -scenario.window(); t < 0; t++) {
      for (int i = 0; i < n; i++) {
        if (market.firstPeriod(i) > 0) {
          continue;
        }
        ChannelTruth channel = market.truth(i, 0);
        double stock = current[i] + channel.carryover() * adstock[i];
        adstock[i] = stock;
        windows.get(i).addLast(outcome(channel, current[i], stock, Noise.mix(seed * 31 + i, t)));
      }
    }

    double[] value = new double[scenario.horizon()];
    int violations = 0;
    List<String> firstViolations = new ArrayList<>();
    double churn = 0;
    long totalNanos = 0;
    long maxNanos = 0;
    String modelState = null;
    for (int t = 0; t < scenario.horizon(); t++) {
      List<Integer> active = new ArrayList<>(n);
      List<ChannelWindow> channels = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        if (market.firstPeriod(i) <= t) {
          active.add(i);
          channels.add(
              new ChannelWindow(
                  market.name(i),
                  true,
                  current[i],
                  0,
                  List.copyOf(windows.get(i)),
                  scenario.window() + t - 1L));
        }
      }
      AllocationRequest request =
          new AllocationRequest(
              budget, channels, scenario.guardrails(), Noise.mix(seed, t), modelState);
      List<ChannelTruth> truths = new ArrayList<>(active.size());
      double[] carried = new double[active.size()];
      for (int k = 0; k < active.size(); k++) {
        int i = active.get(k);
        truths.add(market.truth(i, t));
        carried[k] = market.truth(i, t).carryover() * adstock[i];
      }
      Policy.Truth truth = new PeriodTruth(t, truths, carried);

      long[] amounts = new long[n];
      long start = CLOCK.getCurrentThreadCpuTime();
      Allocation allocation;
      try {
        allocation = policy.decide(request, truth);
      } catch (InfeasibleGuardrailsException e) {
        allocation = null;
        violations++;
        note(firstViolations, policy.name() + " refused at " + t + ": " + e.getMessage());
      }
      long elapsed = CLOCK.getCurrentThreadCpuTime() - start;
      totalNanos += elapsed;
      maxNanos = Math.max(maxNanos, elapsed);

      if (allocation != null) {
        List<String> broken = RuleAudit.violations(request, allocation);
        violations += broken.size();
        for (String b : broken) {
          note(firstViolations, policy.name() + " at " + t + ": " + b);
        }
        modelState = allocation.modelState();
        for (int k = 0; k < active.size(); k++) {
          amounts[active.get(k)] = allocation.channels().get(k).amount();
        }
      } else {
        for (int i : active) {
          amounts[i] = current[i];
        }
      }

      double moved = 0;
      for (int i : active) {
        ChannelTruth channel = market.truth(i, t);
        double stock = amounts[i] + channel.carryover() * adstock[i];
        adstock[i] = stock;
        value[t] += channel.value(stock);
        windows.get(i).addLast(outcome(channel, amounts[i], stock, Noise.mix(seed * 31 + i, t)));
        if (windows.get(i).size() > scenario.window()) {
          windows.get(i).removeFirst();
        }
        moved += Math.abs(amounts[i] - current[i]);
        current[i] = amounts[i];
      }
      if (t > 0) {
        churn += moved / budget;
      }
    }
    double churnPerRun = churn / Math.max(1, scenario.horizon() - 1);
    return new Result(
        value,
        violations,
        firstViolations,
        churnPerRun,
        totalNanos,
        maxNanos,
        scenario.horizon());
  }

  /** The truth of one period as the policies that are told it see it. */
  private record PeriodTruth(int period, List<ChannelTruth> truths, double[] carry)
      implements Policy.Truth {

    @Override
    public ChannelTruth channel(int channel) {
      return truths.get(channel);
    }

    @Override
    public double carried(int channel) {
      return carry[channel];
    }
  }

  private static void note(List<String> notes, String text) {
    if (notes.size() < 5) {
      notes.add(text);
    }
  }

  /** The campaign's split before any allocator, in whole units summing to the budget. */
  static long[] statusQuo(Market market, long budget) {
    int n = market.channels();
    long[] amounts = new long[n];
    long placed = 0;
    int last = 0;
    for (int i = 0; i < n; i++) {
      amounts[i] = (long) Math.floor(market.statusQuo(i) * budget);
      placed += amounts[i];
      if (market.statusQuo(i) > 0) {
        last = i;
      }
    }
    amounts[last] += budget - placed;
    return amounts;
  }

  /** The noisy results a channel reports for a period. */
  private static WindowBucket outcome(ChannelTruth channel, long spend, double stock, long seed) {
    Noise noise = new Noise(seed);
    double rate = channel.conversions(stock) * noise.shock(channel.dispersion());
    long conversions = noise.poisson(rate);
    long clicks = noise.poisson(rate * 20 + 1);
    double revenue = noise.logNormalSum(conversions, channel.orderValue(), channel.orderSpread());
    long repeats = noise.poisson(conversions * channel.repeatOrders());
    double later = noise.logNormalSum(repeats, channel.orderValue(), channel.orderSpread());
    long first = Math.round(revenue);
    return new WindowBucket(spend, clicks, conversions, first, first + Math.round(later));
  }
}
