package dev.spur.core.referrers;

import dev.spur.core.campaigns.Program;
import dev.spur.core.campaigns.Tier;
import dev.spur.core.store.Attr;
import dev.spur.core.store.Keys;
import dev.spur.core.store.Reads;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Referrers' standing: the referrer item, kept in the campaign's partition and on the
 * campaign's leaderboard (the first generic index, points descending), and the points ledger
 * beside it, one entry per change.
 */
public final class ReferrerStore {

  private static final String LEADERBOARD = "LEADERBOARD#";
  /** The ids a customer or referrer may have: an id a link could never be made for is unknown. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}");

  private final DynamoDbClient dynamo;
  private final String table;

  public ReferrerStore(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  /** True when a referrer could have that id. */
  public static boolean validId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /** The referrer item's key. */
  public static Map<String, AttributeValue> key(String campaignId, String referrerId) {
    return Keys.of(Keys.campaign(campaignId), "REFERRER#" + referrerId);
  }

  /** The referrer's standing; a referrer never seen stands at zero. */
  public Referrer find(String campaignId, String referrerId) {
    Map<String, AttributeValue> item = Reads.item(dynamo, table, key(campaignId, referrerId));
    return item.isEmpty() ? Referrer.fresh(campaignId, referrerId) : fromItem(campaignId, item);
  }

  /** True when the campaign has seen the referrer: a link, or a referral. */
  public boolean exists(String campaignId, String referrerId) {
    return !Reads.item(dynamo, table, key(campaignId, referrerId)).isEmpty();
  }

  /** The top referrers by points, most first; ties by referrer id, last first. */
  public List<Referrer> leaderboard(String campaignId, int limit) {
    List<Referrer> top = new ArrayList<>();
    for (Map<String, AttributeValue> item :
        dynamo.queryPaginator(
                QueryRequest.builder()
                    .tableName(table)
                    .indexName(Keys.GSI1)
                    .keyConditionExpression("GSI1PK = :board")
                    .expressionAttributeValues(Map.of(":board", Attr.s(LEADERBOARD + campaignId)))
                    .scanIndexForward(false)
                    .limit(limit)
                    .build())
            .items()) {
      top.add(fromItem(campaignId, item));
      if (top.size() == limit) {
        break;
      }
    }
    return top;
  }

  /** One entry of a referrer's points ledger. */
  public record Entry(
      String orderId,
      String step,
      Instant at,
      long referrals,
      long points,
      List<String> badgesEarned,
      List<String> badgesRevoked,
      String tierFrom,
      String tierTo) {}

