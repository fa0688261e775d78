package dev.spur.core.lifecycle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spur.core.events.DomainEvent;
import dev.spur.core.events.EventTypes;
import dev.spur.core.json.Json;
import dev.spur.core.money.Money;
import dev.spur.core.stats.ChannelStats;
import dev.spur.core.store.Attr;
import dev.spur.core.store.Keys;
import dev.spur.core.store.Reads;
import dev.spur.core.store.Writes;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Customers and their orders in the table, and the writes that keep their cohorts' counters in
 * step. Each method returns writes for the caller's transaction; a write that depends on what was
 * read carries a condition on it, so a racing writer refuses the transaction instead of being
 * overwritten, and the caller reads again.
 */
public final class CustomerLedger {

  /** Days after the first order from which an order counts as the customer retained. */
  public static final int RETENTION_DAYS = 365;

  private final DynamoDbClient dynamo;
  private final String table;
  private final CohortStats stats;

  public CustomerLedger(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
    this.stats = new CohortStats(dynamo, table);
  }

  private static String customerSort(String customerId) {
    return "CUSTOMER#" + customerId;
  }

  private static String orderSort(String orderId) {
    return "ORDER#" + orderId;
  }

  /** The customer, if they ordered in the campaign. */
  public Optional<Customer> customer(String campaignId, String customerId) {
    Map<String, AttributeValue> item =
        Reads.item(dynamo, table, Keys.of(Keys.campaign(campaignId), customerSort(customerId)));
    return item.isEmpty() ? Optional.empty() : Optional.of(customerFrom(campaignId, item));
  }

  /** The order, if it was recorded. */
  public Optional<Order> order(String campaignId, String orderId) {
    Map<String, AttributeValue> item =
        Reads.item(dynamo, table, Keys.of(Keys.campaign(campaignId), orderSort(orderId)));
    return item.isEmpty() ? Optional.empty() : Optional.of(orderFrom(item));
  }

  /** Reads an order item, such as the one a refused transaction returned. */
  public static Order orderFrom(Map<String, AttributeValue> item) {
    return new Order(
        Attr.requiredString(item, "campaignId"),
        Attr.requiredString(item, "orderId"),
        Attr.requiredString(item, "customerId"),
        new Money(Attr.number(item, "amount"), Attr.requiredString(item, "currency")),
        Instant.parse(Attr.requiredString(item, "orderedAt")),
        item.get("orderedAtStated") == null || Boolean.TRUE.equals(
            item.get("orderedAtStated").bool()),
        Attr.number(item, "refunded"),
        item.get("conversion") != null && Boolean.TRUE.equals(item.get("conversion").bool()),
        Instant.parse(Attr.requiredString(item, "recordedAt")));
  }

  /**
   * The writes of a customer's first order: the customer (index 0, refused if the customer
   * exists), the order (index 1, refused with the order that holds the id if it is taken), then
   * the counters of the customer's cohorts.
   */
  public List<TransactWriteItem> firstOrder(Customer customer, Order order) {
    Map<String, AttributeValue> item =
        new HashMap<>(
            Keys.of(Keys.campaign(customer.campaignId()), customerSort(customer.customerId())));
    item.put("customerId", Attr.s(customer.customerId()));
    item.put("origin", Attr.s(customer.origin().name()));
    if (customer.channel() != null) {
      item.put("channel", Attr.s(customer.channel()));
    }
    if (customer.variant() != null) {
      item.put("variant", Attr.s(customer.variant()));
    }
    item.put("firstOrderAt", Attr.s(order.orderedAt().toString()));
    item.put("firstOrderId", Attr.s(order.orderId()));
    item.put("orders", Attr.n(1));
    item.put("netRevenue", Attr.n(order.amount().amount()));
    item.put("createdAt", Attr.s(order.recordedAt().toString()));

    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(Writes.putNew(table, item));
    writes.add(orderPut(order));
    writes.add(
        stats.add(
            customer.campaignId(),
            customer.cohorts(),
            Map.of(
                CohortStats.CUSTOMERS, 1L,
                CohortStats.ORDERS, 1L,
                CohortStats.NET_REVENUE, order.amount().amount())));
    writes.add(
        stats.firstOrders(
            customer.campaignId(), customer.cohorts(), ChannelStats.dayOf(order.orderedAt()), 1));
    return writes;
  }

  /**
   * The writes of a later order of a known customer, who must have ordered first: the order
   * (index 0, refused with the order that holds the id if it is taken), the customer (index 1,
   * refused if their order count moved since it was read), then the counters, moving the
   * customer's retention to the order's day when it is their earliest order a year after the
   * first.
   */
  public List<TransactWriteItem> repeatOrder(Customer customer, Order order) {
    if (order.orderedAt().isBefore(customer.firstOrderAt())) {
      throw new IllegalArgumentException("an order before the customer's first");
    }
    LocalDate day = ChannelStats.dayOf(order.orderedAt());
    boolean retains =
        !day.isBefore(customer.firstOrderDay().plusDays(RETENTION_DAYS))
            && (customer.retainedOn() == null || day.isBefore(customer.retainedOn()));

    ItemUpdate update =
        ItemUpdate.of(table, customer.campaignId(), customerSort(customer.customerId()))
            .set("orders", Attr.n(customer.orders() + 1))
            .add("netRevenue", order.amount().amount())
            .when("#orders = :seen", Map.of(":seen", Attr.n(customer.orders())));
    if (retains) {
      update.set("retainedOn", Attr.s(day.toString()));
    }

    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(orderPut(order));
    writes.add(update.write());
    writes.add(
        stats.add(
            customer.campaignId(),
            customer.cohorts(),
            Map.of(CohortStats.ORDERS, 1L, CohortStats.NET_REVENUE, order.amount().amount())));
    if (retains) {
      writes.add(stats.retained(customer.campaignId(), customer.cohorts(), day, 1));
      if (customer.retainedOn() != null) {
        writes.add(
            stats.retained(customer.campaignId(), customer.cohorts(), customer.retainedOn(), -1));
      }
    }
    return writes;
  }

