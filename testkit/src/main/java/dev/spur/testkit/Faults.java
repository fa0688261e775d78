package dev.spur.testkit;

/**
 * How often a {@link FaultProxy} makes a call to DynamoDB, EventBridge or SES fail, each a
 * probability between 0 and 1 drawn per call.
 *
 * @param throttle answer with the service's throttling error, writing nothing
 * @param serverError answer 500, writing nothing
 * @param lostAnswer forward the call, so its writes happen, then answer 500 as if the answer
 *     was lost on the way back: the failure a timeout leaves behind
 * @param partialPutEvents fail about half the entries of a {@code PutEvents}, publishing only
 *     the rest
 */
public record Faults(double throttle, double serverError, double lostAnswer,
    double partialPutEvents) {

  /** No faults. */
  public static final Faults NONE = new Faults(0, 0, 0, 0);

  public Faults {
    for (double rate : new double[] {throttle, serverError, lostAnswer, partialPutEvents}) {
      if (rate < 0 || rate > 1) {
        throw new IllegalArgumentException("fault rates are probabilities");
      }
    }
  }
}
