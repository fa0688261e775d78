package dev.spur.campaigns;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spur.core.campaigns.Campaign;
import dev.spur.core.campaigns.ExperimentStore;
import dev.spur.core.experiments.Decision;
import dev.spur.core.experiments.Variant;
import dev.spur.core.experiments.VariantEstimate;
import dev.spur.core.experiments.VariantResults;
import dev.spur.core.experiments.WeightChange;
import dev.spur.core.json.Json;
import dev.spur.core.money.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/** The JSON an incentive experiment is shown as. Probabilities and rates have four places. */
final class ExperimentView {

  private ExperimentView() {}

  static ObjectNode of(
      Campaign campaign, ExperimentStore.Review review, List<VariantResults> results) {
    ObjectNode node = Json.object();
    node.put("campaignId", campaign.id());
    node.put("currency", campaign.currency());
    node.put("weightsVersion", review.weights().version());
    ArrayNode variants = node.putArray("variants");
    for (int i = 0; i < results.size(); i++) {
      VariantResults result = results.get(i);
      Variant weight = review.weights().variants().get(i);
      VariantEstimate estimate = review.comparison().estimate(result.variant());
      ObjectNode row = variants.addObject();
      row.put("variant", result.variant());
      row.put("weightBps", weight.weightBps());
      row.put("referrers", result.referrers());
      row.put("conversions", result.conversions());
      row.set("rewardCost", CampaignViews.money(
          new Money(result.rewardCost(), campaign.currency())));
      row.set("revenue", CampaignViews.money(
          new Money(result.clvRevenue(), campaign.currency())));
      row.put("conversionsPerReferrer", round(estimate.conversionRate()));
      row.put("valuePerReferrer", round(estimate.valuePerReferrer()));
      row.put("probabilityBest", round(estimate.probabilityBest()));
      row.put("expectedLoss", round(estimate.expectedLoss()));
    }
    ObjectNode decision = node.putObject("decision");
    switch (review.comparison().decision()) {
      case Decision.Winner winner -> {
        decision.put("outcome", "WINNER");
        decision.put("variant", winner.variant());
        decision.put("reason", winner.reason());
      }
      case Decision.KeepTesting keep -> {
        decision.put("outcome", "KEEP_TESTING");
        decision.put("reason", keep.reason());
      }
    }
    node.set("lastShift", changes(review.weights().lastChanges()));
    node.set("nextShift", changes(review.shift().changes()));
    return node;
  }

  private static ArrayNode changes(List<WeightChange> changes) {
    ArrayNode rows = Json.mapper().createArrayNode();
    for (WeightChange change : changes) {
      ObjectNode row = rows.addObject();
      row.put("variant", change.variant());
      row.put("fromBps", change.fromBps());
      row.put("toBps", change.toBps());
      row.put("reason", change.reason());
    }
    return rows;
  }

  private static BigDecimal round(double value) {
    return BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_UP);
  }
}
