package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.transport.TerminalDialog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuCommandTest {
  @TempDir Path dir;

  @Test
  void aBannerWithoutANewlineDoesNotHideTheMarker() throws Exception {
    // given: an su stand-in whose login shell prints a banner without a newline, then runs -c
    Path su = dir.resolve("su");
    Files.writeString(
        su, "#!/bin/sh\nprintf 'Welcome to db1'\neval \"cmd=\\${$#}\"\nexec /bin/sh -c \"$cmd\"\n");
    su.toFile().setExecutable(true);
    Path folder = Files.createDirectory(dir.resolve("orch-su.x"));
    Files.writeString(folder.resolve("s"), "echo ran\n");
    Become become =
        new Become(
            "su",
            "www-data",
            List.of("-"),
            Optional.of("pw"),
            su.toString(),
            List.of(),
            false,
            Become.PROMPT_TIMEOUT);
    String marker = "__ORCH_SU_f7";

    // when: the terminal's program runs and the dialog reads what it printed
    Process p =
        new ProcessBuilder(
                "/bin/sh",
                "-c",
                SuCommand.terminalCommand(become, folder.toString(), marker, Optional.empty()))
            .redirectErrorStream(true)
            .start();
    String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    SuDialog dialog = new SuDialog("pw", marker, List.of());
    TerminalDialog.Reply reply = dialog.next(printed);

    // then: the command counts as started and its output is only its own
    assertTrue(dialog.started(), printed);
    assertEquals("ran\n", printed.substring(((TerminalDialog.Started) reply).outputFrom()));
  }

  @Test
  void thePasswordIsNeverTypedWhenTheConnectingUserIsRootWhomSuAsksNone() throws Exception {
    // given: a host reached as root, where the target user's .profile prints "Password: "
    List<String> typed = new java.util.ArrayList<>();
    dev.orchestrator.transport.Connection root =
        host(
            "0",
            (command, dialog) -> {
              java.util.regex.Matcher m =
                  java.util.regex.Pattern.compile("__ORCH_SU_[0-9a-f]+").matcher(command);
              m.find();
              String profile = "Password: ";
              if (dialog.next(profile) instanceof TerminalDialog.Answer a) {
                typed.add(a.text());
              }
              dialog.next(profile + "\n" + m.group() + "\nran\n");
              return new dev.orchestrator.transport.ExecResult(
                  0, "ran\n", "", Duration.ZERO, false);
            });
    Become become =
        new Become(
            "su",
            "www-data",
            List.of("-"),
            Optional.of("s3cret"),
            "su",
            List.of(),
            false,
            Become.PROMPT_TIMEOUT);

    // when
    dev.orchestrator.transport.ExecResult r =
        SuCommand.run(root, become, List.of(), "echo ran\n", "db1", Optional.empty(), (s, l) -> {});

    // then: nothing was typed, and the step ran
    assertEquals(List.of(), typed);
    assertEquals(0, r.exitCode(), r.stderr());
  }

  @Test
  void thePrepareStepLeavesNoFolderWhenItFailsAndSweepsOldOnes() throws Exception {
    // given: a day-old leftover folder, a fresh one (a running step's), and a cat that fails
    Path tmp = Files.createDirectory(dir.resolve("tmp"));
    Path old = Files.createDirectory(tmp.resolve("orch-su.old"));
    Files.setLastModifiedTime(
        old, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(200_000)));
    Path fresh = Files.createDirectory(tmp.resolve("orch-su.fresh"));
    Path bin = Files.createDirectory(dir.resolve("bin"));
    Path cat = bin.resolve("cat");
    Files.writeString(cat, "#!/bin/sh\nexit 1\n");
    cat.toFile().setExecutable(true);

    // when
    ProcessBuilder pb =
        new ProcessBuilder("/bin/sh", "-c", SuCommand.prepareCommand("echo x\n"))
            .redirectErrorStream(true);
    pb.environment().put("TMPDIR", tmp.toString());
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Process p = pb.start();
    p.getInputStream().readAllBytes();
    int rc = p.waitFor();

    // then: the step failed, the old folder is gone, the fresh one stays, no new one is left
    assertEquals(1, rc);
    try (var left = Files.list(tmp)) {
      assertEquals(List.of(fresh), left.toList());
    }
  }

  @Test
  void theTerminalsProgramCarriesNoSecretAndHandsTheScriptOverAsADescriptor() {
    // given
    Become su =
        new Become(
            "su",
            "www-data",
            List.of("-l"),
            Optional.of("s3cret"),
            "su",
            List.of(),
            false,
            Become.PROMPT_TIMEOUT);

    // when
    String command =
        SuCommand.terminalCommand(su, "/tmp/orch-su.AbC123", "__ORCH_SU_1", Optional.empty());
    String limited =
        SuCommand.terminalCommand(
            su, "/tmp/orch-su.AbC123", "__ORCH_SU_1", Optional.of(Duration.ofMillis(2500)));

    // then
    assertFalse(command.contains("s3cret"), command);
    assertEquals(
        "exec 3</tmp/orch-su.AbC123/s 5>/tmp/orch-su.AbC123/e && rm -f"
            + " /tmp/orch-su.AbC123/s && exec su -l www-data -c 'printf '\\''\\n%s\\n'\\''"
            + " __ORCH_SU_1; exec /bin/sh -s <&3 2>&5 3<&- 5>&-'",
        command);
    assertTrue(limited.contains("exec timeout -k 5 3 /bin/sh -s <&3"), limited);
  }

  @Test
  void aPromptNobodyAnswersEndsAtTheDeadlineNamingWhatSuPrintedAndWhatToDo() throws Exception {
    // given: su asks with a word the dialog does not know, and the terminal's deadline passes
    List<Duration> deadlines = new java.util.ArrayList<>();
    dev.orchestrator.transport.Connection host =
        host(
            "1000",
            (command, dialog) -> {
              deadlines.add(dialog.startWithin());
              dialog.next("Kennwort\u001b[2J: ");
              return new dev.orchestrator.transport.ExecResult(
                  -1, "", "", Duration.ofSeconds(4), true);
            });
    Become become =
        new Become(
            "su",
            "www-data",
            List.of(),
            Optional.of("s3cret"),
            "su",
            List.of(),
            false,
            Duration.ofSeconds(4));

    // when: the step itself has no timeout
    dev.orchestrator.transport.ExecResult r =
        SuCommand.run(host, become, List.of(), "echo ran\n", "db1", Optional.empty(), (s, l) -> {});

    // then: the step failed (not "timed out"), saying what su printed, escaped, and what to do
    assertEquals(List.of(Duration.ofSeconds(4)), deadlines);
    assertEquals(1, r.exitCode());
    assertFalse(r.timedOut());
    assertTrue(
        r.stderr()
            .contains(
                "su did not start the step's command as 'www-data' on db1"
                    + " within 4s (ansible_timeout)"),
        r.stderr());
    assertTrue(r.stderr().contains("su's last line was 'Kennwort\\u001b[2J:'"), r.stderr());
    assertTrue(r.stderr().contains("set ansible_su_prompt_l10n"), r.stderr());
    assertFalse(r.stderr().contains("\u001b"), "a control character reached the message");
  }

  @Test
  void ansibleTimeoutSetsTheDeadlineAndABadOneIsRefused() {
    assertEquals(Become.PROMPT_TIMEOUT, Become.promptTimeout(java.util.Map.of()));
    assertEquals(
        Duration.ofSeconds(3), Become.promptTimeout(java.util.Map.of("ansible_timeout", 3)));
    assertEquals(
        Duration.ofSeconds(30), Become.promptTimeout(java.util.Map.of("ansible_timeout", " 30")));
    for (Object bad : List.of("0", "-1", "1.5", "ten", "99999999999999999999")) {
      Become.Refused e =
          org.junit.jupiter.api.Assertions.assertThrows(
              Become.Refused.class,
              () -> Become.promptTimeout(java.util.Map.of("ansible_timeout", bad)));
      assertTrue(e.getMessage().contains("ansible_timeout is"), e.getMessage());
    }
  }

  /**
   * A host whose helper commands succeed (the prepare step printing a folder and {@code uid}) and
   * whose terminal does what {@code terminal} does with the command and the dialog.
   */
  private static dev.orchestrator.transport.Connection host(
      String uid,
      java.util.function.BiFunction<String, TerminalDialog, dev.orchestrator.transport.ExecResult>
          terminal) {
    return new dev.orchestrator.transport.Connection() {
      @Override
      public dev.orchestrator.transport.ExecResult exec(
          String command,
          Optional<Duration> timeout,
          dev.orchestrator.transport.OutputListener listener) {
        String out = command.contains("mktemp") ? "/tmp/orch-su.AbC123\n" + uid + "\n" : "";
        return new dev.orchestrator.transport.ExecResult(0, out, "", Duration.ZERO, false);
      }

      @Override
      public dev.orchestrator.transport.ExecResult execInTerminal(
          String command,
          TerminalDialog dialog,
          Optional<Duration> timeout,
          dev.orchestrator.transport.OutputListener listener) {
        return terminal.apply(command, dialog);
      }

      @Override
      public void put(Path local, String remote, java.util.function.LongConsumer progress) {}

      @Override
      public void close() {}
    };
  }
}
