package dev.spur.local;

import static dev.spur.local.StackFixture.campaignBody;
import static dev.spur.local.StackFixture.conversionBody;
import static dev.spur.local.StackFixture.linkBody;
import static dev.spur.local.StackFixture.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * For random budgets, reward sizes and delivery orders (each ConversionRecorded delivered one
 * to three times, shuffled), the settled state is the same function of the conversions: every
 * conversion settled once, rewards issued while the channel's budget lasted, the rest declined,
 * spent equal to rewards issued and never above the allocation.
 */
@ExtendWith(AwsEmulatorExtension.class)
class DeliveryOrderPropertyTest {

  private static final int SEEDS = 6;

  private static StackFixture fixture;

  @BeforeAll
  static void deploy(Emulator emulator) {
    fixture = StackFixture.behindProxy(emulator, 1L, Map.of(), false);
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  @Test
  void anyBudgetAndAnyDeliveryOrderSettleEachConversionOnceWithinTheBudget() {
    String period = ZonedDateTime.now(ZoneId.of("Europe/Berlin"))
        .format(DateTimeFormatter.ofPattern("yyyy-MM"));
    for (int seed = 0; seed < SEEDS; seed++) {
      Random random = new Random(seed);
      String campaignId = "cmp_prop" + seed;
      int conversions = 5 + random.nextInt(16);
      long referrerReward = 100 + random.nextInt(2_000);
      long refereeReward = random.nextInt(1_000);
      long cost = referrerReward + refereeReward;
      long budget = cost * random.nextInt(conversions + 2) + random.nextInt((int) cost);
      String body = campaignBody(campaignId, List.of("email"), Math.max(1, budget), 0)
          .replace("\"amount\":1000}", "\"amount\":" + referrerReward + "}")
          .replace("\"amount\":500}", "\"amount\":" + refereeReward + "}");
      assertEquals(201, fixture.createCampaign(body).status(), body);
      String code = fixture.link(linkBody(campaignId, "email", "cus_p" + seed)).body()
          .get("code").asText();
      fixture.click(code);

      List<String> deliveries = new ArrayList<>();
      for (int i = 0; i < conversions; i++) {
        assertEquals(201, fixture.convert(conversionBody(campaignId, code, "ord_" + i,
            "cus_q" + seed + "_" + i, 10_000)).status());
        int copies = 1 + random.nextInt(3);
        for (int c = 0; c < copies; c++) {
          deliveries.add(StackFixture.busEvent("ConversionRecorded",
              "{\"campaignId\":\"%s\",\"orderId\":\"ord_%d\"}".formatted(campaignId, i)));
        }
      }
      Collections.shuffle(deliveries, random);
      for (String delivery : deliveries) {
        fixture.stack.invoke("IssueReward", delivery);
      }

      long allocated = number(fixture.item("CAMPAIGN#" + campaignId,
          "BUDGET#" + period + "#email"), "allocated");
      long expectedIssued = Math.min(conversions, allocated / cost);
      int issued = 0;
      for (int i = 0; i < conversions; i++) {
        var reward = fixture.item("CAMPAIGN#" + campaignId, "REWARD#ord_" + i);
        assertTrue(reward != null, "seed " + seed + ": ord_" + i + " not settled");
        if (reward.get("status").s().equals("ISSUED")) {
          issued++;
        }
      }
      String where = "seed " + seed + ", budget " + budget + ", cost " + cost;
      assertEquals(expectedIssued, issued, where);
      var ledger = fixture.item("CAMPAIGN#" + campaignId, "BUDGET#" + period + "#email");
      assertEquals(issued * cost, number(ledger, "spent"), where);
      assertTrue(number(ledger, "spent") <= number(ledger, "allocated"), where);
      JsonNode total = fixture.metrics(campaignId).body().get("total");
      assertEquals(issued, total.get("rewardsIssued").asLong(), where);
      assertEquals(conversions - issued, total.get("rewardsDeclined").asLong(), where);
    }
  }
}
