package dev.spur.local;

import static dev.spur.local.StackFixture.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Refunds of rewards that passed a referrer cap through review, and of held rewards, against
 * the emulator; every event is delivered by the test.
 */
@ExtendWith(AwsEmulatorExtension.class)
class ClawbackLimitsTest {

  private static StackFixture fixture;
  private static Lifecycle life;

  @BeforeAll
  static void deploy(Emulator emulator) {
    // Behind the fault proxy with no faults, which passes DynamoDB calls one at a time: moto
    // does not isolate concurrent transactions, and the race below must not fail on that.
    fixture = StackFixture.behindProxy(emulator, 11, Map.of(), false);
    life = new Lifecycle(fixture);
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  private static String cappedCampaign(String id, int holdDays) {
    return """
        {"id":"%s","name":"Capped","currency":"EUR","timeZone":"Europe/Berlin",
         "landingUrl":"https://shop.example.com/welcome","channels":["email"],
         "referrerReward":{"type":"CASH","amount":1000},
         "refereeReward":{"type":"DISCOUNT","amount":500},
         "attributionWindowDays":30,"budget":{"amount":100000,"currency":"EUR"},
         "period":"MONTH","holdDays":%d,"limits":{"rewardsPerReferrerPerPeriod":1},
         "guardrails":{"minShareBps":0,"maxShareBps":10000,"maxChangeBps":10000,
                       "explorationFloorBps":0},
         "program":{"pointsPerReferral":100}}
        """.formatted(id, holdDays);
  }

  private static StackFixture.Response review(String campaignId, String orderId,
      String decision) {
    return fixture.call("Campaigns", StackFixture.http("POST",
        "POST /campaigns/{campaignId}/rewards/{orderId}/review",
        "/campaigns/" + campaignId + "/rewards/" + orderId + "/review",
        Map.of("campaignId", campaignId, "orderId", orderId),
        "{\"decision\":\"" + decision + "\"}"));
  }

  /** ord_1 paid, ord_2 held by the cap of one, approved and paid after review. */
  private static String paidPastTheCap(String campaignId) {
    assertEquals(201, fixture.createCampaign(cappedCampaign(campaignId, 0)).status());
    String code = life.code(campaignId, "cus_ref");
    assertEquals("ISSUED", life.settle(campaignId, code, "ord_1").get("outcome").asText());
    JsonNode held = life.settle(campaignId, code, "ord_2");
    assertEquals("HELD", held.get("outcome").asText(), held.toString());
    assertEquals(200, review(campaignId, "ord_2", "APPROVE").status());
    JsonNode approved = life.deliver("RewardApproved", Lifecycle.ids(campaignId, "ord_2"));
    assertEquals("ISSUED", approved.get("outcome").asText(), approved.toString());
    return code;
  }

  private static long capCount(String campaignId, String referrer) {
    var item = fixture.item("CAMPAIGN#" + campaignId,
        "REFERRER_PERIOD#" + referrer + "#" + Lifecycle.period());
    return item == null || item.get("rewards") == null ? 0 : number(item, "rewards");
  }

  @Test
  void bothRefundsOfARewardPaidAfterReviewAndTheOneBeforeItClawBack() {
    paidPastTheCap("cmp_capboth");

    assertEquals("CLAWED_BACK", life.refund("cmp_capboth", "ord_1").get("outcome").asText());
    JsonNode second;
    try {
      second = life.refund("cmp_capboth", "ord_2");
    } catch (RuntimeException e) {
      throw new AssertionError("refund of the reward approved past the cap failed: " + e, e);
    }
    assertEquals("CLAWED_BACK", second.get("outcome").asText(), second.toString());
    assertEquals("CLAWED_BACK",
        fixture.item("CAMPAIGN#cmp_capboth", "REWARD#ord_2").get("status").s());
  }

  @Test
  void refundingTheRewardPaidPastTheCapFreesNoSlotOfTheCap() {
    String code = paidPastTheCap("cmp_capslot");
    assertEquals(1, capCount("cmp_capslot", "cus_ref"), "ord_1 holds the one slot");

    assertEquals("CLAWED_BACK", life.refund("cmp_capslot", "ord_2").get("outcome").asText());
    // ord_1 still counts against the cap of one: the slot must stay taken.
    assertEquals(1, capCount("cmp_capslot", "cus_ref"));
    JsonNode third = life.settle("cmp_capslot", code, "ord_3");
    assertEquals("HELD", third.get("outcome").asText(), third.toString());
  }

  @Test
  void aRefundRacingTheApprovalOfItsHeldRewardIsNeverLost() throws Exception {
    assertEquals(201, fixture.createCampaign(cappedCampaign("cmp_caprace", 0)).status());
    String code = life.code("cmp_caprace", "cus_ref");
    assertEquals("ISSUED", life.settle("cmp_caprace", code, "ord_0").get("outcome").asText());
    int rounds = 12;
    for (int i = 1; i <= rounds; i++) {
      assertEquals("HELD", life.settle("cmp_caprace", code, "ord_" + i).get("outcome").asText());
      assertEquals(200, review("cmp_caprace", "ord_" + i, "APPROVE").status());
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<String> lost = new ArrayList<>();
    for (int i = 1; i <= rounds; i++) {
      String order = "ord_" + i;
      CountDownLatch start = new CountDownLatch(1);
      Future<JsonNode> approve = pool.submit(() -> {
        start.await();
        return life.deliver("RewardApproved", Lifecycle.ids("cmp_caprace", order));
      });
      Future<JsonNode> refund = pool.submit(() -> {
        start.await();
        return life.deliver("OrderRefunded", Lifecycle.refundDetail("cmp_caprace", order, true));
      });
      start.countDown();
      JsonNode approved = approve.get();
      JsonNode refunded = refund.get();
      String status = fixture.item("CAMPAIGN#cmp_caprace", "REWARD#" + order).get("status").s();
      if ("ISSUED".equals(status)) {
        lost.add(order + " approve=" + approved + " refund=" + refunded);
      }
    }
    pool.shutdown();
    // A fully refunded order's reward ends declined or clawed back, never issued.
    assertEquals(List.of(), lost);
  }

  @Test
  void aRefundOfAHeldRewardDeclinesItAndReviewCannotPayIt() {
    assertEquals(201, fixture.createCampaign(cappedCampaign("cmp_capheld", 0)).status());
    String code = life.code("cmp_capheld", "cus_ref");
    life.settle("cmp_capheld", code, "ord_1");
    assertEquals("HELD", life.settle("cmp_capheld", code, "ord_2").get("outcome").asText());
    assertEquals("DECLINED", life.refund("cmp_capheld", "ord_2").get("outcome").asText());
    StackFixture.Response approve = review("cmp_capheld", "ord_2", "APPROVE");
    assertEquals(409, approve.status(), approve.body().toString());
    JsonNode late = life.deliver("RewardApproved", Lifecycle.ids("cmp_capheld", "ord_2"));
    assertNotEquals("ISSUED", late.get("outcome").asText());
    assertEquals("DECLINED",
        fixture.item("CAMPAIGN#cmp_capheld", "REWARD#ord_2").get("status").s());
    assertEquals(1500, number(fixture.item("CAMPAIGN#cmp_capheld",
        "BUDGET#" + Lifecycle.period() + "#email"), "spent"));
  }

  @Test
  void aPartialRefundAndARefundOfAnOrderThatWasNoReferralChangeNothing() {
    assertEquals(201, fixture.createCampaign(cappedCampaign("cmp_capnone", 7)).status());
    String code = life.code("cmp_capnone", "cus_ref");
    life.settle("cmp_capnone", code, "ord_1");
    int items = fixture.itemCount();
    JsonNode partial =
        life.deliver("OrderRefunded", Lifecycle.refundDetail("cmp_capnone", "ord_1", false));
    assertEquals("UNTOUCHED", partial.get("outcome").asText());
    JsonNode stranger =
        life.deliver("OrderRefunded", Lifecycle.refundDetail("cmp_capnone", "ord_nope", true));
    assertEquals("UNTOUCHED", stranger.get("outcome").asText());
    assertEquals(items, fixture.itemCount());
    var reward = fixture.item("CAMPAIGN#cmp_capnone", "REWARD#ord_1");
    assertEquals("ISSUED", reward.get("status").s());
    assertEquals("PENDING", reward.get("payout").s());
    assertEquals(1500, number(fixture.item("CAMPAIGN#cmp_capnone",
        "BUDGET#" + Lifecycle.period() + "#email"), "spent"));
  }
}
