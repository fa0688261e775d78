package dev.spur.customers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spur.core.campaigns.CampaignStore;
import dev.spur.core.http.JsonBody;
import dev.spur.core.json.Json;
import dev.spur.core.lifecycle.Customer;
import dev.spur.core.lifecycle.CustomerLedger;
import dev.spur.core.log.Log;
import dev.spur.core.store.Attr;
import dev.spur.core.store.Keys;
import dev.spur.core.store.Reads;
import dev.spur.core.store.Transactions;
import dev.spur.core.store.Writes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Records customers' satisfaction scores. A customer has one standing score: a feedback
 * submitted later than the standing one replaces it, and the cohorts' CSAT counters move by the
 * difference; one submitted earlier is kept but changes no figure. Each feedback id counts once.
 */
public final class Feedback {

  private static final Log LOG = Log.of(Feedback.class);
  private static final int ATTEMPTS = 5;

  private final DynamoDbClient dynamo;
  private final String table;
  private final CampaignStore campaigns;
  private final CustomerLedger ledger;
  private final Clock clock;

  public Feedback(DynamoDbClient dynamo, String table, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.campaigns = new CampaignStore(dynamo, table);
    this.ledger = new CustomerLedger(dynamo, table);
    this.clock = clock;
  }

  /** Reads and records a feedback. */
  public Orders.Result record(String text) {
    Instant now = clock.instant();
    JsonBody body = JsonBody.parse(text);
    String campaignId = Inputs.campaignId(body);
    String customerId = Inputs.id(body, "customerId");
    Long score = body.requiredLong("score", 1, 5);
    String feedbackId = Inputs.id(body, "feedbackId");
    Instant submittedAt = Inputs.instant(body, "submittedAt", now);
    body.validate();

    if (campaigns.find(campaignId).isEmpty()) {
      return new Orders.Unknown("campaignId", "no campaign " + campaignId);
    }
    Map<String, AttributeValue> key =
        Keys.of(Keys.campaign(campaignId), "FEEDBACK#" + feedbackId);
    for (int attempt = 1; ; attempt++) {
      Map<String, AttributeValue> earlier = Reads.item(dynamo, table, key);
      if (!earlier.isEmpty()) {
        ObjectNode view = (ObjectNode) Json.read(Attr.requiredString(earlier, "view"));
        boolean same =
            view.get("customerId").asText().equals(customerId)
                && view.get("score").asLong() == score
                && view.get("submittedAt").asText().equals(submittedAt.toString());
        return same
            ? new Orders.Replayed(view)
            : new Orders.Conflicting("feedbackId",
                "feedback " + feedbackId + " was sent with other figures");
      }
      Optional<Customer> found = ledger.customer(campaignId, customerId);
      if (found.isEmpty()) {
        return new Orders.Unknown("customerId",
            "no customer " + customerId + " has ordered in campaign " + campaignId);
      }
      Customer customer = found.get();
      boolean standing =
          customer.feedbackAt() == null || !submittedAt.isBefore(customer.feedbackAt());

      ObjectNode view = Json.object();
      view.put("campaignId", campaignId);
      view.put("customerId", customerId);
      view.put("feedbackId", feedbackId);
      view.put("score", score);
      view.put("submittedAt", submittedAt.toString());
      view.put("standing", standing);
      Map<String, AttributeValue> item = new HashMap<>(key);
      item.put("view", Attr.s(Json.write(view)));
      item.put("recordedAt", Attr.s(now.toString()));
      List<TransactWriteItem> writes = new ArrayList<>();
      writes.add(Writes.putNew(table, item));
      if (standing) {
        writes.addAll(ledger.feedback(customer, feedbackId, score.intValue(), submittedAt));
      }
      if (Transactions.write(dynamo, writes) instanceof Transactions.Committed) {
        LOG.info(
            "feedback.recorded",
            "campaignId", campaignId,
            "feedbackId", feedbackId,
            "standing", standing,
            "replaced", standing && customer.feedbackId() != null);
        return new Orders.Recorded(view);
      }
      if (attempt == ATTEMPTS) {
        throw new IllegalStateException("feedback " + feedbackId + " kept racing other writers");
      }
    }
  }
}
