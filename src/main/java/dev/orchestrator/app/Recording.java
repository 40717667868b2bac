package dev.orchestrator.app;

import dev.orchestrator.execute.RunExecutor;
import dev.orchestrator.report.EventSink;
import dev.orchestrator.state.RunJournal;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * What surrounds every execution of a run on this controller ({@code run}, {@code resume}, {@code
 * abort --rollback}, the sandbox): its events are also recorded in the run's journal (the HTML
 * report is rendered from them), the process ending pauses the run ({@link ExitHook}), and when the
 * execution ends, however, the report is written again. Issue 22: {@code abort --rollback} built
 * its own executor without these, so its rollback steps reached neither {@code events.jsonl} nor
 * the report. {@link Execution} installs it for every execution; a plain {@code abort}, which
 * executes nothing, uses it for the report.
 */
final class Recording implements AutoCloseable {
  private final RunJournal journal;
  private final EventRecorder recorder;
  private final EventSink events;
  private final PrintWriter err;
  private Thread hook;
  private Coordination coordination;

  /**
   * Starts recording the run's events.
   *
   * @param journal the run's journal
   * @param events where the events go besides the journal (the console, the JSON stream)
   * @param err where a report that could not be written is told
   */
  Recording(RunJournal journal, EventSink events, PrintWriter err) {
    this.journal = journal;
    this.recorder = new EventRecorder(journal);
    this.events = EventSink.all(java.util.List.of(events, recorder));
    this.err = err;
  }

  /** The sink the execution reports through: {@code events} and the journal's record. */
  EventSink events() {
    return events;
  }

  /**
   * Installs the shutdown hook: the process ending (SIGTERM, SIGINT, SIGHUP) pauses the run with a
   * reason and marks its leases paused ({@link ExitHook}), and gives the run's coordination up so
   * that resume may follow at once, from any machine.
   *
   * @param next the commands that continue the run
   * @param coordination the run's coordination lease, or null (the file store, a rollback)
   */
  void pauseOnExit(RunExecutor executor, RunExecutor.NextCommands next, Coordination coordination) {
    this.coordination = coordination;
    hook =
        new Thread(
            () -> {
              ExitHook.stopOnExit(executor, journal, next);
              if (coordination != null) {
                coordination.close(); // paused: resume may follow at once, from any machine
              }
            },
            "orchestrator-stop");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Ends the recording, whatever ended the execution: removes the shutdown hook, flushes the
   * recorded events, gives the coordination up and (re)writes the run's HTML report (a report that
   * cannot be written is told on {@code err} with the command that writes it).
   */
  @Override
  public void close() {
    if (hook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is shutting down: the hook runs (or ran) and records the stop.
      }
    }
    recorder.close();
    if (coordination != null) {
      coordination.close();
    }
    try {
      dev.orchestrator.report.HtmlReport.write(journal.store(), journal.runId());
    } catch (IOException e) {
      err.println(
          "orchestrator: the HTML report of run "
              + journal.runId()
              + " could not be written ("
              + e.getMessage()
              + "); try: orchestrator report "
              + journal.runId());
    }
  }
}
