package dev.spur.allocation;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the budget in proportion to each channel's lifetime value per unit of spend over the
 * window, then takes the nearest split the guardrails allow.
 *
 * <p>Each channel's ratio is shrunk toward the campaign's own ratio by a prior worth
 * {@link Envelope#EVIDENCE_CONVERSIONS} conversions of spend, so a channel without results
 * scores exactly the campaign average: it is neither starved nor favoured. It has no notion of
 * diminishing returns and does not explore beyond the exploration floor; the learning allocator
 * does both.
 */
final class ValueRatioAllocator implements Allocator {

  @Override
  public Allocation allocate(AllocationRequest request) {
    Envelope envelope = Envelope.of(request);
    List<ChannelWindow> channels = request.channels();
    int n = channels.size();

    long[] spend = new long[n];
    long[] value = new long[n];
    long totalSpend = 0;
    long totalValue = 0;
    long totalConversions = 0;
    for (int i = 0; i < n; i++) {
      for (WindowBucket bucket : channels.get(i).buckets()) {
        spend[i] += bucket.spend();
        // Lifetime value includes the first order; a source that reports only revenue still
        // counts that revenue.
        value[i] += Math.max(bucket.lifetimeValue(), bucket.revenue());
        totalConversions += bucket.conversions();
      }
      totalSpend += spend[i];
      totalValue += value[i];
    }
    double campaignRatio = totalSpend > 0 ? (double) totalValue / totalSpend : 0;
    double priorSpend =
        totalConversions > 0
            ? Envelope.EVIDENCE_CONVERSIONS * (double) totalSpend / totalConversions
            : 0;

    double[] score = new double[n];
    double scoreSum = 0;
    long free = request.budget();
    int enabled = 0;
    for (int i = 0; i < n; i++) {
      ChannelWindow channel = channels.get(i);
      if (!channel.enabled()) {
        free -= channel.committed();
        continue;
      }
      enabled++;
      double pseudoValue = priorSpend * campaignRatio;
      double denominator = spend[i] + priorSpend;
      score[i] = denominator > 0 ? (value[i] + pseudoValue) / denominator : campaignRatio;
      scoreSum += score[i];
    }

    double[] wish = new double[n];
    for (int i = 0; i < n; i++) {
      ChannelWindow channel = channels.get(i);
      if (!channel.enabled()) {
        wish[i] = channel.committed();
      } else if (scoreSum > 0) {
        wish[i] = free * score[i] / scoreSum;
      } else {
        wish[i] = (double) free / enabled;
      }
    }
    double[] point =
        BoxProjection.project(wish, envelope.lowers(), envelope.uppers(), request.budget());
    long[] amounts =
        LargestRemainder.apportion(
            point, envelope.lowers(), envelope.uppers(), request.budget());

    List<ChannelAllocation> result = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ChannelWindow channel = channels.get(i);
      String driver;
      if (spend[i] == 0 && value[i] == 0) {
        driver = "with no results yet, scored at the campaign average";
      } else if (campaignRatio > 0) {
        driver =
            "for lifetime value per unit spent "
                + Reasons.ratio(score[i] / campaignRatio)
                + " the campaign's";
      } else {
        driver = "with no value recorded anywhere yet, split evenly";
      }
      result.add(
          new ChannelAllocation(
              channel.channel(),
              amounts[i],
              Reasons.sentence(envelope, i, channel, amounts[i], driver)));
    }
    return new Allocation(result, null);
  }
}
