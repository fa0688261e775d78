package dev.spur.rewards;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spur.core.budget.BudgetLedger;
import dev.spur.core.campaigns.Campaign;
import dev.spur.core.campaigns.CampaignStore;
import dev.spur.core.campaigns.RewardRule;
import dev.spur.core.campaigns.RewardType;
import dev.spur.core.events.DomainEvent;
import dev.spur.core.events.EventBus;
import dev.spur.core.events.EventTypes;
import dev.spur.core.events.Outbox;
import dev.spur.core.fraud.Velocity;
import dev.spur.core.json.Json;
import dev.spur.core.log.Log;
import dev.spur.core.mail.Mailer;
import dev.spur.core.money.Money;
import dev.spur.core.stats.ChannelStats;
import dev.spur.core.stats.Counter;
import dev.spur.core.store.Attr;
import dev.spur.core.store.Keys;
import dev.spur.core.store.Reads;
import dev.spur.core.store.Transactions;
import dev.spur.core.store.Writes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Pays the two sides of a conversion exactly once, within the channel's budget.
 *
 * <p>The reward item is keyed by the order, so however often {@code ConversionRecorded} arrives
 * only one reward can exist; it is written in one transaction with the budget reservation, the
 * counters, the referrer's totals and the announcing event. The emails follow, each claimed
 * with a short lease before sending and marked after, so a retry sends what is missing and a
 * concurrent duplicate does not send it twice.
 */
public final class Rewards {

  private static final Log LOG = Log.of(Rewards.class);
  private static final Duration EMAIL_LEASE = Duration.ofMinutes(2);

  private final DynamoDbClient dynamo;
  private final String table;
  private final CampaignStore campaigns;
  private final BudgetLedger ledger;
  private final ChannelStats stats;
  private final Outbox outbox;
  private final EventBus bus;
  private final Mailer mailer;
  private final Clock clock;

  public Rewards(
      DynamoDbClient dynamo,
      String table,
      EventBus bus,
      Outbox outbox,
      Mailer mailer,
      Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.campaigns = new CampaignStore(dynamo, table);
    this.ledger = new BudgetLedger(dynamo, table);
    this.stats = new ChannelStats(dynamo, table);
    this.outbox = outbox;
    this.bus = bus;
    this.mailer = mailer;
    this.clock = clock;
  }

  /** What handling one {@code ConversionRecorded} came to. */
  public sealed interface Outcome permits Issued, Declined, Held, AlreadySettled {}

  /** Both rewards were paid. */
  public record Issued(String orderId, long cost) implements Outcome {}

  /** The budget could not cover the rewards; nothing was paid. */
  public record Declined(String orderId, String reason) implements Outcome {}

  /**
   * A limit of the campaign was passed: nothing was paid, and the reward waits for review.
   *
   * @param reason {@code REFERRER_CAP} or {@code VELOCITY}
   */
  public record Held(String orderId, String reason) implements Outcome {}

  /** The conversion was settled by an earlier delivery; only missing emails were sent. */
  public record AlreadySettled(String orderId, String status) implements Outcome {}

  /** The conversion as stored, which is the truth the event points at. */
  private record StoredConversion(
      String campaignId,
      String orderId,
      String conversionId,
      String channel,
      String referrerId,
      String refereeId,
      Money amount,
      Instant recordedAt,
      String email) {}

