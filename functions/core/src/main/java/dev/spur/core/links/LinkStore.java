package dev.spur.core.links;

import dev.spur.core.store.Attr;
import dev.spur.core.store.Keys;
import dev.spur.core.store.Reads;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Reads referral links by code. */
public final class LinkStore {

  /** Sort key of a link item. */
  public static final String SORT = "LINK";

  private final DynamoDbClient dynamo;
  private final String table;

  public LinkStore(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  /** The link with that code, if any. */
  public Optional<ReferralLink> find(ReferralCode code) {
    Map<String, AttributeValue> item =
        Reads.item(dynamo, table, Keys.of(Keys.link(code.value()), SORT));
    if (item.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(fromItem(item));
  }

  /** Reads a link item. */
  public static ReferralLink fromItem(Map<String, AttributeValue> item) {
    return new ReferralLink(
        new ReferralCode(Attr.requiredString(item, "code")),
        Attr.requiredString(item, "campaignId"),
        Attr.requiredString(item, "channel"),
        Attr.requiredString(item, "referrerId"),
        Instant.parse(Attr.requiredString(item, "createdAt")),
        Attr.number(item, "clicks"),
        Attr.string(item, "lastClickAt").map(Instant::parse).orElse(null));
  }
}
