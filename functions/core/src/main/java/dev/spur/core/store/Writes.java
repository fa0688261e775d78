package dev.spur.core.store;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The write every "exactly once" of Spur rests on: a put that only succeeds while no item has
 * its key, for use inside a transaction.
 */
public final class Writes {

  private Writes() {}

  /** Puts the item if its key is free; otherwise the transaction is refused. */
  public static TransactWriteItem putNew(String table, Map<String, AttributeValue> item) {
    return put(table, item, false);
  }

  /**
   * Puts the item if its key is free; otherwise the transaction is refused and the refusal
   * carries the item that holds the key, so the caller learns the first outcome in one trip.
   */
  public static TransactWriteItem putNewOrReturnOld(
      String table, Map<String, AttributeValue> item) {
    return put(table, item, true);
  }

  private static TransactWriteItem put(
      String table, Map<String, AttributeValue> item, boolean returnOld) {
    Put.Builder put =
        Put.builder().tableName(table).item(item).conditionExpression("attribute_not_exists(PK)");
    if (returnOld) {
      put.returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
    }
    return TransactWriteItem.builder().put(put.build()).build();
  }
}
