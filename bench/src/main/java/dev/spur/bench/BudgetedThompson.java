package dev.spur.bench;

import dev.spur.allocation.Allocation;
import dev.spur.allocation.AllocationRequest;
import dev.spur.allocation.Allocator;
import dev.spur.allocation.ChannelWindow;
import dev.spur.allocation.WindowBucket;
import java.util.List;

/**
 * Baseline: budgeted Thompson sampling. Each run it draws every channel's conversions per unit
 * of cost from a gamma posterior and its value per conversion from the observed mean, then
 * pushes the budget toward the channel with the best drawn ratio, as far as the guardrails
 * allow. It has no notion of diminishing returns.
 */
final class BudgetedThompson implements Allocator {

  @Override
  public Allocation allocate(AllocationRequest request) {
    List<ChannelWindow> channels = request.channels();
    int n = channels.size();
    Noise noise = new Noise(request.seed());
    long totalSpend = 0;
    long totalConversions = 0;
    double totalValue = 0;
    for (ChannelWindow channel : channels) {
      for (WindowBucket bucket : channel.buckets()) {
        totalSpend += bucket.spend();
        totalConversions += bucket.conversions();
        totalValue += Split.lifetimeValue(bucket);
      }
    }
    double priorSpend = totalConversions > 0 ? (double) totalSpend / totalConversions : 1.0;
    double priorValue = totalConversions > 0 ? totalValue / totalConversions : 1.0;

    int chosen = -1;
    double best = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      ChannelWindow channel = channels.get(i);
      if (!channel.enabled()) {
        continue;
      }
      double spend = 0;
      double conversions = 0;
      double value = 0;
      for (WindowBucket bucket : channel.buckets()) {
        spend += bucket.spend();
        conversions += bucket.conversions();
        value += Split.lifetimeValue(bucket);
      }
      double rate = noise.gamma(1 + conversions) / (priorSpend + spend);
      double perConversion = (value + priorValue) / (conversions + 1);
      double drawn = rate * perConversion;
      if (drawn > best) {
        best = drawn;
        chosen = i;
      }
    }
    double[] weights = new double[n];
    if (chosen >= 0) {
      weights[chosen] = 1;
    }
    return Split.proportional(request, weights, "budgeted Thompson sampling", null);
  }
}
