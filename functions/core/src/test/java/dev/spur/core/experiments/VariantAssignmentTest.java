package dev.spur.core.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VariantAssignmentTest {

  private static final List<Variant> THREE =
      List.of(
          new Variant("cash", 5_000), new Variant("discount", 3_000), new Variant("points", 2_000));

  /** The bucket, worked out here with BigInteger rather than the code's bit shifts. */
  private static int bucketByDigest(String campaignId, String referrerId) throws Exception {
    byte[] campaign = campaignId.getBytes(StandardCharsets.UTF_8);
    byte[] referrer = referrerId.getBytes(StandardCharsets.UTF_8);
    byte[] input = new byte[campaign.length + 1 + referrer.length];
    System.arraycopy(campaign, 0, input, 0, campaign.length);
    System.arraycopy(referrer, 0, input, campaign.length + 1, referrer.length);
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(input);
    BigInteger first = new BigInteger(1, Arrays.copyOf(digest, 8));
    return first.mod(BigInteger.valueOf(10_000)).intValueExact();
  }

  private static String variantOfBucket(int bucket) {
    if (bucket < 5_000) {
      return "cash";
    }
    return bucket < 8_000 ? "discount" : "points";
  }

  @Test
  void fixedReferrersGetTheVariantTheirDigestPointsTo() throws Exception {
    VariantAssignment assignment = VariantAssignment.of("spring-2026", THREE);

    for (String referrer : List.of("referrer-0001", "referrer-0002", "r-42", "référent-é")) {
      String expected = variantOfBucket(bucketByDigest("spring-2026", referrer));
      assertEquals(expected, assignment.assign(referrer).name(), referrer);
    }
  }

  @Test
  void bucketsMatchSha256ComputedOutsideJava() {
    // Buckets from Python's hashlib for the same bytes: 5356, 8821, 3104 and 1712.
    VariantAssignment spring = VariantAssignment.of("spring-2026", THREE);
    VariantAssignment camp = VariantAssignment.of("camp-7", THREE);

    assertEquals("discount", spring.assign("referrer-0001").name());
    assertEquals("points", spring.assign("referrer-0002").name());
    assertEquals("cash", spring.assign("r-42").name());
    assertEquals("cash", camp.assign("référent-é").name());
  }

  @Test
  void theSameReferrerGetsTheSameVariantEveryTime() {
    VariantAssignment first = VariantAssignment.of("spring-2026", THREE);
    VariantAssignment second = VariantAssignment.of("spring-2026", new ArrayList<>(THREE));

    for (int i = 0; i < 1_000; i++) {
      String referrer = "ref-" + i;
      assertEquals(first.assign(referrer), second.assign(referrer));
      assertEquals(first.assign(referrer), first.assign(referrer));
    }
  }

  @Test
  void sharesOverManyReferrersFollowTheWeights() {
    assertShares(THREE);
    assertShares(List.of(new Variant("a", 2_500), new Variant("b", 0), new Variant("c", 7_500)));
    assertShares(
        List.of(
            new Variant("v1", 1_250),
            new Variant("v2", 1_250),
            new Variant("v3", 1_250),
            new Variant("v4", 1_250),
            new Variant("v5", 1_250),
            new Variant("v6", 1_250),
            new Variant("v7", 1_250),
            new Variant("v8", 1_250)));
  }

  private static void assertShares(List<Variant> variants) {
    VariantAssignment assignment = VariantAssignment.of("campaign-shares", variants);
    int referrers = 100_000;
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < referrers; i++) {
      counts.merge(assignment.assign("referrer-" + i).name(), 1, Integer::sum);
    }
    for (Variant variant : variants) {
      int count = counts.getOrDefault(variant.name(), 0);
      // Within one percentage point (100 basis points) of the weight.
      double shareBps = 10_000.0 * count / referrers;
      assertEquals(variant.weightBps(), shareBps, 100.0, variant.name());
      if (variant.weightBps() == 0) {
        assertEquals(0, count, variant.name());
      }
    }
  }

  @Test
  void aSingleVariantTakesEveryone() {
    VariantAssignment assignment =
        VariantAssignment.of("solo", List.of(new Variant("only", 10_000)));

    for (int i = 0; i < 100; i++) {
      assertEquals("only", assignment.assign("r" + i).name());
    }
  }

  @Test
  void variantSetsThatMakeNoExperimentAreRefused() {
    assertRefused(List.of(), "an experiment has 1 to 8 variants, not 0");
    List<Variant> nine = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      nine.add(new Variant("v" + i, i == 0 ? 2_000 : 1_000));
    }
    assertRefused(nine, "an experiment has 1 to 8 variants, not 9");
    assertRefused(
        List.of(new Variant("cash", 5_000), new Variant("cash", 5_000)),
        "variant name cash is repeated");
    assertRefused(
        List.of(new Variant("cash", 5_000), new Variant("discount", 4_999)),
        "variant weights add up to 9999, not 10000");
  }

  @Test
  void badNamesAndWeightsAreRefused() {
    assertEquals(
        "variant name '' must be 1 to 32 letters, digits, '-' or '_'",
        assertThrows(IllegalArgumentException.class, () -> new Variant("", 1)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Variant("  ", 1));
    assertThrows(IllegalArgumentException.class, () -> new Variant("cash back", 1));
    assertThrows(IllegalArgumentException.class, () -> new Variant("a".repeat(33), 1));
    assertEquals("a".repeat(32), new Variant("a".repeat(32), 1).name());
    assertEquals("Cash_2-b", new Variant("Cash_2-b", 1).name());
    assertEquals(
        "variant cash: weight -1 must be between 0 and 10000",
        assertThrows(IllegalArgumentException.class, () -> new Variant("cash", -1)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Variant("cash", 10_001));
  }

  @Test
  void campaignIdsThatCouldCollideAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> VariantAssignment.of(" ", THREE));
    assertThrows(IllegalArgumentException.class, () -> VariantAssignment.of("a\0b", THREE));
  }

  private static void assertRefused(List<Variant> variants, String message) {
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> VariantAssignment.of("c", variants));
    assertEquals(message, refused.getMessage());
  }
}
