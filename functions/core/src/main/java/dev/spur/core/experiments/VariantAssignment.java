package dev.spur.core.experiments;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;

/**
 * Puts each referrer of a campaign in one of its variants, the same one every time and on every
 * JVM: SHA-256 of the campaign id, a NUL byte and the referrer id (both UTF-8) gives a bucket,
 * its first 8 bytes read as an unsigned big-endian number modulo 10,000, and the bucket falls
 * into the variants' cumulative weights in their declared order.
 *
 * <p>Changing the weights moves only the referrers whose bucket crosses a boundary; a referrer
 * already rewarded under one variant should keep it, which is the caller's to record.
 */
public final class VariantAssignment {

  private final String campaignId;
  private final List<Variant> variants;

  private VariantAssignment(String campaignId, List<Variant> variants) {
    this.campaignId = campaignId;
    this.variants = variants;
  }

  /**
   * The assignment for a campaign's variants.
   *
   * @throws IllegalArgumentException when the campaign id is blank or holds a NUL character
   *     (which would make two id pairs hash alike), or the variants do not make an experiment:
   *     1 to 8 of them, unique names, weights adding up to 10,000
   */
  public static VariantAssignment of(String campaignId, List<Variant> variants) {
    Objects.requireNonNull(campaignId, "campaignId");
    if (campaignId.isBlank()) {
      throw new IllegalArgumentException("campaignId must not be blank");
    }
    if (campaignId.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("campaignId must not contain a NUL character");
    }
    return new VariantAssignment(campaignId, Variant.checkedSet(variants));
  }

  /** The variants, in their declared order. */
  public List<Variant> variants() {
    return variants;
  }

  /** The variant a referrer gets; a variant of weight 0 is never given. */
  public Variant assign(String referrerId) {
    Objects.requireNonNull(referrerId, "referrerId");
    int bucket = bucket(referrerId);
    int upTo = 0;
    for (Variant variant : variants) {
      upTo += variant.weightBps();
      if (bucket < upTo) {
        return variant;
      }
    }
    // The weights add up to 10,000 and the bucket is below it, so the loop has returned.
    throw new IllegalStateException("bucket " + bucket + " beyond the weights");
  }

  private int bucket(String referrerId) {
    MessageDigest sha256 = sha256();
    sha256.update(campaignId.getBytes(StandardCharsets.UTF_8));
    sha256.update((byte) 0);
    sha256.update(referrerId.getBytes(StandardCharsets.UTF_8));
    byte[] digest = sha256.digest();
    long first = 0;
    for (int i = 0; i < 8; i++) {
      first = (first << 8) | (digest[i] & 0xFF);
    }
    return (int) Long.remainderUnsigned(first, Variant.TOTAL_BPS);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform is required to provide SHA-256.
      throw new IllegalStateException(e);
    }
  }
}
