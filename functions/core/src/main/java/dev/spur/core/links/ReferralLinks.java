package dev.spur.core.links;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spur.core.campaigns.Campaign;
import dev.spur.core.campaigns.CampaignStore;
import dev.spur.core.campaigns.ExperimentStore;
import dev.spur.core.events.DomainEvent;
import dev.spur.core.events.EventBus;
import dev.spur.core.events.EventTypes;
import dev.spur.core.events.Outbox;
import dev.spur.core.http.JsonBody;
import dev.spur.core.json.Json;
import dev.spur.core.log.Log;
import dev.spur.core.referrers.ReferrerStore;
import dev.spur.core.store.Attr;
import dev.spur.core.store.Keys;
import dev.spur.core.store.Reads;
import dev.spur.core.store.Transactions;
import dev.spur.core.store.Writes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Gives each referrer one link per campaign and channel. The owner item (campaign, referrer,
 * channel) is written in the same transaction as the link, under a condition, so two racing
 * requests end with one link and both callers see it.
 */
public final class ReferralLinks {

  public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}");
  public static final Pattern CHANNEL = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
  /** What Spur takes for an email address: something, an at sign, a domain with a dot. */
  public static final Pattern EMAIL =
      Pattern.compile("[^@\\s\\p{Z}]+@[^@\\s\\p{Z}]+\\.[^@\\s\\p{Z}]+");
  private static final Log LOG = Log.of(ReferralLinks.class);
  private static final int CODE_ATTEMPTS = 3;

  private final DynamoDbClient dynamo;
  private final String table;
  private final CampaignStore campaigns;
  private final LinkStore links;
  private final ReferrerStore referrers;
  private final ExperimentStore experiments;
  private final Outbox outbox;
  private final EventBus bus;
  private final Clock clock;

  public ReferralLinks(
      DynamoDbClient dynamo, String table, EventBus bus, Outbox outbox, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.campaigns = new CampaignStore(dynamo, table);
    this.links = new LinkStore(dynamo, table);
    this.referrers = new ReferrerStore(dynamo, table);
    this.experiments = new ExperimentStore(dynamo, table);
    this.outbox = outbox;
    this.bus = bus;
    this.clock = clock;
  }

  /** What asking for a link came to. */
  public sealed interface Result permits Created, Existing, UnknownCampaign, CampaignEnded {}

  /** A new link. */
  public record Created(ReferralLink link) implements Result {}

  /** The referrer had this link already. */
  public record Existing(ReferralLink link) implements Result {}

  /** No campaign has that id. */
  public record UnknownCampaign(String campaignId) implements Result {}

  /** The campaign takes no new links. */
  public record CampaignEnded(String campaignId) implements Result {}

  /** Returns the referrer's link for the campaign and channel, creating it on first ask. */
  public Result linkFor(String text) {
    Instant now = clock.instant();
    JsonBody body = JsonBody.parse(text);
    String campaignId = body.requiredText("campaignId", 64, null, null);
    String channel = body.requiredText("channel", 32, CHANNEL, "must be a channel name");
    String referrerId =
        body.requiredText("referrer.id", 128, ID, "must be 1 to 128 of A-Z, a-z, 0-9, _.:@-");
    if (body.node("referrer").isPresent() && !body.node("referrer").get().isObject()) {
      body.reject("referrer", "must be an object with id and email");
    }
    Optional<String> email =
        body.optionalText("referrer.email", 254, EMAIL, "must be an email address");
    body.validate();

    Optional<Campaign> found = campaigns.find(campaignId);
    if (found.isEmpty()) {
      return new UnknownCampaign(campaignId);
    }
    Campaign campaign = found.get();
    if (!campaign.hasChannel(channel)) {
      body.reject("channel", "must be one of " + String.join(", ", campaign.channels()));
      body.validate();
    }
    return linkFor(campaign, channel, referrerId, email.orElse(null), now);
  }

  /**
   * Returns the referrer's link for a channel of the campaign, creating it on first ask; the
   * channel must be one of the campaign's and the ids valid.
   */
  public Result linkFor(
      Campaign campaign, String channel, String referrerId, String email, Instant now) {
    String campaignId = campaign.id();
    Optional<ReferralLink> existing = owned(campaignId, referrerId, channel);
    if (existing.isPresent()) {
      return new Existing(existing.get());
    }
    if (campaign.endedAt(now)) {
      return new CampaignEnded(campaignId);
    }
    for (int attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
      // In an experiment the referrer keeps the variant of their first link; a referrer new to
      // the campaign is assigned one by the weights as they stand, and counted in it once.
      String variant = null;
      boolean assigning = false;
      if (campaign.experiment() != null) {
        variant = referrers.find(campaignId, referrerId).variant();
        if (variant == null) {
          variant = experiments.assign(campaign, referrerId);
          assigning = true;
        }
      }
      ReferralLink link =
          new ReferralLink(ReferralCode.generate(), campaignId, channel, referrerId, now, 0, null);
      DomainEvent event =
          DomainEvent.about(EventTypes.REFERRAL_LINK_CREATED, link.code().value(),
              detail(link, variant));
      List<TransactWriteItem> writes = new ArrayList<>();
      writes.add(ownerPut(link));
      writes.add(linkPut(link, variant));
      writes.add(referrerUpdate(campaignId, referrerId, email,
          assigning ? variant : null, now));
      if (assigning) {
        writes.add(experiments.assigned(campaignId, variant));
      }
      writes.add(outbox.put(event, now));
      var outcome = Transactions.write(dynamo, writes);
      switch (outcome) {
        case Transactions.Committed committed -> {
          bus.publish(List.of(event));
          LOG.info(
              "link.created",
              "campaignId", campaignId,
              "channel", channel,
              "code", link.code().value());
          return new Created(link);
        }
        case Transactions.Refused refused when refused.index() == 0 -> {
          String code = Attr.requiredString(refused.existing().orElseThrow(), "code");
          return new Existing(links.find(new ReferralCode(code)).orElseThrow());
        }
        case Transactions.Refused refused when refused.index() == 2 ->
            // A link on another channel assigned the referrer a variant meanwhile.
            LOG.info("link.variant-assigned-meanwhile", "attempt", attempt);
        case Transactions.Refused refused -> LOG.warn("link.code-collision", "attempt", attempt);
      }
    }
    throw new IllegalStateException("no free referral code after " + CODE_ATTEMPTS + " tries");
  }

  private Optional<ReferralLink> owned(String campaignId, String referrerId, String channel) {
    Map<String, AttributeValue> owner =
        Reads.item(
            dynamo,
            table,
            Keys.of(Keys.campaign(campaignId), "OWNER#" + referrerId + "#" + channel));
    if (owner.isEmpty()) {
      return Optional.empty();
    }
    return links.find(new ReferralCode(Attr.requiredString(owner, "code")));
  }

  private TransactWriteItem ownerPut(ReferralLink link) {
    Map<String, AttributeValue> item =
        new HashMap<>(
            Keys.of(
                Keys.campaign(link.campaignId()),
                "OWNER#" + link.referrerId() + "#" + link.channel()));
    item.put("code", Attr.s(link.code().value()));
    return Writes.putNewOrReturnOld(table, item);
  }

  private TransactWriteItem linkPut(ReferralLink link, String variant) {
    Map<String, AttributeValue> item =
        new HashMap<>(Keys.of(Keys.link(link.code().value()), LinkStore.SORT));
    item.put("code", Attr.s(link.code().value()));
    item.put("campaignId", Attr.s(link.campaignId()));
    item.put("channel", Attr.s(link.channel()));
    item.put("referrerId", Attr.s(link.referrerId()));
    item.put("createdAt", Attr.s(link.createdAt().toString()));
    item.put("clicks", Attr.n(0));
    if (variant != null) {
      item.put("variant", Attr.s(variant));
    }
    return Writes.putNew(table, item);
  }

  private TransactWriteItem referrerUpdate(
      String campaignId, String referrerId, String email, String variant, Instant now) {
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":id", Attr.s(referrerId));
    values.put(":now", Attr.s(now.toString()));
    String set = "SET referrerId = :id, joinedAt = if_not_exists(joinedAt, :now)";
    if (email != null) {
      values.put(":email", Attr.s(email));
      // The first address given stays: a later link must not redirect the referrer's mail or
      // loosen the self-referral check.
      set += ", email = if_not_exists(email, :email)";
    }
    Update.Builder update =
        Update.builder().tableName(table).key(ReferrerStore.key(campaignId, referrerId));
    if (variant != null) {
      values.put(":variant", Attr.s(variant));
      set += ", variant = :variant";
      update.conditionExpression("attribute_not_exists(variant)");
    }
    return TransactWriteItem.builder()
        .update(update.updateExpression(set).expressionAttributeValues(values).build())
        .build();
  }

  private static ObjectNode detail(ReferralLink link, String variant) {
    ObjectNode detail = Json.object();
    detail.put("campaignId", link.campaignId());
    detail.put("code", link.code().value());
    detail.put("channel", link.channel());
    detail.put("referrerId", link.referrerId());
    detail.put("createdAt", link.createdAt().toString());
    if (variant != null) {
      detail.put("variant", variant);
    }
    return detail;
  }
}
