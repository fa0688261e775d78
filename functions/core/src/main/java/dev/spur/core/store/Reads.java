package dev.spur.core.store;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/** Reads one item by key, always strongly consistent, so a read follows the writes before it. */
public final class Reads {

  private Reads() {}

  /** The item with that key, or an empty map when there is none. */
  public static Map<String, AttributeValue> item(
      DynamoDbClient dynamo, String table, Map<String, AttributeValue> key) {
    Map<String, AttributeValue> item =
        dynamo
            .getItem(
                GetItemRequest.builder().tableName(table).key(key).consistentRead(true).build())
            .item();
    return item == null ? Map.of() : item;
  }
}
