package dev.orchestrator.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.annotation.JsonTypeResolver;
import dev.orchestrator.state.GateState;
import dev.orchestrator.state.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What happened during a run. The console view and the JSON event stream are renderers of this one
 * stream; the executor emits events and never prints. Schema version: {@link #SCHEMA_VERSION}.
 *
 * <p>States are enums whose JSON spelling is their {@code label()} ({@link StepOutcome}, {@link
 * HostFinishState}, {@link GateState}, {@link RunStatus}, {@link ProgressUnit}); where an event
 * carries only some of an enum's values, the record lists them in a {@code public static final Set}
 * and refuses the others. README "JSON events" documents them (checked by a test).
 *
 * <p>The JSON form is declared here and in {@link EventJson}, both ways: {@code "event"} is the
 * name {@code @JsonSubTypes} gives the record (the names are part of the format: never rename one),
 * fields are the components in snake_case, durations are {@code _ms} fields.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "event")
@JsonTypeResolver(EventJson.Envelope.class)
@JsonSubTypes({
  @JsonSubTypes.Type(value = Event.RunStarted.class, name = "run_started"),
  @JsonSubTypes.Type(value = Event.StageStarted.class, name = "stage_started"),
  @JsonSubTypes.Type(value = Event.BatchStarted.class, name = "batch_started"),
  @JsonSubTypes.Type(value = Event.StepStarted.class, name = "step_started"),
  @JsonSubTypes.Type(value = Event.StepFinished.class, name = "step_finished"),
  @JsonSubTypes.Type(value = Event.StepProgress.class, name = "step_progress"),
  @JsonSubTypes.Type(value = Event.StepWarning.class, name = "step_warning"),
  @JsonSubTypes.Type(value = Event.StepOutput.class, name = "step_output"),
  @JsonSubTypes.Type(value = Event.ArtifactProgress.class, name = "artifact_progress"),
  @JsonSubTypes.Type(value = Event.ArtifactReady.class, name = "artifact_ready"),
  @JsonSubTypes.Type(value = Event.HostFinished.class, name = "host_finished"),
  @JsonSubTypes.Type(value = Event.GateEvaluated.class, name = "gate_evaluated"),
  @JsonSubTypes.Type(value = Event.RolloutPaused.class, name = "rollout_paused"),
  @JsonSubTypes.Type(value = Event.OperatorAction.class, name = "operator_action"),
  @JsonSubTypes.Type(value = Event.RunFinished.class, name = "run_finished")
})
public sealed interface Event {
  /** The version of the JSON event schema; bumped on incompatible changes. */
  int SCHEMA_VERSION = 1;

  /** When it happened. */
  Instant at();

  /**
   * A run started or resumed.
   *
   * @param at when
   * @param runId the run id
   * @param playbook the playbook's name
   * @param resumed whether this continues an earlier run
   * @param hosts how many hosts the plan covers
   * @param hostNames those hosts, in inventory order (the order the recap and the report list them
   *     in; JSON {@code host_names})
   * @param rollback whether this is {@code abort --rollback} running the rollback steps
   */
  record RunStarted(
      Instant at,
      String runId,
      String playbook,
      boolean resumed,
      int hosts,
      List<String> hostNames,
      boolean rollback)
      implements Event {
    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException if {@code hosts} is not the number of {@code hostNames}
     */
    public RunStarted {
      hostNames = List.copyOf(hostNames);
      if (hosts != hostNames.size()) {
        throw new IllegalArgumentException(hosts + " host(s) but names " + hostNames);
      }
    }

    /** A run (not a rollback) over these hosts. */
    public RunStarted(
        Instant at,
        String runId,
        String playbook,
        boolean resumed,
        int hosts,
        List<String> hostNames) {
      this(at, runId, playbook, resumed, hosts, hostNames, false);
    }

    /** A run (not a rollback) over these hosts (in inventory order). */
    public RunStarted(
        Instant at, String runId, String playbook, boolean resumed, List<String> hostNames) {
      this(at, runId, playbook, resumed, hostNames.size(), hostNames, false);
    }
  }

