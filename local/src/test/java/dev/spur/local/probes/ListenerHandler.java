package dev.spur.local.probes;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * Records every bus event it gets. An event whose detail has {@code failures: N} fails its first
 * N deliveries; {@code failures: -1} fails them all.
 */
public final class ListenerHandler implements RequestHandler<Map<String, Object>, String> {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String stack;

  /** The constructor the local stack calls. */
  public ListenerHandler(Map<String, String> environment) {
    this.stack = environment.get("PROBE_KEY");
  }

  @Override
  public String handleRequest(Map<String, Object> event, Context context) {
    int attempt;
    try {
      attempt = Probe.record(stack, JSON.writeValueAsString(event));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    Object detail = event.get("detail");
    Object failures = detail instanceof Map<?, ?> map ? map.get("failures") : null;
    if (failures instanceof Number number
        && (number.intValue() < 0 || attempt <= number.intValue())) {
      throw new IllegalStateException("probe failure on attempt " + attempt);
    }
    return "handled " + attempt;
  }
}
