package dev.spur.core.referrers;

import dev.spur.core.campaigns.Milestone;
import dev.spur.core.campaigns.Program;
import dev.spur.core.campaigns.RewardRule;
import dev.spur.core.campaigns.RewardType;
import dev.spur.core.campaigns.Tier;
import dev.spur.core.money.Money;
import java.util.ArrayList;
import java.util.List;

/**
 * What one paid referral does to its referrer, or what taking it back undoes. Pure: the
 * standing read before, the campaign's program and the order in, the change out.
 *
 * @param referralNumber the referrer's paid referrals counting this one
 * @param referrerValue the referrer's reward with the tier's bonus (minor units, or points)
 * @param referrerCost what the referrer's reward costs the budget
 * @param referralPoints the program's points per referral
 * @param rewardPoints the reward itself when it is paid in points
 * @param milestones milestones this referral reaches
 * @param tierBefore the tier before, or null
 * @param tierAfter the tier this referral is paid in, or null
 */
public record Progress(
    long referralNumber,
    long referrerValue,
    long referrerCost,
    long referralPoints,
    long rewardPoints,
    List<Milestone> milestones,
    Tier tierBefore,
    Tier tierAfter) {

  public Progress {
    milestones = List.copyOf(milestones);
  }

  /** The change the referrer's next paid referral makes. */
  public static Progress next(Program program, Referrer before, RewardRule rule, Money order) {
    long number = before.referrals() + 1;
    Tier tierBefore = program.tierAt(before.referrals());
    Tier tierAfter = program.tierAt(number);
    long base = rule.valueFor(order);
    long value = tierAfter == null
        ? base : withBonus(base, tierAfter.rewardBonusBps(), order.currency());
    long cost = rule.type().spendsBudget() ? value : 0;
    long rewardPoints = rule.type() == RewardType.POINTS ? value : 0;
    List<Milestone> reached = new ArrayList<>();
    for (Milestone milestone : program.milestonesAt(number)) {
      if (!before.badges().contains(milestone.badge())) {
        reached.add(milestone);
      }
    }
    return new Progress(number, value, cost, program.pointsPerReferral(), rewardPoints, reached,
        tierBefore, tierAfter);
  }

  /** Every point this referral adds: per referral, the reward if in points, milestone bonuses. */
  public long points() {
    return referralPoints + rewardPoints
        + milestones.stream().mapToLong(Milestone::bonusPoints).sum();
  }

  /** The badges this referral earns. */
  public List<String> badges() {
    return milestones.stream().map(Milestone::badge).toList();
  }

  /** True when this referral moves the referrer to another tier. */
  public boolean tierChanged() {
    return !same(tierBefore, tierAfter);
  }

  /** {@code amount} raised by {@code bps} basis points of itself, rounded half up. */
  static long withBonus(long amount, int bps, String currency) {
    return amount + new Money(amount, currency).basisPoints(bps).amount();
  }

  static boolean same(Tier a, Tier b) {
    return a == null ? b == null : b != null && a.name().equals(b.name());
  }
}