  /** The referrer's ledger, oldest entry first. */
  public List<Entry> ledger(String campaignId, String referrerId) {
    List<Entry> entries = new ArrayList<>();
    for (Map<String, AttributeValue> item :
        dynamo.queryPaginator(
                QueryRequest.builder()
                    .tableName(table)
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :prefix)")
                    .expressionAttributeValues(
                        Map.of(
                            ":pk", Attr.s(Keys.campaign(campaignId)),
                            ":prefix", Attr.s(ledgerPrefix(referrerId))))
                    .consistentRead(true)
                    .build())
            .items()) {
      entries.add(
          new Entry(
              Attr.requiredString(item, "orderId"),
              Attr.requiredString(item, "step"),
              Instant.parse(Attr.requiredString(item, "at")),
              Attr.number(item, "referrals"),
              Attr.number(item, "points"),
              Attr.stringList(item, "badgesEarned"),
              Attr.stringList(item, "badgesRevoked"),
              Attr.string(item, "tierFrom").orElse(null),
              Attr.string(item, "tierTo").orElse(null)));
    }
    return entries;
  }

  /**
   * The write that adds a paid referral to the referrer: count, points, badges, tier and the
   * leaderboard, on condition that nobody changed the referrer since {@code before} was read.
   */
  public TransactWriteItem earn(
      Program program, Referrer before, Progress progress, long earnedCash, Instant now) {
    List<String> badges = new ArrayList<>(before.badges());
    badges.addAll(progress.badges());
    return change(program, before, progress.referralNumber(),
        before.points() + progress.points(), badges, progress.tierAfter(), earnedCash, now);
  }

  /** The write that takes a paid referral back, on the same condition. */
  public TransactWriteItem rollback(
      Program program, Referrer before, Rollback rollback, long earnedCash, Instant now) {
    List<String> badges = new ArrayList<>(before.badges());
    badges.removeAll(rollback.badgesRevoked());
    return change(program, before, Math.max(0, before.referrals() - 1),
        before.points() - rollback.points(), badges, rollback.tierAfter(), -earnedCash, now);
  }

  /** The ledger entry of one change, keyed so that a referrer's entries read in time order. */
  public TransactWriteItem entry(String campaignId, String referrerId, Entry entry) {
    Map<String, AttributeValue> item = new HashMap<>(Keys.of(Keys.campaign(campaignId),
        ledgerPrefix(referrerId) + entry.at() + "#" + entry.orderId() + "#" + entry.step()));
    item.put("type", Attr.s("PointsEntry"));
    item.put("orderId", Attr.s(entry.orderId()));
    item.put("step", Attr.s(entry.step()));
    item.put("at", Attr.s(entry.at().toString()));
    item.put("referrals", Attr.n(entry.referrals()));
    item.put("points", Attr.n(entry.points()));
    item.put("badgesEarned", Attr.strings(entry.badgesEarned()));
    item.put("badgesRevoked", Attr.strings(entry.badgesRevoked()));
    if (entry.tierFrom() != null) {
      item.put("tierFrom", Attr.s(entry.tierFrom()));
    }
    if (entry.tierTo() != null) {
      item.put("tierTo", Attr.s(entry.tierTo()));
    }
    return TransactWriteItem.builder()
        .put(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(PK)"))
        .build();
  }

  private TransactWriteItem change(
      Program program,
      Referrer before,
      long referrals,
      long points,
      List<String> badges,
      Tier tier,
      long earnedCash,
      Instant now) {
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":id", Attr.s(before.referrerId()));
    values.put(":referrals", Attr.n(referrals));
    values.put(":points", Attr.n(points));
    values.put(":badges", Attr.strings(badges));
    values.put(":earned", Attr.n(earnedCash));
    values.put(":vip", AttributeValue.fromBool(program.isVip(tier)));
    values.put(":board", Attr.s(LEADERBOARD + before.campaignId()));
    values.put(":score", Attr.s(score(points, before.referrerId())));
    values.put(":next", Attr.n(before.version() + 1));
    values.put(":now", Attr.s(now.toString()));
    String set = "SET referrerId = :id, referrals = :referrals, points = :points,"
        + " badges = :badges, vip = :vip, GSI1PK = :board, GSI1SK = :score,"
        + " version = :next, updatedAt = :now";
    String remove = "";
    if (tier != null) {
      values.put(":tier", Attr.s(tier.name()));
      set += ", tier = :tier";
    } else {
      remove = " REMOVE tier";
    }
    String condition;
    if (before.version() == 0) {
      condition = "attribute_not_exists(version)";
    } else {
      values.put(":version", Attr.n(before.version()));
      condition = "version = :version";
    }
    return TransactWriteItem.builder()
        .update(
            Update.builder()
                .tableName(table)
                .key(key(before.campaignId(), before.referrerId()))
                .updateExpression(set + " ADD earned :earned" + remove)
                .conditionExpression(condition)
                .expressionAttributeValues(values)
                .build())
        .build();
  }

  /** The leaderboard sort key: points zero-padded, so that text order is numeric order. */
  static String score(long points, String referrerId) {
    return String.format("%019d#%s", Math.max(0, points), referrerId);
  }

  private static String ledgerPrefix(String referrerId) {
    return "POINTS#" + referrerId + "#";
  }

  private static Referrer fromItem(String campaignId, Map<String, AttributeValue> item) {
    AttributeValue vip = item.get("vip");
    return new Referrer(
        campaignId,
        Attr.requiredString(item, "referrerId"),
        Attr.number(item, "referrals"),
        Attr.number(item, "points"),
        Attr.string(item, "tier").orElse(null),
        vip != null && Boolean.TRUE.equals(vip.bool()),
        Attr.stringList(item, "badges"),
        Attr.string(item, "variant").orElse(null),
        Attr.number(item, "version"));
  }
}
