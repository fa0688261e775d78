package dev.spur.local;

import static dev.spur.local.StackFixture.campaignBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spur.core.log.Log;
import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The functions' log lines name ids and figures, never an address or a name. */
@ExtendWith(AwsEmulatorExtension.class)
class LogPrivacyTest {

  private static StackFixture fixture;

  @BeforeAll
  static void deploy(Emulator emulator) {
    fixture = new StackFixture(emulator);
  }

  @AfterAll
  static void tearDown() {
    Log.redirect(System.out);
    fixture.close();
  }

  @Test
  void aReferralFromLinkToRewardEmailsLogsNoAddress() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    Log.redirect(new PrintStream(captured, true, StandardCharsets.UTF_8));

    assertEquals(201, fixture.createCampaign(campaignBody("cmp_quiet", List.of("email"), 10_000,
        0)).status());
    String code = fixture.link("""
        {"campaignId":"cmp_quiet","channel":"email",
         "referrer":{"id":"cus_quinn","email":"quinn.private@example.org"}}
        """).body().get("code").asText();
    fixture.click(code);
    assertEquals(201, fixture.convert("""
        {"campaignId":"cmp_quiet","code":"%s","orderId":"ord_q1",
         "customer":{"id":"cus_rhea","email":"rhea.private@example.org"},
         "amount":{"amount":4200,"currency":"EUR"}}
        """.formatted(code)).status());
    assertEquals(400, fixture.convert("""
        {"campaignId":"cmp_quiet","code":"%s","orderId":"ord_q2",
         "customer":{"id":"cus_sia","email":"sia.private@example"},
         "amount":{"amount":4200,"currency":"EUR"}}
        """.formatted(code)).status());
    fixture.stack.drain(Duration.ofSeconds(60));
    Log.redirect(System.out);

    String lines = captured.toString(StandardCharsets.UTF_8);
    assertTrue(lines.contains("\"event\":\"reward.email-sent\""), lines);
    assertTrue(lines.contains("\"event\":\"conversion.recorded\""), lines);
    assertFalse(lines.contains("@"), lines);
    assertFalse(lines.contains("private"), lines);
  }
}
