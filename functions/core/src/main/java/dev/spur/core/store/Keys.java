package dev.spur.core.store;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Every key shape of the one table. Items of a campaign share its partition, so one query reads
 * a campaign's channels, budgets and buckets together.
 */
public final class Keys {

  /** Partition key attribute. */
  public static final String PK = "PK";
  /** Sort key attribute. */
  public static final String SK = "SK";
  /** First generic index: active campaigns, each campaign's leaderboard, pending payouts. */
  public static final String GSI1 = "GSI1";
  /** Second generic index: the outbox of unpublished events. */
  public static final String GSI2 = "GSI2";
  /** Epoch-seconds attribute that DynamoDB's time to live reads. */
  public static final String EXPIRES_AT = "expiresAt";

  private Keys() {}

  /** A primary key. */
  public static Map<String, AttributeValue> of(String pk, String sk) {
    return Map.of(PK, Attr.s(pk), SK, Attr.s(sk));
  }

  /** The partition of a campaign. */
  public static String campaign(String campaignId) {
    return "CAMPAIGN#" + campaignId;
  }

  /** The partition of a referral link, by its normalised code. */
  public static String link(String code) {
    return "LINK#" + code;
  }
}
