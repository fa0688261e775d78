package dev.spur.local;

import static dev.spur.local.StackFixture.campaignBody;
import static dev.spur.local.StackFixture.conversionBody;
import static dev.spur.local.StackFixture.linkBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(AwsEmulatorExtension.class)
class IdempotencyKeyTest {

  private static StackFixture fixture;
  private static String code;

  @BeforeAll
  static void deploy(Emulator emulator) {
    fixture = new StackFixture(emulator);
    assertEquals(201, fixture.createCampaign(
        campaignBody("cmp_keys", List.of("email"), 10_000, 0)).status());
    code = fixture.link(linkBody("cmp_keys", "email", "cus_kai")).body().get("code").asText();
    fixture.click(code);
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  private static StackFixture.Response convert(String key, String body) {
    return fixture.call("TrackConversion", StackFixture.http("POST", "POST /conversions",
        "/conversions", Map.of(), body, Map.of("Idempotency-Key", key)));
  }

  @Test
  void aRepeatWithTheSameKeyReplaysTheFirstAnswerAndWritesNothing() {
    String body = conversionBody("cmp_keys", code, "ord_k1", "cus_k1", 2_000);
    var first = convert("6f1c2a9e-key-1", body);
    fixture.stack.drain(Duration.ofSeconds(60));
    int items = fixture.itemCount();

    var again = convert("6f1c2a9e-key-1", body);

    assertEquals(201, first.status());
    assertEquals(201, again.status());
    assertEquals(first.body(), again.body());
    assertEquals("true", again.headers().get("idempotent-replayed").asText());
    assertFalse(first.headers().has("idempotent-replayed"));
    assertEquals(items, fixture.itemCount());
  }

  @Test
  void theSameKeyWithAnotherBodyIsAConflictNamingTheHeader() {
    assertEquals(201, convert("key-2", conversionBody("cmp_keys", code, "ord_k2", "cus_k2",
        2_000)).status());
    fixture.stack.drain(Duration.ofSeconds(60));
    int items = fixture.itemCount();

    var other = convert("key-2", conversionBody("cmp_keys", code, "ord_k3", "cus_k3", 2_000));

    assertEquals(409, other.status());
    assertEquals("Idempotency-Key", other.body().at("/errors/0/field").asText());
    assertEquals(items, fixture.itemCount());
  }

  @Test
  void aMalformedKeyIsA400NamingTheHeader() {
    int items = fixture.itemCount();

    var answer = convert("not a key!", conversionBody("cmp_keys", code, "ord_k4", "cus_k4", 1));

    assertEquals(400, answer.status());
    assertEquals("Idempotency-Key", answer.body().at("/errors/0/field").asText());
    assertEquals(items, fixture.itemCount());
  }
}
