package dev.spur.rewards;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spur.core.budget.BudgetLedger;
import dev.spur.core.campaigns.Campaign;
import dev.spur.core.campaigns.CampaignStore;
import dev.spur.core.campaigns.ExperimentStore;
import dev.spur.core.events.DomainEvent;
import dev.spur.core.events.EventBus;
import dev.spur.core.events.EventTypes;
import dev.spur.core.events.Outbox;
import dev.spur.core.log.Log;
import dev.spur.core.referrers.Referrer;
import dev.spur.core.referrers.ReferrerStore;
import dev.spur.core.referrers.Rollback;
import dev.spur.core.stats.ChannelStats;
import dev.spur.core.stats.Counter;
import dev.spur.core.store.Attr;
import dev.spur.core.store.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Takes a reward back when its qualifying order is refunded in full. Before payout the budget it
 * reserved goes back to its channel; after payout the money is gone, and the clawback is a
 * negative entry in the payout ledger. Either way the referral stops counting: its points, the
 * badges and the tier it brought are rolled back, in one transaction with the reward's new
 * status and the events. A held reward is declined instead, so review cannot pay it later.
 */
public final class Clawbacks {

  private static final Log LOG = Log.of(Clawbacks.class);
  private static final int STANDING_ATTEMPTS = 8;

  private final DynamoDbClient dynamo;
  private final String table;
  private final Rewards rewards;
  private final CampaignStore campaigns;
  private final BudgetLedger ledger;
  private final ChannelStats stats;
  private final ReferrerStore referrers;
  private final ExperimentStore experiments;
  private final Outbox outbox;
  private final EventBus bus;
  private final Clock clock;

  public Clawbacks(
      DynamoDbClient dynamo,
      String table,
      Rewards rewards,
      EventBus bus,
      Outbox outbox,
      Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.rewards = rewards;
    this.campaigns = new CampaignStore(dynamo, table);
    this.ledger = new BudgetLedger(dynamo, table);
    this.stats = new ChannelStats(dynamo, table);
    this.referrers = new ReferrerStore(dynamo, table);
    this.experiments = new ExperimentStore(dynamo, table);
    this.outbox = outbox;
    this.bus = bus;
    this.clock = clock;
  }

  /** What a refund did to its order's reward. */
  public sealed interface Outcome permits ClawedBack, Cancelled, Untouched {}

  /**
   * The reward was taken back.
   *
   * @param phase {@code BEFORE_PAYOUT} (budget returned) or {@code AFTER_PAYOUT} (owed back)
   */
  public record ClawedBack(String orderId, String phase, long cost) implements Outcome {}

  /** A reward waiting for review was declined. */
  public record Cancelled(String orderId) implements Outcome {}

  /**
   * Nothing changed: the order was no referral, the refund was partial, or the reward was
   * declined or clawed back already.
   */
  public record Untouched(String orderId, String reason) implements Outcome {}

  /** Handles an {@code OrderRefunded}. */
  public Outcome refunded(String campaignId, String orderId, boolean fullyRefunded) {
    if (!fullyRefunded) {
      return new Untouched(orderId, "PARTIAL_REFUND");
    }
    Optional<StoredConversion> found = StoredConversion.find(dynamo, table, campaignId, orderId);
    if (found.isEmpty()) {
      return new Untouched(orderId, "NOT_REFERRED");
    }
    StoredConversion conversion = found.get();
    Campaign campaign = campaigns.find(campaignId).orElseThrow(
        () -> new IllegalStateException("refund in unknown campaign " + campaignId));
    for (int attempt = 0; attempt < STANDING_ATTEMPTS; attempt++) {
      Optional<Map<String, AttributeValue>> reward =
          StoredConversion.reward(dynamo, table, campaignId, orderId);
      if (reward.isEmpty()) {
        // The refund overtook the conversion's own event: the reward is declined before it is
        // paid, so the late ConversionRecorded finds it settled and pays and mails nothing.
        if (rewards.declineRefunded(campaignId, orderId)) {
          return new Cancelled(orderId);
        }
        continue;
      }
      String status = Attr.requiredString(reward.get(), "status");
      Optional<Outcome> outcome = switch (status) {
        case "ISSUED" -> Optional.of(clawBack(campaign, conversion));
        case "HELD", "APPROVED" -> cancel(campaign, conversion, status);
        default -> Optional.of(new Untouched(orderId, status));
      };
      if (outcome.isPresent()) {
        return outcome.get();
      }
      // Review or a delivery moved the reward while it was being declined: look again.
    }
    throw new IllegalStateException(
        "refund of " + orderId + " in " + campaignId + " did not settle; the delivery is retried");
  }

