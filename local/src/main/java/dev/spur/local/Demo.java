package dev.spur.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spur.testkit.Emulator;
import dev.spur.testkit.SentEmail;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The scenario {@code ./spur demo} drives through the local HTTP API: one campaign with three
 * channels, points, a tier, a milestone and a hold period; links for several referrers, clicks,
 * conversions (one sent twice, one a self-referral, one beyond its channel's budget), the
 * rewards and emails that follow through the bus, the referrers' standing and leaderboard,
 * repeat orders, satisfaction scores, a refund that claws a reward back, one reallocation, and
 * the metrics by channel and cohort. It checks each answer as it goes and returns non-zero when
 * one is not what the product promises.
 */
public final class Demo {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI api;
  private final PrintStream out;
  private final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final List<String> failures = new ArrayList<>();

  private Demo(URI api, PrintStream out) {
    this.api = api;
    this.out = out;
  }

  /** Runs the scenario; returns the process exit code. */
  public static int run(LocalDeployment deployment, Emulator emulator, URI api) {
    try {
      return new Demo(api, System.out).drive(deployment, emulator);
    } catch (IOException e) {
      System.err.println("demo: the local API did not answer: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private int drive(LocalDeployment deployment, Emulator emulator)
      throws IOException, InterruptedException {
    String campaignId = "cmp_demo_" + UUID.randomUUID().toString().substring(0, 8);
    int emailsBefore = emulator.sentEmails().size();

    step("Create a campaign: 150.00 EUR a month over three channels; each referral pays the "
        + "referrer 10.00 EUR cash and the friend a 5.00 EUR discount; 100 points a referral; "
        + "Silver from the 2nd referral pays the referrer 50% more (Gold, the VIP tier, from the"
        + " 5th, twice as much); a Connector badge and 200 points at 2; rewards held 14 days"
        + " before payout");
    JsonNode campaign =
        expect(201, post("/campaigns", """
            {"id":"%s","name":"Spring 2027","currency":"EUR","timeZone":"Europe/Berlin",
             "landingUrl":"https://shop.example.com/welcome",
             "channels":["email","social","in-app"],
             "referrerReward":{"type":"CASH","amount":1000},
             "refereeReward":{"type":"DISCOUNT","amount":500},
             "attributionWindowDays":30,"budget":{"amount":15000,"currency":"EUR"},
             "period":"MONTH","holdDays":14,
             "guardrails":{"minShareBps":1000,"maxShareBps":6000,"maxChangeBps":2000,
                           "explorationFloorBps":500},
             "program":{"pointsPerReferral":100,
               "tiers":[{"name":"Silver","minReferrals":2,"rewardBonusBps":5000},
                        {"name":"Gold","minReferrals":5,"rewardBonusBps":10000}],
               "milestones":[{"referrals":2,"badge":"Connector","bonusPoints":200}]}}
            """.formatted(campaignId)), "campaign created");
    Map<String, Long> allocatedBefore = allocations(campaign);
    out.println("  allocation: " + allocatedBefore);

    step("Give referrers their links (asking twice gives the same link)");
    String adaEmail = link(campaignId, "email", "cus_ada", "ada@example.com");
    String alanEmail = link(campaignId, "email", "cus_alan", "alan@example.com");
    String linusSocial = link(campaignId, "social", "cus_linus", "linus@example.com");
    String adaSocial = link(campaignId, "social", "cus_ada", "ada@example.com");
    String margaretApp = link(campaignId, "in-app", "cus_margaret", "margaret@example.com");
    String again = link(campaignId, "email", "cus_ada", "ada@example.com");
    check(again.equals(adaEmail), "the same referrer and channel got the same link");

    step("Friends click the links");
    clicks(adaEmail, 3);
    clicks(alanEmail, 2);
    clicks(linusSocial, 3);
    clicks(adaSocial, 1);
    clicks(margaretApp, 3);

    step("Friends order; the rewards follow through EventBridge (rule -> queue -> IssueReward)");
    convert(campaignId, adaEmail, "ord_1001", "cus_ben", "ben@example.com", 12_900, 201,
        "recorded");
    convert(campaignId, adaEmail, "ord_1001", "cus_ben", "ben@example.com", 12_900, 200,
        "the same order sent twice is answered with the first result");
    convert(campaignId, alanEmail, "ord_1002", "cus_cleo", "cleo@example.com", 8_400, 201,
        "recorded");
    convert(campaignId, adaEmail, "ord_1004", "cus_ada", "ada@example.com", 4_200, 422,
        "a referrer ordering through their own link is a self-referral");
    convert(campaignId, linusSocial, "ord_1005", "cus_emil", "emil@example.com", 15_000, 201,
        "recorded");
    convert(campaignId, margaretApp, "ord_1006", "cus_fay", "fay@example.com", 9_900, 201,
        "recorded");
    deployment.drain(Duration.ofSeconds(60));
    convert(campaignId, adaEmail, "ord_1003", "cus_dina", "dina@example.com", 5_600, 201,
        "recorded; Ada's second referral: Silver, so she earns 15.00, and the Connector badge");
    convert(campaignId, margaretApp, "ord_1007", "cus_gus", "gus@example.com", 6_100, 201,
        "recorded; Margaret's second referral: Silver and Connector too");
    deployment.drain(Duration.ofSeconds(60));
    convert(campaignId, margaretApp, "ord_1008", "cus_hal", "hal@example.com", 4_500, 201,
        "recorded; in-app's 50.00 EUR has 15.00 left, short of the 20.00 this one costs");
    deployment.drain(Duration.ofSeconds(60));

    List<SentEmail> emails = emulator.sentEmails();
    List<SentEmail> sent = emails.subList(Math.min(emailsBefore, emails.size()), emails.size());
    Map<String, Integer> subjects = new TreeMap<>();
    sent.forEach(email -> subjects.merge(email.subject(), 1, Integer::sum));
    subjects.forEach((subject, count) -> out.printf("  %2d x %s%n", count, subject));
    check(sent.size() == 22, "six referrals paid, three emails each (the referrer's reward, the"
        + " friend's welcome reward and thank-you with their own link), and a tier and a badge"
        + " email each for Ada and Margaret (" + sent.size() + " sent)");

    step("Points, tiers and badges: Ada's standing and the leaderboard");
    JsonNode ada = expect(200, get("/campaigns/" + campaignId + "/referrers/cus_ada"),
        "Ada's standing read");
    standing(ada);
    check(ada.get("points").asLong() == 400 && "Silver".equals(ada.get("tier").asText())
            && ada.get("badges").toString().equals("[\"Connector\"]"),
        "Ada: 100 + 100 points, 200 for the badge, Silver");
    JsonNode board = expect(200, get("/campaigns/" + campaignId + "/leaderboard"),
        "leaderboard read");
    for (JsonNode row : board.get("referrers")) {
      out.printf("  #%d %-13s %4d points  %-7s %s%n", row.get("rank").asInt(),
          row.get("referrerId").asText(), row.get("points").asLong(),
          row.get("tier").isNull() ? "-" : row.get("tier").asText(),
          row.get("badges").toString());
    }

    step("Every later order of a customer, and customers who came without a referral");
    order(campaignId, "ord_2001", "cus_ben", 4_500, null);
    order(campaignId, "ord_2002", "cus_ben", 6_000, null);
    order(campaignId, "ord_2003", "cus_cleo", 3_000, null);
    order(campaignId, "ord_2004", "cus_emil", 8_000, null);
    order(campaignId, "ord_3001", "cus_ivy", 7_000, "2025-11-02T09:00:00Z");
    order(campaignId, "ord_3002", "cus_ivy", 3_000, "2026-11-20T09:00:00Z");
    order(campaignId, "ord_3003", "cus_jon", 5_500, "2025-10-15T09:00:00Z");
    order(campaignId, "ord_3004", "cus_kim", 4_000, null);

    step("Satisfaction scores (CSAT: the share of 4s and 5s)");
    feedback(campaignId, "cus_ben", 5);
    feedback(campaignId, "cus_cleo", 4);
    feedback(campaignId, "cus_emil", 3);
    feedback(campaignId, "cus_fay", 5);
    feedback(campaignId, "cus_gus", 4);
    feedback(campaignId, "cus_ivy", 4);
    feedback(campaignId, "cus_jon", 2);

    step("Dina returns her order in full inside the hold: Ada's reward for it is clawed back");
    expect(201, post("/orders/ord_1003/refunds", """
        {"campaignId":"%s","refundId":"rf_1003","amount":{"amount":5600,"currency":"EUR"},
         "refundedAt":"%s"}
        """.formatted(campaignId, java.time.Instant.now().minusSeconds(1))), "refund recorded");
    deployment.drain(Duration.ofSeconds(60));
    JsonNode after = expect(200, get("/campaigns/" + campaignId + "/referrers/cus_ada"),
        "Ada's standing read");
    standing(after);
    check(after.get("points").asLong() == 100 && after.get("tier").isNull()
            && after.get("badges").isEmpty(),
        "the clawback took back the referral's 100 points, the badge and its 200, and Silver");

    JsonNode before = expect(200, get("/campaigns/" + campaignId + "/metrics"), "metrics read");

    step("The schedule fires ReallocateBudget");
    HttpResponse<String> run = post("/_local/schedules/ReallocateBudget", "");
    check(run.statusCode() == 200, "reallocation ran (" + run.statusCode() + ")");
    out.println("  " + run.body());
    JsonNode metrics = expect(200, get("/campaigns/" + campaignId + "/metrics"),
        "metrics read");

    table(before, metrics, allocatedBefore);
    cohorts(metrics);
    JsonNode total = metrics.get("total");
    check(total.get("rewardsIssued").asLong() == 6, "six rewards issued");
    check(total.get("rewardsDeclined").asLong() == 1, "one reward declined: BUDGET_EXHAUSTED");
    check(total.get("rewardsPaid").get("amount").asLong() == 8_000,
        "paid exactly 4 x 15.00 + 20.00 EUR once Dina's 20.00 came back");
    long allocatedSum = 0;
    for (JsonNode row : metrics.get("channels")) {
      allocatedSum += row.get("budgetAllocated").get("amount").asLong();
    }
    check(allocatedSum == 15_000, "the new allocation sums to the budget to the cent");

    if (failures.isEmpty()) {
      out.println();
      out.println("demo: every step answered as expected");
      return 0;
    }
    out.println();
    out.println("demo: " + failures.size() + " step(s) did not answer as expected:");
    failures.forEach(failure -> out.println("  - " + failure));
    return 1;
  }

  private void standing(JsonNode referrer) {
    long referrals = referrer.get("referrals").asLong();
    out.printf("  %s: %d %s, %d points, tier %s, VIP %s, badges %s%n",
        referrer.get("referrerId").asText(), referrals, referrals == 1 ? "referral" : "referrals",
        referrer.get("points").asLong(),
        referrer.get("tier").isNull() ? "none" : referrer.get("tier").asText(),
        referrer.get("vip").asBoolean() ? "yes" : "no", referrer.get("badges"));
    JsonNode ledger = referrer.get("ledger");
    for (JsonNode entry : ledger) {
      out.printf("    %-8s %-9s %+5d points  %s%s%n", entry.get("step").asText(),
          entry.get("orderId").asText(), entry.get("points").asLong(),
          (entry.get("badgesEarned").isEmpty() ? "" : "badge " + entry.get("badgesEarned") + " ")
              + (entry.get("badgesRevoked").isEmpty() ? ""
                  : "badge taken back " + entry.get("badgesRevoked") + " "),
          entry.get("tierFrom").asText("none").equals(entry.get("tierTo").asText("none"))
              ? "" : "tier " + entry.get("tierFrom").asText("none") + " -> "
                  + entry.get("tierTo").asText("none"));
    }
  }

  private void order(String campaignId, String orderId, String customerId, long amount,
      String orderedAt) throws IOException, InterruptedException {
    String at = ",\"orderedAt\":\""
        + (orderedAt == null ? java.time.Instant.now().minusSeconds(1).toString() : orderedAt)
        + "\"";
    HttpResponse<String> response = post("/orders", """
        {"campaignId":"%s","orderId":"%s","customerId":"%s",
         "amount":{"amount":%d,"currency":"EUR"}%s}
        """.formatted(campaignId, orderId, customerId, amount, at));
    out.printf("  %s %-9s %8s EUR%s -> %d%n", orderId, customerId, euros(amount),
        orderedAt == null ? "" : " on " + orderedAt.substring(0, 10), response.statusCode());
    check(response.statusCode() == 201, orderId + " recorded (" + response.body() + ")");
  }

  private void feedback(String campaignId, String customerId, int score)
      throws IOException, InterruptedException {
    HttpResponse<String> response = post("/feedback", """
        {"campaignId":"%s","customerId":"%s","score":%d,"feedbackId":"fb_%s",
         "submittedAt":"%s"}
        """.formatted(campaignId, customerId, score, customerId,
            java.time.Instant.now().minusSeconds(1)));
    out.printf("  %-9s %d -> %d%n", customerId, score, response.statusCode());
    check(response.statusCode() == 201, "feedback of " + customerId + " (" + response.body()
        + ")");
  }

  private void table(JsonNode before, JsonNode after, Map<String, Long> allocatedAtStart) {
    out.println();
    out.println("(cost: both sides' rewards, those pending payout included, less clawbacks)");
    String format = "%-8s %6s %6s %6s %8s %8s %9s %8s %8s %7s %9s %6s %8s %8s%n";
    out.printf(format, "channel", "clicks", "conv", "rate", "rewards", "declined",
        "cost EUR", "CAC", "CLV", "CLV:CAC", "retention", "CSAT", "budget", "next");
    Map<String, JsonNode> beforeRows = new LinkedHashMap<>();
    before.get("channels").forEach(row -> beforeRows.put(row.get("channel").asText(), row));
    Map<String, JsonNode> cohorts = new LinkedHashMap<>();
    after.path("cohorts").forEach(row -> cohorts.put(row.get("cohort").asText(), row));
    for (JsonNode row : after.get("channels")) {
      String channel = row.get("channel").asText();
      JsonNode cohort = cohorts.getOrDefault("CHANNEL:" + channel, JSON.createObjectNode());
      out.printf(
          format,
          channel,
          row.get("clicks").asLong(),
          row.get("conversions").asLong(),
          text(row.get("conversionRate")),
          row.get("rewardsIssued").asLong(),
          row.get("rewardsDeclined").asLong(),
          euros(row.get("rewardsPaid").get("amount").asLong()),
          money(row.get("cac")),
          money(row.get("clv")),
          text(row.get("clvToCac")),
          share(cohort.get("retention365")),
          percent(cohort.get("csat")),
          euros(beforeRows.get(channel).get("budgetAllocated").get("amount").asLong()),
          euros(row.get("budgetAllocated").get("amount").asLong()));
    }
    JsonNode total = after.get("total");
    out.printf(
        format,
        "total",
        total.get("clicks").asLong(),
        total.get("conversions").asLong(),
        text(total.get("conversionRate")),
        total.get("rewardsIssued").asLong(),
        total.get("rewardsDeclined").asLong(),
        euros(total.get("rewardsPaid").get("amount").asLong()),
        money(total.get("cac")),
        "",
        "",
        "",
        "",
        euros(allocatedAtStart.values().stream().mapToLong(Long::longValue).sum()),
        euros(total.get("budgetAllocated").get("amount").asLong()));
  }

  private void cohorts(JsonNode metrics) {
    out.println();
    String format = "%-14s %9s %6s %9s %8s %10s %6s%n";
    out.printf(format, "cohort", "customers", "orders", "revenue", "CLV", "retention", "CSAT");
    for (JsonNode row : metrics.path("cohorts")) {
      String cohort = row.get("cohort").asText();
      if (cohort.startsWith("CHANNEL:") || cohort.startsWith("VARIANT:")) {
        continue;
      }
      out.printf(format, cohort, row.get("customers").asLong(), row.get("orders").asLong(),
          money(row.get("netRevenue")), money(row.get("clv")),
          share(row.get("retention365")) + " of " + row.get("retentionEligible").asLong(),
          percent(row.get("csat")));
    }
    out.printf("referral rate %s (referrers who brought a customer, over customers); one-year"
        + " retention counts customers whose first order is a year old%n",
        text(metrics.get("referralRate")));
  }

  private static String text(JsonNode value) {
    return value == null || value.isNull() ? "-" : value.asText();
  }

  private static String money(JsonNode value) {
    return value == null || value.isNull() ? "-" : euros(value.get("amount").asLong());
  }

  /** A ratio from 0 to 1 as a whole percentage, such as {@code 50%}. */
  private static String share(JsonNode value) {
    return value == null || value.isNull() ? "-"
        : String.format("%.0f%%", value.asDouble() * 100);
  }

  /** A percentage as the API gives it, such as {@code 83.33%}. */
  private static String percent(JsonNode value) {
    return value == null || value.isNull() ? "-" : value.asText() + "%";
  }

  private static String euros(long cents) {
    return String.format("%d.%02d", cents / 100, cents % 100);
  }

  private static Map<String, Long> allocations(JsonNode campaign) {
    Map<String, Long> amounts = new LinkedHashMap<>();
    for (JsonNode row : campaign.get("currentPeriod").get("channels")) {
      amounts.put(row.get("channel").asText(), row.get("allocated").get("amount").asLong());
    }
    return amounts;
  }

  private String link(String campaignId, String channel, String referrer, String email)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        post("/links", """
            {"campaignId":"%s","channel":"%s","referrer":{"id":"%s","email":"%s"}}
            """.formatted(campaignId, channel, referrer, email));
    check(response.statusCode() == 201 || response.statusCode() == 200,
        "link for " + referrer + " on " + channel + " (" + response.statusCode() + ")");
    JsonNode link = JSON.readTree(response.body());
    out.printf("  %-13s %-7s %s%n", referrer, channel, link.path("url").asText());
    return link.path("code").asText();
  }

  private void clicks(String code, int count) throws IOException, InterruptedException {
    for (int i = 0; i < count; i++) {
      HttpResponse<String> response = get("/r/" + code.toUpperCase());
      String location = response.headers().firstValue("location").orElse("");
      check(response.statusCode() == 302 && location.contains("ref=" + code),
          "click on " + code + " redirects to the landing page with the code");
      if (i == 0) {
        out.println("  GET /r/" + code.toUpperCase() + " -> 302 " + location);
      }
    }
  }

  private void convert(
      String campaignId,
      String code,
      String orderId,
      String customerId,
      String email,
      long amount,
      int status,
      String meaning)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        post("/conversions", """
            {"campaignId":"%s","code":"%s","orderId":"%s",
             "customer":{"id":"%s","email":"%s"},
             "amount":{"amount":%d,"currency":"EUR"}}
            """.formatted(campaignId, code, orderId, customerId, email, amount));
    String outcome = response.statusCode() + " " + summary(response.body());
    out.printf("  %s %-9s -> %s%n", orderId, customerId, outcome);
    check(response.statusCode() == status, orderId + ": " + meaning);
  }

  private static String summary(String body) throws IOException {
    JsonNode node = JSON.readTree(body);
    if (node.has("status") && node.get("status").isTextual()) {
      return node.get("status").asText();
    }
    return node.path("title").asText() + ": " + node.path("detail").asText();
  }

  private JsonNode expect(int status, HttpResponse<String> response, String meaning)
      throws IOException {
    check(response.statusCode() == status,
        meaning + " (" + response.statusCode() + " " + response.body() + ")");
    return JSON.readTree(response.body());
  }

  private void check(boolean condition, String what) {
    if (!condition) {
      failures.add(what);
      out.println("  !! " + what);
    }
  }

  private void step(String title) {
    out.println();
    out.println("== " + title);
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(api.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
