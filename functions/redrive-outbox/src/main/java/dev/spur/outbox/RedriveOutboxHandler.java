package dev.spur.outbox;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.spur.core.aws.AwsClients;
import dev.spur.core.events.DomainEvent;
import dev.spur.core.events.EventBus;
import dev.spur.core.events.Outbox;
import dev.spur.core.log.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs on a schedule and publishes the events that were recorded but never reached the bus,
 * because a {@code PutEvents} failed or the function died after its write. Only events older
 * than a grace period are taken, so it rarely races the function that wrote them; when it does,
 * consumers de-duplicate on the event id. The scheduled event is read as a plain map: nothing in
 * it matters, so no shape of its {@code detail} can stop the run.
 */
public final class RedriveOutboxHandler
    implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  private static final Log LOG = Log.of(RedriveOutboxHandler.class);
  private static final Duration GRACE = Duration.ofSeconds(30);
  private static final int LIMIT = 1_000;

  private final Outbox outbox;
  private final EventBus bus;
  private final Clock clock;
  private final Duration grace;

  /** Used by Lambda: builds the clients once per container from the environment. */
  public RedriveOutboxHandler() {
    this(System.getenv());
  }

  /** Builds the real clients from the given environment. */
  public RedriveOutboxHandler(Map<String, String> environment) {
    this(outbox(environment), environment);
  }

  private RedriveOutboxHandler(Outbox outbox, Map<String, String> environment) {
    this(
        outbox,
        EventBus.fromEnvironment(environment, outbox),
        Clock.systemUTC(),
        grace(environment));
  }

  private static Duration grace(Map<String, String> environment) {
    String seconds = environment.get("REDRIVE_GRACE_SECONDS");
    return seconds == null || seconds.isBlank() ? GRACE : Duration.ofSeconds(Long.parseLong(
        seconds.trim()));
  }

  /** Uses the given collaborators and grace period. */
  public RedriveOutboxHandler(Outbox outbox, EventBus bus, Clock clock, Duration grace) {
    this.outbox = outbox;
    this.bus = bus;
    this.clock = clock;
    this.grace = grace;
  }

  private static Outbox outbox(Map<String, String> environment) {
    return new Outbox(
        AwsClients.dynamoDb(environment), AwsClients.required(environment, "TABLE_NAME"));
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    Instant before = clock.instant().minus(grace);
    List<DomainEvent> waiting = outbox.waitingSince(before, LIMIT);
    int published = bus.publish(waiting);
    LOG.info("outbox.redriven", "waiting", waiting.size(), "published", published);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("waiting", waiting.size());
    result.put("published", published);
    return result;
  }
}
