package dev.spur.core.campaigns;

/**
 * A referrer tier: reached at {@code minReferrals} paid referrals, it raises the referrer's
 * reward for every referral from the one that reaches it on.
 *
 * @param name shown to the referrer, such as {@code Gold}
 * @param minReferrals paid referrals that reach the tier, counting the one being paid
 * @param rewardBonusBps how much the tier adds to the referrer's reward, in basis points of it
 *     (5,000 pays one and a half times the reward), rounded half up
 */
public record Tier(String name, int minReferrals, int rewardBonusBps) {}
