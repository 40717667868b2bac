package dev.orchestrator.execute;

import dev.orchestrator.artifact.ArtifactKey;
import dev.orchestrator.artifact.FetchedArtifact;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.report.Event;
import dev.orchestrator.report.EventSink;
import dev.orchestrator.report.ProgressUnit;
import dev.orchestrator.template.ShellQuote;
import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.ExecResult;
import dev.orchestrator.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a step does on a host, rendered from the step with the host's vars: run a command ({@link
 * Shell}), run it detached so that it survives a dropped connection ({@link DetachedShell}), or
 * send a fetched artifact ({@link Upload}), or call one of Ansible's modules ({@link Module}). Each
 * runs itself over a {@link Connection}.
 */
sealed interface StepAction {
  /** The line the step's log starts with ({@code $ ...}): the command, or what is uploaded. */
  String description();

  /**
   * Runs one attempt.
   *
   * @param connection the host's connection
   * @param attempt what the attempt needs besides the connection
   * @return the outcome; a failed command is a result, not an exception
   * @throws TransportException if the connection fails
   */
  ExecResult run(Connection connection, Attempt attempt) throws TransportException;

  /**
   * One attempt's surroundings.
   *
   * @param runId the run's id (names the detached command's record on the host)
   * @param host the inventory host
   * @param stepId the step id
   * @param number the attempt number
   * @param log the attempt's log, which receives the output
   * @param events receives the upload's progress
   * @param results receives what a module registers beyond a command's keys (Ansible's result keys,
   *     {@code changed} among them); empty for a command
   */
  record Attempt(
      String runId,
      String host,
      String stepId,
      int number,
      StepLog log,
      EventSink events,
      Map<String, Object> results) {}

  /**
   * The action of {@code step} for one host.
   *
   * @param shell the rendered command and its values
   * @param env the rendered environment
   * @param upload for an upload step: the artifact's key and the rendered destination
   * @param artifacts the artifacts fetched on the controller
   * @param become how the step switches user, when it does ({@link Become#of})
   */
  static StepAction of(
      Step step,
      ShellTemplate shell,
      Map<String, String> env,
      Optional<Map.Entry<ArtifactKey, String>> upload,
      Map<ArtifactKey, FetchedArtifact> artifacts,
      Become become) {
    if (upload.isPresent()) {
      ArtifactKey key = upload.get().getKey();
      return new Upload(key, upload.get().getValue(), Optional.ofNullable(artifacts.get(key)));
    }
    String description = CommandBuilder.build(step, shell, env, become, true);
    if (step.become() && become.needsTerminal()) {
      if (step.traits().detached()) {
        throw new Become.Refused(
            "a detached step cannot become another user with su and a password: su needs a"
                + " terminal, which ends with the connection. Use become_method: sudo, or drop"
                + " detached");
      }
      return new SuShell(become, CommandBuilder.script(shell, env), step.timeout(), description);
    }
    String command = CommandBuilder.build(step, shell, env, become, false);
    return step.traits().detached()
        ? new DetachedShell(command, step.timeout(), description)
        : new Shell(command, step.timeout(), description);
  }

  /**
   * A command run over the connection while it waits for it.
   *
   * @param command the whole command (exports, sudo)
   * @param timeout the step's limit for one attempt
   * @param description the command as the log shows it: without a become password
   */
  record Shell(String command, Optional<Duration> timeout, String description)
      implements StepAction {
    /** Validates the fields. */
    public Shell {
      Objects.requireNonNull(command, "command");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(description, "description");
    }

    @Override
    public ExecResult run(Connection connection, Attempt attempt) throws TransportException {
      return connection.exec(command, timeout, attempt.log());
    }
  }

  /**
   * A command run as another user through su with a password, on a terminal ({@link SuCommand}).
   *
   * @param become su, its user and password
   * @param script what the target user's shell reads ({@link
   *     dev.orchestrator.transport.StdinScript#line})
   * @param timeout the step's limit for one attempt
   * @param description the command as the log shows it: without the password
   */
  record SuShell(Become become, String script, Optional<Duration> timeout, String description)
      implements StepAction {
    /** Validates the fields. */
    public SuShell {
      Objects.requireNonNull(become, "become");
      Objects.requireNonNull(script, "script");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(description, "description");
    }

    @Override
    public ExecResult run(Connection connection, Attempt attempt) throws TransportException {
      return SuCommand.run(
          connection, become, become.prompts(), script, attempt.host(), timeout, attempt.log());
    }

    /** Never shows the password (the record's own would, through {@link #become}). */
    @Override
    public String toString() {
      return "SuShell[" + description + "]";
    }
  }

  /**
   * A command run detached on the host ({@link CommandBuilder#detached}), its output and exit code
   * recorded there; killed when it exceeds its timeout.
   *
   * @param command the whole command (exports, sudo)
   * @param timeout the step's limit for one attempt
   * @param description the command as the log shows it: without a become password
   */
  record DetachedShell(String command, Optional<Duration> timeout, String description)
      implements StepAction {
    /** Validates the fields. */
    public DetachedShell {
      Objects.requireNonNull(command, "command");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(description, "description");
    }

    @Override
    public ExecResult run(Connection connection, Attempt attempt) throws TransportException {
      ExecResult result =
          connection.exec(
              CommandBuilder.detached(
                  attempt.runId(), attempt.host(), attempt.stepId(), attempt.number(), command),
              timeout,
              attempt.log());
      if (result.timedOut()) {
        connection.exec(
            CommandBuilder.kill(
                attempt.runId(), attempt.host(), attempt.stepId(), attempt.number()),
            Optional.of(Duration.ofSeconds(30)));
      }
      return result;
    }
  }

