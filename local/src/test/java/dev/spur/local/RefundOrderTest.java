package dev.spur.local;

import static dev.spur.local.StackFixture.conversionBody;
import static dev.spur.local.StackFixture.linkBody;
import static dev.spur.local.StackFixture.number;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import dev.spur.testkit.SentEmail;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Refunds in awkward orders: before the conversion's own event, and of an early referral. */
@ExtendWith(AwsEmulatorExtension.class)
class RefundOrderTest {

  private static StackFixture fixture;

  @BeforeAll
  static void deploy(Emulator emulator) {
    fixture = new StackFixture(emulator, Map.of(), false);
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  /** Silver at 2 (+20%), Gold at 3 (+50%); a badge at 3 referrals worth 250 points. */
  private static String campaign(String id, int holdDays) {
    return """
        {"id":"%s","name":"Refunds","currency":"EUR","timeZone":"Europe/Berlin",
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

  private static JsonNode deliver(String type, String detail) {
    return StackFixture.read(
        fixture.stack.invoke("IssueReward", StackFixture.busEvent(type, detail)));
  }

  private static String ids(String campaignId, String orderId) {
    return "{\"campaignId\":\"%s\",\"orderId\":\"%s\"}".formatted(campaignId, orderId);
  }

  private static JsonNode settle(String campaignId, String code, String orderId) {
    assertEquals(201, fixture.convert(
        conversionBody(campaignId, code, orderId, "cus_" + orderId, 5_000)).status());
    return deliver("ConversionRecorded", ids(campaignId, orderId));
  }

  private static JsonNode refund(String campaignId, String orderId) {
    return deliver("OrderRefunded",
        ClawbackLimitsTest.refundDetail(campaignId, orderId, true));
  }

  private static String period() {
    return ZonedDateTime.now(ZoneId.of("Europe/Berlin"))
        .format(DateTimeFormatter.ofPattern("yyyy-MM"));
  }

  private static List<SentEmail> to(String address) {
    return fixture.emulator.sentEmails().stream().filter(e -> e.to().contains(address)).toList();
  }

  private static JsonNode referrer(String campaignId, String referrerId) {
    StackFixture.Response response = fixture.call("Campaigns", StackFixture.http("GET",
        "GET /campaigns/{campaignId}/referrers/{referrerId}",
        "/campaigns/" + campaignId + "/referrers/" + referrerId,
        Map.of("campaignId", campaignId, "referrerId", referrerId), null));
    assertEquals(200, response.status(), response.body().toString());
    return response.body();
  }

  @Test
  void aRefundThatOvertakesItsConversionPaysAndAnnouncesNothing() {
    String cmp = "cmp_overtake";
    assertEquals(201, fixture.createCampaign(campaign(cmp, 0)).status());
    String code = code(cmp, "cus_ovi");
    assertEquals(201, fixture.convert(
        conversionBody(cmp, code, "ord_o1", "cus_ord_o1", 5_000)).status());

    // The refund arrives first, then the conversion's own event, then both again.
    JsonNode refunded = refund(cmp, "ord_o1");
    JsonNode late = deliver("ConversionRecorded", ids(cmp, "ord_o1"));
    refund(cmp, "ord_o1");
    deliver("ConversionRecorded", ids(cmp, "ord_o1"));

    List<String> wrong = new ArrayList<>();
    if (!to("cus_ovi@example.com").isEmpty()) {
      wrong.add("referrer emailed about a reward of a refunded order: "
          + to("cus_ovi@example.com").stream().map(SentEmail::subject).toList());
    }
    if (!to("cus_ord_o1@example.com").isEmpty()) {
      wrong.add("refunded customer emailed a reward: "
          + to("cus_ord_o1@example.com").stream().map(SentEmail::subject).toList());
    }
    long spent = number(fixture.item("CAMPAIGN#" + cmp, "BUDGET#" + period() + "#email"),
        "spent");
    if (spent != 0) {
      wrong.add("budget spent " + spent + " on an order refunded before its reward; refund "
          + refunded + ", then " + late);
    }
    if (fixture.item("CAMPAIGN#" + cmp, "PAYOUT#ord_o1#PAID") != null) {
      wrong.add("a payout entry for an order refunded before its reward was settled");
    }
    JsonNode ovi = referrer(cmp, "cus_ovi");
    assertEquals(0, ovi.get("referrals").asLong());
    assertEquals(0, ovi.get("points").asLong());
    assertEquals(List.of(), wrong);
  }

  @Test
  void refundingAnEarlyReferralLeavesNoBadgeTheRemainingReferralsDoNotReach() {
    String cmp = "cmp_early";
    assertEquals(201, fixture.createCampaign(campaign(cmp, 14)).status());
    String code = code(cmp, "cus_eve");
    settle(cmp, code, "ord_e1");
    settle(cmp, code, "ord_e2");
    settle(cmp, code, "ord_e3");
    assertEquals("BEFORE_PAYOUT", refund(cmp, "ord_e1").get("phase").asText());

    // Two paid referrals remain: Silver, 200 points, and no badge earned at three.
    JsonNode eve = referrer(cmp, "cus_eve");
    assertEquals(2, eve.get("referrals").asLong());
    assertEquals("Silver", eve.get("tier").asText());
    List<String> badges = new ArrayList<>();
    eve.get("badges").forEach(b -> badges.add(b.asText()));
    assertEquals(List.of(), badges, eve.toString());
    assertEquals(200, eve.get("points").asLong());
    assertEquals(1200 + 500 + 1500 + 500,
        number(fixture.item("CAMPAIGN#" + cmp, "BUDGET#" + period() + "#email"), "spent"));
  }
}
