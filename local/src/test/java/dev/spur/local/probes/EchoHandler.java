package dev.spur.local.probes;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Answers every request with the event it received, as the serializer reads it back. */
public final class EchoHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  private static final PojoSerializer<APIGatewayV2HTTPEvent> EVENTS =
      LambdaEventSerializers.serializerFor(
          APIGatewayV2HTTPEvent.class, EchoHandler.class.getClassLoader());

  /** The constructor the local stack calls. */
  public EchoHandler(Map<String, String> environment) {}

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    EVENTS.toJson(event, json);
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(200)
        .withHeaders(Map.of("Content-Type", "application/json"))
        .withBody(json.toString(StandardCharsets.UTF_8))
        .build();
  }
}
