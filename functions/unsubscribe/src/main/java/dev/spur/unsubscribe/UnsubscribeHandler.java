package dev.spur.unsubscribe;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.spur.core.aws.AwsClients;
import dev.spur.core.http.HttpEdge;
import dev.spur.core.http.HttpRequest;
import dev.spur.core.http.HttpResponses;
import dev.spur.core.http.Problem;
import dev.spur.core.log.Log;
import dev.spur.core.mail.Suppressions;
import java.time.Clock;
import java.util.Map;

/**
 * The unsubscribe link every email carries. {@code GET /unsubscribe/{token}} shows a page with
 * one button, so that a mail scanner that follows links unsubscribes nobody; the button, and a
 * mail client's one-click unsubscribe (RFC 8058), {@code POST} to the same address, which
 * suppresses the mailbox the token names. Repeats are harmless.
 */
public final class UnsubscribeHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  private static final Log LOG = Log.of(UnsubscribeHandler.class);

  private final Suppressions suppressions;
  private final Clock clock;

  /** Used by Lambda: builds the clients once per container from the environment. */
  public UnsubscribeHandler() {
    this(System.getenv());
  }

  /** Builds the real clients from the given environment. */
  public UnsubscribeHandler(Map<String, String> environment) {
    this(new Suppressions(AwsClients.dynamoDb(environment),
        AwsClients.required(environment, "TABLE_NAME")), Clock.systemUTC());
  }

  /** Uses the given store. */
  public UnsubscribeHandler(Suppressions suppressions, Clock clock) {
    this.suppressions = suppressions;
    this.clock = clock;
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return HttpEdge.handle(event, this::route);
  }

  private APIGatewayV2HTTPResponse route(HttpRequest request) {
    String token = request.pathParameter("token").orElse("");
    if (!Suppressions.TOKEN.matcher(token).matches()) {
      return unknown();
    }
    return switch (request.routeKey()) {
      case "GET /unsubscribe/{token}" -> !suppressions.knows(token) ? unknown()
          : HttpResponses.html(200, page(
          "Unsubscribe",
          "<p>Stop all emails from this referral programme to your address?</p>"
              + "<form method=\"post\"><button type=\"submit\">Unsubscribe</button></form>"));
      case "POST /unsubscribe/{token}" -> switch (suppressions.unsubscribe(token,
          clock.instant())) {
        case DONE -> {
          LOG.info("mail.unsubscribed");
          yield HttpResponses.html(200, page("Unsubscribed",
              "<p>You will get no more emails from this referral programme.</p>"));
        }
        case ALREADY -> HttpResponses.html(200, page("Unsubscribed",
            "<p>You were unsubscribed already; you will get no more emails from this referral"
                + " programme.</p>"));
        case UNKNOWN_TOKEN -> unknown();
      };
      default -> HttpResponses.problem(
          Problem.of(404, "not-found", "Not found", "No route " + request.routeKey()));
    };
  }

  private static APIGatewayV2HTTPResponse unknown() {
    return HttpResponses.problem(
        Problem.notFound("token", "no unsubscribe link has this token"));
  }

  private static String page(String title, String body) {
    return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width\"><title>" + title
        + "</title></head><body style=\"font-family:sans-serif;max-width:32em;margin:3em auto\">"
        + "<h1>" + title + "</h1>" + body + "</body></html>";
  }
}
