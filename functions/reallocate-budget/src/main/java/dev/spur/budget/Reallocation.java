package dev.spur.budget;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spur.allocation.Allocation;
import dev.spur.allocation.AllocationRequest;
import dev.spur.allocation.Allocator;
import dev.spur.allocation.ChannelAllocation;
import dev.spur.allocation.ChannelWindow;
import dev.spur.allocation.InfeasibleGuardrailsException;
import dev.spur.allocation.WindowBucket;
import dev.spur.core.budget.BudgetLedger;
import dev.spur.core.budget.ChannelBudget;
import dev.spur.core.campaigns.Campaign;
import dev.spur.core.events.DomainEvent;
import dev.spur.core.events.EventBus;
import dev.spur.core.events.EventTypes;
import dev.spur.core.events.Outbox;
import dev.spur.core.json.Json;
import dev.spur.core.log.Log;
import dev.spur.core.stats.ChannelStats;
import dev.spur.core.stats.ChannelTotals;
import dev.spur.core.stats.Counter;
import dev.spur.core.store.Attr;
import dev.spur.core.store.Keys;
import dev.spur.core.store.Transactions;
import dev.spur.core.store.Writes;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Recomputes one campaign's per-channel budget for the current period from its sliding window
 * of results, and commits the new split, its reasons and its history entry in one transaction.
 * A run is keyed by its schedule tick, so a repeated tick changes nothing.
 */
public final class Reallocation {

  /** Days of results the allocator sees. */
  public static final int WINDOW_DAYS = 14;

  private static final Log LOG = Log.of(Reallocation.class);
  private static final int ATTEMPTS = 3;
  private static final long HISTORY_DAYS = 400;

  private final DynamoDbClient dynamo;
  private final String table;
  private final BudgetLedger ledger;
  private final ChannelStats stats;
  private final Outbox outbox;
  private final EventBus bus;
  private final Allocator allocator;

  public Reallocation(
      DynamoDbClient dynamo, String table, EventBus bus, Outbox outbox, Allocator allocator) {
    this.dynamo = dynamo;
    this.table = table;
    this.ledger = new BudgetLedger(dynamo, table);
    this.stats = new ChannelStats(dynamo, table);
    this.outbox = outbox;
    this.bus = bus;
    this.allocator = allocator;
  }

  /** What one campaign's run came to. */
  public sealed interface Outcome permits Reallocated, AlreadyRun, Skipped {}

  /** The new split was committed. */
  public record Reallocated(String campaignId, Map<String, Long> before, Map<String, Long> after)
      implements Outcome {}

  /** This tick was run for the campaign before. */
  public record AlreadyRun(String campaignId) implements Outcome {}

  /** Nothing was changed, for the reason given. */
  public record Skipped(String campaignId, String reason) implements Outcome {}

