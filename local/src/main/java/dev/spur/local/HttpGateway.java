package dev.spur.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP API on a loopback port: each request becomes the payload-format-2.0 event API Gateway
 * would send the route's function, and the function's {@code APIGatewayV2HTTPResponse} becomes the
 * answer. Paths under {@code /_local/} control the stack instead.
 */
final class HttpGateway implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter REQUEST_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration DEFAULT_DRAIN = Duration.ofSeconds(30);
  private static final String CONTROL_PREFIX = "/_local/";

  private final LocalDeployment deployment;
  private final List<RoutePattern> routes;
  private final String apiId;
  private final String accountId;
  private final HttpServer server;
  private final ExecutorService executor;

  HttpGateway(
      LocalDeployment deployment,
      List<RoutePattern> routes,
      String apiId,
      String accountId,
      int port) {
    this.deployment = deployment;
    this.routes = routes.stream().sorted(RoutePattern.MOST_SPECIFIC_FIRST).toList();
    this.apiId = apiId;
    this.accountId = accountId;
    try {
      this.server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot listen on 127.0.0.1:" + port, e);
    }
    this.executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  List<RoutePattern> routes() {
    return routes;
  }

  private void handle(HttpExchange exchange) throws IOException {
    // The exchange closes last, so that a fault still gets its answer written.
    try (exchange) {
      try {
        route(exchange);
      } catch (RuntimeException e) {
        JsonLog.error("local gateway fault", "errorType", e.getClass().getName());
        sendJson(exchange, 500, "{\"message\":\"Internal Server Error\"}");
      }
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    if (path.startsWith(CONTROL_PREFIX)) {
      control(exchange, path.substring(CONTROL_PREFIX.length()));
      return;
    }
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    List<String> segments =
        RoutePattern.splitPath(path).stream().map(HttpGateway::decodePath).toList();
    for (RoutePattern route : routes) {
      Optional<Map<String, String>> parameters = route.match(method, segments);
      if (parameters.isPresent()) {
        forward(exchange, route, parameters.get());
        return;
      }
    }
    sendJson(exchange, 404, "{\"message\":\"Not Found\"}");
  }

  private void forward(HttpExchange exchange, RoutePattern route, Map<String, String> parameters)
      throws IOException {
    String event = event(exchange, route, parameters);
    long started = System.nanoTime();
    String output;
    try {
      output = deployment.invoke(route.functionId(), event);
    } catch (FunctionError e) {
      StackTraceElement[] trace = e.getCause().getStackTrace();
      JsonLog.error(
          "function failed",
          "function",
          route.functionId(),
          "routeKey",
          route.routeKey(),
          "errorType",
          e.errorType(),
          "at",
          trace.length > 0 ? trace[0].toString() : "");
      sendJson(exchange, 500, "{\"message\":\"Internal Server Error\"}");
      return;
    }
    int status = respond(exchange, output);
    JsonLog.info(
        "request served",
        "function",
        route.functionId(),
        "routeKey",
        route.routeKey(),
        "status",
        status,
        "millis",
        (System.nanoTime() - started) / 1_000_000);
  }

  /** The payload-format-2.0 event for one request, fields in the order API Gateway sends them. */
  private String event(HttpExchange exchange, RoutePattern route, Map<String, String> parameters)
      throws IOException {
    URI uri = exchange.getRequestURI();
    String rawQuery = Optional.ofNullable(uri.getRawQuery()).orElse("");
    Headers requestHeaders = exchange.getRequestHeaders();
    Map<String, String> headers = new TreeMap<>();
    List<String> cookies = new ArrayList<>();
    requestHeaders.forEach(
        (name, values) -> {
          String lower = name.toLowerCase(Locale.ROOT);
          if (lower.equals("cookie")) {
            // Payload 2.0 moves cookies out of the headers into their own list.
            for (String header : values) {
              for (String cookie : header.split(";")) {
                if (!cookie.isBlank()) {
                  cookies.add(cookie.trim());
                }
              }
            }
          } else {
            headers.merge(lower, String.join(",", values), (left, right) -> left + "," + right);
          }
        });
    String sourceIp = exchange.getRemoteAddress().getAddress().getHostAddress();
    headers.put("x-forwarded-for", sourceIp);
    headers.put("x-forwarded-port", Integer.toString(server.getAddress().getPort()));
    headers.put("x-forwarded-proto", "http");
    String host = headers.getOrDefault("host", uri().getAuthority());
    Instant now = Instant.now();

    ObjectNode event = JSON.createObjectNode();
    event.put("version", "2.0");
    event.put("routeKey", route.routeKey());
    event.put("rawPath", uri.getRawPath());
    event.put("rawQueryString", rawQuery);
    if (!cookies.isEmpty()) {
      cookies.forEach(event.putArray("cookies")::add);
    }
    ObjectNode headerNode = event.putObject("headers");
    headers.forEach(headerNode::put);
    Map<String, String> query = queryParameters(rawQuery);
    if (!query.isEmpty()) {
      ObjectNode queryNode = event.putObject("queryStringParameters");
      query.forEach(queryNode::put);
    }
    ObjectNode context = event.putObject("requestContext");
    context.put("accountId", accountId);
    context.put("apiId", apiId);
    context.put("domainName", host);
    context.put("domainPrefix", host.split("[.:]", 2)[0]);
    ObjectNode http = context.putObject("http");
    http.put("method", exchange.getRequestMethod().toUpperCase(Locale.ROOT));
    http.put("path", uri.getRawPath());
    http.put("protocol", exchange.getProtocol());
    http.put("sourceIp", sourceIp);
    http.put("userAgent", headers.getOrDefault("user-agent", ""));
    context.put("requestId", requestId());
    context.put("routeKey", route.routeKey());
    context.put("stage", "$default");
    context.put("time", REQUEST_TIME.format(now));
    context.put("timeEpoch", now.toEpochMilli());
    if (!parameters.isEmpty()) {
      ObjectNode pathNode = event.putObject("pathParameters");
      parameters.forEach(pathNode::put);
    }
    byte[] body = readAll(exchange.getRequestBody());
    boolean text = isText(headers.get("content-type"));
    if (body.length > 0) {
      event.put(
          "body",
          text
              ? new String(body, StandardCharsets.UTF_8)
              : Base64.getEncoder().encodeToString(body));
    }
    event.put("isBase64Encoded", body.length > 0 && !text);
    return event.toString();
  }

  /** Query parameters decoded, a repeated key's values joined by commas as API Gateway does. */
  static Map<String, String> queryParameters(String rawQuery) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (rawQuery.isEmpty()) {
      return parameters;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String key = decodeQuery(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decodeQuery(pair.substring(equals + 1));
      parameters.merge(key, value, (left, right) -> left + "," + right);
    }
    return parameters;
  }

  // API Gateway passes these media types as text and base64-encodes every other body.
  static boolean isText(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return type.startsWith("text/")
        || type.equals("application/json")
        || type.endsWith("+json")
        || type.equals("application/xml")
        || type.endsWith("+xml")
        || type.equals("application/javascript")
        || type.equals("application/x-www-form-urlencoded");
  }

  /** Writes the function's result as the HTTP answer; returns the status sent. */
  private int respond(HttpExchange exchange, String output) throws IOException {
    JsonNode result = JSON.readTree(output);
    if (result == null || !result.isObject() || !result.has("statusCode")) {
      // API Gateway's reading of a result that is not a response: a 200 with it as JSON body.
      sendJson(exchange, 200, output);
      return 200;
    }
    int status = result.path("statusCode").asInt(200);
    Headers responseHeaders = exchange.getResponseHeaders();
    for (Map.Entry<String, JsonNode> header : result.path("headers").properties()) {
      responseHeaders.set(header.getKey(), header.getValue().asText());
    }
    for (Map.Entry<String, JsonNode> header : result.path("multiValueHeaders").properties()) {
      responseHeaders.remove(header.getKey());
      header.getValue().forEach(value -> responseHeaders.add(header.getKey(), value.asText()));
    }
    result.path("cookies").forEach(cookie -> responseHeaders.add("Set-Cookie", cookie.asText()));
    JsonNode bodyNode = result.path("body");
    byte[] body = new byte[0];
    if (bodyNode.isTextual()) {
      body =
          result.path("isBase64Encoded").asBoolean(false)
              ? Base64.getDecoder().decode(bodyNode.asText())
              : bodyNode.asText().getBytes(StandardCharsets.UTF_8);
    }
    send(exchange, status, body);
    return status;
  }

  private void control(HttpExchange exchange, String command) throws IOException {
    if (!exchange.getRequestMethod().equalsIgnoreCase("POST")) {
      sendJson(exchange, 404, "{\"message\":\"Not Found\"}");
      return;
    }
    if (command.equals("drain")) {
      Duration timeout = DEFAULT_DRAIN;
      String seconds = queryParameters(
              Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse(""))
          .get("timeoutSeconds");
      if (seconds != null) {
        if (!seconds.matches("[0-9]{1,5}")) {
          sendJson(exchange, 400, message("timeoutSeconds must be a whole number of seconds"));
          return;
        }
        timeout = Duration.ofSeconds(Long.parseLong(seconds));
      }
      try {
        deployment.drain(timeout);
        sendJson(exchange, 200, "{\"drained\":true}");
      } catch (IllegalStateException e) {
        sendJson(exchange, 504, message(e.getMessage()));
      }
      return;
    }
    if (command.startsWith("schedules/")) {
      String functionId = decodePath(command.substring("schedules/".length()));
      if (!deployment.hasSchedule(functionId)) {
        sendJson(exchange, 404, message("No function " + functionId + " with a Schedule event"));
        return;
      }
      try {
        sendJson(exchange, 200, deployment.fireSchedule(functionId));
      } catch (FunctionError e) {
        sendJson(exchange, 500, e.toJson());
      }
      return;
    }
    sendJson(exchange, 404, "{\"message\":\"Not Found\"}");
  }

  private static String message(String text) {
    ObjectNode node = JSON.createObjectNode();
    node.put("message", text);
    return node.toString();
  }

  private static void sendJson(HttpExchange exchange, int status, String json)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    send(exchange, status, json.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    boolean noBody =
        body.length == 0
            || status == 204
            || status == 304
            || exchange.getRequestMethod().equalsIgnoreCase("HEAD");
    exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
    if (!noBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }

  private static String requestId() {
    byte[] bytes = new byte[11];
    RANDOM.nextBytes(bytes);
    return Base64.getEncoder().withoutPadding().encodeToString(bytes) + "=";
  }

  private static String decodePath(String segment) {
    // URLDecoder reads '+' as a space, which only holds in query strings.
    return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String decodeQuery(String part) {
    return URLDecoder.decode(part, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
