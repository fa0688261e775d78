package dev.spur.conversions;

import dev.spur.core.money.Money;
import java.time.Instant;

/**
 * A referred customer's qualifying order, attributed to one link.
 *
 * @param variant the reward variant the link carried, or null when it carried none
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
    String variant) {}