  /** Reallocates one campaign for the schedule tick. */
  public Outcome run(Campaign campaign, Instant tick, Instant now) {
    if (campaign.endedAt(tick)) {
      return new Skipped(campaign.id(), "campaign ended");
    }
    String tickId = tick.toString();
    String periodId = campaign.periodAt(tick);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      BudgetLedger.CurrentAllocation current = ledger.current(campaign.id());
      if (tickId.equals(current.lastTick())) {
        return new AlreadyRun(campaign.id());
      }
      Map<String, ChannelBudget> budgets = ledger.period(campaign.id(), periodId);
      if (budgets.isEmpty()) {
        ledger.openPeriod(campaign.id(), periodId);
        budgets = ledger.period(campaign.id(), periodId);
      }
      Allocation allocation;
      try {
        allocation = allocator.allocate(request(campaign, tick, tickId, budgets, current));
      } catch (InfeasibleGuardrailsException e) {
        LOG.warn("budget.infeasible", "campaignId", campaign.id(), "reason", e.getMessage());
        return new Skipped(campaign.id(), e.getMessage());
      }
      Map<String, Long> before = new LinkedHashMap<>();
      Map<String, Long> after = new LinkedHashMap<>();
      for (ChannelAllocation channel : allocation.channels()) {
        ChannelBudget budget = budgets.get(channel.channel());
        before.put(channel.channel(), budget == null ? 0 : budget.allocated());
        after.put(channel.channel(), channel.amount());
      }
      DomainEvent event =
          DomainEvent.about(
              EventTypes.BUDGET_REALLOCATED,
              campaign.id() + "/" + tickId,
              detail(campaign, tickId, periodId, allocation, before));
      List<TransactWriteItem> writes = new ArrayList<>();
      writes.add(historyPut(campaign, tickId, periodId, allocation, before, now));
      writes.add(
          ledger.currentAllocationUpdate(
              campaign.id(), after, allocation.modelState(), current.version(), tickId, now));
      for (ChannelAllocation channel : allocation.channels()) {
        ChannelBudget budget = budgets.get(channel.channel());
        if (budget != null && budget.allocated() != channel.amount()) {
          writes.add(ledger.reallocate(campaign.id(), periodId, budget, channel.amount()));
        }
      }
      writes.add(outbox.put(event, now));
      switch (Transactions.write(dynamo, writes)) {
        case Transactions.Committed committed -> {
          bus.publish(List.of(event));
          for (ChannelAllocation channel : allocation.channels()) {
            LOG.info(
                "budget.reallocated",
                "campaignId", campaign.id(),
                "tick", tickId,
                "channel", channel.channel(),
                "before", before.get(channel.channel()),
                "after", channel.amount(),
                "reason", channel.reason());
          }
          return new Reallocated(campaign.id(), before, after);
        }
        case Transactions.Refused refused when refused.index() == 0 -> {
          return new AlreadyRun(campaign.id());
        }
        case Transactions.Refused refused ->
            // Rewards spent or another run moved the budget since it was read: read again.
            LOG.info("budget.retry", "campaignId", campaign.id(), "attempt", attempt + 1);
      }
    }
    return new Skipped(campaign.id(), "budget kept changing while reallocating");
  }

  private AllocationRequest request(
      Campaign campaign,
      Instant tick,
      String tickId,
      Map<String, ChannelBudget> budgets,
      BudgetLedger.CurrentAllocation current) {
    LocalDate last = ChannelStats.dayOf(tick);
    LocalDate first = last.minusDays(WINDOW_DAYS - 1L);
    Map<LocalDate, Map<String, ChannelTotals>> days = stats.days(campaign.id(), first, last);
    List<ChannelWindow> channels = new ArrayList<>();
    for (String channel : campaign.channels()) {
      List<WindowBucket> buckets = new ArrayList<>();
      for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
        ChannelTotals totals = days.getOrDefault(day, Map.of()).get(channel);
        buckets.add(
            totals == null
                ? WindowBucket.EMPTY
                : new WindowBucket(
                    totals.spend(),
                    totals.get(Counter.CLICKS),
                    totals.get(Counter.CONVERSIONS),
                    totals.get(Counter.REVENUE),
                    totals.get(Counter.LIFETIME_VALUE)));
      }
      ChannelBudget budget = budgets.get(channel);
      channels.add(
          new ChannelWindow(
              channel,
              true,
              budget == null ? 0 : budget.allocated(),
              budget == null ? 0 : budget.spent(),
              buckets,
              last.toEpochDay()));
    }
    long seed = (campaign.id() + "|" + tickId).hashCode();
    return new AllocationRequest(
        campaign.budget().amount(), channels, campaign.guardrails(), seed, current.modelState());
  }

  private TransactWriteItem historyPut(
      Campaign campaign,
      String tickId,
      String periodId,
      Allocation allocation,
      Map<String, Long> before,
      Instant now) {
    Map<String, AttributeValue> item =
        new HashMap<>(Keys.of(Keys.campaign(campaign.id()), "ALLOCATION#" + tickId));
    item.put("type", Attr.s("AllocationRun"));
    item.put("tick", Attr.s(tickId));
    item.put("periodId", Attr.s(periodId));
    item.put("budget", Attr.n(campaign.budget().amount()));
    item.put("currency", Attr.s(campaign.currency()));
    List<AttributeValue> rows = new ArrayList<>();
    for (ChannelAllocation channel : allocation.channels()) {
      rows.add(
          AttributeValue.fromM(
              Map.of(
                  "channel", Attr.s(channel.channel()),
                  "before", Attr.n(before.get(channel.channel())),
                  "after", Attr.n(channel.amount()),
                  "reason", Attr.s(channel.reason()))));
    }
    item.put("channels", AttributeValue.fromL(rows));
    item.put("createdAt", Attr.s(now.toString()));
    item.put(Keys.EXPIRES_AT, Attr.n(now.plusSeconds(HISTORY_DAYS * 86_400).getEpochSecond()));
    return Writes.putNew(table, item);
  }

  private static ObjectNode detail(
      Campaign campaign,
      String tickId,
      String periodId,
      Allocation allocation,
      Map<String, Long> before) {
    ObjectNode detail = Json.object();
    detail.put("campaignId", campaign.id());
    detail.put("tick", tickId);
    detail.put("periodId", periodId);
    ObjectNode budget = detail.putObject("budget");
    budget.put("amount", campaign.budget().amount());
    budget.put("currency", campaign.currency());
    ArrayNode rows = detail.putArray("allocations");
    for (ChannelAllocation channel : allocation.channels()) {
      ObjectNode row = rows.addObject();
      row.put("channel", channel.channel());
      ObjectNode was = row.putObject("before");
      was.put("amount", before.get(channel.channel()));
      was.put("currency", campaign.currency());
      ObjectNode now = row.putObject("after");
      now.put("amount", channel.amount());
      now.put("currency", campaign.currency());
      row.put("reason", channel.reason());
    }
    return detail;
  }
}
