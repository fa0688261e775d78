package dev.spur.local;

import static dev.spur.local.StackFixture.campaignBody;
import static dev.spur.local.StackFixture.conversionBody;
import static dev.spur.local.StackFixture.linkBody;
import static dev.spur.local.StackFixture.number;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

/**
 * Rewards past a campaign's limits are held for review with their reason, not paid and not
 * dropped. The bus is not routed here: the test settles each conversion itself, in order.
 */
@ExtendWith(AwsEmulatorExtension.class)
class RewardLimitsTest {

  private static StackFixture fixture;

  @BeforeAll
  static void deploy(Emulator emulator) {
    fixture = new StackFixture(emulator, Map.of(), false);
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  private static String withLimits(String body, String limits) {
    return body.replace("\"period\":\"MONTH\"", "\"period\":\"MONTH\",\"limits\":" + limits);
  }

  private static List<String> settle(String campaignId, String code, String prefix, int count) {
    for (int i = 0; i < count; i++) {
      assertEquals(201, fixture.convert(conversionBody(campaignId, code, prefix + i,
          "cus_" + prefix + i, 5_000)).status());
    }
    List<String> outcomes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String event = StackFixture.busEvent("ConversionRecorded",
          "{\"campaignId\":\"%s\",\"orderId\":\"%s%d\"}".formatted(campaignId, prefix, i));
      JsonNode out = StackFixture.read(fixture.stack.invoke("IssueReward", event));
      outcomes.add(out.get("outcome").asText() + (out.has("reason")
          ? " " + out.get("reason").asText() : ""));
    }
    return outcomes;
  }

  @Test
  void aReferrerPastTheCapPerPeriodHasTheNextRewardHeld() {
    assertEquals(201, fixture.createCampaign(withLimits(
        campaignBody("cmp_cap", List.of("email"), 100_000, 0),
        "{\"rewardsPerReferrerPerPeriod\":2}")).status());
    String code = fixture.link(linkBody("cmp_cap", "email", "cus_pia")).body().get("code")
        .asText();
    fixture.click(code);

    assertEquals(List.of("ISSUED", "ISSUED", "HELD REFERRER_CAP"),
        settle("cmp_cap", code, "ord_c", 3));

    var held = fixture.item("CAMPAIGN#cmp_cap", "REWARD#ord_c2");
    assertEquals("HELD", held.get("status").s());
    assertEquals("REFERRER_CAP", held.get("reason").s());
    String period = ZonedDateTime.now(ZoneId.of("Europe/Berlin"))
        .format(DateTimeFormatter.ofPattern("yyyy-MM"));
    assertEquals(3_000, number(fixture.item("CAMPAIGN#cmp_cap", "BUDGET#" + period + "#email"),
        "spent"));
    JsonNode email = fixture.metrics("cmp_cap").body().at("/channels/0");
    assertEquals(2, email.get("rewardsIssued").asLong());
    assertEquals(1, email.get("rewardsHeld").asLong());
    assertEquals(3_000, email.at("/rewardsPaid/amount").asLong());
  }

  private static StackFixture.Response review(String campaignId, String orderId,
      String decision) {
    return fixture.call("Campaigns", StackFixture.http("POST",
        "POST /campaigns/{campaignId}/rewards/{orderId}/review",
        "/campaigns/" + campaignId + "/rewards/" + orderId + "/review",
        Map.of("campaignId", campaignId, "orderId", orderId),
        "{\"decision\":\"" + decision + "\"}"));
  }

  @Test
  void anApprovedHeldRewardIsPaidAndARejectedOneDeclinedEachOnce() {
    assertEquals(201, fixture.createCampaign(withLimits(
        campaignBody("cmp_review", List.of("email"), 100_000, 0),
        "{\"rewardsPerReferrerPerPeriod\":1}")).status());
    String code = fixture.link(linkBody("cmp_review", "email", "cus_ivy")).body().get("code")
        .asText();
    fixture.click(code);
    assertEquals(List.of("ISSUED", "HELD REFERRER_CAP", "HELD REFERRER_CAP"),
        settle("cmp_review", code, "ord_r", 3));

    var approved = review("cmp_review", "ord_r1", "APPROVE");
    assertEquals(200, approved.status(), approved.body().toString());
    assertEquals("APPROVED", approved.body().get("status").asText());
    String event = StackFixture.busEvent("RewardApproved",
        "{\"campaignId\":\"cmp_review\",\"orderId\":\"ord_r1\"}");
    assertEquals("ISSUED", StackFixture.read(fixture.stack.invoke("IssueReward", event))
        .get("outcome").asText());
    assertEquals("ALREADY_SETTLED", StackFixture.read(fixture.stack.invoke("IssueReward", event))
        .get("outcome").asText());

    assertEquals("REJECTED", review("cmp_review", "ord_r2", "REJECT").body().get("status")
        .asText());
    assertEquals(200, review("cmp_review", "ord_r2", "REJECT").status());
    var conflict = review("cmp_review", "ord_r2", "APPROVE");
    assertEquals(409, conflict.status());
    assertEquals("decision", conflict.body().at("/errors/0/field").asText());
    assertEquals(404, review("cmp_review", "ord_none", "APPROVE").status());
    assertEquals(400, review("cmp_review", "ord_r2", "MAYBE").status());

    assertEquals("SENT", fixture.item("CAMPAIGN#cmp_review", "REWARD#ord_r1")
        .get("referrerEmail").s());
    JsonNode email = fixture.metrics("cmp_review").body().at("/channels/0");
    assertEquals(2, email.get("rewardsIssued").asLong());
    assertEquals(0, email.get("rewardsHeld").asLong());
    assertEquals(1, email.get("rewardsDeclined").asLong());
    assertEquals(3_000, email.at("/rewardsPaid/amount").asLong());
    String period = ZonedDateTime.now(ZoneId.of("Europe/Berlin"))
        .format(DateTimeFormatter.ofPattern("yyyy-MM"));
    assertEquals(3_000, number(fixture.item("CAMPAIGN#cmp_review",
        "BUDGET#" + period + "#email"), "spent"));
  }

  @Test
  void aReferrerPastTheVelocityLimitHasThatHoursRewardsHeld() throws Exception {
    Instant now = Instant.now();
    Instant nextHour = now.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
    if (nextHour.minusSeconds(20).isBefore(now)) {
      Thread.sleep(nextHour.toEpochMilli() - now.toEpochMilli() + 1_000);
    }
    assertEquals(201, fixture.createCampaign(withLimits(
        campaignBody("cmp_fast", List.of("email"), 100_000, 0),
        "{\"conversionsPerReferrerPerHour\":2}")).status());
    String busy = fixture.link(linkBody("cmp_fast", "email", "cus_tom")).body().get("code")
        .asText();
    String calm = fixture.link(linkBody("cmp_fast", "email", "cus_una")).body().get("code")
        .asText();
    fixture.click(busy);
    fixture.click(calm);

    assertEquals(List.of("HELD VELOCITY", "HELD VELOCITY", "HELD VELOCITY"),
        settle("cmp_fast", busy, "ord_v", 3));
    assertEquals(List.of("ISSUED"), settle("cmp_fast", calm, "ord_w", 1));
    assertEquals("VELOCITY", fixture.item("CAMPAIGN#cmp_fast", "REWARD#ord_v0").get("reason")
        .s());
  }
}
