package dev.orchestrator.report;

import dev.orchestrator.common.Durations;
import dev.orchestrator.common.Echo;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.jline.utils.InfoCmp;

/**
 * The live console view for a terminal (JLine): milestones, failures and warnings scroll by as
 * lines (those of {@link ConsoleRenderer}, without a line per finished step), and below them a
 * status area, redrawn at most ten times a second, shows the current stage and batch with a bar of
 * its hosts done / running / paused / failed, then one line per running host with the step it is
 * on, its elapsed time and the step's own progress ({@code ::progress} lines, upload bytes) — up to
 * a screenful, then a summary line. The recap is printed at the end as in the plain view. Colours
 * as {@link ConsoleColours} decides.
 */
public final class LiveRenderer implements EventSink, AutoCloseable {
  /** The least time between two redraws: 100 ms. */
  static final long REDRAW_MS = 100;

  private final Terminal terminal;
  private int drawn; // lines of the status area on the screen; the cursor is at the end of the last
  private final boolean color;
  private final ConsoleRenderer lines;
  private final ScheduledExecutorService redraws;

  private String stage = "";
  private int batch;
  private int batches;
  private final Set<String> batchHosts = new LinkedHashSet<>();
  private final Map<String, Tally> finished = new LinkedHashMap<>();
  private final Map<String, Running> running = new LinkedHashMap<>();
  private final Map<String, StepOutcome> lastStatus = new java.util.HashMap<>();
  private String waiting = "";
  private boolean dirty;
  private boolean closed;

  /** Where a finished host of the batch counts in the bar. */
  private enum Tally {
    DONE,
    PAUSED,
    FAILED
  }

  /** A host working on a step. */
  private static final class Running {
    String step;
    Instant since;
    String progress = "";
    long done;
    long total;

    Running(String step, Instant since) {
      this.step = step;
      this.since = since;
    }
  }

