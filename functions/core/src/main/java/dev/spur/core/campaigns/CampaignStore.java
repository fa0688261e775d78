package dev.spur.core.campaigns;

import dev.spur.core.budget.BudgetLedger;
import dev.spur.core.json.Json;
import dev.spur.core.store.Attr;
import dev.spur.core.store.Keys;
import dev.spur.core.store.Reads;
import dev.spur.core.store.Transactions;
import dev.spur.core.store.Writes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** Campaigns in the table, and the index of the active ones that the schedule walks. */
public final class CampaignStore {

  private static final String SORT = "CAMPAIGN";
  private static final String ACTIVE = "CAMPAIGNS#ACTIVE";

  private final DynamoDbClient dynamo;
  private final String table;

  public CampaignStore(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  /** The result of creating a campaign. */
  public sealed interface Creation permits Created, AlreadyExists {}

  /** The campaign is new. */
  public record Created(Campaign campaign) implements Creation {}

  /** A campaign with that id was there already, as given. */
  public record AlreadyExists(Campaign existing) implements Creation {}

  /**
   * Creates the campaign with its first allocation and the budget of its first period, all in
   * one transaction.
   */
  public Creation create(Campaign campaign, Map<String, Long> allocation, Instant now) {
    Map<String, AttributeValue> item = new HashMap<>(Keys.of(Keys.campaign(campaign.id()), SORT));
    item.put("type", Attr.s("Campaign"));
    item.put("definition", Attr.s(Json.write(campaign)));
    item.put("status", Attr.s("ACTIVE"));
    item.put("GSI1PK", Attr.s(ACTIVE));
    item.put("GSI1SK", Attr.s(campaign.createdAt() + "#" + campaign.id()));

    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(
        Writes.putNewOrReturnOld(table, item));
    BudgetLedger ledger = new BudgetLedger(dynamo, table);
    writes.add(ledger.currentAllocationPut(campaign.id(), allocation, null, now));
    writes.addAll(ledger.openPeriodPuts(campaign.id(), campaign.periodAt(now), allocation));

    return switch (Transactions.write(dynamo, writes)) {
      case Transactions.Committed committed -> new Created(campaign);
      case Transactions.Refused refused
          when refused.index() == 0 && refused.existing().isPresent() ->
          new AlreadyExists(fromItem(refused.existing().get()));
      case Transactions.Refused refused ->
          throw new IllegalStateException(
              "campaign " + campaign.id() + " half exists: write " + refused.index() + " refused");
    };
  }

  /** The campaign with that id, if any. */
  public Optional<Campaign> find(String campaignId) {
    Map<String, AttributeValue> item =
        Reads.item(dynamo, table, Keys.of(Keys.campaign(campaignId), SORT));
    return item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
  }

  /** One page of active campaigns, oldest first, and where the next page starts. */
  public record Page(List<Campaign> campaigns, Map<String, AttributeValue> next) {}

  /** Reads a page of active campaigns starting after {@code start} (null for the first). */
  public Page active(Map<String, AttributeValue> start, int size) {
    QueryResponse response =
        dynamo.query(
            QueryRequest.builder()
                .tableName(table)
                .indexName(Keys.GSI1)
                .keyConditionExpression("GSI1PK = :p")
                .expressionAttributeValues(Map.of(":p", Attr.s(ACTIVE)))
                .exclusiveStartKey(start)
                .limit(size)
                .build());
    List<Campaign> campaigns = response.items().stream().map(CampaignStore::fromItem).toList();
    Map<String, AttributeValue> next =
        response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
            ? new LinkedHashMap<>(response.lastEvaluatedKey())
            : null;
    return new Page(campaigns, next);
  }

  private static Campaign fromItem(Map<String, AttributeValue> item) {
    return Json.mapper().convertValue(
        Json.read(Attr.requiredString(item, "definition")), Campaign.class);
  }
}
