package dev.spur.budget;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spur.core.campaigns.Campaign;
import dev.spur.core.campaigns.ExperimentStore;
import dev.spur.core.events.DomainEvent;
import dev.spur.core.events.EventBus;
import dev.spur.core.events.EventTypes;
import dev.spur.core.events.Outbox;
import dev.spur.core.experiments.WeightChange;
import dev.spur.core.json.Json;
import dev.spur.core.log.Log;
import dev.spur.core.store.Transactions;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Moves an incentive experiment's assignment weights toward the variant most likely best, once
 * per schedule tick, within the campaign's guardrails, and records why. The comparison is
 * seeded by campaign and tick, so a run can be replayed.
 */
public final class ExperimentWeights {

  private static final Log LOG = Log.of(ExperimentWeights.class);

  private final DynamoDbClient dynamo;
  private final ExperimentStore store;
  private final Outbox outbox;
  private final EventBus bus;

  public ExperimentWeights(DynamoDbClient dynamo, String table, EventBus bus, Outbox outbox) {
    this.dynamo = dynamo;
    this.store = new ExperimentStore(dynamo, table);
    this.outbox = outbox;
    this.bus = bus;
  }

  /** Shifts the weights for the tick when the comparison calls for it; true when they moved. */
  public boolean run(Campaign campaign, Instant tick, Instant now) {
    if (campaign.experiment() == null || campaign.endedAt(tick)) {
      return false;
    }
    String tickId = tick.toString();
    ExperimentStore.Review review = store.review(campaign, tickId);
    if (tickId.equals(review.weights().lastTick()) || !review.shift().changed()) {
      return false;
    }
    DomainEvent event =
        DomainEvent.about(EventTypes.VARIANT_WEIGHTS_CHANGED, campaign.id() + "/" + tickId,
            detail(campaign, tickId, review.shift().changes()));
    var written =
        Transactions.write(
            dynamo,
            List.of(
                store.shift(campaign.id(), review.shift().variants(), review.shift().changes(),
                    review.weights().version(), tickId, now),
                outbox.put(event, now)));
    if (written instanceof Transactions.Refused) {
      // Another run of this tick moved them first.
      return false;
    }
    for (WeightChange change : review.shift().changes()) {
      LOG.info("experiment.weights", "campaignId", campaign.id(), "tick", tickId,
          "variant", change.variant(), "from", change.fromBps(), "to", change.toBps(),
          "reason", change.reason());
    }
    bus.publish(List.of(event));
    return true;
  }

  private static ObjectNode detail(Campaign campaign, String tick, List<WeightChange> changes) {
    ObjectNode detail = Json.object();
    detail.put("campaignId", campaign.id());
    detail.put("tick", tick);
    ArrayNode variants = detail.putArray("variants");
    for (WeightChange change : changes) {
      ObjectNode row = variants.addObject();
      row.put("variant", change.variant());
      row.put("fromBps", change.fromBps());
      row.put("toBps", change.toBps());
      row.put("reason", change.reason());
    }
    return detail;
  }
}
