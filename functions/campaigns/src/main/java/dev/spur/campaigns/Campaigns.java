package dev.spur.campaigns;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spur.allocation.Allocation;
import dev.spur.allocation.AllocationRequest;
import dev.spur.allocation.Allocators;
import dev.spur.allocation.ChannelAllocation;
import dev.spur.allocation.ChannelWindow;
import dev.spur.allocation.InfeasibleGuardrailsException;
import dev.spur.core.budget.BudgetLedger;
import dev.spur.core.budget.ChannelBudget;
import dev.spur.core.campaigns.Campaign;
import dev.spur.core.campaigns.CampaignStore;
import dev.spur.core.campaigns.ExperimentStore;
import dev.spur.core.referrers.ReferrerStore;
import dev.spur.core.http.JsonBody;
import dev.spur.core.lifecycle.CohortStats;
import dev.spur.core.lifecycle.LifecycleMetrics;
import dev.spur.core.log.Log;
import dev.spur.core.money.Money;
import dev.spur.core.stats.ChannelStats;
import dev.spur.core.stats.Counter;
import dev.spur.core.store.Attr;
import dev.spur.core.store.Keys;
import dev.spur.core.store.Transactions;
import dev.spur.core.store.Writes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** The admin operations on campaigns: create, read, metrics and external spend. */
public final class Campaigns {

  private static final Log LOG = Log.of(Campaigns.class);
  private static final Pattern REPORT_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

  private final DynamoDbClient dynamo;
  private final String table;
  private final CampaignStore store;
  private final BudgetLedger ledger;
  private final ChannelStats stats;
  private final CohortStats cohorts;
  private final Clock clock;

  public Campaigns(DynamoDbClient dynamo, String table, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.store = new CampaignStore(dynamo, table);
    this.ledger = new BudgetLedger(dynamo, table);
    this.stats = new ChannelStats(dynamo, table);
    this.cohorts = new CohortStats(dynamo, table);
    this.clock = clock;
  }

  /** What creating a campaign came to. */
  public sealed interface Creation permits Created, Replayed, Conflicting, Infeasible {}

  /** A new campaign with its first allocation. */
  public record Created(ObjectNode view) implements Creation {}

  /** The same campaign was created before; nothing changed. */
  public record Replayed(ObjectNode view) implements Creation {}

  /** A different campaign already has that id. */
  public record Conflicting(String campaignId) implements Creation {}

  /** The guardrails leave no split of the budget. */
  public record Infeasible(String reason) implements Creation {}

  /** Creates a campaign from a request body. */
  public Creation create(String body) {
    Instant now = clock.instant();
    Campaign asked = CampaignRequest.parse(body, now, false);
    Optional<Campaign> earlier = store.find(asked.id());
    if (earlier.isPresent()) {
      Campaign first = earlier.get();
      return asked.withCreatedAt(first.createdAt()).equals(first)
          ? new Replayed(view(first, now))
          : new Conflicting(asked.id());
    }
    Campaign campaign = CampaignRequest.parse(body, now, true);
    Map<String, Long> allocation;
    try {
      allocation = firstAllocation(campaign);
    } catch (InfeasibleGuardrailsException e) {
      return new Infeasible(e.getMessage());
    }
    return switch (store.create(campaign, allocation, now)) {
      case CampaignStore.Created created -> {
        LOG.info(
            "campaign.created",
            "campaignId", campaign.id(),
            "channels", campaign.channels().size(),
            "budget", campaign.budget().amount(),
            "currency", campaign.currency());
        yield new Created(view(campaign, now));
      }
      case CampaignStore.AlreadyExists existing -> {
        Campaign first = existing.existing();
        Campaign asFirst = campaign.withCreatedAt(first.createdAt());
        yield asFirst.equals(first)
            ? new Replayed(view(first, now))
            : new Conflicting(campaign.id());
      }
    };
  }

  private static Map<String, Long> firstAllocation(Campaign campaign) {
    List<ChannelWindow> channels = new ArrayList<>();
    for (String channel : campaign.channels()) {
      channels.add(new ChannelWindow(channel, true, 0, 0, List.of()));
    }
    // With no results yet there is nothing to learn from: the opening split is the even one
    // the guardrails allow, the same every time; learning starts at the first scheduled run.
    Allocation allocation =
        Allocators.valueRatio()
            .allocate(
                new AllocationRequest(
                    campaign.budget().amount(),
                    channels,
                    campaign.guardrails(),
                    campaign.id().hashCode(),
                    null));
    Map<String, Long> amounts = new LinkedHashMap<>();
    for (ChannelAllocation channel : allocation.channels()) {
      amounts.put(channel.channel(), channel.amount());
    }
    return amounts;
  }

  /** The campaign with its current period's budgets, if it exists. */
  public Optional<ObjectNode> find(String campaignId) {
    Instant now = clock.instant();
    return store.find(campaignId).map(campaign -> view(campaign, now));
  }

  private ObjectNode view(Campaign campaign, Instant now) {
    String periodId = campaign.periodAt(now);
    return CampaignViews.campaign(
        campaign, periodId, ledger.period(campaign.id(), periodId), now);
  }

