package dev.spur.core.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spur.core.json.Json;
import dev.spur.core.money.Money;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the fields of a JSON request body, collecting every problem before failing so that a
 * caller learns all offending fields in one answer. Field paths use dots for nesting.
 */
public final class JsonBody {

  /** Largest body accepted, in characters. */
  public static final int MAX_LENGTH = 64 * 1024;

  private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]");
  private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("2999-12-31T23:59:59Z");

  private final JsonNode root;
  private final List<FieldError> errors = new ArrayList<>();

  private JsonBody(JsonNode root) {
    this.root = root;
  }

  /** Parses a request body that must be one JSON object. */
  public static JsonBody parse(String text) {
    if (text == null || text.isBlank()) {
      throw InvalidRequestException.field("body", "is required: send a JSON object");
    }
    if (text.length() > MAX_LENGTH) {
      throw InvalidRequestException.field("body", "is larger than " + MAX_LENGTH + " characters");
    }
    JsonNode root;
    try {
      root = Json.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      var location = e.getLocation();
      String where =
          location == null
              ? ""
              : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
      throw InvalidRequestException.field("body", "is not valid JSON" + where);
    }
    if (root == null || !root.isObject()) {
      throw InvalidRequestException.field("body", "must be a JSON object");
    }
    return new JsonBody(root);
  }

  /**
   * The raw node at a dotted path, or empty when absent or null; a number picks an element of an
   * array, as in {@code program.tiers.0.name}.
   */
  public Optional<JsonNode> node(String path) {
    JsonNode node = root;
    for (String part : path.split("\\.")) {
      if (node != null && node.isArray() && part.matches("[0-9]{1,4}")) {
        node = node.get(Integer.parseInt(part));
      } else if (node == null || !node.isObject()) {
        return Optional.empty();
      } else {
        node = node.get(part);
      }
    }
    return node == null || node.isNull() ? Optional.empty() : Optional.of(node);
  }

  /** Records a problem with a field. */
  public void reject(String path, String detail) {
    errors.add(new FieldError(path, detail));
  }

  /** A required string of 1 to maxLength characters matching the pattern, or null if invalid. */
  public String requiredText(String path, int maxLength, Pattern pattern, String patternHint) {
    Optional<JsonNode> node = node(path);
    if (node.isEmpty()) {
      reject(path, "is required");
      return null;
    }
    return text(path, node.get(), maxLength, pattern, patternHint);
  }

  /** An optional string, validated like {@link #requiredText} when present. */
  public Optional<String> optionalText(
      String path, int maxLength, Pattern pattern, String patternHint) {
    return node(path).map(node -> text(path, node, maxLength, pattern, patternHint));
  }

  private String text(String path, JsonNode node, int maxLength, Pattern pattern, String hint) {
    if (!node.isTextual()) {
      reject(path, "must be a string");
      return null;
    }
    String value = node.textValue();
    if (value.isBlank()) {
      reject(path, "must not be blank");
      return null;
    }
    if (value.length() > maxLength) {
      reject(path, "must be at most " + maxLength + " characters");
      return null;
    }
    if (INVISIBLE.matcher(value).find()) {
      reject(path, "must not hold control or invisible characters");
      return null;
    }
    if (pattern != null && !pattern.matcher(value).matches()) {
      reject(path, hint);
      return null;
    }
    return value;
  }

  /** A required whole number within [min, max], or null if invalid. */
  public Long requiredLong(String path, long min, long max) {
    Optional<JsonNode> node = node(path);
    if (node.isEmpty()) {
      reject(path, "is required");
      return null;
    }
    return whole(path, node.get(), min, max);
  }

  /** An optional whole number within [min, max]. */
  public Optional<Long> optionalLong(String path, long min, long max) {
    return node(path).map(node -> whole(path, node, min, max));
  }

  private Long whole(String path, JsonNode node, long min, long max) {
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      reject(path, "must be a whole number");
      return null;
    }
    long value = node.longValue();
    if (value < min || value > max) {
      reject(path, "must be between " + min + " and " + max);
      return null;
    }
    return value;
  }

  /**
   * A required money object {@code {"amount": <minor units>, "currency": "EUR"}} with a
   * non-negative amount, or null if invalid.
   */
  public Money requiredMoney(String path, long maxAmount) {
    Optional<JsonNode> node = node(path);
    if (node.isEmpty()) {
      reject(path, "is required");
      return null;
    }
    if (!node.get().isObject()) {
      reject(path, "must be an object with amount (minor units) and currency");
      return null;
    }
    Long amount = requiredLong(path + ".amount", 0, maxAmount);
    String currency = requiredText(path + ".currency", 3, null, null);
    if (currency != null && !Money.isCurrency(currency)) {
      reject(path + ".currency",
          "must be an ISO 4217 code with minor units, in capitals, such as EUR");
      currency = null;
    }
    return amount == null || currency == null ? null : new Money(amount, currency);
  }

  /** An optional ISO-8601 instant such as {@code 2027-03-14T10:15:00Z}. */
  public Optional<Instant> optionalInstant(String path) {
    return node(path)
        .map(
            node -> {
              if (!node.isTextual()) {
                reject(path, "must be an ISO-8601 instant such as 2027-03-14T10:15:00Z");
                return null;
              }
              try {
                Instant instant = Instant.parse(node.textValue());
                if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
                  reject(path, "must be between 2000 and 2999");
                  return null;
                }
                return instant;
              } catch (DateTimeParseException e) {
                reject(path, "must be an ISO-8601 instant such as 2027-03-14T10:15:00Z");
                return null;
              }
            });
  }

  /** True when nothing was rejected so far. */
  public boolean valid() {
    return errors.isEmpty();
  }

  /** Fails with every problem found, if any. */
  public void validate() {
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
  }
}
