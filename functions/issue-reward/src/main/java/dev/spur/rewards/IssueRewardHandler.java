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

/**
 * Runs on every {@code ConversionRecorded} the bus delivers (EventBridge hands Lambda the same
 * envelope as a scheduled event, which is why the input type is {@link ScheduledEvent}).
 * Deliveries may repeat and come out of order; each settles the conversion at most once.
 */
public final class IssueRewardHandler
    implements RequestHandler<ScheduledEvent, Map<String, Object>> {

  private static final Log LOG = Log.of(IssueRewardHandler.class);

  private final Rewards rewards;

  /** Used by Lambda: builds the clients once per container from the environment. */
  public IssueRewardHandler() {
    this(System.getenv());
  }

  /** Builds the real clients from the given environment. */
  public IssueRewardHandler(Map<String, String> environment) {
    this(rewards(environment));
  }

  /** Uses the given operations. */
  public IssueRewardHandler(Rewards rewards) {
    this.rewards = rewards;
  }

  private static Rewards rewards(Map<String, String> environment) {
    var dynamo = AwsClients.dynamoDb(environment);
    String table = AwsClients.required(environment, "TABLE_NAME");
    Outbox outbox = new Outbox(dynamo, table);
    EventBus bus = EventBus.fromEnvironment(environment, outbox);
    Mailer mailer =
        new Mailer(AwsClients.sesV2(environment),
            AwsClients.required(environment, "SENDER_EMAIL"));
    return new Rewards(dynamo, table, bus, outbox, mailer, Clock.systemUTC());
  }

  /**
   * Settles the announced conversion. An event that is not a {@code ConversionRecorded} or that
   * lacks its ids fails, so that it ends in the dead-letter queue where it can be seen, rather
   * than vanishing.
   */
  @Override
  public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
    String type = event == null ? null : event.getDetailType();
    if (!EventTypes.CONVERSION_RECORDED.equals(type) && !EventTypes.REWARD_APPROVED.equals(type)) {
      throw new IllegalArgumentException(
          "expected a ConversionRecorded or RewardApproved event, got " + type);
    }
    Map<String, Object> detail = event.getDetail() == null ? Map.of() : event.getDetail();
    String campaignId = text(detail, "campaignId");
    String orderId = text(detail, "orderId");
    Rewards.Outcome outcome =
        EventTypes.REWARD_APPROVED.equals(type)
            ? rewards.settleApproved(campaignId, orderId)
            : rewards.settle(campaignId, orderId);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("campaignId", campaignId);
    result.put("orderId", orderId);
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

  private static String text(Map<String, Object> detail, String name) {
    Object value = detail.get(name);
    if (!(value instanceof String text) || text.isBlank()) {
      LOG.error("event.malformed", "missing", name);
      throw new IllegalArgumentException("ConversionRecorded detail has no " + name);
    }
    return text;
  }
}
