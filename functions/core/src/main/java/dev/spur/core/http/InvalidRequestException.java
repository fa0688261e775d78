package dev.spur.core.http;

import java.util.List;

/** Thrown while reading a request that is malformed; becomes a 400 problem at the edge. */
public final class InvalidRequestException extends RuntimeException {

  private final transient List<FieldError> errors;

  public InvalidRequestException(List<FieldError> errors) {
    super(
        errors.isEmpty()
            ? "invalid request"
            : errors.get(0).field() + ": " + errors.get(0).detail());
    this.errors = List.copyOf(errors);
  }

  /** A failure about a single field. */
  public static InvalidRequestException field(String field, String detail) {
    return new InvalidRequestException(List.of(new FieldError(field, detail)));
  }

  /** Every offending field, in the order found. */
  public List<FieldError> errors() {
    return errors;
  }
}
