package dev.spur.clicks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.spur.core.aws.AwsClients;
import dev.spur.core.http.HttpEdge;
import dev.spur.core.http.HttpRequest;
import dev.spur.core.http.HttpResponses;
import dev.spur.core.http.Problem;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /r/{code}}: counts the click and sends the visitor on to the campaign's landing
 * page with the code, setting the referral cookie {@code spur_ref} for the attribution window.
 */
public final class TrackClickHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  /** The cookie that carries a visitor's code and click to checkout. */
  public static final String COOKIE = "spur_ref";

  private final Clicks clicks;

  /** Used by Lambda: builds the clients once per container from the environment. */
  public TrackClickHandler() {
    this(System.getenv());
  }

  /** Builds the real clients from the given environment. */
  public TrackClickHandler(Map<String, String> environment) {
    this(
        new Clicks(
            AwsClients.dynamoDb(environment),
            AwsClients.required(environment, "TABLE_NAME"),
            Clock.systemUTC()));
  }

  /** Uses the given operations. */
  public TrackClickHandler(Clicks clicks) {
    this.clicks = clicks;
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return HttpEdge.handle(event, this::click);
  }

  /**
   * The visitor's own query (UTM tags, say) goes on to the landing page, less any parameter
   * that would shadow the code or the click.
   */
  private static String passedOn(String rawQuery) {
    StringBuilder kept = new StringBuilder();
    for (String pair : rawQuery.split("&")) {
      String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
      if (pair.isEmpty() || name.equals("ref") || name.equals("spur_click")
          || !pair.matches("[A-Za-z0-9._~%+=-]*")) {
        continue;
      }
      kept.append('&').append(pair);
    }
    return kept.toString();
  }

  private APIGatewayV2HTTPResponse click(HttpRequest request) {
    String code = request.pathParameter("code").orElse("");
    return switch (clicks.click(code)) {
      case Clicks.Counted counted -> {
        String landing = counted.campaign().landingUrl();
        String separator = landing.contains("?") ? "&" : "?";
        String location =
            landing
                + separator
                + "ref="
                + counted.link().code().value()
                + "&spur_click="
                + URLEncoder.encode(counted.clickId(), StandardCharsets.UTF_8)
                + passedOn(request.rawQuery());
        long maxAge = counted.campaign().attributionWindow().toSeconds();
        String cookie =
            COOKIE + "=" + counted.link().code().value() + "." + counted.clickId()
                + "; Max-Age=" + maxAge + "; Path=/; Secure; HttpOnly; SameSite=Lax";
        yield HttpResponses.redirect(location, List.of(cookie));
      }
      case Clicks.UnknownCode unknown ->
          HttpResponses.problem(Problem.notFound("code", "no referral link has this code"));
    };
  }
}
