package dev.spur.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP proxy on a loopback port in front of an emulator that makes a chosen share of the
 * calls to DynamoDB, EventBridge and SES fail the ways AWS calls fail: throttling, a 500, an
 * answer lost after the write happened, a {@code PutEvents} that publishes only some entries.
 * Pointing the SDK at it ({@code aws.endpointUrl}) tests the product's retries and recovery
 * without the product knowing. Queue polling and the emulator's own control calls pass through
 * untouched. Draws come from a seeded random, so a run can be repeated. A test can also aim
 * throttling at the calls of one step alone, recognised by what their request bodies contain.
 *
 * <p>DynamoDB calls are forwarded one at a time: moto does not isolate concurrent
 * transactions, and a test of the product's own concurrency must not fail on the emulator's.
 */
public final class FaultProxy implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> HOP_BY_HOP =
      Set.of("connection", "content-length", "host", "transfer-encoding", "expect", "upgrade",
          "keep-alive");

  private final URI upstream;
  private final HttpServer server;
  private final ExecutorService workers = Executors.newFixedThreadPool(16);
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();
  private final Random random;
  private volatile Faults faults = Faults.NONE;
  private final List<List<String>> targets = new CopyOnWriteArrayList<>();
  private final Object dynamoTurn = new Object();

  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong throttled = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();
  private final AtomicLong lostMail = new AtomicLong();
  private final AtomicLong partial = new AtomicLong();
  private final AtomicLong targeted = new AtomicLong();

  private FaultProxy(URI upstream, long seed) throws IOException {
    this.upstream = upstream;
    this.random = new Random(seed);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        64);
    server.createContext("/", this::handle);
    server.setExecutor(workers);
    server.start();
  }

  /** Starts a proxy in front of the given endpoint. */
  public static FaultProxy start(URI upstream, long seed) {
    try {
      return new FaultProxy(upstream, seed);
    } catch (IOException e) {
      throw new IllegalStateException("cannot open a loopback port for the fault proxy", e);
    }
  }

  /** The proxy's own endpoint. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Sets the fault rates from now on. */
  public void inject(Faults faults) {
    this.faults = faults;
  }

  /**
   * From now on, also throttles every call to DynamoDB, EventBridge or SES whose request body
   * contains each of the fragments, however often the SDK retries it, until
   * {@link #stopTargeting()}. Such calls draw nothing from the seeded random, so the other
   * faults of a run stay as they were.
   */
  public void throttleCallsContaining(String... fragments) {
    if (fragments.length == 0) {
      throw new IllegalArgumentException("a target names at least one fragment");
    }
    targets.add(List.of(fragments));
  }

  /** Ends every throttling aimed by {@link #throttleCallsContaining}. */
  public void stopTargeting() {
    targets.clear();
  }

  /** What was injected so far, for the test's report. */
  public Map<String, Long> injected() {
    return Map.of(
        "calls", calls.get(),
        "throttled", throttled.get(),
        "serverErrors", failed.get(),
        "lostAnswers", lost.get(),
        "lostMailAnswers", lostMail.get(),
        "partialPutEvents", partial.get(),
        "targeted", targeted.get());
  }

  private boolean targeted(byte[] body) {
    if (targets.isEmpty()) {
      return false;
    }
    String text = new String(body, StandardCharsets.UTF_8);
    for (List<String> target : targets) {
      if (target.stream().allMatch(text::contains)) {
        return true;
      }
    }
    return false;
  }

  private synchronized double draw() {
    return random.nextDouble();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      String target = header(exchange, "x-amz-target");
      String path = exchange.getRequestURI().getPath();
      Service service = Service.of(target, path);
      Faults now = faults;
      if (service != Service.OTHER) {
        calls.incrementAndGet();
        if (targeted(body)) {
          targeted.incrementAndGet();
          throttled.incrementAndGet();
          respondThrottled(exchange, service);
          return;
        }
        if (draw() < now.throttle()) {
          throttled.incrementAndGet();
          respondThrottled(exchange, service);
          return;
        }
        if (draw() < now.serverError()) {
          failed.incrementAndGet();
          respond(exchange, 500, "{\"__type\":\"InternalServerError\",\"message\":\"injected\"}",
              "application/x-amz-json-1.0");
          return;
        }
      }
      List<Integer> dropped = List.of();
      if (service == Service.EVENTBRIDGE && target.endsWith("PutEvents")
          && draw() < now.partialPutEvents()) {
        JsonNode request = JSON.readTree(body);
        ArrayNode entries = (ArrayNode) request.get("Entries");
        if (entries != null && entries.size() > 0) {
          dropped = new ArrayList<>();
          ArrayNode kept = JSON.createArrayNode();
          for (int i = 0; i < entries.size(); i++) {
            if (draw() < 0.5) {
              dropped.add(i);
            } else {
              kept.add(entries.get(i));
            }
          }
          if (!dropped.isEmpty()) {
            partial.incrementAndGet();
            ((ObjectNode) request).set("Entries", kept);
            body = JSON.writeValueAsBytes(request);
          }
        }
      }
      HttpResponse<byte[]> answer;
      if (service == Service.DYNAMODB) {
        // moto's server does not isolate concurrent transactions (it copies and restores whole
        // tables), so DynamoDB calls pass one at a time, as if the store were linearizable.
        synchronized (dynamoTurn) {
          answer = forward(exchange, body);
        }
      } else {
        answer = forward(exchange, body);
      }
      if (service != Service.OTHER && draw() < now.lostAnswer()) {
        lost.incrementAndGet();
        if (service == Service.SES) {
          lostMail.incrementAndGet();
        }
        respond(exchange, 500, "{\"__type\":\"InternalServerError\",\"message\":\"lost\"}",
            "application/x-amz-json-1.0");
        return;
      }
      byte[] out = answer.body();
      if (!dropped.isEmpty() && answer.statusCode() == 200) {
        out = splice(out, dropped);
      }
      answer.headers().map().forEach((name, values) -> {
        if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
          values.forEach(value -> exchange.getResponseHeaders().add(name, value));
        }
      });
      exchange.sendResponseHeaders(answer.statusCode(), out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        try (OutputStream stream = exchange.getResponseBody()) {
          stream.write(out);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Puts failed entries back in their places in a PutEvents answer. */
  private static byte[] splice(byte[] answer, List<Integer> dropped) throws IOException {
    JsonNode response = JSON.readTree(answer);
    JsonNode published = response.path("Entries");
    ArrayNode entries = JSON.createArrayNode();
    int next = 0;
    int total = published.size() + dropped.size();
    int failedCount = response.path("FailedEntryCount").asInt();
    for (int i = 0; i < total; i++) {
      if (dropped.contains(i)) {
        ObjectNode entry = entries.addObject();
        entry.put("ErrorCode", "InternalFailure");
        entry.put("ErrorMessage", "injected");
        failedCount++;
      } else {
        entries.add(published.get(next++));
      }
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("FailedEntryCount", failedCount);
    out.set("Entries", entries);
    return JSON.writeValueAsBytes(out);
  }

  private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body)
      throws IOException, InterruptedException {
    URI uri = upstream.resolve(exchange.getRequestURI().getRawPath()
        + (exchange.getRequestURI().getRawQuery() == null ? ""
            : "?" + exchange.getRequestURI().getRawQuery()));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(60))
            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    exchange.getRequestHeaders().forEach((name, values) -> {
      if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
        values.forEach(value -> request.header(name, value));
      }
    });
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void respondThrottled(HttpExchange exchange, Service service)
      throws IOException {
    switch (service) {
      case DYNAMODB -> respond(exchange, 400,
          "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ThrottlingException\","
              + "\"message\":\"Rate of requests exceeds the allowed throughput.\"}",
          "application/x-amz-json-1.0");
      case EVENTBRIDGE -> respond(exchange, 400,
          "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}",
          "application/x-amz-json-1.1");
      default -> {
        exchange.getResponseHeaders().add("x-amzn-ErrorType", "TooManyRequestsException");
        respond(exchange, 429, "{\"message\":\"Too many requests\"}", "application/json");
      }
    }
  }

  private static void respond(HttpExchange exchange, int status, String body, String type)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String header(HttpExchange exchange, String name) {
    String value = exchange.getRequestHeaders().getFirst(name);
    return value == null ? "" : value;
  }

  private enum Service {
    DYNAMODB, EVENTBRIDGE, SES, OTHER;

    static Service of(String target, String path) {
      if (target.startsWith("DynamoDB_")) {
        return DYNAMODB;
      }
      if (target.startsWith("AWSEvents.")) {
        return EVENTBRIDGE;
      }
      if (path.startsWith("/v2/email/outbound-emails")) {
        return SES;
      }
      return OTHER;
    }
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}
