package dev.spur.local.probes;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Answers with a binary body, cookies and a header, to test how responses are written. */
public final class AnswerHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  /** The bytes every answer carries. */
  public static final byte[] BODY = {0, 1, 2, (byte) 0xfe, (byte) 0xff};

  /** Lambda's constructor; the local stack uses it when there is no Map constructor. */
  public AnswerHandler() {}

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(201)
        .withHeaders(Map.of("Content-Type", "application/octet-stream", "X-Answer", "yes"))
        .withCookies(List.of("session=abc; HttpOnly", "theme=dark"))
        .withBody(Base64.getEncoder().encodeToString(BODY))
        .withIsBase64Encoded(true)
        .build();
  }
}