  private Outcome clawBack(Campaign campaign, StoredConversion conversion) {
    String campaignId = campaign.id();
    String orderId = conversion.orderId();
    for (int attempt = 0; attempt < STANDING_ATTEMPTS; attempt++) {
      Map<String, AttributeValue> reward =
          StoredConversion.reward(dynamo, table, campaignId, orderId).orElseThrow();
      if (!"ISSUED".equals(Attr.requiredString(reward, "status"))) {
        return new Untouched(orderId, Attr.requiredString(reward, "status"));
      }
      Instant now = clock.instant();
      String payout = Attr.string(reward, "payout").orElse("PAID");
      String phase = "PENDING".equals(payout) ? "BEFORE_PAYOUT" : "AFTER_PAYOUT";
      long cost = Attr.number(reward, "cost");
      Referrer standing = referrers.find(campaignId, conversion.referrerId());
      Rollback rollback =
          Rollback.of(campaign.program(), standing, Attr.number(reward, "referrerPoints"));
      Instant settledAt = Instant.parse(Attr.requiredString(reward, "settledAt"));
      String periodId = Attr.requiredString(reward, "periodId");

      List<DomainEvent> events = new ArrayList<>();
      events.add(
          DomainEvent.about(
              EventTypes.REWARD_CLAWED_BACK,
              campaignId + "/" + orderId,
              detail(campaign, conversion, periodId, phase, cost, rollback, now)));
      if (rollback.tierChanged()) {
        events.add(
            DomainEvent.about(
                EventTypes.TIER_CHANGED,
                campaignId + "/" + orderId + "/clawback",
                Rewards.tierDetail(campaign, conversion.referrerId(), orderId,
                    rollback.tierBefore(), rollback.tierAfter(),
                    Math.max(0, standing.referrals() - 1), "CLAWBACK")));
      }

      List<TransactWriteItem> writes = new ArrayList<>();
      writes.add(statusUpdate(campaignId, orderId, payout, phase, now));
      Map<Counter, Long> counters = new HashMap<>();
      counters.put(Counter.REWARDS_CLAWED_BACK, 1L);
      if (phase.equals("BEFORE_PAYOUT")) {
        if (cost > 0) {
          writes.add(ledger.release(campaignId, periodId, conversion.channel(), cost));
        }
        counters.put(Counter.REWARD_SPEND, -cost);
      } else if (cost > 0) {
        writes.add(Payouts.entry(table, campaignId, campaign.currency(), orderId,
            conversion.referrerId(), "CLAWBACK", -cost, now));
      }
      writes.addAll(stats.add(campaignId, conversion.channel(), settledAt, counters));
      AttributeValue capSlot = reward.get("capSlot");
      if (capSlot != null && Boolean.TRUE.equals(capSlot.bool())) {
        writes.add(capRelease(campaignId, conversion.referrerId(), periodId));
      }
      Optional<String> variant = Attr.string(reward, "variant");
      if (variant.isPresent() && campaign.experiment() != null) {
        writes.add(experiments.converted(campaignId, variant.get(), -1, -cost,
            -conversion.amount().amount()));
      }
      int standingIndex = writes.size();
      writes.add(referrers.rollback(campaign.program(), standing, rollback,
          Attr.number(reward, "referrerCost"), now));
      writes.add(
          referrers.entry(campaignId, conversion.referrerId(),
              new ReferrerStore.Entry(orderId, "CLAWBACK", now, -1, -rollback.points(),
                  List.of(), rollback.badgesRevoked(), Rewards.tierName(rollback.tierBefore()),
                  Rewards.tierName(rollback.tierAfter()))));
      for (DomainEvent event : events) {
        writes.add(outbox.put(event, now));
      }
      switch (Transactions.write(dynamo, writes)) {
        case Transactions.Committed committed -> {
          LOG.info("reward.clawed-back", "campaignId", campaignId, "orderId", orderId,
              "phase", phase, "cost", cost, "points", rollback.points());
          bus.publish(events);
          return new ClawedBack(orderId, phase, cost);
        }
        case Transactions.Refused refused when refused.index() == 0 -> {
          // A concurrent delivery or the payout run changed the reward: read it again.
        }
        case Transactions.Refused refused when refused.index() == standingIndex ->
            // The referrer changed since it was read: read again, after a pause.
            Transactions.pause(attempt + 1);
        case Transactions.Refused refused ->
            throw new IllegalStateException(
                "clawback of " + orderId + " in " + campaignId + ": write " + refused.index()
                    + " refused");
      }
    }
    throw new IllegalStateException(
        "clawback of " + orderId + " in " + campaignId + " did not settle; the delivery is"
            + " retried");
  }

