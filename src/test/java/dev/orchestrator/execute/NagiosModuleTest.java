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
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nagios} ({@link NagiosModule}) writing to the stand-in command pipe ({@code
 * src/test/resources/standins/nagios-cmd}): the external command lines of community.general's
 * {@code nagios.py}, {@code changed} always true, its failures for a missing or plain file.
 */
class NagiosModuleTest {
  @TempDir Path dir;

  private static NagiosModule alerts(String action, String services, String cmdfile) {
    List<String> lines =
        switch (services) {
          case "host" -> List.of("N" + verb(action) + "_HOST_NOTIFICATIONS;web1");
          case "all" -> List.of("N" + verb(action) + "_HOST_SVC_NOTIFICATIONS;web1");
          default -> List.of("N" + verb(action) + "_SVC_NOTIFICATIONS;web1;" + services);
        };
    return new NagiosModule(
        action,
        lines,
        Optional.of(cmdfile),
        OptionalLong.empty(),
        30,
        "Ansible",
        "Scheduling downtime");
  }

  private static String verb(String action) {
    return action.startsWith("disable") ? "DISABLE" : "ENABLE";
  }

  private ModuleOutcome run(NagiosModule m) throws Exception {
    try (StandInHost host = StandInHost.with()) {
      return m.outcome(host.run(m.script()));
    }
  }

  @Test
  void disableAlertsWritesOneTimedLinePerServiceAndIsAlwaysChanged() throws Exception {
    // given Nagios' command pipe with a reader
    Path fifo = dir.resolve("nagios.cmd");
    Path log = dir.resolve("log");
    try (StandInDaemon reader =
        StandInDaemon.start(dir, "nagios-cmd", fifo.toString(), log.toString())) {
      // when alerts of two services are disabled (services as the module splits them)
      NagiosModule m =
          new NagiosModule(
              "disable_alerts",
              List.of(
                  "NDISABLE_SVC_NOTIFICATIONS;web1;webserver",
                  "NDISABLE_SVC_NOTIFICATIONS;web1;ssh"),
              Optional.of(fifo.toString()),
              OptionalLong.empty(),
              30,
              "Ansible",
              "Scheduling downtime");
      ModuleOutcome o = run(m);
      // then each line is "[TIME] COMMAND;host;service", reported in nagios_commands, changed
      assertTrue(o.result().succeeded(), o.result().stderr());
      assertEquals(true, o.fields().get("changed"));
      List<?> written = (List<?>) o.fields().get("nagios_commands");
      assertEquals(2, written.size());
      assertTrue(
          String.valueOf(written.get(0))
              .matches("\\[\\d+] DISABLE_SVC_NOTIFICATIONS;web1;webserver"),
          String.valueOf(written.get(0)));
      Awaitility.await().until(() -> Files.exists(log) && Files.readAllLines(log).size() == 2);
      assertEquals(written, Files.readAllLines(log));
    }
  }

  @Test
  void aDowntimeLineCarriesStartEndDurationAuthorAndComment() throws Exception {
    // given the pipe, when a downtime of 10 minutes from a given start is scheduled for the host
    Path fifo = dir.resolve("nagios.cmd");
    Path log = dir.resolve("log");
    try (StandInDaemon reader =
        StandInDaemon.start(dir, "nagios-cmd", fifo.toString(), log.toString())) {
      NagiosModule m =
          new NagiosModule(
              "downtime",
              List.of("DSCHEDULE_HOST_DOWNTIME;web1;"),
              Optional.of(fifo.toString()),
              OptionalLong.of(1000),
              10,
              "ops",
              "kernel update");
      ModuleOutcome o = run(m);
      // then the line is _fmt_dt_str's: start;end;fixed 1;trigger 0;seconds;author;comment
      assertTrue(o.result().succeeded(), o.result().stderr());
      assertTrue(
          String.valueOf(((List<?>) o.fields().get("nagios_commands")).get(0))
              .matches("\\[\\d+] SCHEDULE_HOST_DOWNTIME;web1;1000;1600;1;0;600;ops;kernel update"),
          String.valueOf(o.fields().get("nagios_commands")));
    }
  }

  @Test
  void aMissingOrPlainCommandFileFailsWithTheModulesMessages() throws Exception {
    // given no file, then a plain file where the pipe should be
    ModuleOutcome missing = run(alerts("enable_alerts", "host", dir.resolve("none").toString()));
    Files.writeString(dir.resolve("plain"), "");
    ModuleOutcome plain = run(alerts("enable_alerts", "all", dir.resolve("plain").toString()));
    // then the module's messages, with the command file
    assertFalse(missing.result().succeeded());
    assertEquals("nagios command file does not exist", missing.fields().get("msg"));
    assertEquals(dir.resolve("none").toString(), missing.fields().get("cmdfile"));
    assertEquals("nagios command file is not a fifo file", plain.fields().get("msg"));
    assertEquals(false, plain.fields().get("changed"));
  }

  @Test
  void valuesThatWouldAddCommandsAreRefused() {
    // given a line break in a host or ';' in a comment, then they are refused
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new NagiosModule(
                "silence",
                List.of("NDISABLE_HOST_NOTIFICATIONS;web1\nSHUTDOWN_PROGRAM"),
                Optional.empty(),
                OptionalLong.empty(),
                30,
                "Ansible",
                "x"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new NagiosModule(
                "downtime", List.of(), Optional.empty(), OptionalLong.empty(), 30, "a", "b;c"));
  }
}
