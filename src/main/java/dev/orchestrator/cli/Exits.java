package dev.orchestrator.cli;

import dev.orchestrator.app.Outcome;

/** The exit code of each outcome the service reports. */
final class Exits {
  private Exits() {}

  /** 0 succeeded, 3 paused, 4 refused, 5 aborted. */
  static int of(Outcome outcome) {
    return (switch (outcome) {
          case SUCCEEDED, ALREADY_SUCCEEDED -> ExitCode.SUCCEEDED;
          case PAUSED -> ExitCode.PAUSED;
          case REFUSED -> ExitCode.REFUSED;
          case ABORTED -> ExitCode.ABORTED;
        })
        .code();
  }
}
