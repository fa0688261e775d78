package dev.spur.core.lifecycle;

import dev.spur.core.store.Attr;
import dev.spur.core.store.Keys;
import dev.spur.core.store.Reads;
import dev.spur.core.store.Writes;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The counters behind the lifecycle metrics, kept with {@code ADD} in the transaction of the fact
 * they count: one item per campaign with every cohort's customers, orders, net revenue and
 * feedback, one per UTC day with the first orders of that day by cohort, one per UTC day with
 * the customers first retained that day by cohort, and the count of referrers with a converted
 * referee. A fact touches each item once, whatever the number of cohorts it counts in, so a
 * transaction stays small. Reading them is one query over the campaign's {@code LIFE#} items,
 * whose number grows with days, never with customers.
 */
public final class CohortStats {

  static final String CUSTOMERS = "customers";
  static final String ORDERS = "orders";
  static final String NET_REVENUE = "netRevenue";
  static final String RESPONSES = "csatResponses";
  static final String POSITIVE = "csatPositive";
  static final String SCORE_SUM = "scoreSum";
  static final String REFERRERS = "referrers";

  private static final List<String> COUNTERS =
      List.of(CUSTOMERS, ORDERS, NET_REVENUE, RESPONSES, POSITIVE, SCORE_SUM);
  private static final String PREFIX = "LIFE#";
  private static final String COHORTS = PREFIX + "COHORTS";
  private static final String FIRST = PREFIX + "FIRST#";
  private static final String KEPT = PREFIX + "KEPT#";
  private static final String REFERRER_COUNT = PREFIX + "REFERRERS";
  /** Between a counter's name and its cohort's in an attribute name; no counter name has it. */
  private static final char SEPARATOR = '|';
  private static final String COHORT_COUNT = "cohort" + SEPARATOR;

  private final DynamoDbClient dynamo;
  private final String table;

  public CohortStats(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  /** Adds to the counters of each cohort; the write goes into the caller's transaction. */
  TransactWriteItem add(String campaignId, List<String> cohorts, Map<String, Long> deltas) {
    ItemUpdate update = ItemUpdate.of(table, campaignId, COHORTS);
    for (String cohort : cohorts) {
      deltas.forEach((counter, delta) -> update.add(counter + SEPARATOR + cohort, delta));
    }
    return update.write();
  }

  /** Counts customers whose first order fell on a UTC day. */
  TransactWriteItem firstOrders(
      String campaignId, List<String> cohorts, LocalDate day, long delta) {
    return day(campaignId, FIRST, cohorts, day, delta);
  }

  /** Counts customers first retained (an order a year after their first) on a UTC day. */
  TransactWriteItem retained(String campaignId, List<String> cohorts, LocalDate day, long delta) {
    return day(campaignId, KEPT, cohorts, day, delta);
  }

  private TransactWriteItem day(
      String campaignId, String kind, List<String> cohorts, LocalDate day, long delta) {
    ItemUpdate update =
        ItemUpdate.of(table, campaignId, kind + day).set("day", Attr.s(day.toString()));
    for (String cohort : cohorts) {
      update.add(COHORT_COUNT + cohort, delta);
    }
    return update.write();
  }

  /** True when the referrer already had a converted referee in the campaign. */
  public boolean isReferring(String campaignId, String referrerId) {
    return !Reads.item(dynamo, table, Keys.of(Keys.campaign(campaignId), referring(referrerId)))
        .isEmpty();
  }

  /**
   * The writes that count a referrer's first converted referee: a marker that refuses the
   * transaction if another conversion counted them first (index 0), then the count.
   */
  public List<TransactWriteItem> firstReferral(String campaignId, String referrerId) {
    Map<String, AttributeValue> marker =
        new HashMap<>(Keys.of(Keys.campaign(campaignId), referring(referrerId)));
    marker.put("referrerId", Attr.s(referrerId));
    return List.of(
        Writes.putNew(table, marker),
        ItemUpdate.of(table, campaignId, REFERRER_COUNT).add(REFERRERS, 1).write());
  }

  private static String referring(String referrerId) {
    return "REFERRING#" + referrerId;
  }

  /** Every lifecycle counter of a campaign, as stored. */
  public Counters read(String campaignId) {
    Map<String, Map<String, Long>> cohorts = new LinkedHashMap<>();
    Map<String, Map<LocalDate, Long>> first = new LinkedHashMap<>();
    Map<String, Map<LocalDate, Long>> kept = new LinkedHashMap<>();
    long referrers = 0;
    Map<String, AttributeValue> start = null;
    do {
      QueryResponse page =
          dynamo.query(
              QueryRequest.builder()
                  .tableName(table)
                  .keyConditionExpression("PK = :pk AND begins_with(SK, :prefix)")
                  .expressionAttributeValues(
                      Map.of(":pk", Attr.s(Keys.campaign(campaignId)), ":prefix",
                          Attr.s(PREFIX)))
                  .consistentRead(true)
                  .exclusiveStartKey(start)
                  .build());
      for (Map<String, AttributeValue> item : page.items()) {
        String sort = Attr.requiredString(item, Keys.SK);
        if (sort.equals(REFERRER_COUNT)) {
          referrers = Attr.number(item, REFERRERS);
        } else if (sort.equals(COHORTS)) {
          for (String name : item.keySet()) {
            int at = name.indexOf(SEPARATOR);
            if (at > 0 && COUNTERS.contains(name.substring(0, at))) {
              cohorts
                  .computeIfAbsent(name.substring(at + 1), c -> new HashMap<>())
                  .put(name.substring(0, at), Attr.number(item, name));
            }
          }
        } else if (sort.startsWith(FIRST) || sort.startsWith(KEPT)) {
          Map<String, Map<LocalDate, Long>> target = sort.startsWith(FIRST) ? first : kept;
          LocalDate day = LocalDate.parse(Attr.requiredString(item, "day"));
          for (String name : item.keySet()) {
            if (name.startsWith(COHORT_COUNT)) {
              target
                  .computeIfAbsent(name.substring(COHORT_COUNT.length()),
                      c -> new LinkedHashMap<>())
                  .put(day, Attr.number(item, name));
            }
          }
        }
      }
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
          ? page.lastEvaluatedKey() : null;
    } while (start != null);
    return new Counters(cohorts, first, kept, referrers);
  }

  /**
   * A campaign's lifecycle counters.
   *
   * @param cohorts counters by cohort, then by name
   * @param firstOrders customers by cohort, then by the UTC day of their first order
   * @param retained customers by cohort, then by the UTC day they were first retained
   */
  public record Counters(
      Map<String, Map<String, Long>> cohorts,
      Map<String, Map<LocalDate, Long>> firstOrders,
      Map<String, Map<LocalDate, Long>> retained,
      long referrers) {

    /** A counter of a cohort; zero when never counted. */
    public long get(String cohort, String counter) {
      return cohorts.getOrDefault(cohort, Map.of()).getOrDefault(counter, 0L);
    }
  }
}
