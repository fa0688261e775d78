package dev.spur.local;

import static dev.spur.local.StackFixture.conversionBody;
import static dev.spur.local.StackFixture.number;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import dev.spur.testkit.SentEmail;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Refunds in awkward orders: before the conversion's own event, and of an early referral. */
@ExtendWith(AwsEmulatorExtension.class)
class RefundOrderTest {

  private static StackFixture fixture;
  private static Lifecycle life;

  @BeforeAll
  static void deploy(Emulator emulator) {
    fixture = new StackFixture(emulator, Map.of(), false);
    life = new Lifecycle(fixture);
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  /** Silver at 2 (+20%), Gold at 3 (+50%); a badge at 3 referrals worth 250 points. */
  private static String campaign(String id, int holdDays) {
    return Lifecycle.programCampaign(id, 100_000, holdDays, "", "");
  }

  private static List<SentEmail> to(String address) {
    return fixture.emulator.sentEmails().stream().filter(e -> e.to().contains(address)).toList();
  }

  @Test
  void aRefundThatOvertakesItsConversionPaysAndAnnouncesNothing() {
    String cmp = "cmp_overtake";
    assertEquals(201, fixture.createCampaign(campaign(cmp, 0)).status());
    String code = life.code(cmp, "cus_ovi");
    assertEquals(201, fixture.convert(
        conversionBody(cmp, code, "ord_o1", "cus_ord_o1", 5_000)).status());

    // The refund arrives first, then the conversion's own event, then both again.
    JsonNode refunded = life.refund(cmp, "ord_o1");
    JsonNode late = life.deliver("ConversionRecorded", Lifecycle.ids(cmp, "ord_o1"));
    life.refund(cmp, "ord_o1");
    life.deliver("ConversionRecorded", Lifecycle.ids(cmp, "ord_o1"));

    List<String> wrong = new ArrayList<>();
    if (!to("cus_ovi@example.com").isEmpty()) {
      wrong.add("referrer emailed about a reward of a refunded order: "
          + to("cus_ovi@example.com").stream().map(SentEmail::subject).toList());
    }
    if (!to("cus_ord_o1@example.com").isEmpty()) {
      wrong.add("refunded customer emailed a reward: "
          + to("cus_ord_o1@example.com").stream().map(SentEmail::subject).toList());
    }
    long spent = number(fixture.item("CAMPAIGN#" + cmp, "BUDGET#" + Lifecycle.period() + "#email"),
        "spent");
    if (spent != 0) {
      wrong.add("budget spent " + spent + " on an order refunded before its reward; refund "
          + refunded + ", then " + late);
    }
    if (fixture.item("CAMPAIGN#" + cmp, "PAYOUT#ord_o1#PAID") != null) {
      wrong.add("a payout entry for an order refunded before its reward was settled");
    }
    JsonNode ovi = life.referrer(cmp, "cus_ovi");
    assertEquals(0, ovi.get("referrals").asLong());
    assertEquals(0, ovi.get("points").asLong());
    assertEquals(List.of(), wrong);
  }

  @Test
  void refundingAnEarlyReferralLeavesNoBadgeTheRemainingReferralsDoNotReach() {
    String cmp = "cmp_early";
    assertEquals(201, fixture.createCampaign(campaign(cmp, 14)).status());
    String code = life.code(cmp, "cus_eve");
    life.settle(cmp, code, "ord_e1");
    life.settle(cmp, code, "ord_e2");
    life.settle(cmp, code, "ord_e3");
    assertEquals("BEFORE_PAYOUT", life.refund(cmp, "ord_e1").get("phase").asText());

    // Two paid referrals remain: Silver, 200 points, and no badge earned at three.
    JsonNode eve = life.referrer(cmp, "cus_eve");
    assertEquals(2, eve.get("referrals").asLong());
    assertEquals("Silver", eve.get("tier").asText());
    List<String> badges = new ArrayList<>();
    eve.get("badges").forEach(b -> badges.add(b.asText()));
    assertEquals(List.of(), badges, eve.toString());
    assertEquals(200, eve.get("points").asLong());
    assertEquals(1200 + 500 + 1500 + 500, life.spent(cmp));
  }
}