  /**
   * Writes a file on the host for a {@code template:} or {@code copy:} step ({@link FileWrite}):
   * only when it differs, atomically; registers Ansible's keys ({@code changed}, {@code checksum},
   * {@code backup_file}, ...).
   *
   * @param module {@code template} or {@code copy}
   * @param source what is written, for the log (the source file, or "content")
   * @param write the rendered write
   */
  record WriteFile(String module, String source, FileWrite write) implements StepAction {
    /** Validates the fields. */
    public WriteFile {
      Objects.requireNonNull(module, "module");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(write, "write");
    }

    @Override
    public String description() {
      return module + " " + source + " to " + write.dest();
    }

    @Override
    public ExecResult run(Connection connection, Attempt attempt) throws TransportException {
      ExecResult result = write.run(connection, attempt.results());
      attempt.log().replay(result);
      return result;
    }
  }

  /**
   * Sends a fetched artifact to the host ({@code put}, SFTP over SSH) unless the destination
   * already holds a file with its SHA-256; checks the checksum afterwards.
   *
   * @param key the artifact as rendered for the host
   * @param dest the destination path on the host
   * @param artifact the fetched artifact, empty when it was not fetched (the attempt fails)
   */
  record Upload(ArtifactKey key, String dest, Optional<FetchedArtifact> artifact)
      implements StepAction {
    /** Validates the fields. */
    public Upload {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(dest, "dest");
      Objects.requireNonNull(artifact, "artifact");
    }

    @Override
    public String description() {
      return "upload artifact " + key.id() + " to " + dest;
    }

    @Override
    public ExecResult run(Connection connection, Attempt attempt) throws TransportException {
      ExecResult result = send(connection, attempt);
      attempt.log().replay(result);
      return result;
    }

    private ExecResult send(Connection connection, Attempt attempt) throws TransportException {
      long start = System.nanoTime();
      if (artifact.isEmpty()) {
        return result(1, "", "artifact " + key + " was not fetched on the controller", start);
      }
      FetchedArtifact a = artifact.get();
      String sum = "sha256sum " + ShellQuote.quote(dest) + " 2>/dev/null | cut -d' ' -f1";
      if (connection
          .exec(sum, Optional.of(Duration.ofMinutes(10)))
          .stdout()
          .trim()
          .equals(a.sha256())) {
        return result(
            0,
            dest + " already holds " + key + " (sha256 " + a.sha256() + "): not sent again\n",
            "",
            start);
      }
      String dir = dest.contains("/") ? dest.substring(0, Math.max(1, dest.lastIndexOf('/'))) : ".";
      connection.exec("mkdir -p " + ShellQuote.quote(dir), Optional.of(Duration.ofMinutes(1)));
      long[] lastReport = {0};
      connection.put(
          a.file(),
          dest,
          bytes -> {
            long now = System.nanoTime();
            if (now - lastReport[0] > 250_000_000L || bytes == a.size()) {
              lastReport[0] = now;
              attempt
                  .events()
                  .emit(
                      new Event.StepProgress(
                          Instant.now(),
                          attempt.host(),
                          attempt.stepId(),
                          bytes,
                          a.size(),
                          ProgressUnit.BYTES,
                          "uploading " + key.id()));
            }
          });
      String after = connection.exec(sum, Optional.of(Duration.ofMinutes(10))).stdout().trim();
      if (!after.equals(a.sha256())) {
        return result(
            1,
            "",
            "after the upload "
                + dest
                + " has sha256 '"
                + after
                + "', expected "
                + a.sha256()
                + " (disk full?)",
            start);
      }
      return result(
          0,
          "sent "
              + a.size()
              + " bytes of "
              + key
              + " to "
              + dest
              + " (sha256 "
              + a.sha256()
              + ")\n",
          "",
          start);
    }

    private static ExecResult result(int exitCode, String stdout, String stderr, long start) {
      return new ExecResult(
          exitCode, stdout, stderr, Duration.ofNanos(System.nanoTime() - start), false);
    }
  }

  /**
   * A call of one of Ansible's modules ({@link dev.orchestrator.playbook.ModuleCall}), its
   * arguments rendered for the host ({@link Modules}): on the controller ({@code debug}, {@code
   * set_fact}, {@code fail}, {@code assert}, {@code pause}) or on the host ({@code wait_for},
   * {@code uri}).
   *
   * @param description the line the step's log starts with
   * @param invocation runs one attempt
   */
  record Module(String description, ModuleOutcome.Invocation invocation) implements StepAction {
    /** Validates the fields. */
    public Module {
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(invocation, "invocation");
    }

    @Override
    public ExecResult run(Connection connection, Attempt attempt) throws TransportException {
      return call(connection, attempt).result();
    }

    /** Runs one attempt, with the module's result keys. */
    ModuleOutcome call(Connection connection, Attempt attempt) throws TransportException {
      return invocation.run(connection, attempt);
    }
  }
}
