package dev.spur.core.campaigns;

/**
 * A milestone: at {@code referrals} paid referrals the referrer earns a badge and bonus points,
 * once.
 */
public record Milestone(int referrals, String badge, long bonusPoints) {}
