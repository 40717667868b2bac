package dev.orchestrator.app;

import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.report.EventSink;
import dev.orchestrator.report.JsonEventRenderer;
import dev.orchestrator.state.RunJournal;

/**
 * Appends the run's events, as JSON lines (the {@code --output json} schema), to its recorded event
 * stream in the state store ({@link RunJournal#appendEvent}). A write failure only stops the
 * recording.
 */
final class EventRecorder implements EventSink, java.io.Closeable {
  private final RunJournal journal;
  private volatile boolean recording = true;

  EventRecorder(RunJournal journal) {
    this.journal = journal;
  }

  @Override
  public void emit(dev.orchestrator.report.Event event) {
    if (!recording) {
      return;
    }
    try {
      journal.appendEvent(JsonEventRenderer.line(event));
    } catch (OrchestratorException e) {
      recording = false; // the report is short of what followed; the journal is what matters
    }
  }

  @Override
  public void close() {
    recording = false;
    try {
      journal.flushEvents();
    } catch (RuntimeException e) {
      // the report is short of the last events; the journal is what matters
    }
  }
}
