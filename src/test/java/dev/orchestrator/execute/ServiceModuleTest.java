package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.transport.ExecResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code systemd} and {@code service} ({@link ServiceModule}) run against the stand-in {@code
 * systemctl} on a {@link StandInHost}: Ansible's {@code changed} rules ({@code systemd.py}), its
 * result keys and its messages.
 */
class ServiceModuleTest {
  private static ServiceModule systemd(String name, String state) {
    return new ServiceModule(
        "systemd", name, state, Optional.empty(), Optional.empty(), false, false, List.of(), 0);
  }

  private static ServiceModule enabled(String name, boolean enabled) {
    return new ServiceModule(
        "systemd", name, "", Optional.of(enabled), Optional.empty(), false, false, List.of(), 0);
  }

  private static ModuleOutcome run(StandInHost host, ServiceModule m) throws Exception {
    ExecResult r = host.run(m.script());
    return m.outcome(r);
  }

  @Test
  void startedStartsAStoppedUnitOnceAndThenChangesNothing() throws Exception {
    try (StandInHost host = StandInHost.with("systemctl").unit("app.service")) {
      // given a stopped unit
      // when it is started twice
      ModuleOutcome first = run(host, systemd("app", "started"));
      ModuleOutcome second = run(host, systemd("app", "started"));
      // then the first starts it (changed), the second finds it running (not changed)
      assertEquals(true, first.fields().get("changed"), first.fields().toString());
      assertEquals(false, second.fields().get("changed"), second.fields().toString());
      assertTrue(host.has("active", "app.service"));
      assertEquals("start app.service\n", host.log());
      // and the result has Ansible's keys: name, state, status (systemctl show, before the action)
      assertEquals("app", second.fields().get("name"));
      assertEquals("started", second.fields().get("state"));
      @SuppressWarnings("unchecked")
      Map<String, String> status = (Map<String, String>) second.fields().get("status");
      assertEquals("active", status.get("ActiveState"));
      assertEquals("loaded", status.get("LoadState"));
      assertEquals("", second.result().stdout(), "the protocol lines are not the step's output");
    }
  }

  @Test
  void restartedAlwaysChangesAndReloadedStartsAStoppedUnit() throws Exception {
    try (StandInHost host = StandInHost.with("systemctl").unit("app.service")) {
      // given a stopped unit
      // when it is reloaded (stopped: started), reloaded again (running: reloaded), restarted
      ModuleOutcome reloadStopped = run(host, systemd("app", "reloaded"));
      ModuleOutcome reloadRunning = run(host, systemd("app", "reloaded"));
      ModuleOutcome restart = run(host, systemd("app", "restarted"));
      // then each changed, as systemd.py decides, and the state reported is 'started'
      for (ModuleOutcome o : List.of(reloadStopped, reloadRunning, restart)) {
        assertEquals(true, o.fields().get("changed"), o.fields().toString());
        assertEquals("started", o.fields().get("state"));
      }
      assertEquals("start app.service\nreload app.service\nrestart app.service\n", host.log());
    }
  }

  @Test
  void stoppedOnAStoppedUnitChangesNothing() throws Exception {
    try (StandInHost host = StandInHost.with("systemctl").unit("app.service")) {
      // given a stopped unit
      // when it is stopped
      ModuleOutcome o = run(host, systemd("app", "stopped"));
      // then nothing ran and nothing changed
      assertEquals(false, o.fields().get("changed"));
      assertEquals("stopped", o.fields().get("state"));
      assertEquals("", host.log());
    }
  }

  @Test
  void enabledChangesOnlyWhenIsEnabledSaysOtherwise() throws Exception {
    try (StandInHost host = StandInHost.with("systemctl").unit("app.service")) {
      // given a disabled unit
      // when it is enabled twice, then disabled
      ModuleOutcome first = run(host, enabled("app", true));
      ModuleOutcome second = run(host, enabled("app", true));
      ModuleOutcome off = run(host, enabled("app", false));
      // then the first and the last changed; 'enabled' is the state after
      assertEquals(
          List.of(true, false, true),
          List.of(
              first.fields().get("changed"),
              second.fields().get("changed"),
              off.fields().get("changed")));
      assertEquals(true, second.fields().get("enabled"));
      assertEquals(false, off.fields().get("enabled"));
      assertFalse(first.fields().containsKey("state"), "no state asked, none reported");
      assertEquals("enable app.service\ndisable app.service\n", host.log());
    }
  }

