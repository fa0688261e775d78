package dev.spur.conversions;

import dev.spur.core.money.Money;
import java.time.Instant;

/**
 * A referred customer's qualifying order, attributed to one link.
 *
 * @param variant the reward variant the link carried, or null when it carried none
 * @param deviceDigest the digest of the customer's device id, or null when none was sent
 * @param ipDigest the digest of the customer's IP address, or null when none was sent
 */
public record Conversion(
    String conversionId,
    String campaignId,
    String orderId,
    String code,
    String channel,
    String referrerId,
    String refereeId,
    Money amount,
    Instant orderedAt,
    Instant recordedAt,
    String variant,
    String deviceDigest,
    String ipDigest) {}
