package dev.spur.conversions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spur.core.campaigns.Campaign;
import dev.spur.core.campaigns.CampaignStore;
import dev.spur.core.events.DomainEvent;
import dev.spur.core.events.EventBus;
import dev.spur.core.events.EventTypes;
import dev.spur.core.events.Outbox;
import dev.spur.core.fraud.EmailIdentity;
import dev.spur.core.fraud.Velocity;
import dev.spur.core.http.JsonBody;
import dev.spur.core.json.Json;
import dev.spur.core.lifecycle.CohortStats;
import dev.spur.core.lifecycle.Customer;
import dev.spur.core.lifecycle.CustomerLedger;
import dev.spur.core.lifecycle.Order;
import dev.spur.core.lifecycle.Origin;
import dev.spur.core.links.ClickIds;
import dev.spur.core.links.LinkStore;
import dev.spur.core.links.ReferralCode;
import dev.spur.core.links.ReferralLink;
import dev.spur.core.log.Log;
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
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Records referred customers' qualifying orders: once per order, once per referred customer
 * and campaign, and only inside the attribution window, and only as a customer's first order in
 * the campaign. The conversion, the customer's guard, the customer with their first order and
 * cohorts, the counters and the {@code ConversionRecorded} and {@code OrderRecorded} events are
 * one transaction.
 */
