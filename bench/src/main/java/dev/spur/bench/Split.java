package dev.spur.bench;

import dev.spur.allocation.Allocation;
import dev.spur.allocation.AllocationRequest;
import dev.spur.allocation.ChannelAllocation;
import dev.spur.allocation.ChannelWindow;
import dev.spur.allocation.Envelope;
import dev.spur.allocation.WindowBucket;
import java.util.ArrayList;
import java.util.List;

/** Turns a baseline's weights into an allocation that keeps the guardrails. */
final class Split {

  private Split() {}

  /**
   * The nearest allowed split to one in proportion to {@code weights} (over enabled channels;
   * equal when every weight is zero).
   */
  static Allocation proportional(
      AllocationRequest request, double[] weights, String reason, String modelState) {
    Envelope envelope = Envelope.of(request);
    List<ChannelWindow> channels = request.channels();
    int n = channels.size();
    double free = request.budget();
    double total = 0;
    int enabled = 0;
    for (int i = 0; i < n; i++) {
      if (channels.get(i).enabled()) {
        total += Math.max(0, weights[i]);
        enabled++;
      } else {
        free -= channels.get(i).committed();
      }
    }
    double[] wish = new double[n];
    for (int i = 0; i < n; i++) {
      ChannelWindow channel = channels.get(i);
      if (!channel.enabled()) {
        wish[i] = channel.committed();
      } else if (total > 0) {
        wish[i] = free * Math.max(0, weights[i]) / total;
      } else {
        wish[i] = free / enabled;
      }
    }
    return of(request, envelope.nearest(wish), reason, modelState);
  }

  static Allocation of(
      AllocationRequest request, long[] amounts, String reason, String modelState) {
    List<ChannelAllocation> result = new ArrayList<>(amounts.length);
    for (int i = 0; i < amounts.length; i++) {
      result.add(new ChannelAllocation(request.channels().get(i).channel(), amounts[i], reason));
    }
    return new Allocation(result, modelState);
  }

  /** Lifetime value, or revenue where no lifetime value is reported. */
  static double lifetimeValue(WindowBucket bucket) {
    return Math.max(bucket.lifetimeValue(), bucket.revenue());
  }

  /** The campaign's value per unit of spend over the whole window; 1 when nothing is known. */
  static double campaignRatio(AllocationRequest request, boolean lifetime) {
    double spend = 0;
    double value = 0;
    for (ChannelWindow channel : request.channels()) {
      for (WindowBucket bucket : channel.buckets()) {
        spend += bucket.spend();
        value += lifetime ? lifetimeValue(bucket) : bucket.revenue();
      }
    }
    return spend > 0 && value > 0 ? value / spend : 1.0;
  }
}
