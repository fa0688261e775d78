package dev.spur.rewards;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spur.core.events.DomainEvent;
import dev.spur.core.events.EventBus;
import dev.spur.core.events.EventTypes;
import dev.spur.core.events.Outbox;
import dev.spur.core.json.Json;
import dev.spur.core.log.Log;
import dev.spur.core.store.Attr;
import dev.spur.core.store.Keys;
import dev.spur.core.store.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Payouts: a reward of a campaign with a hold period is issued pending, on the pending-payout
 * index by the instant its hold ends; the schedule approves what is due. Every payout and every
 * clawback after payout is an entry in the order's payout ledger, positive or negative.
 */
public final class Payouts {

  /** The index partition of rewards waiting for payout. */
  static final String PENDING = "PAYOUTS#PENDING";
  /** Most rewards one scheduled run approves; the next run takes the rest. */
  static final int PAGE = 100;
  private static final Log LOG = Log.of(Payouts.class);

  private final DynamoDbClient dynamo;
  private final String table;
  private final Outbox outbox;
  private final EventBus bus;
  private final Clock clock;

  public Payouts(DynamoDbClient dynamo, String table, Outbox outbox, EventBus bus, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.outbox = outbox;
    this.bus = bus;
    this.clock = clock;
  }

  /** The pending-payout index sort key: due instant first, so a range query finds what is due. */
  static String dueKey(Instant payoutAt, String campaignId, String orderId) {
    return payoutAt + "#" + campaignId + "#" + orderId;
  }

  /**
   * An entry of the payout ledger: {@code PAID} with the rewards' cash cost, or
   * {@code CLAWBACK} with its negation once a refund takes a paid reward back.
   */
  static TransactWriteItem entry(
      String table,
      String campaignId,
      String currency,
      String orderId,
      String referrerId,
      String step,
      long amount,
      Instant at) {
    Map<String, AttributeValue> item =
        new HashMap<>(Keys.of(Keys.campaign(campaignId), "PAYOUT#" + orderId + "#" + step));
    item.put("type", Attr.s("PayoutEntry"));
    item.put("orderId", Attr.s(orderId));
    item.put("referrerId", Attr.s(referrerId));
    item.put("step", Attr.s(step));
    item.put("amount", Attr.n(amount));
    item.put("currency", Attr.s(currency));
    item.put("at", Attr.s(at.toString()));
    return TransactWriteItem.builder()
        .put(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(PK)"))
        .build();
  }

  /**
   * Approves for payout every pending reward whose hold has ended, up to one page; a reward
   * clawed back or approved by a concurrent run is left as it is. Returns how many it approved.
   */
  public int approveDue() {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    QueryResponse due =
        dynamo.query(
            QueryRequest.builder()
                .tableName(table)
                .indexName(Keys.GSI1)
                .keyConditionExpression("GSI1PK = :pending AND GSI1SK <= :now")
                .expressionAttributeValues(
                    Map.of(":pending", Attr.s(PENDING), ":now", Attr.s(now + "#~")))
                .limit(PAGE)
                .build());
    int approved = 0;
    for (Map<String, AttributeValue> reward : due.items()) {
      if (approve(reward, now)) {
        approved++;
      }
    }
    LOG.info("payouts.approved", "count", approved, "due", due.count());
    return approved;
  }

  private boolean approve(Map<String, AttributeValue> reward, Instant now) {
    String campaignId = Attr.requiredString(reward, "PK").substring("CAMPAIGN#".length());
    String orderId = Attr.requiredString(reward, "orderId");
    long cost = Attr.number(reward, "cost");
    String currency = Attr.requiredString(reward, "currency");
    ObjectNode detail = Json.object();
    detail.put("campaignId", campaignId);
    detail.put("orderId", orderId);
    detail.put("referrerId", Attr.requiredString(reward, "referrerId"));
    detail.put("refereeId", Attr.requiredString(reward, "refereeId"));
    detail.put("channel", Attr.requiredString(reward, "channel"));
    detail.set("cost", Rewards.money(cost, currency));
    detail.put("approvedAt", now.toString());
    DomainEvent event =
        DomainEvent.about(EventTypes.REWARD_PAYOUT_APPROVED, campaignId + "/" + orderId, detail);

    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(
        TransactWriteItem.builder()
            .update(
                Update.builder()
                    .tableName(table)
                    .key(StoredConversion.rewardKey(campaignId, orderId))
                    .updateExpression(
                        "SET payout = :paid, paidAt = :now REMOVE GSI1PK, GSI1SK")
                    .conditionExpression(
                        "#status = :issued AND payout = :pending AND payoutAt <= :now")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(
                        Map.of(
                            ":paid", Attr.s("PAID"),
                            ":pending", Attr.s("PENDING"),
                            ":issued", Attr.s("ISSUED"),
                            ":now", Attr.s(now.toString())))
                    .build())
            .build());
    if (cost > 0) {
      writes.add(entry(table, campaignId, currency, orderId,
          Attr.requiredString(reward, "referrerId"), "PAID", cost, now));
    }
    writes.add(outbox.put(event, now));
    if (Transactions.write(dynamo, writes) instanceof Transactions.Refused) {
      return false;
    }
    bus.publish(List.of(event));
    return true;
  }
}
