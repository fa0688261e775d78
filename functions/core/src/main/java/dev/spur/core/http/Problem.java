package dev.spur.core.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem document: the one shape every HTTP error of Spur takes. The
 * {@code errors} member names the offending fields.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
    String type, String title, int status, String detail, List<FieldError> errors) {

  private static final String TYPE_PREFIX = "urn:spur:problem:";

  public Problem {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  /** A problem of the given kind with no field list. */
  public static Problem of(int status, String kind, String title, String detail) {
    return new Problem(TYPE_PREFIX + kind, title, status, detail, List.of());
  }

  /** A 400 naming the fields that are missing, mistyped or malformed. */
  public static Problem invalid(List<FieldError> errors) {
    String detail =
        errors.size() == 1
            ? errors.get(0).field() + ": " + errors.get(0).detail()
            : errors.size() + " fields are invalid";
    return new Problem(TYPE_PREFIX + "invalid-request", "Invalid request", 400, detail, errors);
  }

  /** A 404 for an id that names nothing. */
  public static Problem notFound(String field, String detail) {
    return new Problem(
        TYPE_PREFIX + "not-found", "Not found", 404, detail,
        List.of(new FieldError(field, detail)));
  }

  /** A 409 for a repeat that does not match the first request. */
  public static Problem conflict(String field, String detail) {
    return new Problem(
        TYPE_PREFIX + "conflict", "Conflict", 409, detail, List.of(new FieldError(field, detail)));
  }

  /** A 422 for a well-formed request that a business rule refuses. */
  public static Problem refused(String kind, String title, String field, String detail) {
    return new Problem(
        TYPE_PREFIX + kind, title, 422, detail, List.of(new FieldError(field, detail)));
  }
}
