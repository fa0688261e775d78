package dev.spur.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Invokes every payload in {@code events/}, in the order a referral runs, through the Lambda
 * runtime's own deserialiser, exactly as {@code sam local invoke -e} would hand it over.
 */
@ExtendWith(AwsEmulatorExtension.class)
class EventPayloadsTest {

  /** Each payload, in running order, with the function it goes to and what it must answer. */
  private static final Map<String, Expected> PAYLOADS = new LinkedHashMap<>();

  private record Expected(String function, String field, String value) {}

  static {
    PAYLOADS.put("campaigns-create.json", new Expected("Campaigns", "statusCode", "201"));
    PAYLOADS.put("campaigns-create-missing-currency.json",
        new Expected("Campaigns", "statusCode", "400"));
    PAYLOADS.put("campaigns-get.json", new Expected("Campaigns", "statusCode", "200"));
    PAYLOADS.put("create-referral-link.json",
        new Expected("CreateReferralLink", "statusCode", "201"));
    PAYLOADS.put("create-referral-link-malformed.json",
        new Expected("CreateReferralLink", "statusCode", "400"));
    PAYLOADS.put("track-click.json", new Expected("TrackClick", "statusCode", "302"));
    PAYLOADS.put("track-click-unknown-code.json",
        new Expected("TrackClick", "statusCode", "404"));
    PAYLOADS.put("track-conversion-self-referral.json",
        new Expected("TrackConversion", "statusCode", "422"));
    PAYLOADS.put("track-conversion.json", new Expected("TrackConversion", "statusCode", "201"));
    PAYLOADS.put("issue-reward-conversion-recorded.json",
        new Expected("IssueReward", "outcome", "ALREADY_SETTLED"));
    PAYLOADS.put("issue-reward-payout-scheduled.json",
        new Expected("IssueReward", "outcome", "PAYOUTS_APPROVED"));
    PAYLOADS.put("issue-reward-order-refunded.json",
        new Expected("IssueReward", "outcome", "CLAWED_BACK"));
    PAYLOADS.put("customers-order.json", new Expected("Customers", "statusCode", "201"));
    PAYLOADS.put("customers-refund.json", new Expected("Customers", "statusCode", "201"));
    PAYLOADS.put("customers-feedback.json", new Expected("Customers", "statusCode", "201"));
    PAYLOADS.put("campaigns-metrics.json", new Expected("Campaigns", "statusCode", "200"));
    PAYLOADS.put("campaigns-metrics-as-of.json",
        new Expected("Campaigns", "statusCode", "200"));
    PAYLOADS.put("campaigns-spend.json", new Expected("Campaigns", "statusCode", "201"));
    PAYLOADS.put("reallocate-budget-scheduled.json",
        new Expected("ReallocateBudget", "reallocated", "1"));
    PAYLOADS.put("redrive-outbox-scheduled.json",
        new Expected("RedriveOutbox", "waiting", "0"));
    // A token comes from a real email; the stack here has sent none with this one.
    PAYLOADS.put("unsubscribe-confirm.json", new Expected("Unsubscribe", "statusCode", "404"));
    PAYLOADS.put("unsubscribe-one-click.json",
        new Expected("Unsubscribe", "statusCode", "404"));
  }

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
  void everyPayloadHasAnExpectation() throws IOException {
    Set<String> files = new TreeSet<>();
    try (Stream<Path> list = Files.list(StackFixture.root().resolve("events"))) {
      list.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".json"))
          .forEach(files::add);
    }
    assertEquals(new TreeSet<>(PAYLOADS.keySet()), files);
  }

  @Test
  void everyPayloadRunsThroughItsFunctionAsLambdaWouldDeliverIt() throws IOException {
    Path events = StackFixture.root().resolve("events");
    for (var entry : PAYLOADS.entrySet()) {
      if (entry.getKey().equals("track-click.json")) {
        seedPayloadLink();
      }
      if (entry.getKey().equals("issue-reward-conversion-recorded.json")) {
        fixture.stack.drain(Duration.ofSeconds(60));
      }
      Expected expected = entry.getValue();
      String output =
          fixture.stack.invoke(expected.function(), Files.readString(events.resolve(
              entry.getKey())));
      JsonNode result = StackFixture.read(output);
      assertEquals(expected.value(), result.path(expected.field()).asText(),
          entry.getKey() + " gave " + output);
    }
  }

  /** The payloads name a fixed code; codes are random, so the test lays that link itself. */
  private static void seedPayloadLink() {
    fixture.dynamo.putItem(
        b ->
            b.tableName(fixture.stack.tableName())
                .item(
                    Map.of(
                        "PK", AttributeValue.fromS("LINK#k7m2q9xw4hp3t"),
                        "SK", AttributeValue.fromS("LINK"),
                        "code", AttributeValue.fromS("k7m2q9xw4hp3t"),
                        "campaignId", AttributeValue.fromS("cmp_spring2027"),
                        "channel", AttributeValue.fromS("email"),
                        "referrerId", AttributeValue.fromS("cus_ada"),
                        "createdAt", AttributeValue.fromS(Instant.now().toString()),
                        "clicks", AttributeValue.fromN("0"))));
  }
}