  /** The reward's move to CLAWED_BACK, on condition it is issued and its payout as read. */
  private TransactWriteItem statusUpdate(
      String campaignId, String orderId, String payout, String phase, Instant now) {
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":clawed", Attr.s("CLAWED_BACK"));
    values.put(":issued", Attr.s("ISSUED"));
    values.put(":phase", Attr.s(phase));
    values.put(":now", Attr.s(now.toString()));
    values.put(":pending", Attr.s("PENDING"));
    String condition = "PENDING".equals(payout)
        ? "#status = :issued AND payout = :pending"
        : "#status = :issued AND (attribute_not_exists(payout) OR payout <> :pending)";
    return TransactWriteItem.builder()
        .update(
            Update.builder()
                .tableName(table)
                .key(StoredConversion.rewardKey(campaignId, orderId))
                .updateExpression(
                    "SET #status = :clawed, clawback = :phase, clawedBackAt = :now"
                        + " REMOVE GSI1PK, GSI1SK")
                .conditionExpression(condition)
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(values)
                .build())
        .build();
  }

  private TransactWriteItem capRelease(String campaignId, String referrerId, String periodId) {
    return TransactWriteItem.builder()
        .update(
            Update.builder()
                .tableName(table)
                .key(Rewards.capKey(campaignId, referrerId, periodId))
                .updateExpression("ADD rewards :minus")
                .conditionExpression("rewards > :zero")
                .expressionAttributeValues(Map.of(":minus", Attr.n(-1), ":zero", Attr.n(0)))
                .build())
        .build();
  }

  /** Declines a reward waiting for review; empty when it moved on meanwhile. */
  private Optional<Outcome> cancel(
      Campaign campaign, StoredConversion conversion, String status) {
    Instant now = clock.instant();
    String campaignId = campaign.id();
    String orderId = conversion.orderId();
    Map<String, AttributeValue> reward =
        StoredConversion.reward(dynamo, table, campaignId, orderId).orElseThrow();
    String periodId = Attr.requiredString(reward, "periodId");
    ObjectNode detail = Rewards.baseDetail(conversion, periodId);
    detail.put("reason", "ORDER_REFUNDED");
    detail.set("cost", Rewards.money(Attr.number(reward, "cost"), campaign.currency()));
    DomainEvent event =
        DomainEvent.about(EventTypes.REWARD_DECLINED, campaignId + "/" + orderId, detail);
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(
        TransactWriteItem.builder()
            .update(
                Update.builder()
                    .tableName(table)
                    .key(StoredConversion.rewardKey(campaignId, orderId))
                    .updateExpression("SET #status = :declined, #reason = :refunded")
                    .conditionExpression("#status = :was")
                    .expressionAttributeNames(Map.of("#status", "status", "#reason", "reason"))
                    .expressionAttributeValues(
                        Map.of(
                            ":declined", Attr.s("DECLINED"),
                            ":refunded", Attr.s("ORDER_REFUNDED"),
                            ":was", Attr.s(status)))
                    .build())
            .build());
    writes.addAll(
        stats.add(campaignId, conversion.channel(), now,
            Map.of(Counter.REWARDS_HELD, -1L, Counter.REWARDS_DECLINED, 1L)));
    writes.add(outbox.put(event, now));
    if (Transactions.write(dynamo, writes) instanceof Transactions.Refused) {
      return Optional.empty();
    }
    LOG.info("reward.declined", "campaignId", campaignId, "orderId", orderId,
        "reason", "ORDER_REFUNDED");
    bus.publish(List.of(event));
    return Optional.of(new Cancelled(orderId));
  }

  private static ObjectNode detail(
      Campaign campaign,
      StoredConversion conversion,
      String periodId,
      String phase,
      long cost,
      Rollback rollback,
      Instant now) {
    ObjectNode detail = Rewards.baseDetail(conversion, periodId);
    detail.put("phase", phase);
    detail.set("cost", Rewards.money(cost, campaign.currency()));
    detail.set("budgetReturned",
        Rewards.money(phase.equals("BEFORE_PAYOUT") ? cost : 0, campaign.currency()));
    detail.set("owed", Rewards.money(phase.equals("AFTER_PAYOUT") ? cost : 0,
        campaign.currency()));
    detail.put("pointsReversed", rollback.points());
    var badges = detail.putArray("badgesRevoked");
    rollback.badgesRevoked().forEach(badges::add);
    detail.put("clawedBackAt", now.toString());
    return detail;
  }
}