  /**
   * Per-channel metrics of a campaign, if it exists, with its customer lifecycle metrics; the
   * one-year retention is as of the given instant, or now when it is null.
   */
  public Optional<ObjectNode> metrics(String campaignId, Instant asOf) {
    Instant now = clock.instant();
    return store
        .find(campaignId)
        .map(
            campaign -> {
              String periodId = campaign.periodAt(now);
              Map<String, ChannelBudget> budgets = ledger.period(campaignId, periodId);
              var totals = stats.totals(campaignId);
              ObjectNode view = CampaignViews.metrics(campaign, periodId, totals, budgets);
              CampaignViews.addLifecycle(
                  view,
                  LifecycleMetrics.read(cohorts, campaign, totals, asOf == null ? now : asOf));
              return view;
            });
  }

  /**
   * A referrer's standing and points ledger, if the campaign exists and has seen the referrer
   * (a link or a referral).
   */
  public Optional<ObjectNode> referrer(String campaignId, String referrerId) {
    if (!ReferrerStore.validId(referrerId)) {
      return Optional.empty();
    }
    ReferrerStore referrers = new ReferrerStore(dynamo, table);
    return store
        .find(campaignId)
        .filter(campaign -> referrers.exists(campaignId, referrerId))
        .map(campaign -> ReferrerViews.referrer(campaign,
            referrers.find(campaignId, referrerId), referrers.ledger(campaignId, referrerId)));
  }

  /**
   * The campaign's incentive experiment: weights, results per variant with the probability each
   * is best, the decision, and what the next scheduled run would move; empty when the campaign
   * does not exist or runs no experiment.
   */
  public Optional<ObjectNode> experiment(String campaignId) {
    ExperimentStore experiments = new ExperimentStore(dynamo, table);
    return store
        .find(campaignId)
        .filter(campaign -> campaign.experiment() != null)
        .map(campaign -> {
          ExperimentStore.Review review = experiments.review(campaign, "view");
          return ExperimentView.of(campaign, review, experiments.results(campaign));
        });
  }

  /** The campaign's top referrers by points, if it exists. */
  public Optional<ObjectNode> leaderboard(String campaignId) {
    ReferrerStore referrers = new ReferrerStore(dynamo, table);
    return store
        .find(campaignId)
        .map(campaign -> ReferrerViews.leaderboard(campaign,
            referrers.leaderboard(campaignId, ReferrerViews.LEADERBOARD_SIZE)));
  }

  /** What reporting external spend came to. */
  public sealed interface SpendReport
      permits SpendRecorded, SpendReplayed, SpendConflicting, UnknownCampaign {}

  /** The spend was counted. */
  public record SpendRecorded(ObjectNode view) implements SpendReport {}

  /** The same report was counted before; nothing changed. */
  public record SpendReplayed(ObjectNode view) implements SpendReport {}

  /** A different report already has that id. */
  public record SpendConflicting(String reportId) implements SpendReport {}

  /** No campaign has that id. */
  public record UnknownCampaign(String campaignId) implements SpendReport {}

  /**
   * Counts spend made outside Spur (ads, say) against a channel, once per report id, so that
   * the allocator sees each channel's whole cost.
   */
  public SpendReport reportSpend(String campaignId, String text) {
    Instant now = clock.instant();
    JsonBody body = JsonBody.parse(text);
    String reportId =
        body.requiredText("reportId", 128, REPORT_ID, "must be 1 to 128 of A-Z, a-z, 0-9, _.:-");
    String channel = body.requiredText("channel", 32, CampaignRequest.CHANNEL,
        "must be a channel name");
    Money amount = body.requiredMoney("amount", 1_000_000_000_000L);
    Instant occurredAt = body.optionalInstant("occurredAt").orElse(now);
    if (occurredAt != null && occurredAt.isAfter(now.plusSeconds(300))) {
      body.reject("occurredAt", "must not be in the future");
    }
    body.validate();
    Optional<Campaign> found = store.find(campaignId);
    if (found.isEmpty()) {
      return new UnknownCampaign(campaignId);
    }
    Campaign campaign = found.get();
    if (!campaign.hasChannel(channel)) {
      body.reject("channel", "must be one of " + String.join(", ", campaign.channels()));
    }
    if (!amount.currency().equals(campaign.currency())) {
      body.reject("amount.currency", "must be the campaign's currency " + campaign.currency());
    }
    body.validate();

    Map<String, AttributeValue> item =
        new HashMap<>(Keys.of(Keys.campaign(campaignId), "SPEND#" + reportId));
    item.put("channel", Attr.s(channel));
    item.put("amount", Attr.n(amount.amount()));
    item.put("occurredAt", Attr.s(occurredAt.toString()));
    item.put("recordedAt", Attr.s(now.toString()));
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(
        Writes.putNewOrReturnOld(table, item));
    writes.addAll(
        stats.add(campaignId, channel, occurredAt, Map.of(Counter.EXTERNAL_SPEND,
            amount.amount())));

    ObjectNode view = CampaignViews.money(amount);
    ObjectNode report = dev.spur.core.json.Json.object();
    report.put("reportId", reportId);
    report.put("campaignId", campaignId);
    report.put("channel", channel);
    report.set("amount", view);
    report.put("occurredAt", occurredAt.toString());
    return switch (Transactions.write(dynamo, writes)) {
      case Transactions.Committed committed -> new SpendRecorded(report);
      case Transactions.Refused refused -> {
        Map<String, AttributeValue> first = refused.existing().orElse(Map.of());
        boolean same =
            channel.equals(Attr.string(first, "channel").orElse(null))
                && amount.amount() == Attr.number(first, "amount");
        if (!same) {
          yield new SpendConflicting(reportId);
        }
        report.put("occurredAt", Attr.string(first, "occurredAt").orElse(occurredAt.toString()));
        yield new SpendReplayed(report);
      }
    };
  }
}
