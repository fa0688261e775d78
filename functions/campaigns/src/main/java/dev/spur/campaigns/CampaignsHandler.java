package dev.spur.campaigns;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spur.core.aws.AwsClients;
import dev.spur.core.events.EventBus;
import dev.spur.core.events.Outbox;
import dev.spur.core.http.HttpEdge;
import dev.spur.core.http.HttpRequest;
import dev.spur.core.http.HttpResponses;
import dev.spur.core.http.IdempotencyKeys;
import dev.spur.core.http.InvalidRequestException;
import dev.spur.core.http.JsonBody;
import dev.spur.core.http.Problem;
import dev.spur.core.json.Json;
import dev.spur.core.links.ReferralLinks;
import dev.spur.core.mail.Suppressions;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The admin routes: campaigns, their metrics, spend, held rewards' review, referrers, the
 * leaderboard, the incentive experiment, and the email suppression list.
 */
public final class CampaignsHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("2999-12-31T23:59:59Z");

  private final Campaigns campaigns;
  private final RewardReviews reviews;
  private final IdempotencyKeys keys;
  private final Suppressions suppressions;
  private final Clock clock;

  /** Used by Lambda: builds the clients once per container from the environment. */
  public CampaignsHandler() {
    this(System.getenv());
  }

  /** Builds the real clients from the given environment. */
  public CampaignsHandler(Map<String, String> environment) {
    this(AwsClients.dynamoDb(environment), AwsClients.required(environment, "TABLE_NAME"),
        environment);
  }

  private CampaignsHandler(DynamoDbClient dynamo, String table, Map<String, String> environment) {
    this(dynamo, table, new Outbox(dynamo, table), environment);
  }

  private CampaignsHandler(
      DynamoDbClient dynamo, String table, Outbox outbox, Map<String, String> environment) {
    this(
        new Campaigns(dynamo, table, Clock.systemUTC()),
        new RewardReviews(dynamo, table, EventBus.fromEnvironment(environment, outbox), outbox,
            Clock.systemUTC()),
        new IdempotencyKeys(dynamo, table, Clock.systemUTC()),
        new Suppressions(dynamo, table),
        Clock.systemUTC());
  }

  /** Uses the given operations. */
  public CampaignsHandler(Campaigns campaigns, RewardReviews reviews, IdempotencyKeys keys,
      Suppressions suppressions, Clock clock) {
    this.campaigns = campaigns;
    this.reviews = reviews;
    this.keys = keys;
    this.suppressions = suppressions;
    this.clock = clock;
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return HttpEdge.handle(event, this::route);
  }

  private static final Pattern SUPPRESSION_REASON = Pattern.compile("BOUNCE|COMPLAINT|REQUEST");

  private APIGatewayV2HTTPResponse route(HttpRequest request) {
    String routeKey = request.routeKey();
    String campaignId = request.pathParameter("campaignId").orElse("");
    if (!campaignId.isEmpty() && !CampaignRequest.ID.matcher(campaignId).matches()) {
      // An id no campaign can have is unknown without asking the table, which refuses keys
      // over 2 KB outright.
      return unknown(campaignId.length() > 64 ? campaignId.substring(0, 64) + "..." : campaignId);
    }
    return switch (routeKey) {
      case "POST /campaigns" -> keys.apply(request, "campaigns", this::create);
      case "POST /suppressions" -> suppress(request);
      case "GET /campaigns/{campaignId}" ->
          campaigns
              .find(campaignId)
              .map(view -> HttpResponses.json(200, view))
              .orElseGet(() -> unknown(campaignId));
      case "GET /campaigns/{campaignId}/metrics" ->
          campaigns
              .metrics(campaignId, asOf(request))
              .map(view -> HttpResponses.json(200, view))
              .orElseGet(() -> unknown(campaignId));
      case "POST /campaigns/{campaignId}/spend" ->
          keys.apply(request, "spend/" + campaignId, r -> spend(campaignId, r));
      case "GET /campaigns/{campaignId}/referrers/{referrerId}" ->
          campaigns
              .referrer(campaignId, request.pathParameter("referrerId").orElse(""))
              .map(view -> HttpResponses.json(200, view))
              .orElseGet(() -> HttpResponses.problem(
                  Problem.notFound("referrerId", "no referrer "
                      + abbreviated(request.pathParameter("referrerId").orElse(""))
                      + " in campaign " + campaignId)));
      case "GET /campaigns/{campaignId}/experiment" ->
          campaigns
              .experiment(campaignId)
              .map(view -> HttpResponses.json(200, view))
              .orElseGet(() -> HttpResponses.problem(
                  Problem.notFound("campaignId", "campaign " + campaignId
                      + " does not exist or runs no experiment")));
      case "GET /campaigns/{campaignId}/leaderboard" ->
          campaigns
              .leaderboard(campaignId)
              .map(view -> HttpResponses.json(200, view))
              .orElseGet(() -> unknown(campaignId));
      case "POST /campaigns/{campaignId}/rewards/{orderId}/review" ->
          review(campaignId, request.pathParameter("orderId").orElse(""), request);
      default ->
          HttpResponses.problem(
              Problem.of(404, "not-found", "Not found", "No route " + routeKey));
    };
  }

  private static String abbreviated(String id) {
    return id.length() > 64 ? id.substring(0, 64) + "..." : id;
  }

  private APIGatewayV2HTTPResponse create(HttpRequest request) {
    return switch (campaigns.create(request.body())) {
      case Campaigns.Created created -> HttpResponses.json(201, created.view());
      case Campaigns.Replayed replayed -> HttpResponses.json(200, replayed.view());
      case Campaigns.Conflicting conflicting ->
          HttpResponses.problem(
              Problem.conflict(
                  "id", "campaign " + conflicting.campaignId() + " exists with other settings"));
      case Campaigns.Infeasible infeasible ->
          HttpResponses.problem(
              Problem.refused(
                  "infeasible-guardrails", "Guardrails leave no split", "guardrails",
                  infeasible.reason()));
    };
  }

  /**
   * Adds an address to the suppression list (a bounce or a complaint SES reported, or a
   * request by other means): 201 when new, 200 when it was suppressed already.
   */
  private APIGatewayV2HTTPResponse suppress(HttpRequest request) {
    JsonBody body = JsonBody.parse(request.body());
    String email = body.requiredText("email", 254, ReferralLinks.EMAIL,
        "must be an email address");
    String reason = body.requiredText("reason", 16, SUPPRESSION_REASON,
        "must be one of BOUNCE, COMPLAINT, REQUEST");
    body.validate();
    boolean added = suppressions.suppressAddress(email, reason, clock.instant());
    ObjectNode view = Json.object();
    view.put("suppressed", true);
    view.put("reason", reason);
    return HttpResponses.json(added ? 201 : 200, view);
  }

  private APIGatewayV2HTTPResponse spend(String campaignId, HttpRequest request) {
    return switch (campaigns.reportSpend(campaignId, request.body())) {
      case Campaigns.SpendRecorded recorded -> HttpResponses.json(201, recorded.view());
      case Campaigns.SpendReplayed replayed -> HttpResponses.json(200, replayed.view());
      case Campaigns.SpendConflicting conflicting ->
          HttpResponses.problem(
              Problem.conflict(
                  "reportId", "report " + conflicting.reportId() + " was sent with other figures"));
      case Campaigns.UnknownCampaign unknown -> unknown(unknown.campaignId());
    };
  }

  private APIGatewayV2HTTPResponse review(
      String campaignId, String orderId, HttpRequest request) {
    return switch (reviews.review(campaignId, orderId, request.body())) {
      case RewardReviews.Reviewed reviewed -> HttpResponses.json(200, reviewed.view());
      case RewardReviews.Replayed replayed -> HttpResponses.json(200, replayed.view());
      case RewardReviews.NotHeld notHeld ->
          HttpResponses.problem(
              Problem.conflict("decision", "the reward is " + notHeld.status()
                  + ", not waiting for review"));
      case RewardReviews.UnknownReward unknown ->
          HttpResponses.problem(
              Problem.notFound("orderId", "no reward for order " + unknown.orderId()));
    };
  }

  /** The optional {@code asOf} query parameter: the instant retention is measured at. */
  private static Instant asOf(HttpRequest request) {
    Optional<String> text = request.queryParameter("asOf");
    if (text.isEmpty()) {
      return null;
    }
    try {
      Instant asOf = Instant.parse(text.get());
      if (asOf.isBefore(EARLIEST) || asOf.isAfter(LATEST)) {
        throw InvalidRequestException.field("asOf", "must be between 2000 and 2999");
      }
      return asOf;
    } catch (DateTimeParseException e) {
      throw InvalidRequestException.field(
          "asOf", "must be an ISO-8601 instant such as 2027-03-14T10:15:00Z");
    }
  }

  private static APIGatewayV2HTTPResponse unknown(String campaignId) {
    return HttpResponses.problem(
        Problem.notFound("campaignId", "no campaign " + campaignId));
  }
}
