package dev.spur.campaigns;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spur.allocation.Guardrails;
import dev.spur.core.campaigns.BudgetPeriod;
import dev.spur.core.campaigns.Campaign;
import dev.spur.core.campaigns.Experiment;
import dev.spur.core.campaigns.Limits;
import dev.spur.core.campaigns.Milestone;
import dev.spur.core.campaigns.Program;
import dev.spur.core.campaigns.RewardVariant;
import dev.spur.core.campaigns.Tier;
import dev.spur.core.campaigns.RewardRule;
import dev.spur.core.campaigns.RewardType;
import dev.spur.core.http.JsonBody;
import dev.spur.core.money.Money;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and checks the body of {@code POST /campaigns}. */
final class CampaignRequest {

  static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{2,63}");
  static final Pattern CHANNEL = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
  static final Guardrails DEFAULT_GUARDRAILS = new Guardrails(0, 10_000, 2_500, 500);
  private static final int MAX_CHANNELS = 20;
  private static final long MAX_AMOUNT = 1_000_000_000_000L;
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 _-]{0,31}");
  private static final String LABEL_HINT =
      "must be 1 to 32 of letters, digits, spaces, '_' and '-', starting with a letter or digit";
  private static final Pattern VARIANT = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  private static final int MAX_TIERS = 10;
  private static final int MAX_MILESTONES = 20;
  private static final int MAX_VARIANTS = 8;
  private static final String ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
  private static final SecureRandom RANDOM = new SecureRandom();

  private CampaignRequest() {}

  /** The campaign the body describes; throws naming every offending field. */
  static Campaign parse(String text, Instant now) {
    return parse(text, now, true);
  }

  /**
   * The campaign the body describes; with {@code requireFutureEnd} false an {@code endsAt} in the
   * past passes, so that a retry of a create can be compared with the first one.
   */
  static Campaign parse(String text, Instant now, boolean requireFutureEnd) {
    JsonBody body = JsonBody.parse(text);
    String id = body.optionalText("id", 64, ID, "must be 3 to 64 of a-z, 0-9, '_' and '-'")
        .orElseGet(CampaignRequest::newId);
    String name = body.requiredText("name", 200, null, null);
    String currency = body.requiredText("currency", 3, null, null);
    if (currency != null && !Money.isCurrency(currency)) {
      body.reject("currency",
          "must be an ISO 4217 code with minor units, in capitals, such as EUR");
      currency = null;
    }
    String timeZone = body.requiredText("timeZone", 64, null, null);
    if (timeZone != null && !isZone(timeZone)) {
      body.reject("timeZone", "must be an IANA time zone such as Europe/Berlin");
      timeZone = null;
    }
    String landingUrl = body.requiredText("landingUrl", 2000, null, null);
    if (landingUrl != null && !isWebUrl(landingUrl)) {
      body.reject(
          "landingUrl",
          "must be an absolute http or https URL in ASCII (percent-encode the rest),"
              + " without a fragment");
      landingUrl = null;
    }
    List<String> channels = channels(body);
    RewardRule referrerReward = reward(body, "referrerReward");
    RewardRule refereeReward = reward(body, "refereeReward");
    long window = body.optionalLong("attributionWindowDays", 1, 365).orElse(30L);
    Money budget = body.requiredMoney("budget", MAX_AMOUNT);
    if (budget != null && currency != null && !budget.currency().equals(currency)) {
      body.reject("budget.currency", "must be the campaign's currency " + currency);
    }
    BudgetPeriod period = period(body);
    Guardrails guardrails = guardrails(body);
    Instant endsAt = body.optionalInstant("endsAt").orElse(null);
    if (requireFutureEnd && endsAt != null && !endsAt.isAfter(now)) {
      body.reject("endsAt", "must be in the future");
    }
    Limits limits = limits(body);
    Program program = program(body);
    long holdDays = body.optionalLong("holdDays", 0, 90).orElse(0L);
    Experiment experiment = experiment(body);
    body.validate();
    return new Campaign(
        id,
        name,
        currency,
        timeZone,
        landingUrl,
        channels,
        referrerReward,
        refereeReward,
        (int) window,
        budget,
        period,
        guardrails,
        now,
        endsAt,
        limits,
        program,
        (int) holdDays,
        experiment);
  }

  private static String newId() {
    StringBuilder id = new StringBuilder("cmp_");
    for (int i = 0; i < 13; i++) {
      id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
    }
    return id.toString();
  }

  private static boolean isZone(String zone) {
    try {
      ZoneId.of(zone);
      return (zone.contains("/") && !zone.startsWith("SystemV/")) || zone.equals("UTC");
    } catch (DateTimeException e) {
      return false;
    }
  }

  private static boolean isWebUrl(String text) {
    // The URL goes out verbatim in a Location header, which carries ASCII only.
    if (!text.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      return false;
    }
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("https") || scheme.equals("http"))
          && uri.getHost() != null
          && uri.getFragment() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static List<String> channels(JsonBody body) {
    Optional<JsonNode> node = body.node("channels");
    if (node.isEmpty()) {
      body.reject("channels", "is required");
      return List.of();
    }
    if (!node.get().isArray() || node.get().isEmpty() || node.get().size() > MAX_CHANNELS) {
      body.reject("channels", "must be an array of 1 to " + MAX_CHANNELS + " channel names");
      return List.of();
    }
    List<String> channels = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < node.get().size(); i++) {
      JsonNode channel = node.get().get(i);
      String field = "channels." + i;
      if (!channel.isTextual() || !CHANNEL.matcher(channel.textValue()).matches()) {
        body.reject(field, "must be 1 to 32 of a-z, 0-9 and '-', starting with a letter or digit");
      } else if (!seen.add(channel.textValue())) {
        body.reject(field, "repeats " + channel.textValue());
      } else {
        channels.add(channel.textValue());
      }
    }
    return channels;
  }

  private static RewardRule reward(JsonBody body, String field) {
    Optional<JsonNode> node = body.node(field);
    if (node.isEmpty()) {
      body.reject(field, "is required");
      return null;
    }
    if (!node.get().isObject()) {
      body.reject(field, "must be an object with type and amount or percentBps");
      return null;
    }
    String typeName = body.requiredText(field + ".type", 16, null, null);
    RewardType type = null;
    if (typeName != null) {
      try {
        type = RewardType.valueOf(typeName);
      } catch (IllegalArgumentException e) {
        body.reject(field + ".type", "must be one of CASH, CREDIT, DISCOUNT, POINTS");
      }
    }
    Optional<Long> amount = body.optionalLong(field + ".amount", 0, MAX_AMOUNT);
    Optional<Long> percent = body.optionalLong(field + ".percentBps", 1, 10_000);
    boolean hasAmount = body.node(field + ".amount").isPresent();
    boolean hasPercent = body.node(field + ".percentBps").isPresent();
    if (hasAmount == hasPercent) {
      body.reject(field, "needs exactly one of amount (minor units or points) and percentBps");
      return null;
    }
    if (type == RewardType.POINTS && hasPercent) {
      body.reject(field + ".percentBps", "points are a fixed amount");
      return null;
    }
    if (type == null || (hasAmount && amount.isEmpty()) || (hasPercent && percent.isEmpty())) {
      return null;
    }
    return new RewardRule(type, amount.orElse(null), percent.orElse(null));
  }

  private static BudgetPeriod period(JsonBody body) {
    Optional<String> name = body.optionalText("period", 8, null, null);
    if (name.isEmpty()) {
      return BudgetPeriod.MONTH;
    }
    try {
      return BudgetPeriod.valueOf(name.get());
    } catch (IllegalArgumentException e) {
      body.reject("period", "must be one of DAY, WEEK, MONTH, TOTAL");
      return null;
    }
  }

  private static Limits limits(JsonBody body) {
    if (body.node("limits").isEmpty()) {
      return Limits.NONE;
    }
    if (!body.node("limits").get().isObject()) {
      body.reject("limits", "must be an object");
      return Limits.NONE;
    }
    Integer perPeriod = body.optionalLong("limits.rewardsPerReferrerPerPeriod", 1, 1_000_000)
        .map(Long::intValue).orElse(null);
    Integer perHour = body.optionalLong("limits.conversionsPerReferrerPerHour", 1, 1_000_000)
        .map(Long::intValue).orElse(null);
    Integer perDevice = body.optionalLong("limits.conversionsPerDevicePerHour", 1, 1_000_000)
        .map(Long::intValue).orElse(null);
    Integer perIp = body.optionalLong("limits.conversionsPerIpPerHour", 1, 1_000_000)
        .map(Long::intValue).orElse(null);
    return new Limits(perPeriod, perHour, perDevice, perIp);
  }

  private static Program program(JsonBody body) {
    if (body.node("program").isEmpty()) {
      return Program.NONE;
    }
    if (!body.node("program").get().isObject()) {
      body.reject("program", "must be an object with pointsPerReferral, tiers and milestones");
      return Program.NONE;
    }
    long points = body.optionalLong("program.pointsPerReferral", 0, MAX_AMOUNT).orElse(0L);
    List<Tier> tiers = new ArrayList<>();
    Set<String> tierNames = new HashSet<>();
    int previous = 0;
    for (int i = 0; i < elements(body, "program.tiers", MAX_TIERS); i++) {
      String field = "program.tiers." + i;
      String name = body.requiredText(field + ".name", 32, LABEL, LABEL_HINT);
      Long min = body.requiredLong(field + ".minReferrals", 1, 1_000_000);
      Long bonus = body.requiredLong(field + ".rewardBonusBps", 0, 100_000);
      if (name != null && !tierNames.add(name)) {
        body.reject(field + ".name", "repeats " + name);
      }
      if (min != null && min <= previous) {
        body.reject(field + ".minReferrals", "must be above the tier before's " + previous);
      }
      if (name != null && min != null && bonus != null) {
        tiers.add(new Tier(name, min.intValue(), bonus.intValue()));
        previous = min.intValue();
      }
    }
    List<Milestone> milestones = new ArrayList<>();
    Set<Long> counts = new HashSet<>();
    Set<String> badges = new HashSet<>();
    for (int i = 0; i < elements(body, "program.milestones", MAX_MILESTONES); i++) {
      String field = "program.milestones." + i;
      Long referrals = body.requiredLong(field + ".referrals", 1, 1_000_000);
      String badge = body.requiredText(field + ".badge", 32, LABEL, LABEL_HINT);
      long bonus = body.optionalLong(field + ".bonusPoints", 0, MAX_AMOUNT).orElse(0L);
      if (referrals != null && !counts.add(referrals)) {
        body.reject(field + ".referrals", "repeats " + referrals);
      }
      if (badge != null && !badges.add(badge)) {
        body.reject(field + ".badge", "repeats " + badge);
      }
      if (referrals != null && badge != null) {
        milestones.add(new Milestone(referrals.intValue(), badge, bonus));
      }
    }
    return new Program(points, tiers, milestones);
  }

  private static Experiment experiment(JsonBody body) {
    if (body.node("experiment").isEmpty()) {
      return null;
    }
    if (!body.node("experiment").get().isObject()) {
      body.reject("experiment", "must be an object with variants");
      return null;
    }
    int count = elements(body, "experiment.variants", MAX_VARIANTS);
    if (count < 2 && body.node("experiment.variants").isPresent()
        && body.node("experiment.variants").get().isArray()) {
      body.reject("experiment.variants", "needs 2 to " + MAX_VARIANTS + " variants");
    } else if (body.node("experiment.variants").isEmpty()) {
      body.reject("experiment.variants", "is required");
    }
    List<RewardVariant> variants = new ArrayList<>();
    Set<String> names = new HashSet<>();
    long weights = 0;
    for (int i = 0; i < count; i++) {
      String field = "experiment.variants." + i;
      String name = body.requiredText(field + ".name", 32, VARIANT,
          "must be 1 to 32 of letters, digits, '_' and '-'");
      Long weight = body.requiredLong(field + ".weightBps", 0, 10_000);
      RewardRule referrer = reward(body, field + ".referrerReward");
      RewardRule referee = reward(body, field + ".refereeReward");
      if (name != null && !names.add(name)) {
        body.reject(field + ".name", "repeats " + name);
      }
      weights += weight == null ? 0 : weight;
      if (name != null && weight != null && referrer != null && referee != null) {
        variants.add(new RewardVariant(name, weight.intValue(), referrer, referee));
      }
    }
    if (count >= 2 && weights != 10_000) {
      body.reject("experiment.variants", "weightBps must sum to 10000, not " + weights);
    }
    long minWeight = body.optionalLong("experiment.minWeightBps", 0, 5_000).orElse(1_000L);
    long maxChange = body.optionalLong("experiment.maxChangeBps", 0, 10_000).orElse(1_000L);
    long minReferrers =
        body.optionalLong("experiment.minReferrers", 1, 1_000_000).orElse(100L);
    if (count >= 2 && minWeight * count > 10_000) {
      body.reject("experiment.minWeightBps",
          "times " + count + " variants cannot exceed 10000");
    }
    for (RewardVariant variant : variants) {
      if (variant.weightBps() < minWeight && minWeight * count <= 10_000) {
        body.reject("experiment.variants." + variants.indexOf(variant) + ".weightBps",
            "must be at least minWeightBps " + minWeight);
      }
    }
    return new Experiment(variants, (int) minWeight, (int) maxChange, (int) minReferrers);
  }

  /** The length of an optional array field of at most {@code max} objects, 0 when invalid. */
  private static int elements(JsonBody body, String field, int max) {
    Optional<JsonNode> node = body.node(field);
    if (node.isEmpty()) {
      return 0;
    }
    if (!node.get().isArray() || node.get().size() > max) {
      body.reject(field, "must be an array of at most " + max + " objects");
      return 0;
    }
    for (int i = 0; i < node.get().size(); i++) {
      if (!node.get().get(i).isObject()) {
        body.reject(field + "." + i, "must be an object");
        return 0;
      }
    }
    return node.get().size();
  }

  private static Guardrails guardrails(JsonBody body) {
    if (body.node("guardrails").isEmpty()) {
      return DEFAULT_GUARDRAILS;
    }
    if (!body.node("guardrails").get().isObject()) {
      body.reject("guardrails", "must be an object");
      return null;
    }
    long min = share(body, "minShareBps", DEFAULT_GUARDRAILS.minShareBps());
    long max = share(body, "maxShareBps", DEFAULT_GUARDRAILS.maxShareBps());
    long change = share(body, "maxChangeBps", DEFAULT_GUARDRAILS.maxChangeBps());
    long floor = share(body, "explorationFloorBps", DEFAULT_GUARDRAILS.explorationFloorBps());
    if (min > max && max >= 0) {
      body.reject("guardrails.minShareBps", "cannot exceed maxShareBps");
      return null;
    }
    if (min < 0 || max < 0 || change < 0 || floor < 0) {
      return null;
    }
    return new Guardrails((int) min, (int) max, (int) change, (int) floor);
  }

  private static long share(JsonBody body, String name, int fallback) {
    String field = "guardrails." + name;
    if (body.node(field).isEmpty()) {
      return fallback;
    }
    Long value = body.optionalLong(field, 0, 10_000).orElse(null);
    return value == null ? -1 : value;
  }
}
