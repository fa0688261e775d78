package dev.spur.core.referrers;

import dev.spur.core.campaigns.Milestone;
import dev.spur.core.campaigns.Program;
import dev.spur.core.campaigns.Tier;
import java.util.ArrayList;
import java.util.List;

/**
 * What taking one paid referral back undoes: its points, the badges it earned that the referrer
 * no longer reaches without it (with their bonus points), and the tier the lower count leaves.
 * A badge the remaining referrals still reach, because later referrals reached the count again,
 * stays with its bonus.
 *
 * @param points points to take off the balance
 * @param badgesRevoked badges the referrer loses
 * @param tierBefore the tier as it stands
 * @param tierAfter the tier without this referral
 */
public record Rollback(
    long points, List<String> badgesRevoked, Tier tierBefore, Tier tierAfter) {

  public Rollback {
    badgesRevoked = List.copyOf(badgesRevoked);
  }

  /**
   * The rollback of a referral that earned {@code earnedPoints} (per referral and reward points)
   * and {@code earnedBadges}, from the referrer's standing now.
   */
  public static Rollback of(
      Program program, Referrer now, long earnedPoints, List<String> earnedBadges) {
    long remaining = Math.max(0, now.referrals() - 1);
    long points = earnedPoints;
    List<String> revoked = new ArrayList<>();
    for (String badge : earnedBadges) {
      Milestone milestone = program.milestones().stream()
          .filter(m -> m.badge().equals(badge)).findFirst().orElse(null);
      if (milestone == null || milestone.referrals() > remaining) {
        revoked.add(badge);
        points += milestone == null ? 0 : milestone.bonusPoints();
      }
    }
    return new Rollback(points, revoked, program.tierAt(now.referrals()),
        program.tierAt(remaining));
  }

  /** True when taking the referral back moves the referrer to another tier. */
  public boolean tierChanged() {
    return !Progress.same(tierBefore, tierAfter);
  }
}
