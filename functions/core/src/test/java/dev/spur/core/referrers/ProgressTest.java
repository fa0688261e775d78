package dev.spur.core.referrers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spur.core.campaigns.Milestone;
import dev.spur.core.campaigns.Program;
import dev.spur.core.campaigns.RewardRule;
import dev.spur.core.campaigns.RewardType;
import dev.spur.core.campaigns.Tier;
import dev.spur.core.money.Money;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a paid referral adds to its referrer, and what taking it back undoes. */
class ProgressTest {

  private static final Program PROGRAM = new Program(
      100,
      // Declared out of order on purpose: the program sorts them.
      List.of(new Tier("Gold", 5, 5_000), new Tier("Silver", 2, 1_250)),
      List.of(new Milestone(5, "Five", 500), new Milestone(1, "First", 50)));
  private static final RewardRule CASH = new RewardRule(RewardType.CASH, null, 1_000L);
  private static final Money ORDER = new Money(3_333, "EUR");

  private static Referrer standing(long referrals, long points, String tier, List<String> badges) {
    return new Referrer("cmp", "ada", referrals, points, tier, false, badges, null, referrals);
  }

  @Test
  void theFirstReferralEarnsItsPointsAndTheFirstBadgeButNoTier() {
    Progress progress = Progress.next(PROGRAM, Referrer.fresh("cmp", "ada"), CASH, ORDER);

    assertEquals(1, progress.referralNumber());
    assertEquals(333, progress.referrerValue(), "10% of 33.33 rounded half up");
    assertEquals(333, progress.referrerCost());
    assertEquals(150, progress.points(), "100 per referral and the First badge's 50");
    assertEquals(List.of("First"), progress.badges());
    assertNull(progress.tierAfter());
    assertFalse(progress.tierChanged());
  }

  @Test
  void theReferralThatReachesATierIsPaidInIt() {
    Progress second = Progress.next(PROGRAM, standing(1, 150, null, List.of("First")), CASH,
        ORDER);
    assertEquals("Silver", second.tierAfter().name());
    assertTrue(second.tierChanged());
    assertEquals(333 + 42, second.referrerValue(), "333 plus 12.5% of it, 41.625 rounded up");
    assertEquals(100, second.points());
    assertEquals(List.of(), second.badges());

    Progress fifth = Progress.next(PROGRAM, standing(4, 450, "Silver", List.of("First")), CASH,
        ORDER);
    assertEquals("Gold", fifth.tierAfter().name());
    assertEquals("Silver", fifth.tierBefore().name());
    assertEquals(500, fifth.referrerValue(), "333 plus half of it, 166.5 rounded up");
    assertEquals(600, fifth.points());
    assertEquals(List.of("Five"), fifth.badges());
    assertTrue(PROGRAM.isVip(fifth.tierAfter()));
    assertFalse(PROGRAM.isVip(second.tierAfter()));
    Tier only = new Tier("Only", 1, 0);
    assertFalse(new Program(0, List.of(only), List.of()).isVip(only), "one tier is no VIP tier");
  }

  @Test
  void pointsRewardsCountAsPointsAndCostNothing() {
    RewardRule points = new RewardRule(RewardType.POINTS, 40L, null);
    Progress progress =
        Progress.next(PROGRAM, standing(1, 150, null, List.of("First")), points, ORDER);
    assertEquals(45, progress.referrerValue(), "40 plus 12.5% is 45");
    assertEquals(0, progress.referrerCost());
    assertEquals(145, progress.points());
  }

  @Test
  void aBadgeHeldAlreadyIsNotEarnedAgain() {
    Progress progress = Progress.next(PROGRAM, standing(0, 50, null, List.of("First")), CASH,
        ORDER);
    assertEquals(List.of(), progress.badges());
    assertEquals(100, progress.points());
  }

  @Test
  void takingBackTheReferralThatReachedGoldUndoesTierBadgeAndPoints() {
    Referrer gold = standing(5, 1_050, "Gold", List.of("First", "Five"));
    Rollback rollback = Rollback.of(PROGRAM, gold, 100);

    assertEquals(600, rollback.points(), "its 100 and the Five badge's 500");
    assertEquals(List.of("Five"), rollback.badgesRevoked());
    assertEquals("Gold", rollback.tierBefore().name());
    assertEquals("Silver", rollback.tierAfter().name());
    assertTrue(rollback.tierChanged());
  }

  @Test
  void aBadgeStillReachedByLaterReferralsStaysWithItsBonus() {
    // The badge came with the fifth referral; a sixth came since, so five still stand.
    Referrer six = standing(6, 1_150, "Gold", List.of("First", "Five"));
    Rollback rollback = Rollback.of(PROGRAM, six, 100);

    assertEquals(100, rollback.points());
    assertEquals(List.of(), rollback.badgesRevoked());
    assertFalse(rollback.tierChanged());
  }

  @Test
  void aBadgeAnotherReferralEarnedGoesWhenTheCountFallsBelowIt() {
    // Five referrals stand and the fifth brought the badge; the first is taken back.
    Referrer gold = standing(5, 1_050, "Gold", List.of("First", "Five"));
    Rollback rollback = Rollback.of(PROGRAM, gold, 100);
    assertEquals(List.of("Five"), rollback.badgesRevoked());
    assertEquals(600, rollback.points());

    // With one referral standing, taking it back takes First too.
    Rollback last = Rollback.of(PROGRAM, standing(1, 150, null, List.of("First")), 100);
    assertEquals(List.of("First"), last.badgesRevoked());
    assertEquals(150, last.points());
    assertNull(last.tierAfter());
    assertFalse(last.tierChanged());
  }

  @Test
  void noProgramMeansNoPointsTiersOrBadges() {
    Progress progress = Progress.next(Program.NONE, standing(9, 0, null, List.of()), CASH, ORDER);
    assertEquals(10, progress.referralNumber());
    assertEquals(333, progress.referrerValue());
    assertEquals(0, progress.points());
    assertNull(progress.tierAfter());
  }
}