  /** Settles the conversion an event announces. */
  public Outcome settle(String campaignId, String orderId) {
    StoredConversion conversion = conversion(campaignId, orderId);
    Campaign campaign = campaigns.find(campaignId).orElseThrow(
        () -> new IllegalStateException("conversion of unknown campaign " + campaignId));

    Optional<Map<String, AttributeValue>> existing = reward(campaignId, orderId);
    if (existing.isPresent()) {
      return resume(campaign, conversion, existing.get());
    }

    Instant now = clock.instant();
    String periodId = campaign.periodAt(conversion.recordedAt());
    long referrerValue = campaign.referrerReward().valueFor(conversion.amount());
    long refereeValue = campaign.refereeReward().valueFor(conversion.amount());
    long cost = campaign.rewardCost(conversion.amount());
    if (tooFast(campaign, conversion)) {
      return hold(campaign, conversion, periodId, cost, "VELOCITY", now);
    }
    int reserveIndex = cost > 0 ? 1 : -1;
    int capIndex = campaign.limits().rewardsPerReferrerPerPeriod() == null ? -1
        : (cost > 0 ? 2 : 1);

    DomainEvent event =
        DomainEvent.about(
            EventTypes.REWARD_ISSUED,
            campaignId + "/" + orderId,
            issuedDetail(campaign, conversion, periodId, referrerValue, refereeValue, cost, now));
    for (int attempt = 0; attempt < 2; attempt++) {
      Transactions.Outcome written =
          Transactions.write(
              dynamo,
              issueWrites(campaign, conversion, periodId, referrerValue, refereeValue, cost,
                  event, now));
      switch (written) {
        case Transactions.Committed committed -> {
          LOG.info(
              "reward.issued",
              "campaignId", campaignId,
              "orderId", orderId,
              "channel", conversion.channel(),
              "periodId", periodId,
              "cost", cost);
          bus.publish(List.of(event));
          sendEmails(campaign, conversion, reward(campaignId, orderId).orElseThrow());
          return new Issued(orderId, cost);
        }
        case Transactions.Refused refused when refused.index() == 0 -> {
          return resume(campaign, conversion, reward(campaignId, orderId).orElseThrow());
        }
        case Transactions.Refused refused when refused.index() == capIndex -> {
          return hold(campaign, conversion, periodId, cost, "REFERRER_CAP", now);
        }
        case Transactions.Refused refused
            when refused.index() == reserveIndex && refused.existing().isEmpty() -> {
          // The period has no budget items yet: the first reward of a new period opens it
          // with the campaign's current allocation, then tries again.
          ledger.openPeriod(campaignId, periodId);
        }
        case Transactions.Refused refused -> {
          return decline(campaign, conversion, periodId, cost, now);
        }
      }
    }
    throw new IllegalStateException("period " + periodId + " of " + campaignId + " did not open");
  }

  private List<TransactWriteItem> issueWrites(
      Campaign campaign,
      StoredConversion conversion,
      String periodId,
      long referrerValue,
      long refereeValue,
      long cost,
      DomainEvent event,
      Instant now) {
    String currency = campaign.currency();

    Map<String, AttributeValue> item = rewardItem(conversion, periodId, "ISSUED", now);
    item.put("referrerRewardType", Attr.s(campaign.referrerReward().type().name()));
    item.put("referrerRewardValue", Attr.n(referrerValue));
    item.put("refereeRewardType", Attr.s(campaign.refereeReward().type().name()));
    item.put("refereeRewardValue", Attr.n(refereeValue));
    item.put("cost", Attr.n(cost));
    item.put("currency", Attr.s(currency));

    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(Writes.putNew(table, item));
    if (cost > 0) {
      writes.add(ledger.reserve(conversion.campaignId(), periodId, conversion.channel(), cost));
    }
    Integer cap = campaign.limits().rewardsPerReferrerPerPeriod();
    if (cap != null) {
      writes.add(
          TransactWriteItem.builder()
              .update(
                  Update.builder()
                      .tableName(table)
                      .key(Keys.of(Keys.campaign(conversion.campaignId()),
                          "REFERRER_PERIOD#" + conversion.referrerId() + "#" + periodId))
                      .updateExpression("ADD rewards :one")
                      .conditionExpression("attribute_not_exists(rewards) OR rewards < :cap")
                      .expressionAttributeValues(Map.of(":one", Attr.n(1), ":cap", Attr.n(cap)))
                      .build())
              .build());
    }
    writes.addAll(
        stats.add(
            conversion.campaignId(),
            conversion.channel(),
            now,
            Map.of(Counter.REWARDS_ISSUED, 1L, Counter.REWARD_SPEND, cost)));
    writes.add(referrerTotals(campaign, conversion, referrerValue));
    writes.add(outbox.put(event, now));
    return writes;
  }

  /** The write that adds a paid referral to the referrer's totals. */
  private TransactWriteItem referrerTotals(
      Campaign campaign, StoredConversion conversion, long referrerValue) {
    long points = campaign.referrerReward().type() == RewardType.POINTS ? referrerValue : 0;
    long earned = campaign.referrerReward().costFor(conversion.amount());
    return TransactWriteItem.builder()
        .update(
            Update.builder()
                .tableName(table)
                .key(Keys.of(Keys.campaign(conversion.campaignId()),
                    "REFERRER#" + conversion.referrerId()))
                .updateExpression("ADD referrals :one, points :points, earned :earned")
                .expressionAttributeValues(
                    Map.of(":one", Attr.n(1), ":points", Attr.n(points),
                        ":earned", Attr.n(earned)))
                .build())
        .build();
  }

