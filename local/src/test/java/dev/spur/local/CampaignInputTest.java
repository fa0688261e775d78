package dev.spur.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad program, hold and experiment input to POST /campaigns: each is a 400 problem naming the
 * field, and nothing is written; odd ids on the referrer, leaderboard and experiment views are
 * never a 5xx.
 */
@ExtendWith(AwsEmulatorExtension.class)
class CampaignInputTest {

  private static StackFixture fixture;

  @BeforeAll
  static void deploy(Emulator emulator) {
    fixture = new StackFixture(emulator, Map.of(), false);
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  private static String body(String id, String extra) {
    return """
        {"id":"%s","name":"Input","currency":"EUR","timeZone":"Europe/Berlin",
         "landingUrl":"https://shop.example.com/welcome","channels":["email"],
         "referrerReward":{"type":"CASH","amount":1000},
         "refereeReward":{"type":"DISCOUNT","amount":500},
         "budget":{"amount":100000,"currency":"EUR"}%s}
        """.formatted(id, extra.isEmpty() ? "" : "," + extra);
  }

  private static String variant(String name, int weight) {
    return """
        {"name":"%s","weightBps":%d,"referrerReward":{"type":"CASH","amount":1000},
         "refereeReward":{"type":"DISCOUNT","amount":500}}
        """.formatted(name, weight);
  }

  private static String tier(String name, Object min, Object bonus) {
    return "{\"name\":\"%s\",\"minReferrals\":%s,\"rewardBonusBps\":%s}".formatted(name, min,
        bonus);
  }

  private static String tiers(int count) {
    List<String> list = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      list.add(tier("T" + i, i, 100));
    }
    return "\"program\":{\"tiers\":[" + String.join(",", list) + "]}";
  }

  @Test
  void badProgramHoldAndExperimentInputIsA400NamingTheFieldAndWritesNothing() {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("program.tiers.1.minReferrals", "\"program\":{\"tiers\":["
        + tier("Gold", 3, 500) + "," + tier("Silver", 2, 200) + "]}");
    cases.put("program.tiers.1.name", "\"program\":{\"tiers\":["
        + tier("Gold", 2, 500) + "," + tier("Gold", 3, 200) + "]}");
    cases.put("program.tiers", tiers(11));
    cases.put("program.tiers.0.minReferrals", "\"program\":{\"tiers\":["
        + tier("Gold", "2.5", 500) + "]}");
    cases.put("program.tiers.0.rewardBonusBps", "\"program\":{\"tiers\":["
        + tier("Gold", 2, -1) + "]}");
    cases.put("program.tiers.0.minReferrals ", "\"program\":{\"tiers\":["
        + tier("Gold", "99999999999999999999999", 100) + "]}");
    cases.put("program.tiers.0.name", "\"program\":{\"tiers\":["
        + "{\"name\":null,\"minReferrals\":2,\"rewardBonusBps\":100}]}");
    cases.put("program.tiers.0.name ", "\"program\":{\"tiers\":["
        + tier("Gold \uD83C\uDFC6", 2, 100) + "]}");
    cases.put("program.tiers", "\"program\":{\"tiers\":{\"name\":\"Gold\"}}");
    cases.put("program.tiers.0", "\"program\":{\"tiers\":[[1,2]]}");
    cases.put("program", "\"program\":[1]");
    cases.put("program.milestones.1.referrals", "\"program\":{\"milestones\":["
        + "{\"referrals\":3,\"badge\":\"A\"},{\"referrals\":3,\"badge\":\"B\"}]}");
    cases.put("program.milestones.0.bonusPoints", "\"program\":{\"milestones\":["
        + "{\"referrals\":3,\"badge\":\"A\",\"bonusPoints\":-5}]}");
    cases.put("program.pointsPerReferral", "\"program\":{\"pointsPerReferral\":1e400}");
    cases.put("holdDays", "\"holdDays\":91");
    cases.put("holdDays ", "\"holdDays\":-1");
    cases.put("holdDays  ", "\"holdDays\":1.5");
    cases.put("holdDays   ", "\"holdDays\":\"7\"");
    cases.put("holdDays    ", "\"holdDays\":[7]");
    cases.put("experiment.variants", "\"experiment\":{\"variants\":["
        + variant("A", 5000) + "," + variant("B", 4000) + "]}");
    cases.put("experiment.variants ", "\"experiment\":{\"variants\":["
        + variant("A", 10000) + "]}");
    cases.put("experiment.variants.1.name", "\"experiment\":{\"variants\":["
        + variant("A", 5000) + "," + variant("my variant", 5000) + "]}");
    cases.put("experiment.variants.1.name ", "\"experiment\":{\"variants\":["
        + variant("A", 5000) + "," + variant("B\uD83D\uDE00", 5000) + "]}");
    cases.put("experiment.variants.1.name  ", "\"experiment\":{\"variants\":["
        + variant("A", 5000) + "," + variant("A", 5000) + "]}");
    cases.put("experiment.minWeightBps", "\"experiment\":{\"minWeightBps\":4000,\"variants\":["
        + variant("A", 4000) + "," + variant("B", 3000) + "," + variant("C", 3000) + "]}");
    cases.put("experiment.variants.1.weightBps", "\"experiment\":{\"variants\":["
        + variant("A", 10000) + "," + variant("B", 0) + "]}");
    cases.put("experiment.variants.0.weightBps", "\"experiment\":{\"variants\":["
        + variant("A", -5000) + "," + variant("B", 15000) + "]}");
    cases.put("experiment.variants  ", "\"experiment\":{\"variants\":{\"A\":5000}}");
    cases.put("experiment.variants.0", "\"experiment\":{\"variants\":[null,"
        + variant("B", 10000) + "]}");
    cases.put("experiment.variants.0.referrerReward", "\"experiment\":{\"variants\":["
        + variant("A", 5000).replace("{\"type\":\"CASH\",\"amount\":1000}", "[1000]") + ","
        + variant("B", 5000) + "]}");

    int n = 0;
    List<String> wrong = new ArrayList<>();
    int before = fixture.itemCount();
    for (var c : cases.entrySet()) {
      String id = "cmp_bad" + n++;
      String field = c.getKey().strip();
      StackFixture.Response response = fixture.createCampaign(body(id, c.getValue()));
      List<String> fields = new ArrayList<>();
      response.body().path("errors").forEach(e -> fields.add(e.path("field").asText()));
      if (response.status() != 400 || !fields.contains(field)) {
        wrong.add(c.getValue() + " -> " + response.status() + " " + response.body());
      }
      if (fixture.getCampaign(id).status() != 404) {
        wrong.add(c.getValue() + " -> campaign " + id + " was written");
      }
    }
    assertEquals(List.of(), wrong);
    assertEquals(before, fixture.itemCount(), "refused campaigns wrote nothing");
  }

