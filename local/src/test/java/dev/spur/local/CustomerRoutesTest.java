package dev.spur.local;

import static dev.spur.local.StackFixture.campaignBody;
import static dev.spur.local.StackFixture.conversionBody;
import static dev.spur.local.StackFixture.feedbackBody;
import static dev.spur.local.StackFixture.linkBody;
import static dev.spur.local.StackFixture.orderBody;
import static dev.spur.local.StackFixture.refundBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The order, refund and feedback routes one by one: what they answer, what they write, what
 * they refuse, and that a retry is always safe.
 */
@ExtendWith(AwsEmulatorExtension.class)
class CustomerRoutesTest {

  private static final String CAMPAIGN = "cmp_cust";

  private static StackFixture fixture;
  private static String code;
  private static String refunds;

  @BeforeAll
  static void deploy(Emulator emulator) {
    fixture = new StackFixture(emulator);
    assertEquals(201, fixture.createCampaign(
        campaignBody(CAMPAIGN, List.of("email"), 100_000, 0)).status());
    code = fixture.link(linkBody(CAMPAIGN, "email", "cus_rita")).body().get("code").asText();
    fixture.click(code);
    refunds = fixture.watchBus("OrderRefunded");
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  /** Checks the answer's status, problem type and fields, and that nothing was written. */
  private static JsonNode refused(int status, List<String> fields,
      Supplier<StackFixture.Response> call) {
    fixture.stack.drain(Duration.ofSeconds(60));
    int before = fixture.itemCount();
    StackFixture.Response response = call.get();
    assertEquals(status, response.status(), response.body().toString());
    assertEquals("application/problem+json", response.headers().get("content-type").asText());
    JsonNode problem = response.body();
    assertEquals(status, problem.get("status").asInt());
    assertTrue(problem.get("type").asText().startsWith("urn:spur:problem:"));
    List<String> named = new ArrayList<>();
    problem.path("errors").forEach(error -> named.add(error.get("field").asText()));
    assertEquals(fields, named);
    assertEquals(before, fixture.itemCount(), "no item written");
    return problem;
  }

  private static JsonNode all(String campaignId) {
    for (JsonNode cohort : fixture.metrics(campaignId).body().get("cohorts")) {
      if (cohort.get("cohort").asText().equals("ALL")) {
        return cohort;
      }
    }
    throw new AssertionError("no cohort ALL");
  }

  @Test
  void aRepeatOrderRaisesTheCustomersLifetimeValue() {
    assertEquals(201, fixture.createCampaign(
        campaignBody("cmp_clv", List.of("email"), 10_000, 0)).status());
    var first = fixture.order(orderBody("cmp_clv", "ord_c1", "cus_c1", 3_000,
        "2026-10-01T10:00:00Z"));
    assertEquals(201, first.status(), first.body().toString());
    assertEquals("RECORDED", first.body().get("status").asText());
    assertEquals(3_000, all("cmp_clv").at("/clv/amount").asLong());

    assertEquals(201, fixture.order(orderBody("cmp_clv", "ord_c2", "cus_c2", 5_000,
        "2026-10-02T10:00:00Z")).status());
    assertEquals(4_000, all("cmp_clv").at("/clv/amount").asLong());

    assertEquals(201, fixture.order(orderBody("cmp_clv", "ord_c3", "cus_c1", 2_501,
        "2026-10-20T10:00:00Z")).status());

    JsonNode cohort = all("cmp_clv");
    assertEquals(2, cohort.get("customers").asLong());
    assertEquals(3, cohort.get("orders").asLong());
    assertEquals(10_501, cohort.at("/netRevenue/amount").asLong());
    // 105.01 over two customers is 52.505, rounded half up.
    assertEquals(5_251, cohort.at("/clv/amount").asLong());
    assertEquals("EUR", cohort.at("/clv/currency").asText());
    assertEquals(0.3333, cohort.get("repeatOrderShare").asDouble());
    assertEquals(2, StackFixture.number(
        fixture.item("CAMPAIGN#cmp_clv", "CUSTOMER#cus_c1"), "orders"));
  }

  @Test
  void theSameOrderAgainIsReplayedAndOtherFiguresUnderItsIdAreAConflict() {
    String body = orderBody(CAMPAIGN, "ord_same", "cus_same", 4_200, "2026-09-01T10:00:00Z");
    var first = fixture.order(body);
    assertEquals(201, first.status(), first.body().toString());
    fixture.stack.drain(Duration.ofSeconds(60));
    int items = fixture.itemCount();

    var again = fixture.order(body);

    assertEquals(200, again.status());
    assertEquals(first.body(), again.body());
    assertEquals(items, fixture.itemCount());
    refused(409, List.of("orderId"), () -> fixture.order(
        orderBody(CAMPAIGN, "ord_same", "cus_same", 4_300, "2026-09-01T10:00:00Z")));
    refused(409, List.of("orderId"), () -> fixture.order(
        orderBody(CAMPAIGN, "ord_same", "cus_other", 4_200, "2026-09-01T10:00:00Z")));
  }

  @Test
  void theIdempotencyKeyReplaysTheFirstAnswerAndRefusesAnotherBody() {
    String body = orderBody(CAMPAIGN, "ord_key", "cus_key", 1_000, "2026-09-02T10:00:00Z");
    var first = fixture.call("Customers", StackFixture.http("POST", "POST /orders", "/orders",
        Map.of(), body, Map.of("Idempotency-Key", "order-key-1")));
    fixture.stack.drain(Duration.ofSeconds(60));
    int items = fixture.itemCount();

    var again = fixture.call("Customers", StackFixture.http("POST", "POST /orders", "/orders",
        Map.of(), body, Map.of("Idempotency-Key", "order-key-1")));
    var other = fixture.call("Customers", StackFixture.http("POST", "POST /orders", "/orders",
        Map.of(), body.replace("1000", "1001"), Map.of("Idempotency-Key", "order-key-1")));

    assertEquals(201, first.status());
    assertFalse(first.headers().has("idempotent-replayed"));
    assertEquals(201, again.status());
    assertEquals("true", again.headers().get("idempotent-replayed").asText());
    assertEquals(first.body(), again.body());
    assertEquals(409, other.status());
    assertEquals("Idempotency-Key", other.body().at("/errors/0/field").asText());
    assertEquals(items, fixture.itemCount());

    String refund = refundBody(CAMPAIGN, "rfd_key", 100, "2026-09-03T10:00:00Z");
    var refunded = fixture.call("Customers", StackFixture.http("POST",
        "POST /orders/{orderId}/refunds", "/orders/ord_key/refunds", Map.of("orderId",
            "ord_key"), refund, Map.of("Idempotency-Key", "refund-key-1")));
    var refundAgain = fixture.call("Customers", StackFixture.http("POST",
        "POST /orders/{orderId}/refunds", "/orders/ord_key/refunds", Map.of("orderId",
            "ord_key"), refund, Map.of("Idempotency-Key", "refund-key-1")));
    assertEquals(201, refunded.status(), refunded.body().toString());
    assertEquals("true", refundAgain.headers().get("idempotent-replayed").asText());
    assertEquals(refunded.body(), refundAgain.body());
  }

  @Test
  void refundsAccumulateUpToTheOrderAndAreAnnouncedOnTheBus() {
    assertEquals(201, fixture.createCampaign(
        campaignBody("cmp_refund", List.of("email"), 10_000, 0)).status());
    assertEquals(201, fixture.order(orderBody("cmp_refund", "ord_f1", "cus_f1", 10_000,
        "2026-10-01T10:00:00Z")).status());

    var partial = fixture.refund("ord_f1", refundBody("cmp_refund", "rfd_1", 4_000,
        "2026-10-05T10:00:00Z"));
    assertEquals(201, partial.status(), partial.body().toString());
    assertEquals(4_000, partial.body().at("/refundedTotal/amount").asLong());
    assertFalse(partial.body().get("fullyRefunded").asBoolean());
    assertEquals(6_000, all("cmp_refund").at("/netRevenue/amount").asLong());

    var replay = fixture.refund("ord_f1", refundBody("cmp_refund", "rfd_1", 4_000,
        "2026-10-05T10:00:00Z"));
    assertEquals(200, replay.status());
    assertEquals(partial.body(), replay.body());
    refused(409, List.of("refundId"), () -> fixture.refund("ord_f1",
        refundBody("cmp_refund", "rfd_1", 4_001, "2026-10-05T10:00:00Z")));

    JsonNode beyond = refused(422, List.of("amount.amount"), () -> fixture.refund("ord_f1",
        refundBody("cmp_refund", "rfd_2", 6_001, "2026-10-06T10:00:00Z")));
    assertEquals("urn:spur:problem:refund-exceeds-order", beyond.get("type").asText());
    assertEquals(6_000, all("cmp_refund").at("/netRevenue/amount").asLong());

    var rest = fixture.refund("ord_f1", refundBody("cmp_refund", "rfd_2", 6_000,
        "2026-10-06T10:00:00Z"));
    assertEquals(201, rest.status(), rest.body().toString());
    JsonNode cohort = all("cmp_refund");
    assertEquals(0, cohort.at("/netRevenue/amount").asLong());
    assertEquals(0, cohort.at("/clv/amount").asLong());
    assertEquals(1, cohort.get("orders").asLong());
    assertEquals(0, StackFixture.number(
        fixture.item("CAMPAIGN#cmp_refund", "CUSTOMER#cus_f1"), "netRevenue"));
    refused(422, List.of("amount.amount"), () -> fixture.refund("ord_f1",
        refundBody("cmp_refund", "rfd_3", 1, "2026-10-07T10:00:00Z")));

    fixture.stack.drain(Duration.ofSeconds(60));
    List<JsonNode> events = receive(refunds).stream()
        .filter(event -> event.at("/detail/campaignId").asText().equals("cmp_refund"))
        .toList();
    assertEquals(2, events.size(), events.toString());
    JsonNode last = events.stream()
        .filter(event -> event.at("/detail/refundId").asText().equals("rfd_2"))
        .findFirst().orElseThrow();
    assertEquals("OrderRefunded", last.get("detail-type").asText());
    assertEquals("spur", last.get("source").asText());
    String eventId = UUID.nameUUIDFromBytes(
        "OrderRefunded|cmp_refund/ord_f1/rfd_2".getBytes(StandardCharsets.UTF_8)).toString();
    assertEquals(StackFixture.read("""
        {"campaignId":"cmp_refund","orderId":"ord_f1","customerId":"cus_f1","refundId":"rfd_2",
         "amount":{"amount":6000,"currency":"EUR"},
         "refundedTotal":{"amount":10000,"currency":"EUR"},
         "orderAmount":{"amount":10000,"currency":"EUR"},
         "fullyRefunded":true,"refundedAt":"2026-10-06T10:00:00Z","eventId":"%s"}
        """.formatted(eventId)), last.get("detail"));
  }

  @Test
  void aConversionForACustomerWithOrdersIsRefusedAsNotNew() {
    assertEquals(201, fixture.order(orderBody(CAMPAIGN, "ord_old", "cus_old", 2_000,
        "2026-08-01T10:00:00Z")).status());

    JsonNode problem = refused(422, List.of("customer.id"), () -> fixture.convert(
        conversionBody(CAMPAIGN, code, "ord_new", "cus_old", 3_000)));

    assertTrue(problem.get("type").asText().endsWith("customer-not-new"), problem.toString());
    assertTrue(problem.get("detail").asText().contains("already has orders"), problem.toString());
  }

  @Test
  void aConversionsOrderIsTheCustomersFirstAndReportingItAgainIsAReplay() {
    var conversion = fixture.convert(conversionBody(CAMPAIGN, code, "ord_conv", "cus_conv",
        5_500));
    assertEquals(201, conversion.status(), conversion.body().toString());
    String orderedAt = conversion.body().get("orderedAt").asText();

    var asOrder = fixture.order(orderBody(CAMPAIGN, "ord_conv", "cus_conv", 5_500,
        "2026-01-01T00:00:00Z"));
    var repeat = fixture.order(orderBody(CAMPAIGN, "ord_conv_2", "cus_conv", 500, orderedAt));

    // The conversion took no order time, so a report of its order may name any.
    assertEquals(200, asOrder.status(), asOrder.body().toString());
    assertEquals(orderedAt, asOrder.body().get("orderedAt").asText());
    assertEquals(201, repeat.status(), repeat.body().toString());
    var customer = fixture.item("CAMPAIGN#" + CAMPAIGN, "CUSTOMER#cus_conv");
    assertEquals("REFERRED", customer.get("origin").s());
    assertEquals(2, StackFixture.number(customer, "orders"));
    assertEquals(6_000, StackFixture.number(customer, "netRevenue"));
  }

  @Test
  void badOrdersAreRefusedNamingEveryField() {
    refused(400, List.of("orderId", "customerId", "amount.amount", "orderedAt"),
        () -> fixture.order("""
            {"campaignId":"%s","customerId":7,"amount":{"amount":"12.00","currency":"EUR"}}
            """.formatted(CAMPAIGN)));
    refused(400, List.of("orderedAt"), () -> fixture.order(
        orderBody(CAMPAIGN, "ord_future", "cus_f", 100, "2999-01-01T00:00:00Z")));
    refused(400, List.of("amount.currency"), () -> fixture.order(
        orderBody(CAMPAIGN, "ord_xau", "cus_f", 100, "2026-01-01T00:00:00Z")
            .replace("EUR", "XAU")));
    refused(400, List.of("body"), () -> fixture.order("[1,2]"));
    JsonNode currency = refused(422, List.of("amount.currency"), () -> fixture.order(
        orderBody(CAMPAIGN, "ord_usd", "cus_f", 100, "2026-01-01T00:00:00Z")
            .replace("EUR", "USD")));
    assertEquals("urn:spur:problem:currency-mismatch", currency.get("type").asText());
    refused(404, List.of("campaignId"), () -> fixture.order(
        orderBody("cmp_none", "ord_1", "cus_f", 100, "2026-01-01T00:00:00Z")));

    assertEquals(201, fixture.order(orderBody(CAMPAIGN, "ord_late", "cus_late", 100,
        "2026-05-01T00:00:00Z")).status());
    refused(422, List.of("orderedAt"), () -> fixture.order(
        orderBody(CAMPAIGN, "ord_early", "cus_late", 100, "2026-04-30T00:00:00Z")));
  }

  @Test
  void badRefundsAreRefusedNamingEveryField() {
    assertEquals(201, fixture.order(orderBody(CAMPAIGN, "ord_r", "cus_r", 1_000,
        "2026-07-01T10:00:00Z")).status());

    refused(400, List.of("refundId", "refundedAt"), () -> fixture.refund("ord_r", """
        {"campaignId":"%s","amount":{"amount":100,"currency":"EUR"},"refundedAt":"yesterday"}
        """.formatted(CAMPAIGN)));
    refused(400, List.of("amount.amount"), () -> fixture.refund("ord_r",
        refundBody(CAMPAIGN, "rfd_zero", 0, "2026-07-02T10:00:00Z")));
    refused(400, List.of("amount.amount"), () -> fixture.refund("ord_r",
        refundBody(CAMPAIGN, "rfd_neg", -5, "2026-07-02T10:00:00Z")));
    refused(404, List.of("orderId"), () -> fixture.refund("ord_nope",
        refundBody(CAMPAIGN, "rfd_a", 100, "2026-07-02T10:00:00Z")));
    refused(404, List.of("orderId"), () -> fixture.refund("ord\u202e" + "x".repeat(300),
        refundBody(CAMPAIGN, "rfd_a", 100, "2026-07-02T10:00:00Z")));
    refused(422, List.of("amount.currency"), () -> fixture.refund("ord_r",
        refundBody(CAMPAIGN, "rfd_usd", 100, "2026-07-02T10:00:00Z").replace("EUR", "USD")));
    refused(422, List.of("refundedAt"), () -> fixture.refund("ord_r",
        refundBody(CAMPAIGN, "rfd_early", 100, "2026-06-30T10:00:00Z")));
  }

  @Test
  void badFeedbackIsRefusedAndFeedbackOfAnUnknownCustomerIs404() {
    assertEquals(201, fixture.order(orderBody(CAMPAIGN, "ord_fb", "cus_fb", 1_000,
        "2026-07-01T10:00:00Z")).status());

    for (String score : List.of("0", "6", "4.5", "\"5\"", "null")) {
      refused(400, List.of("score"), () -> fixture.feedback(
          feedbackBody(CAMPAIGN, "cus_fb", 1, "fb_bad", "2026-07-02T10:00:00Z")
              .replace("\"score\":1", "\"score\":" + score)));
    }
    refused(400, List.of("customerId", "feedbackId", "submittedAt"), () -> fixture.feedback("""
        {"campaignId":"%s","customerId":"","score":3}
        """.formatted(CAMPAIGN)));
    refused(404, List.of("customerId"), () -> fixture.feedback(
        feedbackBody(CAMPAIGN, "cus_stranger", 5, "fb_x", "2026-07-02T10:00:00Z")));

    var first = fixture.feedback(feedbackBody(CAMPAIGN, "cus_fb", 2, "fb_1",
        "2026-07-02T10:00:00Z"));
    assertEquals(201, first.status(), first.body().toString());
    assertTrue(first.body().get("standing").asBoolean());
    refused(409, List.of("feedbackId"), () -> fixture.feedback(
        feedbackBody(CAMPAIGN, "cus_fb", 3, "fb_1", "2026-07-02T10:00:00Z")));
  }

  @Test
  void aMalformedAsOfIsA400NamingIt() {
    refused(400, List.of("asOf"), () -> fixture.metrics(CAMPAIGN, "last-tuesday"));
    refused(400, List.of("asOf"), () -> fixture.metrics(CAMPAIGN, "3026-01-01T00:00:00Z"));
    assertEquals(200, fixture.metrics(CAMPAIGN, "2026-01-01T00:00:00Z").status());
  }

  private static List<JsonNode> receive(String url) {
    List<JsonNode> received = new ArrayList<>();
    try (SqsClient sqs = SqsClient.create()) {
      List<Message> page;
      do {
        page = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
            .waitTimeSeconds(1)).messages();
        page.forEach(message -> received.add(StackFixture.read(message.body())));
      } while (!page.isEmpty());
    }
    return received;
  }
}
