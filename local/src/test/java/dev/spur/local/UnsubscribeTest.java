package dev.spur.local;

import static dev.spur.local.StackFixture.campaignBody;
import static dev.spur.local.StackFixture.conversionBody;
import static dev.spur.local.StackFixture.linkBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import dev.spur.testkit.SentEmail;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The unsubscribe link every email carries: following it changes nothing, its button (or a
 * mail client's one-click POST) suppresses the mailbox, and Spur then sends it nothing more,
 * while the rewards themselves are still paid.
 */
@ExtendWith(AwsEmulatorExtension.class)
class UnsubscribeTest {

  private static final Pattern LINK =
      Pattern.compile("http://127\\.0\\.0\\.1:3000/unsubscribe/([0-9a-f]{32})");
  private static StackFixture fixture;

  @BeforeAll
  static void deploy(Emulator emulator) {
    fixture = new StackFixture(emulator, Map.of(), false);
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  private static JsonNode settle(String code, String orderId, String customer) {
    assertEquals(201, fixture.convert(
        conversionBody("cmp_unsub", code, orderId, customer, 4_000)).status());
    return StackFixture.read(fixture.stack.invoke("IssueReward",
        StackFixture.busEvent("ConversionRecorded",
            "{\"campaignId\":\"cmp_unsub\",\"orderId\":\"" + orderId + "\"}")));
  }

  private static List<SentEmail> to(String address) {
    return fixture.emulator.sentEmails().stream().filter(e -> e.to().contains(address)).toList();
  }

  private static String token(SentEmail email) {
    String body = email.html() != null ? email.html() : email.text();
    Matcher matcher = LINK.matcher(body);
    assertTrue(matcher.find(), body);
    return matcher.group(1);
  }

  private static StackFixture.Response unsubscribe(String method, String token) {
    return fixture.call("Unsubscribe", StackFixture.http(method, method + " /unsubscribe/{token}",
        "/unsubscribe/" + token, Map.of("token", token),
        method.equals("POST") ? "List-Unsubscribe=One-Click" : null));
  }

  @Test
  void anUnsubscribedReferrerIsPaidButNotEmailed() {
    assertEquals(201, fixture.createCampaign(
        campaignBody("cmp_unsub", List.of("email"), 100_000, 0)).status());
    String code = fixture.link(linkBody("cmp_unsub", "email", "cus_unsub_ref")).body().get("code")
        .asText();
    fixture.click(code);
    assertEquals("ISSUED", settle(code, "ord_u1", "cus_unsub_one").get("outcome").asText());

    List<SentEmail> first = to("cus_unsub_ref@example.com");
    assertEquals(1, first.size(), first.toString());
    String token = token(first.getFirst());
    assertEquals(token, token(first.getFirst()));

    JsonNode page = fixture.stack.invoke("Unsubscribe", StackFixture.http("GET",
        "GET /unsubscribe/{token}", "/unsubscribe/" + token, Map.of("token", token), null))
        .transform(StackFixture::read);
    assertEquals(200, page.get("statusCode").asInt());
    assertEquals("text/html; charset=utf-8", page.at("/headers/content-type").asText());
    assertTrue(page.get("body").asText().contains("<form method=\"post\">"));
    assertEquals(null, fixture.item("MAILBOX#" + digest("cus_unsub_ref@example.com"), "SUPPRESSED"),
        "following the link unsubscribes nobody");

    JsonNode done = fixture.stack.invoke("Unsubscribe", StackFixture.http("POST",
        "POST /unsubscribe/{token}", "/unsubscribe/" + token, Map.of("token", token),
        "List-Unsubscribe=One-Click")).transform(StackFixture::read);
    assertEquals(200, done.get("statusCode").asInt());
    assertTrue(done.get("body").asText().contains("You will get no more emails"));
    assertEquals("UNSUBSCRIBED", fixture.item("MAILBOX#" + digest("cus_unsub_ref@example.com"),
        "SUPPRESSED").get("reason").s());
    JsonNode again = fixture.stack.invoke("Unsubscribe", StackFixture.http("POST",
        "POST /unsubscribe/{token}", "/unsubscribe/" + token, Map.of("token", token), null))
        .transform(StackFixture::read);
    assertEquals(200, again.get("statusCode").asInt());
    assertTrue(again.get("body").asText().contains("unsubscribed already"));

    // The next referral is paid; the referrer hears nothing, the new customer does.
    assertEquals("ISSUED", settle(code, "ord_u2", "cus_unsub_two").get("outcome").asText());
    assertEquals(1, to("cus_unsub_ref@example.com").size());
    assertEquals(List.of("Thanks for your order: here is your own referral link",
            "Your welcome reward: a 5.00 EUR discount"),
        to("cus_unsub_two@example.com").stream().map(SentEmail::subject).sorted().toList());
    var reward = fixture.item("CAMPAIGN#cmp_unsub", "REWARD#ord_u2");
    assertEquals("SUPPRESSED", reward.get("referrerEmail").s());
    assertEquals("SENT", reward.get("refereeEmail").s());
    assertEquals("SENT", reward.get("thankYouEmail").s());
  }

  private static StackFixture.Response suppress(String body) {
    return fixture.call("Campaigns", StackFixture.http("POST", "POST /suppressions",
        "/suppressions", Map.of(), body));
  }

  @Test
  void anAddressTheOperatorSuppressesGetsNothingAndBadInputIsNamed() {
    assertEquals(201, fixture.createCampaign(
        campaignBody("cmp_supp", List.of("email"), 100_000, 0)).status());
    String code = fixture.link(linkBody("cmp_supp", "email", "cus_supp_ref")).body().get("code")
        .asText();
    fixture.click(code);
    // The same mailbox, written another way.
    StackFixture.Response added =
        suppress("{\"email\":\"CUS_Supp_One@Example.COM\",\"reason\":\"BOUNCE\"}");
    assertEquals(201, added.status(), added.body().toString());
    assertEquals(200, suppress("{\"email\":\"cus_supp_one@example.com\",\"reason\":\"BOUNCE\"}")
        .status());
    assertEquals(201, fixture.convert(
        conversionBody("cmp_supp", code, "ord_s1", "cus_supp_one", 4_000)).status());
    StackFixture.read(fixture.stack.invoke("IssueReward", StackFixture.busEvent(
        "ConversionRecorded", "{\"campaignId\":\"cmp_supp\",\"orderId\":\"ord_s1\"}")));
    var reward = fixture.item("CAMPAIGN#cmp_supp", "REWARD#ord_s1");
    assertEquals("ISSUED", reward.get("status").s());
    assertEquals("SUPPRESSED", reward.get("refereeEmail").s());
    assertEquals("SUPPRESSED", reward.get("thankYouEmail").s());
    assertEquals(0, to("cus_supp_one@example.com").size());
    assertEquals("SENT", reward.get("referrerEmail").s());

    StackFixture.Response bad = suppress("{\"email\":\"not an address\",\"reason\":\"SPAM\"}");
    assertEquals(400, bad.status());
    assertEquals("email", bad.body().at("/errors/0/field").asText());
    assertEquals("reason", bad.body().at("/errors/1/field").asText());
  }

  @Test
  void aTokenNoMailboxHasIsNotFound() {
    assertEquals(404, unsubscribe("POST", "0123456789abcdef0123456789abcdef").status());
    assertEquals(404, unsubscribe("GET", "0123456789abcdef0123456789abcdef").status());
    StackFixture.Response malformed = unsubscribe("POST", "not-a-token");
    assertEquals(404, malformed.status());
    assertEquals("token", malformed.body().at("/errors/0/field").asText(),
        malformed.body().toString());
  }

  private static String digest(String address) {
    return dev.spur.core.fraud.EmailIdentity.digest(address);
  }
}
