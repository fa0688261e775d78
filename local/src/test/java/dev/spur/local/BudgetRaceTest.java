package dev.spur.local;

import static dev.spur.local.StackFixture.campaignBody;
import static dev.spur.local.StackFixture.conversionBody;
import static dev.spur.local.StackFixture.linkBody;
import static dev.spur.local.StackFixture.number;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
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
 * Sixty-four deliveries race for a budget that covers one reward. The emulator sits behind a
 * proxy that passes DynamoDB calls one at a time (moto does not isolate transactions), so the
 * race is between Spur's own reads, conditions and transactions, as it would be on DynamoDB.
 * The bus's rules are not routed here: the test itself delivers the events, all at once.
 */
@ExtendWith(AwsEmulatorExtension.class)
class BudgetRaceTest {

  private static final int RACERS = 64;

  private static StackFixture fixture;

  @BeforeAll
  static void deploy(Emulator emulator) {
    fixture = StackFixture.behindProxy(emulator, 64L, Map.of(), false);
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  @Test
  void sixtyFourRacersForOneRewardsBudgetIssueExactlyOne() throws Exception {
    assertEquals(201, fixture.createCampaign(campaignBody("cmp_race", List.of("email"), 1_500, 0))
        .status());
    String code = fixture.link(linkBody("cmp_race", "email", "cus_vera")).body().get("code")
        .asText();
    fixture.click(code);
    for (int i = 0; i < RACERS; i++) {
      assertEquals(201, fixture.convert(conversionBody("cmp_race", code, "ord_" + i,
          "cus_x" + i, 3_000)).status());
    }
    String period = ZonedDateTime.now(ZoneId.of("Europe/Berlin"))
        .format(DateTimeFormatter.ofPattern("yyyy-MM"));

    ExecutorService pool = Executors.newFixedThreadPool(RACERS);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<String>> outcomes = new ArrayList<>();
    for (int i = 0; i < RACERS; i++) {
      String detail = """
          {"campaignId":"cmp_race","orderId":"ord_%d"}
          """.formatted(i);
      String event = StackFixture.busEvent("ConversionRecorded", detail);
      outcomes.add(pool.submit(() -> {
        start.await();
        JsonNode out = StackFixture.read(fixture.stack.invoke("IssueReward", event));
        return out.get("outcome").asText();
      }));
    }
    start.countDown();
    int issued = 0;
    int declined = 0;
    for (Future<String> outcome : outcomes) {
      switch (outcome.get()) {
        case "ISSUED" -> issued++;
        case "DECLINED" -> declined++;
        default -> throw new AssertionError(outcome.get());
      }
    }
    pool.shutdown();

    assertEquals(1, issued);
    assertEquals(RACERS - 1, declined);
    var budget = fixture.item("CAMPAIGN#cmp_race", "BUDGET#" + period + "#email");
    assertEquals(1_500, number(budget, "spent"));
    assertEquals(0, number(budget, "remaining"));
  }
}
