package dev.spur.customers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spur.core.campaigns.Campaign;
import dev.spur.core.campaigns.CampaignStore;
import dev.spur.core.events.DomainEvent;
import dev.spur.core.events.EventBus;
import dev.spur.core.events.EventTypes;
import dev.spur.core.events.Outbox;
import dev.spur.core.http.JsonBody;
import dev.spur.core.json.Json;
import dev.spur.core.lifecycle.Customer;
import dev.spur.core.lifecycle.CustomerLedger;
import dev.spur.core.lifecycle.Order;
import dev.spur.core.lifecycle.Origin;
import dev.spur.core.log.Log;
import dev.spur.core.money.Money;
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
 * Records a campaign's orders, first and repeat, and their refunds. An order is kept once per
 * order id and a refund once per refund id; the fact, the customer, their cohorts' counters and
 * the event that announces it are one transaction.
 */
public final class Orders {

  private static final Log LOG = Log.of(Orders.class);
  private static final long MAX_AMOUNT = 1_000_000_000_000L;
  /** Reads and writes again at most this often when racing writers move what was read. */
  private static final int ATTEMPTS = 5;

  private final DynamoDbClient dynamo;
  private final String table;
  private final CampaignStore campaigns;
  private final CustomerLedger ledger;
  private final Outbox outbox;
  private final EventBus bus;
  private final Clock clock;

  public Orders(DynamoDbClient dynamo, String table, EventBus bus, Outbox outbox, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.campaigns = new CampaignStore(dynamo, table);
    this.ledger = new CustomerLedger(dynamo, table);
    this.outbox = outbox;
    this.bus = bus;
    this.clock = clock;
  }

  /** What reporting an order or a refund came to. */
  public sealed interface Result permits Recorded, Replayed, Conflicting, Unknown, Refused {}

  /** A new order or refund; the view is the answer. */
  public record Recorded(ObjectNode view) implements Result {}

  /** The same order or refund was reported before; this is the first answer again. */
  public record Replayed(ObjectNode view) implements Result {}

  /** The id was reported before with other figures. */
  public record Conflicting(String field, String detail) implements Result {}

  /** No campaign, order or customer has the id in the field. */
  public record Unknown(String field, String detail) implements Result {}

  /** A rule refuses the report. */
  public record Refused(String reason, String field, String detail) implements Result {}

  /** Reads and records an order. */
  public Result order(String text) {
    Instant now = clock.instant();
    JsonBody body = JsonBody.parse(text);
    String campaignId = Inputs.campaignId(body);
    String orderId = Inputs.id(body, "orderId");
    String customerId = Inputs.id(body, "customerId");
    Money amount = body.requiredMoney("amount", MAX_AMOUNT);
    Instant orderedAt = Inputs.instant(body, "orderedAt", now);
    body.validate();

    Optional<Campaign> campaign = campaigns.find(campaignId);
    if (campaign.isEmpty()) {
      return new Unknown("campaignId", "no campaign " + campaignId);
    }
    for (int attempt = 1; ; attempt++) {
      Optional<Order> earlier = ledger.order(campaignId, orderId);
      if (earlier.isPresent()) {
        return sameOrder(earlier.get(), customerId, amount, orderedAt);
      }
      if (!amount.currency().equals(campaign.get().currency())) {
        return wrongCurrency(campaign.get());
      }
      Optional<Customer> known = ledger.customer(campaignId, customerId);
      Customer customer =
          known.orElseGet(
              () -> Customer.first(campaignId, customerId, Origin.NOT_REFERRED, null, null,
                  orderedAt));
      if (known.isPresent() && orderedAt.isBefore(customer.firstOrderAt())) {
        return new Refused(
            "before-first-order", "orderedAt",
            "the customer's first order in this campaign was at " + customer.firstOrderAt()
                + "; an earlier one cannot be added after it");
      }
      Order order = new Order(campaignId, orderId, customerId, amount, orderedAt, true, 0,
          false, now);
      DomainEvent event = CustomerLedger.recorded(customer, order, known.isEmpty());
      List<TransactWriteItem> writes =
          new ArrayList<>(
              known.isEmpty() ? ledger.firstOrder(customer, order)
                  : ledger.repeatOrder(customer, order));
      writes.add(outbox.put(event, now));
      if (Transactions.write(dynamo, writes) instanceof Transactions.Committed) {
        bus.publish(List.of(event));
        LOG.info(
            "order.recorded",
            "campaignId", campaignId,
            "orderId", orderId,
            "firstOrder", known.isEmpty(),
            "origin", customer.origin().name(),
            "eventId", event.eventId());
        return new Recorded(orderView(order));
      }
      // The order id was taken, the customer created, or their order count moved since the
      // reads: read again and decide again.
      if (attempt == ATTEMPTS) {
        throw new IllegalStateException("order " + orderId + " kept racing other writers");
      }
    }
  }

  private static Result sameOrder(
      Order first, String customerId, Money amount, Instant orderedAt) {
    if (!first.sameAs(customerId, amount, orderedAt)) {
      LOG.info("order.conflict", "campaignId", first.campaignId(), "orderId", first.orderId());
      return new Conflicting("orderId",
          "order " + first.orderId() + " was reported with other figures");
    }
    LOG.info("order.replayed", "campaignId", first.campaignId(), "orderId", first.orderId());
    return new Replayed(orderView(first));
  }

  private static Result wrongCurrency(Campaign campaign) {
    return new Refused(
        "currency-mismatch", "amount.currency",
        "must be the campaign's currency " + campaign.currency());
  }