  /**
   * A stage started.
   *
   * @param at when
   * @param stage its name
   * @param batches how many batches it has
   * @param hosts how many hosts it has
   */
  record StageStarted(Instant at, String stage, int batches, int hosts) implements Event {}

  /**
   * A batch started.
   *
   * @param at when
   * @param stage the stage
   * @param batch 1-based batch number
   * @param of how many batches the stage has
   * @param hosts the batch's hosts
   * @param working the hosts that have steps to run now (the others are done, or left alone)
   */
  record BatchStarted(
      Instant at, String stage, int batch, int of, List<String> hosts, List<String> working)
      implements Event {}

  /**
   * A step started on a host.
   *
   * @param at when
   * @param host the host
   * @param step the step id
   * @param name the step's name
   * @param attempt the attempt number
   */
  record StepStarted(Instant at, String host, String step, String name, int attempt)
      implements Event {}

  /**
   * A step ended on a host.
   *
   * @param at when
   * @param host the host
   * @param step the step id
   * @param status how the attempt ended
   * @param exitCode the exit code, or null
   * @param duration how long it took (JSON {@code duration_ms}, whole milliseconds)
   * @param message why it failed or was skipped, or empty
   * @param logFile the full log, or empty
   * @param changed for a step that succeeded: whether it changed the host (its {@code
   *     changed_when}; true without one); false otherwise
   */
  @JsonPropertyOrder({ // the order of earlier lines: Jackson writes a renamed component last
    "at",
    "host",
    "step",
    "status",
    "exit_code",
    "duration_ms",
    "message",
    "log_file",
    "changed"
  })
  record StepFinished(
      Instant at,
      String host,
      String step,
      StepOutcome status,
      Integer exitCode,
      @JsonProperty("duration_ms") Duration duration,
      String message,
      String logFile,
      boolean changed)
      implements Event {
    /** Validates the fields. */
    public StepFinished {
      Objects.requireNonNull(status, "status");
    }
  }

  /**
   * A running step reported progress: a {@code ::progress DONE/TOTAL [MESSAGE]} line on its stdout
   * (the line protocol of README "Steps that report"), or the bytes of an upload.
   *
   * @param at when
   * @param host the host
   * @param step the step id
   * @param done how much is done, in {@code unit}
   * @param total the whole, in {@code unit}; 0 when unknown
   * @param unit what {@code done} and {@code total} count
   * @param message what it is doing, or empty
   */
  record StepProgress(
      Instant at,
      String host,
      String step,
      long done,
      long total,
      ProgressUnit unit,
      String message)
      implements Event {
    /** Validates the fields. */
    public StepProgress {
      Objects.requireNonNull(unit, "unit");
    }
  }

  /**
   * A step reported a warning ({@code ::warning TEXT} on its stdout): shown at once and in the
   * recap.
   *
   * @param at when
   * @param host the host
   * @param step the step id
   * @param message the warning
   */
  record StepWarning(Instant at, String host, String step, String message) implements Event {}

  /**
   * What a step printed, after its {@link StepFinished}: emitted only on a run given {@code -v}
   * (ansible-playbook's verbosity), secrets masked as every event's text.
   *
   * @param at when
   * @param host the host
   * @param step the step id
   * @param stdout its standard output (as its result's {@code stdout}: at most the size a result
   *     keeps)
   * @param stderr its standard error, likewise
   */
  record StepOutput(Instant at, String host, String step, String stdout, String stderr)
      implements Event {
    /** Validates the fields. */
    public StepOutput {
      Objects.requireNonNull(stdout, "stdout");
      Objects.requireNonNull(stderr, "stderr");
    }
  }

  /**
   * An artifact download progressed.
   *
   * @param at when
   * @param artifact the artifact id
   * @param bytes bytes received so far
   * @param total the size in bytes, or -1 when unknown
   */
  record ArtifactProgress(Instant at, String artifact, long bytes, long total) implements Event {}

