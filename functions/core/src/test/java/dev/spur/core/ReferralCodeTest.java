package dev.spur.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spur.core.links.ReferralCode;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReferralCodeTest {

  @Test
  void generatedCodesAreThirteenLowerCaseBase32Characters() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String code = ReferralCode.generate().value();
      assertEquals(13, code.length());
      assertTrue(code.matches("[0-9a-hjkmnp-tv-z]{13}"), code);
      seen.add(code);
    }
    assertEquals(10_000, seen.size());
  }

  @Test
  void codesResolveWhateverTheirCaseAndLookAlikeLetters() {
    assertEquals(
        Optional.of(new ReferralCode("k7m2q9xw4hp30")), ReferralCode.parse("K7M2Q9XW4HP3O"));
    assertEquals(
        Optional.of(new ReferralCode("k7m2q9xw4hp31")), ReferralCode.parse("k7m2q9xw4hp3l"));
    assertEquals(
        Optional.of(new ReferralCode("k7m2q9xw4hp31")), ReferralCode.parse("k7m2q9xw4hp3I"));
  }

  @Test
  void textThatCannotBeACodeIsRefused() {
    assertEquals(Optional.empty(), ReferralCode.parse("k7m2q9xw4hp3"));
    assertEquals(Optional.empty(), ReferralCode.parse("k7m2q9xw4hp3tt"));
    assertEquals(Optional.empty(), ReferralCode.parse("k7m2q9xw4hp3u"));
    assertEquals(Optional.empty(), ReferralCode.parse("k7m2q9xw4hp3\u0000"));
    assertEquals(Optional.empty(), ReferralCode.parse("k7m2q9xw4hp3\u00e9"));
    assertEquals(Optional.empty(), ReferralCode.parse(null));
    assertNotEquals(Optional.empty(), ReferralCode.parse("0123456789abc"));
  }
}
