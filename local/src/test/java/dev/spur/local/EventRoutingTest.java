package dev.spur.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spur.local.probes.Probe;
import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

@ExtendWith(AwsEmulatorExtension.class)
class EventRoutingTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DRAIN = Duration.ofSeconds(30);

  private String prefix;
  private String stack;
  private LocalDeployment deployment;
  private EventBridgeClient events;
  private SqsClient sqs;

  @BeforeEach
  void deploy(Emulator emulator) {
    prefix = Fixtures.freshPrefix("er");
    stack = prefix.substring(0, prefix.length() - 1);
    deployment = LocalDeployment.create(Fixtures.probeTemplate(), prefix);
    deployment.retryDelay(Duration.ZERO);
    deployment.provision();
    events = EventBridgeClient.builder().region(Region.of(emulator.region())).build();
    sqs = SqsClient.builder().region(Region.of(emulator.region())).build();
  }

  @AfterEach
  void close() {
    deployment.close();
    events.close();
    sqs.close();
  }

  private void put(String detailType, String detail) {
    PutEventsRequestEntry entry =
        PutEventsRequestEntry.builder()
            .eventBusName(deployment.busName())
            .source("spur.probe")
            .detailType(detailType)
            .detail(detail)
            .build();
    events.putEvents(request -> request.entries(entry));
  }

  @Test
  void matchingEventReachesTheHandlerThroughRuleQueueAndPoller() throws Exception {
    deployment.startEventRouting();

    put("Ping", "{\"n\":1}");
    deployment.drain(DRAIN);

    List<String> received = Probe.received(stack);
    assertEquals(1, received.size());
    JsonNode event = JSON.readTree(received.get(0));
    assertEquals("Ping", event.get("detail-type").asText());
    assertEquals("spur.probe", event.get("source").asText());
    assertEquals(Map.of("n", 1), JSON.convertValue(event.get("detail"), Map.class));
    assertEquals(deployment.region(), event.get("region").asText());
    assertEquals(12, event.get("account").asText().length());
  }

  @Test
  void eventTheRuleDoesNotMatchNeverReachesTheHandler() throws Exception {
    deployment.startEventRouting();

    put("Pong", "{\"n\":1}");
    put("Ping", "{\"n\":2}");
    deployment.drain(DRAIN);

    List<String> received = Probe.received(stack);
    assertEquals(1, received.size());
    assertEquals(2, JSON.readTree(received.get(0)).at("/detail/n").asInt());
  }

  @Test
  void failedDeliveryIsRetriedUntilItSucceeds() throws Exception {
    deployment.startEventRouting();

    put("Ping", "{\"failures\":2}");
    deployment.drain(DRAIN);

    assertEquals(3, Probe.received(stack).size());
    assertEquals(List.of(), deadLetters());
  }

  @Test
  void deliveryFailingEveryRetryMovesToTheDeadLetterQueueWithItsReason() throws Exception {
    deployment.startEventRouting();

    put("Ping", "{\"failures\":-1}");
    deployment.drain(DRAIN);

    // MaximumRetryAttempts 2: the first delivery and two retries.
    assertEquals(3, Probe.received(stack).size());
    List<Message> dead = deadLetters();
    assertEquals(1, dead.size());
    JsonNode event = JSON.readTree(dead.get(0).body());
    assertEquals("Ping", event.get("detail-type").asText());
    assertEquals(-1, event.at("/detail/failures").asInt());
    Map<String, MessageAttributeValue> attributes = dead.get(0).messageAttributes();
    assertEquals("java.lang.IllegalStateException", attributes.get("ERROR_CODE").stringValue());
    assertEquals(
        "probe failure on attempt 3", attributes.get("ERROR_MESSAGE").stringValue());
    assertEquals("2", attributes.get("RETRY_ATTEMPTS").stringValue());
    assertEquals(
        "MaximumRetryAttempts", attributes.get("EXHAUSTED_RETRY_CONDITION").stringValue());
  }

  @Test
  void drainRefusesToWaitForEventsNothingPolls() {
    put("Ping", "{\"n\":1}");

    IllegalStateException refused =
        assertThrows(IllegalStateException.class, () -> deployment.drain(DRAIN));

    assertEquals(
        "1 events wait on rule queues but event routing is not running", refused.getMessage());
    assertEquals(List.of(), Probe.received(stack));
  }

  @Test
  void drainBeforeProvisioningSaysWhatIsMissing() {
    try (LocalDeployment fresh =
        LocalDeployment.create(Fixtures.probeTemplate(), Fixtures.freshPrefix("er"))) {
      IllegalStateException refused =
          assertThrows(IllegalStateException.class, () -> fresh.drain(DRAIN));

      assertEquals("Call provision() before routing events", refused.getMessage());
    }
  }

  private List<Message> deadLetters() {
    return sqs.receiveMessage(
            request ->
                request
                    .queueUrl(deployment.queueUrl("ListenerDeadLetters"))
                    .maxNumberOfMessages(10)
                    .waitTimeSeconds(1)
                    .messageAttributeNames("All"))
        .messages();
  }
}
