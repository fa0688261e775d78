package dev.spur.core.links;

import java.time.Instant;

/**
 * A referrer's link for one campaign and channel.
 *
 * @param lastClickAt when the link was last clicked, or null if never
 */
public record ReferralLink(
    ReferralCode code,
    String campaignId,
    String channel,
    String referrerId,
    Instant createdAt,
    long clicks,
    Instant lastClickAt) {}
