package dev.spur.local;

import static dev.spur.local.StackFixture.conversionBody;
import static dev.spur.local.StackFixture.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Concurrent deliveries against one referrer: settlements, duplicate conversions and refunds,
 * and payout runs racing clawbacks. A delivery that fails is delivered again afterwards, as the
 * bus would; then the standing, ledger, budget and rewards must agree exactly. The stack runs
 * behind the fault proxy without faults, which serialises DynamoDB calls.
 */
@ExtendWith(AwsEmulatorExtension.class)
class LifecycleRaceTest {

  private static StackFixture fixture;
  private static Lifecycle life;

  @BeforeAll
  static void deploy(Emulator emulator) {
    // Behind the fault proxy with no faults: it passes DynamoDB calls one at a time, since moto
    // does not isolate concurrent transactions.
    fixture = StackFixture.behindProxy(emulator, 7, Map.of(), false);
    life = new Lifecycle(fixture);
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  /** Silver at 2 (+20%), Gold at 3 (+50%); badges at 3 (250) and 5 (500). */
  private static String campaign(String id, int holdDays) {
    return Lifecycle.programCampaign(id, 1_000_000, holdDays, "",
        "{\"referrals\":5,\"badge\":\"Champion\",\"bonusPoints\":500}");
  }

  private static long valueAt(long referralNumber) {
    return referralNumber >= 3 ? 1500 : referralNumber == 2 ? 1200 : 1000;
  }

  /** Runs the deliveries at once; each that fails is delivered again, one by one, until done. */
  private static List<JsonNode> race(List<String[]> deliveries) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(deliveries.size());
    CountDownLatch start = new CountDownLatch(1);
    List<Future<JsonNode>> futures = new ArrayList<>();
    for (String[] d : deliveries) {
      Callable<JsonNode> call = () -> {
        start.await();
        return d[0].equals("Schedule")
            ? StackFixture.read(fixture.stack.fireSchedule("IssueReward"))
            : life.deliver(d[0], d[1]);
      };
      futures.add(pool.submit(call));
    }
    start.countDown();
    List<JsonNode> out = new ArrayList<>();
    for (int i = 0; i < futures.size(); i++) {
      try {
        out.add(futures.get(i).get());
      } catch (Exception failed) {
        String[] d = deliveries.get(i);
        JsonNode again = null;
        for (int attempt = 0; again == null && attempt < 5; attempt++) {
          try {
            again = d[0].equals("Schedule")
                ? StackFixture.read(fixture.stack.fireSchedule("IssueReward"))
                : life.deliver(d[0], d[1]);
          } catch (RuntimeException e) {
            if (attempt == 4) {
              throw e;
            }
          }
        }
        out.add(again);
      }
    }
    pool.shutdown();
    return out;
  }

  private static JsonNode board(String campaignId) {
    return fixture.call("Campaigns", StackFixture.http("GET",
        "GET /campaigns/{campaignId}/leaderboard", "/campaigns/" + campaignId + "/leaderboard",
        Map.of("campaignId", campaignId), null)).body();
  }

  private static long ledgerSum(JsonNode referrer) {
    long sum = 0;
    for (JsonNode entry : referrer.get("ledger")) {
      sum += entry.get("points").asLong();
    }
    return sum;
  }

  @Test
  void eightThreadsSettlingEightConversionsOfOneReferrerLeaveExactStanding() throws Exception {
    String cmp = "cmp_eight";
    assertEquals(201, fixture.createCampaign(campaign(cmp, 14)).status());
    String code = life.code(cmp, "cus_oct");
    List<String[]> deliveries = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      assertEquals(201, fixture.convert(
          conversionBody(cmp, code, "ord_" + i, "cus_e" + i, 5_000)).status());
      deliveries.add(new String[] {"ConversionRecorded", Lifecycle.ids(cmp, "ord_" + i)});
    }
    race(deliveries);

