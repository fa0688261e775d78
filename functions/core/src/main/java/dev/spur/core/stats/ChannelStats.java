package dev.spur.core.stats;

import dev.spur.core.store.Attr;
import dev.spur.core.store.Keys;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Per-channel counters, kept incrementally with {@code ADD} so that reading metrics never scans:
 * one item with the channel's totals and one per UTC day, which the allocator's sliding window
 * reads.
 */
public final class ChannelStats {

  private final DynamoDbClient dynamo;
  private final String table;

  public ChannelStats(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  private static String totalSort(String channel) {
    return "STATS#" + channel;
  }

  private static String daySort(LocalDate day, String channel) {
    return "DAY#" + day + "#" + channel;
  }

  /** The UTC day an instant falls in. */
  public static LocalDate dayOf(Instant instant) {
    return instant.atZone(ZoneOffset.UTC).toLocalDate();
  }

  /**
   * The writes that add to a channel's counters, for the totals and for the day of {@code at};
   * they go into the caller's transaction.
   */
  public List<TransactWriteItem> add(
      String campaignId, String channel, Instant at, Map<Counter, Long> deltas) {
    return List.of(
        addTo(campaignId, totalSort(channel), channel, null, deltas),
        addTo(campaignId, daySort(dayOf(at), channel), channel, dayOf(at), deltas));
  }

  private TransactWriteItem addTo(
      String campaignId, String sort, String channel, LocalDate day, Map<Counter, Long> deltas) {
    StringJoiner add = new StringJoiner(", ", "ADD ", "");
    Map<String, AttributeValue> values = new HashMap<>();
    int i = 0;
    for (var entry : deltas.entrySet()) {
      add.add(entry.getKey().attribute() + " :v" + i);
      values.put(":v" + i, Attr.n(entry.getValue()));
      i++;
    }
    String expression = "SET channel = :channel" + (day == null ? "" : ", #day = :day") + " "
        + add;
    values.put(":channel", Attr.s(channel));
    if (day != null) {
      values.put(":day", Attr.s(day.toString()));
    }
    Update.Builder update =
        Update.builder()
            .tableName(table)
            .key(Keys.of(Keys.campaign(campaignId), sort))
            .updateExpression(expression)
            .expressionAttributeValues(values);
    if (day != null) {
      update.expressionAttributeNames(Map.of("#day", "day"));
    }
    return TransactWriteItem.builder().update(update.build()).build();
  }

  /** Every channel's totals, by channel; a channel never counted is absent. */
  public Map<String, ChannelTotals> totals(String campaignId) {
    Map<String, ChannelTotals> totals = new LinkedHashMap<>();
    for (Map<String, AttributeValue> item : query(campaignId, "STATS#", null)) {
      ChannelTotals row = read(item);
      totals.put(row.channel(), row);
    }
    return totals;
  }

  /** Per-day counters from {@code first} to {@code last} inclusive, by day then channel. */
  public Map<LocalDate, Map<String, ChannelTotals>> days(
      String campaignId, LocalDate first, LocalDate last) {
    Map<LocalDate, Map<String, ChannelTotals>> days = new LinkedHashMap<>();
    for (Map<String, AttributeValue> item :
        query(campaignId, "DAY#" + first, "DAY#" + last + "#\uffff")) {
      LocalDate day = LocalDate.parse(Attr.requiredString(item, "day"));
      ChannelTotals row = read(item);
      days.computeIfAbsent(day, d -> new LinkedHashMap<>()).put(row.channel(), row);
    }
    return days;
  }

  private List<Map<String, AttributeValue>> query(String campaignId, String from, String to) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      QueryRequest.Builder request = QueryRequest.builder().tableName(table);
      if (to == null) {
        request
            .keyConditionExpression("PK = :pk AND begins_with(SK, :from)")
            .expressionAttributeValues(
                Map.of(":pk", Attr.s(Keys.campaign(campaignId)), ":from", Attr.s(from)));
      } else {
        request
            .keyConditionExpression("PK = :pk AND SK BETWEEN :from AND :to")
            .expressionAttributeValues(
                Map.of(
                    ":pk", Attr.s(Keys.campaign(campaignId)),
                    ":from", Attr.s(from),
                    ":to", Attr.s(to)));
      }
      var response = dynamo.query(request.exclusiveStartKey(start).build());
      items.addAll(response.items());
      start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
          ? response.lastEvaluatedKey() : null;
    } while (start != null);
    return items;
  }

  private static ChannelTotals read(Map<String, AttributeValue> item) {
    Map<Counter, Long> counters = new EnumMap<>(Counter.class);
    for (Counter counter : Counter.values()) {
      counters.put(counter, Attr.number(item, counter.attribute()));
    }
    return new ChannelTotals(Attr.requiredString(item, "channel"), counters);
  }
}
