package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.OptionalInt;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The name of {@code group} reaches the host's shell as data: the script {@link GroupModule#script}
 * builds, run with {@code /bin/sh} (dash), never creates the {@code PWNED} file a name tries to
 * create. The names start with a prefix no group has, and the state is {@code absent}: nothing on
 * the machine is changed.
 */
class GroupNameProperties {
  @Provide
  Arbitrary<String> names() {
    return HostileNames.names().map(n -> "orchprop" + n);
  }

  @Property(tries = 40)
  void aNameIsLookedUpAsTheOneNameItIsAndNothingRuns(@ForAll("names") String name)
      throws Exception {
    try (StandInHost host = StandInHost.with()) {
      // given a name no group has
      GroupModule m = new GroupModule(name, "absent", OptionalInt.empty(), false, false);
      // when the group is made absent
      ModuleOutcome o = m.outcome(host.run(m.script()));
      // then nothing ran as code, and nothing changed
      assertFalse(host.contains("PWNED"), "a name ran as code: " + name);
      assertEquals(false, o.fields().get("changed"), o.result().stderr());
    }
  }
}
