package dev.spur.bench;

import dev.spur.allocation.Allocation;
import dev.spur.allocation.AllocationRequest;
import dev.spur.allocation.Allocator;
import dev.spur.allocation.ChannelWindow;
import dev.spur.allocation.WindowBucket;
import java.util.List;

/**
 * Baseline: shares in proportion to each channel's return on spend in the last period, by
 * first-order revenue or by lifetime value; a channel with no spend last period gets the
 * campaign's average return.
 */
final class LastPeriodRoas implements Allocator {

  private final boolean lifetime;

  LastPeriodRoas(boolean lifetime) {
    this.lifetime = lifetime;
  }

  @Override
  public Allocation allocate(AllocationRequest request) {
    List<ChannelWindow> channels = request.channels();
    double average = Split.campaignRatio(request, lifetime);
    double[] weights = new double[channels.size()];
    for (int i = 0; i < weights.length; i++) {
      List<WindowBucket> buckets = channels.get(i).buckets();
      weights[i] = average;
      if (!buckets.isEmpty()) {
        WindowBucket last = buckets.get(buckets.size() - 1);
        if (last.spend() > 0) {
          double value = lifetime ? Split.lifetimeValue(last) : last.revenue();
          weights[i] = value / last.spend();
        }
      }
    }
    return Split.proportional(request, weights, "last period's return", null);
  }
}
