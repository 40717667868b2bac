package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code npm} ({@link NpmModule}) and {@code seboolean} ({@link SebooleanModule}) with the stand-in
 * {@code npm}, {@code getsebool}, {@code setsebool} and {@code selinuxenabled} of {@code
 * src/test/resources/standins}: the commands and {@code changed} rules of community.general's
 * {@code npm.py} and ansible.posix's {@code seboolean.py}.
 */
class LampModulesTest {
  private static NpmModule npm(
      Optional<String> path, Optional<String> name, String state, List<String> flags) {
    return new NpmModule(
        path, name, Optional.empty(), state, Optional.empty(), Optional.empty(), flags);
  }

  @Test
  void npmInstallsAProjectsMissingDependenciesOnceThenChangesNothing() throws Exception {
    try (StandInHost host = StandInHost.with("npm")) {
      // given a project wanting two packages, none installed
      Path app = host.home().resolve("app");
      Files.createDirectories(app);
      Files.writeString(
          app.resolve("package.json"),
          "{\"name\": \"app\", \"dependencies\": {\"express\": \"^4.18.2\", \"forever\": \"4.0.3\"}}");
      NpmModule m = npm(Optional.of(app.toString()), Optional.empty(), "present", List.of());
      // when npm: path=app runs twice
      ModuleOutcome first = m.outcome(host.run(m.script()));
      ModuleOutcome again = m.outcome(host.run(m.script()));
      // then the first installed (npm install in the folder), the second found nothing missing
      assertTrue(first.result().succeeded(), first.result().stderr());
      assertEquals(true, first.fields().get("changed"));
      assertEquals(false, again.fields().get("changed"));
      assertTrue(Files.exists(app.resolve("node_modules/express/package.json")));
      assertEquals(
          List.of("install  " + app), Files.readAllLines(host.home().resolve(".standin-npm/log")));
    }
  }

  @Test
  void npmGlobalNamedPresentLatestAndAbsent() throws Exception {
    try (StandInHost host = StandInHost.with("npm")) {
      // given nothing installed globally
      NpmModule present =
          npm(Optional.empty(), Optional.of("forever"), "present", List.of("global"));
      NpmModule latest = npm(Optional.empty(), Optional.of("forever"), "latest", List.of("global"));
      NpmModule absent = npm(Optional.empty(), Optional.of("forever"), "absent", List.of("global"));
      // when it is made present twice, then a newer version appears and latest runs twice,
      // then absent twice
      ModuleOutcome p1 = present.outcome(host.run(present.script()));
      ModuleOutcome p2 = present.outcome(host.run(present.script()));
      Files.writeString(
          host.home().resolve(".standin-npm/latest.json"), "{\"forever\": \"4.1.0\"}");
      ModuleOutcome l1 = latest.outcome(host.run(latest.script()));
      ModuleOutcome l2 = latest.outcome(host.run(latest.script()));
      ModuleOutcome a1 = absent.outcome(host.run(absent.script()));
      ModuleOutcome a2 = absent.outcome(host.run(absent.script()));
      // then each changed only when npm.py would have run a command
      assertEquals(
          List.of(true, false, true, false, true, false),
          List.of(p1, p2, l1, l2, a1, a2).stream().map(o -> o.fields().get("changed")).toList(),
          a2.result().stderr());
      assertEquals(
          List.of("install forever", "update", "uninstall forever"),
          Files.readAllLines(host.home().resolve(".standin-npm/log")).stream()
              .map(l -> l.substring(0, l.lastIndexOf(' ')))
              .toList());
    }
  }

  @Test
  void npmArgumentsTheModuleRefusesAreRefused() {
    // given no path and no global, or absent without a name, then the module's messages
    IllegalArgumentException noPath =
        assertThrows(
            IllegalArgumentException.class,
            () -> npm(Optional.empty(), Optional.of("x"), "present", List.of()));
    assertEquals("path must be specified when not using global", noPath.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> npm(Optional.of("/srv"), Optional.empty(), "absent", List.of()));
  }

  @Test
  void sebooleanSetsOnlyWhatDiffersAndFailsWhereSelinuxIsOffOrTheBooleanUnknown() throws Exception {
    try (StandInHost host = StandInHost.with("getsebool", "setsebool", "selinuxenabled")) {
      // given SELinux on and httpd_can_network_connect_db off
      Path d = Files.createDirectories(host.home().resolve(".standin-selinux/booleans"));
      Files.writeString(host.home().resolve(".standin-selinux/enabled"), "");
      Files.writeString(d.resolve("httpd_can_network_connect_db"), "off\n");
      SebooleanModule on = new SebooleanModule("httpd_can_network_connect_db", true, true, false);
      // when it is set on (persistent) twice, and an unknown boolean once
      ModuleOutcome first = on.outcome(host.run(on.script()));
      ModuleOutcome again = on.outcome(host.run(on.script()));
      SebooleanModule unknown = new SebooleanModule("no_such_bool", true, false, false);
      ModuleOutcome missing = unknown.outcome(host.run(unknown.script()));
      // then setsebool -P ran once; the keys are the module's
      assertEquals(true, first.fields().get("changed"), first.result().stderr());
      assertEquals(false, again.fields().get("changed"));
      assertEquals(true, first.fields().get("persistent"));
      assertEquals(true, first.fields().get("state"));
      assertEquals(
          List.of("setsebool -P httpd_can_network_connect_db on"),
          Files.readAllLines(host.home().resolve(".standin-selinux/log")));
      assertEquals("SELinux boolean no_such_bool does not exist.", missing.fields().get("msg"));
      // and with SELinux off, the module's message unless ignore_selinux_state
      Files.delete(host.home().resolve(".standin-selinux/enabled"));
      ModuleOutcome off = on.outcome(host.run(on.script()));
      assertFalse(off.result().succeeded());
      assertEquals("SELinux is disabled on this host.", off.fields().get("msg"));
    }
  }

  @Test
  void sebooleanNamesThatAreNotSelinuxNamesAreRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> new SebooleanModule("-P", true, false, false));
    assertThrows(
        IllegalArgumentException.class, () -> new SebooleanModule("a b", true, false, false));
  }
}
