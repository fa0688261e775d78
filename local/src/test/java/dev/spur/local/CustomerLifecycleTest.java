package dev.spur.local;

import static dev.spur.local.StackFixture.campaignBody;
import static dev.spur.local.StackFixture.feedbackBody;
import static dev.spur.local.StackFixture.orderBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spur.core.lifecycle.ChannelMetrics;
import dev.spur.core.lifecycle.CohortMetrics;
import dev.spur.core.lifecycle.LifecycleMetrics;
import dev.spur.core.money.Money;
import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A small dated data set of six customers, referred and not, over two channels and orders across
 * 2025 and 2026, and the metrics it must give: CLV, repeat orders, one-year retention and CSAT
 * by cohort, conversion rate, CAC and CLV:CAC by channel, and the referral rate.
 */
@ExtendWith(AwsEmulatorExtension.class)
class CustomerLifecycleTest {

  private static final String CAMPAIGN = "cmp_life";
  // Links made at the start of 2025 (seeded: link creation stamps the present), so that
  // conversions dated in 2025 fall in the 365-day attribution window that runs from creation.
  private static final String EMAIL_A = "a1b2c3d4e5f6g";
  private static final String EMAIL_B = "b2c3d4e5f6g7h";
  private static final String SOCIAL = "c3d4e5f6g7h8j";

  private static StackFixture fixture;

  @BeforeAll
  static void deploy(Emulator emulator) {
    fixture = new StackFixture(emulator);
    String campaign = campaignBody(CAMPAIGN, List.of("email", "social"), 100_000, 0)
        .replace("\"attributionWindowDays\":30", "\"attributionWindowDays\":365");
    assertEquals(201, fixture.createCampaign(campaign).status());
    seedLink(EMAIL_A, "email", "ref_anna", "A");
    seedLink(EMAIL_B, "email", "ref_bert", "B");
    seedLink(SOCIAL, "social", "ref_anna", null);
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  private static void seedLink(String code, String channel, String referrer, String variant) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("PK", AttributeValue.fromS("LINK#" + code));
    item.put("SK", AttributeValue.fromS("LINK"));
    item.put("code", AttributeValue.fromS(code));
    item.put("campaignId", AttributeValue.fromS(CAMPAIGN));
    item.put("channel", AttributeValue.fromS(channel));
    item.put("referrerId", AttributeValue.fromS(referrer));
    item.put("createdAt", AttributeValue.fromS("2025-01-01T00:00:00Z"));
    item.put("clicks", AttributeValue.fromN("0"));
    if (variant != null) {
      item.put("variant", AttributeValue.fromS(variant));
    }
    fixture.dynamo.putItem(b -> b.tableName(fixture.stack.tableName()).item(item));
  }

  private static void convert(String code, String orderId, String customer, long amount,
      String orderedAt) {
    var answer = fixture.convert("""
        {"campaignId":"%s","code":"%s","orderId":"%s",
         "customer":{"id":"%s","email":"%s@example.com"},
         "amount":{"amount":%d,"currency":"EUR"},"orderedAt":"%s"}
        """.formatted(CAMPAIGN, code, orderId, customer, customer, amount, orderedAt));
    assertEquals(201, answer.status(), answer.body().toString());
  }

  private static void order(String orderId, String customer, long amount, String orderedAt) {
    var answer = fixture.order(orderBody(CAMPAIGN, orderId, customer, amount, orderedAt));
    assertEquals(201, answer.status(), answer.body().toString());
  }

  private static void feedback(String customer, int score, String id, String at, int status) {
    var answer = fixture.feedback(feedbackBody(CAMPAIGN, customer, score, id, at));
    assertEquals(status, answer.status(), answer.body().toString());
  }

  private static void report(String reportId, String channel, long amount) {
    var answer = fixture.call("Campaigns", StackFixture.http("POST",
        "POST /campaigns/{campaignId}/spend", "/campaigns/" + CAMPAIGN + "/spend",
        Map.of("campaignId", CAMPAIGN), """
            {"reportId":"%s","channel":"%s","amount":{"amount":%d,"currency":"EUR"}}
            """.formatted(reportId, channel, amount)));
    assertEquals(201, answer.status(), answer.body().toString());
  }

