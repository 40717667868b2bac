package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The values of {@code haproxy}, {@code nagios}, {@code npm} and {@code seboolean} reach the host's
 * shell as data: hostile socket paths, command files, project folders and names, run with {@code
 * /bin/sh} (dash), never create the {@code PWNED} file they try to create, and each module names
 * exactly the path it was given; names that would add commands to HAProxy's or Nagios' command
 * lines are refused before anything runs.
 */
class LampModulesProperties {
  @Provide
  Arbitrary<String> names() {
    return HostileNames.names().map(n -> "p" + n.replace('/', '_'));
  }

  @Property(tries = 25)
  void aHaproxySocketPathIsTheOnePathItIs(@ForAll("names") String name) throws Exception {
    try (StandInHost host = StandInHost.with()) {
      // given a socket path where nothing listens
      String socket = host.home().resolve(name).toString();
      HaproxyModule m =
          new HaproxyModule(
              "disabled",
              "web1",
              Optional.of("app"),
              Optional.empty(),
              socket,
              new HaproxyModule.Flags(false, false, false, false, false, false),
              25,
              5);
      // when it runs
      ModuleOutcome o = m.outcome(host.run(m.script()));
      // then it failed to reach exactly that path, and nothing ran as code
      assertFalse(host.contains("PWNED"), "a path ran as code: " + name);
      assertFalse(o.result().succeeded());
      assertTrue(
          String.valueOf(o.fields().get("msg"))
              .startsWith("cannot reach the haproxy socket " + socket),
          String.valueOf(o.fields().get("msg")));
    }
  }

  @Property(tries = 25)
  void aNagiosCommandFileIsTheOnePathItIs(@ForAll("names") String name) throws Exception {
    try (StandInHost host = StandInHost.with()) {
      // given a command file that does not exist
      String file = host.home().resolve(name).toString();
      NagiosModule m =
          new NagiosModule(
              "enable_alerts",
              List.of("NENABLE_HOST_NOTIFICATIONS;web1"),
              Optional.of(file),
              OptionalLong.empty(),
              30,
              "Ansible",
              "Scheduling downtime");
      // when it runs
      ModuleOutcome o = m.outcome(host.run(m.script()));
      // then it reports exactly that file missing, and nothing ran as code
      assertFalse(host.contains("PWNED"), "a path ran as code: " + name);
      assertEquals("nagios command file does not exist", o.fields().get("msg"));
      assertEquals(file, o.fields().get("cmdfile"));
    }
  }

  @net.jqwik.api.Example
  void aNagiosCommandFileWithALineBreakIsReportedWhole() throws Exception {
    // a fresh-clone CI run drew this name: the host's line-based report cut it at the break
    aNagiosCommandFileIsTheOnePathItIs("px\ntouch PWNED");
  }

  @Property(tries = 20)
  void anNpmProjectFolderIsMadeWithExactlyItsName(@ForAll("names") String name) throws Exception {
    try (StandInHost host = StandInHost.with("npm")) {
      // given a project folder that does not exist yet
      Path app = host.home().resolve(name);
      NpmModule m =
          new NpmModule(
              Optional.of(app.toString()),
              Optional.of("forever"),
              Optional.empty(),
              "present",
              Optional.empty(),
              Optional.empty(),
              List.of());
      // when the package is made present there
      ModuleOutcome o = m.outcome(host.run(m.script()));
      // then the folder of exactly that name holds it, and nothing ran as code
      assertFalse(host.contains("PWNED"), "a path ran as code: " + name);
      assertTrue(o.result().succeeded(), o.result().stderr());
      assertTrue(Files.isDirectory(app.resolve("node_modules/forever")), name);
    }
  }

  @Property(tries = 40)
  void namesThatAreNotHaproxyOrSelinuxNamesAreRefused(@ForAll("names") String name) {
    // given a hostile or arbitrary name, when it is not made of the names' characters
    boolean haproxyName = HaproxyModule.NAME.matcher(name).matches();
    boolean seName = name.matches("[A-Za-z0-9_][A-Za-z0-9_.]*");
    // then the modules refuse it before anything runs
    if (!haproxyName) {
      assertThrows(
          IllegalArgumentException.class,
          () ->
              new HaproxyModule(
                  "enabled",
                  name,
                  Optional.empty(),
                  Optional.empty(),
                  "/s",
                  new HaproxyModule.Flags(false, false, false, false, false, false),
                  1,
                  1));
    }
    if (!seName) {
      assertThrows(
          IllegalArgumentException.class, () -> new SebooleanModule(name, true, false, false));
    }
  }
}