  @Test
  void edgeExperimentsAreAcceptedAndTheirViewsAnswer() {
    // Weight 0 for a variant is allowed when minWeightBps is 0; 8 variants of 1250 fill 10000.
    assertEquals(201, fixture.createCampaign(body("cmp_zero", "\"experiment\":{\"minWeightBps\":0,"
        + "\"variants\":[" + variant("A", 10000) + "," + variant("B", 0) + "]}")).status());
    List<String> eight = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      eight.add(variant("V" + i, 1250));
    }
    assertEquals(201, fixture.createCampaign(body("cmp_eight", "\"experiment\":{"
        + "\"minWeightBps\":1250,\"variants\":[" + String.join(",", eight) + "]}")).status());
    for (String id : List.of("cmp_zero", "cmp_eight")) {
      StackFixture.Response link = fixture.link(StackFixture.linkBody(id, "email", "cus_a"));
      assertEquals(201, link.status(), link.body().toString());
      StackFixture.Response view = get("GET /campaigns/{campaignId}/experiment",
          "/campaigns/" + id + "/experiment", Map.of("campaignId", id));
      assertEquals(200, view.status(), view.body().toString());
    }
    JsonNode zero = get("GET /campaigns/{campaignId}/experiment", "/campaigns/cmp_zero/experiment",
        Map.of("campaignId", "cmp_zero")).body();
    assertEquals(10000, zero.at("/variants/0/weightBps").asInt());
    assertEquals(1, zero.at("/variants/0/referrers").asInt(), zero.toString());
  }

  private static StackFixture.Response get(String route, String path, Map<String, String> params) {
    return fixture.call("Campaigns", StackFixture.http("GET", route, path, params, null));
  }

  @Test
  void oddIdsOnTheReferrerLeaderboardAndExperimentViewsAreNeverA5xx() {
    assertEquals(201, fixture.createCampaign(body("cmp_views", "")).status());
    List<String> referrers = List.of("a", "x".repeat(128), "x".repeat(129), "x".repeat(3000),
        "..", "a#b", "a b", "%00", "\u0000", "\uD83D\uDE00", "../../etc", "REFERRER#a", "a:b@c",
        "-a", "");
    List<String> campaigns = List.of("cmp_views", "cmp_none", "CMP", "c".repeat(64),
        "c".repeat(3000), "a#b", "\u0000", "");
    List<String> wrong = new ArrayList<>();
    for (String campaign : campaigns) {
      for (String referrer : referrers) {
        StackFixture.Response r = get("GET /campaigns/{campaignId}/referrers/{referrerId}",
            "/campaigns/x/referrers/y", Map.of("campaignId", campaign, "referrerId", referrer));
        if (r.status() >= 500 || r.status() == 200) {
          wrong.add("referrer " + campaign + "/" + referrer + " -> " + r.status());
        }
      }
      for (String route : List.of("GET /campaigns/{campaignId}/leaderboard",
          "GET /campaigns/{campaignId}/experiment")) {
        StackFixture.Response r = get(route, "/campaigns/x", Map.of("campaignId", campaign));
        int expected = campaign.equals("cmp_views") && route.endsWith("leaderboard") ? 200 : 404;
        if (r.status() != expected) {
          wrong.add(route + " " + campaign + " -> " + r.status() + " " + r.body());
        }
      }
    }
    assertEquals(List.of(), wrong);
  }
}
