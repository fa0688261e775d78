package dev.spur.local;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A DynamoDB table as the template declares it.
 *
 * @param id the table's logical id
 * @param attributeTypes every attribute definition: name to {@code S}, {@code N} or {@code B}
 * @param keys the table's primary key
 * @param globalIndexes the global secondary indexes in template order
 * @param timeToLiveAttribute the attribute that holds expiry times, when TTL is enabled
 * @param billingMode {@code PAY_PER_REQUEST} or {@code PROVISIONED}
 */
public record TableDefinition(
    String id,
    Map<String, String> attributeTypes,
    KeySchema keys,
    List<GlobalIndex> globalIndexes,
    Optional<String> timeToLiveAttribute,
    String billingMode) {

  /** A partition key and an optional sort key. */
  public record KeySchema(String partitionKey, Optional<String> sortKey) {}

  /** A global secondary index with its keys and projection type. */
  public record GlobalIndex(String name, KeySchema keys, String projectionType) {}
}
