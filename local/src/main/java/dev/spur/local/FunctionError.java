package dev.spur.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;

/**
 * A function invocation that ended in an exception, carried the way Lambda reports it: an error
 * type and message, and the JSON document {@code sam local invoke} would print.
 */
public final class FunctionError extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String functionId;
  private final String errorType;

  FunctionError(String functionId, Throwable cause) {
    super(functionId + " failed: " + cause, cause);
    this.functionId = functionId;
    this.errorType = cause.getClass().getName();
  }

  /** The logical id of the function that failed. */
  public String functionId() {
    return functionId;
  }

  /** The exception's class name, as Lambda's {@code errorType}. */
  public String errorType() {
    return errorType;
  }

  /** The exception's message, cut to 300 characters, as Lambda's {@code errorMessage}. */
  public String errorMessage() {
    String message = String.valueOf(getCause().getMessage());
    return message.length() > 300 ? message.substring(0, 300) + "..." : message;
  }

  /** {@code {"errorMessage": ..., "errorType": ..., "stackTrace": [...]}} as Lambda reports it. */
  public String toJson() {
    ObjectNode error = JSON.createObjectNode();
    error.put("errorMessage", String.valueOf(getCause().getMessage()));
    error.put("errorType", errorType);
    Arrays.stream(getCause().getStackTrace())
        .map(StackTraceElement::toString)
        .forEach(error.putArray("stackTrace")::add);
    return error.toString();
  }
}
