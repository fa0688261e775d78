package dev.spur.core.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Short forms for building and reading DynamoDB attribute values. */
public final class Attr {

  private Attr() {}

  /** A string value. */
  public static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  /** A number value. */
  public static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  /** A list of strings. */
  public static AttributeValue strings(List<String> values) {
    return AttributeValue.fromL(values.stream().map(AttributeValue::fromS).toList());
  }

  /** The string at a name, or empty. */
  public static Optional<String> string(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null || value.s() == null ? Optional.empty() : Optional.of(value.s());
  }

  /** The string at a name, which must be there. */
  public static String requiredString(Map<String, AttributeValue> item, String name) {
    return string(item, name)
        .orElseThrow(() -> new IllegalStateException("item has no string " + name));
  }

  /** The number at a name, or zero when absent. */
  public static long number(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null || value.n() == null ? 0L : Long.parseLong(value.n());
  }

  /** The list of strings at a name, or an empty list. */
  public static List<String> stringList(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    if (value == null || !value.hasL()) {
      return List.of();
    }
    return value.l().stream().map(AttributeValue::s).toList();
  }
}
