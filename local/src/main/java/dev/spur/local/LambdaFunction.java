package dev.spur.local;

import java.util.List;
import java.util.Map;

/**
 * A function of the template with the template's {@code Globals} merged in, values unresolved.
 *
 * @param id the function's logical id
 * @param handler {@code class::method} as the template gives it
 * @param codeUri where the deployed code comes from
 * @param memorySize megabytes
 * @param timeoutSeconds how long one invocation may run in AWS
 * @param environment the function's environment variables as written (intrinsics unresolved)
 * @param triggers the function's events in template order
 */
public record LambdaFunction(
    String id,
    String handler,
    String codeUri,
    int memorySize,
    int timeoutSeconds,
    Map<String, Object> environment,
    List<Trigger> triggers) {

  /** The handler's class name, without the method. */
  public String handlerClass() {
    int separator = handler.indexOf("::");
    return separator < 0 ? handler : handler.substring(0, separator);
  }

  /** Triggers of one kind, in template order. */
  public <T extends Trigger> List<T> triggers(Class<T> kind) {
    return triggers.stream().filter(kind::isInstance).map(kind::cast).toList();
  }
}
