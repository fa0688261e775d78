package dev.spur.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spur.local.probes.AnswerHandler;
import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(AwsEmulatorExtension.class)
class HttpGatewayTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .proxy(HttpClient.Builder.NO_PROXY)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private static LocalDeployment deployment;
  private static URI api;

  @BeforeAll
  static void serve(Emulator emulator) {
    deployment = LocalDeployment.create(Fixtures.probeTemplate(), Fixtures.freshPrefix("hg"));
    api = deployment.serveHttp(0);
  }

  @AfterAll
  static void close() {
    deployment.close();
  }

  private static HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static JsonNode echoed(HttpRequest.Builder request) throws Exception {
    HttpResponse<byte[]> response = send(request);
    assertEquals(200, response.statusCode(), new String(response.body()));
    return JSON.readTree(response.body());
  }

  @Test
  void getBecomesThePayloadTwoEventWithPathQueryCookiesAndHeaders() throws Exception {
    JsonNode event =
        echoed(
            HttpRequest.newBuilder(api.resolve("/items/blue%20cup?tag=a&tag=b&empty=&x=%31"))
                .header("Cookie", "session=s1; theme=dark")
                .header("X-Trace-Token", "t-42")
                .header("User-Agent", "probe-agent/1.0")
                .GET());

    assertEquals("2.0", event.get("version").asText());
    assertEquals("GET /items/{itemId}", event.get("routeKey").asText());
    assertEquals("/items/blue%20cup", event.get("rawPath").asText());
    assertEquals("tag=a&tag=b&empty=&x=%31", event.get("rawQueryString").asText());
    assertEquals(List.of("session=s1", "theme=dark"), JSON.convertValue(event.get("cookies"),
        List.class));
    assertEquals(
        Map.of("tag", "a,b", "empty", "", "x", "1"),
        JSON.convertValue(event.get("queryStringParameters"), Map.class));
    assertEquals(
        Map.of("itemId", "blue cup"), JSON.convertValue(event.get("pathParameters"), Map.class));
    JsonNode headers = event.get("headers");
    assertEquals("t-42", headers.get("x-trace-token").asText());
    assertEquals("http", headers.get("x-forwarded-proto").asText());
    assertEquals("127.0.0.1", headers.get("x-forwarded-for").asText());
    assertEquals("127.0.0.1:" + api.getPort(), headers.get("host").asText());
    assertFalse(headers.has("cookie"));
    headers.fieldNames().forEachRemaining(
        name -> assertEquals(name.toLowerCase(java.util.Locale.ROOT), name));
    JsonNode context = event.get("requestContext");
    assertEquals("GET", context.at("/http/method").asText());
    assertEquals("/items/blue%20cup", context.at("/http/path").asText());
    assertEquals("127.0.0.1", context.at("/http/sourceIp").asText());
    assertEquals("probe-agent/1.0", context.at("/http/userAgent").asText());
    assertEquals("HTTP/1.1", context.at("/http/protocol").asText());
    assertEquals("$default", context.get("stage").asText());
    assertEquals("GET /items/{itemId}", context.get("routeKey").asText());
    assertEquals("127.0.0.1:" + api.getPort(), context.get("domainName").asText());
    assertTrue(context.get("timeEpoch").asLong() > 0);
    String time = context.get("time").asText();
    assertTrue(time.matches("\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000"), time);
    assertFalse(event.has("body"));
    assertFalse(event.get("isBase64Encoded").asBoolean());
  }

  @Test
  void literalRouteWinsOverVariableAndGreedyRouteTakesTheRestOfThePath() throws Exception {
    JsonNode special = echoed(HttpRequest.newBuilder(api.resolve("/items/special")).GET());
    JsonNode file =
        echoed(
            HttpRequest.newBuilder(api.resolve("/files/2027/03/report.csv"))
                .DELETE());

    assertEquals("GET /items/special", special.get("routeKey").asText());
    assertFalse(special.has("pathParameters"));
    assertEquals("ANY /files/{path+}", file.get("routeKey").asText());
    assertEquals("DELETE", file.at("/requestContext/http/method").asText());
    assertEquals(
        Map.of("path", "2027/03/report.csv"),
        JSON.convertValue(file.get("pathParameters"), Map.class));
  }

  @Test
  void jsonBodyArrivesAsTextAndBinaryBodyAsBase64() throws Exception {
    byte[] binary = {(byte) 0x89, 'P', 'N', 'G', 0, 1};
    JsonNode json =
        echoed(
            HttpRequest.newBuilder(api.resolve("/items/i1/notes"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"note\":\"hello\"}")));
    JsonNode png =
        echoed(
            HttpRequest.newBuilder(api.resolve("/items/i1/notes"))
                .header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(binary)));

    assertEquals("{\"note\":\"hello\"}", json.get("body").asText());
    assertFalse(json.get("isBase64Encoded").asBoolean());
    assertEquals(Base64.getEncoder().encodeToString(binary), png.get("body").asText());
    assertTrue(png.get("isBase64Encoded").asBoolean());
    assertEquals("POST /items/{itemId}/notes", png.get("routeKey").asText());
  }

  @Test
  void responseBecomesStatusHeadersSetCookiesAndDecodedBody() throws Exception {
    HttpResponse<byte[]> response = send(HttpRequest.newBuilder(api.resolve("/answer")).GET());

    assertEquals(201, response.statusCode());
    assertEquals(List.of("yes"), response.headers().allValues("x-answer"));
    assertEquals(
        List.of("application/octet-stream"), response.headers().allValues("content-type"));
    assertEquals(
        List.of("session=abc; HttpOnly", "theme=dark"),
        response.headers().allValues("set-cookie"));
    assertArrayEquals(AnswerHandler.BODY, response.body());
  }

  @Test
  void unknownRouteAndUnknownMethodAnswerNotFoundLikeApiGateway() throws Exception {
    HttpResponse<byte[]> unknownPath = send(HttpRequest.newBuilder(api.resolve("/nowhere")).GET());
    HttpResponse<byte[]> wrongMethod =
        send(
            HttpRequest.newBuilder(api.resolve("/answer"))
                .POST(HttpRequest.BodyPublishers.noBody()));

    assertEquals(404, unknownPath.statusCode());
    assertEquals("{\"message\":\"Not Found\"}", new String(unknownPath.body()));
    assertEquals(404, wrongMethod.statusCode());
    assertEquals("{\"message\":\"Not Found\"}", new String(wrongMethod.body()));
  }
}
