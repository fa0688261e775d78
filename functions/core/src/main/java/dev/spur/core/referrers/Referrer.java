package dev.spur.core.referrers;

import java.util.List;

/**
 * A referrer's standing in one campaign.
 *
 * @param referrals paid referrals that stand (a clawed-back one no longer counts)
 * @param points points balance
 * @param tier the tier's name, or null below the first tier
 * @param badges badges earned, in the order earned
 * @param variant the incentive-experiment variant the referrer was assigned, or null
 * @param version bumped by every change; each change is conditional on the version it read
 */
public record Referrer(
    String campaignId,
    String referrerId,
    long referrals,
    long points,
    String tier,
    boolean vip,
    List<String> badges,
    String variant,
    long version) {

  public Referrer {
    badges = List.copyOf(badges);
  }

  /** A referrer the campaign has not seen yet. */
  public static Referrer fresh(String campaignId, String referrerId) {
    return new Referrer(campaignId, referrerId, 0, 0, null, false, List.of(), null, 0);
  }
}
