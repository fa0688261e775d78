package dev.spur.local;

import static dev.spur.local.StackFixture.campaignBody;
import static dev.spur.local.StackFixture.conversionBody;
import static dev.spur.local.StackFixture.linkBody;
import static dev.spur.local.StackFixture.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import dev.spur.testkit.SentEmail;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

@ExtendWith(AwsEmulatorExtension.class)
class ReferralChainTest {

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
  void campaignLinkClickConversionRewardEmailsAndReallocationHappenThroughTheStack() {
    String observer = fixture.watchBus("BudgetReallocated");
    int sentBefore = fixture.emulator.sentEmails().size();

    var created = fixture.createCampaign(campaignBody("cmp_chain", List.of("email", "social",
        "in-app"), 9_000, 1_000));
    assertEquals(201, created.status(), created.body().toString());
    assertEquals(3_000, created.body().at("/currentPeriod/channels/0/allocated/amount").asLong());

    var link = fixture.link(linkBody("cmp_chain", "email", "cus_ada"));
    assertEquals(201, link.status(), link.body().toString());
    String code = link.body().get("code").asText();
    assertEquals("http://localhost:3000/r/" + code, link.body().get("url").asText());

    var click = fixture.click(code.toUpperCase());
    assertEquals(302, click.status());
    String location = click.headers().get("location").asText();
    assertTrue(location.startsWith("https://shop.example.com/welcome?ref=" + code
        + "&spur_click="), location);
    assertEquals(1, click.raw().get("cookies").size());

    var conversion =
        fixture.convert(conversionBody("cmp_chain", code, "ord_1", "cus_ben", 12_900));
    assertEquals(201, conversion.status(), conversion.body().toString());
    assertEquals("email", conversion.body().get("channel").asText());

    fixture.stack.drain(Duration.ofSeconds(60));

    Map<String, AttributeValue> reward = fixture.item("CAMPAIGN#cmp_chain", "REWARD#ord_1");
    assertNotNull(reward, "reward item");
    assertEquals("ISSUED", reward.get("status").s());
    assertEquals(1_500, number(reward, "cost"));
    assertEquals(1_000, number(reward, "referrerRewardValue"));
    assertEquals(500, number(reward, "refereeRewardValue"));
    assertEquals("SENT", reward.get("referrerEmail").s());
    assertEquals("SENT", reward.get("refereeEmail").s());

    Map<String, AttributeValue> budget =
        fixture.item("CAMPAIGN#cmp_chain", "BUDGET#" + periodNow() + "#email");
    assertEquals(1_500, number(budget, "spent"));
    assertEquals(1_500, number(budget, "remaining"));

    List<SentEmail> sent = fixture.emulator.sentEmails();
    List<SentEmail> mine =
        sent.subList(sentBefore, sent.size()).stream()
            .filter(e -> e.to().contains("cus_ada@example.com")
                || e.to().contains("cus_ben@example.com"))
            .toList();
    assertEquals(3, mine.size(), mine.toString());
    SentEmail toReferrer =
        mine.stream().filter(e -> e.to().contains("cus_ada@example.com")).findFirst()
            .orElseThrow();
    assertEquals("You earned 10.00 EUR cash for a referral", toReferrer.subject());
    assertEquals(List.of("cus_ada@example.com"), toReferrer.to());
    SentEmail toReferee =
        mine.stream().filter(e -> e.to().contains("cus_ben@example.com")).findFirst()
            .orElseThrow();
    assertEquals("Your welcome reward: a 5.00 EUR discount", toReferee.subject());
    SentEmail thanks =
        mine.stream().filter(e -> e.subject().contains("your own referral link")).findFirst()
            .orElseThrow();
    assertEquals(List.of("cus_ben@example.com"), thanks.to());
    String body = thanks.html() != null ? thanks.html() : thanks.text();
    String benCode = fixture.item("CAMPAIGN#cmp_chain", "OWNER#cus_ben#email").get("code").s();
    assertTrue(body.contains("http://127.0.0.1:3000/r/" + benCode), body);
    assertTrue(body.contains("http://127.0.0.1:3000/unsubscribe/"), body);

    JsonNode metrics = fixture.metrics("cmp_chain").body();
    JsonNode email = metrics.at("/channels/0");
    assertEquals("email", email.get("channel").asText());
    assertEquals(1, email.get("clicks").asLong());
    assertEquals(1, email.get("conversions").asLong());
    assertEquals(1, email.get("rewardsIssued").asLong());
    assertEquals(1_500, email.at("/rewardsPaid/amount").asLong());
    assertEquals(1_500, email.at("/cac/amount").asLong());

    String run = fixture.stack.fireSchedule("ReallocateBudget");
    JsonNode summary = StackFixture.read(run);
    assertEquals(1, summary.get("reallocated").asInt(), run);

    Map<String, AttributeValue> current = fixture.item("CAMPAIGN#cmp_chain", "ALLOCATION");
    assertEquals(2, number(current, "version"));
    long sum =
        current.get("amounts").m().values().stream().mapToLong(v -> Long.parseLong(v.n())).sum();
    assertEquals(9_000, sum);
    Map<String, AttributeValue> history =
        fixture.item("CAMPAIGN#cmp_chain", "ALLOCATION#" + current.get("lastTick").s());
    assertNotNull(history, "history entry of the run");
    assertEquals(3, history.get("channels").l().size());
    // The state knows each channel's days by their numbers: the first not yet taken in is the
    // tick's own (still filling), counted from 1970-01-01, in hexadecimal.
    long today =
        java.time.Instant.parse(current.get("lastTick").s())
            .atZone(java.time.ZoneOffset.UTC)
            .toLocalDate()
            .toEpochDay();
    String state = current.get("modelState").s();
    for (String channel : List.of("email", "social", "in-app")) {
      assertTrue(
          state.contains(channel + ":n" + Long.toHexString(today) + ":"),
          channel + " in " + state);
    }

    JsonNode published = receiveOne(observer);
    assertEquals("BudgetReallocated", published.get("detail-type").asText());
    assertEquals("spur", published.get("source").asText());
    assertEquals("cmp_chain", published.at("/detail/campaignId").asText());
    long publishedSum = 0;
    for (JsonNode row : published.at("/detail/allocations")) {
      publishedSum += row.at("/after/amount").asLong();
      assertTrue(!row.get("reason").asText().isBlank());
    }
    assertEquals(9_000, publishedSum);

    String tick = java.time.Instant.now().plus(Duration.ofHours(2))
        .truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString();
    String scheduled = """
        {"version":"0","id":"7bf73129-1428-4cd3-a780-95db273d1602","detail-type":"Scheduled Event",
         "source":"aws.events","account":"123456789012","time":"%s","region":"us-east-1",
         "resources":["arn:aws:events:us-east-1:123456789012:rule/spur-reallocate"],"detail":{}}
        """.formatted(tick);
    JsonNode first = StackFixture.read(fixture.stack.invoke("ReallocateBudget", scheduled));
    JsonNode repeat = StackFixture.read(fixture.stack.invoke("ReallocateBudget", scheduled));
    assertEquals(1, first.get("reallocated").asInt(), first.toString());
    assertEquals(0, repeat.get("reallocated").asInt(), repeat.toString());
    assertEquals(1, repeat.get("alreadyRun").asInt(), repeat.toString());
    assertEquals(3, number(fixture.item("CAMPAIGN#cmp_chain", "ALLOCATION"), "version"));
  }

  private static String periodNow() {
    return java.time.ZonedDateTime.now(java.time.ZoneId.of("Europe/Berlin"))
        .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM"));
  }

  private static JsonNode receiveOne(String url) {
    try (SqsClient sqs = SqsClient.create()) {
      ReceiveMessageResponse response =
          sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(2));
      assertEquals(1, response.messages().size(), "one BudgetReallocated on the bus");
      return StackFixture.read(response.messages().get(0).body());
    }
  }
}
