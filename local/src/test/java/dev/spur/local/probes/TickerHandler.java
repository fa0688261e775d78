package dev.spur.local.probes;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reports the scheduled event it received, its environment and its context. */
public final class TickerHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {

  private final Map<String, String> environment;

  /** The constructor the local stack calls. */
  public TickerHandler(Map<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("detailType", event.getDetailType());
    report.put("source", event.getSource());
    report.put("account", event.getAccount());
    report.put("region", event.getRegion());
    report.put("resources", event.getResources());
    report.put("detail", event.getDetail());
    report.put("hasTime", event.getTime() != null);
    report.put("tableName", environment.get("TABLE_NAME"));
    report.put("senderEmail", environment.get("SENDER_EMAIL"));
    report.put("functionName", context.getFunctionName());
    report.put("memoryLimit", context.getMemoryLimitInMB());
    report.put("remainingAtMostTimeout", context.getRemainingTimeInMillis() <= 10_000);
    return report;
  }
}
