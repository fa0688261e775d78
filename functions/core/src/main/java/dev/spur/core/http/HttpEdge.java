package dev.spur.core.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.spur.core.log.Log;
import java.util.function.Function;

/**
 * The one place where an HTTP function turns failures into problem documents: malformed input
 * becomes 400 with the fields named, and anything unexpected a 500 that names no internals.
 */
public final class HttpEdge {

  private static final Log LOG = Log.of(HttpEdge.class);

  private HttpEdge() {}

  /** Runs a request through the given operation. */
  public static APIGatewayV2HTTPResponse handle(
      APIGatewayV2HTTPEvent event, Function<HttpRequest, APIGatewayV2HTTPResponse> operation) {
    HttpRequest request = new HttpRequest(event);
    try {
      return operation.apply(request);
    } catch (InvalidRequestException e) {
      LOG.info(
          "request.invalid",
          "route", request.routeKey(),
          "requestId", request.requestId(),
          "fields", e.errors().stream().map(FieldError::field).toList());
      return HttpResponses.problem(Problem.invalid(e.errors()));
    } catch (RuntimeException e) {
      LOG.error(
          "request.failed",
          "route", request.routeKey(),
          "requestId", request.requestId(),
          "exception", e.getClass().getName(),
          "message", String.valueOf(e.getMessage()),
          "at", e.getStackTrace().length == 0 ? "" : e.getStackTrace()[0].toString());
      return HttpResponses.problem(
          Problem.of(
              500,
              "internal",
              "Internal error",
              "The request failed and changed nothing; it is safe to retry. Request id "
                  + request.requestId()));
    }
  }
}
