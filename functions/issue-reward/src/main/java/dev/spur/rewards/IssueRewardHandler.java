package dev.spur.rewards;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.spur.core.aws.AwsClients;
import dev.spur.core.events.EventBus;
import dev.spur.core.events.EventTypes;
import dev.spur.core.events.Outbox;
import dev.spur.core.log.Log;
import dev.spur.core.mail.Mailer;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Runs on every {@code ConversionRecorded} the bus delivers (EventBridge hands Lambda the same
 * envelope as a scheduled event, which is why the input type is {@link ScheduledEvent}).
 * Deliveries may repeat and come out of order; each settles the conversion at most once.
 */
public final class IssueRewardHandler
    implements RequestHandler<ScheduledEvent, Map<String, Object>> {

  private static final Log LOG = Log.of(IssueRewardHandler.class);
  /** The detail type EventBridge gives a schedule's events. */
  private static final String SCHEDULED = "Scheduled Event";

  private final Rewards rewards;
  private final Clawbacks clawbacks;
  private final Payouts payouts;

  /** Used by Lambda: builds the clients once per container from the environment. */
  public IssueRewardHandler() {
    this(System.getenv());
  }

  /** Builds the real clients from the given environment. */
  public IssueRewardHandler(Map<String, String> environment) {
    var dynamo = AwsClients.dynamoDb(environment);
    String table = AwsClients.required(environment, "TABLE_NAME");
    Outbox outbox = new Outbox(dynamo, table);
    EventBus bus = EventBus.fromEnvironment(environment, outbox);
    Mailer mailer =
        new Mailer(AwsClients.sesV2(environment),
            AwsClients.required(environment, "SENDER_EMAIL"));
    Clock clock = Clock.systemUTC();
    this.rewards = new Rewards(dynamo, table, bus, outbox, mailer,
        AwsClients.required(environment, "PUBLIC_BASE_URL"), clock);
    this.clawbacks = new Clawbacks(dynamo, table, rewards, bus, outbox, clock);
    this.payouts = new Payouts(dynamo, table, outbox, bus, clock);
  }

  /**
   * Handles what the bus delivers: {@code ConversionRecorded} and {@code RewardApproved} settle
   * a reward, {@code OrderRefunded} claws one back, and the schedule's {@code Scheduled Event}
   * approves the payouts whose hold has ended. Any other event, or one that lacks its ids,
   * fails, so that it ends in the dead-letter queue where it can be seen, rather than
   * vanishing.
   */
  @Override
  public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
    String type = event == null ? null : event.getDetailType();
    Map<String, Object> detail =
        event == null || event.getDetail() == null ? Map.of() : event.getDetail();
    Map<String, Object> result = new LinkedHashMap<>();
    if (SCHEDULED.equals(type)) {
      result.put("outcome", "PAYOUTS_APPROVED");
      result.put("approved", payouts.approveDue());
      return result;
    }
    if (!EventTypes.CONVERSION_RECORDED.equals(type) && !EventTypes.REWARD_APPROVED.equals(type)
        && !EventTypes.ORDER_REFUNDED.equals(type)) {
      throw new IllegalArgumentException(
          "expected ConversionRecorded, RewardApproved, OrderRefunded or a scheduled event, got "
              + type);
    }
    String campaignId = text(detail, "campaignId", type);
    String orderId = text(detail, "orderId", type);
    result.put("campaignId", campaignId);
    result.put("orderId", orderId);
    if (EventTypes.ORDER_REFUNDED.equals(type)) {
      switch (clawbacks.refunded(campaignId, orderId,
          Boolean.TRUE.equals(detail.get("fullyRefunded")))) {
        case Clawbacks.ClawedBack clawed -> {
          result.put("outcome", "CLAWED_BACK");
          result.put("phase", clawed.phase());
          result.put("cost", clawed.cost());
        }
        case Clawbacks.Cancelled cancelled -> result.put("outcome", "DECLINED");
        case Clawbacks.Untouched untouched -> {
          result.put("outcome", "UNTOUCHED");
          result.put("reason", untouched.reason());
        }
      }
      return result;
    }
    String delivery = delivery(event);
    Rewards.Outcome outcome =
        EventTypes.REWARD_APPROVED.equals(type)
            ? rewards.settleApproved(campaignId, orderId, delivery)
            : rewards.settle(campaignId, orderId, delivery);
    switch (outcome) {
      case Rewards.Issued issued -> {
        result.put("outcome", "ISSUED");
        result.put("cost", issued.cost());
      }
      case Rewards.Declined declined -> {
        result.put("outcome", "DECLINED");
        result.put("reason", declined.reason());
      }
      case Rewards.Held held -> {
        result.put("outcome", "HELD");
        result.put("reason", held.reason());
      }
      case Rewards.AlreadySettled settled -> {
        result.put("outcome", "ALREADY_SETTLED");
        result.put("status", settled.status());
      }
    }
    return result;
  }

  /**
   * The event's id, which the bus keeps in every retry of a failed delivery: an email claimed
   * under it is taken back by the retry. A payload without one is a delivery of its own.
   */
  private static String delivery(ScheduledEvent event) {
    String id = event.getId();
    return id == null || id.isBlank() ? UUID.randomUUID().toString() : id;
  }

  private static String text(Map<String, Object> detail, String name, String type) {
    Object value = detail.get(name);
    if (!(value instanceof String text) || text.isBlank()) {
      LOG.error("event.malformed", "missing", name);
      throw new IllegalArgumentException(type + " detail has no " + name);
    }
    return text;
  }
}
