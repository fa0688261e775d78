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
import java.util.UUID;

/**
 * The scenario {@code ./spur demo} drives through the local HTTP API: one campaign with three
 * channels, links for several referrers, clicks, conversions (one sent twice, one a
 * self-referral, one beyond its channel's budget), the rewards and emails that follow through
 * the bus, and one reallocation. It checks each answer as it goes and returns non-zero when
 * one is not what the product promises.
 */
public final class Demo {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> CHANNELS = List.of("email", "social", "in-app");

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

    step("Create a campaign: 90.00 EUR a month over three channels; each referral pays the "
        + "referrer 10.00 EUR cash and the friend a 5.00 EUR discount");
    JsonNode campaign =
        expect(201, post("/campaigns", """
            {"id":"%s","name":"Spring 2027","currency":"EUR","timeZone":"Europe/Berlin",
             "landingUrl":"https://shop.example.com/welcome",
             "channels":["email","social","in-app"],
             "referrerReward":{"type":"CASH","amount":1000},
             "refereeReward":{"type":"DISCOUNT","amount":500},
             "attributionWindowDays":30,"budget":{"amount":9000,"currency":"EUR"},
             "period":"MONTH",
             "guardrails":{"minShareBps":1000,"maxShareBps":6000,"maxChangeBps":2000,
                           "explorationFloorBps":500}}
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
    clicks(margaretApp, 2);

    step("Friends order");
    convert(campaignId, adaEmail, "ord_1001", "cus_ben", "ben@example.com", 12_900, 201,
        "recorded");
    convert(campaignId, adaEmail, "ord_1001", "cus_ben", "ben@example.com", 12_900, 200,
        "the same order sent twice is answered with the first result");
    convert(campaignId, alanEmail, "ord_1002", "cus_cleo", "cleo@example.com", 8_400, 201,
        "recorded");
    convert(campaignId, adaEmail, "ord_1003", "cus_dina", "dina@example.com", 5_600, 201,
        "recorded; the email channel's 30.00 EUR covers two referrals, not three");
    convert(campaignId, adaEmail, "ord_1004", "cus_ada", "ada@example.com", 4_200, 422,
        "a referrer ordering through their own link is a self-referral");
    convert(campaignId, linusSocial, "ord_1005", "cus_emil", "emil@example.com", 15_000, 201,
        "recorded");
    convert(campaignId, margaretApp, "ord_1006", "cus_fay", "fay@example.com", 9_900, 201,
        "recorded");

    step("Rewards follow through EventBridge (rule -> queue -> IssueReward)");
    deployment.drain(Duration.ofSeconds(60));
    List<SentEmail> emails = emulator.sentEmails();
    List<SentEmail> sent = emails.subList(Math.min(emailsBefore, emails.size()), emails.size());
    for (SentEmail email : sent) {
      out.println("  email to " + email.to() + ": " + email.subject());
    }
    check(sent.size() == 12, "four referrals paid, three emails each: the referrer's reward, the"
        + " friend's welcome reward and thank-you with their own link (" + sent.size() + " sent)");

    JsonNode before = expect(200, get("/campaigns/" + campaignId + "/metrics"), "metrics read");

    step("The schedule fires ReallocateBudget");
    HttpResponse<String> run = post("/_local/schedules/ReallocateBudget", "");
    check(run.statusCode() == 200, "reallocation ran (" + run.statusCode() + ")");
    out.println("  " + run.body());
    JsonNode after = expect(200, get("/campaigns/" + campaignId + "/metrics"), "metrics read");

    table(before, after, allocatedBefore);
    JsonNode total = after.get("total");
    check(total.get("rewardsDeclined").asLong() == 1, "one reward declined: BUDGET_EXHAUSTED");
    check(total.get("rewardsIssued").asLong() == 4, "four rewards issued");
    check(total.get("rewardsPaid").get("amount").asLong() == 6_000,
        "paid exactly 4 x 15.00 EUR");
    long allocatedSum = 0;
    for (JsonNode row : after.get("channels")) {
      allocatedSum += row.get("budgetAllocated").get("amount").asLong();
    }
    check(allocatedSum == 9_000, "the new allocation sums to the budget to the cent");

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

  private void table(JsonNode before, JsonNode after, Map<String, Long> allocatedAtStart) {
    out.println();
    String format = "%-8s %7s %12s %9s %9s %14s %14s %14s%n";
    out.printf(format, "channel", "clicks", "conversions", "rewards", "declined", "paid (EUR)",
        "budget before", "budget after");
    Map<String, JsonNode> beforeRows = new LinkedHashMap<>();
    before.get("channels").forEach(row -> beforeRows.put(row.get("channel").asText(), row));
    for (JsonNode row : after.get("channels")) {
      String channel = row.get("channel").asText();
      out.printf(
          format,
          channel,
          row.get("clicks").asLong(),
          row.get("conversions").asLong(),
          row.get("rewardsIssued").asLong(),
          row.get("rewardsDeclined").asLong(),
          euros(row.get("rewardsPaid").get("amount").asLong()),
          euros(beforeRows.get(channel).get("budgetAllocated").get("amount").asLong()),
          euros(row.get("budgetAllocated").get("amount").asLong()));
    }
    JsonNode total = after.get("total");
    out.printf(
        format,
        "total",
        total.get("clicks").asLong(),
        total.get("conversions").asLong(),
        total.get("rewardsIssued").asLong(),
        total.get("rewardsDeclined").asLong(),
        euros(total.get("rewardsPaid").get("amount").asLong()),
        euros(allocatedAtStart.values().stream().mapToLong(Long::longValue).sum()),
        euros(total.get("budgetAllocated").get("amount").asLong()));
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