  @Test
  void aSmallDatedDataSetGivesItsCohortAndChannelFiguresExactly() {
    // Clicks are today's, after every order, so attribution runs from the links' creation.
    for (int i = 0; i < 3; i++) {
      assertEquals(302, fixture.click(EMAIL_A).status());
    }
    assertEquals(302, fixture.click(EMAIL_B).status());
    for (int i = 0; i < 4; i++) {
      assertEquals(302, fixture.click(SOCIAL).status());
    }

    // Referred: r1 (email, variant A), r2 (email, variant B), r3 (social, no variant).
    convert(EMAIL_A, "ord_r1_1", "cus_r1", 10_000, "2025-02-10T10:00:00Z");
    order("ord_r1_2", "cus_r1", 6_000, "2026-03-01T09:00:00Z");
    convert(EMAIL_B, "ord_r2_1", "cus_r2", 8_000, "2025-06-15T12:00:00Z");
    order("ord_r2_2", "cus_r2", 4_000, "2025-09-01T00:00:00Z");
    order("ord_r2_3", "cus_r2", 1_000, "2026-12-02T10:00:00Z");
    convert(SOCIAL, "ord_r3_1", "cus_r3", 12_000, "2025-12-20T08:00:00Z");
    order("ord_r3_2", "cus_r3", 3_000, "2026-06-01T15:00:00Z");
    // Not referred. n1's order a year after the first arrives after a later one.
    order("ord_n1_1", "cus_n1", 5_000, "2025-01-05T10:00:00Z");
    order("ord_n1_3", "cus_n1", 1_000, "2026-09-01T10:00:00Z");
    order("ord_n1_2", "cus_n1", 5_000, "2026-01-05T10:00:00Z");
    order("ord_n2_1", "cus_n2", 7_000, "2025-11-30T23:00:00Z");
    order("ord_n2_2", "cus_n2", 2_000, "2026-11-30T01:00:00Z");
    order("ord_n3_1", "cus_n3", 9_000, "2026-02-01T10:00:00Z");
    var refund = fixture.refund("ord_n3_1", StackFixture.refundBody(CAMPAIGN, "rfd_n3", 1_500,
        "2026-02-03T10:00:00Z"));
    assertEquals(201, refund.status(), refund.body().toString());

    // The conversion's order reported again as an order is the same order, not a second one.
    var again = fixture.order(orderBody(CAMPAIGN, "ord_r1_1", "cus_r1", 10_000,
        "2025-02-10T10:00:00Z"));
    assertEquals(200, again.status(), again.body().toString());

    feedback("cus_r1", 5, "fb_r1", "2026-03-02T10:00:00Z", 201);
    feedback("cus_r2", 3, "fb_r2_a", "2025-09-02T10:00:00Z", 201);
    feedback("cus_r2", 4, "fb_r2_b", "2026-01-10T10:00:00Z", 201);
    feedback("cus_r2", 4, "fb_r2_b", "2026-01-10T10:00:00Z", 200);
    feedback("cus_r3", 1, "fb_r3", "2026-06-02T10:00:00Z", 201);
    feedback("cus_n1", 4, "fb_n1", "2026-01-06T10:00:00Z", 201);
    feedback("cus_n2", 4, "fb_n2", "2026-11-30T02:00:00Z", 201);
    feedback("cus_n3", 5, "fb_n3_b", "2026-02-05T10:00:00Z", 201);
    // Submitted before the standing one: kept, but it changes no figure.
    feedback("cus_n3", 2, "fb_n3_a", "2026-02-02T10:00:00Z", 201);

    report("rep_email", "email", 1_000);
    report("rep_social", "social", 2_000);
    fixture.stack.drain(Duration.ofSeconds(60));

    var answer = fixture.metrics(CAMPAIGN, "2026-11-30T12:00:00Z");
    JsonNode body = answer.body();
    LifecycleMetrics metrics = LifecycleMetrics.fromJson(body);
    // Decimals keep their places in the answer, as a table prints them.
    String text = answer.raw().get("body").asText();
    assertTrue(text.contains("\"retention365\":1.0000,"), text);
    assertTrue(text.contains("\"csat\":100.00,\"meanScore\":4.33}"), text);

    assertEquals("2026-11-30T12:00:00Z", body.get("asOf").asText());
    assertEquals(6, metrics.customers());
    assertEquals(2, metrics.referrers());
    decimal("0.3333", metrics.referralRate());
    assertEquals(
        List.of("ALL", "REFERRED", "NOT_REFERRED", "CHANNEL:email", "CHANNEL:social",
            "VARIANT:A", "VARIANT:B"),
        metrics.cohorts().stream().map(CohortMetrics::cohort).toList());

    //          cohort            customers orders  net     clv    repeat    elig kept retention
    sales(metrics, "ALL",            6, 13, 71_500, 11_917, "0.5385");
    sales(metrics, "REFERRED",       3,  7, 44_000, 14_667, "0.5714");
    sales(metrics, "NOT_REFERRED",   3,  6, 27_500,  9_167, "0.5000");
    sales(metrics, "CHANNEL:email",  2,  5, 29_000, 14_500, "0.6000");
    sales(metrics, "CHANNEL:social", 1,  2, 15_000, 15_000, "0.5000");
    sales(metrics, "VARIANT:A",      1,  2, 16_000, 16_000, "0.5000");
    sales(metrics, "VARIANT:B",      1,  3, 13_000, 13_000, "0.6667");

    // As of 2026-11-30 the first orders on or before 2025-11-30 count: r1, r2, n1, n2. r2's
    // order a year on is dated 2026-12-02, after the as-of day.
    retention(metrics, "ALL", 4, 3, "0.7500");
    retention(metrics, "REFERRED", 2, 1, "0.5000");
    retention(metrics, "NOT_REFERRED", 2, 2, "1.0000");
    retention(metrics, "CHANNEL:email", 2, 1, "0.5000");
    retention(metrics, "CHANNEL:social", 0, 0, null);
    retention(metrics, "VARIANT:A", 1, 1, "1.0000");
    retention(metrics, "VARIANT:B", 1, 0, "0.0000");

    //        cohort           responses csat     mean
    csat(metrics, "ALL",            6, "83.33", "3.83");
    csat(metrics, "REFERRED",       3, "66.67", "3.33");
    csat(metrics, "NOT_REFERRED",   3, "100.00", "4.33");
    csat(metrics, "CHANNEL:email",  2, "100.00", "4.50");
    csat(metrics, "CHANNEL:social", 1, "0.00", "1.00");
    csat(metrics, "VARIANT:A",      1, "100.00", "5.00");
    csat(metrics, "VARIANT:B",      1, "100.00", "4.00");

    // Rewards paid 15.00 a conversion (10.00 cash and a 5.00 discount) plus external spend.
    ChannelMetrics email = metrics.channels().get(0);
    assertEquals("email", email.channel());
    assertEquals(4, email.clicks());
    assertEquals(2, email.conversions());
    decimal("0.5000", email.conversionRate());
    assertEquals(new Money(2_000, "EUR"), email.cac());
    assertEquals(new Money(14_500, "EUR"), email.clv());
    decimal("7.25", email.clvToCac());
    ChannelMetrics social = metrics.channels().get(1);
    assertEquals("social", social.channel());
    assertEquals(4, social.clicks());
    assertEquals(1, social.conversions());
    decimal("0.2500", social.conversionRate());
    assertEquals(new Money(3_500, "EUR"), social.cac());
    assertEquals(new Money(15_000, "EUR"), social.clv());
    decimal("4.29", social.clvToCac());
    assertEquals(1, body.at("/channels/1/customers").asLong());
    assertEquals(3_500, body.at("/channels/1/spend/amount").asLong());
    assertEquals(1_500, body.at("/channels/1/rewardsPaid/amount").asLong());

    // Later as-of instants take in more: r2's order of 2026-12-02.
    LifecycleMetrics later =
        LifecycleMetrics.fromJson(fixture.metrics(CAMPAIGN, "2026-12-03T00:00:00Z").body());
    retention(later, "ALL", 4, 4, "1.0000");
    retention(later, "VARIANT:B", 1, 1, "1.0000");
    // Early in 2026 only n1 had a first order a year back, and the order that retains them is
    // the one of 2026-01-05, though it was reported after the one of 2026-09-01.
    LifecycleMetrics early =
        LifecycleMetrics.fromJson(fixture.metrics(CAMPAIGN, "2026-02-01T00:00:00Z").body());
    retention(early, "ALL", 1, 1, "1.0000");
    retention(early, "REFERRED", 0, 0, null);

    Map<String, AttributeValue> customer = fixture.item("CAMPAIGN#" + CAMPAIGN,
        "CUSTOMER#cus_r1");
    assertEquals("REFERRED", customer.get("origin").s());
    assertEquals("email", customer.get("channel").s());
    assertEquals("A", customer.get("variant").s());
    assertEquals("2026-03-01", customer.get("retainedOn").s());
    assertEquals("A",
        fixture.item("CAMPAIGN#" + CAMPAIGN, "CONVERSION#ord_r1_1").get("variant").s());
    assertNull(fixture.item("CAMPAIGN#" + CAMPAIGN, "CONVERSION#ord_r3_1").get("variant"));
    assertEquals("NOT_REFERRED",
        fixture.item("CAMPAIGN#" + CAMPAIGN, "CUSTOMER#cus_n1").get("origin").s());
  }

