package dev.spur.local;

import static dev.spur.local.StackFixture.campaignBody;
import static dev.spur.local.StackFixture.conversionBody;
import static dev.spur.local.StackFixture.linkBody;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An approval travels the bus from the admin route to IssueReward, through the template's rule. */
@ExtendWith(AwsEmulatorExtension.class)
class ReviewRoutingTest {

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
  void approvingAHeldRewardPaysItThroughTheBus() {
    assertEquals(201, fixture.createCampaign(campaignBody("cmp_routed", List.of("email"), 50_000,
        0).replace("\"period\":\"MONTH\"",
            "\"period\":\"MONTH\",\"limits\":{\"rewardsPerReferrerPerPeriod\":1}")).status());
    String code = fixture.link(linkBody("cmp_routed", "email", "cus_zed")).body().get("code")
        .asText();
    fixture.click(code);
    fixture.convert(conversionBody("cmp_routed", code, "ord_1", "cus_y1", 1_000));
    fixture.stack.drain(Duration.ofSeconds(60));
    fixture.convert(conversionBody("cmp_routed", code, "ord_2", "cus_y2", 1_000));
    fixture.stack.drain(Duration.ofSeconds(60));
    assertEquals("HELD", fixture.item("CAMPAIGN#cmp_routed", "REWARD#ord_2").get("status").s());

    var review = fixture.call("Campaigns", StackFixture.http("POST",
        "POST /campaigns/{campaignId}/rewards/{orderId}/review",
        "/campaigns/cmp_routed/rewards/ord_2/review",
        Map.of("campaignId", "cmp_routed", "orderId", "ord_2"), "{\"decision\":\"APPROVE\"}"));
    assertEquals(200, review.status(), review.body().toString());
    fixture.stack.drain(Duration.ofSeconds(60));

    var reward = fixture.item("CAMPAIGN#cmp_routed", "REWARD#ord_2");
    assertEquals("ISSUED", reward.get("status").s());
    assertEquals("SENT", reward.get("refereeEmail").s());
    assertEquals(2, fixture.metrics("cmp_routed").body().at("/total/rewardsIssued").asLong());
  }
}
