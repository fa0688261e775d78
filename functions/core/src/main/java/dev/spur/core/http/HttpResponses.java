package dev.spur.core.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.spur.core.json.Json;
import java.util.List;
import java.util.Map;

/** Builds the HTTP API responses Spur sends. */
public final class HttpResponses {

  private HttpResponses() {}

  /** A JSON body with the given status. */
  public static APIGatewayV2HTTPResponse json(int status, Object body) {
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(status)
        .withHeaders(Map.of("content-type", "application/json", "cache-control", "no-store"))
        .withBody(Json.write(body))
        .build();
  }

  /** An RFC 9457 problem document. */
  public static APIGatewayV2HTTPResponse problem(Problem problem) {
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(problem.status())
        .withHeaders(
            Map.of("content-type", "application/problem+json", "cache-control", "no-store"))
        .withBody(Json.write(problem))
        .build();
  }

  /**
   * A small HTML page for a person at a browser. It loads nothing and runs nothing, so its
   * policy forbids both, and no other site may frame it.
   */
  public static APIGatewayV2HTTPResponse html(int status, String body) {
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(status)
        .withHeaders(
            Map.of(
                "content-type", "text/html; charset=utf-8",
                "cache-control", "no-store",
                "content-security-policy",
                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self';"
                    + " frame-ancestors 'none'",
                "referrer-policy", "no-referrer"))
        .withBody(body)
        .build();
  }

  /** A 302 to the given location, setting the given cookies. */
  public static APIGatewayV2HTTPResponse redirect(String location, List<String> cookies) {
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(302)
        .withHeaders(
            Map.of(
                "location", location,
                "cache-control", "no-store",
                "referrer-policy", "no-referrer"))
        .withCookies(cookies)
        .build();
  }
}
