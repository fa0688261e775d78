package dev.spur.local;

import static dev.spur.local.StackFixture.conversionBody;
import static dev.spur.local.StackFixture.linkBody;
import static dev.spur.local.StackFixture.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
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

  @BeforeAll
  static void deploy(Emulator emulator) {
    fixture = new StackFixture(emulator, Map.of(), false);
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  /** A campaign whose referrers reach Silver at 2 referrals (+20%) and Gold at 3 (+50%). */
  private static String programCampaign(String id, int holdDays) {
    return """
        {"id":"%s","name":"Friends of the Shop","currency":"EUR","timeZone":"Europe/Berlin",
         "landingUrl":"https://shop.example.com/welcome","channels":["email"],
         "referrerReward":{"type":"CASH","amount":1000},
         "refereeReward":{"type":"DISCOUNT","amount":500},
         "attributionWindowDays":30,"budget":{"amount":100000,"currency":"EUR"},
         "period":"MONTH","holdDays":%d,
         "guardrails":{"minShareBps":0,"maxShareBps":10000,"maxChangeBps":10000,
                       "explorationFloorBps":0},
         "program":{"pointsPerReferral":100,
           "tiers":[{"name":"Silver","minReferrals":2,"rewardBonusBps":2000},
                    {"name":"Gold","minReferrals":3,"rewardBonusBps":5000}],
           "milestones":[{"referrals":3,"badge":"Trailblazer","bonusPoints":250}]}}
        """.formatted(id, holdDays);
  }

  private static String code(String campaignId, String referrer) {
    String code = fixture.link(linkBody(campaignId, "email", referrer)).body().get("code")
        .asText();
    fixture.click(code);
    return code;
  }

  private static JsonNode deliver(String detailType, String detail) {
    return StackFixture.read(
        fixture.stack.invoke("IssueReward", StackFixture.busEvent(detailType, detail)));
  }

  private static JsonNode settle(String campaignId, String code, String orderId) {
    assertEquals(201, fixture.convert(
        conversionBody(campaignId, code, orderId, "cus_" + orderId, 5_000)).status());
    return deliver("ConversionRecorded",
        "{\"campaignId\":\"%s\",\"orderId\":\"%s\"}".formatted(campaignId, orderId));
  }

  private static JsonNode refund(String campaignId, String orderId) {
    return deliver("OrderRefunded",
        """
        {"campaignId":"%s","orderId":"%s","customerId":"cus_%s","refundId":"rf_%s",
         "amount":{"amount":5000,"currency":"EUR"},"refundedTotal":{"amount":5000,"currency":"EUR"},
         "orderAmount":{"amount":5000,"currency":"EUR"},"fullyRefunded":true,
         "refundedAt":"2026-12-04T10:00:00Z"}
        """.formatted(campaignId, orderId, orderId, orderId));
  }

  private static JsonNode referrer(String campaignId, String referrerId) {
    StackFixture.Response response = fixture.call("Campaigns", StackFixture.http("GET",
        "GET /campaigns/{campaignId}/referrers/{referrerId}",
        "/campaigns/" + campaignId + "/referrers/" + referrerId,
        Map.of("campaignId", campaignId, "referrerId", referrerId), null));
    assertEquals(200, response.status(), response.body().toString());
    return response.body();
  }

  private static String period() {
    return ZonedDateTime.now(ZoneId.of("Europe/Berlin"))
        .format(DateTimeFormatter.ofPattern("yyyy-MM"));
  }

  private static long spent(String campaignId) {
    return number(fixture.item("CAMPAIGN#" + campaignId, "BUDGET#" + period() + "#email"),
        "spent");
  }

  private static List<String> badges(JsonNode referrer) {
    List<String> badges = new ArrayList<>();
    referrer.get("badges").forEach(b -> badges.add(b.asText()));
    return badges;
  }

  @Test
  void aTierRaisesTheRewardFromTheReferralThatReachesIt() {
    assertEquals(201, fixture.createCampaign(programCampaign("cmp_tiers", 0)).status());
    String code = code("cmp_tiers", "cus_ada");

    assertEquals(1500, settle("cmp_tiers", code, "ord_t1").get("cost").asLong());
    assertEquals(1700, settle("cmp_tiers", code, "ord_t2").get("cost").asLong());
    assertEquals(2000, settle("cmp_tiers", code, "ord_t3").get("cost").asLong());

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
    assertEquals(5200, spent("cmp_tiers"));

    JsonNode ada = referrer("cmp_tiers", "cus_ada");
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
    assertEquals("ALREADY_SETTLED", deliver("ConversionRecorded",
        "{\"campaignId\":\"cmp_tiers\",\"orderId\":\"ord_t3\"}").get("outcome").asText());
    assertEquals(550, referrer("cmp_tiers", "cus_ada").get("points").asLong());
    assertEquals(5200, spent("cmp_tiers"));
  }

  @Test
  void aRefundInsideTheHoldGivesBackBudgetPointsBadgeAndTierExactly() {
    assertEquals(201, fixture.createCampaign(programCampaign("cmp_hold", 14)).status());
    String code = code("cmp_hold", "cus_bea");
    settle("cmp_hold", code, "ord_h1");
    settle("cmp_hold", code, "ord_h2");
    JsonNode before = referrer("cmp_hold", "cus_bea");
    long spentBefore = spent("cmp_hold");
    assertEquals(3200, spentBefore);

    Instant settled = Instant.now();
    assertEquals(2000, settle("cmp_hold", code, "ord_h3").get("cost").asLong());
    var pending = fixture.item("CAMPAIGN#cmp_hold", "REWARD#ord_h3");
    assertEquals("PENDING", pending.get("payout").s());
    Instant payoutAt = Instant.parse(pending.get("payoutAt").s());
    long days = ChronoUnit.HOURS.between(settled.truncatedTo(ChronoUnit.SECONDS), payoutAt);
    assertTrue(days >= 14 * 24 - 1 && days <= 14 * 24 + 1, "hold of 14 days, was " + days + "h");
    assertEquals(5200, spent("cmp_hold"));
    JsonNode gold = referrer("cmp_hold", "cus_bea");
    assertEquals("Gold", gold.get("tier").asText());
    assertEquals(List.of("Trailblazer"), badges(gold));

    JsonNode clawed = refund("cmp_hold", "ord_h3");
    assertEquals("CLAWED_BACK", clawed.get("outcome").asText());
    assertEquals("BEFORE_PAYOUT", clawed.get("phase").asText());
    assertEquals(2000, clawed.get("cost").asLong());

    JsonNode after = referrer("cmp_hold", "cus_bea");
    assertEquals(before.get("referrals").asLong(), after.get("referrals").asLong());
    assertEquals(2, after.get("referrals").asLong());
    assertEquals(before.get("points").asLong(), after.get("points").asLong());
    assertEquals(200, after.get("points").asLong());
    assertEquals("Silver", after.get("tier").asText());
    assertFalse(after.get("vip").asBoolean());
    assertEquals(List.of(), badges(after));
    assertEquals(spentBefore, spent("cmp_hold"));
    var budget = fixture.item("CAMPAIGN#cmp_hold", "BUDGET#" + period() + "#email");
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
    assertEquals("UNTOUCHED", refund("cmp_hold", "ord_h3").get("outcome").asText());
    assertEquals(200, referrer("cmp_hold", "cus_bea").get("points").asLong());
    assertEquals(spentBefore, spent("cmp_hold"));

    // The next referral reaches Gold and the badge again, at Gold's reward.
    assertEquals(2000, settle("cmp_hold", code, "ord_h4").get("cost").asLong());
    JsonNode again = referrer("cmp_hold", "cus_bea");
    assertEquals("Gold", again.get("tier").asText());
    assertEquals(550, again.get("points").asLong());
    assertEquals(List.of("Trailblazer"), badges(again));
  }

  @Test
  void theScheduleApprovesDuePayoutsAndALaterRefundIsANegativeEntry() {
    assertEquals(201, fixture.createCampaign(programCampaign("cmp_due", 30)).status());
    String code = code("cmp_due", "cus_cai");
    settle("cmp_due", code, "ord_d1");
    settle("cmp_due", code, "ord_d2");

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

    JsonNode clawed = refund("cmp_due", "ord_d1");
    assertEquals("AFTER_PAYOUT", clawed.get("phase").asText());
    assertEquals(-1500,
        number(fixture.item("CAMPAIGN#cmp_due", "PAYOUT#ord_d1#CLAWBACK"), "amount"));
    // Paid money is gone: the budget keeps it spent; the referral stops counting.
    assertEquals(3200, spent("cmp_due"));
    JsonNode cai = referrer("cmp_due", "cus_cai");
    assertEquals(1, cai.get("referrals").asLong());
    assertEquals(100, cai.get("points").asLong());
    assertTrue(cai.get("tier").isNull());
  }

  @Test
  void theLeaderboardRanksReferrersByPoints() {
    assertEquals(201, fixture.createCampaign(programCampaign("cmp_board", 0)).status());
    String one = code("cmp_board", "cus_one");
    String two = code("cmp_board", "cus_two");
    settle("cmp_board", one, "ord_b1");
    settle("cmp_board", two, "ord_b2");
    settle("cmp_board", two, "ord_b3");
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
