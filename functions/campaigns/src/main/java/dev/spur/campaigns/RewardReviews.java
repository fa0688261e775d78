package dev.spur.campaigns;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spur.core.events.DomainEvent;
import dev.spur.core.events.EventBus;
import dev.spur.core.events.EventTypes;
import dev.spur.core.events.Outbox;
import dev.spur.core.http.JsonBody;
import dev.spur.core.json.Json;
import dev.spur.core.log.Log;
import dev.spur.core.stats.ChannelStats;
import dev.spur.core.stats.Counter;
import dev.spur.core.store.Attr;
import dev.spur.core.store.Keys;
import dev.spur.core.store.Reads;
import dev.spur.core.store.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The review of a reward held for passing a campaign's limits. Approving hands it back to
 * IssueReward through a {@code RewardApproved} event, which pays it if the channel's budget
 * still can; rejecting declines it for good. A repeat of the same decision answers as the first
 * did; the other decision on a reviewed reward is a conflict.
 */
public final class RewardReviews {

  private static final Pattern ORDER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}");
  private static final Log LOG = Log.of(RewardReviews.class);

  private final DynamoDbClient dynamo;
  private final String table;
  private final ChannelStats stats;
  private final Outbox outbox;
  private final EventBus bus;
  private final Clock clock;

  public RewardReviews(
      DynamoDbClient dynamo, String table, EventBus bus, Outbox outbox, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.stats = new ChannelStats(dynamo, table);
    this.outbox = outbox;
    this.bus = bus;
    this.clock = clock;
  }

  /** What a review came to. */
  public sealed interface Result permits Reviewed, Replayed, NotHeld, UnknownReward {}

  /** The decision was recorded. */
  public record Reviewed(ObjectNode view) implements Result {}

  /** The same decision was recorded before; nothing changed. */
  public record Replayed(ObjectNode view) implements Result {}

  /** The reward is not waiting for review. */
  public record NotHeld(String status) implements Result {}

  /** No reward of that order exists in the campaign. */
  public record UnknownReward(String orderId) implements Result {}

  /** Records a decision on a held reward. */
  public Result review(String campaignId, String orderId, String text) {
    JsonBody body = JsonBody.parse(text);
    String decision = body.requiredText("decision", 8, Pattern.compile("APPROVE|REJECT"),
        "must be APPROVE or REJECT");
    body.validate();
    if (!ORDER.matcher(orderId).matches()) {
      return new UnknownReward(orderId);
    }
    Map<String, AttributeValue> key =
        Keys.of(Keys.campaign(campaignId), "REWARD#" + orderId);
    Optional<Map<String, AttributeValue>> found = read(key);
    if (found.isEmpty()) {
      return new UnknownReward(orderId);
    }
    Map<String, AttributeValue> reward = found.get();
    String status = Attr.requiredString(reward, "status");
    if (!status.equals("HELD")) {
      return earlier(reward, decision);
    }

    Instant now = clock.instant();
    String next = decision.equals("APPROVE") ? "APPROVED" : "REJECTED";
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(
        TransactWriteItem.builder()
            .update(
                Update.builder()
                    .tableName(table)
                    .key(key)
                    .updateExpression(
                        "SET #status = :next, decision = :decision, reviewedAt = :now")
                    .conditionExpression("#status = :held")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(
                        Map.of(
                            ":next", Attr.s(next),
                            ":decision", Attr.s(decision),
                            ":now", Attr.s(now.toString()),
                            ":held", Attr.s("HELD")))
                    .build())
            .build());
    DomainEvent event;
    String channel = Attr.requiredString(reward, "channel");
    if (decision.equals("APPROVE")) {
      event = DomainEvent.about(EventTypes.REWARD_APPROVED, campaignId + "/" + orderId,
          detail(campaignId, orderId, reward));
    } else {
      ObjectNode detail = detail(campaignId, orderId, reward);
      detail.put("reason", "REJECTED_IN_REVIEW");
      event = DomainEvent.about(EventTypes.REWARD_DECLINED, campaignId + "/" + orderId, detail);
      writes.addAll(stats.add(campaignId, channel, now,
          Map.of(Counter.REWARDS_HELD, -1L, Counter.REWARDS_DECLINED, 1L)));
    }
    writes.add(outbox.put(event, now));
    if (Transactions.write(dynamo, writes) instanceof Transactions.Refused) {
      return earlier(read(key).orElseThrow(), decision);
    }
    bus.publish(List.of(event));
    LOG.info("reward.reviewed", "campaignId", campaignId, "orderId", orderId,
        "decision", decision);
    return new Reviewed(view(campaignId, orderId, next, decision, reward));
  }

  private Result earlier(Map<String, AttributeValue> reward, String decision) {
    String status = Attr.requiredString(reward, "status");
    if (decision.equals(Attr.string(reward, "decision").orElse(null))) {
      return new Replayed(view(
          Attr.requiredString(reward, "PK").substring("CAMPAIGN#".length()),
          Attr.requiredString(reward, "orderId"), status, decision, reward));
    }
    return new NotHeld(status);
  }

  private Optional<Map<String, AttributeValue>> read(Map<String, AttributeValue> key) {
    Map<String, AttributeValue> item = Reads.item(dynamo, table, key);
    return item.isEmpty() ? Optional.empty() : Optional.of(item);
  }

  private static ObjectNode detail(
      String campaignId, String orderId, Map<String, AttributeValue> reward) {
    ObjectNode detail = Json.object();
    detail.put("campaignId", campaignId);
    detail.put("orderId", orderId);
    detail.put("channel", Attr.requiredString(reward, "channel"));
    detail.put("referrerId", Attr.requiredString(reward, "referrerId"));
    detail.put("refereeId", Attr.requiredString(reward, "refereeId"));
    detail.put("heldFor", Attr.string(reward, "reason").orElse(""));
    return detail;
  }

  private static ObjectNode view(
      String campaignId,
      String orderId,
      String status,
      String decision,
      Map<String, AttributeValue> reward) {
    ObjectNode node = Json.object();
    node.put("campaignId", campaignId);
    node.put("orderId", orderId);
    node.put("status", status);
    node.put("decision", decision);
    node.put("heldFor", Attr.string(reward, "reason").orElse(""));
    return node;
  }
}
