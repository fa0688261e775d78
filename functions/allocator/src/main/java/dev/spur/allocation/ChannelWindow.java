package dev.spur.allocation;

import java.util.List;

/**
 * What the allocator knows of one channel: its window of results and where its budget stands.
 *
 * @param channel the channel's name, unique within the campaign
 * @param enabled false when the campaign has switched the channel off: it gets no new money
 * @param currentAllocation the channel's budget for this period before this run
 * @param committed what the channel has already spent this period; a new allocation never goes
 *     below it, since money paid out cannot be taken back
 * @param buckets the window, oldest bucket first, all of the same length of time
 * @param newestBucket the number of the window's newest bucket, in a count that goes up by one
 *     per bucket (the day's number since 1970-01-01, say), or -1 when the caller does not number
 *     its buckets; then the allocator knows a bucket it has taken in by its figures, and a
 *     complete bucket whose figures equal the one before it is not taken in again
 */
public record ChannelWindow(
    String channel,
    boolean enabled,
    long currentAllocation,
    long committed,
    List<WindowBucket> buckets,
    long newestBucket) {

  /** A window whose buckets are not numbered. */
  public ChannelWindow(
      String channel,
      boolean enabled,
      long currentAllocation,
      long committed,
      List<WindowBucket> buckets) {
    this(channel, enabled, currentAllocation, committed, buckets, -1);
  }

  public ChannelWindow {
    if (channel == null || channel.isBlank()) {
      throw new IllegalArgumentException("channel must be named");
    }
    if (!wellFormed(channel)) {
      throw new IllegalArgumentException("channel name must be well-formed text");
    }
    if (currentAllocation < 0
        || committed < 0
        || currentAllocation > AllocationRequest.MAX_AMOUNT
        || committed > AllocationRequest.MAX_AMOUNT) {
      throw new IllegalArgumentException(
          "allocation and committed must be 0 to " + AllocationRequest.MAX_AMOUNT);
    }
    buckets = List.copyOf(buckets);
    if (newestBucket < -1 || (newestBucket >= 0 && newestBucket < buckets.size() - 1)) {
      throw new IllegalArgumentException(
          "newestBucket must be -1 (not numbered) or at least the window's length less one,"
              + " so that no bucket's number is negative");
    }
  }

  /** Whether every surrogate in the text is half of a pair, so that it has a UTF-8 form. */
  private static boolean wellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
