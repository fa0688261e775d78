package dev.spur.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spur.testkit.Emulator;
import dev.spur.testkit.FaultProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutRuleRequest;
import software.amazon.awssdk.services.eventbridge.model.PutTargetsRequest;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The template deployed on the test emulator under a fresh name prefix, with helpers that build
 * the events API Gateway and EventBridge would send and read what the functions wrote.
 */
final class StackFixture implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  final LocalDeployment stack;
  final Emulator emulator;
  final DynamoDbClient dynamo;
  private final FaultProxy proxy;
  private final String endpointBefore;

  StackFixture(Emulator emulator) {
    this(emulator, Map.of());
  }

  /**
   * The template deployed with some parameters overridden. The stack's clients go through the
   * fixture's proxy; the fixture's own reads go to the emulator.
   */
  StackFixture(Emulator emulator, Map<String, String> parameters) {
    this(emulator, parameters, true);
  }

  /**
   * The same, with or without the bus's rules delivering to the functions. The stack's SDK
   * traffic goes through a proxy that injects no faults but passes DynamoDB calls one at a
   * time: moto's server does not isolate concurrent transactions (a refused one puts back the
   * tables as they were when it began, undoing other writers' work meanwhile), and a stack whose
   * events are routed runs functions concurrently with the test's own requests.
   */
  StackFixture(Emulator emulator, Map<String, String> parameters, boolean routeEvents) {
    this(emulator, parameters, routeEvents, 0L);
  }

  private StackFixture(
      Emulator emulator, Map<String, String> parameters, boolean routeEvents, long seed) {
    this.emulator = emulator;
    this.endpointBefore = System.getProperty("aws.endpointUrl");
    this.proxy = FaultProxy.start(emulator.endpoint(), seed);
    System.setProperty("aws.endpointUrl", proxy.endpoint().toString());
    Path root = root();
    this.stack =
        LocalDeployment.create(
            Template.load(root.resolve("template.yaml")),
            "t" + UUID.randomUUID().toString().substring(0, 8) + "-",
            parameters);
    stack.provision();
    if (routeEvents) {
      stack.startEventRouting();
    }
    this.dynamo =
        DynamoDbClient.builder()
            .region(Region.of(emulator.region()))
            .endpointOverride(emulator.endpoint())
            .build();
  }

  /**
   * The template deployed with its SDK traffic going through a fault proxy seeded for the
   * test, which starts with no faults; closing the fixture closes the proxy and points the SDK
   * back where it pointed before.
   */
  static StackFixture behindProxy(
      Emulator emulator, long seed, Map<String, String> parameters, boolean routeEvents) {
    return new StackFixture(emulator, parameters, routeEvents, seed);
  }

  /** The proxy in front of the emulator. */
  FaultProxy proxy() {
    return proxy;
  }

  static Path root() {
    String property = System.getProperty("spur.root");
    Path start = property == null ? Path.of("").toAbsolutePath() : Path.of(property);
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("template.yaml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("template.yaml not found above " + start);
  }

  /** An HTTP API payload-2.0 event for a route. */
  static String http(String method, String routeKey, String path, Map<String, String> params,
      String body) {
    return http(method, routeKey, path, params, body, Map.of());
  }

  /** The same, with extra request headers. */
  static String http(String method, String routeKey, String path, Map<String, String> params,
      String body, Map<String, String> extraHeaders) {
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "2.0");
    event.put("routeKey", routeKey);
    event.put("rawPath", path);
    event.put("rawQueryString", "");
    ObjectNode headers = event.putObject("headers");
    headers.put("content-type", "application/json");
    headers.put("host", "localhost:3000");
    headers.put("x-forwarded-proto", "http");
    extraHeaders.forEach((name, value) -> headers.put(name.toLowerCase(), value));
    ObjectNode context = event.putObject("requestContext");
    context.put("accountId", "123456789012");
    context.put("apiId", "local");
    context.put("domainName", "localhost:3000");
    context.put("requestId", UUID.randomUUID().toString());
    context.put("routeKey", routeKey);
    context.put("stage", "$default");
    context.put("timeEpoch", Instant.now().toEpochMilli());
    ObjectNode httpNode = context.putObject("http");
    httpNode.put("method", method);
    httpNode.put("path", path);
    httpNode.put("protocol", "HTTP/1.1");
    httpNode.put("sourceIp", "127.0.0.1");
    httpNode.put("userAgent", "spur-test");
    if (!params.isEmpty()) {
      ObjectNode pathParameters = event.putObject("pathParameters");
      params.forEach(pathParameters::put);
    }
    if (body != null) {
      event.put("body", body);
    }
    event.put("isBase64Encoded", false);
    return event.toString();
  }

  /** An EventBridge event as the bus hands it to Lambda. */
  static String busEvent(String detailType, String detailJson) {
    return """
        {"version":"0","id":"%s","detail-type":"%s","source":"spur","account":"123456789012",
         "time":"%s","region":"us-east-1","resources":[],"detail":%s}
        """.formatted(UUID.randomUUID(), detailType, Instant.now().toString().substring(0, 19)
        + "Z", detailJson);
  }

  /**
   * Routes the stack's events of one detail type to a new SQS queue as well, the way a rule
   * with a queue target does, and returns the queue's URL, for a test to read what the bus
   * carried.
   */
  String watchBus(String detailType) {
    String busName = stack.busName();
    try (SqsClient sqs = SqsClient.create();
        EventBridgeClient events = EventBridgeClient.create()) {
      String url = sqs.createQueue(b -> b.queueName("watch-" + busName)).queueUrl();
      String arn =
          sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
              .attributes().get(QueueAttributeName.QUEUE_ARN);
      events.putRule(
          PutRuleRequest.builder()
              .name("watch-" + detailType)
              .eventBusName(busName)
              .eventPattern("{\"source\":[\"spur\"],\"detail-type\":[\"" + detailType + "\"]}")
              .build());
      events.putTargets(
          PutTargetsRequest.builder()
              .rule("watch-" + detailType)
              .eventBusName(busName)
              .targets(Target.builder().id("watcher").arn(arn).build())
              .build());
      return url;
    }
  }

  /** Invokes a function over HTTP-event JSON and parses its response. */
  Response call(String function, String event) {
    JsonNode output = read(stack.invoke(function, event));
    String body = output.path("body").asText("");
    JsonNode parsed = body.isEmpty() ? JSON.createObjectNode() : read(body);
    return new Response(output.path("statusCode").asInt(), output.path("headers"), parsed,
        output);
  }

  Response createCampaign(String json) {
    return call("Campaigns", http("POST", "POST /campaigns", "/campaigns", Map.of(), json));
  }

  Response getCampaign(String id) {
    return call("Campaigns", http("GET", "GET /campaigns/{campaignId}", "/campaigns/" + id,
        Map.of("campaignId", id), null));
  }

  Response metrics(String id) {
    return call("Campaigns", http("GET", "GET /campaigns/{campaignId}/metrics",
        "/campaigns/" + id + "/metrics", Map.of("campaignId", id), null));
  }

  /** The metrics with retention as of the given instant, sent as the {@code asOf} query. */
  Response metrics(String id, String asOf) {
    ObjectNode event = (ObjectNode) read(http("GET", "GET /campaigns/{campaignId}/metrics",
        "/campaigns/" + id + "/metrics", Map.of("campaignId", id), null));
    event.put("rawQueryString", "asOf=" + asOf);
    event.putObject("queryStringParameters").put("asOf", asOf);
    return call("Campaigns", event.toString());
  }

  Response order(String json) {
    return call("Customers", http("POST", "POST /orders", "/orders", Map.of(), json));
  }

  Response refund(String orderId, String json) {
    return call("Customers", http("POST", "POST /orders/{orderId}/refunds",
        "/orders/" + orderId + "/refunds", Map.of("orderId", orderId), json));
  }

  Response feedback(String json) {
    return call("Customers", http("POST", "POST /feedback", "/feedback", Map.of(), json));
  }

  static String orderBody(String campaignId, String orderId, String customer, long amount,
      String orderedAt) {
    return """
        {"campaignId":"%s","orderId":"%s","customerId":"%s",
         "amount":{"amount":%d,"currency":"EUR"},"orderedAt":"%s"}
        """.formatted(campaignId, orderId, customer, amount, orderedAt);
  }

  static String refundBody(String campaignId, String refundId, long amount, String refundedAt) {
    return """
        {"campaignId":"%s","refundId":"%s","amount":{"amount":%d,"currency":"EUR"},
         "refundedAt":"%s"}
        """.formatted(campaignId, refundId, amount, refundedAt);
  }

  static String feedbackBody(String campaignId, String customer, int score, String feedbackId,
      String submittedAt) {
    return """
        {"campaignId":"%s","customerId":"%s","score":%d,"feedbackId":"%s","submittedAt":"%s"}
        """.formatted(campaignId, customer, score, feedbackId, submittedAt);
  }

  Response link(String json) {
    return call("CreateReferralLink", http("POST", "POST /links", "/links", Map.of(), json));
  }

  Response click(String code) {
    return call("TrackClick", http("GET", "GET /r/{code}", "/r/" + code,
        Map.of("code", code), null));
  }

  Response convert(String json) {
    return call("TrackConversion",
        http("POST", "POST /conversions", "/conversions", Map.of(), json));
  }

  static String campaignBody(String id, List<String> channels, long budget, int minShare) {
    return """
        {"id":"%s","name":"Spring 2027","currency":"EUR","timeZone":"Europe/Berlin",
         "landingUrl":"https://shop.example.com/welcome","channels":%s,
         "referrerReward":{"type":"CASH","amount":1000},
         "refereeReward":{"type":"DISCOUNT","amount":500},
         "attributionWindowDays":30,"budget":{"amount":%d,"currency":"EUR"},"period":"MONTH",
         "guardrails":{"minShareBps":%d,"maxShareBps":10000,"maxChangeBps":10000,
                       "explorationFloorBps":0}}
        """.formatted(id, toJson(channels), budget, minShare);
  }

  static String linkBody(String campaignId, String channel, String referrer) {
    return """
        {"campaignId":"%s","channel":"%s","referrer":{"id":"%s","email":"%s@example.com"}}
        """.formatted(campaignId, channel, referrer, referrer);
  }

  static String conversionBody(String campaignId, String code, String orderId, String customer,
      long amount) {
    return """
        {"campaignId":"%s","code":"%s","orderId":"%s",
         "customer":{"id":"%s","email":"%s@example.com"},
         "amount":{"amount":%d,"currency":"EUR"}}
        """.formatted(campaignId, code, orderId, customer, customer, amount);
  }

  /** One item of the table, or null. */
  Map<String, AttributeValue> item(String pk, String sk) {
    Map<String, AttributeValue> item =
        dynamo
            .getItem(
                GetItemRequest.builder()
                    .tableName(stack.tableName())
                    .key(Map.of("PK", AttributeValue.fromS(pk), "SK", AttributeValue.fromS(sk)))
                    .consistentRead(true)
                    .build())
            .item();
    return item == null || item.isEmpty() ? null : item;
  }

  /** How many items the table holds. */
  int itemCount() {
    int count = 0;
    Map<String, AttributeValue> start = null;
    do {
      var page =
          dynamo.scan(
              ScanRequest.builder().tableName(stack.tableName()).exclusiveStartKey(start)
                  .build());
      count += page.count();
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
          ? page.lastEvaluatedKey() : null;
    } while (start != null);
    return count;
  }

  static long number(Map<String, AttributeValue> item, String name) {
    return Long.parseLong(item.get(name).n());
  }

  static JsonNode read(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String toJson(List<String> values) {
    try {
      return JSON.writeValueAsString(values);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    stack.close();
    dynamo.close();
    forgetEverything();
    proxy.close();
    if (endpointBefore == null) {
      System.clearProperty("aws.endpointUrl");
    } else {
      System.setProperty("aws.endpointUrl", endpointBefore);
    }
  }

  /**
   * Empties the moto server the test kit started once this class is done with it. For every
   * item a transaction writes, moto copies the whole table and keeps each copied item for its
   * data view, the one the sent emails are read from; left to grow over a whole run, that view
   * takes longer to read than a test waits. Each class deploys its own stack, so no later class
   * needs what this one left. Other emulators are left as they are.
   */
  private void forgetEverything() {
    if (!emulator.kind().equals("moto")) {
      return;
    }
    HttpRequest reset =
        HttpRequest.newBuilder(emulator.endpoint().resolve("/moto-api/reset"))
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    try (HttpClient http =
        HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build()) {
      int status = http.send(reset, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status != 200) {
        throw new IllegalStateException("moto answered " + status + " to a reset");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reset moto at " + emulator.endpoint(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while resetting moto", e);
    }
  }

  /** A function's HTTP answer. */
  record Response(int status, JsonNode headers, JsonNode body, JsonNode raw) {}
}
