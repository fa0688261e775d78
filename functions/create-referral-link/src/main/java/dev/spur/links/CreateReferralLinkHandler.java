package dev.spur.links;

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
import dev.spur.core.http.IdempotencyKeys;
import dev.spur.core.http.HttpResponses;
import dev.spur.core.http.Problem;
import dev.spur.core.json.Json;
import dev.spur.core.links.ReferralLink;
import dev.spur.core.links.ReferralLinks;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code POST /links}: the referrer's link for a campaign and channel, the same every time. */
public final class CreateReferralLinkHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  private final ReferralLinks links;
  private final IdempotencyKeys keys;

  /** Used by Lambda: builds the clients once per container from the environment. */
  public CreateReferralLinkHandler() {
    this(System.getenv());
  }

  /** Builds the real clients from the given environment. */
  public CreateReferralLinkHandler(Map<String, String> environment) {
    this(AwsClients.dynamoDb(environment), AwsClients.required(environment, "TABLE_NAME"),
        environment);
  }

  private CreateReferralLinkHandler(
      DynamoDbClient dynamo, String table, Map<String, String> environment) {
    this(links(dynamo, table, environment), new IdempotencyKeys(dynamo, table,
        Clock.systemUTC()));
  }

  /** Uses the given operations. */
  public CreateReferralLinkHandler(ReferralLinks links, IdempotencyKeys keys) {
    this.links = links;
    this.keys = keys;
  }

  private static ReferralLinks links(
      DynamoDbClient dynamo, String table, Map<String, String> environment) {
    Outbox outbox = new Outbox(dynamo, table);
    EventBus bus = EventBus.fromEnvironment(environment, outbox);
    return new ReferralLinks(dynamo, table, bus, outbox, Clock.systemUTC());
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return HttpEdge.handle(event, request -> keys.apply(request, "links", this::create));
  }

  private APIGatewayV2HTTPResponse create(HttpRequest request) {
    return switch (links.linkFor(request.body())) {
      case ReferralLinks.Created created -> HttpResponses.json(201, view(created.link(), request));
      case ReferralLinks.Existing existing ->
          HttpResponses.json(200, view(existing.link(), request));
      case ReferralLinks.UnknownCampaign unknown ->
          HttpResponses.problem(
              Problem.notFound("campaignId", "no campaign " + unknown.campaignId()));
      case ReferralLinks.CampaignEnded ended ->
          HttpResponses.problem(
              Problem.refused(
                  "campaign-ended", "Campaign ended", "campaignId",
                  "campaign " + ended.campaignId() + " takes no new links"));
    };
  }

  private static ObjectNode view(ReferralLink link, HttpRequest request) {
    ObjectNode node = Json.object();
    node.put("code", link.code().value());
    node.put("url", request.origin() + "/r/" + link.code().value());
    node.put("campaignId", link.campaignId());
    node.put("channel", link.channel());
    node.put("referrerId", link.referrerId());
    node.put("createdAt", link.createdAt().toString());
    return node;
  }
}
