package dev.spur.local;

import static dev.spur.local.StackFixture.campaignBody;
import static dev.spur.local.StackFixture.linkBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Velocity per customer device and per IP address: too many conversions from one device in an
 * hour hold the next reward for review; an address alone never does, however many customers
 * share it, but past its limit it halves the device's. Neither is stored or logged as sent.
 */
@ExtendWith(AwsEmulatorExtension.class)
class DeviceVelocityTest {

  private static StackFixture fixture;

  @BeforeAll
  static void deploy(Emulator emulator) {
    fixture = new StackFixture(emulator, Map.of(), false);
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  private static String campaign(String id) {
    return campaignBody(id, List.of("email"), 1_000_000, 0).replace("\"period\":\"MONTH\"",
        "\"period\":\"MONTH\",\"limits\":{\"conversionsPerDevicePerHour\":2,"
            + "\"conversionsPerIpPerHour\":3}");
  }

  private static String conversion(String campaignId, String code, String orderId,
      String device, String ip) {
    return """
        {"campaignId":"%s","code":"%s","orderId":"%s",
         "customer":{"id":"cus_%s","email":"cus_%s@example.com","deviceId":"%s","ip":"%s"},
         "amount":{"amount":3000,"currency":"EUR"}}
        """.formatted(campaignId, code, orderId, orderId, orderId, device, ip);
  }

  private static String settle(String campaignId, String body, String orderId) {
    StackFixture.Response recorded = fixture.convert(body);
    assertEquals(201, recorded.status(), recorded.body().toString());
    JsonNode out = StackFixture.read(fixture.stack.invoke("IssueReward",
        StackFixture.busEvent("ConversionRecorded",
            "{\"campaignId\":\"%s\",\"orderId\":\"%s\"}".formatted(campaignId, orderId))));
    return out.get("outcome").asText() + (out.has("reason") ? " " + out.get("reason").asText()
        : "");
  }

  private static String code(String campaignId, String referrer) {
    String code = fixture.link(linkBody(campaignId, "email", referrer)).body().get("code")
        .asText();
    fixture.click(code);
    return code;
  }

  @Test
  void aDevicePastItsLimitHasTheNextRewardHeld() {
    assertEquals(201, fixture.createCampaign(campaign("cmp_device")).status());
    List<String> outcomes = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      // Three referrers, so only the device repeats.
      String code = code("cmp_device", "cus_dr" + i);
      outcomes.add(settle("cmp_device",
          conversion("cmp_device", code, "ord_d" + i, "dev-7Hq2", "198.51.100." + i),
          "ord_d" + i));
    }
    assertEquals(List.of("ISSUED", "ISSUED", "HELD DEVICE_VELOCITY"), outcomes);

    var item = fixture.item("CAMPAIGN#cmp_device", "CONVERSION#ord_d1");
    assertEquals(64, item.get("deviceDigest").s().length());
    assertFalse(item.toString().contains("dev-7Hq2"), "the device id is kept as a digest");
    assertFalse(item.toString().contains("198.51.100.1"), "the address is kept as a digest");
  }

  @Test
  void anAddressAloneHoldsNothingButHalvesTheDeviceLimitPastItsOwn() {
    assertEquals(201, fixture.createCampaign(campaign("cmp_ip")).status());
    List<String> outcomes = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      String code = code("cmp_ip", "cus_ir" + i);
      // Six customers behind one address, each on a device of their own.
      outcomes.add(settle("cmp_ip",
          conversion("cmp_ip", code, "ord_i" + i, "dev-own-" + i, "2001:db8::42"), "ord_i" + i));
    }
    assertEquals(List.of("ISSUED", "ISSUED", "ISSUED", "ISSUED", "ISSUED", "ISSUED"), outcomes);

    // Past the address's limit, a device seen twice is one too many.
    String code = code("cmp_ip", "cus_ir7");
    assertEquals("ISSUED", settle("cmp_ip",
        conversion("cmp_ip", code, "ord_i7", "dev-shared", "2001:db8::42"), "ord_i7"));
    String another = code("cmp_ip", "cus_ir8");
    assertEquals("HELD DEVICE_VELOCITY_SHARED_IP", settle("cmp_ip",
        conversion("cmp_ip", another, "ord_i8", "dev-shared", "2001:db8::42"), "ord_i8"));
  }

  @Test
  void aMalformedDeviceOrAddressIsA400NamingItAndWritesNothing() {
    assertEquals(201, fixture.createCampaign(campaign("cmp_badip")).status());
    String code = code("cmp_badip", "cus_br");
    int before = fixture.itemCount();
    StackFixture.Response answer = fixture.convert(
        conversion("cmp_badip", code, "ord_b1", "dev one", "300.1.2.3"));
    assertEquals(400, answer.status());
    List<String> fields = new ArrayList<>();
    answer.body().get("errors").forEach(e -> fields.add(e.get("field").asText()));
    assertEquals(List.of("customer.deviceId", "customer.ip"), fields);
    assertEquals(before, fixture.itemCount());
  }
}
