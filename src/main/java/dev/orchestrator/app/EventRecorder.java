package dev.orchestrator.app;

import dev.orchestrator.report.EventSink;
import dev.orchestrator.report.JsonEventRenderer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Appends the run's events, as JSON lines (the {@code --output json} schema), to {@code
 * events.jsonl} in the run's folder (0600). A write failure only stops the recording.
 */
final class EventRecorder implements EventSink, java.io.Closeable {
  private final PrintStream out;
  private final EventSink json;

  private EventRecorder(PrintStream out) {
    this.out = out;
    this.json = out == null ? e -> {} : new JsonEventRenderer(out);
  }

  static EventRecorder open(Path runDir) {
    Path file = runDir.resolve(dev.orchestrator.report.HtmlReport.EVENTS);
    try {
      dev.orchestrator.state.PrivateFiles.createFile(file);
      return new EventRecorder(
          new PrintStream(
              new java.io.FileOutputStream(file.toFile(), true),
              false,
              java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new EventRecorder(null);
    }
  }

  @Override
  public void emit(dev.orchestrator.report.Event event) {
    json.emit(event);
  }

  @Override
  public void close() {
    if (out != null) {
      out.close();
    }
  }
}
