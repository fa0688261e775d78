package dev.spur.local;

import static dev.spur.local.StackFixture.campaignBody;
import static dev.spur.local.StackFixture.conversionBody;
import static dev.spur.local.StackFixture.linkBody;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(AwsEmulatorExtension.class)
class ReferralRulesTest {

  private static StackFixture fixture;
  private static String code;

  @BeforeAll
  static void deploy(Emulator emulator) {
    fixture = new StackFixture(emulator);
    assertEquals(201, fixture.createCampaign(
        campaignBody("cmp_rules", List.of("email"), 100_000, 0)).status());
    code = fixture.link(linkBody("cmp_rules", "email", "cus_lea")).body().get("code").asText();
    fixture.click(code);
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  private static String at(String body, Instant orderedAt) {
    return body.replace("\"amount\":{", "\"orderedAt\":\"" + orderedAt + "\",\"amount\":{");
  }

  @Test
  void theVisitorsOwnQueryGoesOnToTheLandingPageButCannotShadowTheCode() {
    String event = StackFixture.http("GET", "GET /r/{code}", "/r/" + code, Map.of("code", code),
        null).replace("\"rawQueryString\":\"\"",
        "\"rawQueryString\":\"utm_source=news&ref=evil&utm_medium=email\"");

    var click = fixture.call("TrackClick", event);

    assertEquals(302, click.status());
    String location = click.headers().get("location").asText();
    assertEquals("https://shop.example.com/welcome?ref=" + code + "&spur_click=",
        location.substring(0, location.indexOf("spur_click=") + "spur_click=".length()));
    assertEquals("&utm_source=news&utm_medium=email",
        location.substring(location.indexOf("&utm_source")));
  }

  @Test
  void anOrderPlacedBeforeAnyClickOfTheLinkIsOutsideTheWindow() {
    Instant hourAgo = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    var early = fixture.convert(at(conversionBody("cmp_rules", code, "ord_r1", "cus_r1", 100),
        hourAgo));

    assertEquals(422, early.status(), early.body().toString());
    assertEquals("urn:spur:problem:outside-attribution-window", early.body().get("type")
        .asText());
    assertEquals("orderedAt", early.body().at("/errors/0/field").asText());
  }

  @Test
  void aRetryAfterTheCampaignEndedStillAnswersWithTheFirstResult() throws Exception {
    String ends = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS).toString();
    String body = campaignBody("cmp_ending", List.of("email"), 10_000, 0)
        .replace("\"period\":\"MONTH\"", "\"period\":\"MONTH\",\"endsAt\":\"" + ends + "\"");
    assertEquals(201, fixture.createCampaign(body).status());
    String ending = fixture.link(linkBody("cmp_ending", "email", "cus_mo")).body().get("code")
        .asText();
    fixture.click(ending);
    String conversion = conversionBody("cmp_ending", ending, "ord_e1", "cus_e1", 100);
    var first = fixture.convert(conversion);
    assertEquals(201, first.status());
    fixture.stack.drain(Duration.ofSeconds(60));

    Thread.sleep(Math.max(0, Duration.between(Instant.now(), Instant.parse(ends)).toMillis())
        + 500);

    var retry = fixture.convert(conversion);
    assertEquals(200, retry.status(), retry.body().toString());
    assertEquals(first.body(), retry.body());
    assertEquals(200, fixture.link(linkBody("cmp_ending", "email", "cus_mo")).status());
    assertEquals(200, fixture.createCampaign(body).status());
    assertEquals("ENDED", fixture.getCampaign("cmp_ending").body().get("status").asText());
    var late = fixture.convert(conversionBody("cmp_ending", ending, "ord_e2", "cus_e2", 100));
    assertEquals(422, late.status());
    assertEquals("urn:spur:problem:campaign-ended", late.body().get("type").asText());
  }

  @Test
  void lookAlikeLettersInAnEmailDoNotHideASelfReferral() {
    var answer = fixture.convert(conversionBody("cmp_rules", code, "ord_r2", "cus_r2", 100)
        .replace("cus_r2@example.com", "\uff43us_lea@example.com"));

    assertEquals(422, answer.status(), answer.body().toString());
    assertEquals("urn:spur:problem:self-referral", answer.body().get("type").asText());
  }

  @Test
  void invisibleCharactersInAnEmailAreRefused() {
    int items = fixture.itemCount();
    var zeroWidth = fixture.convert(conversionBody("cmp_rules", code, "ord_r3", "cus_r3", 100)
        .replace("cus_r3@example.com", "cus_lea\u200b@example.com"));
    var noBreakSpace = fixture.convert(conversionBody("cmp_rules", code, "ord_r4", "cus_r4", 100)
        .replace("cus_r4@example.com", "cus_lea@example.com\u00a0"));

    assertEquals(400, zeroWidth.status());
    assertEquals("customer.email", zeroWidth.body().at("/errors/0/field").asText());
    assertEquals(400, noBreakSpace.status());
    assertEquals("customer.email", noBreakSpace.body().at("/errors/0/field").asText());
    assertEquals(items, fixture.itemCount());
  }

  @Test
  void oneMailboxIsRewardedOnceWhateverCustomerIdItComesUnder() {
    var first = fixture.convert(conversionBody("cmp_rules", code, "ord_r5", "cus_r5", 100)
        .replace("cus_r5@example.com", "zoe@gmail.com"));
    var second = fixture.convert(conversionBody("cmp_rules", code, "ord_r6", "cus_r6", 100)
        .replace("cus_r6@example.com", "Z.o.e+again@gmail.com"));

    assertEquals(201, first.status());
    assertEquals(422, second.status(), second.body().toString());
    assertEquals("customer.email", second.body().at("/errors/0/field").asText());
  }

  @Test
  void repeatedKeysCurrenciesWithoutMinorUnitsAndFarDatesAreRefused() {
    int items = fixture.itemCount();
    var repeated = fixture.convert("{\"campaignId\":\"cmp_rules\",\"campaignId\":\"x\"}");
    var gold = fixture.convert(conversionBody("cmp_rules", code, "ord_r7", "cus_r7", 100)
        .replace("EUR", "XAU"));
    var far = fixture.call("Campaigns", StackFixture.http("POST",
        "POST /campaigns/{campaignId}/spend", "/campaigns/cmp_rules/spend",
        Map.of("campaignId", "cmp_rules"), """
            {"reportId":"r1","channel":"email","amount":{"amount":1,"currency":"EUR"},
             "occurredAt":"+1000000000-12-31T23:59:59Z"}
            """));
    var future = fixture.call("Campaigns", StackFixture.http("POST",
        "POST /campaigns/{campaignId}/spend", "/campaigns/cmp_rules/spend",
        Map.of("campaignId", "cmp_rules"), """
            {"reportId":"r2","channel":"email","amount":{"amount":1,"currency":"EUR"},
             "occurredAt":"2999-01-01T00:00:00Z"}
            """));

    assertEquals(400, repeated.status());
    assertEquals("body", repeated.body().at("/errors/0/field").asText());
    assertEquals(400, gold.status());
    assertEquals("amount.currency", gold.body().at("/errors/0/field").asText());
    assertEquals(400, far.status());
    assertEquals("occurredAt", far.body().at("/errors/0/field").asText());
    assertEquals(400, future.status());
    assertEquals("occurredAt", future.body().at("/errors/0/field").asText());
    assertEquals(items, fixture.itemCount());
  }
}
