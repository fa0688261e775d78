package dev.spur.local;

import static dev.spur.local.StackFixture.campaignBody;
import static dev.spur.local.StackFixture.conversionBody;
import static dev.spur.local.StackFixture.linkBody;
import static dev.spur.local.StackFixture.number;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(AwsEmulatorExtension.class)
class DuplicateDeliveryTest {

  private static StackFixture fixture;

  @BeforeAll
  static void deploy(Emulator emulator) {
    fixture = new StackFixture(emulator);
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  @Test
  void sameConversionTwiceAndSameEventTwicePayOnePairAndSendEachEmailOnce() {
    assertEquals(201, fixture.createCampaign(
        campaignBody("cmp_dup", List.of("email", "social"), 10_000, 0)).status());
    String code = fixture.link(linkBody("cmp_dup", "social", "cus_rosa")).body().get("code")
        .asText();
    fixture.click(code);
    String body = conversionBody("cmp_dup", code, "ord_77", "cus_ivo", 5_000);

    var first = fixture.convert(body);
    var second = fixture.convert(body);
    assertEquals(201, first.status());
    assertEquals(200, second.status());
    assertEquals(first.body(), second.body());
    fixture.stack.drain(Duration.ofSeconds(60));

    JsonNode detail = StackFixture.read("""
        {"campaignId":"cmp_dup","orderId":"ord_77","channel":"social","code":"%s",
         "referrerId":"cus_rosa","refereeId":"cus_ivo",
         "orderAmount":{"amount":5000,"currency":"EUR"}}
        """.formatted(code));
    String event = StackFixture.busEvent("ConversionRecorded", detail.toString());
    JsonNode redelivered = StackFixture.read(fixture.stack.invoke("IssueReward", event));
    assertEquals("ALREADY_SETTLED", redelivered.get("outcome").asText());

    JsonNode social = fixture.metrics("cmp_dup").body().at("/channels/1");
    assertEquals("social", social.get("channel").asText());
    assertEquals(1, social.get("conversions").asLong());
    assertEquals(1, social.get("rewardsIssued").asLong());
    assertEquals(1_500, social.at("/rewardsPaid/amount").asLong());
    assertEquals(1, number(fixture.item("CAMPAIGN#cmp_dup", "REFERRER#cus_rosa"), "referrals"));

    assertEquals(1, emailsTo("cus_rosa@example.com"));
    assertEquals(2, emailsTo("cus_ivo@example.com"), "the welcome reward and the thank-you");
  }

  private static long emailsTo(String address) {
    return fixture.emulator.sentEmails().stream().filter(e -> e.to().equals(List.of(address)))
        .count();
  }
}
