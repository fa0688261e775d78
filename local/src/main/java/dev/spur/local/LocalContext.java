package dev.spur.local;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The Lambda {@link Context} of one local invocation. Its logger writes each message to standard
 * error as it comes, so a function's JSON log lines stay one per line.
 *
 * <p>The remaining time counts down from the function's timeout, but nothing stops a function
 * that runs past it: the local stack reports the deadline and does not enforce it.
 */
final class LocalContext implements Context {

  private static final LambdaLogger STDERR = new StderrLogger(System.err);

  private final String requestId;
  private final String functionName;
  private final String functionArn;
  private final int memoryLimitMb;
  private final long deadlineNanos;

  LocalContext(
      String requestId, String functionName, String functionArn, int memoryLimitMb, int timeout) {
    this.requestId = requestId;
    this.functionName = functionName;
    this.functionArn = functionArn;
    this.memoryLimitMb = memoryLimitMb;
    this.deadlineNanos = System.nanoTime() + timeout * 1_000_000_000L;
  }

  @Override
  public String getAwsRequestId() {
    return requestId;
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/" + functionName;
  }

  @Override
  public String getLogStreamName() {
    return "local/[$LATEST]" + functionName;
  }

  @Override
  public String getFunctionName() {
    return functionName;
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return functionArn;
  }

  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public ClientContext getClientContext() {
    return null;
  }

  @Override
  public int getRemainingTimeInMillis() {
    long remaining = (deadlineNanos - System.nanoTime()) / 1_000_000L;
    return (int) Math.max(0, remaining);
  }

  @Override
  public int getMemoryLimitInMB() {
    return memoryLimitMb;
  }

  @Override
  public LambdaLogger getLogger() {
    return STDERR;
  }

  private record StderrLogger(PrintStream out) implements LambdaLogger {
    @Override
    public void log(String message) {
      synchronized (out) {
        out.print(message);
        if (!message.endsWith("\n")) {
          out.println();
        }
        out.flush();
      }
    }

    @Override
    public void log(byte[] message) {
      log(new String(message, StandardCharsets.UTF_8));
    }
  }
}
