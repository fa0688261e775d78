package dev.spur.core.budget;

import dev.spur.core.store.Attr;
import dev.spur.core.store.Keys;
import dev.spur.core.store.Reads;
import dev.spur.core.store.Transactions;
import dev.spur.core.store.Writes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Per-channel budgets per period and the campaign's current allocation.
 *
 * <p>Invariants, each kept by a condition on the write that could break it: a channel never
 * spends more than it was allocated ({@code remaining >= cost} on every reservation), and an
 * allocation never falls below what a channel already spent (a decrease needs
 * {@code remaining >= decrease}). Since the allocations of a period always sum to the budget,
 * the campaign never spends more than its budget, however many writers race.
 */
public final class BudgetLedger {

  private static final String ALLOCATION = "ALLOCATION";

  private final DynamoDbClient dynamo;
  private final String table;

  public BudgetLedger(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  private static String budgetSort(String periodId, String channel) {
    return "BUDGET#" + periodId + "#" + channel;
  }

  /** The current allocation of a campaign: channel amounts, version and model state. */
  public record CurrentAllocation(
      Map<String, Long> amounts, long version, String modelState, String lastTick) {}

  /** Reads the campaign's current allocation. */
  public CurrentAllocation current(String campaignId) {
    Map<String, AttributeValue> item =
        Reads.item(dynamo, table, Keys.of(Keys.campaign(campaignId), ALLOCATION));
    if (item.isEmpty()) {
      throw new IllegalStateException("campaign " + campaignId + " has no allocation");
    }
    Map<String, Long> amounts = new LinkedHashMap<>();
    item.get("amounts").m().forEach((channel, value) -> amounts.put(channel,
        Long.parseLong(value.n())));
    return new CurrentAllocation(
        amounts,
        Attr.number(item, "version"),
        Attr.string(item, "modelState").orElse(null),
        Attr.string(item, "lastTick").orElse(null));
  }

  /** The write that sets the current allocation for the first time. */
  public TransactWriteItem currentAllocationPut(
      String campaignId, Map<String, Long> amounts, String modelState, Instant now) {
    Map<String, AttributeValue> item = new HashMap<>(Keys.of(Keys.campaign(campaignId),
        ALLOCATION));
    item.put("amounts", amountsValue(amounts));
    item.put("version", Attr.n(1));
    item.put("updatedAt", Attr.s(now.toString()));
    if (modelState != null) {
      item.put("modelState", Attr.s(modelState));
    }
    return Writes.putNew(table, item);
  }

  /**
   * The write that replaces the current allocation, if nobody replaced it since it was read at
   * {@code version}.
   */
  public TransactWriteItem currentAllocationUpdate(
      String campaignId,
      Map<String, Long> amounts,
      String modelState,
      long version,
      String tick,
      Instant now) {
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":amounts", amountsValue(amounts));
    values.put(":version", Attr.n(version));
    values.put(":next", Attr.n(version + 1));
    values.put(":now", Attr.s(now.toString()));
    values.put(":tick", Attr.s(tick));
    String set = "SET amounts = :amounts, version = :next, updatedAt = :now, lastTick = :tick";
    if (modelState != null) {
      values.put(":state", Attr.s(modelState));
      set += ", modelState = :state";
    }
    return TransactWriteItem.builder()
        .update(
            Update.builder()
                .tableName(table)
                .key(Keys.of(Keys.campaign(campaignId), ALLOCATION))
                .updateExpression(set)
                .conditionExpression("version = :version")
                .expressionAttributeValues(values)
                .build())
        .build();
  }

  private static AttributeValue amountsValue(Map<String, Long> amounts) {
    Map<String, AttributeValue> map = new LinkedHashMap<>();
    amounts.forEach((channel, amount) -> map.put(channel, Attr.n(amount)));
    return AttributeValue.fromM(map);
  }

  /** The writes that open a period with the given allocation; all fail if it is open. */
  public List<TransactWriteItem> openPeriodPuts(
      String campaignId, String periodId, Map<String, Long> amounts) {
    List<TransactWriteItem> writes = new ArrayList<>();
    amounts.forEach(
        (channel, amount) -> {
          Map<String, AttributeValue> item =
              new HashMap<>(Keys.of(Keys.campaign(campaignId), budgetSort(periodId, channel)));
          item.put("type", Attr.s("ChannelBudget"));
          item.put("channel", Attr.s(channel));
          item.put("periodId", Attr.s(periodId));
          item.put("allocated", Attr.n(amount));
          item.put("spent", Attr.n(0));
          item.put("remaining", Attr.n(amount));
          writes.add(
              Writes.putNew(table, item));
        });
    return writes;
  }

