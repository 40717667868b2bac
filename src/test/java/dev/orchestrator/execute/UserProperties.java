package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.orchestrator.sandbox.LocalUsers;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * What {@code user} ({@link UserModule}) sends to the host's shell is data: a hostile user name
 * (made absent: no user has it, nothing changes), or a hostile comment, home, group list or
 * password given to one user made for these properties and removed after, never runs as code (no
 * {@code PWNED} file appears); a comment that {@code usermod} takes is the one stored.
 */
class UserProperties {
  private static final String NAME = "orchup" + Long.toHexString(System.nanoTime()).substring(5);

  @BeforeContainer
  static void makeTheUser() throws Exception {
    if ("root".equals(System.getProperty("user.name"))) {
      new ProcessBuilder("useradd", "-M", NAME).start().waitFor();
    }
  }

  @AfterContainer
  static void removeTheUser() throws Exception {
    new ProcessBuilder("userdel", "-f", NAME).start().waitFor();
  }

  @Provide
  Arbitrary<String> names() {
    return HostileNames.names().map(n -> "orchprop" + n);
  }

  @Property(tries = 40)
  void aHostileNameIsLookedUpAsTheOneNameItIs(@ForAll("names") String name) throws Exception {
    try (StandInHost host = StandInHost.with()) {
      // given a name no user has
      UserModule m = UserModuleTest.absent(name, false);
      // when the user is made absent
      ModuleOutcome o = m.outcome(host.run(m.script()));
      // then nothing ran as code, and nothing changed
      assertFalse(host.contains("PWNED"), "a name ran as code: " + name);
      assertEquals(false, o.fields().get("changed"), o.result().stderr());
    }
  }

  @Property(tries = 30)
  void hostileValuesOfAnExistingUserAreData(
      @ForAll("names") String comment, @ForAll("names") String anyGroup) throws Exception {
    LocalUsers.requireRoot();
    String group = anyGroup.replace(",", ""); // one group (the list is split at commas)
    try (StandInHost host = StandInHost.with()) {
      // given an existing user, and a hostile comment, home, shell, groups and password
      UserModule m =
          new UserModule(
              NAME,
              true,
              OptionalInt.empty(),
              false,
              Optional.empty(),
              Optional.of(java.util.List.of(group)),
              false,
              Optional.of(comment),
              Optional.of("/nonexistent/" + comment),
              Optional.of(comment),
              false,
              false,
              false,
              Optional.of("$6$" + group.replaceAll("[:\\r\\n\\x00]", "")),
              true,
              false,
              false);
      // when the user is made present with them
      ModuleOutcome o = m.outcome(host.run(m.script()));
      // then nothing ran as code; a group that does not exist fails the step as user.py's does
      assertFalse(host.contains("PWNED"), "a value ran as code: " + comment + " / " + group);
      assertFalse(o.result().succeeded(), "no such group: " + group);
      assertEquals("Group " + group + " does not exist", o.fields().get("msg"));
      Process p = new ProcessBuilder("getent", "passwd", NAME).start();
      String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      assertFalse(line.contains("PWNED"), line);
    }
  }
}
