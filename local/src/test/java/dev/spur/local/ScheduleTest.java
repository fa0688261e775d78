package dev.spur.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(AwsEmulatorExtension.class)
class ScheduleTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
  private static final String PREFIX = Fixtures.freshPrefix("sc");

  private static LocalDeployment deployment;
  private static URI api;

  @BeforeAll
  static void serve(Emulator emulator) {
    deployment = LocalDeployment.create(Fixtures.probeTemplate(), PREFIX);
    deployment.provision();
    deployment.startEventRouting();
    api = deployment.serveHttp(0);
  }

  @AfterAll
  static void close() {
    deployment.close();
  }

  private static HttpResponse<String> post(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(api.resolve(path)).POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void assertScheduledEventReport(JsonNode report) {
    String account = report.get("account").asText();
    assertEquals("Scheduled Event", report.get("detailType").asText());
    assertEquals("aws.events", report.get("source").asText());
    assertEquals(deployment.region(), report.get("region").asText());
    assertEquals(
        List.of(
            "arn:aws:events:" + deployment.region() + ":" + account + ":rule/" + PREFIX
                + "TickerTick"),
        JSON.convertValue(report.get("resources"), List.class));
    assertEquals(Map.of(), JSON.convertValue(report.get("detail"), Map.class));
    assertEquals(true, report.get("hasTime").asBoolean());
    assertEquals(PREFIX + "ProbeTable", report.get("tableName").asText());
    assertEquals("probe@example.com", report.get("senderEmail").asText());
    assertEquals(PREFIX + "Ticker", report.get("functionName").asText());
    assertEquals(512, report.get("memoryLimit").asInt());
    assertEquals(true, report.get("remainingAtMostTimeout").asBoolean());
  }

  @Test
  void fireScheduleInvokesTheFunctionWithAScheduledEventForNow() throws Exception {
    assertScheduledEventReport(JSON.readTree(deployment.fireSchedule("Ticker")));
  }

  @Test
  void localControlRouteFiresTheScheduleAndReturnsItsOutput() throws Exception {
    HttpResponse<String> response = post("/_local/schedules/Ticker");

    assertEquals(200, response.statusCode(), response.body());
    assertScheduledEventReport(JSON.readTree(response.body()));
  }

  @Test
  void functionWithoutScheduleIsRefusedOnBothPaths() throws Exception {
    HttpResponse<String> response = post("/_local/schedules/Echo");
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> deployment.fireSchedule("Echo"));

    assertEquals(404, response.statusCode());
    assertEquals(
        "{\"message\":\"No function Echo with a Schedule event\"}", response.body());
    assertEquals("Echo has no Schedule event", refused.getMessage());
  }

  @Test
  void localDrainRouteAnswersOnceRoutingIsIdle() throws Exception {
    HttpResponse<String> response = post("/_local/drain?timeoutSeconds=10");

    assertEquals(200, response.statusCode());
    assertEquals("{\"drained\":true}", response.body());
  }
}
