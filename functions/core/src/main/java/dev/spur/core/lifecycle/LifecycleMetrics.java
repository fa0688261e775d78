package dev.spur.core.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spur.core.campaigns.Campaign;
import dev.spur.core.json.Json;
import dev.spur.core.money.Money;
import dev.spur.core.stats.ChannelStats;
import dev.spur.core.stats.ChannelTotals;
import dev.spur.core.stats.Counter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A campaign's customer lifecycle metrics as of an instant: per cohort (customers, orders, net
 * revenue, CLV, repeat orders, one-year retention, CSAT), per channel (conversion rate, CAC,
 * CLV and their ratio), and the campaign's referral rate. Built from counters, never from a
 * scan; {@link #fromJson} reads it back from the metrics answer of the HTTP API.
 *
 * @param customers every customer with an order in the campaign
 * @param referrers referrers with at least one converted referee
 * @param referralRate referrers over customers (four places); null without customers. A
 *     referrer counts whether or not Spur has seen an order of their own, so with referrers who
 *     never ordered the rate can pass 1.
 */
public record LifecycleMetrics(
    String campaignId,
    String currency,
    Instant asOf,
    long customers,
    long referrers,
    BigDecimal referralRate,
    List<CohortMetrics> cohorts,
    List<ChannelMetrics> channels) {

  public LifecycleMetrics {
    cohorts = List.copyOf(cohorts);
    channels = List.copyOf(channels);
  }

  /** Reads a campaign's lifecycle metrics from the table. */
  public static LifecycleMetrics read(
      CohortStats stats, Campaign campaign, Map<String, ChannelTotals> totals, Instant asOf) {
    return of(campaign, totals, stats.read(campaign.id()), asOf);
  }

  /**
   * The metrics from the counters. Cohorts come in a fixed order: ALL, REFERRED, NOT_REFERRED,
   * one per channel of the campaign, then the variants seen, by name.
   */
  public static LifecycleMetrics of(
      Campaign campaign,
      Map<String, ChannelTotals> totals,
      CohortStats.Counters counters,
      Instant asOf) {
    String currency = campaign.currency();
    List<String> names = new ArrayList<>();
    names.add(Customer.ALL);
    names.add(Origin.REFERRED.name());
    names.add(Origin.NOT_REFERRED.name());
    for (String channel : campaign.channels()) {
      names.add(Customer.channelCohort(channel));
    }
    TreeSet<String> variants = new TreeSet<>();
    for (String cohort : counters.cohorts().keySet()) {
      if (cohort.startsWith(Customer.variantCohort(""))) {
        variants.add(cohort);
      }
    }
    names.addAll(variants);

    LocalDate asOfDay = ChannelStats.dayOf(asOf);
    LocalDate eligibleUpTo = asOfDay.minusDays(CustomerLedger.RETENTION_DAYS);
    List<CohortMetrics> cohorts = new ArrayList<>();
    for (String cohort : names) {
      cohorts.add(cohort(cohort, currency, counters, eligibleUpTo, asOfDay));
    }

    List<ChannelMetrics> channels = new ArrayList<>();
    for (String channel : campaign.channels()) {
      ChannelTotals row = totals.getOrDefault(channel, new ChannelTotals(channel, Map.of()));
      CohortMetrics cohort = cohorts.get(names.indexOf(Customer.channelCohort(channel)));
      Money spend = new Money(row.spend(), currency);
      Money cac = cohort.customers() == 0 ? null : spend.dividedBy(cohort.customers());
      BigDecimal ratio =
          cac == null || cac.amount() == 0 || cohort.clv() == null
              ? null
              : ratio(cohort.clv().amount(), cac.amount(), 2);
      channels.add(
          new ChannelMetrics(
              channel,
              row.get(Counter.CLICKS),
              row.get(Counter.CONVERSIONS),
              row.get(Counter.CLICKS) == 0
                  ? null
                  : ratio(row.get(Counter.CONVERSIONS), row.get(Counter.CLICKS), 4),
              cohort.customers(),
              spend,
              cac,
              cohort.clv(),
              ratio));
    }

    long customers = counters.get(Customer.ALL, CohortStats.CUSTOMERS);
    return new LifecycleMetrics(
        campaign.id(),
        currency,
        asOf,
        customers,
        counters.referrers(),
        customers == 0 ? null : ratio(counters.referrers(), customers, 4),
        cohorts,
        channels);
  }

  private static CohortMetrics cohort(
      String cohort,
      String currency,
      CohortStats.Counters counters,
      LocalDate eligibleUpTo,
      LocalDate asOfDay) {
    long customers = counters.get(cohort, CohortStats.CUSTOMERS);
    long orders = counters.get(cohort, CohortStats.ORDERS);
    Money net = new Money(counters.get(cohort, CohortStats.NET_REVENUE), currency);
    long eligible = sumUpTo(counters.firstOrders().getOrDefault(cohort, Map.of()), eligibleUpTo);
    long retained = sumUpTo(counters.retained().getOrDefault(cohort, Map.of()), asOfDay);
    long responses = counters.get(cohort, CohortStats.RESPONSES);
    return new CohortMetrics(
        cohort,
        customers,
        orders,
        net,
        customers == 0 ? null : net.dividedBy(customers),
        orders == 0 ? null : ratio(orders - customers, orders, 4),
        eligible,
        retained,
        eligible == 0 ? null : ratio(retained, eligible, 4),
        responses,
        responses == 0
            ? null
            : ratio(100 * counters.get(cohort, CohortStats.POSITIVE), responses, 2),
        responses == 0 ? null : ratio(counters.get(cohort, CohortStats.SCORE_SUM), responses, 2));
  }

  private static long sumUpTo(Map<LocalDate, Long> days, LocalDate last) {
    long sum = 0;
    for (var entry : days.entrySet()) {
      if (!entry.getKey().isAfter(last)) {
        sum += entry.getValue();
      }
    }
    return sum;
  }

  private static BigDecimal ratio(long numerator, long denominator, int places) {
    return BigDecimal.valueOf(numerator)
        .divide(BigDecimal.valueOf(denominator), places, RoundingMode.HALF_UP);
  }

  /**
   * The metrics as JSON, with the field names of the records; decimals keep their places (a
   * share of one is {@code 1.0000}), money is {@code {"amount", "currency"}}.
   */
  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("campaignId", campaignId);
    node.put("currency", currency);
    node.put("asOf", asOf.toString());
    node.put("customers", customers);
    node.put("referrers", referrers);
    node.put("referralRate", referralRate);
    ArrayNode cohortRows = node.putArray("cohorts");
    for (CohortMetrics c : cohorts) {
      ObjectNode row = cohortRows.addObject();
      row.put("cohort", c.cohort());
      row.put("customers", c.customers());
      row.put("orders", c.orders());
      row.set("netRevenue", money(c.netRevenue()));
      row.set("clv", money(c.clv()));
      row.put("repeatOrderShare", c.repeatOrderShare());
      row.put("retentionEligible", c.retentionEligible());
      row.put("retained", c.retained());
      row.put("retention365", c.retention365());
      row.put("csatResponses", c.csatResponses());
      row.put("csat", c.csat());
      row.put("meanScore", c.meanScore());
    }
    ArrayNode channelRows = node.putArray("channels");
    for (ChannelMetrics c : channels) {
      ObjectNode row = channelRows.addObject();
      row.put("channel", c.channel());
      row.put("clicks", c.clicks());
      row.put("conversions", c.conversions());
      row.put("conversionRate", c.conversionRate());
      row.put("customers", c.customers());
      row.set("spend", money(c.spend()));
      row.set("cac", money(c.cac()));
      row.set("clv", money(c.clv()));
      row.put("clvToCac", c.clvToCac());
    }
    return node;
  }

  private static JsonNode money(Money money) {
    if (money == null) {
      return NullNode.getInstance();
    }
    ObjectNode node = Json.object();
    node.put("amount", money.amount());
    node.put("currency", money.currency());
    return node;
  }

  /**
   * Reads the metrics from the answer of {@code GET /campaigns/{campaignId}/metrics}, whose
   * channel rows carry these figures beside the older ones; fields it does not know are
   * ignored.
   */
  public static LifecycleMetrics fromJson(JsonNode metrics) {
    return Json.convert(metrics, LifecycleMetrics.class);
  }
}
