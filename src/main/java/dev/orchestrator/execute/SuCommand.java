package dev.orchestrator.execute;

import dev.orchestrator.common.Echo;
import dev.orchestrator.template.ShellQuote;
import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.ExecResult;
import dev.orchestrator.transport.OutputListener;
import dev.orchestrator.transport.TransportException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Runs a step's script as another user through {@code su} with a password, which {@code su} reads
 * from a terminal only (Ansible's {@code su} become plugin,
 * https://docs.ansible.com/ansible/latest/collections/ansible/builtin/su_become.html, builds {@code
 * su FLAGS USER -c CMD} the same way and answers the prompt on a pseudo-terminal). Three round
 * trips:
 *
 * <ol>
 *   <li>over the ordinary connection (the script travels on the shell's stdin, as every command
 *       does), the script is written to {@code s} in a new folder only the connecting user may
 *       enter ({@code umask 077; mktemp -d}), and the folder's path comes back, with the connecting
 *       user's {@code id -u}: when it is 0, su asks no password, and none is typed (a prompt then
 *       comes from the target user's startup scripts);
 *   <li>on a terminal ({@link Connection#execInTerminal}), the connecting user's shell opens that
 *       file as descriptor 3 and a file {@code e} as descriptor 5, deletes the script, and becomes
 *       {@code su FLAGS USER -c 'printf "\nMARKER\n"; exec /bin/sh -s <&3 2>&5'} (the newline in
 *       front: a login shell's banner without one must not hide the marker): the password is typed
 *       at su's prompt ({@link SuDialog}); the shell su starts reads the script from the open
 *       descriptor (the target user need not be able to read the folder), so the script is data and
 *       never typed into a terminal, where its control characters would be interpreted; its stdout
 *       is the terminal (the step's output, live, byte for byte), its stderr the file;
 *   <li>over the ordinary connection, the stderr file is read and the folder removed.
 * </ol>
 *
 * <p>A command that a terminal would mix: su's own lines (the prompt, its newline, an
 * "Authentication failure") come before the random marker and are dropped; a wrong password is seen
 * when su ends without printing it, or asks again, and the step fails saying so.
 */
final class SuCommand {
  private SuCommand() {}

  /** How long each of the two helper commands may take: 60 s. */
  static final Duration HELPER_TIMEOUT = Duration.ofSeconds(60);

  private static final Pattern FOLDER = Pattern.compile("/[A-Za-z0-9._/-]+");

  /**
   * Runs {@code script} as {@code become}'s user.
   *
   * @param connection the host's connection
   * @param become su, with its password
   * @param prompts su's prompt words ({@code ansible_su_prompt_l10n}); empty for Ansible's list
   * @param script what the target user's {@code /bin/sh -s} reads ({@link
   *     dev.orchestrator.transport.StdinScript#line})
   * @param host the inventory host, for messages
   * @param timeout the step's limit
   * @param listener receives the output
   * @throws TransportException if the connection fails
   */
  static ExecResult run(
      Connection connection,
      Become become,
      List<String> prompts,
      String script,
      String host,
      Optional<Duration> timeout,
      OutputListener listener)
      throws TransportException {
    Objects.requireNonNull(script, "script");
    String password = become.password().orElseThrow();
    ExecResult prepared = connection.exec(prepareCommand(script), Optional.of(HELPER_TIMEOUT));
    String[] lines = prepared.stdout().strip().split("\n", -1);
    String folder = lines[0].strip();
    // su run by root asks no password: a prompt then is the target user's scripts asking (F4)
    boolean root = lines.length > 1 && lines[1].strip().equals("0");
    if (!prepared.succeeded() || !FOLDER.matcher(folder).matches()) {
      return failed(
          "cannot prepare su on "
              + host
              + ": a private folder for the script could not be made there (mktemp -d: "
              + Echo.bounded(prepared.stderr().strip())
              + "). Check that "
              + "${TMPDIR:-/tmp} is writable on the host, then resume",
          Duration.ZERO);
    }
    String marker = "__ORCH_SU_" + nonce();
    SuDialog dialog = new SuDialog(password, marker, prompts, !root, become.promptTimeout());
    ExecResult ran;
    try {
      ran =
          connection.execInTerminal(
              terminalCommand(become, folder, marker, timeout),
              dialog,
              timeout.map(t -> t.plus(KILL_GRACE)),
              listener);
    } catch (TransportException e) {
      cleanUp(connection, folder); // best effort: the connection may be gone
      throw e;
    }
    String stderr = cleanUp(connection, folder);
    if (!dialog.started()) {
      boolean stepTimedOut =
          ran.timedOut() && timeout.isPresent() && ran.duration().compareTo(timeout.get()) >= 0;
      if (ran.timedOut() && !stepTimedOut) {
        return failed(notStarted(become, host, dialog), ran.duration());
      }
      if (ran.timedOut() || (!dialog.asked() && ran.stderr().startsWith("[orchestrator: "))) {
        return ran; // timed out, or no terminal: the transport said why
      }
      return failed(
          "su could not switch to user '"
              + become.user()
              + "' on "
              + host
              + (dialog.asked() ? "" : " (su asked no password)")
              + ": su said "
              + Echo.quote(dialog.suSaid().isEmpty() ? ran.stderr().strip() : dialog.suSaid())
              + ". Check the become password for "
              + host
              + " (become_password, or the inventory's ansible_become_password) and that '"
              + become.user()
              + "' may log in (a shell, an unlocked account), then resume",
          ran.duration());
    }
    for (String line : stderr.split("\n", -1)) {
      if (!line.isEmpty()) {
        listener.line(OutputListener.Stream.STDERR, line);
      }
    }
    // timeout(1) ends with 124 when it stopped the command
    boolean timedOut =
        ran.timedOut()
            || (timeout.isPresent()
                && ran.exitCode() == 124
                && ran.duration().compareTo(timeout.get()) >= 0);
    return new ExecResult(
        timedOut ? -1 : ran.exitCode(),
        ran.stdout(),
        ran.stderr() + stderr,
        ran.duration(),
        timedOut);
  }

  /**
   * The message when su printed something we do not answer and did not start the shell within
   * {@link Become#promptTimeout}: the last line su printed (escaped, the password masked), and the
   * usual causes with their remedies. Ansible stops there too ("Timeout waiting for privilege
   * escalation prompt", ansible-core {@code plugins/connection/ssh.py}).
   */
  static String notStarted(Become become, String host, SuDialog dialog) {
    String said = dialog.lastLine();
    return "su did not start the step's command as '"
        + become.user()
        + "' on "
        + host
        + " within "
        + become.promptTimeout().toSeconds()
        + "s (ansible_timeout): "
        + (said.isEmpty() ? "su printed nothing" : "su's last line was " + Echo.quote(said))
        + (dialog.asked()
            ? ", after the password was typed: su asks something else (a PAM question such as a"
                + " verification code) that a run cannot answer; allow '"
                + become.user()
                + "' su with the password alone"
            : ", and no prompt we answer: if that is su's password prompt, set"
                + " ansible_su_prompt_l10n to its word (e.g. ['Kennwort']); if su is slow, raise"
                + " ansible_timeout")
        + ", then resume";
  }

  /**
   * The first round trip: sweeps this user's {@code orch-su.*} folders older than a day (left by a
   * controller that died between the round trips; a step's own folder is newer: it changes when the
   * step starts), makes the folder and writes the script to it (the folder is removed again if that
   * fails), then prints the folder and {@code id -u}.
   */
  static String prepareCommand(String script) {
    return "umask 077; t=\"${TMPDIR:-/tmp}\"; find \"$t\" -maxdepth 1 -name 'orch-su.*' -type d"
        + " -user \"$(id -u)\" -mmin +1440 -exec rm -rf {} + 2>/dev/null\n"
        + "d=$(mktemp -d \"$t/orch-su.XXXXXXXXXX\") || exit 1\n"
        + CommandBuilder.hereDocument("cat > \"$d/s\"", " || { rm -rf \"$d\"; exit 1; }", script)
        + "printf '%s\\n' \"$d\" \"$(id -u)\"\n";
  }

  /** Reads the step's stderr from the folder and removes the folder; "" if that fails. */
  private static String cleanUp(Connection connection, String folder) {
    try {
      return connection
          .exec(
              "d=" + ShellQuote.quote(folder) + "; cat \"$d/e\" 2>/dev/null; rm -rf \"$d\"",
              Optional.of(HELPER_TIMEOUT))
          .stdout();
    } catch (TransportException e) {
      return "";
    }
  }

  /**
   * The program the terminal runs (an SSH exec request, shown by {@code ps}: a folder, a user, su's
   * flags and the marker, no secret).
   */
  static String terminalCommand(
      Become become, String folder, String marker, Optional<Duration> timeout) {
    String d = ShellQuote.quote(folder);
    StringBuilder su = new StringBuilder("exec ").append(ShellQuote.quote(become.exe()));
    become.flags().forEach(f -> su.append(' ').append(ShellQuote.quote(f)));
    su.append(' ')
        .append(ShellQuote.quote(become.user()))
        .append(" -c ")
        .append(
            ShellQuote.quote(
                "printf '\\n%s\\n' "
                    + marker
                    + "; exec "
                    + timeout.map(SuCommand::limit).orElse("")
                    + "/bin/sh -s <&3 2>&5 3<&- 5>&-"));
    return "exec 3<" + d + "/s 5>" + d + "/e && rm -f " + d + "/s && " + su;
  }

  /**
   * {@code timeout -k 5 SECONDS }: the target user's shell and everything it starts (timeout(1)
   * signals its whole process group: TERM, then KILL 5 s later) end when the step's time is up.
   * Only su (root) or that user may kill them: the connecting user cannot, and a hung-up terminal
   * does not reach them (su passes on the hang-up to its child only).
   */
  private static String limit(Duration timeout) {
    long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
    return "timeout -k 5 " + seconds + " ";
  }

  /** How much longer than the step's timeout the terminal may take: until timeout(1)'s KILL. */
  static final Duration KILL_GRACE = Duration.ofSeconds(20);

  private static ExecResult failed(String message, Duration duration) {
    return new ExecResult(1, "", "[orchestrator: " + message + "]\n", duration, false);
  }

  private static String nonce() {
    byte[] random = new byte[12];
    new java.security.SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
