package dev.spur.core.mail;

import dev.spur.core.fraud.EmailIdentity;
import dev.spur.core.store.Attr;
import dev.spur.core.store.Keys;
import dev.spur.core.store.Reads;
import dev.spur.core.store.Transactions;
import dev.spur.core.store.Writes;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * Who Spur must not email: mailboxes that unsubscribed (through the one-click link every email
 * carries) or that the operator suppressed (a bounce, a complaint). A mailbox is known by the
 * digest of its normalised address, so the table holds no address for this, and the same
 * mailbox written another way is the same entry. Each mailbox gets one random unsubscribe
 * token, which names it in links without revealing it.
 */
public final class Suppressions {

  /** The shape of an unsubscribe token: 32 lowercase hex digits. */
  public static final Pattern TOKEN = Pattern.compile("[0-9a-f]{32}");
  private static final String PARTITION = "MAILBOX#";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DynamoDbClient dynamo;
  private final String table;

  public Suppressions(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  /** True when no email may go to the address. */
  public boolean suppressed(String address) {
    return !Reads.item(dynamo, table, suppressionKey(EmailIdentity.digest(address))).isEmpty();
  }

  /** The mailbox's unsubscribe token, made on first use; concurrent first uses agree. */
  public String token(String address) {
    String digest = EmailIdentity.digest(address);
    Map<String, AttributeValue> key = Keys.of(PARTITION + digest, "TOKEN");
    Optional<String> existing = Attr.string(Reads.item(dynamo, table, key), "token");
    if (existing.isPresent()) {
      return existing.get();
    }
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    String token = HexFormat.of().formatHex(bytes);
    Map<String, AttributeValue> mailbox = new HashMap<>(key);
    mailbox.put("token", Attr.s(token));
    Map<String, AttributeValue> byToken = new HashMap<>(Keys.of("UNSUBSCRIBE#" + token, "TOKEN"));
    byToken.put("mailbox", Attr.s(digest));
    if (Transactions.write(dynamo, List.of(Writes.putNew(table, mailbox),
        Writes.putNew(table, byToken))) instanceof Transactions.Committed) {
      return token;
    }
    return Attr.requiredString(Reads.item(dynamo, table, key), "token");
  }

  /** True when some mailbox has the token. */
  public boolean knows(String token) {
    return token != null && TOKEN.matcher(token).matches()
        && !Reads.item(dynamo, table, Keys.of("UNSUBSCRIBE#" + token, "TOKEN")).isEmpty();
  }

  /** What following an unsubscribe link came to. */
  public enum Unsubscribed { DONE, ALREADY, UNKNOWN_TOKEN }

  /** Suppresses the mailbox a token names. Repeats answer {@link Unsubscribed#ALREADY}. */
  public Unsubscribed unsubscribe(String token, Instant now) {
    if (token == null || !TOKEN.matcher(token).matches()) {
      return Unsubscribed.UNKNOWN_TOKEN;
    }
    Optional<String> mailbox =
        Attr.string(Reads.item(dynamo, table, Keys.of("UNSUBSCRIBE#" + token, "TOKEN")),
            "mailbox");
    if (mailbox.isEmpty()) {
      return Unsubscribed.UNKNOWN_TOKEN;
    }
    return suppress(mailbox.get(), "UNSUBSCRIBED", now)
        ? Unsubscribed.DONE : Unsubscribed.ALREADY;
  }

  /** Suppresses an address for a reason such as BOUNCE or COMPLAINT; false if it already was. */
  public boolean suppressAddress(String address, String reason, Instant now) {
    return suppress(EmailIdentity.digest(address), reason, now);
  }

  private boolean suppress(String digest, String reason, Instant now) {
    Map<String, AttributeValue> item = new HashMap<>(suppressionKey(digest));
    item.put("type", Attr.s("Suppression"));
    item.put("reason", Attr.s(reason));
    item.put("at", Attr.s(now.toString()));
    try {
      dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
          .conditionExpression("attribute_not_exists(PK)").build());
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  private static Map<String, AttributeValue> suppressionKey(String digest) {
    return Keys.of(PARTITION + digest, "SUPPRESSED");
  }
}