    TreeSet<Long> numbers = new TreeSet<>();
    long costs = 0;
    List<String> wrong = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      var reward = fixture.item("CAMPAIGN#" + cmp, "REWARD#ord_" + i);
      assertEquals("ISSUED", reward.get("status").s());
      long n = number(reward, "referralNumber");
      numbers.add(n);
      if (number(reward, "referrerRewardValue") != valueAt(n)) {
        wrong.add("ord_" + i + " #" + n + " value " + number(reward, "referrerRewardValue"));
      }
      costs += number(reward, "cost");
    }
    assertEquals(List.of(), wrong);
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), new ArrayList<>(numbers));
    assertEquals(1500 + 1700 + 6 * 2000, costs);
    assertEquals(costs, life.spent(cmp));
    JsonNode oct = life.referrer(cmp, "cus_oct");
    assertEquals(8, oct.get("referrals").asLong());
    assertEquals(800 + 250 + 500, oct.get("points").asLong());
    assertEquals(oct.get("points").asLong(), ledgerSum(oct));
    assertEquals(8, oct.get("ledger").size());
    assertEquals("Gold", oct.get("tier").asText());
    assertEquals(1550, board(cmp).at("/referrers/0/points").asLong());
  }

  @Test
  void duplicateConversionsAndRefundsAllAtOnceLeaveNothing() throws Exception {
    String cmp = "cmp_dupref";
    assertEquals(201, fixture.createCampaign(campaign(cmp, 14)).status());
    String code = life.code(cmp, "cus_dup");
    List<String[]> deliveries = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      assertEquals(201, fixture.convert(
          conversionBody(cmp, code, "ord_" + i, "cus_d" + i, 5_000)).status());
      deliveries.add(new String[] {"ConversionRecorded", Lifecycle.ids(cmp, "ord_" + i)});
      deliveries.add(
          new String[] {"OrderRefunded", Lifecycle.refundDetail(cmp, "ord_" + i, true)});
      deliveries.add(new String[] {"ConversionRecorded", Lifecycle.ids(cmp, "ord_" + i)});
      deliveries.add(
          new String[] {"OrderRefunded", Lifecycle.refundDetail(cmp, "ord_" + i, true)});
    }
    race(deliveries);

    // A refund that comes first declines the reward unpaid; one that comes after claws it back.
    int clawedBack = 0;
    for (int i = 1; i <= 4; i++) {
      var reward = fixture.item("CAMPAIGN#" + cmp, "REWARD#ord_" + i);
      String status = reward.get("status").s();
      if (status.equals("CLAWED_BACK")) {
        clawedBack++;
        assertEquals("BEFORE_PAYOUT", reward.get("clawback").s());
      } else {
        assertEquals("DECLINED", status, "ord_" + i + ": " + reward);
        assertEquals("ORDER_REFUNDED", reward.get("reason").s());
      }
    }
    assertEquals(0, life.spent(cmp));
    JsonNode dup = life.referrer(cmp, "cus_dup");
    assertEquals(0, dup.get("referrals").asLong(), dup.toString());
    assertEquals(0, dup.get("points").asLong());
    assertEquals(0, ledgerSum(dup));
    assertEquals(2 * clawedBack, dup.get("ledger").size(), "an EARN and a CLAWBACK each");
    assertEquals(0, dup.get("badges").size());
    assertEquals(true, dup.get("tier").isNull());
    assertEquals(0, board(cmp).at("/referrers/0/points").asLong());
  }

  @Test
  void payoutRunsRacingClawbacksApproveEachDueRewardOnceAndNeverAClawedBackOne()
      throws Exception {
    String cmp = "cmp_payrace";
    assertEquals(201, fixture.createCampaign(campaign(cmp, 30)).status());
    String code = life.code(cmp, "cus_pay");
    for (int i = 1; i <= 4; i++) {
      assertEquals(201, fixture.convert(
          conversionBody(cmp, code, "ord_" + i, "cus_p" + i, 5_000)).status());
      assertEquals("ISSUED", life.deliver("ConversionRecorded", Lifecycle.ids(cmp, "ord_" + i))
          .get("outcome").asText());
      String past = "2026-01-01T00:00:0" + i + "Z";
      fixture.dynamo.updateItem(UpdateItemRequest.builder()
          .tableName(fixture.stack.tableName())
          .key(Map.of("PK", AttributeValue.fromS("CAMPAIGN#" + cmp),
              "SK", AttributeValue.fromS("REWARD#ord_" + i)))
          .updateExpression("SET payoutAt = :past, GSI1SK = :due")
          .expressionAttributeValues(Map.of(":past", AttributeValue.fromS(past),
              ":due", AttributeValue.fromS(past + "#" + cmp + "#ord_" + i)))
          .build());
    }
    List<String[]> deliveries = new ArrayList<>();
    deliveries.add(new String[] {"Schedule", null});
    deliveries.add(new String[] {"OrderRefunded", Lifecycle.refundDetail(cmp, "ord_1", true)});
    deliveries.add(new String[] {"Schedule", null});
    deliveries.add(new String[] {"OrderRefunded", Lifecycle.refundDetail(cmp, "ord_2", true)});
    deliveries.add(new String[] {"Schedule", null});
    List<JsonNode> out = race(deliveries);
    int approved = out.get(0).get("approved").asInt() + out.get(2).get("approved").asInt()
        + out.get(4).get("approved").asInt();

    int paidEntries = 0;
    long expectedSpent = 0;
    for (int i = 1; i <= 4; i++) {
      var reward = fixture.item("CAMPAIGN#" + cmp, "REWARD#ord_" + i);
      var paid = fixture.item("CAMPAIGN#" + cmp, "PAYOUT#ord_" + i + "#PAID");
      var back = fixture.item("CAMPAIGN#" + cmp, "PAYOUT#ord_" + i + "#CLAWBACK");
      long cost = number(reward, "cost");
      if (paid != null) {
        paidEntries++;
        assertEquals(cost, number(paid, "amount"));
      }
      if (i <= 2) {
        assertEquals("CLAWED_BACK", reward.get("status").s());
        if ("AFTER_PAYOUT".equals(reward.get("clawback").s())) {
          assertEquals(-cost, number(back, "amount"));
          assertEquals(cost, number(paid, "amount"));
          expectedSpent += cost;
        } else {
          assertEquals("BEFORE_PAYOUT", reward.get("clawback").s());
          assertNull(paid, "a reward clawed back before payout has no payout entry");
          assertNull(back);
        }
      } else {
        assertEquals("ISSUED", reward.get("status").s());
        assertEquals("PAID", reward.get("payout").s());
        assertEquals(cost, number(paid, "amount"));
        expectedSpent += cost;
      }
    }
    assertEquals(paidEntries, approved, "each approval is one payout entry");
    assertEquals(expectedSpent, life.spent(cmp));
    assertEquals(0, StackFixture.read(fixture.stack.fireSchedule("IssueReward"))
        .get("approved").asInt());
  }
}
