package dev.spur.core.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spur.core.json.Json;
import dev.spur.core.store.Attr;
import dev.spur.core.store.Keys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Events waiting to be published. An event is written here in the same transaction as the
 * fact it announces and deleted once the bus has taken it, so a failed {@code PutEvents} is
 * re-driven later instead of lost. The sparse index {@code GSI2} lists what is still waiting.
 */
public final class Outbox {

  private static final String PARTITION = "OUTBOX";

  private final DynamoDbClient dynamo;
  private final String table;

  public Outbox(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  /** The write that records an event as waiting; goes into the caller's transaction. */
  public TransactWriteItem put(DomainEvent event, Instant now) {
    Map<String, AttributeValue> item = new HashMap<>(Keys.of(PARTITION + "#" + event.eventId(),
        PARTITION));
    item.put("detailType", Attr.s(event.detailType()));
    item.put("detail", Attr.s(event.detailJson()));
    item.put("recordedAt", Attr.s(now.toString()));
    item.put("GSI2PK", Attr.s(PARTITION));
    item.put("GSI2SK", Attr.s(now + "#" + event.eventId()));
    // Kept a week at most, so a bus that stays down for good does not grow the table forever.
    item.put(Keys.EXPIRES_AT, Attr.n(now.plusSeconds(7 * 24 * 3600).getEpochSecond()));
    return TransactWriteItem.builder()
        .put(Put.builder().tableName(table).item(item).build())
        .build();
  }

  /** Marks an event as published. */
  public void remove(String eventId) {
    dynamo.deleteItem(
        DeleteItemRequest.builder()
            .tableName(table)
            .key(Keys.of(PARTITION + "#" + eventId, PARTITION))
            .build());
  }

  /** Events recorded before the given instant and not yet published, oldest first. */
  public List<DomainEvent> waitingSince(Instant before, int limit) {
    List<DomainEvent> events = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      QueryResponse page =
          dynamo.query(
              QueryRequest.builder()
                  .tableName(table)
                  .indexName(Keys.GSI2)
                  .keyConditionExpression("GSI2PK = :p AND GSI2SK < :before")
                  .expressionAttributeValues(
                      Map.of(":p", Attr.s(PARTITION), ":before", Attr.s(before.toString())))
                  .exclusiveStartKey(start)
                  .limit(Math.min(100, limit - events.size()))
                  .build());
      for (Map<String, AttributeValue> item : page.items()) {
        String pk = Attr.requiredString(item, Keys.PK);
        ObjectNode detail = (ObjectNode) Json.read(Attr.requiredString(item, "detail"));
        events.add(
            new DomainEvent(
                Attr.requiredString(item, "detailType"),
                pk.substring(PARTITION.length() + 1),
                detail));
      }
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
          ? page.lastEvaluatedKey() : null;
    } while (start != null && events.size() < limit);
    return events;
  }
}
