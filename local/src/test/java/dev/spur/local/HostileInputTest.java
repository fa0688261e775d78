package dev.spur.local;

import static dev.spur.local.StackFixture.campaignBody;
import static dev.spur.local.StackFixture.conversionBody;
import static dev.spur.local.StackFixture.linkBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Input that arrives oddly but legitimately is parsed; input that is wrong gets a 4xx problem;
 * nothing gets a 5xx, and nothing refused writes an item.
 */
@ExtendWith(AwsEmulatorExtension.class)
class HostileInputTest {

  private static StackFixture fixture;
  private static String code;

  @BeforeAll
  static void deploy(Emulator emulator) {
    fixture = new StackFixture(emulator);
    assertEquals(201, fixture.createCampaign(
        campaignBody("cmp_odd", List.of("email"), 100_000, 0)).status());
    code = fixture.link(linkBody("cmp_odd", "email", "cus_olga")).body().get("code").asText();
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  private static ObjectNode conversionEvent(String body) {
    return (ObjectNode) StackFixture.read(StackFixture.http("POST", "POST /conversions",
        "/conversions", Map.of(), body));
  }

  private static StackFixture.Response refusedWithoutWrites(String function, String event) {
    fixture.stack.drain(Duration.ofSeconds(60));
    int items = fixture.itemCount();
    StackFixture.Response response = fixture.call(function, event);
    assertTrue(response.status() >= 400 && response.status() < 500,
        response.status() + " " + response.body());
    assertEquals("application/problem+json", response.headers().path("content-type").asText());
    assertEquals(items, fixture.itemCount(), "no item written");
    return response;
  }

  @Test
  void aBase64BodyIsDecodedAndAnAbsentOrEmptyOneIsA400() {
    ObjectNode encoded = conversionEvent(null);
    encoded.put("body", Base64.getEncoder().encodeToString(
        conversionBody("cmp_odd", code, "ord_b64", "cus_b64", 500)
            .getBytes(StandardCharsets.UTF_8)));
    encoded.put("isBase64Encoded", true);
    assertEquals(201, fixture.call("TrackConversion", encoded.toString()).status());

    assertEquals("body", refusedWithoutWrites("TrackConversion", conversionEvent(null).toString())
        .body().at("/errors/0/field").asText());
    assertEquals("body", refusedWithoutWrites("TrackConversion", conversionEvent("").toString())
        .body().at("/errors/0/field").asText());
    ObjectNode broken = conversionEvent(null);
    broken.put("body", "%%% not base64 %%%");
    broken.put("isBase64Encoded", true);
    assertEquals("body", refusedWithoutWrites("TrackConversion", broken.toString())
        .body().at("/errors/0/field").asText());
  }

  @Test
  void theReferralCodeMayComeOnlyInTheCookiesArray() {
    var click = fixture.click(code);
    String cookie = click.raw().get("cookies").get(0).asText();
    String value = cookie.substring(0, cookie.indexOf(';'));
    ObjectNode event = conversionEvent(conversionBody("cmp_odd", code, "ord_ck", "cus_ck", 700)
        .replace("\"code\":\"" + code + "\",", ""));
    event.putArray("cookies").add("theme=dark").add(value);

    var answer = fixture.call("TrackConversion", event.toString());

    assertEquals(201, answer.status(), answer.body().toString());
    assertEquals(code, answer.body().get("code").asText());
  }

  @Test
  void repeatedQueryKeysAndUnknownFieldsAreTolerated() {
    String event = StackFixture.http("GET", "GET /r/{code}", "/r/" + code, Map.of("code", code),
        null).replace("\"rawQueryString\":\"\"", "\"rawQueryString\":\"utm=a&utm=b\"");
    var click = fixture.call("TrackClick", event);
    assertEquals(302, click.status());
    assertTrue(click.headers().get("location").asText().endsWith("&utm=a&utm=b"));

    var extra = fixture.convert(conversionBody("cmp_odd", code, "ord_x", "cus_x", 900)
        .replace("{\"campaignId\"", "{\"coupon\":\"SPRING\",\"campaignId\""));
    assertEquals(201, extra.status());
  }

  @Test
  void aRestApiPayloadSentToAnHttpApiRouteIsNeverAServerError() {
    String restEvent = """
        {"resource":"/campaigns/{campaignId}","path":"/campaigns/cmp_odd","httpMethod":"GET",
         "headers":{"Accept":"application/json"},"pathParameters":{"campaignId":"cmp_odd"},
         "requestContext":{"resourcePath":"/campaigns/{campaignId}","httpMethod":"GET",
           "stage":"prod","requestId":"c6af9ac6-7b61-11e6-9a41-93e8deadbeef"},
         "body":null,"isBase64Encoded":false}
        """;
    var answer = fixture.call("Campaigns", restEvent);
    assertEquals(404, answer.status(), answer.body().toString());
    assertEquals("application/problem+json", answer.headers().get("content-type").asText());
  }

  @Test
  void theLifecycleRoutesTakeBase64AndRefuseAbsentEmptyHugeAndRestPayloads() {
    ObjectNode encoded = (ObjectNode) StackFixture.read(StackFixture.http("POST", "POST /orders",
        "/orders", Map.of(), null));
    encoded.put("body", Base64.getEncoder().encodeToString(
        StackFixture.orderBody("cmp_odd", "ord_b64_order", "cus_b64_order", 500,
                "2026-01-01T00:00:00Z")
            .getBytes(StandardCharsets.UTF_8)));
    encoded.put("isBase64Encoded", true);
    assertEquals(201, fixture.call("Customers", encoded.toString()).status());

    String huge = "{\"campaignId\":\"cmp_odd\",\"pad\":\"" + "x".repeat(1_000_000) + "\"}";
    for (String body : java.util.Arrays.asList(null, "", huge, "\"an order\"")) {
      for (String[] route : List.of(
          new String[] {"POST /orders", "/orders"},
          new String[] {"POST /feedback", "/feedback"})) {
        String event = StackFixture.http("POST", route[0], route[1], Map.of(), body);
        assertEquals("body", refusedWithoutWrites("Customers", event).body()
            .at("/errors/0/field").asText());
      }
      String refund = StackFixture.http("POST", "POST /orders/{orderId}/refunds",
          "/orders/ord_b64/refunds", Map.of("orderId", "ord_b64"), body);
      assertEquals("body", refusedWithoutWrites("Customers", refund).body()
          .at("/errors/0/field").asText());
    }

    String restEvent = """
        {"resource":"/orders","path":"/orders","httpMethod":"POST",
         "headers":{"Content-Type":"application/json"},
         "requestContext":{"resourcePath":"/orders","httpMethod":"POST","stage":"prod",
           "requestId":"c6af9ac6-7b61-11e6-9a41-93e8deadbeef"},
         "body":"{}","isBase64Encoded":false}
        """;
    assertEquals(404, refusedWithoutWrites("Customers", restEvent).status());
    for (String odd : List.of("\ud83d\ude00", "\u202eord", "ord\u0000x", "o".repeat(1_000))) {
      String refund = StackFixture.http("POST", "POST /orders/{orderId}/refunds",
          "/orders/x/refunds", Map.of("orderId", odd),
          StackFixture.refundBody("cmp_odd", "rfd_odd", 100, "2026-01-02T00:00:00Z"));
      assertEquals("orderId", refusedWithoutWrites("Customers", refund).body()
          .at("/errors/0/field").asText());
    }
  }

  @Test
  void aHugeBodyIsA400NamingTheBody() {
    String huge = "{\"campaignId\":\"cmp_odd\",\"pad\":\"" + "x".repeat(1_000_000) + "\"}";
    assertEquals("body", refusedWithoutWrites("TrackConversion", conversionEvent(huge).toString())
        .body().at("/errors/0/field").asText());
  }

  @Test
  void oddCodesAreUnknownAndOtherLetterCaseIsTheSameCode() {
    for (String odd : List.of("\ud83d\ude00\ud83d\ude00\ud83d\ude00abcdefghij",
        "\u202eabcdefghijkl", "abcdef\u0000ghijkl", "a".repeat(1_000), "")) {
      String event = StackFixture.http("GET", "GET /r/{code}", "/r/x", Map.of("code", odd), null);
      assertEquals("code", refusedWithoutWrites("TrackClick", event).body()
          .at("/errors/0/field").asText());
    }
    assertEquals(302, fixture.click(code.toUpperCase()).status());
  }

  @Test
  void scheduledEventsRunWhateverTheirDetailHolds() {
    String object = scheduled("{\"note\":\"anything\"}");
    String absent = scheduled(null);
    String text = scheduled("\"a string, not an object\"");
    for (String event : List.of(object, absent, text)) {
      JsonNode outbox = StackFixture.read(fixture.stack.invoke("RedriveOutbox", event));
      assertTrue(outbox.has("published"), outbox.toString());
      JsonNode budget = StackFixture.read(fixture.stack.invoke("ReallocateBudget", event));
      assertTrue(budget.get("complete").asBoolean(), budget.toString());
    }
  }

  private static String scheduled(String detail) {
    return """
        {"version":"0","id":"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa","detail-type":"Scheduled Event",
         "source":"aws.events","account":"123456789012","time":"2026-12-04T12:00:00Z",
         "region":"us-east-1","resources":["arn:aws:events:us-east-1:123456789012:rule/r"]%s}
        """.formatted(detail == null ? "" : ",\"detail\":" + detail);
  }
}
