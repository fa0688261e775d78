package dev.spur.core.fraud;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The mailbox an email address reaches, for telling whether two addresses belong to one person.
 * Case never matters. A {@code +tag} is dropped only at providers that deliver tagged mail to
 * the untagged mailbox, dots in the local part only at the provider that ignores them, and a
 * domain alias is folded only where the provider documents one; elsewhere the address is kept
 * as written, since another provider may give {@code a.b} and {@code ab} to two people.
 */
public final class EmailIdentity {

  private static final Set<String> PLUS_TAGGED =
      Set.of(
          "gmail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "icloud.com",
          "me.com", "mac.com", "fastmail.com", "proton.me", "protonmail.com", "pm.me");
  private static final Set<String> DOTS_IGNORED = Set.of("gmail.com");
  private static final Map<String, String> ALIASES =
      Map.of(
          "googlemail.com", "gmail.com",
          "protonmail.ch", "proton.me",
          "protonmail.com", "proton.me",
          "pm.me", "proton.me");

  private EmailIdentity() {}

  /**
   * The normalised mailbox, such as {@code adalovelace@gmail.com} for
   * {@code Ada.Lovelace+x@googlemail.com}.
   */
  public static String of(String address) {
    // Compatibility forms fold full-width and other look-alike letters into plain ones; spaces
    // of any kind and invisible characters around or inside the address are dropped.
    String email = Normalizer.normalize(address, Normalizer.Form.NFKC)
        .replaceAll("[\\p{Z}\\p{Cf}\\p{Cc}]", "")
        .toLowerCase(Locale.ROOT);
    int at = email.lastIndexOf('@');
    if (at <= 0 || at == email.length() - 1) {
      return email;
    }
    String local = email.substring(0, at);
    String domain = email.substring(at + 1);
    if (domain.endsWith(".")) {
      domain = domain.substring(0, domain.length() - 1);
    }
    String canonical = ALIASES.getOrDefault(domain, domain);
    if (PLUS_TAGGED.contains(domain) || PLUS_TAGGED.contains(canonical)) {
      int plus = local.indexOf('+');
      if (plus > 0) {
        local = local.substring(0, plus);
      }
    }
    if (DOTS_IGNORED.contains(canonical)) {
      local = local.replace(".", "");
    }
    return local + "@" + canonical;
  }

  /** A digest of the mailbox, for keys that must not hold the address itself. */
  public static String digest(String address) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(of(address).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** True when both addresses reach the same mailbox. */
  public static boolean same(String a, String b) {
    return of(a).equals(of(b));
  }
}
