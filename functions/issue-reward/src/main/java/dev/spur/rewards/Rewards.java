package dev.spur.rewards;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spur.core.budget.BudgetLedger;
import dev.spur.core.campaigns.Campaign;
import dev.spur.core.campaigns.CampaignStore;
import dev.spur.core.campaigns.ExperimentStore;
import dev.spur.core.campaigns.Limits;
import dev.spur.core.campaigns.Milestone;
import dev.spur.core.campaigns.RewardRule;
import dev.spur.core.campaigns.RewardType;
import dev.spur.core.campaigns.Tier;
import dev.spur.core.events.DomainEvent;
import dev.spur.core.events.EventBus;
import dev.spur.core.events.EventTypes;
import dev.spur.core.events.Outbox;
import dev.spur.core.fraud.Velocity;
import dev.spur.core.json.Json;
import dev.spur.core.log.Log;
import dev.spur.core.links.ReferralLink;
import dev.spur.core.links.ReferralLinks;
import dev.spur.core.mail.Mailer;
import dev.spur.core.mail.Suppressions;
import dev.spur.core.referrers.Progress;
import dev.spur.core.referrers.Referrer;
import dev.spur.core.referrers.ReferrerStore;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * by the delivery before sending and marked after, so a retry of that delivery sends what is
 * missing and another delivery at the same time does not send it twice.
 */
public final class Rewards {

  private static final Log LOG = Log.of(Rewards.class);
  private static final Duration EMAIL_LEASE = Duration.ofMinutes(2);
  /** Reads of the referrer's standing before a reward gives up; the delivery is retried. */
  private static final int STANDING_ATTEMPTS = 8;
  /** States of an email after which it is never tried again. */
  private static final Set<String> FINAL_EMAIL_STATES =
      Set.of("SENT", "NO_ADDRESS", "SUPPRESSED", "NOT_NEEDED");

  private final DynamoDbClient dynamo;
  private final String table;
  private final CampaignStore campaigns;
  private final BudgetLedger ledger;
  private final ChannelStats stats;
  private final ReferrerStore referrers;
  private final ExperimentStore experiments;
  private final Outbox outbox;
  private final EventBus bus;
  private final Mailer mailer;
  private final Suppressions suppressions;
  private final ReferralLinks links;
  private final String publicBaseUrl;
  private final Clock clock;

