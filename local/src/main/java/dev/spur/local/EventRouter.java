package dev.spur.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Delivers bus events to functions: the emulator puts each event that matches a rule on that
 * rule's SQS queue, and one poller per queue invokes the rule's function with it.
 *
 * <p>A delivery that fails stays on its queue and comes back after the retry delay, until the
 * rule's {@code MaximumRetryAttempts} retries or {@code MaximumEventAgeInSeconds} are used up;
 * then it moves to the rule's dead-letter queue. In AWS, a function error on an EventBridge
 * target is retried by Lambda's asynchronous invocation (the function's {@code EventInvokeConfig})
 * and the rule's policy covers failed deliveries; locally the rule's numbers govern both.
 */
final class EventRouter implements AutoCloseable {

  /** One rule of the template, bound to its local queues and function. */
  record RuleQueue(
      String functionId,
      String ruleName,
      String ruleArn,
      String targetArn,
      String queueUrl,
      String deadLetterQueueUrl,
      int maximumRetryAttempts,
      int maximumEventAgeSeconds) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int RECEIVE_WAIT_SECONDS = 1;
  private static final Duration IDLE_CHECK = Duration.ofMillis(50);
  private static final int ERROR_TEXT_LIMIT = 256;

  private final SqsClient sqs;
  private final BiFunction<String, String, String> invoker;
  private final String accountId;
  private final List<RuleQueue> rules;
  private final Duration retryDelay;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong settled = new AtomicLong();
  private final List<Thread> pollers = new ArrayList<>();
  private volatile boolean running;

  /**
   * Creates a router that is not yet polling.
   *
   * @param invoker runs a function (by logical id) on an event and returns its output, or throws
   *     {@link FunctionError}
   */
  EventRouter(
      SqsClient sqs,
      BiFunction<String, String, String> invoker,
      String accountId,
      List<RuleQueue> rules,
      Duration retryDelay) {
    this.sqs = sqs;
    this.invoker = invoker;
    this.accountId = accountId;
    this.rules = List.copyOf(rules);
    this.retryDelay = retryDelay;
  }

  synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    for (RuleQueue rule : rules) {
      Thread poller =
          Thread.ofPlatform()
              .name("spur-route-" + rule.ruleName())
              .daemon(true)
              .start(() -> poll(rule));
      pollers.add(poller);
    }
  }

  boolean running() {
    return running;
  }

  /**
   * Waits until every rule queue is empty and no delivery is in progress.
   *
   * @throws IllegalStateException when that has not happened within the timeout, or when
   *     messages wait and nothing polls
   */
  void drain(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long waiting = 0;
    while (true) {
      // A delivery that finishes between the two looks may have put new events on a queue
      // already counted as empty; seeing the same settled count before and after rules that out.
      long settledBefore = settled.get();
      boolean idleBefore = inFlight.get() == 0;
      waiting = waitingMessages();
      if (idleBefore && waiting == 0 && inFlight.get() == 0 && settled.get() == settledBefore) {
        return;
      }
      if (!running && waiting > 0) {
        throw new IllegalStateException(
            waiting + " events wait on rule queues but event routing is not running");
      }
      if (System.nanoTime() >= deadline) {
        throw new IllegalStateException(
            "Event routing still busy after "
                + timeout
                + ": "
                + waiting
                + " messages on rule queues, "
                + inFlight.get()
                + " deliveries in progress");
      }
      sleep(IDLE_CHECK);
    }
  }

  private long waitingMessages() {
    long total = 0;
    for (RuleQueue rule : rules) {
      GetQueueAttributesResponse attributes =
          sqs.getQueueAttributes(
              request ->
                  request
                      .queueUrl(rule.queueUrl())
                      .attributeNames(
                          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
      for (String count : attributes.attributes().values()) {
        total += Long.parseLong(count);
      }
    }
    return total;
  }

  private void poll(RuleQueue rule) {
    while (running) {
      try {
        List<Message> messages =
            sqs.receiveMessage(
                    request ->
                        request
                            .queueUrl(rule.queueUrl())
                            .maxNumberOfMessages(10)
                            .waitTimeSeconds(RECEIVE_WAIT_SECONDS)
                            // Long enough that a message does not come back while its delivery
                            // still runs; a failed delivery shortens it to the retry delay.
                            .visibilityTimeout(30)
                            .messageSystemAttributeNames(
                                MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                                MessageSystemAttributeName.SENT_TIMESTAMP))
                .messages();
        for (Message message : messages) {
          inFlight.incrementAndGet();
          try {
            deliver(rule, message);
          } finally {
            settled.incrementAndGet();
            inFlight.decrementAndGet();
          }
        }
      } catch (SdkException e) {
        if (running) {
          JsonLog.error(
              "rule queue unreachable", "rule", rule.ruleName(), "error", e.getClass().getName());
          sleep(Duration.ofSeconds(1));
        }
      }
    }
  }

  private void deliver(RuleQueue rule, Message message) {
    String event = withAccount(message.body());
    JsonNode parsed = readTree(event);
    String eventId = parsed.path("id").asText("");
    String detailType = parsed.path("detail-type").asText("");
    int attempt =
        Integer.parseInt(
            message
                .attributes()
                .getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1"));
    long sent =
        Long.parseLong(
            message
                .attributes()
                .getOrDefault(
                    MessageSystemAttributeName.SENT_TIMESTAMP,
                    Long.toString(System.currentTimeMillis())));
    long started = System.nanoTime();
    try {
      invoker.apply(rule.functionId(), event);
      sqs.deleteMessage(
          request -> request.queueUrl(rule.queueUrl()).receiptHandle(message.receiptHandle()));
      JsonLog.info(
          "event delivered",
          "function",
          rule.functionId(),
          "rule",
          rule.ruleName(),
          "eventId",
          eventId,
          "detailType",
          detailType,
          "attempt",
          attempt,
          "millis",
          (System.nanoTime() - started) / 1_000_000);
    } catch (FunctionError e) {
      long ageSeconds = (System.currentTimeMillis() - sent) / 1000;
      String exhausted =
          attempt > rule.maximumRetryAttempts()
              ? "MaximumRetryAttempts"
              : ageSeconds >= rule.maximumEventAgeSeconds() ? "MaximumEventAgeInSeconds" : null;
      if (exhausted == null) {
        sqs.changeMessageVisibility(
            request ->
                request
                    .queueUrl(rule.queueUrl())
                    .receiptHandle(message.receiptHandle())
                    .visibilityTimeout((int) retryDelay.toSeconds()));
        JsonLog.warn(
            "event delivery failed, will retry",
            "function",
            rule.functionId(),
            "rule",
            rule.ruleName(),
            "eventId",
            eventId,
            "detailType",
            detailType,
            "attempt",
            attempt,
            "errorType",
            e.errorType(),
            "errorMessage",
            e.errorMessage());
      } else {
        deadLetter(rule, message, event, e, attempt, exhausted);
        JsonLog.error(
            "event moved to dead-letter queue",
            "function",
            rule.functionId(),
            "rule",
            rule.ruleName(),
            "eventId",
            eventId,
            "detailType",
            detailType,
            "attempts",
            attempt,
            "exhausted",
            exhausted,
            "errorType",
            e.errorType());
      }
    }
  }

  // The attributes EventBridge puts on the messages it dead-letters.
  private void deadLetter(
      RuleQueue rule,
      Message message,
      String event,
      FunctionError error,
      int attempts,
      String exhausted) {
    String errorText = String.valueOf(error.getCause().getMessage());
    if (errorText.length() > ERROR_TEXT_LIMIT) {
      errorText = errorText.substring(0, ERROR_TEXT_LIMIT);
    }
    Map<String, MessageAttributeValue> attributes =
        Map.of(
            "RULE_ARN", text(rule.ruleArn()),
            "TARGET_ARN", text(rule.targetArn()),
            "ERROR_CODE", text(error.errorType()),
            "ERROR_MESSAGE", text(errorText.isEmpty() ? error.errorType() : errorText),
            "RETRY_ATTEMPTS", text(Integer.toString(attempts - 1)),
            "EXHAUSTED_RETRY_CONDITION", text(exhausted));
    sqs.sendMessage(
        request ->
            request
                .queueUrl(rule.deadLetterQueueUrl())
                .messageBody(event)
                .messageAttributes(attributes));
    sqs.deleteMessage(
        request -> request.queueUrl(rule.queueUrl()).receiptHandle(message.receiptHandle()));
  }

  private static MessageAttributeValue text(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }

  // An SQS target receives the event without "account" from some emulators; Lambda always gets
  // it, so it is put back in its usual place.
  private String withAccount(String body) {
    JsonNode tree = readTree(body);
    if (!(tree instanceof ObjectNode event) || event.has("account")) {
      return body;
    }
    ObjectNode ordered = JSON.createObjectNode();
    boolean placed = false;
    for (Map.Entry<String, JsonNode> field : event.properties()) {
      ordered.set(field.getKey(), field.getValue());
      if (field.getKey().equals("source")) {
        ordered.put("account", accountId);
        placed = true;
      }
    }
    if (!placed) {
      ordered.put("account", accountId);
    }
    return ordered.toString();
  }

  private static JsonNode readTree(String json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      return JSON.createObjectNode();
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    for (Thread poller : pollers) {
      try {
        poller.join(Duration.ofSeconds(RECEIVE_WAIT_SECONDS + 5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    pollers.clear();
  }
}
