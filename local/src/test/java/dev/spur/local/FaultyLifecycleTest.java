package dev.spur.local;

import static dev.spur.local.StackFixture.conversionBody;
import static dev.spur.local.StackFixture.linkBody;
import static dev.spur.local.StackFixture.number;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import dev.spur.testkit.Faults;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Settlements and refunds while AWS throttles, fails and loses answers; each failed delivery
 * is delivered again without faults, as the bus would. The standing, ledger and budget must
 * come out exact.
 */
@ExtendWith(AwsEmulatorExtension.class)
class FaultyLifecycleTest {

  private static StackFixture fixture;

  @BeforeAll
  static void deploy(Emulator emulator) {
    fixture = StackFixture.behindProxy(emulator, 424242L, Map.of(), false);
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  private static final String CAMPAIGN = """
      {"id":"cmp_faulty","name":"Faulty","currency":"EUR","timeZone":"Europe/Berlin",
       "landingUrl":"https://shop.example.com/welcome","channels":["email"],
       "referrerReward":{"type":"CASH","amount":1000},
       "refereeReward":{"type":"DISCOUNT","amount":500},
       "attributionWindowDays":30,"budget":{"amount":1000000,"currency":"EUR"},
       "period":"MONTH","holdDays":14,
       "guardrails":{"minShareBps":0,"maxShareBps":10000,"maxChangeBps":10000,
                     "explorationFloorBps":0},
       "program":{"pointsPerReferral":100,
         "tiers":[{"name":"Silver","minReferrals":2,"rewardBonusBps":2000},
                  {"name":"Gold","minReferrals":3,"rewardBonusBps":5000}],
         "milestones":[{"referrals":3,"badge":"Trailblazer","bonusPoints":250}]}}
      """;

  /** Two minutes pass for the email leases of the order's reward. */
  private static void leasesRunOut(String orderId) {
    var reward = fixture.item("CAMPAIGN#cmp_faulty", "REWARD#" + orderId);
    if (reward == null) {
      return;
    }
    for (String name : reward.keySet()) {
      if (name.endsWith("Lease")) {
        fixture.dynamo.updateItem(UpdateItemRequest.builder()
            .tableName(fixture.stack.tableName())
            .key(Map.of("PK", AttributeValue.fromS("CAMPAIGN#cmp_faulty"),
                "SK", AttributeValue.fromS("REWARD#" + orderId)))
            .updateExpression("SET #lease = :past")
            .expressionAttributeNames(Map.of("#lease", name))
            .expressionAttributeValues(Map.of(":past", AttributeValue.fromS(
                "2000-01-01T00:00:00Z")))
            .build());
      }
    }
  }

  private static JsonNode withFaults(String orderId, Supplier<JsonNode> call) {
    fixture.proxy().inject(new Faults(0.1, 0.1, 0.15, 0));
    try {
      return call.get();
    } catch (RuntimeException e) {
      // delivered again below, once the email leases ran out
    } finally {
      fixture.proxy().inject(Faults.NONE);
    }
    RuntimeException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      leasesRunOut(orderId);
      try {
        return call.get();
      } catch (RuntimeException e) {
        last = e;
      }
    }
    throw last;
  }

  private static JsonNode deliver(String type, String detail) {
    return StackFixture.read(
        fixture.stack.invoke("IssueReward", StackFixture.busEvent(type, detail)));
  }

  @Test
  void settlementsAndRefundsUnderFaultsLeaveExactStandingLedgerAndBudget() {
    assertEquals(201, fixture.createCampaign(CAMPAIGN).status());
    String code = fixture.link(linkBody("cmp_faulty", "email", "cus_fay")).body().get("code")
        .asText();
    fixture.click(code);
    int orders = 6;
    for (int i = 1; i <= orders; i++) {
      assertEquals(201, fixture.convert(
          conversionBody("cmp_faulty", code, "ord_" + i, "cus_fy" + i, 5_000)).status());
    }
    for (int i = 1; i <= orders; i++) {
      String detail = "{\"campaignId\":\"cmp_faulty\",\"orderId\":\"ord_" + i + "\"}";
      withFaults("ord_" + i, () -> deliver("ConversionRecorded", detail));
    }
    for (int i : List.of(2, 5)) {
      String detail = Lifecycle.refundDetail("cmp_faulty", "ord_" + i, true);
      withFaults("ord_" + i, () -> deliver("OrderRefunded", detail));
    }

    long issuedCost = 0;
    int issued = 0;
    TreeSet<Long> numbers = new TreeSet<>();
    List<String> wrong = new ArrayList<>();
    for (int i = 1; i <= orders; i++) {
      var reward = fixture.item("CAMPAIGN#cmp_faulty", "REWARD#ord_" + i);
      String status = reward.get("status").s();
      long n = number(reward, "referralNumber");
      long value = number(reward, "referrerRewardValue");
      long expected = n >= 3 ? 1500 : n == 2 ? 1200 : 1000;
      if (value != expected) {
        wrong.add("ord_" + i + " #" + n + " paid " + value);
      }
      if (i == 2 || i == 5) {
        if (!"CLAWED_BACK".equals(status)) {
          wrong.add("ord_" + i + " is " + status);
        }
      } else {
        issued++;
        issuedCost += number(reward, "cost");
        numbers.add(n);
      }
    }
    String period = ZonedDateTime.now(ZoneId.of("Europe/Berlin"))
        .format(DateTimeFormatter.ofPattern("yyyy-MM"));
    long spent = number(fixture.item("CAMPAIGN#cmp_faulty", "BUDGET#" + period + "#email"),
        "spent");
    JsonNode fay = fixture.call("Campaigns", StackFixture.http("GET",
        "GET /campaigns/{campaignId}/referrers/{referrerId}",
        "/campaigns/cmp_faulty/referrers/cus_fay",
        Map.of("campaignId", "cmp_faulty", "referrerId", "cus_fay"), null)).body();
    long ledger = 0;
    for (JsonNode entry : fay.get("ledger")) {
      ledger += entry.get("points").asLong();
    }
    assertEquals(List.of(), wrong);
    assertEquals(issuedCost, spent, "spent is the cost of the issued rewards");
    assertEquals(issued, fay.get("referrals").asLong());
    assertEquals(fay.get("points").asLong(), ledger, fay.toString());
    assertEquals(orders + 2, fay.get("ledger").size(), "one entry per earn and per clawback");
    assertEquals(orders, numbers.size() + 2);
  }
}
