package dev.spur.local;

import static dev.spur.local.StackFixture.conversionBody;
import static dev.spur.local.StackFixture.linkBody;
import static dev.spur.local.StackFixture.number;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * What the reward-lifecycle tests share: a one-channel campaign with a referral program, and
 * the steps they drive on a stack whose events they deliver to IssueReward themselves.
 */
final class Lifecycle {

  private final StackFixture fixture;

  Lifecycle(StackFixture fixture) {
    this.fixture = fixture;
  }

  /**
   * A campaign on the email channel, in Europe/Berlin: 10.00 EUR cash to the referrer, a 5.00
   * EUR discount to the friend, 100 points a referral, Silver at 2 referrals (+20%), Gold at 3
   * (+50%), and the Trailblazer badge with 250 points at 3.
   *
   * @param extra more members of the campaign, such as {@code "limits":{...}}, or empty
   * @param moreMilestones more milestones after Trailblazer's, or empty
   */
  static String programCampaign(
      String id, long budget, int holdDays, String extra, String moreMilestones) {
    return """
        {"id":"%s","name":"Friends of the Shop","currency":"EUR","timeZone":"Europe/Berlin",
         "landingUrl":"https://shop.example.com/welcome","channels":["email"],
         "referrerReward":{"type":"CASH","amount":1000},
         "refereeReward":{"type":"DISCOUNT","amount":500},
         "attributionWindowDays":30,"budget":{"amount":%d,"currency":"EUR"},
         "period":"MONTH","holdDays":%d,%s
         "guardrails":{"minShareBps":0,"maxShareBps":10000,"maxChangeBps":10000,
                       "explorationFloorBps":0},
         "program":{"pointsPerReferral":100,
           "tiers":[{"name":"Silver","minReferrals":2,"rewardBonusBps":2000},
                    {"name":"Gold","minReferrals":3,"rewardBonusBps":5000}],
           "milestones":[{"referrals":3,"badge":"Trailblazer","bonusPoints":250}%s]}}
        """.formatted(id, budget, holdDays, extra.isEmpty() ? "" : extra + ",",
        moreMilestones.isEmpty() ? "" : "," + moreMilestones);
  }

  /** The referrer's link on the email channel, clicked once. */
  String code(String campaignId, String referrer) {
    String code = fixture.link(linkBody(campaignId, "email", referrer)).body().get("code")
        .asText();
    fixture.click(code);
    return code;
  }

  /** Hands IssueReward one event as the bus would, and returns what it answered. */
  JsonNode deliver(String detailType, String detail) {
    return StackFixture.read(
        fixture.stack.invoke("IssueReward", StackFixture.busEvent(detailType, detail)));
  }

  /** The detail that names an order of a campaign. */
  static String ids(String campaignId, String orderId) {
    return "{\"campaignId\":\"%s\",\"orderId\":\"%s\"}".formatted(campaignId, orderId);
  }

  /** Records the 50.00 EUR order of customer {@code cus_<orderId>} through the link. */
  void convert(String campaignId, String code, String orderId) {
    assertEquals(201, fixture.convert(
        conversionBody(campaignId, code, orderId, "cus_" + orderId, 5_000)).status());
  }

  /** Records the order, then delivers its {@code ConversionRecorded}. */
  JsonNode settle(String campaignId, String code, String orderId) {
    convert(campaignId, code, orderId);
    return deliver("ConversionRecorded", ids(campaignId, orderId));
  }

  /** The detail of an {@code OrderRefunded} of one of those orders, in full or in part. */
  static String refundDetail(String campaignId, String orderId, boolean full) {
    return """
        {"campaignId":"%s","orderId":"%s","customerId":"cus_%s","refundId":"rf_%s",
         "amount":{"amount":5000,"currency":"EUR"},"refundedTotal":{"amount":5000,"currency":"EUR"},
         "orderAmount":{"amount":5000,"currency":"EUR"},"fullyRefunded":%s,
         "refundedAt":"2026-12-04T10:00:00Z"}
        """.formatted(campaignId, orderId, orderId, orderId, full);
  }

  /** Delivers a full refund of the order. */
  JsonNode refund(String campaignId, String orderId) {
    return deliver("OrderRefunded", refundDetail(campaignId, orderId, true));
  }

  /** The referrer's standing and ledger as the admin route shows them. */
  JsonNode referrer(String campaignId, String referrerId) {
    StackFixture.Response response = fixture.call("Campaigns", StackFixture.http("GET",
        "GET /campaigns/{campaignId}/referrers/{referrerId}",
        "/campaigns/" + campaignId + "/referrers/" + referrerId,
        Map.of("campaignId", campaignId, "referrerId", referrerId), null));
    assertEquals(200, response.status(), response.body().toString());
    return response.body();
  }

  /** The budget period now in the campaigns' time zone. */
  static String period() {
    return ZonedDateTime.now(ZoneId.of("Europe/Berlin"))
        .format(DateTimeFormatter.ofPattern("yyyy-MM"));
  }

  /** What the email channel has spent this period. */
  long spent(String campaignId) {
    return number(fixture.item("CAMPAIGN#" + campaignId, "BUDGET#" + period() + "#email"),
        "spent");
  }
}