  /**
   * The writes of a refund of part or all of an order: the order's refunded total (index 0,
   * refused if it moved since it was read), then the customer's and cohorts' net revenue.
   */
  public List<TransactWriteItem> refund(Customer customer, Order order, long amount) {
    long refunded = order.refunded() + amount;
    if (amount <= 0 || refunded > order.amount().amount()) {
      throw new IllegalArgumentException("a refund beyond the order");
    }
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(
        ItemUpdate.of(table, order.campaignId(), orderSort(order.orderId()))
            .set("refunded", Attr.n(refunded))
            .when("#refunded = :seen", Map.of(":seen", Attr.n(order.refunded())))
            .write());
    writes.add(
        ItemUpdate.of(table, customer.campaignId(), customerSort(customer.customerId()))
            .add("netRevenue", -amount)
            .when("attribute_exists(#customerId)", Map.of())
            .write());
    writes.add(
        stats.add(customer.campaignId(), customer.cohorts(),
            Map.of(CohortStats.NET_REVENUE, -amount)));
    return writes;
  }

  /**
   * The writes that make a feedback the customer's standing score (index 0, refused if their
   * standing feedback changed since it was read), adjusting their cohorts' responses, share of
   * 4 and 5 and score sum by the difference from the score it replaces.
   */
  public List<TransactWriteItem> feedback(
      Customer customer, String feedbackId, int score, Instant submittedAt) {
    ItemUpdate update =
        ItemUpdate.of(table, customer.campaignId(), customerSort(customer.customerId()))
            .set("feedbackId", Attr.s(feedbackId))
            .set("score", Attr.n(score))
            .set("feedbackAt", Attr.s(submittedAt.toString()));
    if (customer.feedbackId() == null) {
      update.when("attribute_exists(#customerId) AND attribute_not_exists(#feedbackId)",
          Map.of());
    } else {
      update.when("#feedbackId = :seen", Map.of(":seen", Attr.s(customer.feedbackId())));
    }
    boolean hadScore = customer.feedbackId() != null;
    long positive = (score >= 4 ? 1 : 0) - (hadScore && customer.score() >= 4 ? 1 : 0);
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(update.write());
    writes.add(
        stats.add(
            customer.campaignId(),
            customer.cohorts(),
            Map.of(
                CohortStats.RESPONSES, hadScore ? 0L : 1L,
                CohortStats.POSITIVE, positive,
                CohortStats.SCORE_SUM, (long) score - (hadScore ? customer.score() : 0))));
    return writes;
  }

  /** The {@code OrderRecorded} event of a new order. */
  public static DomainEvent recorded(Customer customer, Order order, boolean first) {
    ObjectNode detail = Json.object();
    detail.put("campaignId", order.campaignId());
    detail.put("orderId", order.orderId());
    detail.put("customerId", order.customerId());
    ObjectNode amount = detail.putObject("amount");
    amount.put("amount", order.amount().amount());
    amount.put("currency", order.amount().currency());
    detail.put("orderedAt", order.orderedAt().toString());
    detail.put("firstOrder", first);
    detail.put("origin", customer.origin().name());
    if (customer.channel() != null) {
      detail.put("channel", customer.channel());
    }
    if (customer.variant() != null) {
      detail.put("variant", customer.variant());
    }
    return DomainEvent.about(
        EventTypes.ORDER_RECORDED, order.campaignId() + "/" + order.orderId(), detail);
  }

  private TransactWriteItem orderPut(Order order) {
    Map<String, AttributeValue> item =
        new HashMap<>(Keys.of(Keys.campaign(order.campaignId()), orderSort(order.orderId())));
    item.put("campaignId", Attr.s(order.campaignId()));
    item.put("orderId", Attr.s(order.orderId()));
    item.put("customerId", Attr.s(order.customerId()));
    item.put("amount", Attr.n(order.amount().amount()));
    item.put("currency", Attr.s(order.amount().currency()));
    item.put("orderedAt", Attr.s(order.orderedAt().toString()));
    item.put("orderedAtStated", AttributeValue.fromBool(order.orderedAtStated()));
    item.put("refunded", Attr.n(order.refunded()));
    item.put("conversion", AttributeValue.fromBool(order.conversion()));
    item.put("recordedAt", Attr.s(order.recordedAt().toString()));
    return Writes.putNewOrReturnOld(table, item);
  }

  private static Customer customerFrom(String campaignId, Map<String, AttributeValue> item) {
    return new Customer(
        campaignId,
        Attr.requiredString(item, "customerId"),
        Origin.valueOf(Attr.requiredString(item, "origin")),
        Attr.string(item, "channel").orElse(null),
        Attr.string(item, "variant").orElse(null),
        Instant.parse(Attr.requiredString(item, "firstOrderAt")),
        Attr.number(item, "orders"),
        Attr.number(item, "netRevenue"),
        Attr.string(item, "retainedOn").map(LocalDate::parse).orElse(null),
        Attr.string(item, "feedbackId").orElse(null),
        (int) Attr.number(item, "score"),
        Attr.string(item, "feedbackAt").map(Instant::parse).orElse(null));
  }
}