  private Outcome decline(
      Campaign campaign, StoredConversion conversion, String periodId, long cost, Instant now) {
    if (!recordUnpaid(campaign, conversion, periodId, cost, "DECLINED", "BUDGET_EXHAUSTED",
        Counter.REWARDS_DECLINED, EventTypes.REWARD_DECLINED, now)) {
      return resume(campaign, conversion,
          reward(conversion.campaignId(), conversion.orderId()).orElseThrow());
    }
    return new Declined(conversion.orderId(), "BUDGET_EXHAUSTED");
  }

  /**
   * Records a reward that is not paid (declined, or held for review) with its reason: the
   * reward item, its counter and its event in one transaction. Returns false when an earlier
   * delivery settled the conversion first.
   */
  private boolean recordUnpaid(
      Campaign campaign,
      StoredConversion conversion,
      String periodId,
      long cost,
      String status,
      String reason,
      Counter counter,
      String eventType,
      Instant now) {
    DomainEvent event =
        DomainEvent.about(
            eventType,
            conversion.campaignId() + "/" + conversion.orderId(),
            unpaidDetail(campaign, conversion, periodId, cost, reason));
    Map<String, AttributeValue> item = rewardItem(conversion, periodId, status, now);
    item.put("reason", Attr.s(reason));
    item.put("cost", Attr.n(cost));
    item.put("currency", Attr.s(campaign.currency()));
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(Writes.putNew(table, item));
    writes.addAll(
        stats.add(conversion.campaignId(), conversion.channel(), now, Map.of(counter, 1L)));
    writes.add(outbox.put(event, now));
    if (Transactions.write(dynamo, writes) instanceof Transactions.Refused) {
      return false;
    }
    LOG.info(
        "reward." + status.toLowerCase(Locale.ROOT),
        "campaignId", conversion.campaignId(),
        "orderId", conversion.orderId(),
        "channel", conversion.channel(),
        "periodId", periodId,
        "cost", cost,
        "reason", reason);
    bus.publish(List.of(event));
    return true;
  }

  /**
   * Pays a reward that review approved, within the channel's budget as it stands now; when the
   * budget cannot cover it any more, it is declined. Repeats find it settled.
   */
  public Outcome settleApproved(String campaignId, String orderId) {
    StoredConversion conversion = conversion(campaignId, orderId);
    Campaign campaign = campaigns.find(campaignId).orElseThrow(
        () -> new IllegalStateException("reward of unknown campaign " + campaignId));
    Map<String, AttributeValue> reward = reward(campaignId, orderId).orElseThrow(
        () -> new IllegalStateException("no reward " + orderId + " to pay after review"));
    if (!"APPROVED".equals(Attr.requiredString(reward, "status"))) {
      return resume(campaign, conversion, reward);
    }
    Instant now = clock.instant();
    String periodId = Attr.requiredString(reward, "periodId");
    long referrerValue = campaign.referrerReward().valueFor(conversion.amount());
    long refereeValue = campaign.refereeReward().valueFor(conversion.amount());
    long cost = campaign.rewardCost(conversion.amount());
    DomainEvent event =
        DomainEvent.about(
            EventTypes.REWARD_ISSUED,
            campaignId + "/" + orderId,
            issuedDetail(campaign, conversion, periodId, referrerValue, refereeValue, cost, now));
    Map<String, AttributeValue> key = Keys.of(Keys.campaign(campaignId), "REWARD#" + orderId);
    for (int attempt = 0; attempt < 2; attempt++) {
      List<TransactWriteItem> writes = new ArrayList<>();
      writes.add(
          TransactWriteItem.builder()
              .update(
                  Update.builder()
                      .tableName(table)
                      .key(key)
                      .updateExpression(
                          "SET #status = :issued, referrerRewardType = :rt,"
                              + " referrerRewardValue = :rv, refereeRewardType = :et,"
                              + " refereeRewardValue = :ev, cost = :cost, settledAt = :now")
                      .conditionExpression("#status = :approved")
                      .expressionAttributeNames(Map.of("#status", "status"))
                      .expressionAttributeValues(
                          Map.of(
                              ":issued", Attr.s("ISSUED"),
                              ":approved", Attr.s("APPROVED"),
                              ":rt", Attr.s(campaign.referrerReward().type().name()),
                              ":rv", Attr.n(referrerValue),
                              ":et", Attr.s(campaign.refereeReward().type().name()),
                              ":ev", Attr.n(refereeValue),
                              ":cost", Attr.n(cost),
                              ":now", Attr.s(now.toString())))
                      .build())
              .build());
      if (cost > 0) {
        writes.add(ledger.reserve(campaignId, periodId, conversion.channel(), cost));
      }
      writes.addAll(
          stats.add(campaignId, conversion.channel(), now,
              Map.of(Counter.REWARDS_ISSUED, 1L, Counter.REWARD_SPEND, cost,
                  Counter.REWARDS_HELD, -1L)));
      writes.add(referrerTotals(campaign, conversion, referrerValue));
      writes.add(outbox.put(event, now));
      switch (Transactions.write(dynamo, writes)) {
        case Transactions.Committed committed -> {
          LOG.info("reward.issued-after-review", "campaignId", campaignId, "orderId", orderId,
              "cost", cost);
          bus.publish(List.of(event));
          sendEmails(campaign, conversion, reward(campaignId, orderId).orElseThrow());
          return new Issued(orderId, cost);
        }
        case Transactions.Refused refused when refused.index() == 0 -> {
          return resume(campaign, conversion, reward(campaignId, orderId).orElseThrow());
        }
        case Transactions.Refused refused when refused.existing().isEmpty() ->
            ledger.openPeriod(campaignId, periodId);
        case Transactions.Refused refused -> {
          return declineApproved(campaign, conversion, periodId, cost, key, now);
        }
      }
    }
    throw new IllegalStateException("period " + periodId + " of " + campaignId + " did not open");
  }

