package dev.spur.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class EventFilesTest {

  private static final PojoSerializer<APIGatewayV2HTTPEvent> HTTP_EVENTS =
      LambdaEventSerializers.serializerFor(
          APIGatewayV2HTTPEvent.class, EventFilesTest.class.getClassLoader());
  private static final PojoSerializer<ScheduledEvent> BUS_EVENTS =
      LambdaEventSerializers.serializerFor(
          ScheduledEvent.class, EventFilesTest.class.getClassLoader());

  private final Template template = Fixtures.projectTemplate();

  private static List<Path> eventFiles() throws IOException {
    try (Stream<Path> files = Files.list(Fixtures.projectRoot().resolve("events"))) {
      return files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
    }
  }

  /** The function a file belongs to: the longest kebab-cased function id its name starts with. */
  private LambdaFunction functionOf(Path file) {
    String name = file.getFileName().toString();
    return template.functions().stream()
        .filter(function -> name.startsWith(kebab(function.id())))
        .max((left, right) -> left.id().length() - right.id().length())
        .orElseThrow(() -> new AssertionError(name + " names no function of the template"));
  }

  private static String kebab(String id) {
    return id.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  @Test
  void everyFunctionHasAtLeastOneEventFile() throws IOException {
    List<String> covered = new ArrayList<>();
    for (Path file : eventFiles()) {
      covered.add(functionOf(file).id());
    }

    for (LambdaFunction function : template.functions()) {
      assertTrue(covered.contains(function.id()), function.id() + " has no event file");
    }
  }

  @Test
  void httpEventFilesNameARouteOfTheirFunctionAndMatchItsPath() throws IOException {
    int checked = 0;
    for (Path file : eventFiles()) {
      LambdaFunction function = functionOf(file);
      if (function.triggers(Trigger.HttpRoute.class).isEmpty()) {
        continue;
      }
      APIGatewayV2HTTPEvent event =
          HTTP_EVENTS.fromJson(Files.readString(file, StandardCharsets.UTF_8));
      String where = file.getFileName().toString();

      Trigger.HttpRoute route =
          function.triggers(Trigger.HttpRoute.class).stream()
              .filter(candidate -> candidate.routeKey().equals(event.getRouteKey()))
              .findFirst()
              .orElseThrow(() -> new AssertionError(where + ": no route " + event.getRouteKey()));
      Optional<Map<String, String>> parameters =
          RoutePattern.of(function.id(), route)
              .match(event.getRequestContext().getHttp().getMethod(),
                  RoutePattern.splitPath(event.getRawPath()));

      assertEquals("2.0", event.getVersion(), where);
      assertEquals(route.routeKey(), event.getRequestContext().getRouteKey(), where);
      assertEquals("$default", event.getRequestContext().getStage(), where);
      assertEquals(event.getRawPath(), event.getRequestContext().getHttp().getPath(), where);
      assertEquals(
          parameters.orElseThrow(() -> new AssertionError(where + ": path does not match")),
          event.getPathParameters() == null ? Map.of() : event.getPathParameters(),
          where);
      for (String header : event.getHeaders().keySet()) {
        assertEquals(header.toLowerCase(Locale.ROOT), header, where);
      }
      assertEquals(
          event.getRawQueryString().isEmpty() ? Map.of() : HttpGateway.queryParameters(
              event.getRawQueryString()),
          event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters(),
          where);
      checked++;
    }
    assertEquals(17, checked);
  }

  @Test
  void busAndScheduleEventFilesAreEventBridgeEnvelopes() throws IOException {
    Map<String, String[]> expected =
        Map.of(
            "issue-reward-conversion-recorded.json", new String[] {"spur", "ConversionRecorded"},
            "reallocate-budget-scheduled.json", new String[] {"aws.events", "Scheduled Event"},
            "redrive-outbox-scheduled.json", new String[] {"aws.events", "Scheduled Event"});

    for (Map.Entry<String, String[]> entry : expected.entrySet()) {
      Path file = Fixtures.projectRoot().resolve("events").resolve(entry.getKey());
      ScheduledEvent event = BUS_EVENTS.fromJson(Files.readString(file, StandardCharsets.UTF_8));

      assertEquals("0", event.getVersion(), entry.getKey());
      assertEquals(entry.getValue()[0], event.getSource(), entry.getKey());
      assertEquals(entry.getValue()[1], event.getDetailType(), entry.getKey());
      assertEquals("123456789012", event.getAccount(), entry.getKey());
      assertTrue(event.getTime() != null, entry.getKey());
    }
    ScheduledEvent conversion =
        BUS_EVENTS.fromJson(
            Files.readString(
                Fixtures.projectRoot().resolve("events/issue-reward-conversion-recorded.json")));
    assertEquals("cmp_spring2027", conversion.getDetail().get("campaignId"));
    assertEquals(Map.of("amount", 12900, "currency", "EUR"),
        conversion.getDetail().get("orderAmount"));
  }
}
