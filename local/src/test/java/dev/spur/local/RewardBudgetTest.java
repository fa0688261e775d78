package dev.spur.local;

import static dev.spur.local.StackFixture.campaignBody;
import static dev.spur.local.StackFixture.conversionBody;
import static dev.spur.local.StackFixture.linkBody;
import static dev.spur.local.StackFixture.number;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import dev.spur.testkit.SentEmail;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(AwsEmulatorExtension.class)
class RewardBudgetTest {

  private static final int COVERED = 4;
  private static final long COST = 1_500;

  private static StackFixture fixture;

  @BeforeAll
  static void deploy(Emulator emulator) {
    fixture = new StackFixture(emulator);
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  private static String period() {
    return ZonedDateTime.now(ZoneId.of("Europe/Berlin"))
        .format(DateTimeFormatter.ofPattern("yyyy-MM"));
  }

  @Test
  void aBudgetForExactlyNRewardsPaysNAndDeclinesTheNextThree() {
    assertEquals(201, fixture.createCampaign(
        campaignBody("cmp_budget", List.of("email"), COVERED * COST, 0)).status());
    String code = fixture.link(linkBody("cmp_budget", "email", "cus_nora")).body().get("code")
        .asText();
    fixture.click(code);

    for (int i = 0; i < COVERED + 3; i++) {
      var answer = fixture.convert(conversionBody("cmp_budget", code, "ord_" + i, "cus_f" + i,
          10_000));
      assertEquals(201, answer.status(), answer.body().toString());
    }
    fixture.stack.drain(Duration.ofSeconds(90));

    int issued = 0;
    int declined = 0;
    for (int i = 0; i < COVERED + 3; i++) {
      Map<String, AttributeValue> reward = fixture.item("CAMPAIGN#cmp_budget", "REWARD#ord_" + i);
      switch (reward.get("status").s()) {
        case "ISSUED" -> issued++;
        case "DECLINED" -> {
          declined++;
          assertEquals("BUDGET_EXHAUSTED", reward.get("reason").s());
        }
        default -> throw new AssertionError(reward.toString());
      }
    }
    assertEquals(COVERED, issued);
    assertEquals(3, declined);

    Map<String, AttributeValue> budget =
        fixture.item("CAMPAIGN#cmp_budget", "BUDGET#" + period() + "#email");
    assertEquals(COVERED * COST, number(budget, "spent"));
    assertEquals(0, number(budget, "remaining"));
    assertEquals(COVERED * COST, number(budget, "allocated"));

    JsonNode email = fixture.metrics("cmp_budget").body().at("/channels/0");
    assertEquals(COVERED, email.get("rewardsIssued").asLong());
    assertEquals(3, email.get("rewardsDeclined").asLong());
    assertEquals(COVERED * COST, email.at("/rewardsPaid/amount").asLong());
    assertEquals(COVERED * COST, email.at("/budgetSpent/amount").asLong());

    List<SentEmail> toReferrer =
        fixture.emulator.sentEmails().stream()
            .filter(e -> e.to().equals(List.of("cus_nora@example.com")))
            .toList();
    assertEquals(COVERED, toReferrer.size());
  }
}