  /** Creates the view on {@code terminal} (tests pass a dumb terminal over a buffer). */
  LiveRenderer(Terminal terminal, boolean color) {
    this.terminal = terminal;
    this.color = color;
    this.lines = new ConsoleRenderer(null, false, color);
    redraws =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "live-view");
              t.setDaemon(true);
              return t;
            });
    redraws.scheduleWithFixedDelay(
        this::redrawIfDirty, REDRAW_MS, REDRAW_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * Opens the live view on the process's terminal.
   *
   * @param color whether to use colours ({@link ConsoleColours#forStdout()})
   * @return the view, or empty when there is no usable terminal (output redirected, {@code
   *     TERM=dumb}): use the plain {@link ConsoleRenderer} then
   */
  public static Optional<LiveRenderer> open(boolean color) {
    if (System.console() == null || "dumb".equals(System.getenv("TERM"))) {
      return Optional.empty();
    }
    try {
      Terminal t = TerminalBuilder.builder().system(true).dumb(false).build();
      if (Terminal.TYPE_DUMB.equals(t.getType()) || t.getSize().getColumns() < 20) {
        t.close();
        return Optional.empty();
      }
      return Optional.of(new LiveRenderer(t, color));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  public synchronized void emit(Event event) {
    if (closed) {
      return;
    }
    apply(event);
    String text = lines.format(event);
    if (!text.isEmpty()) {
      above(text);
    }
    if (event instanceof Event.RunFinished) {
      close();
    } else {
      dirty = true;
    }
  }

  private void apply(Event event) {
    if (event instanceof Event.StageStarted e) {
      stage = e.stage();
      batch = 0;
      batches = e.batches();
      waiting = "";
    } else if (event instanceof Event.BatchStarted e) {
      batch = e.batch();
      batches = e.of();
      batchHosts.clear();
      batchHosts.addAll(e.hosts());
      finished.clear();
      running.clear();
      e.hosts().stream()
          .filter(h -> !e.working().contains(h))
          .forEach(h -> finished.put(h, Tally.DONE));
      waiting = "";
    } else if (event instanceof Event.StepStarted e) {
      running.put(e.host(), new Running(e.step(), e.at()));
    } else if (event instanceof Event.StepProgress e) {
      Running r = running.get(e.host());
      if (r != null && r.step.equals(e.step())) {
        r.done = e.done();
        r.total = e.total();
        r.progress =
            ConsoleRenderer.progress(e)
                + (e.message().isEmpty() ? "" : " " + ConsoleRenderer.shown(e.message()));
      }
    } else if (event instanceof Event.StepFinished e) {
      lastStatus.put(e.host(), e.status());
      Running r = running.get(e.host());
      if (r != null && r.step.equals(e.step())) {
        r.progress = "";
        r.total = 0;
      }
    } else if (event instanceof Event.HostFinished e) {
      running.remove(e.host());
      if (!batchHosts.contains(e.host())) {
        return; // a host of an earlier batch finishing its deferred steps
      }
      Tally state =
          switch (e.state()) {
            case DONE -> Tally.DONE;
            case PAUSED ->
                lastStatus.get(e.host()) == StepOutcome.FAILED ? Tally.FAILED : Tally.PAUSED;
            case UNREACHABLE, REFUSED -> Tally.FAILED;
          };
      finished.put(e.host(), state);
    } else if (event instanceof Event.GateEvaluated e) {
      waiting =
          e.state() == dev.orchestrator.state.GateState.WAITING
              ? "gate " + e.gate() + ": " + e.description()
              : "";
    }
  }

  /** Prints text above the status area, which is then drawn again below it. */
  private void above(String text) {
    clearStatus();
    terminal.writer().print(text);
    terminal.writer().flush();
    dirty = true;
  }

  /** Erases the status area: back to its first line, then clear to the end of the screen. */
  private void clearStatus() {
    if (drawn == 0) {
      return;
    }
    terminal.puts(InfoCmp.Capability.carriage_return);
    for (int i = 1; i < drawn; i++) {
      terminal.puts(InfoCmp.Capability.cursor_up);
    }
    terminal.puts(InfoCmp.Capability.clr_eos);
    drawn = 0;
  }

  /** Draws the status area where the cursor is (at the start of a line), shorter than the width. */
  private void drawStatus(List<AttributedString> lines) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      b.append(lines.get(i).toAnsi(terminal));
      if (i < lines.size() - 1) {
        b.append('\n');
      }
    }
    terminal.writer().print(b);
    drawn = lines.size();
  }

  private synchronized void redrawIfDirty() {
    if (closed || !dirty) {
      return;
    }
    dirty = false;
    Size size = terminal.getSize();
    int rows = Math.max(3, size.getRows());
    int cols = Math.max(20, size.getColumns());
    // one column short of the width, so that no line wraps and the line count stays exact
    List<AttributedString> status = status(rows - 2, cols - 1);
    clearStatus();
    drawStatus(status);
    terminal.flush();
  }

  /** The status area: at most {@code maxLines} lines of at most {@code cols} columns. */
  List<AttributedString> status(int maxLines, int cols) {
    List<AttributedString> out = new ArrayList<>();
    if (batch == 0) {
      return out;
    }
    int total = batchHosts.size();
    long done = finished.values().stream().filter(Tally.DONE::equals).count();
    long paused = finished.values().stream().filter(Tally.PAUSED::equals).count();
    long failed = finished.values().stream().filter(Tally.FAILED::equals).count();
    // hosts of earlier batches may still run their deferred steps: listed below, not in the bar
    int run = (int) running.keySet().stream().filter(batchHosts::contains).count();
    AttributedStringBuilder head = new AttributedStringBuilder();
    head.append("stage ", AttributedStyle.DEFAULT)
        .append(Echo.escaped(stage), bold())
        .append(String.format("  batch %d/%d  ", batch, batches));
    int barWidth = Math.max(10, Math.min(40, cols / 3));
    bar(head, barWidth, total, done, run, paused, failed);
    head.append(String.format("  %d/%d done", done, total));
    if (run > 0) {
      head.append(String.format(" · %d running", run), style(AttributedStyle.CYAN));
    }
    if (paused > 0) {
      head.append(String.format(" · %d paused", paused), style(AttributedStyle.YELLOW));
    }
    if (failed > 0) {
      head.append(String.format(" · %d failed", failed), style(AttributedStyle.RED));
    }
    out.add(head.toAttributedString().columnSubSequence(0, cols));
    if (!waiting.isEmpty() && run == 0) {
      out.add(new AttributedString("waiting: " + Echo.escaped(waiting)).columnSubSequence(0, cols));
    }
    int room = Math.max(0, maxLines - out.size());
    int shown = 0;
    Instant now = Instant.now();
    int width = running.keySet().stream().mapToInt(String::length).max().orElse(4);
    for (Map.Entry<String, Running> e : running.entrySet()) {
      if (shown == room - 1 && running.size() > room) {
        out.add(
            new AttributedString(String.format("  … and %d more running", running.size() - shown)));
        break;
      }
      Running r = e.getValue();
      AttributedStringBuilder line = new AttributedStringBuilder();
      line.append(
          String.format("  %-" + width + "s  ", Echo.escaped(e.getKey())),
          style(AttributedStyle.CYAN));
      line.append(
          String.format(
              "%-24s %6s", Echo.escaped(r.step), Durations.format(Duration.between(r.since, now))));
      if (r.total > 0) {
        line.append("  ");
        bar(line, 12, r.total, Math.min(r.done, r.total), 0, 0, 0);
      }
      if (!r.progress.isEmpty()) {
        line.append("  " + r.progress);
      }
      out.add(line.toAttributedString().columnSubSequence(0, cols));
      shown++;
      if (shown >= room) {
        break;
      }
    }
    return out;
  }

  /** A bar: done (green), running (cyan), paused (yellow), failed (red), then what remains. */
  private void bar(
      AttributedStringBuilder b,
      int width,
      long total,
      long done,
      long running,
      long paused,
      long failed) {
    b.append("[");
    long t = Math.max(1, total);
    int d = (int) (done * width / t);
    int f = (int) (failed * width / t);
    int p = (int) (paused * width / t);
    int r = (int) Math.min(width - d - f - p, running * width / t);
    b.append("#".repeat(d), style(AttributedStyle.GREEN));
    b.append(">".repeat(Math.max(0, r)), style(AttributedStyle.CYAN));
    b.append("!".repeat(p), style(AttributedStyle.YELLOW));
    b.append("x".repeat(f), style(AttributedStyle.RED));
    b.append(".".repeat(Math.max(0, width - d - f - p - Math.max(0, r))));
    b.append("]");
  }

  private AttributedStyle style(int colour) {
    return color ? AttributedStyle.DEFAULT.foreground(colour) : AttributedStyle.DEFAULT;
  }

  private AttributedStyle bold() {
    return color ? AttributedStyle.BOLD : AttributedStyle.DEFAULT;
  }

  /** Removes the status area and gives the terminal back; the recap stays. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    redraws.shutdownNow();
    clearStatus();
    terminal.flush();
    try {
      terminal.close();
    } catch (IOException e) {
      // the terminal is going away with the process
    }
  }
}
