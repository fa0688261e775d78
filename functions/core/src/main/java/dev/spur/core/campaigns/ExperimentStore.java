package dev.spur.core.campaigns;

import dev.spur.core.experiments.ShiftGuardrails;
import dev.spur.core.experiments.Variant;
import dev.spur.core.experiments.VariantAssignment;
import dev.spur.core.experiments.VariantComparison;
import dev.spur.core.experiments.VariantResults;
import dev.spur.core.experiments.WeightChange;
import dev.spur.core.experiments.WeightShift;
import dev.spur.core.store.Attr;
import dev.spur.core.store.Keys;
import dev.spur.core.store.Reads;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * An incentive experiment's state: the weights new referrers are assigned by (the campaign's
 * starting weights until the schedule first moves them), why they last moved, and counters per
 * variant kept in the same transactions as the facts they count.
 */
public final class ExperimentStore {

  private static final String WEIGHTS = "EXPERIMENT";

  private final DynamoDbClient dynamo;
  private final String table;

  public ExperimentStore(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  /** The weights as they stand, their version (0 before any move) and the last move's reasons. */
  public record Weights(
      List<Variant> variants, long version, String lastTick, List<WeightChange> lastChanges) {}

  /** The current weights of the campaign's experiment. */
  public Weights weights(Campaign campaign) {
    Experiment experiment = campaign.experiment();
    Map<String, AttributeValue> item =
        Reads.item(dynamo, table, Keys.of(Keys.campaign(campaign.id()), WEIGHTS));
    Map<String, AttributeValue> stored = item.containsKey("weights") ? item.get("weights").m()
        : Map.of();
    List<Variant> variants = new ArrayList<>();
    for (RewardVariant variant : experiment.variants()) {
      AttributeValue weight = stored.get(variant.name());
      variants.add(new Variant(variant.name(),
          weight == null ? variant.weightBps() : Integer.parseInt(weight.n())));
    }
    List<WeightChange> changes = new ArrayList<>();
    if (item.containsKey("changes")) {
      for (AttributeValue change : item.get("changes").l()) {
        Map<String, AttributeValue> m = change.m();
        changes.add(new WeightChange(Attr.requiredString(m, "variant"),
            (int) Attr.number(m, "fromBps"), (int) Attr.number(m, "toBps"),
            Attr.requiredString(m, "reason")));
      }
    }
    return new Weights(variants, Attr.number(item, "version"),
        Attr.string(item, "lastTick").orElse(null), changes);
  }

  /** The comparison of the variants as they stand, and the shift of weights it calls for. */
  public record Review(Weights weights, VariantComparison comparison, WeightShift shift) {}

  /**
   * Compares the campaign's variants as they stand, seeded by campaign and {@code seedKey} (the
   * schedule tick), so a review can be replayed; writes nothing.
   */
  public Review review(Campaign campaign, String seedKey) {
    Experiment experiment = campaign.experiment();
    Weights weights = weights(campaign);
    VariantComparison comparison =
        VariantComparison.of(results(campaign), (campaign.id() + "|" + seedKey).hashCode(),
            VariantComparison.DEFAULT_DRAWS, experiment.minReferrers());
    WeightShift shift = WeightShift.of(weights.variants(), comparison,
        new ShiftGuardrails(experiment.minWeightBps(), experiment.maxChangeBps()));
    return new Review(weights, comparison, shift);
  }

  /** The variant a referrer new to the campaign is assigned, by the weights as they stand. */
  public String assign(Campaign campaign, String referrerId) {
    return VariantAssignment.of(campaign.id(), weights(campaign).variants()).assign(referrerId)
        .name();
  }

  /** Each variant's results so far, in the experiment's declared order. */
  public List<VariantResults> results(Campaign campaign) {
    List<VariantResults> results = new ArrayList<>();
    for (RewardVariant variant : campaign.experiment().variants()) {
      Map<String, AttributeValue> item =
          Reads.item(dynamo, table, variantKey(campaign.id(), variant.name()));
      results.add(new VariantResults(variant.name(), Attr.number(item, "referrers"),
          Math.max(0, Attr.number(item, "conversions")),
          Math.max(0, Attr.number(item, "rewardCost")),
          Math.max(0, Attr.number(item, "revenue"))));
    }
    return results;
  }

  /** The write that counts a referrer assigned to a variant. */
  public TransactWriteItem assigned(String campaignId, String variant) {
    return add(campaignId, variant, Map.of("referrers", 1L));
  }

  /**
   * The write that counts a paid referral of a variant's referrer, or takes one back when the
   * figures are negative.
   */
  public TransactWriteItem converted(
      String campaignId, String variant, long conversions, long rewardCost, long revenue) {
    Map<String, Long> deltas = new LinkedHashMap<>();
    deltas.put("conversions", conversions);
    deltas.put("rewardCost", rewardCost);
    deltas.put("revenue", revenue);
    return add(campaignId, variant, deltas);
  }

  /**
   * The write that moves the weights for a schedule tick, on condition that nobody moved them
   * since version {@code version} and that this tick did not move them already.
   */
  public TransactWriteItem shift(
      String campaignId, List<Variant> weights, List<WeightChange> changes, long version,
      String tick, Instant now) {
    Map<String, AttributeValue> map = new LinkedHashMap<>();
    weights.forEach(variant -> map.put(variant.name(), Attr.n(variant.weightBps())));
    List<AttributeValue> reasons = new ArrayList<>();
    for (WeightChange change : changes) {
      reasons.add(AttributeValue.fromM(Map.of(
          "variant", Attr.s(change.variant()),
          "fromBps", Attr.n(change.fromBps()),
          "toBps", Attr.n(change.toBps()),
          "reason", Attr.s(change.reason()))));
    }
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":weights", AttributeValue.fromM(map));
    values.put(":changes", AttributeValue.fromL(reasons));
    values.put(":next", Attr.n(version + 1));
    values.put(":tick", Attr.s(tick));
    values.put(":now", Attr.s(now.toString()));
    String condition;
    if (version == 0) {
      condition = "attribute_not_exists(version)";
    } else {
      values.put(":version", Attr.n(version));
      condition = "version = :version AND lastTick <> :tick";
    }
    return TransactWriteItem.builder()
        .update(
            Update.builder()
                .tableName(table)
                .key(Keys.of(Keys.campaign(campaignId), WEIGHTS))
                .updateExpression(
                    "SET weights = :weights, changes = :changes, version = :next,"
                        + " lastTick = :tick, updatedAt = :now")
                .conditionExpression(condition)
                .expressionAttributeValues(values)
                .build())
        .build();
  }

  private TransactWriteItem add(String campaignId, String variant, Map<String, Long> deltas) {
    StringBuilder expression = new StringBuilder("SET variant = :variant ADD ");
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":variant", Attr.s(variant));
    int i = 0;
    for (var entry : deltas.entrySet()) {
      if (i > 0) {
        expression.append(", ");
      }
      expression.append(entry.getKey()).append(" :d").append(i);
      values.put(":d" + i, Attr.n(entry.getValue()));
      i++;
    }
    return TransactWriteItem.builder()
        .update(
            Update.builder()
                .tableName(table)
                .key(variantKey(campaignId, variant))
                .updateExpression(expression.toString())
                .expressionAttributeValues(values)
                .build())
        .build();
  }

  private static Map<String, AttributeValue> variantKey(String campaignId, String variant) {
    return Keys.of(Keys.campaign(campaignId), "EXPERIMENT#VARIANT#" + variant);
  }
}
