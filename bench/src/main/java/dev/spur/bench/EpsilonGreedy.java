package dev.spur.bench;

import dev.spur.allocation.Allocation;
import dev.spur.allocation.AllocationRequest;
import dev.spur.allocation.Allocator;
import dev.spur.allocation.ChannelWindow;
import dev.spur.allocation.WindowBucket;
import java.util.List;

/**
 * Baseline: with probability {@code epsilon} it pushes the budget toward a random channel,
 * otherwise toward the channel with the best lifetime value per unit of spend over the window
 * (an untried channel counts as best), as far as the guardrails allow.
 */
final class EpsilonGreedy implements Allocator {

  private final double epsilon;

  EpsilonGreedy(double epsilon) {
    this.epsilon = epsilon;
  }

  @Override
  public Allocation allocate(AllocationRequest request) {
    List<ChannelWindow> channels = request.channels();
    int n = channels.size();
    Noise noise = new Noise(request.seed());
    int chosen = -1;
    if (noise.uniform() < epsilon) {
      chosen = pickEnabled(channels, noise);
    } else {
      double best = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        if (!channels.get(i).enabled()) {
          continue;
        }
        double spend = 0;
        double value = 0;
        for (WindowBucket bucket : channels.get(i).buckets()) {
          spend += bucket.spend();
          value += Split.lifetimeValue(bucket);
        }
        double ratio = spend > 0 ? value / spend : Double.POSITIVE_INFINITY;
        if (ratio > best) {
          best = ratio;
          chosen = i;
        }
      }
    }
    double[] weights = new double[n];
    if (chosen >= 0) {
      weights[chosen] = 1;
    }
    return Split.proportional(request, weights, "epsilon-greedy", null);
  }

  private static int pickEnabled(List<ChannelWindow> channels, Noise noise) {
    int enabled = 0;
    for (ChannelWindow channel : channels) {
      enabled += channel.enabled() ? 1 : 0;
    }
    int target = (int) (noise.uniform() * enabled);
    for (int i = 0; i < channels.size(); i++) {
      if (channels.get(i).enabled() && target-- == 0) {
        return i;
      }
    }
    return -1;
  }
}