  /**
   * An artifact is on the controller, verified.
   *
   * @param at when
   * @param artifact the artifact id
   * @param url where it came from
   * @param bytes its size
   * @param sha256 its SHA-256
   * @param cached whether an earlier download was reused
   */
  record ArtifactReady(
      Instant at, String artifact, String url, long bytes, String sha256, boolean cached)
      implements Event {}

  /**
   * A host finished its part of the run.
   *
   * @param at when
   * @param host the host
   * @param state how it ended
   * @param step the step it paused at, or empty
   * @param message why it paused, or empty
   */
  record HostFinished(Instant at, String host, HostFinishState state, String step, String message)
      implements Event {
    /** Validates the fields. */
    public HostFinished {
      Objects.requireNonNull(state, "state");
    }
  }

  /**
   * A gate was evaluated.
   *
   * @param at when
   * @param gate the gate's key, e.g. {@code production/before/1}
   * @param description what it checks
   * @param state one of {@link #STATES}
   * @param message details: which hosts failed which check, who approved
   */
  record GateEvaluated(Instant at, String gate, String description, GateState state, String message)
      implements Event {
    /** The states a gate is evaluated to (pending is no evaluation; a rejection ends the run). */
    public static final Set<GateState> STATES =
        Set.of(GateState.WAITING, GateState.PASSED, GateState.APPROVED, GateState.FAILED);

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException if {@code state} is not one of {@link #STATES}
     */
    public GateEvaluated {
      if (!STATES.contains(Objects.requireNonNull(state, "state"))) {
        throw new IllegalArgumentException("a gate is not evaluated to " + state);
      }
    }
  }

  /**
   * The rollout paused before the next batch or stage.
   *
   * @param at when
   * @param stage the stage of the batch that exceeded its budget
   * @param batch the batch
   * @param reason why
   */
  record RolloutPaused(Instant at, String stage, int batch, String reason) implements Event {}

  /**
   * A person acted on the run: approved, rejected, resumed or aborted it, from the CLI or the web
   * console. Stored with the run's events, so the record of who did what survives the process.
   *
   * @param at when
   * @param action {@code approve}, {@code reject}, {@code resume} or {@code abort}
   * @param by who and from where, e.g. {@code alice (web console, from 10.0.0.5)} or {@code
   *     ops@laptop}
   * @param detail the gates decided, the comment, the decision: free text, may be empty
   */
  record OperatorAction(Instant at, String action, String by, String detail) implements Event {
    /** Validates the fields. */
    public OperatorAction {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(by, "by");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * The run ended (for now).
   *
   * @param at when
   * @param runId the run id
   * @param status one of {@link #STATUSES} (aborted: after {@code abort --rollback}); JSON spells
   *     it with its {@link RunStatus#label()}
   * @param reason why it paused, or empty
   * @param wall how long this invocation took (JSON {@code wall_ms}, whole milliseconds)
   * @param nextCommand the command that continues, or empty
   */
  @JsonPropertyOrder({ // the order of earlier lines: Jackson writes a renamed component last
    "at",
    "run_id",
    "status",
    "reason",
    "wall_ms",
    "next_command"
  })
  record RunFinished(
      Instant at,
      String runId,
      RunStatus status,
      String reason,
      @JsonProperty("wall_ms") Duration wall,
      String nextCommand)
      implements Event {
    /** The statuses a run finishes with. */
    public static final Set<RunStatus> STATUSES =
        Set.of(RunStatus.SUCCEEDED, RunStatus.PAUSED, RunStatus.ABORTED);

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException if {@code status} is not one of {@link #STATUSES}
     */
    public RunFinished {
      if (!STATUSES.contains(Objects.requireNonNull(status, "status"))) {
        throw new IllegalArgumentException("a run does not finish " + status);
      }
    }
  }
}
