package dev.spur.core.campaigns;

/**
 * One arm of an incentive experiment: the rewards its referrers' referrals earn, and the share
 * of new referrers it starts with.
 *
 * @param weightBps starting share of new referrers, in basis points; the arms' weights sum to
 *     10,000
 */
public record RewardVariant(
    String name, int weightBps, RewardRule referrerReward, RewardRule refereeReward) {}