public final class Conversions {

  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}");
  private static final Pattern EMAIL =
      Pattern.compile("[^@\\s\\p{Z}]+@[^@\\s\\p{Z}]+\\.[^@\\s\\p{Z}]+");
  private static final Pattern CLICK = Pattern.compile("[0-9a-f]{20}");
  private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9_.:@=+/-]{1,128}");
  /** A dotted IPv4 address, or an IPv6 one in any of its textual forms. */
  private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
  private static final Pattern IP =
      Pattern.compile("(" + OCTET + "\\.){3}" + OCTET + "|(?=.*:)[0-9A-Fa-f:.]{2,45}");
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
  private static final String COOKIE = "spur_ref";
  private static final Log LOG = Log.of(Conversions.class);

  private final DynamoDbClient dynamo;
  private final String table;
  private final CampaignStore campaigns;
  private final ChannelStats stats;
  private final CustomerLedger customers;
  private final CohortStats cohorts;
  private final Outbox outbox;
  private final EventBus bus;
  private final Clock clock;

  public Conversions(
      DynamoDbClient dynamo, String table, EventBus bus, Outbox outbox, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.campaigns = new CampaignStore(dynamo, table);
    this.stats = new ChannelStats(dynamo, table);
    this.customers = new CustomerLedger(dynamo, table);
    this.cohorts = new CohortStats(dynamo, table);
    this.outbox = outbox;
    this.bus = bus;
    this.clock = clock;
  }

  /** What a conversion report came to. */
  public sealed interface Result
      permits Recorded, Replayed, ConflictingRepeat, UnknownCampaign, UnknownCode, Refused {}

  /** A new conversion. */
  public record Recorded(Conversion conversion) implements Result {}

  /** The same order was reported before; this answers as the first report did. */
  public record Replayed(Conversion conversion) implements Result {}

  /** The order was reported before with other figures. */
  public record ConflictingRepeat(String orderId) implements Result {}

  /** No campaign has that id. */
  public record UnknownCampaign(String campaignId) implements Result {}

  /** No link has that code. */
  public record UnknownCode(String field) implements Result {}

  /**
   * A rule refuses the conversion.
   *
   * @param reason a stable, kebab-case reason
   * @param field the field the rule is about
   */
  public record Refused(String reason, String field, String detail) implements Result {}

  /** Where the referral came from: a code and, when known, the click. */
  private record Referral(String field, String code, String clickId) {}

  /**
   * Reads and records a conversion.
   *
   * @param cookie the {@code spur_ref} cookie sent with the request, if any
   */
  public Result record(String text, Optional<String> cookie) {
    Instant now = clock.instant();
    JsonBody body = JsonBody.parse(text);
    String campaignId = body.requiredText("campaignId", 64, null, null);
    String orderId =
        body.requiredText("orderId", 128, ID, "must be 1 to 128 of A-Z, a-z, 0-9, _.:@-");
    if (body.node("customer").isPresent() && !body.node("customer").get().isObject()) {
      body.reject("customer", "must be an object with id and email");
    }
    String refereeId =
        body.requiredText("customer.id", 128, ID, "must be 1 to 128 of A-Z, a-z, 0-9, _.:@-");
    Optional<String> email =
        body.optionalText("customer.email", 254, EMAIL, "must be an email address");
    // The device and the address the customer ordered from, as the shop saw them, for the
    // velocity limits; only their digests are kept.
    Optional<String> device = body.optionalText("customer.deviceId", 128, DEVICE,
        "must be 1 to 128 of A-Z, a-z, 0-9 and _.:@=+/-");
    Optional<String> ip = body.optionalText("customer.ip", 45, IP,
        "must be an IPv4 or IPv6 address");
    Money amount = body.requiredMoney("amount", 1_000_000_000_000L);
    Optional<Instant> statedAt = body.optionalInstant("orderedAt");
    Instant orderedAt = statedAt.orElse(now);
    if (orderedAt != null && orderedAt.isAfter(now.plus(CLOCK_SKEW))) {
      body.reject("orderedAt", "must not be in the future");
    }
    Referral referral = referral(body, cookie);
    body.validate();

    // A repeat of an order answers as the first report did, whatever has changed since (a
    // later click, the campaign's end), so that a retry is always safe.
    Optional<Conversion> earlier = recorded(campaignId, orderId);
    if (earlier.isPresent()) {
      return sameOrder(earlier.get(), referral.code(), refereeId, amount);
    }

    Optional<Campaign> foundCampaign = campaigns.find(campaignId);
    if (foundCampaign.isEmpty()) {
      return new UnknownCampaign(campaignId);
    }
    Campaign campaign = foundCampaign.get();
    if (!amount.currency().equals(campaign.currency())) {
      body.reject("amount.currency", "must be the campaign's currency " + campaign.currency());
      body.validate();
    }
    Map<String, AttributeValue> linkItem =
        ReferralCode.parse(referral.code())
            .map(code -> Reads.item(dynamo, table, Keys.of(Keys.link(code.value()),
                LinkStore.SORT)))
            .orElse(Map.of());
    if (linkItem.isEmpty()) {
      return new UnknownCode(referral.field());
    }
    ReferralLink link = LinkStore.fromItem(linkItem);
    // The link's reward variant, when link creation gave it one; the customer's cohort keeps it.
    String variant = Attr.string(linkItem, "variant").filter(v -> !v.isBlank()).orElse(null);
    if (!link.campaignId().equals(campaignId)) {
      return new Refused(
          "code-not-in-campaign", referral.field(),
          "the code belongs to another campaign");
    }
    if (campaign.endedAt(orderedAt)) {
      return new Refused("campaign-ended", "campaignId", "the campaign ended before the order");
    }
    if (isSelfReferral(link, refereeId, email)) {
      return new Refused(
          "self-referral", "customer", "a customer cannot be rewarded for referring themselves");
    }
    Instant anchor = attributionAnchor(link, referral, orderedAt);
    if (orderedAt.isBefore(anchor.minus(CLOCK_SKEW))
        || orderedAt.isAfter(campaign.attributionEndsAt(anchor))) {
      return new Refused(
          "outside-attribution-window", "orderedAt",
          "the order is not within " + campaign.attributionWindowDays()
              + " days after the referral click");
    }

    Conversion conversion =
        new Conversion(
            "cnv_" + UUID.randomUUID().toString().replace("-", ""),
            campaignId,
            orderId,
            link.code().value(),
            link.channel(),
            link.referrerId(),
            refereeId,
            amount,
            orderedAt,
            now,
            variant,
            device.map(Velocity::digest).orElse(null),
            ip.map(Velocity::digest).orElse(null));
    boolean counted = cohorts.isReferring(campaignId, link.referrerId());
    // When another conversion counted this referrer between the read and the write, this one
    // writes again without counting them.
    return write(campaign, conversion, email.orElse(null), statedAt.isPresent(), counted, now)
        .orElseGet(() -> write(campaign, conversion, email.orElse(null), statedAt.isPresent(),
            true, now).orElseThrow());
  }

  /** Writes the conversion; empty when a racing conversion counted the referrer first. */
  private Optional<Result> write(
      Campaign campaign,
      Conversion conversion,
      String email,
      boolean orderedAtStated,
      boolean referrerCounted,
      Instant now) {
    DomainEvent event =
        DomainEvent.about(
            EventTypes.CONVERSION_RECORDED,
            conversion.campaignId() + "/" + conversion.orderId(),
            detail(conversion));
    Customer customer =
        Customer.first(conversion.campaignId(), conversion.refereeId(), Origin.REFERRED,
            conversion.channel(), conversion.variant(), conversion.orderedAt());
    Order order =
        new Order(conversion.campaignId(), conversion.orderId(), conversion.refereeId(),
            conversion.amount(), conversion.orderedAt(), orderedAtStated, 0, true, now);
    DomainEvent ordered = CustomerLedger.recorded(customer, order, true);
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(conversionPut(conversion, email, event.eventId()));
    writes.add(refereePut(conversion));
    int emailGuard = -1;
    if (email != null) {
      emailGuard = writes.size();
      writes.add(refereeEmailPut(conversion, email));
    }
    int customerPut = writes.size();
    writes.addAll(customers.firstOrder(customer, order));
    int referrerMarker = -1;
    if (!referrerCounted) {
      referrerMarker = writes.size();
      writes.addAll(cohorts.firstReferral(conversion.campaignId(), conversion.referrerId()));
    }
    writes.addAll(
        stats.add(
            conversion.campaignId(),
            conversion.channel(),
            now,
            Map.of(
                Counter.CONVERSIONS, 1L,
                Counter.REVENUE, conversion.amount().amount(),
                Counter.LIFETIME_VALUE, conversion.amount().amount())));
    if (campaign.limits().conversionsPerReferrerPerHour() != null) {
      writes.add(velocityCount(conversion, Velocity.sortKey(conversion.referrerId(), now), now));
    }
    if (campaign.limits().countsVelocity() && conversion.deviceDigest() != null) {
      writes.add(velocityCount(conversion, Velocity.deviceKey(conversion.deviceDigest(), now),
          now));
    }
    if (campaign.limits().countsVelocity() && conversion.ipDigest() != null) {
      writes.add(velocityCount(conversion, Velocity.ipKey(conversion.ipDigest(), now), now));
    }
    writes.add(outbox.put(event, now));
    writes.add(outbox.put(ordered, now));
    int mailboxGuard = emailGuard;
    int referrerGuard = referrerMarker;

    return Optional.ofNullable(switch (Transactions.write(dynamo, writes)) {
      case Transactions.Committed committed -> {
        bus.publish(List.of(event, ordered));
        LOG.info(
            "conversion.recorded",
            "campaignId", conversion.campaignId(),
            "orderId", conversion.orderId(),
            "channel", conversion.channel(),
            "eventId", event.eventId());
        yield new Recorded(conversion);
      }
      case Transactions.Refused refused when refused.index() == 0 ->
          sameOrder(fromItem(refused.existing().orElseThrow()), conversion.code(),
              conversion.refereeId(), conversion.amount());
      case Transactions.Refused refused when refused.index() == referrerGuard ->
          null;
      case Transactions.Refused refused when refused.index() == customerPut -> {
        LOG.info(
            "conversion.refused",
            "campaignId", conversion.campaignId(),
            "orderId", conversion.orderId(),
            "reason", "customer-not-new");
        yield new Refused(
            "customer-not-new",
            "customer.id",
            "this customer already has orders in this campaign, so this order cannot be a"
                + " referred customer's first");
      }
      case Transactions.Refused refused when refused.index() == customerPut + 1 -> {
        LOG.info(
            "conversion.conflict",
            "campaignId", conversion.campaignId(),
            "orderId", conversion.orderId(),
            "reason", "order-of-another-customer");
        yield new ConflictingRepeat(conversion.orderId());
      }
      case Transactions.Refused refused when refused.index() == 1
          || refused.index() == mailboxGuard -> {
        LOG.info(
            "conversion.refused",
            "campaignId", conversion.campaignId(),
            "orderId", conversion.orderId(),
            "reason", "referee-already-converted");
        yield new Refused(
            "referee-already-converted",
            refused.index() == 1 ? "customer.id" : "customer.email",
            "this customer was already rewarded as referred in this campaign");
      }
      case Transactions.Refused refused ->
          throw new IllegalStateException(
              "conversion " + conversion.orderId() + ": write " + refused.index() + " refused");
    });
  }

  private Optional<Conversion> recorded(String campaignId, String orderId) {
    Map<String, AttributeValue> item =
        Reads.item(dynamo, table, Keys.of(Keys.campaign(campaignId), "CONVERSION#" + orderId));
    return item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
  }

  /** A report of an order already recorded: the first answer again, or a conflict. */
  private static Result sameOrder(Conversion first, String code, String refereeId, Money amount) {
    boolean same =
        ReferralCode.parse(code).map(ReferralCode::value).orElse(code).equals(first.code())
            && first.refereeId().equals(refereeId)
            && first.amount().equals(amount);
    LOG.info(
        same ? "conversion.replayed" : "conversion.conflict",
        "campaignId", first.campaignId(),
        "orderId", first.orderId());
    return same ? new Replayed(first) : new ConflictingRepeat(first.orderId());
  }

  private static Referral referral(JsonBody body, Optional<String> cookie) {
    Optional<String> code = body.optionalText("code", 64, null, null);
    Optional<String> click = body.optionalText("clickId", 40, CLICK, "must be a click id");
    if (code.isPresent()) {
      return new Referral("code", code.get(), click.orElse(null));
    }
    Optional<String> fromBody = body.optionalText("referralCookie", 80, null, null);
    Optional<String> value = fromBody.or(() -> cookie);
    String field = fromBody.isPresent() ? "referralCookie" : "cookie " + COOKIE;
    if (value.isEmpty()) {
      if (body.valid()) {
        body.reject("code", "is required, or referralCookie, or the " + COOKIE + " cookie");
      }
      return new Referral("code", "", null);
    }
    String[] parts = value.get().split("\\.", 2);
    String clickId = parts.length == 2 && CLICK.matcher(parts[1]).matches() ? parts[1] : null;
    return new Referral(field, parts[0], clickId);
  }

  private boolean isSelfReferral(ReferralLink link, String refereeId, Optional<String> email) {
    if (link.referrerId().equals(refereeId)) {
      return true;
    }
    if (email.isEmpty()) {
      return false;
    }
    Map<String, AttributeValue> referrer =
        Reads.item(
            dynamo,
            table,
            Keys.of(Keys.campaign(link.campaignId()), "REFERRER#" + link.referrerId()));
    Optional<String> referrerEmail =
        Attr.string(referrer, "email");
    return referrerEmail.filter(address -> EmailIdentity.same(address, email.get())).isPresent();
  }

  /**
   * The instant the attribution window runs from: the click the visitor came through when the
   * cookie or body names it; else the link's latest click at or before the order; else, for a
   * code typed at checkout on a link never clicked before the order, the link's creation.
   */
  private Instant attributionAnchor(ReferralLink link, Referral referral, Instant orderedAt) {
    String partition = Keys.link(link.code().value());
    if (referral.clickId() != null) {
      Map<String, AttributeValue> click =
          Reads.item(dynamo, table, Keys.of(partition, "CLICK#" + referral.clickId()));
      if (!click.isEmpty()) {
        return Instant.parse(Attr.requiredString(click, "clickedAt"));
      }
    }
    String upTo = "CLICK#" + ClickIds.prefixAt(orderedAt.plus(CLOCK_SKEW)) + "~";
    var latest =
        dynamo.query(
            QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("PK = :pk AND SK BETWEEN :from AND :to")
                .expressionAttributeValues(
                    Map.of(":pk", Attr.s(partition), ":from", Attr.s("CLICK#"),
                        ":to", Attr.s(upTo)))
                .scanIndexForward(false)
                .limit(1)
                .build());
    if (!latest.items().isEmpty()) {
      return Instant.parse(Attr.requiredString(latest.items().get(0), "clickedAt"));
    }
    return link.createdAt();
  }

  private TransactWriteItem conversionPut(Conversion c, String email, String eventId) {
    Map<String, AttributeValue> item =
        new HashMap<>(Keys.of(Keys.campaign(c.campaignId()), "CONVERSION#" + c.orderId()));
    item.put("conversionId", Attr.s(c.conversionId()));
    item.put("campaignId", Attr.s(c.campaignId()));
    item.put("orderId", Attr.s(c.orderId()));
    item.put("code", Attr.s(c.code()));
    item.put("channel", Attr.s(c.channel()));
    item.put("referrerId", Attr.s(c.referrerId()));
    item.put("refereeId", Attr.s(c.refereeId()));
    item.put("amount", Attr.n(c.amount().amount()));
    item.put("currency", Attr.s(c.amount().currency()));
    item.put("orderedAt", Attr.s(c.orderedAt().toString()));
    item.put("recordedAt", Attr.s(c.recordedAt().toString()));
    item.put("eventId", Attr.s(eventId));
    if (email != null) {
      item.put("email", Attr.s(email));
    }
    if (c.variant() != null) {
      item.put("variant", Attr.s(c.variant()));
    }
    if (c.deviceDigest() != null) {
      item.put("deviceDigest", Attr.s(c.deviceDigest()));
    }
    if (c.ipDigest() != null) {
      item.put("ipDigest", Attr.s(c.ipDigest()));
    }
    return Writes.putNewOrReturnOld(table, item);
  }

  private TransactWriteItem refereePut(Conversion c) {
    Map<String, AttributeValue> item =
        new HashMap<>(Keys.of(Keys.campaign(c.campaignId()), "REFEREE#" + c.refereeId()));
    item.put("orderId", Attr.s(c.orderId()));
    return Writes.putNew(table, item);
  }

  /**
   * The guard that lets one mailbox be rewarded once per campaign however many customer ids it
   * comes under.
   */
  private TransactWriteItem refereeEmailPut(Conversion c, String email) {
    Map<String, AttributeValue> item =
        new HashMap<>(
            Keys.of(Keys.campaign(c.campaignId()), "REFEREE_EMAIL#" + EmailIdentity.digest(email)));
    item.put("orderId", Attr.s(c.orderId()));
    return Writes.putNew(table, item);
  }

  /**
   * Counts the conversion in an hour's velocity item (the referrer's, the device's or the
   * address's), which the reward reads against the campaign's limits.
   */
  private TransactWriteItem velocityCount(Conversion c, String sortKey, Instant now) {
    return TransactWriteItem.builder()
        .update(
            Update.builder()
                .tableName(table)
                .key(Keys.of(Keys.campaign(c.campaignId()), sortKey))
                .updateExpression("SET #expires = :expires ADD conversions :one")
                .expressionAttributeNames(Map.of("#expires", Keys.EXPIRES_AT))
                .expressionAttributeValues(
                    Map.of(
                        ":one", Attr.n(1),
                        ":expires", Attr.n(now.plusSeconds(2 * 86_400).getEpochSecond())))
                .build())
        .build();
  }

  static Conversion fromItem(Map<String, AttributeValue> item) {
    return new Conversion(
        Attr.requiredString(item, "conversionId"),
        Attr.requiredString(item, "campaignId"),
        Attr.requiredString(item, "orderId"),
        Attr.requiredString(item, "code"),
        Attr.requiredString(item, "channel"),
        Attr.requiredString(item, "referrerId"),
        Attr.requiredString(item, "refereeId"),
        new Money(Attr.number(item, "amount"), Attr.requiredString(item, "currency")),
        Instant.parse(Attr.requiredString(item, "orderedAt")),
        Instant.parse(Attr.requiredString(item, "recordedAt")),
        Attr.string(item, "variant").orElse(null),
        Attr.string(item, "deviceDigest").orElse(null),
        Attr.string(item, "ipDigest").orElse(null));
  }

  private static ObjectNode detail(Conversion c) {
    ObjectNode detail = Json.object();
    detail.put("campaignId", c.campaignId());
    detail.put("conversionId", c.conversionId());
    detail.put("orderId", c.orderId());
    detail.put("channel", c.channel());
    detail.put("code", c.code());
    detail.put("referrerId", c.referrerId());
    detail.put("refereeId", c.refereeId());
    ObjectNode amount = detail.putObject("orderAmount");
    amount.put("amount", c.amount().amount());
    amount.put("currency", c.amount().currency());
    detail.put("orderedAt", c.orderedAt().toString());
    detail.put("recordedAt", c.recordedAt().toString());
    return detail;
  }
}