  public Rewards(
      DynamoDbClient dynamo,
      String table,
      EventBus bus,
      Outbox outbox,
      Mailer mailer,
      String publicBaseUrl,
      Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.campaigns = new CampaignStore(dynamo, table);
    this.ledger = new BudgetLedger(dynamo, table);
    this.stats = new ChannelStats(dynamo, table);
    this.referrers = new ReferrerStore(dynamo, table);
    this.experiments = new ExperimentStore(dynamo, table);
    this.outbox = outbox;
    this.bus = bus;
    this.mailer = mailer;
    this.suppressions = new Suppressions(dynamo, table);
    this.links = new ReferralLinks(dynamo, table, bus, outbox, clock);
    this.publicBaseUrl = publicBaseUrl.endsWith("/")
        ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
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

  /**
   * Settles the conversion an event announces.
   *
   * @param delivery the id of the bus event being handled, the same in every retry of it: an
   *     email this delivery claimed and could not finish, its retry takes back at once
   */
  public Outcome settle(String campaignId, String orderId, String delivery) {
    StoredConversion conversion = conversion(campaignId, orderId);
    Campaign campaign = campaigns.find(campaignId).orElseThrow(
        () -> new IllegalStateException("conversion of unknown campaign " + campaignId));

    Optional<Map<String, AttributeValue>> existing = reward(campaignId, orderId);
    if (existing.isPresent()) {
      return resume(campaign, conversion, existing.get(), delivery);
    }

    Instant now = clock.instant();
    String periodId = campaign.periodAt(conversion.recordedAt());
    Optional<String> tooFast = velocity(campaign, conversion);
    if (tooFast.isPresent()) {
      return hold(campaign, conversion, periodId, baseCost(campaign, conversion), tooFast.get(),
          delivery, now);
    }
    return pay(campaign, conversion, periodId, false, delivery, now);
  }

  /**
   * Pays a reward that review approved, within the channel's budget as it stands now; when the
   * budget cannot cover it any more, it is declined. Repeats find it settled.
   *
   * @param delivery the id of the bus event being handled, as for {@link #settle}
   */
  public Outcome settleApproved(String campaignId, String orderId, String delivery) {
    StoredConversion conversion = conversion(campaignId, orderId);
    Campaign campaign = campaigns.find(campaignId).orElseThrow(
        () -> new IllegalStateException("reward of unknown campaign " + campaignId));
    Map<String, AttributeValue> reward = reward(campaignId, orderId).orElseThrow(
        () -> new IllegalStateException("no reward " + orderId + " to pay after review"));
    if (!"APPROVED".equals(Attr.requiredString(reward, "status"))) {
      return resume(campaign, conversion, reward, delivery);
    }
    return pay(campaign, conversion, Attr.requiredString(reward, "periodId"), true, delivery,
        clock.instant());
  }

  /**
   * Pays both sides in one transaction: the reward item (new, or the approved one), the budget
   * reservation, the referrer's cap, the counters, the referrer's standing and ledger, the
   * payout entry when there is no hold, and the events. The referrer's standing is read first
   * and written on condition that it did not change, because the referral's tier, points and
   * badges depend on it; a concurrent change makes it read again.
   */
  private Outcome pay(
      Campaign campaign,
      StoredConversion conversion,
      String periodId,
      boolean approved,
      String delivery,
      Instant now) {
    String campaignId = campaign.id();
    String orderId = conversion.orderId();
    for (int attempt = 0; attempt < STANDING_ATTEMPTS; attempt++) {
      Referrer before = referrers.find(campaignId, conversion.referrerId());
      Payment payment = Payment.of(campaign, conversion, before);
      Batch batch = payWrites(campaign, conversion, periodId, payment, approved, now);
      switch (Transactions.write(dynamo, batch.writes)) {
        case Transactions.Committed committed -> {
          LOG.info(
              approved ? "reward.issued-after-review" : "reward.issued",
              "campaignId", campaignId,
              "orderId", orderId,
              "channel", conversion.channel(),
              "periodId", periodId,
              "cost", payment.cost(),
              "referralNumber", payment.progress().referralNumber());
          bus.publish(batch.events);
          sendEmails(campaign, conversion, reward(campaignId, orderId).orElseThrow(), delivery);
          return new Issued(orderId, payment.cost());
        }
        case Transactions.Refused refused when refused.index() == batch.reward -> {
          return resume(campaign, conversion, reward(campaignId, orderId).orElseThrow(),
              delivery);
        }
        case Transactions.Refused refused when refused.index() == batch.cap -> {
          return hold(campaign, conversion, periodId, payment.cost(), "REFERRER_CAP", delivery,
              now);
        }
        case Transactions.Refused refused
            when refused.index() == batch.reserve && refused.existing().isEmpty() -> {
          // The period has no budget items yet: the first reward of a new period opens it
          // with the campaign's current allocation, then tries again.
          ledger.openPeriod(campaignId, periodId);
        }
        case Transactions.Refused refused when refused.index() == batch.reserve -> {
          return approved
              ? declineApproved(campaign, conversion, periodId, payment.cost(),
                  StoredConversion.rewardKey(campaignId, orderId), delivery, now)
              : decline(campaign, conversion, periodId, payment.cost(), delivery, now);
        }
        case Transactions.Refused refused when refused.index() == batch.referrer -> {
          LOG.info("reward.standing-changed", "campaignId", campaignId, "orderId", orderId,
              "attempt", attempt);
          Transactions.pause(attempt + 1);
        }
        case Transactions.Refused refused ->
            throw new IllegalStateException(
                "reward " + orderId + " of " + campaignId + ": write " + refused.index()
                    + " refused");
      }
    }
    throw new IllegalStateException(
        "reward " + orderId + " of " + campaignId + " did not settle in " + STANDING_ATTEMPTS
            + " attempts; the delivery is retried");
  }

  /** What one paid referral earns each side and costs, for a referrer standing as read. */
  record Payment(
      Referrer before,
      Progress progress,
      RewardRule referrerRule,
      RewardRule refereeRule,
      long refereeValue,
      long refereeCost) {

    static Payment of(Campaign campaign, StoredConversion conversion, Referrer before) {
      RewardRule referrerRule = campaign.referrerRewardIn(before.variant());
      RewardRule refereeRule = campaign.refereeRewardIn(before.variant());
      Progress progress =
          Progress.next(campaign.program(), before, referrerRule, conversion.amount());
      return new Payment(before, progress, referrerRule, refereeRule,
          refereeRule.valueFor(conversion.amount()), refereeRule.costFor(conversion.amount()));
    }

    long cost() {
      return progress.referrerCost() + refereeCost;
    }
  }

  /** The writes of one transaction, the positions the outcome is read by, and its events. */
  private static final class Batch {
    final List<TransactWriteItem> writes = new ArrayList<>();
    final List<DomainEvent> events = new ArrayList<>();
    int reward = -1;
    int reserve = -1;
    int cap = -1;
    int referrer = -1;

    int add(TransactWriteItem write) {
      writes.add(write);
      return writes.size() - 1;
    }
  }

  private Batch payWrites(
      Campaign campaign,
      StoredConversion conversion,
      String periodId,
      Payment payment,
      boolean approved,
      Instant now) {
    String campaignId = campaign.id();
    String currency = campaign.currency();
    Progress progress = payment.progress();
    boolean held = campaign.holdDays() > 0;
    Instant payoutAt = campaign.payoutAt(now);

    Map<String, AttributeValue> values = new HashMap<>();
    values.put("referrerRewardType", Attr.s(payment.referrerRule().type().name()));
    values.put("referrerRewardValue", Attr.n(progress.referrerValue()));
    values.put("refereeRewardType", Attr.s(payment.refereeRule().type().name()));
    values.put("refereeRewardValue", Attr.n(payment.refereeValue()));
    values.put("referrerCost", Attr.n(progress.referrerCost()));
    values.put("refereeCost", Attr.n(payment.refereeCost()));
    values.put("cost", Attr.n(payment.cost()));
    values.put("currency", Attr.s(currency));
    values.put("referralNumber", Attr.n(progress.referralNumber()));
    values.put("referrerPoints", Attr.n(progress.referralPoints() + progress.rewardPoints()));
    values.put("badgesEarned", Attr.strings(progress.badges()));
    values.put("settledAt", Attr.s(now.toString()));
    if (progress.tierBefore() != null) {
      values.put("tierBefore", Attr.s(progress.tierBefore().name()));
    }
    if (progress.tierAfter() != null) {
      values.put("tierAfter", Attr.s(progress.tierAfter().name()));
    }
    if (payment.before().variant() != null) {
      values.put("variant", Attr.s(payment.before().variant()));
    }
    if (held) {
      values.put("payout", Attr.s("PENDING"));
      values.put("payoutAt", Attr.s(payoutAt.toString()));
      values.put("GSI1PK", Attr.s(Payouts.PENDING));
      values.put("GSI1SK", Attr.s(Payouts.dueKey(payoutAt, campaignId, conversion.orderId())));
    } else {
      values.put("payout", Attr.s("PAID"));
      values.put("paidAt", Attr.s(now.toString()));
    }

    // A reward paid in the normal way takes one of the referrer's slots in the period (a reward
    // approved in review was past the cap already); its clawback gives the slot back.
    boolean takesCapSlot = campaign.limits().rewardsPerReferrerPerPeriod() != null && !approved;
    if (takesCapSlot) {
      values.put("capSlot", AttributeValue.fromBool(true));
    }

    Batch batch = new Batch();
    DomainEvent issued =
        DomainEvent.about(
            EventTypes.REWARD_ISSUED,
            campaignId + "/" + conversion.orderId(),
            issuedDetail(campaign, conversion, periodId, payment, held ? payoutAt : null, now));
    batch.events.add(issued);
    if (approved) {
      batch.reward = batch.add(approvedRewardUpdate(campaignId, conversion.orderId(), values));
    } else {
      Map<String, AttributeValue> item = rewardItem(conversion, periodId, "ISSUED", now);
      item.putAll(values);
      batch.reward = batch.add(Writes.putNew(table, item));
    }
    if (payment.cost() > 0) {
      batch.reserve =
          batch.add(ledger.reserve(campaignId, periodId, conversion.channel(), payment.cost()));
    }
    if (takesCapSlot) {
      int cap = campaign.limits().rewardsPerReferrerPerPeriod();
      batch.cap =
          batch.add(
              TransactWriteItem.builder()
                  .update(
                      Update.builder()
                          .tableName(table)
                          .key(capKey(campaignId, conversion.referrerId(), periodId))
                          .updateExpression("ADD rewards :one")
                          .conditionExpression("attribute_not_exists(rewards) OR rewards < :cap")
                          .expressionAttributeValues(
                              Map.of(":one", Attr.n(1), ":cap", Attr.n(cap)))
                          .build())
                  .build());
    }
    Map<Counter, Long> counters = new HashMap<>();
    counters.put(Counter.REWARDS_ISSUED, 1L);
    counters.put(Counter.REWARD_SPEND, payment.cost());
    if (approved) {
      counters.put(Counter.REWARDS_HELD, -1L);
    }
    batch.writes.addAll(stats.add(campaignId, conversion.channel(), now, counters));
    batch.referrer =
        batch.add(referrers.earn(campaign.program(), payment.before(), progress,
            progress.referrerCost(), now));
    if (payment.before().variant() != null && campaign.experiment() != null) {
      batch.add(experiments.converted(campaignId, payment.before().variant(), 1, payment.cost(),
          conversion.amount().amount()));
    }
    batch.add(
        referrers.entry(campaignId, conversion.referrerId(),
            new ReferrerStore.Entry(
                conversion.orderId(), "EARN", now, 1, progress.points(), progress.badges(),
                List.of(), tierName(progress.tierBefore()), tierName(progress.tierAfter()))));
    if (!held && payment.cost() > 0) {
      batch.add(Payouts.entry(table, campaignId, currency, conversion.orderId(),
          conversion.referrerId(), "PAID", payment.cost(), now));
    }
    for (Milestone milestone : progress.milestones()) {
      batch.events.add(
          DomainEvent.about(
              EventTypes.MILESTONE_REACHED,
              campaignId + "/" + conversion.referrerId() + "/" + milestone.badge() + "/"
                  + conversion.orderId(),
              milestoneDetail(campaign, conversion, milestone, progress.referralNumber())));
    }
    if (progress.tierChanged()) {
      batch.events.add(
          DomainEvent.about(
              EventTypes.TIER_CHANGED,
              campaignId + "/" + conversion.orderId() + "/earn",
              tierDetail(campaign, conversion.referrerId(), conversion.orderId(),
                  progress.tierBefore(), progress.tierAfter(), progress.referralNumber(),
                  "EARN")));
    }
    for (DomainEvent event : batch.events) {
      batch.add(outbox.put(event, now));
    }
    return batch;
  }

  private TransactWriteItem approvedRewardUpdate(
      String campaignId, String orderId, Map<String, AttributeValue> values) {
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> bound = new HashMap<>();
    StringBuilder set = new StringBuilder("SET #status = :issued");
    int i = 0;
    for (var entry : values.entrySet()) {
      names.put("#a" + i, entry.getKey());
      bound.put(":a" + i, entry.getValue());
      set.append(", #a").append(i).append(" = :a").append(i);
      i++;
    }
    names.put("#status", "status");
    bound.put(":issued", Attr.s("ISSUED"));
    bound.put(":approved", Attr.s("APPROVED"));
    return TransactWriteItem.builder()
        .update(
            Update.builder()
                .tableName(table)
                .key(StoredConversion.rewardKey(campaignId, orderId))
                .updateExpression(set.toString())
                .conditionExpression("#status = :approved")
                .expressionAttributeNames(names)
                .expressionAttributeValues(bound)
                .build())
        .build();
  }

  /** The item that counts a referrer's rewards in a period against the campaign's cap. */
  static Map<String, AttributeValue> capKey(String campaignId, String referrerId, String period) {
    return Keys.of(Keys.campaign(campaignId), "REFERRER_PERIOD#" + referrerId + "#" + period);
  }

  /** What the rewards would cost for a referrer with no tier: the figure a hold records. */
  private long baseCost(Campaign campaign, StoredConversion conversion) {
    Referrer referrer = referrers.find(campaign.id(), conversion.referrerId());
    return Payment.of(campaign, conversion, referrer).cost();
  }

  static String tierName(Tier tier) {
    return tier == null ? null : tier.name();
  }

  /**
   * Settles a conversion whose order was refunded before its reward was: declined with reason
   * {@code ORDER_REFUNDED}, so nothing is paid, reserved or emailed, and the conversion's own
   * event, when it comes, finds it settled. False when a delivery of that event settled it
   * first; the caller then takes back what that one paid.
   */
  public boolean declineRefunded(String campaignId, String orderId) {
    StoredConversion conversion = conversion(campaignId, orderId);
    Campaign campaign = campaigns.find(campaignId).orElseThrow(
        () -> new IllegalStateException("conversion of unknown campaign " + campaignId));
    Instant now = clock.instant();
    return recordUnpaid(campaign, conversion, campaign.periodAt(conversion.recordedAt()),
        baseCost(campaign, conversion), "DECLINED", "ORDER_REFUNDED", Counter.REWARDS_DECLINED,
        EventTypes.REWARD_DECLINED, now);
  }

  private Outcome decline(
      Campaign campaign,
      StoredConversion conversion,
      String periodId,
      long cost,
      String delivery,
      Instant now) {
    if (!recordUnpaid(campaign, conversion, periodId, cost, "DECLINED", "BUDGET_EXHAUSTED",
        Counter.REWARDS_DECLINED, EventTypes.REWARD_DECLINED, now)) {
      return resume(campaign, conversion,
          reward(conversion.campaignId(), conversion.orderId()).orElseThrow(), delivery);
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

  private Outcome declineApproved(
      Campaign campaign,
      StoredConversion conversion,
      String periodId,
      long cost,
      Map<String, AttributeValue> key,
      String delivery,
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
        reward(conversion.campaignId(), conversion.orderId()).orElseThrow(), delivery);
  }

  /**
   * The velocity limit the conversion's hour passed, if any: {@code VELOCITY} for the referrer's
   * conversions, {@code DEVICE_VELOCITY} for the customer's device's. An IP address never holds a
   * reward on its own, since many honest customers share one; past its limit, the other two
   * limits count half (rounded up), and the reason says so ({@code VELOCITY_SHARED_IP},
   * {@code DEVICE_VELOCITY_SHARED_IP}).
   */
  private Optional<String> velocity(Campaign campaign, StoredConversion conversion) {
    Limits limits = campaign.limits();
    Instant hour = conversion.recordedAt();
    boolean sharedIp = limits.conversionsPerIpPerHour() != null && conversion.ipDigest() != null
        && count(campaign, Velocity.ipKey(conversion.ipDigest(), hour))
            > limits.conversionsPerIpPerHour();
    String suffix = sharedIp ? "_SHARED_IP" : "";
    Integer perReferrer = limits.conversionsPerReferrerPerHour();
    if (perReferrer != null && count(campaign, Velocity.sortKey(conversion.referrerId(), hour))
        > (sharedIp ? (perReferrer + 1) / 2 : perReferrer)) {
      return Optional.of("VELOCITY" + suffix);
    }
    Integer perDevice = limits.conversionsPerDevicePerHour();
    if (perDevice != null && conversion.deviceDigest() != null
        && count(campaign, Velocity.deviceKey(conversion.deviceDigest(), hour))
            > (sharedIp ? (perDevice + 1) / 2 : perDevice)) {
      return Optional.of("DEVICE_VELOCITY" + suffix);
    }
    return Optional.empty();
  }

  private long count(Campaign campaign, String sortKey) {
    return Attr.number(
        Reads.item(dynamo, table, Keys.of(Keys.campaign(campaign.id()), sortKey)), "conversions");
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
      String delivery,
      Instant now) {
    if (!recordUnpaid(campaign, conversion, periodId, cost, "HELD", reason,
        Counter.REWARDS_HELD, EventTypes.REWARD_HELD, now)) {
      return resume(campaign, conversion,
          reward(conversion.campaignId(), conversion.orderId()).orElseThrow(), delivery);
    }
    return new Held(conversion.orderId(), reason);
  }

  private Outcome resume(
      Campaign campaign,
      StoredConversion conversion,
      Map<String, AttributeValue> reward,
      String delivery) {
    String status = Attr.requiredString(reward, "status");
    LOG.info(
        "reward.duplicate-delivery",
        "campaignId", conversion.campaignId(),
        "orderId", conversion.orderId(),
        "status", status);
    if ("ISSUED".equals(status)) {
      sendEmails(campaign, conversion, reward, delivery);
    }
    return new AlreadySettled(conversion.orderId(), status);
  }

  /**
   * Sends what a paid referral owes each side: the referrer's reward email, the referred
   * customer's reward email and thank-you with their own new link, and the referrer's tier or
   * milestone email when this referral reached one. Each is sent at most once (see
   * {@link #sendOnce}); a suppressed address gets nothing.
   */
  private void sendEmails(
      Campaign campaign,
      StoredConversion conversion,
      Map<String, AttributeValue> reward,
      String delivery) {
    String currency = campaign.currency();
    Optional<String> referrerAddress = referrerEmail(conversion);
    Optional<String> refereeAddress = Optional.ofNullable(conversion.email());
    RewardType referrerType = RewardType.valueOf(Attr.requiredString(reward, "referrerRewardType"));
    RewardType refereeType = RewardType.valueOf(Attr.requiredString(reward, "refereeRewardType"));
    long referrerValue = Attr.number(reward, "referrerRewardValue");
    long refereeValue = Attr.number(reward, "refereeRewardValue");
    LocalDate payableOn = "PENDING".equals(Attr.string(reward, "payout").orElse(null))
        ? Instant.parse(Attr.requiredString(reward, "payoutAt")).atZone(campaign.zone())
            .toLocalDate()
        : null;
    sendOnce(conversion, reward, delivery, "referrerEmail", referrerAddress,
        (to, unsubscribe) -> RewardEmails.forReferrer(to, campaign.name(), referrerType,
            referrerValue, currency, payableOn, unsubscribe));
    sendOnce(conversion, reward, delivery, "refereeEmail", refereeAddress,
        (to, unsubscribe) -> RewardEmails.forReferee(to, campaign.name(), refereeType,
            refereeValue, currency, unsubscribe));
    sendOnce(conversion, reward, delivery, "thankYouEmail", refereeAddress,
        (to, unsubscribe) -> thankYou(campaign, conversion, to, unsubscribe));

    String tierAfter = Attr.string(reward, "tierAfter").orElse(null);
    String tierBefore = Attr.string(reward, "tierBefore").orElse(null);
    if (tierAfter != null && !tierAfter.equals(tierBefore)) {
      Tier tier = campaign.program().tiers().stream()
          .filter(t -> t.name().equals(tierAfter)).findFirst().orElse(null);
      if (tier != null) {
        sendOnce(conversion, reward, delivery, "tierEmail", referrerAddress,
            (to, unsubscribe) -> RewardEmails.tierReached(to, campaign.name(), tier.name(),
                tier.rewardBonusBps(), campaign.program().isVip(tier),
                Attr.number(reward, "referralNumber"), unsubscribe));
      }
    }
    for (String badge : Attr.stringList(reward, "badgesEarned")) {
      campaign.program().milestones().stream().filter(m -> m.badge().equals(badge)).findFirst()
          .ifPresent(milestone -> sendOnce(conversion, reward, delivery, "milestoneEmail",
              referrerAddress, (to, unsubscribe) -> RewardEmails.milestoneReached(to,
                  campaign.name(), badge, milestone.bonusPoints(), milestone.referrals(),
                  unsubscribe)));
    }
  }

  /**
   * The thank-you to a referred customer, with their own link on the channel they came
   * through, made now if they have none; nothing when the campaign takes no new links.
   */
  private Mailer.Email thankYou(
      Campaign campaign, StoredConversion conversion, String to, String unsubscribe) {
    ReferralLinks.Result result = links.linkFor(campaign, conversion.channel(),
        conversion.refereeId(), to, clock.instant());
    ReferralLink link = switch (result) {
      case ReferralLinks.Created created -> created.link();
      case ReferralLinks.Existing existing -> existing.link();
      case ReferralLinks.UnknownCampaign unknown -> null;
      case ReferralLinks.CampaignEnded ended -> null;
    };
    if (link == null) {
      return null;
    }
    String variant = referrers.find(campaign.id(), conversion.refereeId()).variant();
    RewardRule offered = campaign.refereeRewardIn(variant);
    return RewardEmails.thankYou(to, campaign.name(), publicBaseUrl + "/r/" + link.code().value(),
        offered.type(), offered.valueFor(conversion.amount()), campaign.currency(), unsubscribe);
  }

  /** Builds an email for an address and its unsubscribe link; null when there is none to send. */
  @FunctionalInterface
  private interface Compose {
    Mailer.Email email(String to, String unsubscribeUrl);
  }

  /**
   * Sends one email unless it was sent: claims it, sends, marks it sent.
   *
   * <p>The claim names the delivery that made it and holds a lease. A retry of that delivery
   * (the bus hands a retry the event it failed on, id and all) takes its claim back at once, so
   * a delivery that failed or died between claiming and marking is finished by its own retry,
   * long before the lease runs out; this also covers the SDK's retry of a claim whose answer
   * was lost. Any other delivery, such as a second copy of the event, waits for the lease: it
   * fails and comes again, and by then the email is sent or the claim abandoned. An email whose
   * delivery failed after sending is sent again by the retry, as is one whose answer SES lost:
   * an email may go out twice, never not at all. A send that fails releases the claim; when
   * even that fails, the retry takes the claim back all the same.
   *
   * <p>What it does not guard against: the bus handing the same event, same id, to two
   * invocations at once. A retry only starts after the attempt before it ended, but a rare
   * duplicate delivery by the bus could run beside the first; both would hold the claim and
   * the email could go out twice.
   */
  private void sendOnce(
      StoredConversion conversion,
      Map<String, AttributeValue> reward,
      String delivery,
      String attribute,
      Optional<String> address,
      Compose compose) {
    String state = Attr.string(reward, attribute).orElse("");
    if (FINAL_EMAIL_STATES.contains(state)) {
      return;
    }
    Instant now = clock.instant();
    Map<String, AttributeValue> key =
        Keys.of(Keys.campaign(conversion.campaignId()), "REWARD#" + conversion.orderId());
    if (address.isEmpty()) {
      mark(key, attribute, "NO_ADDRESS");
      return;
    }
    if (suppressions.suppressed(address.get())) {
      mark(key, attribute, "SUPPRESSED");
      return;
    }
    Optional<Mailer.Email> email = Optional.ofNullable(compose.email(address.get(),
        publicBaseUrl + "/unsubscribe/" + suppressions.token(address.get())));
    if (email.isEmpty()) {
      mark(key, attribute, "NOT_NEEDED");
      return;
    }
    Map<String, String> names =
        Map.of("#state", attribute, "#lease", attribute + "Lease", "#claim", attribute + "Claim");
    try {
      dynamo.updateItem(
          UpdateItemRequest.builder()
              .tableName(table)
              .key(key)
              .updateExpression("SET #state = :sending, #lease = :until, #claim = :delivery")
              .conditionExpression(
                  "attribute_not_exists(#state)"
                      + " OR (#state = :sending AND (#claim = :delivery OR #lease < :now))")
              .expressionAttributeNames(names)
              .expressionAttributeValues(
                  Map.of(
                      ":sending", Attr.s("SENDING"),
                      ":until", Attr.s(now.plus(EMAIL_LEASE).toString()),
                      ":now", Attr.s(now.toString()),
                      ":delivery", Attr.s(delivery)))
              .build());
    } catch (ConditionalCheckFailedException e) {
      String current = reward(conversion.campaignId(), conversion.orderId())
          .flatMap(item -> Attr.string(item, attribute)).orElse("");
      if (FINAL_EMAIL_STATES.contains(current)) {
        return;
      }
      throw new IllegalStateException(
          attribute + " of " + conversion.orderId() + " is being sent by another delivery");
    }
    try {
      mailer.send(email.get());
    } catch (RuntimeException e) {
      try {
        dynamo.updateItem(
            UpdateItemRequest.builder()
                .tableName(table)
                .key(key)
                .updateExpression("REMOVE #state, #lease, #claim")
                .conditionExpression("#claim = :delivery")
                .expressionAttributeNames(names)
                .expressionAttributeValues(Map.of(":delivery", Attr.s(delivery)))
                .build());
      } catch (RuntimeException release) {
        // The claim stays until this delivery's retry takes it back; the send's failure is
        // the one to report.
        e.addSuppressed(release);
      }
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
    return StoredConversion.require(dynamo, table, campaignId, orderId);
  }

  private Optional<Map<String, AttributeValue>> reward(String campaignId, String orderId) {
    return StoredConversion.reward(dynamo, table, campaignId, orderId);
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

  static ObjectNode baseDetail(StoredConversion conversion, String periodId) {
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
      Payment payment,
      Instant payoutAt,
      Instant now) {
    ObjectNode detail = baseDetail(conversion, periodId);
    detail.set("referrerReward", rewardDetail(payment.referrerRule(),
        payment.progress().referrerValue(), campaign.currency()));
    detail.set("refereeReward", rewardDetail(payment.refereeRule(), payment.refereeValue(),
        campaign.currency()));
    detail.set("cost", money(payment.cost(), campaign.currency()));
    detail.put("referralNumber", payment.progress().referralNumber());
    detail.put("points", payment.progress().points());
    if (payment.progress().tierAfter() != null) {
      detail.put("tier", payment.progress().tierAfter().name());
    }
    if (payment.before().variant() != null) {
      detail.put("variant", payment.before().variant());
    }
    ObjectNode payout = detail.putObject("payout");
    payout.put("status", payoutAt == null ? "PAID" : "PENDING");
    payout.put("at", (payoutAt == null ? now : payoutAt).toString());
    detail.put("issuedAt", now.toString());
    return detail;
  }

  private static ObjectNode milestoneDetail(
      Campaign campaign, StoredConversion conversion, Milestone milestone, long referrals) {
    ObjectNode detail = Json.object();
    detail.put("campaignId", campaign.id());
    detail.put("referrerId", conversion.referrerId());
    detail.put("orderId", conversion.orderId());
    detail.put("badge", milestone.badge());
    detail.put("referrals", referrals);
    detail.put("bonusPoints", milestone.bonusPoints());
    return detail;
  }

  /** The detail of a {@code TierChanged}: the step is EARN (up) or CLAWBACK (down). */
  static ObjectNode tierDetail(
      Campaign campaign,
      String referrerId,
      String orderId,
      Tier from,
      Tier to,
      long referrals,
      String step) {
    ObjectNode detail = Json.object();
    detail.put("campaignId", campaign.id());
    detail.put("referrerId", referrerId);
    detail.put("orderId", orderId);
    if (from == null) {
      detail.putNull("from");
    } else {
      detail.put("from", from.name());
    }
    if (to == null) {
      detail.putNull("to");
    } else {
      detail.put("to", to.name());
    }
    detail.put("vip", campaign.program().isVip(to));
    detail.put("referrals", referrals);
    detail.put("step", step);
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

  static ObjectNode money(long amount, String currency) {
    ObjectNode node = Json.object();
    node.put("amount", amount);
    node.put("currency", currency);
    return node;
  }
}
