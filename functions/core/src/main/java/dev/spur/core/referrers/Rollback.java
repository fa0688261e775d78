package dev.spur.core.referrers;

import dev.spur.core.campaigns.Milestone;
import dev.spur.core.campaigns.Program;
import dev.spur.core.campaigns.Tier;
import java.util.ArrayList;
import java.util.List;

/**
 * What taking one paid referral back undoes. Tiers and badges follow the paid referrals that
 * stand: the referral's own points go, and so does every badge whose milestone the remaining
 * referrals no longer reach (with its bonus points), whichever referral earned it, and the tier
 * is the one the lower count reaches. A badge the remaining referrals still reach stays with its
 * bonus, so the next referral does not earn it twice.
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
   * The rollback of a referral that earned {@code earnedPoints} (per referral and reward points),
   * from the referrer's standing now.
   */
  public static Rollback of(Program program, Referrer now, long earnedPoints) {
    long remaining = Math.max(0, now.referrals() - 1);
    long points = earnedPoints;
    List<String> revoked = new ArrayList<>();
    for (String badge : now.badges()) {
      for (Milestone milestone : program.milestones()) {
        if (milestone.badge().equals(badge) && milestone.referrals() > remaining) {
          revoked.add(badge);
          points += milestone.bonusPoints();
        }
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
