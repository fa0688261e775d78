package dev.spur.campaigns;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spur.core.budget.ChannelBudget;
import dev.spur.core.campaigns.Campaign;
import dev.spur.core.json.Json;
import dev.spur.core.lifecycle.ChannelMetrics;
import dev.spur.core.lifecycle.LifecycleMetrics;
import dev.spur.core.money.Money;
import dev.spur.core.stats.ChannelTotals;
import dev.spur.core.stats.Counter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Map;

/** The JSON a campaign and its metrics are shown as. */
final class CampaignViews {

  private CampaignViews() {}

  static ObjectNode money(Money money) {
    ObjectNode node = Json.object();
    node.put("amount", money.amount());
    node.put("currency", money.currency());
    return node;
  }

  /** A campaign with its current period's budget per channel. */
  static ObjectNode campaign(
      Campaign campaign, String periodId, Map<String, ChannelBudget> budgets, Instant now) {
    ObjectNode node = Json.mapper().valueToTree(campaign);
    node.put("status", campaign.endedAt(now) ? "ENDED" : "ACTIVE");
    ObjectNode period = node.putObject("currentPeriod");
    period.put("id", periodId);
    ArrayNode channels = period.putArray("channels");
    for (String channel : campaign.channels()) {
      ChannelBudget budget = budgets.get(channel);
      ObjectNode row = channels.addObject();
      row.put("channel", channel);
      row.set("allocated", money(new Money(budget == null ? 0 : budget.allocated(),
          campaign.currency())));
      row.set("spent", money(new Money(budget == null ? 0 : budget.spent(),
          campaign.currency())));
    }
    return node;
  }

  /**
   * Per-channel metrics and their totals. Rates are decimals rounded to four places; money is
   * in minor units; CAC is null for a channel without conversions.
   */
  static ObjectNode metrics(
      Campaign campaign,
      String periodId,
      Map<String, ChannelTotals> totals,
      Map<String, ChannelBudget> budgets) {
    ObjectNode node = Json.object();
    node.put("campaignId", campaign.id());
    node.put("currency", campaign.currency());
    node.put("periodId", periodId);
    ArrayNode rows = node.putArray("channels");
    long[] sum = new long[Counter.values().length];
    long allocatedSum = 0;
    long spentSum = 0;
    for (String channel : campaign.channels()) {
      ChannelTotals row = totals.getOrDefault(channel, new ChannelTotals(channel, Map.of()));
      ChannelBudget budget =
          budgets.getOrDefault(channel, new ChannelBudget(channel, 0, 0, 0));
      rows.add(row(campaign.currency(), channel, row, budget.allocated(), budget.spent()));
      for (Counter counter : Counter.values()) {
        sum[counter.ordinal()] += row.get(counter);
      }
      allocatedSum += budget.allocated();
      spentSum += budget.spent();
    }
    Map<Counter, Long> summed = new java.util.EnumMap<>(Counter.class);
    for (Counter counter : Counter.values()) {
      summed.put(counter, sum[counter.ordinal()]);
    }
    node.set(
        "total",
        row(campaign.currency(), null, new ChannelTotals("total", summed), allocatedSum,
            spentSum));
    return node;
  }

  /**
   * Adds the lifecycle metrics: {@code asOf}, {@code customers}, {@code referrers},
   * {@code referralRate} and {@code cohorts} at the top, and to each channel's row its
   * customers, spend, CLV and CLV:CAC beside the figures it had.
   */
  static void addLifecycle(ObjectNode view, LifecycleMetrics lifecycle) {
    ObjectNode node = lifecycle.toJson();
    view.set("asOf", node.get("asOf"));
    view.set("customers", node.get("customers"));
    view.set("referrers", node.get("referrers"));
    view.set("referralRate", node.get("referralRate"));
    view.set("cohorts", node.get("cohorts"));
    ArrayNode rows = (ArrayNode) view.get("channels");
    for (int i = 0; i < lifecycle.channels().size(); i++) {
      ChannelMetrics channel = lifecycle.channels().get(i);
      ObjectNode row = (ObjectNode) rows.get(i);
      ObjectNode figures = (ObjectNode) node.get("channels").get(i);
      if (!channel.channel().equals(row.get("channel").asText())) {
        throw new IllegalStateException("channel rows out of step at " + channel.channel());
      }
      row.set("customers", figures.get("customers"));
      row.set("spend", figures.get("spend"));
      row.set("clv", figures.get("clv"));
      row.set("clvToCac", figures.get("clvToCac"));
    }
  }

  private static ObjectNode row(
      String currency, String channel, ChannelTotals totals, long allocated, long spent) {
    ObjectNode row = Json.object();
    if (channel != null) {
      row.put("channel", channel);
    }
    long clicks = totals.get(Counter.CLICKS);
    long conversions = totals.get(Counter.CONVERSIONS);
    row.put("clicks", clicks);
    row.put("conversions", conversions);
    if (clicks == 0) {
      row.putNull("conversionRate");
    } else {
      row.put(
          "conversionRate",
          BigDecimal.valueOf(conversions).divide(BigDecimal.valueOf(clicks), 4,
              RoundingMode.HALF_UP));
    }
    row.put("rewardsIssued", totals.get(Counter.REWARDS_ISSUED));
    row.put("rewardsDeclined", totals.get(Counter.REWARDS_DECLINED));
    row.put("rewardsHeld", totals.get(Counter.REWARDS_HELD));
    row.put("rewardsClawedBack", totals.get(Counter.REWARDS_CLAWED_BACK));
    row.set("rewardsPaid", money(new Money(totals.get(Counter.REWARD_SPEND), currency)));
    row.set("externalSpend", money(new Money(totals.get(Counter.EXTERNAL_SPEND), currency)));
    row.set("revenue", money(new Money(totals.get(Counter.REVENUE), currency)));
    row.set("budgetAllocated", money(new Money(allocated, currency)));
    row.set("budgetSpent", money(new Money(spent, currency)));
    if (conversions == 0) {
      row.putNull("cac");
    } else {
      row.set("cac", money(new Money(totals.spend(), currency).dividedBy(conversions)));
    }
    return row;
  }
}
