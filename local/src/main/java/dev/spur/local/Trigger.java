package dev.spur.local;

import java.util.Map;
import java.util.Optional;

/** What makes a function of the template run: one entry of its {@code Events} section. */
public sealed interface Trigger permits Trigger.HttpRoute, Trigger.BusRule, Trigger.Schedule {

  /** The event's name inside the function's {@code Events} section. */
  String name();

  /**
   * An {@code HttpApi} event: one route of an HTTP API.
   *
   * @param method upper-case HTTP method, or {@code ANY}
   * @param path the route's path template such as {@code /r/{code}}, or {@code $default}
   * @param apiId the {@code ApiId} property as written, unresolved; {@code null} for the implicit
   *     API
   */
  record HttpRoute(String name, String method, String path, Object apiId) implements Trigger {

    /** The route key API Gateway reports, such as {@code GET /r/{code}}. */
    public String routeKey() {
      return path.equals("$default") ? "$default" : method + " " + path;
    }
  }

  /**
   * An {@code EventBridgeRule} event.
   *
   * @param bus the {@code EventBusName} property as written; {@code null} means the default bus
   * @param pattern the rule's event pattern, exactly as the template gives it
   * @param maximumRetryAttempts from the rule's {@code RetryPolicy}, EventBridge's default if unset
   * @param maximumEventAgeSeconds from the rule's {@code RetryPolicy}, EventBridge's default if
   *     unset
   * @param deadLetterArn the {@code DeadLetterConfig.Arn} property as written, if any
   */
  record BusRule(
      String name,
      Object bus,
      Map<String, Object> pattern,
      int maximumRetryAttempts,
      int maximumEventAgeSeconds,
      Optional<Object> deadLetterArn)
      implements Trigger {

    /** EventBridge's retry count when a rule target names none. */
    public static final int DEFAULT_RETRY_ATTEMPTS = 185;

    /** EventBridge's maximum event age, in seconds, when a rule target names none. */
    public static final int DEFAULT_EVENT_AGE_SECONDS = 86_400;
  }

  /**
   * A {@code Schedule} event.
   *
   * @param expression the {@code Schedule} property as written, unresolved
   * @param enabled false when the template disables the schedule
   * @param input the {@code Input} property as written, sent instead of the scheduled event
   */
  record Schedule(String name, Object expression, boolean enabled, Optional<Object> input)
      implements Trigger {}
}
