package dev.spur.customers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.spur.core.aws.AwsClients;
import dev.spur.core.events.EventBus;
import dev.spur.core.events.Outbox;
import dev.spur.core.http.HttpEdge;
import dev.spur.core.http.HttpRequest;
import dev.spur.core.http.HttpResponses;
import dev.spur.core.http.IdempotencyKeys;
import dev.spur.core.http.Problem;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The customer lifecycle routes a merchant's back end calls: {@code POST /orders}, {@code POST
 * /orders/{orderId}/refunds} and {@code POST /feedback}. Each is idempotent on its natural key
 * and on the {@code Idempotency-Key} header.
 */
public final class CustomersHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  private final Orders orders;
  private final Feedback feedback;
  private final IdempotencyKeys keys;

  /** Used by Lambda: builds the clients once per container from the environment. */
  public CustomersHandler() {
    this(System.getenv());
  }

  /** Builds the real clients from the given environment. */
  public CustomersHandler(Map<String, String> environment) {
    this(AwsClients.dynamoDb(environment), AwsClients.required(environment, "TABLE_NAME"),
        environment);
  }

  private CustomersHandler(DynamoDbClient dynamo, String table, Map<String, String> environment) {
    this(dynamo, table, new Outbox(dynamo, table), environment);
  }

  private CustomersHandler(
      DynamoDbClient dynamo, String table, Outbox outbox, Map<String, String> environment) {
    this(
        new Orders(dynamo, table, EventBus.fromEnvironment(environment, outbox), outbox,
            Clock.systemUTC()),
        new Feedback(dynamo, table, Clock.systemUTC()),
        new IdempotencyKeys(dynamo, table, Clock.systemUTC()));
  }

  /** Uses the given operations. */
  public CustomersHandler(Orders orders, Feedback feedback, IdempotencyKeys keys) {
    this.orders = orders;
    this.feedback = feedback;
    this.keys = keys;
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return HttpEdge.handle(event, this::route);
  }

  private APIGatewayV2HTTPResponse route(HttpRequest request) {
    String routeKey = request.routeKey();
    return switch (routeKey) {
      case "POST /orders" ->
          keys.apply(request, "orders", r -> answer(orders.order(r.body()), "Order refused"));
      case "POST /orders/{orderId}/refunds" -> {
        String orderId = request.pathParameter("orderId").orElse("");
        // The body does not name the order, so a key is remembered per order.
        String scope = "refunds/" + (Inputs.ID.matcher(orderId).matches() ? orderId : "-");
        yield keys.apply(request, scope,
            r -> answer(orders.refund(orderId, r.body()), "Refund refused"));
      }
      case "POST /feedback" ->
          keys.apply(request, "feedback",
              r -> answer(feedback.record(r.body()), "Feedback refused"));
      default ->
          HttpResponses.problem(Problem.of(404, "not-found", "Not found", "No route " + routeKey));
    };
  }

  private static APIGatewayV2HTTPResponse answer(Orders.Result result, String refusal) {
    return switch (result) {
      case Orders.Recorded recorded -> HttpResponses.json(201, recorded.view());
      case Orders.Replayed replayed -> HttpResponses.json(200, replayed.view());
      case Orders.Conflicting conflicting ->
          HttpResponses.problem(Problem.conflict(conflicting.field(), conflicting.detail()));
      case Orders.Unknown unknown ->
          HttpResponses.problem(Problem.notFound(unknown.field(), unknown.detail()));
      case Orders.Refused refused ->
          HttpResponses.problem(
              Problem.refused(refused.reason(), refusal, refused.field(), refused.detail()));
    };
  }
}
