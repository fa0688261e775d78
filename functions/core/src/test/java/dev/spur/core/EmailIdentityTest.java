package dev.spur.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spur.core.fraud.EmailIdentity;
import org.junit.jupiter.api.Test;

class EmailIdentityTest {

  @Test
  void caseAndSurroundingSpaceNeverMatter() {
    assertEquals("ada@example.com", EmailIdentity.of("  Ada@Example.COM "));
  }

  @Test
  void gmailIgnoresDotsAndTagsAndGooglemailIsGmail() {
    assertEquals("adalovelace@gmail.com", EmailIdentity.of("Ada.Lovelace+promo@googlemail.com"));
    assertTrue(EmailIdentity.same("a.d.a@gmail.com", "ada+1@gmail.com"));
  }

  @Test
  void tagsAreDroppedOnlyWhereTheProviderDeliversThemToTheSameMailbox() {
    assertEquals("ada@outlook.com", EmailIdentity.of("ada+shop@outlook.com"));
    assertEquals("a.da@outlook.com", EmailIdentity.of("a.da@outlook.com"));
    assertEquals("ada+shop@example.com", EmailIdentity.of("ada+shop@example.com"));
    assertFalse(EmailIdentity.same("ada+shop@example.com", "ada@example.com"));
    assertFalse(EmailIdentity.same("a.da@example.com", "ada@example.com"));
  }

  @Test
  void protonAliasesFoldToOneDomain() {
    assertEquals("ada@proton.me", EmailIdentity.of("Ada+x@protonmail.com"));
    assertTrue(EmailIdentity.same("ada@pm.me", "ada@protonmail.ch"));
  }
}
