package dev.spur.allocation;

/** No split of the budget satisfies the campaign's guardrails; the message says which. */
public final class InfeasibleGuardrailsException extends RuntimeException {

  public InfeasibleGuardrailsException(String message) {
    super(message);
  }
}
