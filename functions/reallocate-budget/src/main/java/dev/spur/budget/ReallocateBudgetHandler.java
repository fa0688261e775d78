package dev.spur.budget;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.spur.allocation.Allocators;
import dev.spur.core.aws.AwsClients;
import dev.spur.core.campaigns.Campaign;
import dev.spur.core.campaigns.CampaignStore;
import dev.spur.core.events.EventBus;
import dev.spur.core.events.Outbox;
import dev.spur.core.log.Log;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Runs on the schedule: pages through the active campaigns and reallocates each one's budget
 * for the tick. It stops early, before the function's timeout, when time runs short; campaigns
 * it did not reach are taken at the next tick.
 *
 * <p>The scheduled event is read as a plain map rather than a {@code ScheduledEvent}: only its
 * {@code time} matters, and a {@code detail} of any shape, or none, must not stop the run.
 */
public final class ReallocateBudgetHandler
    implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  private static final Log LOG = Log.of(ReallocateBudgetHandler.class);
  private static final int PAGE = 100;
  private static final long RESERVE_MILLIS = 15_000;

  private final CampaignStore campaigns;
  private final Reallocation reallocation;
  private final ExperimentWeights experiments;
  private final Clock clock;

  /** Used by Lambda: builds the clients once per container from the environment. */
  public ReallocateBudgetHandler() {
    this(System.getenv());
  }

  /** Builds the real clients from the given environment. */
  public ReallocateBudgetHandler(Map<String, String> environment) {
    this(AwsClients.dynamoDb(environment), AwsClients.required(environment, "TABLE_NAME"),
        environment);
  }

  private ReallocateBudgetHandler(
      DynamoDbClient dynamo, String table, Map<String, String> environment) {
    this(
        new CampaignStore(dynamo, table),
        reallocation(dynamo, table, environment),
        experiments(dynamo, table, environment),
        Clock.systemUTC());
  }

  /** Uses the given collaborators. */
  public ReallocateBudgetHandler(
      CampaignStore campaigns, Reallocation reallocation, ExperimentWeights experiments,
      Clock clock) {
    this.campaigns = campaigns;
    this.reallocation = reallocation;
    this.experiments = experiments;
    this.clock = clock;
  }

  /** The event's {@code time}, or now when it has none or an unreadable one. */
  private static Instant tickOf(Map<String, Object> event, Instant now) {
    Object time = event == null ? null : event.get("time");
    if (time instanceof String text) {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        LOG.warn("budget.tick-unreadable", "time", text.length() > 40 ? text.substring(0, 40)
            : text);
      }
    }
    return now;
  }

  private static Reallocation reallocation(
      DynamoDbClient dynamo, String table, Map<String, String> environment) {
    Outbox outbox = new Outbox(dynamo, table);
    EventBus bus = EventBus.fromEnvironment(environment, outbox);
    return new Reallocation(dynamo, table, bus, outbox, Allocators.standard());
  }

  private static ExperimentWeights experiments(
      DynamoDbClient dynamo, String table, Map<String, String> environment) {
    Outbox outbox = new Outbox(dynamo, table);
    return new ExperimentWeights(dynamo, table, EventBus.fromEnvironment(environment, outbox),
        outbox);
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    Instant now = clock.instant();
    Instant tick = tickOf(event, now).truncatedTo(ChronoUnit.MINUTES);
    int reallocated = 0;
    int alreadyRun = 0;
    int shifted = 0;
    List<String> skipped = new ArrayList<>();
    boolean complete = true;
    Map<String, AttributeValue> start = null;
    outer:
    do {
      CampaignStore.Page page = campaigns.active(start, PAGE);
      for (Campaign campaign : page.campaigns()) {
        if (context != null && context.getRemainingTimeInMillis() < RESERVE_MILLIS) {
          complete = false;
          break outer;
        }
        switch (reallocation.run(campaign, tick, clock.instant())) {
          case Reallocation.Reallocated done -> reallocated++;
          case Reallocation.AlreadyRun done -> alreadyRun++;
          case Reallocation.Skipped skip -> skipped.add(skip.campaignId() + ": " + skip.reason());
        }
        if (experiments.run(campaign, tick, clock.instant())) {
          shifted++;
        }
      }
      start = page.next();
    } while (start != null);

    LOG.info(
        "budget.run",
        "tick", tick.toString(),
        "reallocated", reallocated,
        "alreadyRun", alreadyRun,
        "skipped", skipped.size(),
        "experimentsShifted", shifted,
        "complete", complete);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("tick", tick.toString());
    result.put("reallocated", reallocated);
    result.put("alreadyRun", alreadyRun);
    result.put("skipped", skipped);
    result.put("experimentsShifted", shifted);
    result.put("complete", complete);
    return result;
  }
}
