package dev.spur.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RoutingRulesTest {

  private static RoutePattern route(String method, String path) {
    return RoutePattern.of("Fn", new Trigger.HttpRoute("E", method, path, null));
  }

  @Test
  void pathVariablesTakeOneSegmentAndGreedyVariablesTakeTheRest() {
    assertEquals(
        Optional.of(Map.of("campaignId", "cmp_1")),
        route("GET", "/campaigns/{campaignId}/metrics")
            .match("GET", List.of("campaigns", "cmp_1", "metrics")));
    assertEquals(
        Optional.empty(),
        route("GET", "/campaigns/{campaignId}").match("GET", List.of("campaigns", "a", "b")));
    assertEquals(
        Optional.of(Map.of("path", "a/b/c.txt")),
        route("ANY", "/files/{path+}").match("DELETE", List.of("files", "a", "b", "c.txt")));
    assertEquals(
        Optional.empty(), route("POST", "/links").match("GET", List.of("links")));
  }

  @Test
  void mostSpecificRouteComesFirst() {
    List<RoutePattern> sorted =
        List.of(
                route("ANY", "$default"),
                route("ANY", "/items/{id}"),
                route("GET", "/items/{id}"),
                route("GET", "/items/special"),
                route("ANY", "/items/{rest+}"))
            .stream()
            .sorted(RoutePattern.MOST_SPECIFIC_FIRST)
            .toList();

    assertEquals(
        List.of(
            "GET /items/special",
            "GET /items/{id}",
            "ANY /items/{id}",
            "ANY /items/{rest+}",
            "$default"),
        sorted.stream().map(RoutePattern::routeKey).toList());
  }

  @Test
  void repeatedQueryKeysAreJoinedWithCommasAndValuesDecoded() {
    assertEquals(
        Map.of("tag", "a,b c", "empty", "", "x", "1"),
        HttpGateway.queryParameters("tag=a&tag=b+c&empty=&x=%31"));
    assertEquals(Map.of(), HttpGateway.queryParameters(""));
  }

  @Test
  void textMediaTypesPassAsTextAndOthersAsBase64() {
    assertTrue(HttpGateway.isText("application/json; charset=utf-8"));
    assertTrue(HttpGateway.isText("application/problem+json"));
    assertTrue(HttpGateway.isText("text/plain"));
    assertFalse(HttpGateway.isText("application/octet-stream"));
    assertFalse(HttpGateway.isText("image/png"));
    assertFalse(HttpGateway.isText(null));
  }

  @Test
  void rateExpressionsParseAndCronIsRefusedWithTheWayToFireIt() {
    assertEquals(Duration.ofMinutes(15), ScheduleRate.parse("rate(15 minutes)").period());
    assertEquals(Duration.ofHours(1), ScheduleRate.parse("rate(1 hour)").period());
    assertEquals(Duration.ofDays(2), ScheduleRate.parse("rate(2 days)").period());

    IllegalArgumentException cron =
        assertThrows(
            IllegalArgumentException.class, () -> ScheduleRate.parse("cron(0 12 * * ? *)"));
    IllegalArgumentException zero =
        assertThrows(IllegalArgumentException.class, () -> ScheduleRate.parse("rate(0 minutes)"));

    assertEquals(
        "Schedule cron(0 12 * * ? *) is a cron expression; the local stack only runs rate(...)"
            + " schedules by itself. Fire it with POST /_local/schedules/{functionId}.",
        cron.getMessage());
    assertEquals("Schedule rate(0 minutes) needs a positive rate", zero.getMessage());
  }
}
