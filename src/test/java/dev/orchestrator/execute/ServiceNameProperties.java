package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The unit's name of {@code systemd} and {@code service} reaches the host's shell as data: the
 * script {@link ServiceModule#script} builds, run with {@code /bin/sh} (dash) and the stand-in
 * {@code systemctl}, never creates the {@code PWNED} file a name tries to create, and the name
 * reaches {@code systemctl} as the one argument it is.
 */
class ServiceNameProperties {
  @Provide
  Arbitrary<String> names() {
    return HostileNames.names()
        .filter(n -> !n.contains("/") && !n.startsWith("-") && !n.startsWith("."))
        .filter(n -> !n.contains("\n") || n.contains("PWNED"));
  }

  @Property(tries = 40)
  void aUnitOfAnyNameIsStartedByThatNameAndNothingElseRuns(@ForAll("names") String name)
      throws Exception {
    boolean plain = !name.contains("\n");
    String unit =
        name.matches(".*\\.(service|socket|timer|target|mount|path)") ? name : name + ".service";
    try (StandInHost host = StandInHost.with("systemctl")) {
      // given a unit of that name (a name with a line break cannot be a file here: none)
      if (plain) {
        host.unit(unit);
      }
      // when systemd starts it
      ServiceModule m =
          new ServiceModule(
              "systemd",
              name,
              "started",
              Optional.empty(),
              Optional.empty(),
              false,
              false,
              List.of(),
              0);
      ModuleOutcome o = m.outcome(host.run(m.script()));
      // then nothing ran as code, and the unit of exactly that name is running
      assertFalse(host.contains("PWNED"), "a name ran as code: " + name);
      if (plain) {
        assertTrue(o.result().succeeded(), o.result().stderr());
        assertTrue(host.has("active", unit), name);
        assertEquals("start " + unit + "\n", host.log());
      }
    }
  }
}
