package dev.orchestrator.app;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.SourceLocation;
import dev.orchestrator.plan.PlannedGate;
import dev.orchestrator.playbook.Gate;
import dev.orchestrator.playbook.Role;
import dev.orchestrator.state.GateState;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Four eyes by letter case (issue 22): names that people read as the same (other letter case, full
 * width letters and digits) are the same person for {@code distinct_from_starter}; different names
 * stay different.
 */
class UserNamesProperties {
  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings()
        .withChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@-")
        .ofMinLength(1)
        .ofMaxLength(32);
  }

  /** {@code name} with each character's case flipped or turned full width at random. */
  static String variant(String name, long seed) {
    Random r = new Random(seed);
    StringBuilder b = new StringBuilder();
    for (char c : name.toCharArray()) {
      char x = r.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c);
      // U+FF01..U+FF5E are the full-width forms of U+0021..U+007E
      b.append(r.nextBoolean() && x > 0x20 && x < 0x7f ? (char) (x - 0x21 + 0xFF01) : x);
    }
    return b.toString();
  }

  @Property
  void caseAndWidthVariantsOfANameAreNeverDistinct(
      @ForAll("names") String name, @ForAll long seed) {
    String other = variant(name, seed);
    assertTrue(UserNames.same(name, other), name + " vs " + other);
    assertTrue(UserNames.same(other, name), "symmetric");
  }

  @Property
  void aVariantOfTheStarterCannotApproveAFourEyesGate(
      @ForAll("names") String starter, @ForAll long seed) {
    String approver = variant(starter, seed);
    assertThrows(
        NotAllowed.class,
        () ->
            Approvals.allow(
                fourEyesGate(),
                starter,
                Actor.web(approver, "127.0.0.1"),
                Optional.of(Role.APPROVER),
                false));
  }

  @Property
  void namesThatDifferInMoreThanCaseAndWidthStayDistinct(
      @ForAll("names") String name, @ForAll("names") String other) {
    boolean differ =
        !name.toLowerCase(java.util.Locale.ROOT).equals(other.toLowerCase(java.util.Locale.ROOT));
    if (differ) {
      assertFalse(UserNames.same(name, other), name + " vs " + other);
    }
  }

  @Example
  void theIssuesNamesAreOnePerson() {
    assertTrue(UserNames.same("Root", "root"));
    assertTrue(UserNames.same("ROOT", "root"));
    assertTrue(UserNames.same("ｒｏｏｔ", "root"));
    assertTrue(UserNames.same("STRASSE", "straße"));
    assertTrue(UserNames.same("\u212Aelvin", "kelvin"), "the Kelvin sign is a K");
    assertFalse(UserNames.same("root", "r00t"));
    assertDoesNotThrow(
        () ->
            Approvals.allow(
                fourEyesGate(),
                "root",
                Actor.web("alice", "127.0.0.1"),
                Optional.of(Role.APPROVER),
                false));
  }

  private static PlannedGate fourEyesGate() {
    return new PlannedGate(
        new Gate.Approval(
            "promote?", Role.APPROVER, true, new SourceLocation(Path.of("p.yml"), 1, 1)),
        "production/approval",
        GateState.WAITING,
        "promote?",
        Optional.empty());
  }
}