  private Outcome declineApproved(
      Campaign campaign,
      StoredConversion conversion,
      String periodId,
      long cost,
      Map<String, AttributeValue> key,
      Instant now) {
    DomainEvent event =
        DomainEvent.about(
            EventTypes.REWARD_DECLINED,
            conversion.campaignId() + "/" + conversion.orderId(),
            unpaidDetail(campaign, conversion, periodId, cost, "BUDGET_EXHAUSTED"));
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(
        TransactWriteItem.builder()
            .update(
                Update.builder()
                    .tableName(table)
                    .key(key)
                    .updateExpression("SET #status = :declined, #reason = :exhausted")
                    .conditionExpression("#status = :approved")
                    .expressionAttributeNames(Map.of("#status", "status", "#reason", "reason"))
                    .expressionAttributeValues(
                        Map.of(
                            ":declined", Attr.s("DECLINED"),
                            ":approved", Attr.s("APPROVED"),
                            ":exhausted", Attr.s("BUDGET_EXHAUSTED")))
                    .build())
            .build());
    writes.addAll(
        stats.add(conversion.campaignId(), conversion.channel(), now,
            Map.of(Counter.REWARDS_HELD, -1L, Counter.REWARDS_DECLINED, 1L)));
    writes.add(outbox.put(event, now));
    if (Transactions.write(dynamo, writes) instanceof Transactions.Committed) {
      bus.publish(List.of(event));
      return new Declined(conversion.orderId(), "BUDGET_EXHAUSTED");
    }
    return resume(campaign, conversion,
        reward(conversion.campaignId(), conversion.orderId()).orElseThrow());
  }

  /** True when the referrer's conversions in the conversion's hour passed the velocity limit. */
  private boolean tooFast(Campaign campaign, StoredConversion conversion) {
    Integer limit = campaign.limits().conversionsPerReferrerPerHour();
    if (limit == null) {
      return false;
    }
    Map<String, AttributeValue> count =
        Reads.item(
            dynamo,
            table,
            Keys.of(
                Keys.campaign(conversion.campaignId()),
                Velocity.sortKey(conversion.referrerId(), conversion.recordedAt())));
    return Attr.number(count, "conversions") > limit;
  }

  /**
   * Holds the reward for review: it is recorded with its reason, counted and announced, and
   * nothing is paid or reserved.
   */
  private Outcome hold(
      Campaign campaign,
      StoredConversion conversion,
      String periodId,
      long cost,
      String reason,
      Instant now) {
    if (!recordUnpaid(campaign, conversion, periodId, cost, "HELD", reason,
        Counter.REWARDS_HELD, EventTypes.REWARD_HELD, now)) {
      return resume(campaign, conversion,
          reward(conversion.campaignId(), conversion.orderId()).orElseThrow());
    }
    return new Held(conversion.orderId(), reason);
  }

