package dev.spur.clicks;

import dev.spur.core.campaigns.Campaign;
import dev.spur.core.campaigns.CampaignStore;
import dev.spur.core.links.ClickIds;
import dev.spur.core.links.LinkStore;
import dev.spur.core.links.ReferralCode;
import dev.spur.core.links.ReferralLink;
import dev.spur.core.stats.ChannelStats;
import dev.spur.core.stats.Counter;
import dev.spur.core.store.Attr;
import dev.spur.core.store.Keys;
import dev.spur.core.store.Transactions;
import dev.spur.core.store.Writes;
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
 * Counts a click on a referral link. The click itself is kept in the link's partition, for the
 * campaign's attribution window, so that a later order can be measured from the click that led
 * to it.
 */
public final class Clicks {

  private final DynamoDbClient dynamo;
  private final String table;
  private final LinkStore links;
  private final CampaignStore campaigns;
  private final ChannelStats stats;
  private final Clock clock;

  public Clicks(DynamoDbClient dynamo, String table, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.links = new LinkStore(dynamo, table);
    this.campaigns = new CampaignStore(dynamo, table);
    this.stats = new ChannelStats(dynamo, table);
    this.clock = clock;
  }

  /** What a click came to. */
  public sealed interface Result permits Counted, UnknownCode {}

  /**
   * The click was counted.
   *
   * @param clickId the click's id, for the referral cookie
   */
  public record Counted(ReferralLink link, Campaign campaign, String clickId) implements Result {}

  /** No link has that code. */
  public record UnknownCode(String code) implements Result {}

  /** Counts one click on the code. */
  public Result click(String rawCode) {
    Optional<ReferralCode> code = ReferralCode.parse(rawCode);
    if (code.isEmpty()) {
      return new UnknownCode(rawCode);
    }
    Optional<ReferralLink> found = links.find(code.get());
    if (found.isEmpty()) {
      return new UnknownCode(code.get().value());
    }
    ReferralLink link = found.get();
    Campaign campaign = campaigns.find(link.campaignId()).orElseThrow(
        () -> new IllegalStateException("link " + link.code() + " has no campaign"));
    Instant now = clock.instant();
    String clickId = ClickIds.at(now);

    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(clickPut(link, campaign, clickId, now));
    writes.add(
        TransactWriteItem.builder()
            .update(
                Update.builder()
                    .tableName(table)
                    .key(Keys.of(Keys.link(link.code().value()), LinkStore.SORT))
                    .updateExpression("SET lastClickAt = :now ADD clicks :one")
                    .conditionExpression("attribute_exists(PK)")
                    .expressionAttributeValues(Map.of(":now", Attr.s(now.toString()),
                        ":one", Attr.n(1)))
                    .build())
            .build());
    writes.addAll(stats.add(link.campaignId(), link.channel(), now, Map.of(Counter.CLICKS, 1L)));
    if (Transactions.write(dynamo, writes) instanceof Transactions.Refused refused
        && refused.index() != 0) {
      throw new IllegalStateException("link " + link.code() + " vanished while clicked");
    }
    // Refused on the click itself means the SDK retried a write whose answer was lost: the
    // click id is new to this call, so the earlier attempt was this very click.
    return new Counted(link, campaign, clickId);
  }

  private TransactWriteItem clickPut(
      ReferralLink link, Campaign campaign, String clickId, Instant now) {
    Map<String, AttributeValue> item =
        new HashMap<>(Keys.of(Keys.link(link.code().value()), "CLICK#" + clickId));
    item.put("code", Attr.s(link.code().value()));
    item.put("campaignId", Attr.s(link.campaignId()));
    item.put("channel", Attr.s(link.channel()));
    item.put("clickedAt", Attr.s(now.toString()));
    long expires = now.plus(campaign.attributionWindow()).plusSeconds(86_400).getEpochSecond();
    item.put(Keys.EXPIRES_AT, Attr.n(expires));
    return Writes.putNew(table, item);
  }
}
