package dev.spur.local;

import static dev.spur.local.StackFixture.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Points, tiers, milestones and the hold period, against the emulator: a referrer crossing a
 * tier earns the higher reward from that referral on; a refund inside the hold gives back the
 * budget, points, badge and tier exactly; after payout it is a negative ledger entry. The bus is
 * not routed: the test delivers each event to IssueReward itself, in the order it chooses.
 */
@ExtendWith(AwsEmulatorExtension.class)
class ReferralProgramTest {

  private static StackFixture fixture;
  private static Lifecycle life;

  @BeforeAll
  static void deploy(Emulator emulator) {
    fixture = new StackFixture(emulator, Map.of(), false);
    life = new Lifecycle(fixture);
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  /** A campaign whose referrers reach Silver at 2 referrals (+20%) and Gold at 3 (+50%). */
  private static String programCampaign(String id, int holdDays) {
    return Lifecycle.programCampaign(id, 100_000, holdDays, "", "");
  }

  private static List<String> badges(JsonNode referrer) {
    List<String> badges = new ArrayList<>();
    referrer.get("badges").forEach(b -> badges.add(b.asText()));
    return badges;
  }

  @Test
  void aTierRaisesTheRewardFromTheReferralThatReachesIt() {
    assertEquals(201, fixture.createCampaign(programCampaign("cmp_tiers", 0)).status());
    String code = life.code("cmp_tiers", "cus_ada");

    assertEquals(1500, life.settle("cmp_tiers", code, "ord_t1").get("cost").asLong());
    assertEquals(1700, life.settle("cmp_tiers", code, "ord_t2").get("cost").asLong());
    assertEquals(2000, life.settle("cmp_tiers", code, "ord_t3").get("cost").asLong());

    var first = fixture.item("CAMPAIGN#cmp_tiers", "REWARD#ord_t1");
    var second = fixture.item("CAMPAIGN#cmp_tiers", "REWARD#ord_t2");
    var third = fixture.item("CAMPAIGN#cmp_tiers", "REWARD#ord_t3");
    assertEquals(1000, number(first, "referrerRewardValue"));
    assertNull(first.get("tierAfter"));
    assertEquals(1200, number(second, "referrerRewardValue"));
    assertEquals("Silver", second.get("tierAfter").s());
    assertEquals(1500, number(third, "referrerRewardValue"));
    assertEquals("Gold", third.get("tierAfter").s());
    assertEquals(500, number(third, "refereeRewardValue"));
    assertEquals(5200, life.spent("cmp_tiers"));

    JsonNode ada = life.referrer("cmp_tiers", "cus_ada");
    assertEquals(3, ada.get("referrals").asLong());
    assertEquals(100 + 100 + 100 + 250, ada.get("points").asLong());
    assertEquals("Gold", ada.get("tier").asText());
    assertTrue(ada.get("vip").asBoolean());
    assertEquals(List.of("Trailblazer"), badges(ada));
    assertEquals(3, ada.get("ledger").size());
    assertEquals(350, ada.get("ledger").get(2).get("points").asLong());
    assertEquals("Silver", ada.get("ledger").get(2).get("tierFrom").asText());
    assertEquals("Gold", ada.get("ledger").get(2).get("tierTo").asText());

    // No hold: paid at once, one payout entry each with both sides' cash cost.
    assertEquals("PAID", third.get("payout").s());
    var payout = fixture.item("CAMPAIGN#cmp_tiers", "PAYOUT#ord_t3#PAID");
    assertEquals(2000, number(payout, "amount"));

    // Sent again, the third conversion changes nothing.
    assertEquals("ALREADY_SETTLED", life.deliver("ConversionRecorded",
        "{\"campaignId\":\"cmp_tiers\",\"orderId\":\"ord_t3\"}").get("outcome").asText());
    assertEquals(550, life.referrer("cmp_tiers", "cus_ada").get("points").asLong());
    assertEquals(5200, life.spent("cmp_tiers"));
  }

  @Test
  void aRefundInsideTheHoldGivesBackBudgetPointsBadgeAndTierExactly() {
    assertEquals(201, fixture.createCampaign(programCampaign("cmp_hold", 14)).status());
    String code = life.code("cmp_hold", "cus_bea");
    life.settle("cmp_hold", code, "ord_h1");
    life.settle("cmp_hold", code, "ord_h2");
    JsonNode before = life.referrer("cmp_hold", "cus_bea");
    long spentBefore = life.spent("cmp_hold");
    assertEquals(3200, spentBefore);

    Instant settled = Instant.now();
    assertEquals(2000, life.settle("cmp_hold", code, "ord_h3").get("cost").asLong());
    var pending = fixture.item("CAMPAIGN#cmp_hold", "REWARD#ord_h3");
    assertEquals("PENDING", pending.get("payout").s());
    Instant payoutAt = Instant.parse(pending.get("payoutAt").s());
    long days = ChronoUnit.HOURS.between(settled.truncatedTo(ChronoUnit.SECONDS), payoutAt);
    assertTrue(days >= 14 * 24 - 1 && days <= 14 * 24 + 1, "hold of 14 days, was " + days + "h");
    assertEquals(5200, life.spent("cmp_hold"));
    JsonNode gold = life.referrer("cmp_hold", "cus_bea");
    assertEquals("Gold", gold.get("tier").asText());
    assertEquals(List.of("Trailblazer"), badges(gold));

    JsonNode clawed = life.refund("cmp_hold", "ord_h3");
    assertEquals("CLAWED_BACK", clawed.get("outcome").asText());
    assertEquals("BEFORE_PAYOUT", clawed.get("phase").asText());
    assertEquals(2000, clawed.get("cost").asLong());

    JsonNode after = life.referrer("cmp_hold", "cus_bea");
    assertEquals(before.get("referrals").asLong(), after.get("referrals").asLong());
    assertEquals(2, after.get("referrals").asLong());
    assertEquals(before.get("points").asLong(), after.get("points").asLong());
    assertEquals(200, after.get("points").asLong());
    assertEquals("Silver", after.get("tier").asText());
    assertFalse(after.get("vip").asBoolean());
    assertEquals(List.of(), badges(after));
    assertEquals(spentBefore, life.spent("cmp_hold"));
    var budget = fixture.item("CAMPAIGN#cmp_hold", "BUDGET#" + Lifecycle.period() + "#email");
    assertEquals(100_000 - 3200, number(budget, "remaining"));
    var reward = fixture.item("CAMPAIGN#cmp_hold", "REWARD#ord_h3");
    assertEquals("CLAWED_BACK", reward.get("status").s());
    assertEquals("BEFORE_PAYOUT", reward.get("clawback").s());
    assertNull(reward.get("GSI1PK"), "a clawed-back reward leaves the pending-payout index");
    assertNull(fixture.item("CAMPAIGN#cmp_hold", "PAYOUT#ord_h3#PAID"));

    JsonNode entry = after.get("ledger").get(3);
    assertEquals("CLAWBACK", entry.get("step").asText());
    assertEquals(-350, entry.get("points").asLong());
    assertEquals("Trailblazer", entry.get("badgesRevoked").get(0).asText());
    assertEquals("Gold", entry.get("tierFrom").asText());
    assertEquals("Silver", entry.get("tierTo").asText());

    var totals = fixture.item("CAMPAIGN#cmp_hold", "STATS#email");
    assertEquals(3200, number(totals, "rewardSpend"));
    assertEquals(1, number(totals, "rewardsClawedBack"));

    // The refund delivered again changes nothing.
    assertEquals("UNTOUCHED", life.refund("cmp_hold", "ord_h3").get("outcome").asText());
    assertEquals(200, life.referrer("cmp_hold", "cus_bea").get("points").asLong());
    assertEquals(spentBefore, life.spent("cmp_hold"));

    // The next referral reaches Gold and the badge again, at Gold's reward.
    assertEquals(2000, life.settle("cmp_hold", code, "ord_h4").get("cost").asLong());
    JsonNode again = life.referrer("cmp_hold", "cus_bea");
    assertEquals("Gold", again.get("tier").asText());
    assertEquals(550, again.get("points").asLong());
    assertEquals(List.of("Trailblazer"), badges(again));
  }

  @Test
  void theScheduleApprovesDuePayoutsAndALaterRefundIsANegativeEntry() {
    assertEquals(201, fixture.createCampaign(programCampaign("cmp_due", 30)).status());
    String code = life.code("cmp_due", "cus_cai");
    life.settle("cmp_due", code, "ord_d1");
    life.settle("cmp_due", code, "ord_d2");

    // Thirty days pass for the first reward only: its due date moves into the past.
    String past = "2026-01-01T00:00:00Z";
    fixture.dynamo.updateItem(UpdateItemRequest.builder()
        .tableName(fixture.stack.tableName())
        .key(Map.of("PK", AttributeValue.fromS("CAMPAIGN#cmp_due"),
            "SK", AttributeValue.fromS("REWARD#ord_d1")))
        .updateExpression("SET payoutAt = :past, GSI1SK = :due")
        .expressionAttributeValues(Map.of(":past", AttributeValue.fromS(past),
            ":due", AttributeValue.fromS(past + "#cmp_due#ord_d1")))
        .build());

    JsonNode run = StackFixture.read(fixture.stack.fireSchedule("IssueReward"));
    assertEquals(1, run.get("approved").asInt(), run.toString());
    var paid = fixture.item("CAMPAIGN#cmp_due", "REWARD#ord_d1");
    assertEquals("PAID", paid.get("payout").s());
    assertEquals(1500, number(fixture.item("CAMPAIGN#cmp_due", "PAYOUT#ord_d1#PAID"), "amount"));
    assertEquals("PENDING", fixture.item("CAMPAIGN#cmp_due", "REWARD#ord_d2").get("payout").s());
    assertEquals(0, StackFixture.read(fixture.stack.fireSchedule("IssueReward"))
        .get("approved").asInt());

    JsonNode clawed = life.refund("cmp_due", "ord_d1");
    assertEquals("AFTER_PAYOUT", clawed.get("phase").asText());
    assertEquals(-1500,
        number(fixture.item("CAMPAIGN#cmp_due", "PAYOUT#ord_d1#CLAWBACK"), "amount"));
    // Paid money is gone: the budget keeps it spent; the referral stops counting.
    assertEquals(3200, life.spent("cmp_due"));
    JsonNode cai = life.referrer("cmp_due", "cus_cai");
    assertEquals(1, cai.get("referrals").asLong());
    assertEquals(100, cai.get("points").asLong());
    assertTrue(cai.get("tier").isNull());
  }

  @Test
  void theLeaderboardRanksReferrersByPoints() {
    assertEquals(201, fixture.createCampaign(programCampaign("cmp_board", 0)).status());
    String one = life.code("cmp_board", "cus_one");
    String two = life.code("cmp_board", "cus_two");
    life.settle("cmp_board", one, "ord_b1");
    life.settle("cmp_board", two, "ord_b2");
    life.settle("cmp_board", two, "ord_b3");
    StackFixture.Response board = fixture.call("Campaigns", StackFixture.http("GET",
        "GET /campaigns/{campaignId}/leaderboard", "/campaigns/cmp_board/leaderboard",
        Map.of("campaignId", "cmp_board"), null));
    assertEquals(200, board.status());
    JsonNode rows = board.body().get("referrers");
    assertEquals(2, rows.size());
    assertEquals("cus_two", rows.get(0).get("referrerId").asText());
    assertEquals(200, rows.get(0).get("points").asLong());
    assertEquals("Silver", rows.get(0).get("tier").asText());
    assertEquals(1, rows.get(0).get("rank").asInt());
    assertEquals("cus_one", rows.get(1).get("referrerId").asText());
    assertEquals(100, rows.get(1).get("points").asLong());
  }
}
