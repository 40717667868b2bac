package dev.orchestrator.cli;

import dev.orchestrator.app.Outcome;
import dev.orchestrator.report.Event;
import dev.orchestrator.report.EventSink;
import dev.orchestrator.report.HostFinishState;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.ParseResult;

/**
 * {@code --ansible-exit-codes}: our exit codes mapped onto ansible-playbook's (ansible-core 2.14
 * {@code lib/ansible/cli/__init__.py} {@code cli_executor} and {@code
 * lib/ansible/executor/task_queue_manager.py}; checked by running ansible-playbook 2.14): 0 all
 * hosts ok; 1 an error ({@code AnsibleError}); 2 a host failed ({@code RUN_FAILED_HOSTS}); 4 a host
 * unreachable and none failed ({@code RUN_UNREACHABLE_HOSTS}; ansible-core reserves 3 but never
 * returns it), or a playbook/inventory/variable error ({@code AnsibleParserError}); 5 bad options
 * ({@code AnsibleOptionsError}); 99 interrupted; 250 an unexpected error (a bug).
 *
 * <p>Ours (README "Exit codes") map: 0 → 0; 1 (internal error) → 250; 2 (invalid input) → 4, or 5
 * for a bad option or argument on the command line; 3 (paused) → 2 when a host failed, 4 when hosts
 * were unreachable and none failed, 1 when the run waits at a gate (Ansible has no gates); 4
 * (refused: a lease), 5 (aborted), 6 (state store unavailable) → 1. ansible-playbook's 99 (user
 * interrupted) is not produced: Ctrl-C pauses the run, which exits as paused.
 */
final class AnsibleExitCodes {
  /** The option that asks for these codes. */
  static final String OPTION = "--ansible-exit-codes";

  private final AtomicBoolean failed = new AtomicBoolean();
  private final AtomicBoolean unreachable = new AtomicBoolean();

  /** A sink that notes failed and unreachable hosts, then forwards to {@code next}. */
  EventSink watching(EventSink next) {
    return e -> {
      if (e instanceof Event.HostFinished h) {
        if (h.state() == HostFinishState.PAUSED) {
          failed.set(true);
        } else if (h.state() == HostFinishState.UNREACHABLE) {
          unreachable.set(true);
        }
      }
      next.emit(e);
    };
  }

  /** ansible-playbook's code for a run that ended with {@code outcome}. */
  int of(Outcome outcome) {
    return switch (outcome) {
      case SUCCEEDED, ALREADY_SUCCEEDED -> 0;
      case PAUSED -> failed.get() ? 2 : unreachable.get() ? 4 : 1;
      case REFUSED, ABORTED -> 1;
    };
  }

  /**
   * ansible-playbook's code for one of ours that ended a command early.
   *
   * @param ours our code
   * @param usage whether a command-line option or argument was wrong (picocli refused it)
   */
  static int of(ExitCode ours, boolean usage) {
    return switch (ours) {
      case SUCCEEDED -> 0;
      case INTERNAL_ERROR -> 250;
      case INVALID_INPUT -> usage ? 5 : 4;
      case PAUSED -> 2;
      case REFUSED, ABORTED, STATE_UNAVAILABLE -> 1;
    };
  }

  /** Whether {@link #OPTION} was given to the command or one of its subcommands. */
  static boolean asked(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption(OPTION)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@link #OPTION} is among the raw arguments (when they could not be parsed). */
  static boolean asked(String[] args) {
    return java.util.Arrays.asList(args).contains(OPTION);
  }
}