  private static CohortMetrics cohort(LifecycleMetrics metrics, String name) {
    return metrics.cohorts().stream().filter(c -> c.cohort().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no cohort " + name));
  }

  private static void sales(LifecycleMetrics metrics, String name, long customers, long orders,
      long net, long clv, String repeatShare) {
    CohortMetrics cohort = cohort(metrics, name);
    assertEquals(customers, cohort.customers(), name);
    assertEquals(orders, cohort.orders(), name);
    assertEquals(new Money(net, "EUR"), cohort.netRevenue(), name);
    assertEquals(new Money(clv, "EUR"), cohort.clv(), name);
    decimal(repeatShare, cohort.repeatOrderShare());
  }

  private static void retention(LifecycleMetrics metrics, String name, long eligible,
      long retained, String rate) {
    CohortMetrics cohort = cohort(metrics, name);
    assertEquals(eligible, cohort.retentionEligible(), name);
    assertEquals(retained, cohort.retained(), name);
    decimal(rate, cohort.retention365());
  }

  private static void csat(LifecycleMetrics metrics, String name, long responses, String csat,
      String mean) {
    CohortMetrics cohort = cohort(metrics, name);
    assertEquals(responses, cohort.csatResponses(), name);
    decimal(csat, cohort.csat());
    decimal(mean, cohort.meanScore());
  }

  /** The JSON number read back may drop trailing zeros; its value must be the one written. */
  static void decimal(String expected, BigDecimal actual) {
    if (expected == null) {
      assertNull(actual);
      return;
    }
    assertEquals(0, new BigDecimal(expected).compareTo(actual), expected + " but was " + actual);
  }
}
