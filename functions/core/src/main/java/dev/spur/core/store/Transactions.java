package dev.spur.core.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Runs a {@code TransactWriteItems} and reports which condition, if any, refused it, so that
 * callers decide from the item that failed rather than from an exception's text.
 */
public final class Transactions {

  private Transactions() {}

  /** The outcome of one transaction. */
  public sealed interface Outcome permits Committed, Refused {}

  /** Every write happened. */
  public record Committed() implements Outcome {}

  /**
   * Nothing happened because a condition failed.
   *
   * @param index the position of the first failing write in the request
   * @param existing the failing item as it stood, when it existed
   */
  public record Refused(int index, Optional<Map<String, AttributeValue>> existing)
      implements Outcome {}

  /**
   * Writes all or nothing. A transaction conflict with another writer is retried a few times
   * with jittered backoff; a failed condition is returned, not thrown.
   */
  public static Outcome write(DynamoDbClient dynamo, List<TransactWriteItem> items) {
    TransactWriteItemsRequest request =
        TransactWriteItemsRequest.builder().transactItems(items).build();
    int attempt = 0;
    while (true) {
      try {
        dynamo.transactWriteItems(request);
        return new Committed();
      } catch (TransactionCanceledException e) {
        List<CancellationReason> reasons = e.cancellationReasons();
        for (int i = 0; i < reasons.size(); i++) {
          if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
            Map<String, AttributeValue> item = reasons.get(i).item();
            return new Refused(
                i, item == null || item.isEmpty() ? Optional.empty() : Optional.of(item));
          }
        }
        boolean conflict =
            reasons.stream()
                .anyMatch(
                    r ->
                        "TransactionConflict".equals(r.code())
                            || "ThrottlingError".equals(r.code())
                            || "ProvisionedThroughputExceeded".equals(r.code()));
        if (!conflict || ++attempt >= 5) {
          throw e;
        }
        pause(attempt);
      }
    }
  }

  /**
   * Waits before the {@code attempt}-th retry of an optimistic write (1 for the first): a
   * random time from 20 to 40 ms, doubled per attempt up to the eighth, so racing writers
   * spread out.
   */
  public static void pause(int attempt) {
    long ceiling = 20L << Math.min(attempt, 8);
    long millis = java.util.concurrent.ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling);
    try {
      Thread.sleep(millis);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retrying a transaction", interrupted);
    }
  }
}
