package dev.spur.core.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.spur.core.log.Log;
import dev.spur.core.store.Attr;
import dev.spur.core.store.Keys;
import dev.spur.core.store.Reads;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * The {@code Idempotency-Key} contract of Spur's POST routes. For 24 hours after a request with
 * a key, a request with the same key and the same body gets the first answer again, marked by
 * {@code idempotent-replayed: true}, and changes nothing; the same key with another body is a
 * 409. Answers of 5xx, 409 and 429 are not kept, so a retry after them runs again.
 *
 * <p>Two requests with one key that race both run; that is safe because every POST operation is
 * also idempotent on its natural key (campaign id, referrer and channel, order id, report id).
 */
public final class IdempotencyKeys {

  /** The request header. */
  public static final String HEADER = "Idempotency-Key";

  /** How long a key is remembered. */
  public static final Duration WINDOW = Duration.ofHours(24);

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
  private static final Log LOG = Log.of(IdempotencyKeys.class);

  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;

  public IdempotencyKeys(DynamoDbClient dynamo, String table, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.clock = clock;
  }

  /** Runs the operation under the request's key, if it has one. */
  public APIGatewayV2HTTPResponse apply(
      HttpRequest request,
      String scope,
      Function<HttpRequest, APIGatewayV2HTTPResponse> operation) {
    Optional<String> key = request.header(HEADER);
    if (key.isEmpty()) {
      return operation.apply(request);
    }
    if (!KEY.matcher(key.get()).matches()) {
      throw InvalidRequestException.field(
          HEADER, "must be 1 to 128 of A-Z, a-z, 0-9, _.:- (a UUID works)");
    }
    Map<String, AttributeValue> itemKey =
        Keys.of("IDEMPOTENCY#" + scope + "#" + key.get(), "IDEMPOTENCY");
    String fingerprint = fingerprint(request.body());
    Instant now = clock.instant();

    Map<String, AttributeValue> first = Reads.item(dynamo, table, itemKey);
    if (!first.isEmpty() && Attr.number(first, Keys.EXPIRES_AT)
        > now.getEpochSecond()) {
      if (!fingerprint.equals(Attr.string(first, "fingerprint").orElse(""))) {
        return HttpResponses.problem(
            Problem.conflict(HEADER, "was used before with a different body"));
      }
      LOG.info("request.replayed", "scope", scope);
      return replay(first);
    }

    APIGatewayV2HTTPResponse response = operation.apply(request);
    int status = response.getStatusCode();
    if (status >= 500 || status == 409 || status == 429) {
      return response;
    }
    Map<String, AttributeValue> item = new HashMap<>(itemKey);
    item.put("fingerprint", Attr.s(fingerprint));
    item.put("status", Attr.n(status));
    item.put("body", Attr.s(response.getBody() == null ? "" : response.getBody()));
    Map<String, AttributeValue> headers = new LinkedHashMap<>();
    if (response.getHeaders() != null) {
      response.getHeaders().forEach((name, value) -> headers.put(name, Attr.s(value)));
    }
    item.put("headers", AttributeValue.fromM(headers));
    if (response.getCookies() != null && !response.getCookies().isEmpty()) {
      item.put("cookies", Attr.strings(response.getCookies()));
    }
    item.put(Keys.EXPIRES_AT, Attr.n(now.plus(WINDOW).getEpochSecond()));
    try {
      dynamo.putItem(
          PutItemRequest.builder()
              .tableName(table)
              .item(item)
              .conditionExpression("attribute_not_exists(PK) OR #expires <= :now")
              .expressionAttributeNames(Map.of("#expires", Keys.EXPIRES_AT))
              .expressionAttributeValues(Map.of(":now", Attr.n(now.getEpochSecond())))
              .build());
    } catch (ConditionalCheckFailedException e) {
      // A racing request with the same key stored its answer first; both answers stand, and
      // the natural key of the operation made them agree.
      LOG.info("request.key-raced", "scope", scope);
    }
    return response;
  }

  private static APIGatewayV2HTTPResponse replay(Map<String, AttributeValue> first) {
    Map<String, String> headers = new LinkedHashMap<>();
    AttributeValue stored = first.get("headers");
    if (stored != null && stored.hasM()) {
      stored.m().forEach((name, value) -> headers.put(name, value.s()));
    }
    headers.put("idempotent-replayed", "true");
    List<String> cookies = Attr.stringList(first, "cookies");
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode((int) Attr.number(first, "status"))
        .withHeaders(headers)
        .withBody(Attr.string(first, "body").orElse(""))
        .withCookies(cookies.isEmpty() ? null : cookies)
        .build();
  }

  private static String fingerprint(String body) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(body.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
