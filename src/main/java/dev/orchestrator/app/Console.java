package dev.orchestrator.app;

import java.io.PrintWriter;
import java.util.Objects;

/**
 * Where the service writes the messages a caller shows besides the event stream (an override
 * recorded, a lease released, a report that could not be written). The service never writes to the
 * process's standard streams.
 *
 * @param out messages that are the command's result
 * @param err warnings and notes
 */
public record Console(PrintWriter out, PrintWriter err) {
  /** Validates the fields. */
  public Console {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
  }
}
