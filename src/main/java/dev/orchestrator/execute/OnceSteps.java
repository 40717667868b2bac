package dev.orchestrator.execute;

import dev.orchestrator.plan.PlannedStep;
import dev.orchestrator.plan.RunOnce;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.report.Event;
import dev.orchestrator.state.Checkpoint;
import dev.orchestrator.state.RunState;
import dev.orchestrator.state.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs {@code run_once} steps (<a
 * href="https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_strategies.html#running-on-a-single-machine-with-run-once">Ansible:
 * run_once</a>): one host of the batch runs the step ({@link RunOnce#owner}: the first of the
 * batch, or the one whose checkpoint says it already started it), and every other host of the batch
 * waits for that host's durable checkpoint of the step, then records its result under its own
 * checkpoint ("ran once on web1": its {@code register} value, its {@code set_fact} facts, whether
 * it changed) and goes on. Our hosts run their steps independently, not in Ansible's lock-step, so
 * this wait is the batch's meeting point.
 *
 * <p>Whether it ran is read from the run's state: after a controller stop, the host that started
 * the step is the one that resumes it (at most once more, by resume's in-doubt rules), and the
 * others take its result from its checkpoint. The value itself comes from memory when the chosen
 * host ran it on this controller ({@link OnceMeeting#ran}): the checkpoint's copy has its secrets
 * masked. When only the masked copy exists (a resume, another controller) and it holds a masked
 * secret, the host pauses rather than take {@code ********} for the value. When that host stops
 * before finishing the step (it failed there, paused at an earlier step, became unreachable, or is
 * not part of this execution), the others pause too, with a message naming it and what to do; their
 * resume takes its result once it has one. With several controllers sharing a run (PostgreSQL
 * store, {@code orchestrator worker}) this controller cannot see the other controllers' pipelines:
 * a host whose chosen host has no result yet pauses the same way (refused clearly, never run
 * twice).
 */
final class OnceSteps {
  /** How often a waiting host reads the run's state. */
  static final Duration POLL = Duration.ofMillis(250);

  private final OnceMeeting meeting;

  OnceSteps(OnceMeeting meeting) {
    this.meeting = meeting;
  }

  /**
   * Takes the batch's result of a {@code run_once} step when another host runs it.
   *
   * @param vars the host's vars: they place it in its batch; receive the register value and facts
   * @return the result recorded here; empty when this host is the one that runs the step
   */
  Optional<StepResult> fromOwner(PlannedStep ps, Map<String, Object> vars, StepContext context) {
    Step step = ps.step();
    List<String> batch = RunOnce.batch(vars);
    if (!batch.contains(context.host())) {
      return Optional.empty();
    }
    Instant startedAt = Instant.now();
    boolean told = false;
    while (true) {
      // where the hosts are first, then their checkpoints: a host that ended wrote its result
      Map<String, OnceMeeting.Whereabouts> where = new java.util.HashMap<>();
      batch.forEach(h -> where.put(h, meeting.of(h)));
      RunState state = load(context);
      String owner = owner(step, batch, state);
      OnceMeeting.Whereabouts whereabouts = where.get(owner);
      if (owner.equals(context.host())) {
        return Optional.empty();
      }
      Optional<Checkpoint> done =
          state
              .checkpoint(owner, step.id())
              .filter(RunOnce::ranThere)
              .filter(c -> c.status() == StepStatus.SUCCEEDED || c.status() == StepStatus.SKIPPED);
      Optional<Map<String, Object>> handed = meeting.handed(owner, step.id());
      if (done.isPresent() && handed.isPresent()) {
        return Optional.of(copy(step, owner, done.get(), handed.get(), startedAt, vars, context));
      }
      boolean handing =
          meeting.handing(owner, step.id()) && whereabouts == OnceMeeting.Whereabouts.UNDER_WAY;
      if (done.isPresent() && !handing) {
        if (masked(done.get().registered())) {
          return Optional.of(
              context.failed(step, 0, startedAt, null, RunOnce.WAITED + secret(step, owner), ""));
        }
        return Optional.of(
            copy(step, owner, done.get(), done.get().registered(), startedAt, vars, context));
      }
      if (done.isPresent()) { // recorded; its value is handed over in a moment
        sleep(context);
        continue;
      }
      if (whereabouts != OnceMeeting.Whereabouts.UNDER_WAY) {
        return Optional.of(
            context.failed(
                step,
                0,
                startedAt,
                null,
                RunOnce.WAITED + why(step, owner, whereabouts, state),
                ""));
      }
      if (!told) {
        told = true;
        context
            .events()
            .emit(
                new Event.StepWarning(
                    Instant.now(),
                    context.host(),
                    step.id(),
                    "run_once: waiting for " + owner + ", which runs it for the batch"));
      }
      try {
        context.sleeper().sleep(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.of(
            context.failed(
                step,
                0,
                startedAt,
                null,
                RunOnce.WAITED
                    + "the controller was stopped while this host waited for "
                    + owner
                    + " to run "
                    + step.id()
                    + " for the batch; nothing ran here: continue with orchestrator resume "
                    + context.journal().runId(),
                ""));
      }
    }
  }

  /** The chosen host starts running the step for its batch on this controller. */
  void running(String host, Step step) {
    meeting.running(host, step.id());
  }

  /** The chosen host ran the step: hands its result over to the batch's waiting hosts. */
  void ran(String host, Step step, StepResult result) {
    Map<String, Object> registered = null; // skipped or stopped: the checkpoint says all
    if (result instanceof StepResult.Succeeded s) {
      registered = s.registered();
    } else if (result instanceof StepResult.Ignored i) {
      registered = i.registered();
    }
    meeting.ran(host, step.id(), registered);
  }

  private static void sleep(StepContext context) {
    try {
      context.sleeper().sleep(POLL);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether a recorded value holds a masked secret: not the value the chosen host got. */
  private static boolean masked(Object value) {
    if (value instanceof String s) {
      return s.contains(dev.orchestrator.common.Secrets.MASK);
    }
    if (value instanceof Map<?, ?> m) {
      return m.values().stream().anyMatch(OnceSteps::masked);
    }
    return value instanceof java.util.Collection<?> c && c.stream().anyMatch(OnceSteps::masked);
  }

  private static String secret(Step step, String owner) {
    return "step "
        + step.id()
        + " ran on "
        + owner
        + ", the host that runs it for this batch, but its result holds a secret, which the run's"
        + " state keeps masked, and "
        + owner
        + " did not run it on this controller in this execution: rerun it (resume --rerun "
        + step.id()
        + " --host "
        + owner
        + ") so that the batch takes its result in memory";
  }

  private static RunState load(StepContext context) {
    return context.journal().store().load(context.journal().runId());
  }

  private static String owner(Step step, List<String> batch, RunState state) {
    return RunOnce.owner(step.id(), batch, h -> state.checkpoint(h, step.id()));
  }

  /** Why the host cannot take the chosen host's result, and what to do. */
  private String why(Step step, String owner, OnceMeeting.Whereabouts whereabouts, RunState state) {
    String id = step.id();
    String then = "; this host takes its result then";
    Optional<Checkpoint> c = state.checkpoint(owner, id).filter(RunOnce::ranThere);
    if (c.isPresent() && c.get().status() == StepStatus.FAILED) {
      return "step "
          + id
          + " failed on "
          + owner
          + ", the host that runs it for this batch ("
          + c.get().message()
          + "): fix it and resume: "
          + owner
          + " runs it again"
          + then;
    }
    return switch (whereabouts) {
      case ENDED ->
          owner
              + ", the host that runs step "
              + id
              + " for this batch, stopped before finishing it ("
              + meeting.how(owner).orElse("")
              + "): resume once "
              + owner
              + " can go on (resume --assume-done/--rerun "
              + id
              + " --host "
              + owner
              + " if it was in doubt); it runs the step"
              + then;
      case ABSENT ->
          owner
              + " runs step "
              + id
              + " for this batch but is not part of this execution (a --limit, or it is done"
              + " without it): resume with "
              + owner
              + " included"
              + then;
      case UNKNOWN ->
          owner
              + " runs step "
              + id
              + " for this batch and has no result yet; several controllers share this run, and"
              + " run_once does not wait across controllers: resume once "
              + owner
              + " has run it"
              + then;
      case UNDER_WAY -> throw new IllegalStateException("still under way: " + owner);
    };
  }

  /**
   * Records the chosen host's result as this host's, and gives it to this host's vars. It did not
   * change this host: its handlers are not notified (Ansible notifies only the host that ran it:
   * ansible-core {@code plugins/strategy/__init__.py} {@code _process_pending_results}), while the
   * registered value still says whether it changed where it ran.
   */
  private static StepResult copy(
      Step step,
      String owner,
      Checkpoint theirs,
      Map<String, Object> registered,
      Instant startedAt,
      Map<String, Object> vars,
      StepContext context) {
    Instant end = Instant.now();
    String message =
        RunOnce.COPIED + owner + (theirs.message().isEmpty() ? "" : ": " + theirs.message());
    context
        .checkpoints()
        .copied(step.id(), theirs.status(), startedAt, end, theirs.exitCode(), message, registered);
    step.register().ifPresent(r -> vars.put(r, registered));
    if (step.extras().module().map(m -> m.setsFacts()).orElse(false)
        && registered.get("ansible_facts") instanceof Map<?, ?> facts) {
      facts.forEach((k, v) -> vars.put(String.valueOf(k), v));
    }
    StepResult result =
        theirs.status() == StepStatus.SKIPPED
            ? new StepResult.Skipped(message)
            : new StepResult.Succeeded(
                0, theirs.exitCode() == null ? 0 : theirs.exitCode(), registered, "", false);
    context
        .events()
        .emit(
            new Event.StepFinished(
                end,
                context.host(),
                step.id(),
                result.outcome(),
                theirs.exitCode(),
                Duration.between(startedAt, end),
                message,
                "",
                false));
    return result;
  }
}
