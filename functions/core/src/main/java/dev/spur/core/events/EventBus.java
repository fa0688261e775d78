package dev.spur.core.events;

import dev.spur.core.aws.AwsClients;
import dev.spur.core.log.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/**
 * Publishes Spur's events on its bus and clears them from the outbox once the bus accepted
 * them. An event the bus refuses stays in the outbox for the re-drive.
 */
public final class EventBus {

  private static final Log LOG = Log.of(EventBus.class);
  private static final int BATCH = 10;

  private final EventBridgeClient events;
  private final String busName;
  private final Outbox outbox;

  public EventBus(EventBridgeClient events, String busName, Outbox outbox) {
    this.events = events;
    this.busName = busName;
    this.outbox = outbox;
  }

  /** The bus named by {@code BUS_NAME}, with an EventBridge client built from the environment. */
  public static EventBus fromEnvironment(Map<String, String> environment, Outbox outbox) {
    return new EventBus(
        AwsClients.eventBridge(environment),
        AwsClients.required(environment, "BUS_NAME"),
        outbox);
  }

  /**
   * Publishes the events, at most ten to a call, and returns how many the bus accepted. Never
   * throws for a failure of the bus: what was not accepted is still in the outbox.
   */
  public int publish(List<DomainEvent> toPublish) {
    int accepted = 0;
    for (int from = 0; from < toPublish.size(); from += BATCH) {
      List<DomainEvent> batch = toPublish.subList(from, Math.min(toPublish.size(), from + BATCH));
      accepted += publishBatch(batch);
    }
    return accepted;
  }

  private int publishBatch(List<DomainEvent> batch) {
    List<PutEventsRequestEntry> entries = new ArrayList<>();
    for (DomainEvent event : batch) {
      entries.add(
          PutEventsRequestEntry.builder()
              .eventBusName(busName)
              .source(DomainEvent.SOURCE)
              .detailType(event.detailType())
              .detail(event.detailJson())
              .build());
    }
    PutEventsResponse response;
    try {
      response = events.putEvents(PutEventsRequest.builder().entries(entries).build());
    } catch (SdkException e) {
      LOG.warn("events.unpublished", "count", batch.size(), "exception", e.getClass().getName());
      return 0;
    }
    int accepted = 0;
    for (int i = 0; i < batch.size(); i++) {
      DomainEvent event = batch.get(i);
      var result = response.entries().size() > i ? response.entries().get(i) : null;
      if (result == null || result.errorCode() != null) {
        LOG.warn(
            "event.unpublished",
            "eventId", event.eventId(),
            "detailType", event.detailType(),
            "errorCode", result == null ? "missing" : result.errorCode());
        continue;
      }
      accepted++;
      try {
        outbox.remove(event.eventId());
      } catch (SdkException e) {
        // Published but still listed: the re-drive publishes it again, and every consumer
        // de-duplicates on the event id, so a second copy does no harm.
        LOG.warn("outbox.not-cleared", "eventId", event.eventId());
      }
    }
    return accepted;
  }
}
