package dev.spur.rewards;

import dev.spur.core.money.Money;
import dev.spur.core.store.Attr;
import dev.spur.core.store.Keys;
import dev.spur.core.store.Reads;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A conversion as stored, which is the truth every reward event points at. */
record StoredConversion(
    String campaignId,
    String orderId,
    String conversionId,
    String channel,
    String referrerId,
    String refereeId,
    Money amount,
    Instant recordedAt,
    String email,
    String deviceDigest,
    String ipDigest) {

  /** The reward item's key for an order. */
  static Map<String, AttributeValue> rewardKey(String campaignId, String orderId) {
    return Keys.of(Keys.campaign(campaignId), "REWARD#" + orderId);
  }

  /** The conversion of an order, if the order was a referred one. */
  static Optional<StoredConversion> find(
      DynamoDbClient dynamo, String table, String campaignId, String orderId) {
    Map<String, AttributeValue> item =
        Reads.item(dynamo, table, Keys.of(Keys.campaign(campaignId), "CONVERSION#" + orderId));
    if (item.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new StoredConversion(
        campaignId,
        orderId,
        Attr.requiredString(item, "conversionId"),
        Attr.requiredString(item, "channel"),
        Attr.requiredString(item, "referrerId"),
        Attr.requiredString(item, "refereeId"),
        new Money(Attr.number(item, "amount"), Attr.requiredString(item, "currency")),
        Instant.parse(Attr.requiredString(item, "recordedAt")),
        Attr.string(item, "email").orElse(null),
        Attr.string(item, "deviceDigest").orElse(null),
        Attr.string(item, "ipDigest").orElse(null)));
  }

  /** The conversion an event announces, which must be there. */
  static StoredConversion require(
      DynamoDbClient dynamo, String table, String campaignId, String orderId) {
    return find(dynamo, table, campaignId, orderId).orElseThrow(
        () -> new IllegalStateException(
            "no conversion " + orderId + " in campaign " + campaignId + " for this event"));
  }

  /** The reward item of an order, if settled. */
  static Optional<Map<String, AttributeValue>> reward(
      DynamoDbClient dynamo, String table, String campaignId, String orderId) {
    Map<String, AttributeValue> item = Reads.item(dynamo, table, rewardKey(campaignId, orderId));
    return item.isEmpty() ? Optional.empty() : Optional.of(item);
  }
}