  /**
   * Opens a period with the campaign's current allocation, unless it is open already. Returns
   * true when this call opened it.
   */
  public boolean openPeriod(String campaignId, String periodId) {
    Map<String, Long> amounts = current(campaignId).amounts();
    return Transactions.write(dynamo, openPeriodPuts(campaignId, periodId, amounts))
        instanceof Transactions.Committed;
  }

  /** Every channel's budget in a period, by channel; empty when the period is not open. */
  public Map<String, ChannelBudget> period(String campaignId, String periodId) {
    Map<String, ChannelBudget> budgets = new LinkedHashMap<>();
    Map<String, AttributeValue> start = null;
    do {
      var response =
          dynamo.query(
              QueryRequest.builder()
                  .tableName(table)
                  .keyConditionExpression("PK = :pk AND begins_with(SK, :prefix)")
                  .expressionAttributeValues(
                      Map.of(
                          ":pk", Attr.s(Keys.campaign(campaignId)),
                          ":prefix", Attr.s("BUDGET#" + periodId + "#")))
                  .consistentRead(true)
                  .exclusiveStartKey(start)
                  .build());
      for (Map<String, AttributeValue> item : response.items()) {
        String channel = Attr.requiredString(item, "channel");
        budgets.put(
            channel,
            new ChannelBudget(
                channel,
                Attr.number(item, "allocated"),
                Attr.number(item, "spent"),
                Attr.number(item, "remaining")));
      }
      start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
          ? response.lastEvaluatedKey() : null;
    } while (start != null);
    return budgets;
  }

  /**
   * The write that reserves {@code cost} from a channel's budget; its condition fails when the
   * channel's remaining budget cannot cover it or the period is not open.
   */
  public TransactWriteItem reserve(String campaignId, String periodId, String channel, long cost) {
    return TransactWriteItem.builder()
        .update(
            Update.builder()
                .tableName(table)
                .key(Keys.of(Keys.campaign(campaignId), budgetSort(periodId, channel)))
                .updateExpression("SET remaining = remaining - :cost ADD spent :cost")
                .conditionExpression("attribute_exists(PK) AND remaining >= :cost")
                .expressionAttributeValues(Map.of(":cost", Attr.n(cost)))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build())
        .build();
  }

  /**
   * The write that gives {@code cost} back to a channel's budget in a period, as when a reward
   * that reserved it is clawed back before payout.
   */
  public TransactWriteItem release(String campaignId, String periodId, String channel, long cost) {
    return TransactWriteItem.builder()
        .update(
            Update.builder()
                .tableName(table)
                .key(Keys.of(Keys.campaign(campaignId), budgetSort(periodId, channel)))
                .updateExpression("SET remaining = remaining + :cost ADD spent :back")
                .conditionExpression("attribute_exists(PK) AND spent >= :cost")
                .expressionAttributeValues(Map.of(":cost", Attr.n(cost), ":back", Attr.n(-cost)))
                .build())
        .build();
  }

  /**
   * The write that moves one channel from its allocation as read to a new amount. A decrease
   * only commits while the channel still has that much unspent; an increase only while nobody
   * else reallocated it since.
   */
  public TransactWriteItem reallocate(
      String campaignId, String periodId, ChannelBudget before, long after) {
    long delta = after - before.allocated();
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":after", Attr.n(after));
    values.put(":before", Attr.n(before.allocated()));
    values.put(":delta", Attr.n(delta));
    String condition = "allocated = :before";
    if (delta < 0) {
      values.put(":decrease", Attr.n(-delta));
      condition += " AND remaining >= :decrease";
    }
    return TransactWriteItem.builder()
        .update(
            Update.builder()
                .tableName(table)
                .key(Keys.of(Keys.campaign(campaignId), budgetSort(periodId, before.channel())))
                .updateExpression("SET allocated = :after, remaining = remaining + :delta")
                .conditionExpression(condition)
                .expressionAttributeValues(values)
                .build())
        .build();
  }
}