  private Outcome resume(
      Campaign campaign, StoredConversion conversion, Map<String, AttributeValue> reward) {
    String status = Attr.requiredString(reward, "status");
    LOG.info(
        "reward.duplicate-delivery",
        "campaignId", conversion.campaignId(),
        "orderId", conversion.orderId(),
        "status", status);
    if ("ISSUED".equals(status)) {
      sendEmails(campaign, conversion, reward);
    }
    return new AlreadySettled(conversion.orderId(), status);
  }

  private void sendEmails(
      Campaign campaign, StoredConversion conversion, Map<String, AttributeValue> reward) {
    String currency = campaign.currency();
    Optional<String> referrerAddress = referrerEmail(conversion);
    RewardRule referrerRule = campaign.referrerReward();
    RewardRule refereeRule = campaign.refereeReward();
    long referrerValue = Attr.number(reward, "referrerRewardValue");
    long refereeValue = Attr.number(reward, "refereeRewardValue");
    sendOnce(conversion, reward, "referrerEmail",
        referrerAddress.map(to -> RewardEmails.forReferrer(to, campaign.name(), referrerRule,
            referrerValue, currency)));
    sendOnce(conversion, reward, "refereeEmail",
        Optional.ofNullable(conversion.email()).map(to -> RewardEmails.forReferee(to,
            campaign.name(), refereeRule, refereeValue, currency)));
  }

  /**
   * Sends one email unless it was sent: claims it with a lease, sends, marks it sent. A crash
   * between sending and marking can repeat the email once the lease runs out; it never loses it.
   * The claim carries a token, so the SDK's retry of a claim whose answer was lost still holds
   * it. A send that fails releases the claim and fails the delivery, and so does finding the
   * email claimed by another delivery: the event comes again and finishes the job.
   */
  private void sendOnce(
      StoredConversion conversion,
      Map<String, AttributeValue> reward,
      String attribute,
      Optional<Mailer.Email> email) {
    if ("SENT".equals(Attr.string(reward, attribute).orElse(null))
        || "NO_ADDRESS".equals(Attr.string(reward, attribute).orElse(null))) {
      return;
    }
    Instant now = clock.instant();
    Map<String, AttributeValue> key =
        Keys.of(Keys.campaign(conversion.campaignId()), "REWARD#" + conversion.orderId());
    if (email.isEmpty()) {
      mark(key, attribute, "NO_ADDRESS");
      return;
    }
    String token = UUID.randomUUID().toString();
    Map<String, String> names =
        Map.of("#state", attribute, "#lease", attribute + "Lease", "#claim", attribute + "Claim");
    try {
      dynamo.updateItem(
          UpdateItemRequest.builder()
              .tableName(table)
              .key(key)
              .updateExpression("SET #state = :sending, #lease = :until, #claim = :token")
              .conditionExpression(
                  "attribute_not_exists(#state) OR #claim = :token"
                      + " OR (#state = :sending AND #lease < :now)")
              .expressionAttributeNames(names)
              .expressionAttributeValues(
                  Map.of(
                      ":sending", Attr.s("SENDING"),
                      ":until", Attr.s(now.plus(EMAIL_LEASE).toString()),
                      ":now", Attr.s(now.toString()),
                      ":token", Attr.s(token)))
              .build());
    } catch (ConditionalCheckFailedException e) {
      String state = reward(conversion.campaignId(), conversion.orderId())
          .flatMap(item -> Attr.string(item, attribute)).orElse("");
      if (state.equals("SENT") || state.equals("NO_ADDRESS")) {
        return;
      }
      throw new IllegalStateException(
          attribute + " of " + conversion.orderId() + " is being sent by another delivery");
    }
    try {
      mailer.send(email.get());
    } catch (RuntimeException e) {
      dynamo.updateItem(
          UpdateItemRequest.builder()
              .tableName(table)
              .key(key)
              .updateExpression("REMOVE #state, #lease, #claim")
              .conditionExpression("#claim = :token")
              .expressionAttributeNames(names)
              .expressionAttributeValues(Map.of(":token", Attr.s(token)))
              .build());
      throw e;
    }
    mark(key, attribute, "SENT");
    LOG.info(
        "reward.email-sent",
        "campaignId", conversion.campaignId(),
        "orderId", conversion.orderId(),
        "email", attribute);
  }

