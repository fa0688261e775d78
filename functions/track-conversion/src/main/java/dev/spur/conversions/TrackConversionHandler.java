package dev.spur.conversions;

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
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code POST /conversions}: records a referred customer's qualifying order. A repeat of the
 * same order answers with the first result and changes nothing.
 */
public final class TrackConversionHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  private final Conversions conversions;
  private final IdempotencyKeys keys;

  /** Used by Lambda: builds the clients once per container from the environment. */
  public TrackConversionHandler() {
    this(System.getenv());
  }

  /** Builds the real clients from the given environment. */
  public TrackConversionHandler(Map<String, String> environment) {
    this(AwsClients.dynamoDb(environment), AwsClients.required(environment, "TABLE_NAME"),
        environment);
  }

  private TrackConversionHandler(
      DynamoDbClient dynamo, String table, Map<String, String> environment) {
    this(conversions(dynamo, table, environment), new IdempotencyKeys(dynamo, table,
        Clock.systemUTC()));
  }

  /** Uses the given operations. */
  public TrackConversionHandler(Conversions conversions, IdempotencyKeys keys) {
    this.conversions = conversions;
    this.keys = keys;
  }

  private static Conversions conversions(
      DynamoDbClient dynamo, String table, Map<String, String> environment) {
    Outbox outbox = new Outbox(dynamo, table);
    EventBus bus = EventBus.fromEnvironment(environment, outbox);
    return new Conversions(dynamo, table, bus, outbox, Clock.systemUTC());
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return HttpEdge.handle(event, request -> keys.apply(request, "conversions", this::record));
  }

  private APIGatewayV2HTTPResponse record(HttpRequest request) {
    return switch (conversions.record(request.body(), request.cookie("spur_ref"))) {
      case Conversions.Recorded recorded -> HttpResponses.json(201, view(recorded.conversion()));
      case Conversions.Replayed replayed -> HttpResponses.json(200, view(replayed.conversion()));
      case Conversions.ConflictingRepeat conflict ->
          HttpResponses.problem(
              Problem.conflict(
                  "orderId", "order " + conflict.orderId() + " was reported with other figures"));
      case Conversions.UnknownCampaign unknown ->
          HttpResponses.problem(
              Problem.notFound("campaignId", "no campaign " + unknown.campaignId()));
      case Conversions.UnknownCode unknown ->
          HttpResponses.problem(
              Problem.notFound(unknown.field(), "no referral link has this code"));
      case Conversions.Refused refused ->
          HttpResponses.problem(
              Problem.refused(refused.reason(), "Conversion refused", refused.field(),
                  refused.detail()));
    };
  }

  private static ObjectNode view(Conversion c) {
    ObjectNode node = Json.object();
    node.put("conversionId", c.conversionId());
    node.put("status", "RECORDED");
    node.put("campaignId", c.campaignId());
    node.put("orderId", c.orderId());
    node.put("code", c.code());
    node.put("channel", c.channel());
    node.put("referrerId", c.referrerId());
    node.put("refereeId", c.refereeId());
    ObjectNode amount = node.putObject("amount");
    amount.put("amount", c.amount().amount());
    amount.put("currency", c.amount().currency());
    node.put("orderedAt", c.orderedAt().toString());
    node.put("recordedAt", c.recordedAt().toString());
    if (c.variant() != null) {
      node.put("variant", c.variant());
    }
    return node;
  }
}
