package dev.spur.local;

import static dev.spur.local.StackFixture.campaignBody;
import static dev.spur.local.StackFixture.conversionBody;
import static dev.spur.local.StackFixture.linkBody;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(AwsEmulatorExtension.class)
class BadInputTest {

  private static StackFixture fixture;
  private static String code;

  @BeforeAll
  static void deploy(Emulator emulator) {
    fixture = new StackFixture(emulator);
    assertEquals(201, fixture.createCampaign(
        campaignBody("cmp_bad", List.of("email"), 10_000, 0)).status());
    code = fixture.link(linkBody("cmp_bad", "email", "cus_uma")).body().get("code").asText();
    fixture.click(code);
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  /** Checks the answer's status, problem shape and fields, and that nothing was written. */
  private static void refused(int status, List<String> fields, Supplier<StackFixture.Response>
      call) {
    int before = fixture.itemCount();
    StackFixture.Response response = call.get();
    assertEquals(status, response.status(), response.body().toString());
    assertEquals("application/problem+json", response.headers().get("content-type").asText());
    JsonNode problem = response.body();
    assertEquals(status, problem.get("status").asInt());
    assertEquals(true, problem.get("type").asText().startsWith("urn:spur:problem:"));
    List<String> named = new ArrayList<>();
    problem.path("errors").forEach(error -> named.add(error.get("field").asText()));
    assertEquals(fields, named);
    assertEquals(before, fixture.itemCount(), "no item written");
  }

  private static String withExtra(String id, String extra) {
    return campaignBody(id, List.of("email"), 10_000, 0)
        .replace("\"period\":\"MONTH\"", "\"period\":\"MONTH\"," + extra);
  }

  private static final String VARIANT_A =
      "{\"name\":\"a\",\"weightBps\":5000,\"referrerReward\":{\"type\":\"CASH\","
          + "\"amount\":100},\"refereeReward\":{\"type\":\"CASH\",\"amount\":100}}";

  @Test
  void aProgramHoldOrExperimentOutOfShapeIsA400NamingEachField() {
    refused(400, List.of("holdDays"), () -> fixture.createCampaign(
        withExtra("cmp_p1", "\"holdDays\":91")));
    refused(400, List.of("holdDays"), () -> fixture.createCampaign(
        withExtra("cmp_p1", "\"holdDays\":1.5")));
    refused(400, List.of("program"), () -> fixture.createCampaign(
        withExtra("cmp_p1", "\"program\":[]")));
    refused(400, List.of("program.tiers.1.minReferrals"), () -> fixture.createCampaign(
        withExtra("cmp_p1", """
            "program":{"tiers":[{"name":"Gold","minReferrals":5,"rewardBonusBps":100},
                                {"name":"Silver","minReferrals":2,"rewardBonusBps":50}]}""")));
    refused(400, List.of("program.tiers.1.name"), () -> fixture.createCampaign(
        withExtra("cmp_p1", """
            "program":{"tiers":[{"name":"Gold","minReferrals":2,"rewardBonusBps":100},
                                {"name":"Gold","minReferrals":5,"rewardBonusBps":50}]}""")));
    refused(400, List.of("program.tiers.0.name", "program.tiers.0.rewardBonusBps"),
        () -> fixture.createCampaign(withExtra("cmp_p1", """
            "program":{"tiers":[{"name":"Gold \ud83c\udfc6","minReferrals":2,
                                 "rewardBonusBps":-1}]}""")));
    refused(400, List.of("program.tiers"), () -> fixture.createCampaign(
        withExtra("cmp_p1", "\"program\":{\"tiers\":["
            + "{},".repeat(10) + "{}]}")));
    refused(400, List.of("program.milestones.0"), () -> fixture.createCampaign(
        withExtra("cmp_p1", "\"program\":{\"milestones\":[7]}")));
    refused(400, List.of("program.milestones.1.referrals", "program.milestones.1.badge"),
        () -> fixture.createCampaign(withExtra("cmp_p1", """
            "program":{"milestones":[{"referrals":3,"badge":"Three"},
                                     {"referrals":3,"badge":"Three"}]}""")));
    refused(400, List.of("experiment.variants"), () -> fixture.createCampaign(
        withExtra("cmp_p1", "\"experiment\":{\"variants\":[" + VARIANT_A + "]}")));
    refused(400, List.of("experiment.variants.1.name", "experiment.variants"),
        () -> fixture.createCampaign(withExtra("cmp_p1", "\"experiment\":{\"variants\":["
            + VARIANT_A + "," + VARIANT_A.replace("5000", "4000") + "]}")));
    refused(400, List.of("experiment.variants.1.name"), () -> fixture.createCampaign(
        withExtra("cmp_p1", "\"experiment\":{\"variants\":[" + VARIANT_A + ","
            + VARIANT_A.replace("\"a\"", "\"b c\"") + "]}")));
    refused(400, List.of("experiment.minWeightBps"), () -> fixture.createCampaign(
        withExtra("cmp_p1", "\"experiment\":{\"minWeightBps\":4000,\"variants\":["
            + VARIANT_A.replace("5000", "3000") + ","
            + VARIANT_A.replace("\"a\"", "\"b\"").replace("5000", "3000") + ","
            + VARIANT_A.replace("\"a\"", "\"c\"").replace("5000", "4000") + "]}")));
    refused(400, List.of("experiment.variants.1.referrerReward"), () -> fixture.createCampaign(
        withExtra("cmp_p1", "\"experiment\":{\"variants\":[" + VARIANT_A + ","
            + VARIANT_A.replace("\"a\"", "\"b\"").replace(
                "\"referrerReward\":{\"type\":\"CASH\",\"amount\":100}",
                "\"referrerReward\":\"CASH\"") + "]}")));
  }

  @Test
  void malformedJsonIsA400NamingTheBody() {
    refused(400, List.of("body"), () -> fixture.convert("{\"campaignId\": \"cmp_bad\","));
    refused(400, List.of("body"), () -> fixture.link("not json"));
    refused(400, List.of("body"), () -> fixture.createCampaign(""));
  }

  @Test
  void missingAndMistypedFieldsAreEachNamed() {
    refused(400, List.of("orderId", "customer.id", "amount.amount"), () -> fixture.convert("""
        {"campaignId":"cmp_bad","code":"%s","customer":{},
         "amount":{"amount":"12.90","currency":"EUR"}}
        """.formatted(code)));
    refused(400, List.of("channel"), () -> fixture.link("""
        {"campaignId":"cmp_bad","channel":7,"referrer":{"id":"cus_x"}}
        """));
    refused(400, List.of("currency", "budget"), () -> fixture.createCampaign("""
        {"name":"No money","timeZone":"Europe/Berlin","landingUrl":"https://shop.example.com",
         "channels":["email"],"referrerReward":{"type":"CASH","amount":100},
         "refereeReward":{"type":"POINTS","amount":50}}
        """));
    refused(400, List.of("amount.currency"), () -> fixture.convert(
        conversionBody("cmp_bad", code, "ord_usd", "cus_v", 100).replace("EUR", "USD")));
    refused(400, List.of("channel"), () -> fixture.link(linkBody("cmp_bad", "tv", "cus_y")));
  }

  @Test
  void aLandingUrlOutsideAsciiAndAnIdNoCampaignCanHaveAreRefused() {
    refused(400, List.of("landingUrl"), () -> fixture.createCampaign(
        campaignBody("cmp_accent", List.of("email"), 1_000, 0)
            .replace("welcome", "w\u00ebl\u00e7ome")));
    refused(404, List.of("campaignId"), () -> fixture.getCampaign("x".repeat(3_000)));
  }

  @Test
  void unknownCampaignAndUnknownCodeAre404() {
    refused(404, List.of("campaignId"), () -> fixture.convert(
        conversionBody("cmp_nope", code, "ord_1", "cus_w", 100)));
    refused(404, List.of("code"), () -> fixture.convert(
        conversionBody("cmp_bad", "zzzzzzzzzzzzz", "ord_1", "cus_w", 100)));
    refused(404, List.of("campaignId"), () -> fixture.link(linkBody("cmp_nope", "email",
        "cus_z")));
    refused(404, List.of("campaignId"), () -> fixture.getCampaign("cmp_nope"));
    refused(404, List.of("code"), () -> fixture.click("zzzzzzzzzzzzz"));
    refused(404, List.of("code"), () -> fixture.click("not-a-code-at-all"));
  }

  @Test
  void selfReferralIsRefusedWith422AndWritesNothing() {
    refused(422, List.of("customer"), () -> fixture.convert(
        conversionBody("cmp_bad", code, "ord_self", "cus_uma", 100)));
    refused(422, List.of("customer"), () -> fixture.convert(
        conversionBody("cmp_bad", code, "ord_alias", "cus_other", 100)
            .replace("cus_other@example.com", "CUS_UMA@example.com")));
  }

  @Test
  void aRepeatedOrderWithOtherFiguresIsAConflict() {
    assertEquals(201, fixture.convert(conversionBody("cmp_bad", code, "ord_c", "cus_c", 100))
        .status());
    fixture.stack.drain(java.time.Duration.ofSeconds(60));
    refused(409, List.of("orderId"), () -> fixture.convert(
        conversionBody("cmp_bad", code, "ord_c", "cus_c", 999)));
  }
}
