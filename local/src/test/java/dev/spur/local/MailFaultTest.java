package dev.spur.local;

import static dev.spur.local.StackFixture.conversionBody;
import static dev.spur.local.StackFixture.linkBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import dev.spur.testkit.Faults;
import dev.spur.testkit.SentEmail;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rewards settled while AWS answers get lost after the call took effect; every failed
 * delivery is delivered again, as the bus would. No email is lost; since SES takes no
 * idempotency key, an email whose answer was lost may go out again, and only then.
 */
@ExtendWith(AwsEmulatorExtension.class)
class MailFaultTest {

  private static StackFixture fixture;

  @BeforeAll
  static void deploy(Emulator emulator) {
    fixture = StackFixture.behindProxy(emulator, 20261204L, Map.of(), false);
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  private static JsonNode deliver(String type, String detail) {
    return StackFixture.read(
        fixture.stack.invoke("IssueReward", StackFixture.busEvent(type, detail)));
  }

  @Test
  void lostAnswersLoseNoEmailAndRepeatOneOnlyWhenSesLostItsAnswer() {
    String cmp = "cmp_mailfault";
    assertEquals(201, fixture.createCampaign(
        StackFixture.campaignBody(cmp, List.of("email"), 1_000_000, 0)).status());
    String code = fixture.link(linkBody(cmp, "email", "cus_mel")).body().get("code").asText();
    fixture.click(code);
    int orders = 8;
    for (int i = 1; i <= orders; i++) {
      assertEquals(201, fixture.convert(
          conversionBody(cmp, code, "ord_" + i, "cus_mf" + i, 4_000)).status());
    }
    int failures = 0;
    for (int i = 1; i <= orders; i++) {
      String detail = "{\"campaignId\":\"%s\",\"orderId\":\"ord_%d\"}".formatted(cmp, i);
      fixture.proxy().inject(new Faults(0, 0, 0.15, 0));
      boolean done = false;
      try {
        deliver("ConversionRecorded", detail);
        done = true;
      } catch (RuntimeException e) {
        failures++;
      } finally {
        fixture.proxy().inject(Faults.NONE);
      }
      // The bus delivers again until the delivery succeeds (past any email lease).
      for (int attempt = 0; !done && attempt < 5; attempt++) {
        try {
          deliver("ConversionRecorded", detail);
          done = true;
        } catch (RuntimeException e) {
          // another redelivery
        }
      }
    }
    Map<String, Long> injected = fixture.proxy().injected();

    Map<String, Integer> counts = new TreeMap<>();
    for (SentEmail email : fixture.emulator.sentEmails()) {
      for (String to : email.to()) {
        if (to.startsWith("cus_mel@") || to.startsWith("cus_mf")) {
          counts.merge(to + " | " + email.subject(), 1, Integer::sum);
        }
      }
    }
    List<String> wrong = new ArrayList<>();
    long repeats = 0;
    for (var entry : counts.entrySet()) {
      int expected = entry.getKey().startsWith("cus_mel@") ? orders : 1;
      if (entry.getValue() < expected) {
        wrong.add(entry.getKey() + " x" + entry.getValue() + " (expected " + expected + ")");
      }
      repeats += entry.getValue() - expected;
    }
    assertTrue(repeats <= injected.get("lostMailAnswers"),
        repeats + " repeated emails, but SES lost only " + injected.get("lostMailAnswers")
            + " answers");
    for (int i = 1; i <= orders; i++) {
      String who = "cus_mf" + i + "@example.com";
      long kinds = counts.keySet().stream().filter(k -> k.startsWith(who)).count();
      if (kinds != 2) {
        wrong.add(who + " got " + kinds + " kinds of email, expected reward and thank-you");
      }
      var reward = fixture.item("CAMPAIGN#" + cmp, "REWARD#ord_" + i);
      for (String state : List.of("referrerEmail", "refereeEmail", "thankYouEmail")) {
        if (reward.get(state) == null || !"SENT".equals(reward.get(state).s())) {
          wrong.add("ord_" + i + " " + state + " " + reward.get(state));
        }
      }
    }
    assertEquals(List.of(), wrong, "failed deliveries " + failures + ", faults " + injected);
  }
}
