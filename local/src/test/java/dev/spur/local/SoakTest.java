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
import dev.spur.testkit.Faults;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Conversions sent with duplicates, in shuffled order, by several writers, while a proxy in
 * front of the emulator throttles, fails, loses answers and half-publishes events; then the
 * outbox re-drive. Nothing may be lost, nothing paid twice, and the budget spent must equal the
 * rewards issued to the cent. {@code -Dspur.soak.conversions=10000} runs the long version.
 */
@ExtendWith(AwsEmulatorExtension.class)
class SoakTest {

  private static final int CONVERSIONS = Integer.getInteger("spur.soak.conversions", 150);
  private static final long COST = 1_500;
  private static final List<String> CHANNELS = List.of("email", "social", "in-app", "paid");

  private static StackFixture fixture;

  @BeforeAll
  static void deploy(Emulator emulator) {
    fixture =
        StackFixture.behindProxy(emulator, 20_261_204L, Map.of("RedriveGraceSeconds", "0"), true);
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  @Test
  void duplicatedReorderedFaultyDeliveryLosesNothingAndPaysNothingTwice() throws Exception {
    long budget = CONVERSIONS * COST * 6 / 10 / CHANNELS.size() * CHANNELS.size();
    assertEquals(201, fixture.createCampaign(campaignBody("cmp_soak", CHANNELS, budget, 0))
        .status());
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String code = fixture.link(linkBody("cmp_soak", CHANNELS.get(i % CHANNELS.size()),
          "cus_r" + i)).body().get("code").asText();
      fixture.click(code);
      codes.add(code);
    }

    Random random = new Random(7);
    List<String> sends = new ArrayList<>();
    for (int i = 0; i < CONVERSIONS; i++) {
      String body = conversionBody("cmp_soak", codes.get(random.nextInt(codes.size())),
          "ord_" + i, "cus_s" + i, 1_000 + random.nextInt(20_000));
      sends.add(body);
      if (random.nextDouble() < 0.15) {
        sends.add(body);
      }
    }
    Collections.shuffle(sends, random);

    fixture.proxy().inject(new Faults(0.03, 0.03, 0.03, 0.2));
    ExecutorService writers = Executors.newFixedThreadPool(4);
    List<Future<Integer>> answers = new ArrayList<>();
    for (String body : sends) {
      answers.add(writers.submit(() -> sendUntilAnswered(body)));
    }
    for (Future<Integer> answer : answers) {
      int status = answer.get();
      assertTrue(status == 201 || status == 200, "conversion answered " + status);
    }
    writers.shutdown();
    fixture.stack.drain(Duration.ofSeconds(300));

    fixture.proxy().inject(Faults.NONE);
    for (int round = 0; round < 5; round++) {
      JsonNode redriven = StackFixture.read(fixture.stack.fireSchedule("RedriveOutbox"));
      fixture.stack.drain(Duration.ofSeconds(300));
      if (redriven.get("waiting").asInt() == 0) {
        break;
      }
    }

    int issued = 0;
    int declined = 0;
    long paid = 0;
    for (int i = 0; i < CONVERSIONS; i++) {
      Map<String, AttributeValue> conversion = fixture.item("CAMPAIGN#cmp_soak",
          "CONVERSION#ord_" + i);
      assertTrue(conversion != null, "conversion ord_" + i + " lost");
      Map<String, AttributeValue> reward = fixture.item("CAMPAIGN#cmp_soak", "REWARD#ord_" + i);
      assertTrue(reward != null, "reward of ord_" + i + " lost");
      if (reward.get("status").s().equals("ISSUED")) {
        issued++;
        paid += number(reward, "cost");
        assertEquals("SENT", reward.get("referrerEmail").s(), "ord_" + i);
        assertEquals("SENT", reward.get("refereeEmail").s(), "ord_" + i);
        assertEquals("SENT", reward.get("thankYouEmail").s(), "ord_" + i);
      } else {
        declined++;
      }
    }
    assertEquals(CONVERSIONS, issued + declined);
    assertEquals(issued * COST, paid);

    long spent = 0;
    long allocated = 0;
    String period = ZonedDateTime.now(ZoneId.of("Europe/Berlin"))
        .format(DateTimeFormatter.ofPattern("yyyy-MM"));
    for (String channel : CHANNELS) {
      Map<String, AttributeValue> item =
          fixture.item("CAMPAIGN#cmp_soak", "BUDGET#" + period + "#" + channel);
      assertTrue(number(item, "remaining") >= 0);
      assertEquals(number(item, "allocated") - number(item, "spent"), number(item, "remaining"));
      spent += number(item, "spent");
      allocated += number(item, "allocated");
    }
    assertEquals(paid, spent);
    assertEquals(budget, allocated);

    JsonNode total = fixture.metrics("cmp_soak").body().get("total");
    assertEquals(CONVERSIONS, total.get("conversions").asLong());
    assertEquals(issued, total.get("rewardsIssued").asLong());
    assertEquals(declined, total.get("rewardsDeclined").asLong());
    assertEquals(paid, total.at("/rewardsPaid/amount").asLong());
    System.out.println("soak: conversions " + CONVERSIONS + " sends " + sends.size()
        + " issued " + issued + " declined " + declined
        + " faults " + fixture.proxy().injected());
  }

  /** Sends one conversion, retrying a 5xx the way a merchant's webhook sender would. */
  private static int sendUntilAnswered(String body) {
    int status = 0;
    for (int attempt = 0; attempt < 20; attempt++) {
      status = fixture.convert(body).status();
      if (status < 500) {
        return status;
      }
    }
    return status;
  }
}
