package dev.spur.core.lifecycle;

import dev.spur.core.store.Attr;
import dev.spur.core.store.Keys;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * One {@code UpdateItem} of a transaction: attributes set, counters added, and an optional
 * condition. Every attribute goes through a name placeholder, so reserved words are no trap.
 */
final class ItemUpdate {

  private final String table;
  private final Map<String, AttributeValue> key;
  private final Map<String, AttributeValue> sets = new LinkedHashMap<>();
  private final Map<String, Long> adds = new LinkedHashMap<>();
  private final Map<String, String> names = new HashMap<>();
  private final Map<String, AttributeValue> values = new HashMap<>();
  private String condition;

  private ItemUpdate(String table, Map<String, AttributeValue> key) {
    this.table = table;
    this.key = key;
  }

  static ItemUpdate of(String table, String campaignId, String sort) {
    return new ItemUpdate(table, Keys.of(Keys.campaign(campaignId), sort));
  }

  ItemUpdate set(String attribute, AttributeValue value) {
    sets.put(attribute, value);
    return this;
  }

  ItemUpdate add(String attribute, long delta) {
    adds.merge(attribute, delta, Long::sum);
    return this;
  }

  /**
   * The condition, written with {@code #name} for attributes and {@code :name} for values; the
   * names map to attributes of the same name.
   */
  ItemUpdate when(String expression, Map<String, AttributeValue> conditionValues) {
    this.condition = expression;
    conditionValues.forEach(values::put);
    for (String token : expression.split("[^#A-Za-z0-9_]+")) {
      if (token.startsWith("#")) {
        names.put(token, token.substring(1));
      }
    }
    return this;
  }

  TransactWriteItem write() {
    StringJoiner expression = new StringJoiner(" ");
    int i = 0;
    if (!sets.isEmpty()) {
      StringJoiner set = new StringJoiner(", ", "SET ", "");
      for (var entry : sets.entrySet()) {
        set.add("#u" + i + " = :u" + i);
        names.put("#u" + i, entry.getKey());
        values.put(":u" + i, entry.getValue());
        i++;
      }
      expression.add(set.toString());
    }
    if (!adds.isEmpty()) {
      StringJoiner add = new StringJoiner(", ", "ADD ", "");
      for (var entry : adds.entrySet()) {
        add.add("#u" + i + " :u" + i);
        names.put("#u" + i, entry.getKey());
        values.put(":u" + i, Attr.n(entry.getValue()));
        i++;
      }
      expression.add(add.toString());
    }
    Update.Builder update =
        Update.builder()
            .tableName(table)
            .key(key)
            .updateExpression(expression.toString())
            .expressionAttributeNames(names)
            .expressionAttributeValues(values);
    if (condition != null) {
      update.conditionExpression(condition);
    }
    return TransactWriteItem.builder().update(update.build()).build();
  }
}