  private void mark(Map<String, AttributeValue> key, String attribute, String state) {
    dynamo.updateItem(
        UpdateItemRequest.builder()
            .tableName(table)
            .key(key)
            .updateExpression("SET #state = :state")
            .expressionAttributeNames(Map.of("#state", attribute))
            .expressionAttributeValues(Map.of(":state", Attr.s(state)))
            .build());
  }

  private Optional<String> referrerEmail(StoredConversion conversion) {
    Map<String, AttributeValue> item =
        Reads.item(
            dynamo,
            table,
            Keys.of(Keys.campaign(conversion.campaignId()), "REFERRER#" + conversion.referrerId()));
    return Attr.string(item, "email");
  }

  private StoredConversion conversion(String campaignId, String orderId) {
    Map<String, AttributeValue> item =
        Reads.item(dynamo, table, Keys.of(Keys.campaign(campaignId), "CONVERSION#" + orderId));
    if (item.isEmpty()) {
      throw new IllegalStateException(
          "no conversion " + orderId + " in campaign " + campaignId + " for this event");
    }
    return new StoredConversion(
        campaignId,
        orderId,
        Attr.requiredString(item, "conversionId"),
        Attr.requiredString(item, "channel"),
        Attr.requiredString(item, "referrerId"),
        Attr.requiredString(item, "refereeId"),
        new Money(Attr.number(item, "amount"), Attr.requiredString(item, "currency")),
        Instant.parse(Attr.requiredString(item, "recordedAt")),
        Attr.string(item, "email").orElse(null));
  }

  private Optional<Map<String, AttributeValue>> reward(String campaignId, String orderId) {
    Map<String, AttributeValue> item =
        Reads.item(dynamo, table, Keys.of(Keys.campaign(campaignId), "REWARD#" + orderId));
    return item.isEmpty() ? Optional.empty() : Optional.of(item);
  }

  private static Map<String, AttributeValue> rewardItem(
      StoredConversion conversion, String periodId, String status, Instant now) {
    Map<String, AttributeValue> item =
        new HashMap<>(
            Keys.of(Keys.campaign(conversion.campaignId()), "REWARD#" + conversion.orderId()));
    item.put("type", Attr.s("Reward"));
    item.put("status", Attr.s(status));
    item.put("orderId", Attr.s(conversion.orderId()));
    item.put("conversionId", Attr.s(conversion.conversionId()));
    item.put("channel", Attr.s(conversion.channel()));
    item.put("referrerId", Attr.s(conversion.referrerId()));
    item.put("refereeId", Attr.s(conversion.refereeId()));
    item.put("periodId", Attr.s(periodId));
    item.put("settledAt", Attr.s(now.toString()));
    return item;
  }

  private static ObjectNode baseDetail(StoredConversion conversion, String periodId) {
    ObjectNode detail = Json.object();
    detail.put("campaignId", conversion.campaignId());
    detail.put("orderId", conversion.orderId());
    detail.put("conversionId", conversion.conversionId());
    detail.put("channel", conversion.channel());
    detail.put("referrerId", conversion.referrerId());
    detail.put("refereeId", conversion.refereeId());
    detail.put("periodId", periodId);
    return detail;
  }

  private static ObjectNode issuedDetail(
      Campaign campaign,
      StoredConversion conversion,
      String periodId,
      long referrerValue,
      long refereeValue,
      long cost,
      Instant now) {
    ObjectNode detail = baseDetail(conversion, periodId);
    detail.set("referrerReward", rewardDetail(campaign.referrerReward(), referrerValue,
        campaign.currency()));
    detail.set("refereeReward", rewardDetail(campaign.refereeReward(), refereeValue,
        campaign.currency()));
    detail.set("cost", money(cost, campaign.currency()));
    detail.put("issuedAt", now.toString());
    return detail;
  }

  private static ObjectNode unpaidDetail(
      Campaign campaign, StoredConversion conversion, String periodId, long cost, String reason) {
    ObjectNode detail = baseDetail(conversion, periodId);
    detail.put("reason", reason);
    detail.set("cost", money(cost, campaign.currency()));
    return detail;
  }

  private static ObjectNode rewardDetail(RewardRule rule, long value, String currency) {
    ObjectNode node = Json.object();
    node.put("type", rule.type().name());
    if (rule.type() == RewardType.POINTS) {
      node.put("points", value);
    } else {
      node.set("value", money(value, currency));
    }
    return node;
  }

  private static ObjectNode money(long amount, String currency) {
    ObjectNode node = Json.object();
    node.put("amount", amount);
    node.put("currency", currency);
    return node;
  }
}
