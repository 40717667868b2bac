package dev.orchestrator.transport;

/**
 * Receives a command's output line by line while it runs (for live progress and timestamped logs),
 * beside the whole output that {@link ExecResult} returns at the end. Called on a transport's
 * reader thread: implementations must be quick and thread-safe. Lines come without their newline; a
 * last line without a newline comes when the command ends.
 */
@FunctionalInterface
public interface OutputListener {
  /** Which stream a line came from. */
  enum Stream {
    STDOUT,
    STDERR
  }

  /** Ignores the lines. */
  OutputListener NONE = (stream, line) -> {};

  /**
   * One line of output.
   *
   * @param stream where it came from
   * @param line the line, without its newline
   */
  void line(Stream stream, String line);
}
