package dev.spur.core.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spur.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * One event Spur publishes on its bus: a detail type from the fixed list and a detail that
 * carries a stable {@code eventId}, which consumers de-duplicate on.
 */
public record DomainEvent(String detailType, String eventId, ObjectNode detail) {

  /** The source of every Spur event. */
  public static final String SOURCE = "spur";

  public DomainEvent {
    detail = detail.deepCopy();
    detail.put("eventId", eventId);
  }

  /**
   * An event whose id is derived from what it announces, so that announcing the same fact twice
   * gives the same id.
   */
  public static DomainEvent about(String detailType, String naturalKey, ObjectNode detail) {
    String id =
        UUID.nameUUIDFromBytes((detailType + "|" + naturalKey).getBytes(StandardCharsets.UTF_8))
            .toString();
    return new DomainEvent(detailType, id, detail);
  }

  /** The detail as JSON text. */
  public String detailJson() {
    return Json.write(detail);
  }
}
