package dev.spur.core.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only view of an HTTP API (payload 2.0) request that tolerates what API Gateway may
 * leave out: no headers, no body, a base64-encoded body.
 */
public final class HttpRequest {

  private final APIGatewayV2HTTPEvent event;

  public HttpRequest(APIGatewayV2HTTPEvent event) {
    this.event = event == null ? new APIGatewayV2HTTPEvent() : event;
  }

  /** The HTTP method in capitals, or an empty string when absent. */
  public String method() {
    var context = event.getRequestContext();
    if (context != null && context.getHttp() != null && context.getHttp().getMethod() != null) {
      return context.getHttp().getMethod().toUpperCase(Locale.ROOT);
    }
    String routeKey = event.getRouteKey();
    if (routeKey != null && routeKey.contains(" ")) {
      return routeKey.substring(0, routeKey.indexOf(' ')).toUpperCase(Locale.ROOT);
    }
    return "";
  }

  /** The route key, such as {@code GET /campaigns/{campaignId}}. */
  public String routeKey() {
    return event.getRouteKey() == null ? "" : event.getRouteKey();
  }

  /** A path parameter by name. */
  public Optional<String> pathParameter(String name) {
    Map<String, String> parameters = event.getPathParameters();
    return Optional.ofNullable(parameters == null ? null : parameters.get(name));
  }

  /** A header by name, whatever its case. */
  public Optional<String> header(String name) {
    Map<String, String> headers = event.getHeaders();
    if (headers == null) {
      return Optional.empty();
    }
    for (var entry : headers.entrySet()) {
      if (entry.getKey() != null && entry.getKey().equalsIgnoreCase(name)) {
        return Optional.ofNullable(entry.getValue());
      }
    }
    return Optional.empty();
  }

  /** A cookie by name, from the payload's cookies array. */
  public Optional<String> cookie(String name) {
    List<String> cookies = event.getCookies();
    if (cookies == null) {
      return Optional.empty();
    }
    for (String cookie : cookies) {
      if (cookie == null) {
        continue;
      }
      int equals = cookie.indexOf('=');
      if (equals > 0 && cookie.substring(0, equals).trim().equals(name)) {
        return Optional.of(cookie.substring(equals + 1).trim());
      }
    }
    return Optional.empty();
  }

  /** The body as text, decoded from base64 when API Gateway encoded it; empty when absent. */
  public String body() {
    String body = event.getBody();
    if (body == null) {
      return "";
    }
    if (event.getIsBase64Encoded()) {
      try {
        return new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw InvalidRequestException.field("body", "is marked base64 but is not");
      }
    }
    return body;
  }

  /** The query string as sent, without the question mark; empty when there is none. */
  public String rawQuery() {
    return event.getRawQueryString() == null ? "" : event.getRawQueryString();
  }

  /**
   * A query parameter by name, as API Gateway decoded it (repeated keys arrive joined by
   * commas); empty when absent.
   */
  public Optional<String> queryParameter(String name) {
    Map<String, String> parameters = event.getQueryStringParameters();
    return Optional.ofNullable(parameters == null ? null : parameters.get(name));
  }

  /** The scheme and host the caller used, for links that point back at this API. */
  public String origin() {
    String proto = header("x-forwarded-proto").orElse("https");
    String host = null;
    var context = event.getRequestContext();
    if (context != null) {
      host = context.getDomainName();
    }
    if (host == null || host.isBlank()) {
      host = header("host").orElse("localhost");
    }
    return proto + "://" + host;
  }

  /** The request id API Gateway gave this call. */
  public String requestId() {
    var context = event.getRequestContext();
    return context == null || context.getRequestId() == null ? "" : context.getRequestId();
  }
}
