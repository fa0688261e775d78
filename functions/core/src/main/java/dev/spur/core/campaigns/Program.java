package dev.spur.core.campaigns;

import java.util.Comparator;
import java.util.List;

/**
 * What keeps referrers referring: points per paid referral, tiers that raise the referrer's
 * reward, and milestones that award a badge and bonus points. The top tier is the VIP tier.
 *
 * @param pointsPerReferral points a referrer earns per paid referral, besides any points reward
 * @param tiers in ascending order of {@code minReferrals}
 * @param milestones in ascending order of {@code referrals}
 */
public record Program(long pointsPerReferral, List<Tier> tiers, List<Milestone> milestones) {

  /** No points, tiers or milestones. */
  public static final Program NONE = new Program(0, List.of(), List.of());

  public Program {
    tiers = tiers == null ? List.of()
        : tiers.stream().sorted(Comparator.comparingInt(Tier::minReferrals)).toList();
    milestones = milestones == null ? List.of()
        : milestones.stream().sorted(Comparator.comparingInt(Milestone::referrals)).toList();
  }

  /** The tier a referrer with that many paid referrals is in, or null below the first. */
  public Tier tierAt(long referrals) {
    Tier reached = null;
    for (Tier tier : tiers) {
      if (tier.minReferrals() <= referrals) {
        reached = tier;
      }
    }
    return reached;
  }

  /** True when the tier is the highest of two or more, whose members are VIPs. */
  public boolean isVip(Tier tier) {
    return tier != null && tiers.size() >= 2 && tiers.getLast().equals(tier);
  }

  /** The milestones earned at exactly that many paid referrals. */
  public List<Milestone> milestonesAt(long referrals) {
    return milestones.stream().filter(m -> m.referrals() == referrals).toList();
  }
}