  @Test
  void aMissingUnitFailsWithAnsiblesMessage() throws Exception {
    try (StandInHost host = StandInHost.with("systemctl")) {
      // given no unit 'nope'
      // when it is started
      ModuleOutcome o = run(host, systemd("nope", "started"));
      // then the step fails with systemd.py's message, nothing ran
      assertFalse(o.result().succeeded());
      assertEquals("Could not find the requested service nope: host", o.fields().get("msg"));
      assertEquals(false, o.fields().get("changed"));
      assertEquals("", host.log());
    }
  }

  @Test
  void aMaskedUnitCannotStartAndMaskingChangesOnce() throws Exception {
    try (StandInHost host = StandInHost.with("systemctl").unit("db.service")) {
      // given a unit
      ServiceModule mask =
          new ServiceModule(
              "systemd", "db", "", Optional.empty(), Optional.of(true), false, false, List.of(), 0);
      // when it is masked twice, then started
      ModuleOutcome first = run(host, mask);
      ModuleOutcome second = run(host, mask);
      ModuleOutcome start = run(host, systemd("db", "started"));
      // then masking changed once, and the start fails with systemctl's error in Ansible's message
      assertEquals(true, first.fields().get("changed"));
      assertEquals(false, second.fields().get("changed"));
      assertFalse(start.result().succeeded());
      assertEquals(
          "Unable to start service db: Failed to start db.service: Unit db.service is masked.\n",
          start.fields().get("msg"));
    }
  }

  @Test
  void daemonReloadAloneNeedsNoUnit() throws Exception {
    try (StandInHost host = StandInHost.with("systemctl")) {
      // given no unit
      ServiceModule reload =
          new ServiceModule(
              "systemd", "", "", Optional.empty(), Optional.empty(), true, false, List.of(), 0);
      // when only daemon_reload is asked
      ModuleOutcome o = run(host, reload);
      // then systemctl daemon-reload ran; not changed, as Ansible's; no name
      assertTrue(o.result().succeeded(), o.result().stderr());
      assertEquals(false, o.fields().get("changed"));
      assertEquals(null, o.fields().get("name"));
      assertEquals("daemon-reload\n", host.log());
    }
  }

  @Test
  void serviceWithoutSystemdNeedsAnInitScript() throws Exception {
    Assumptions.assumeFalse(Files.exists(Path.of("/run/systemd/system")), "this host runs systemd");
    Assumptions.assumeFalse(Files.exists(Path.of("/etc/init.d/orch-no-such-service")));
    try (StandInHost host = StandInHost.with("systemctl").unit("orch-no-such-service.service")) {
      // given a host that does not run systemd (a systemctl on PATH does not make it one)
      ServiceModule service =
          new ServiceModule(
              "service",
              "orch-no-such-service",
              "started",
              Optional.empty(),
              Optional.empty(),
              false,
              false,
              List.of(),
              0);
      // when service starts a name without an init script
      ModuleOutcome o = run(host, service);
      // then it fails as service.py does there, and systemctl was not used
      assertEquals(
          "Could not find the requested service orch-no-such-service: host", o.fields().get("msg"));
      assertEquals("", host.log());
      assertFalse(o.fields().containsKey("status"));
    }
  }

  @Test
  void showIsParsedAsAnsiblesParseSystemctlShow() {
    // given systemctl show output with a multi-line Exec value and a Description opening a brace
    List<String> lines =
        List.of(
            "Id=app.service",
            "Description={ not multi-line",
            "ExecStart={ path=/bin/app ;",
            "  argv[]=/bin/app }",
            "ActiveState= active ",
            "junk");
    // when parsed
    Map<String, String> parsed = ServiceModule.parseShow(lines);
    // then only Exec values span lines; values are stripped; lines without '=' are skipped
    assertEquals("{ not multi-line", parsed.get("Description"));
    assertEquals("{ path=/bin/app ;\n  argv[]=/bin/app }", parsed.get("ExecStart"));
    assertEquals("active", parsed.get("ActiveState"));
    assertEquals(3 + 1, parsed.size());
  }
}
