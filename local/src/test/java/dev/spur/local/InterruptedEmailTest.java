package dev.spur.local;

import static dev.spur.local.StackFixture.campaignBody;
import static dev.spur.local.StackFixture.conversionBody;
import static dev.spur.local.StackFixture.linkBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A delivery that fails after claiming an email leaves it {@code SENDING}. The bus delivers
 * that same event again within seconds, long before the claim's lease runs out; the retry must
 * take its own claim back and finish the email, while a copy of the event that another publish
 * made must still wait for the lease.
 */
@ExtendWith(AwsEmulatorExtension.class)
class InterruptedEmailTest {

  private static final String CAMPAIGN = "cmp_interrupted";
  /** The {@code MaximumRetryAttempts} of the template's rule on {@code ConversionRecorded}. */
  private static final int RETRIES = 8;
  private static final String REFERRER_SUBJECT = "You earned 10.00 EUR cash for a referral";
  private static final String WELCOME_SUBJECT = "Your welcome reward: a 5.00 EUR discount";
  private static final String THANK_YOU_SUBJECT =
      "Thanks for your order: here is your own referral link";

  private static StackFixture fixture;

  @BeforeAll
  static void deploy(Emulator emulator) {
    fixture = StackFixture.behindProxy(emulator, 20_261_205L, Map.of(), false);
    assertEquals(201, fixture.createCampaign(campaignBody(CAMPAIGN, List.of("email"), 100_000, 0))
        .status());
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  @Test
  void retryOfTheSameEventFinishesAnEmailWhoseSentMarkWasThrottled() {
    String event = convertedEvent("cus_iea", "ord_1", "cus_ie1");

    // SES takes the welcome email; marking it SENT is throttled until the SDK gives up.
    fixture.proxy().throttleCallsContaining("REWARD#ord_1", "\"#state\":\"refereeEmail\"",
        "{\":state\":{\"S\":\"SENT\"}}");
    FunctionError failed = failsWhileTargeted(event);
    assertEquals("software.amazon.awssdk.services.dynamodb.model.ThrottlingException",
        failed.errorType());
    assertEquals(List.of("SENT", "SENDING", "-"), emailStates("ord_1"));

    assertEquals(List.of("ALREADY_SETTLED"), retryUntilHandled(event));
    assertEquals(List.of("SENT", "SENT", "SENT"), emailStates("ord_1"));
    assertEquals(Map.of(REFERRER_SUBJECT, 1), subjectsTo("cus_iea@example.com"));
    // Whether SES had taken it cannot be known, so the welcome email goes out again.
    assertEquals(Map.of(WELCOME_SUBJECT, 2, THANK_YOU_SUBJECT, 1),
        subjectsTo("cus_ie1@example.com"));
  }

  @Test
  void retryOfTheSameEventSendsOnceAnEmailWhoseSendAndReleaseFailed() {
    String event = convertedEvent("cus_ieb", "ord_2", "cus_ie2");

    // SES refuses the welcome email, and releasing its claim is throttled too.
    fixture.proxy().throttleCallsContaining("cus_ie2@example.com", "Your welcome reward");
    fixture.proxy().throttleCallsContaining("REWARD#ord_2", "\"#state\":\"refereeEmail\"",
        "REMOVE #state, #lease, #claim");
    FunctionError failed = failsWhileTargeted(event);
    assertEquals("software.amazon.awssdk.services.sesv2.model.TooManyRequestsException",
        failed.errorType());
    assertEquals(List.of("SENT", "SENDING", "-"), emailStates("ord_2"));

    // A copy of the event from another publish must not send while the claim's lease runs.
    String copy = StackFixture.busEvent("ConversionRecorded", detail("ord_2"));
    FunctionError refused = assertThrows(FunctionError.class, () -> deliver(copy));
    assertEquals("refereeEmail of ord_2 is being sent by another delivery",
        refused.errorMessage());

    assertEquals(List.of("ALREADY_SETTLED"), retryUntilHandled(event));
    assertEquals(List.of("ALREADY_SETTLED"), retryUntilHandled(copy));
    assertEquals(List.of("SENT", "SENT", "SENT"), emailStates("ord_2"));
    assertEquals(Map.of(REFERRER_SUBJECT, 1), subjectsTo("cus_ieb@example.com"));
    assertEquals(Map.of(WELCOME_SUBJECT, 1, THANK_YOU_SUBJECT, 1),
        subjectsTo("cus_ie2@example.com"));
  }

  /** Records a referred order and returns the one bus event that announces it. */
  private static String convertedEvent(String referrer, String orderId, String customer) {
    String code = fixture.link(linkBody(CAMPAIGN, "email", referrer)).body().get("code")
        .asText();
    fixture.click(code);
    assertEquals(201, fixture.convert(conversionBody(CAMPAIGN, code, orderId, customer, 4_000))
        .status());
    return StackFixture.busEvent("ConversionRecorded", detail(orderId));
  }

  private static String detail(String orderId) {
    return "{\"campaignId\":\"%s\",\"orderId\":\"%s\"}".formatted(CAMPAIGN, orderId);
  }

  private static String deliver(String event) {
    return StackFixture.read(fixture.stack.invoke("IssueReward", event)).get("outcome").asText();
  }

  /**
   * Delivers the event while the proxy throttles the targeted calls, which must make the
   * delivery fail; the targeting ends either way.
   */
  private static FunctionError failsWhileTargeted(String event) {
    try {
      return assertThrows(FunctionError.class, () -> deliver(event));
    } finally {
      fixture.proxy().stopTargeting();
    }
  }

  /**
   * Delivers the event again as the bus retries a failed delivery, until one succeeds or the
   * retries are used up; returns each retry's outcome or error message.
   */
  private static List<String> retryUntilHandled(String event) {
    List<String> results = new ArrayList<>();
    for (int retry = 0; retry < RETRIES; retry++) {
      try {
        results.add(deliver(event));
        return results;
      } catch (FunctionError e) {
        results.add(e.errorMessage());
      }
    }
    return results;
  }

  /** The referrer's, the welcome and the thank-you email's states; "-" for none. */
  private static List<String> emailStates(String orderId) {
    var reward = fixture.item("CAMPAIGN#" + CAMPAIGN, "REWARD#" + orderId);
    List<String> states = new ArrayList<>();
    for (String email : List.of("referrerEmail", "refereeEmail", "thankYouEmail")) {
      states.add(reward.get(email) == null ? "-" : reward.get(email).s());
    }
    return states;
  }

  private static Map<String, Integer> subjectsTo(String address) {
    Map<String, Integer> subjects = new TreeMap<>();
    fixture.emulator.sentEmails().stream().filter(e -> e.to().equals(List.of(address)))
        .forEach(e -> subjects.merge(e.subject(), 1, Integer::sum));
    return subjects;
  }
}