  /** Reads and records a refund of the order named in the path. */
  public Result refund(String orderId, String text) {
    Instant now = clock.instant();
    JsonBody body = JsonBody.parse(text);
    String campaignId = Inputs.campaignId(body);
    String refundId = Inputs.id(body, "refundId");
    Money amount = body.requiredMoney("amount", MAX_AMOUNT);
    if (amount != null && amount.amount() == 0) {
      body.reject("amount.amount", "must be at least 1");
    }
    Instant refundedAt = Inputs.instant(body, "refundedAt", now);
    body.validate();
    if (!Inputs.ID.matcher(orderId).matches()) {
      return new Unknown("orderId", "no order " + Inputs.shortened(orderId));
    }

    Optional<Campaign> campaign = campaigns.find(campaignId);
    if (campaign.isEmpty()) {
      return new Unknown("campaignId", "no campaign " + campaignId);
    }
    Map<String, AttributeValue> refundKey =
        Keys.of(Keys.campaign(campaignId), "REFUND#" + orderId + "#" + refundId);
    for (int attempt = 1; ; attempt++) {
      Map<String, AttributeValue> earlier = Reads.item(dynamo, table, refundKey);
      if (!earlier.isEmpty()) {
        return sameRefund(earlier, amount, refundedAt);
      }
      Optional<Order> found = ledger.order(campaignId, orderId);
      if (found.isEmpty()) {
        return new Unknown("orderId", "no order " + orderId + " in campaign " + campaignId);
      }
      Order order = found.get();
      if (!amount.currency().equals(campaign.get().currency())) {
        return wrongCurrency(campaign.get());
      }
      if (refundedAt.isBefore(order.orderedAt())) {
        return new Refused("refund-before-order", "refundedAt",
            "the order was placed at " + order.orderedAt());
      }
      long total = order.refunded() + amount.amount();
      if (total > order.amount().amount()) {
        LOG.info("refund.refused", "campaignId", campaignId, "orderId", orderId,
            "reason", "refund-exceeds-order");
        return new Refused(
            "refund-exceeds-order", "amount.amount",
            "refunds of order " + orderId + " would come to " + total + ", more than its "
                + order.amount().amount() + " (" + order.refunded() + " refunded so far)");
      }
      Customer customer =
          ledger.customer(campaignId, order.customerId())
              .orElseThrow(() -> new IllegalStateException("order " + orderId
                  + " has no customer"));
      ObjectNode detail = refundDetail(order, refundId, amount, total, refundedAt);
      DomainEvent event =
          DomainEvent.about(EventTypes.ORDER_REFUNDED,
              campaignId + "/" + orderId + "/" + refundId, detail);

      Map<String, AttributeValue> item = new HashMap<>(refundKey);
      item.put("view", Attr.s(Json.write(detail)));
      item.put("amount", Attr.n(amount.amount()));
      item.put("refundedAt", Attr.s(refundedAt.toString()));
      item.put("recordedAt", Attr.s(now.toString()));
      item.put("eventId", Attr.s(event.eventId()));
      List<TransactWriteItem> writes = new ArrayList<>();
      writes.add(Writes.putNew(table, item));
      writes.addAll(ledger.refund(customer, order, amount.amount()));
      writes.add(outbox.put(event, now));
      if (Transactions.write(dynamo, writes) instanceof Transactions.Committed) {
        bus.publish(List.of(event));
        LOG.info(
            "refund.recorded",
            "campaignId", campaignId,
            "orderId", orderId,
            "refundId", refundId,
            "amount", amount.amount(),
            "fullyRefunded", total == order.amount().amount(),
            "eventId", event.eventId());
        return new Recorded(detail);
      }
      if (attempt == ATTEMPTS) {
        throw new IllegalStateException("refund " + refundId + " kept racing other writers");
      }
    }
  }

  private static Result sameRefund(
      Map<String, AttributeValue> first, Money amount, Instant refundedAt) {
    ObjectNode view = (ObjectNode) Json.read(Attr.requiredString(first, "view"));
    boolean same =
        Attr.number(first, "amount") == amount.amount()
            && view.at("/amount/currency").asText().equals(amount.currency())
            && Attr.requiredString(first, "refundedAt").equals(refundedAt.toString());
    if (!same) {
      return new Conflicting("refundId",
          "refund " + view.get("refundId").asText() + " was reported with other figures");
    }
    return new Replayed(view);
  }

  private static ObjectNode refundDetail(
      Order order, String refundId, Money amount, long total, Instant refundedAt) {
    ObjectNode detail = Json.object();
    detail.put("campaignId", order.campaignId());
    detail.put("orderId", order.orderId());
    detail.put("customerId", order.customerId());
    detail.put("refundId", refundId);
    detail.set("amount", money(amount));
    detail.set("refundedTotal", money(new Money(total, amount.currency())));
    detail.set("orderAmount", money(order.amount()));
    detail.put("fullyRefunded", total == order.amount().amount());
    detail.put("refundedAt", refundedAt.toString());
    return detail;
  }

  private static ObjectNode orderView(Order order) {
    ObjectNode view = Json.object();
    view.put("status", "RECORDED");
    view.put("campaignId", order.campaignId());
    view.put("orderId", order.orderId());
    view.put("customerId", order.customerId());
    view.set("amount", money(order.amount()));
    view.put("orderedAt", order.orderedAt().toString());
    view.put("recordedAt", order.recordedAt().toString());
    return view;
  }

  static ObjectNode money(Money money) {
    ObjectNode node = Json.object();
    node.put("amount", money.amount());
    node.put("currency", money.currency());
    return node;
  }
}
