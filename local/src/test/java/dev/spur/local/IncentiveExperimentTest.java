package dev.spur.local;

import static dev.spur.local.StackFixture.conversionBody;
import static dev.spur.local.StackFixture.linkBody;
import static dev.spur.local.StackFixture.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An incentive experiment on the emulator: referrers keep the variant of their first link, each
 * referral is paid by its referrer's variant, and the schedule moves the weights toward the
 * variant that is best, within the campaign's guardrails, once per tick, saying why.
 */
@ExtendWith(AwsEmulatorExtension.class)
class IncentiveExperimentTest {

  private static StackFixture fixture;

  @BeforeAll
  static void deploy(Emulator emulator) {
    fixture = new StackFixture(emulator, Map.of(), false);
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  private static final String CAMPAIGN = """
      {"id":"cmp_ab","name":"Cash or discount","currency":"EUR","timeZone":"Europe/Berlin",
       "landingUrl":"https://shop.example.com/welcome","channels":["email","social"],
       "referrerReward":{"type":"CASH","amount":1000},
       "refereeReward":{"type":"DISCOUNT","amount":500},
       "attributionWindowDays":30,"budget":{"amount":1000000,"currency":"EUR"},"period":"MONTH",
       "guardrails":{"minShareBps":0,"maxShareBps":10000,"maxChangeBps":10000,
                     "explorationFloorBps":0},
       "experiment":{"minWeightBps":1000,"maxChangeBps":2000,"minReferrers":3,
         "variants":[
           {"name":"cash","weightBps":5000,"referrerReward":{"type":"CASH","amount":1000},
            "refereeReward":{"type":"DISCOUNT","amount":500}},
           {"name":"credit","weightBps":5000,"referrerReward":{"type":"CREDIT","amount":2500},
            "refereeReward":{"type":"DISCOUNT","amount":800}}]}}
      """;

  private static JsonNode experiment() {
    StackFixture.Response response = fixture.call("Campaigns", StackFixture.http("GET",
        "GET /campaigns/{campaignId}/experiment", "/campaigns/cmp_ab/experiment",
        Map.of("campaignId", "cmp_ab"), null));
    assertEquals(200, response.status(), response.body().toString());
    return response.body();
  }

  @Test
  void variantsAreKeptPaidByAndWeightedTowardTheBest() {
    assertEquals(201, fixture.createCampaign(CAMPAIGN).status());
    List<String> cash = new ArrayList<>();
    List<String> credit = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      String referrer = "cus_r" + i;
      StackFixture.Response created = fixture.link(linkBody("cmp_ab", "email", referrer));
      assertEquals(201, created.status(), created.body().toString());
      JsonNode link = created.body();
      String variant = fixture.item("CAMPAIGN#cmp_ab", "REFERRER#" + referrer).get("variant").s();
      assertEquals(variant,
          fixture.item("LINK#" + link.get("code").asText(), "LINK").get("variant").s());
      (variant.equals("cash") ? cash : credit).add(referrer);
    }
    assertEquals(16, cash.size() + credit.size());
    assertTrue(cash.size() >= 3 && credit.size() >= 3, cash + " / " + credit);
    assertEquals(cash.size(), number(
        fixture.item("CAMPAIGN#cmp_ab", "EXPERIMENT#VARIANT#cash"), "referrers"));
    assertEquals(credit.size(), number(
        fixture.item("CAMPAIGN#cmp_ab", "EXPERIMENT#VARIANT#credit"), "referrers"));

    // A second link, on another channel, keeps the referrer's variant and counts nobody twice.
    String first = cash.getFirst();
    JsonNode social = fixture.link(linkBody("cmp_ab", "social", first)).body();
    assertEquals("cash",
        fixture.item("LINK#" + social.get("code").asText(), "LINK").get("variant").s());
    assertEquals(cash.size(), number(
        fixture.item("CAMPAIGN#cmp_ab", "EXPERIMENT#VARIANT#cash"), "referrers"));

    // Every cash referrer brings two customers; credit referrers bring none.
    int order = 0;
    for (String referrer : cash) {
      String code = fixture.link(linkBody("cmp_ab", "email", referrer)).body().get("code")
          .asText();
      fixture.click(code);
      for (int k = 0; k < 2; k++) {
        String orderId = "ord_ab" + order++;
        assertEquals(201, fixture.convert(
            conversionBody("cmp_ab", code, orderId, "cus_new" + orderId, 8_000)).status());
        JsonNode out = StackFixture.read(fixture.stack.invoke("IssueReward",
            StackFixture.busEvent("ConversionRecorded",
                "{\"campaignId\":\"cmp_ab\",\"orderId\":\"" + orderId + "\"}")));
        assertEquals(1500, out.get("cost").asLong(), "cash pays 10.00 and 5.00");
      }
    }
    var cashReward = fixture.item("CAMPAIGN#cmp_ab", "REWARD#ord_ab0");
    assertEquals("cash", cashReward.get("variant").s());
    assertEquals("CASH", cashReward.get("referrerRewardType").s());
    var counts = fixture.item("CAMPAIGN#cmp_ab", "EXPERIMENT#VARIANT#cash");
    assertEquals(2L * cash.size(), number(counts, "conversions"));
    assertEquals(1500L * 2 * cash.size(), number(counts, "rewardCost"));
    assertEquals(8000L * 2 * cash.size(), number(counts, "revenue"));

    JsonNode before = experiment();
    assertEquals("cash", before.get("variants").get(0).get("variant").asText());
    assertTrue(before.get("variants").get(0).get("probabilityBest").asDouble() > 0.99,
        before.toString());
    assertEquals("WINNER", before.get("decision").get("outcome").asText());
    assertEquals("cash", before.get("decision").get("variant").asText());

    // The schedule moves the weights by the most the guardrails allow, once per tick.
    String tick = StackFixture.busEvent("Scheduled Event", "{}")
        .replaceFirst("\"time\":\"[^\"]+\"", "\"time\":\"2026-12-04T10:15:00Z\"");
    JsonNode run = StackFixture.read(fixture.stack.invoke("ReallocateBudget", tick));
    assertEquals(1, run.get("experimentsShifted").asInt(), run.toString());
    JsonNode after = experiment();
    assertEquals(7000, after.get("variants").get(0).get("weightBps").asInt());
    assertEquals(3000, after.get("variants").get(1).get("weightBps").asInt());
    assertEquals(1, after.get("weightsVersion").asInt());
    assertEquals(5000, after.get("lastShift").get(0).get("fromBps").asInt());
    assertEquals(7000, after.get("lastShift").get(0).get("toBps").asInt());
    assertTrue(after.get("lastShift").get(0).get("reason").asText().contains("max change"),
        after.get("lastShift").toString());

    JsonNode again = StackFixture.read(fixture.stack.invoke("ReallocateBudget", tick));
    assertEquals(0, again.get("experimentsShifted").asInt());
    assertEquals(7000, experiment().get("variants").get(0).get("weightBps").asInt());
  }
}
