package dev.orchestrator.plan;

import dev.orchestrator.playbook.BlockFrame;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.state.Checkpoint;
import dev.orchestrator.state.StepStatus;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which blocks of one host have failed, derived from the checkpoints of the steps whose failure a
 * {@code rescue:} took over (README "Blocks"): nothing else is stored, as pending handlers are
 * derived from {@link Checkpoint#changed()}. As ansible-core's {@code PlayIterator} moves a host
 * from a block's tasks to its rescue and then its always ({@code executor/play_iterator.py}), a
 * failure in the {@code block:} section of block R, which has a rescue, makes R <em>rescuing</em>:
 * the rest of its {@code block:} does not run, its {@code rescue:} does, then its {@code always:}.
 * Each block between the failed step and R is <em>aborted</em>: the rest of its {@code block:} and
 * {@code rescue:} does not run, its {@code always:} does. A block that has not failed runs its
 * {@code block:} and {@code always:}, and not its {@code rescue:}. With hops each hop's blocks are
 * apart ({@code ID@HOP}).
 *
 * <p>The planner derives it from a run's checkpoints ({@link #of}); the engine adds the failures of
 * its own run as it records them ({@link #rescued}), as it keeps the handlers this run notified.
 */
public final class BlockStates {
  /** How the checkpoint message of a failure a {@code rescue:} took over starts. */
  public static final String RESCUED = "failed, rescued by ";

  /** The plan's reason for a {@code rescue:} step of a block that has not failed (yet). */
  public static final String IF_BLOCK_FAILS = "if the block fails";

  /** How the reason of a step that a block's failure leaves out starts. */
  public static final String NOT_RUN = "not run: ";

  private enum State {
    RESCUING,
    ABORTED
  }

  private record Failure(State state, String stepId, Step step, Map<String, Object> result) {}

  private final Map<String, Failure> failures = new HashMap<>();

  /** No block has failed. */
  public BlockStates() {}

  /**
   * Derives the states from a host's checkpoints.
   *
   * @param steps the host's steps (items and hops are found by their playbook id)
   * @param checkpoints the host's checkpoints
   */
  public static BlockStates of(List<Step> steps, List<Checkpoint> checkpoints) {
    Map<String, Step> byId = new LinkedHashMap<>();
    steps.forEach(s -> byId.putIfAbsent(s.baseId(), s));
    BlockStates states = new BlockStates();
    checkpoints.stream()
        .filter(c -> c.status() == StepStatus.SUCCEEDED && c.message().startsWith(RESCUED))
        .sorted(Comparator.comparing(c -> c.endedAt() == null ? Instant.EPOCH : c.endedAt()))
        .forEach(
            c -> {
              Step s = byId.get(Step.baseIdOf(c.stepId()));
              if (s != null && s.extras().rescuer().isPresent()) {
                states.rescued(c.stepId(), s, c.registered());
              }
            });
    return states;
  }

  /**
   * A step failed and a rescue took it over.
   *
   * @param stepId its engine id ({@code ID@HOP[LABEL]})
   * @param step the step
   * @param result what {@code ansible_failed_result} holds in the rescue
   */
  public void rescued(String stepId, Step step, Map<String, Object> result) {
    BlockFrame rescuer = step.extras().rescuer().orElseThrow();
    List<BlockFrame> frames = step.extras().blocks();
    for (int i = frames.size() - 1; i >= 0; i--) {
      BlockFrame f = frames.get(i);
      boolean isRescuer = f.block() == rescuer.block();
      failures.put(
          key(f, stepId),
          new Failure(isRescuer ? State.RESCUING : State.ABORTED, stepId, step, result));
      if (isRescuer) {
        return;
      }
    }
  }

  /** Whether a block has failed (in the hop of {@code stepId}). */
  public boolean failed(BlockFrame f, String stepId) {
    return failures.containsKey(key(f, stepId));
  }

  /**
   * Why a step does not run because a block it stands in failed, or empty when it runs as far as
   * the blocks go (a {@code rescue:} step of a block that has not failed is the caller's to decide:
   * the plan says {@link #IF_BLOCK_FAILS}, the run skips it when it gets there).
   */
  public Optional<String> notRun(Step step) {
    List<BlockFrame> frames = step.extras().blocks();
    for (int i = 0; i < frames.size(); i++) {
      BlockFrame f = frames.get(i);
      Failure failure = failures.get(key(f, step.id()));
      if (failure == null || f.section() == BlockFrame.Section.ALWAYS) {
        continue;
      }
      if (i + 1 < frames.size() && failures.containsKey(key(frames.get(i + 1), step.id()))) {
        continue; // the failure came through the inner block: its always runs first
      }
      if (f.section() == BlockFrame.Section.BLOCK) {
        return Optional.of(NOT_RUN + f.label() + " failed at " + failure.stepId());
      }
      if (failure.state() == State.ABORTED) {
        return Optional.of(
            NOT_RUN
                + f.label()
                + " failed at "
                + failure.stepId()
                + "; an enclosing block's rescue takes over");
      }
    }
    return Optional.empty();
  }

  /**
   * The variables a {@code rescue:} step runs with: Ansible's {@code ansible_failed_task} ({@code
   * name}, {@code id}, {@code action}) and {@code ansible_failed_result} of the step whose failure
   * the innermost rescuing block took over; empty outside a rescue.
   */
  public Map<String, Object> failedVars(Step step) {
    List<BlockFrame> frames = step.extras().blocks();
    for (int i = frames.size() - 1; i >= 0; i--) {
      BlockFrame f = frames.get(i);
      Failure failure = failures.get(key(f, step.id()));
      if (f.section() == BlockFrame.Section.RESCUE
          && failure != null
          && failure.state() == State.RESCUING) {
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("name", failure.step().name());
        task.put("id", failure.stepId());
        task.put("action", action(failure.step()));
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put(FAILED_TASK, task);
        vars.put(FAILED_RESULT, failure.result());
        return vars;
      }
    }
    return Map.of();
  }

  /** Ansible's name of the failed step's variable in a rescue. */
  public static final String FAILED_TASK = "ansible_failed_task";

  /** Ansible's name of the failed step's result in a rescue. */
  public static final String FAILED_RESULT = "ansible_failed_result";

  private static String action(Step s) {
    if (s.extras().module().isPresent()) {
      return s.extras().module().get().name();
    }
    if (s.extras().file().isPresent()) {
      return s.extras().file().get().kind().key();
    }
    return s.traits().upload().isPresent() ? "upload" : "shell";
  }

  /** A block's key: its number and the hop of the step ({@code ID@HOP}). */
  private static String key(BlockFrame f, String stepId) {
    return f.block() + hopOf(stepId);
  }

  /** The {@code @HOP} of an engine step id, or empty without hops. */
  static String hopOf(String stepId) {
    int at = stepId.indexOf('@');
    if (at < 0) {
      return "";
    }
    int bracket = stepId.indexOf('[', at);
    return stepId.substring(at, bracket < 0 ? stepId.length() : bracket);
  }
}
