package dev.orchestrator.report;

import dev.orchestrator.common.Durations;
import dev.orchestrator.common.Echo;
import dev.orchestrator.report.ConsoleColours.Sgr;
import dev.orchestrator.state.GateState;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The console view: one line per event, then a recap like Ansible's {@code PLAY RECAP} (per host ok
 * / changed / skipped / failed and its state) with the run id, wall time and the exact next
 * command. Plain text, safe for logs and pipes; {@link LiveRenderer} uses the same lines above its
 * live status area.
 */
public final class ConsoleRenderer implements EventSink {
  private final java.io.PrintWriter out;
  private final boolean stepLines;
  private final boolean colour;
  private final java.util.List<String> hostOrder = new java.util.ArrayList<>();
  private final Map<String, int[]> counts = new LinkedHashMap<>();
  private final Map<String, HostEnd> hostStates = new LinkedHashMap<>();
  private final Map<String, Long> progressShown = new java.util.HashMap<>();
  private final java.util.List<String> warnings = new java.util.ArrayList<>();
  private StringBuilder text = new StringBuilder();

  /** How a host finished: its state and, when paused, the step it waits at. */
  private record HostEnd(HostFinishState state, String step) {
    /** The recap's words: {@code done}, {@code paused at STEP}, {@code unreachable}, ... */
    String describe() {
      return state == HostFinishState.PAUSED ? "paused at " + step : state.label();
    }
  }

  /**
   * An event's message as the terminal shows it: control characters escaped ({@link Echo#escaped}),
   * since a message may carry a host's output (a failed step's last line, a template error naming a
   * registered value) that must not move the cursor or forge a line.
   */
  static String shown(String message) {
    return Echo.escaped(message);
  }

  /**
   * Text this renderer made itself (our colours around an escaped value): {@link #print} passes it
   * as it is, where it escapes every plain {@code String} argument.
   */
  private record Own(String text) {
    @Override
    public String toString() {
      return text;
    }
  }

  /**
   * Adds formatted text to what the current event prints. Every {@code String} argument is a value
   * from a playbook, an inventory or a host (a stage, step or host name, a message) and is escaped
   * ({@link Echo#escaped}): a play named {@code "\e]0;TITLE\a"} cannot retitle the terminal or
   * clear it. Our own colours reach the terminal as {@link Own} text.
   */
  private void print(String format, Object... args) {
    Object[] shown = args.clone();
    for (int i = 0; i < shown.length; i++) {
      if (shown[i] instanceof String s) {
        shown[i] = Echo.escaped(s);
      }
    }
    text.append(String.format(format, shown));
  }

  /** Creates a renderer writing to {@code out}, a line per step, without colours. */
  public ConsoleRenderer(PrintStream out) {
    this(utf8(out), true, false);
  }

  /** A writer over a stream, encoding as UTF-8 (as the streams given to the renderers do). */
  static java.io.PrintWriter utf8(PrintStream out) {
    return new java.io.PrintWriter(
        new java.io.OutputStreamWriter(out, java.nio.charset.StandardCharsets.UTF_8), true);
  }

  /**
   * Creates a renderer writing to {@code out}, a line per step.
   *
   * @param out where to write
   * @param colour whether to use ANSI colours (see {@link ConsoleColours})
   * @return the renderer
   */
  public static ConsoleRenderer plain(PrintStream out, boolean colour) {
    return new ConsoleRenderer(utf8(out), true, colour);
  }

  /**
   * Creates a renderer writing to {@code out}, a line per step.
   *
   * @param out where to write (the caller's writer, e.g. picocli's {@code getOut()})
   * @param colour whether to use ANSI colours (see {@link ConsoleColours})
   * @return the renderer
   */
  public static ConsoleRenderer plain(java.io.PrintWriter out, boolean colour) {
    return new ConsoleRenderer(out, true, colour);
  }

  /**
   * Creates a renderer.
   *
   * @param out where to write; null when only {@link #format} is used
   * @param stepLines whether each finished step gets a line (the live view shows them in its status
   *     area instead, and prints only failures, warnings and milestones)
   * @param colour whether to use ANSI colours
   */
  ConsoleRenderer(java.io.PrintWriter out, boolean stepLines, boolean colour) {
    this.out = out;
    this.stepLines = stepLines;
    this.colour = colour;
  }

  /** The text, escaped, in our colour. */
  private Own paint(Sgr sgr, String text) {
    return new Own(sgr.paint(colour, Echo.escaped(text)));
  }

  @Override
  public synchronized void emit(Event event) {
    String t = format(event);
    if (!t.isEmpty()) {
      out.print(t); // one write per event
      out.flush();
    }
  }

  /** The text an event prints (possibly several lines, possibly none); updates the recap counts. */
  synchronized String format(Event event) {
    text = new StringBuilder();
    render(event);
    return text.toString();
  }

  private void render(Event event) {
    if (event instanceof Event.RunStarted e) {
      e.hostNames().stream().filter(h -> !hostOrder.contains(h)).forEach(hostOrder::add);
      print(
          "%s run %s (%s): %d host(s)%n",
          e.rollback() ? "rolling back" : e.resumed() ? "resuming" : "starting",
          e.runId(),
          e.playbook(),
          e.hosts());
    } else if (event instanceof Event.StageStarted e) {
      print(
          "%n%s%n",
          paint(
              Sgr.BOLD,
              String.format(
                  "== stage %s: %d host(s) in %d batch(es)", e.stage(), e.hosts(), e.batches())));
    } else if (event instanceof Event.BatchStarted e) {
      String idle =
          e.working().isEmpty()
              ? " (nothing to do)"
              : e.working().size() < e.hosts().size()
                  ? " (" + e.working().size() + " with steps to run)"
                  : "";
      print("-- batch %d/%d: %s%s%n", e.batch(), e.of(), String.join(", ", e.hosts()), idle);
    } else if (event instanceof Event.StepStarted e) {
      if (e.attempt() > 1) {
        print("[%s] %s: attempt %d%n", e.host(), e.step(), e.attempt());
      }
    } else if (event instanceof Event.StepFinished e) {
      stepFinished(e);
    } else if (event instanceof Event.HostFinished e) {
      hostStates.put(e.host(), new HostEnd(e.state(), e.step()));
      if (e.state() != HostFinishState.DONE) {
        print(
            "[%s] %s%s: %s%n",
            e.host(),
            paint(Sgr.RED, e.state().label().toUpperCase(java.util.Locale.ROOT)),
            e.step().isEmpty() ? "" : " at step " + e.step(),
            shown(e.message()));
      }
    } else if (event instanceof Event.ArtifactProgress e) {
      print(
          "   artifact %s: %s%s%n",
          e.artifact(),
          bytes(e.bytes()),
          e.total() > 0
              ? " of " + bytes(e.total()) + " (" + (e.bytes() * 100 / e.total()) + "%)"
              : "");
    } else if (event instanceof Event.ArtifactReady e) {
      print(
          "   artifact %s: %s, %s, sha256 %s%s%n",
          e.artifact(),
          e.url(),
          bytes(e.bytes()),
          e.sha256(),
          e.cached() ? " (cached)" : ", verified");
    } else if (event instanceof Event.StepOutput e) {
      output(e);
    } else if (event instanceof Event.StepWarning e) {
      warnings.add("[" + e.host() + "] " + e.step() + ": " + shown(e.message()));
      print(
          "[%s] %s  %-24s %s%n",
          e.host(), paint(Sgr.MAGENTA, "WARNING"), e.step(), shown(e.message()));
    } else if (event instanceof Event.GateEvaluated e) {
      print(
          "%s gate %s: %s — %s%s%n",
          e.state() == GateState.FAILED
                  || (e.state() == GateState.WAITING && e.description().startsWith("approval"))
              ? paint(e.state() == GateState.FAILED ? Sgr.RED : Sgr.YELLOW, "!!")
              : "..",
          e.gate(),
          e.description(),
          paint(
              switch (e.state()) {
                case FAILED, REJECTED -> Sgr.RED;
                case WAITING, PENDING -> Sgr.YELLOW;
                case PASSED, APPROVED -> Sgr.GREEN;
              },
              e.state().label()),
          e.message().isEmpty() ? "" : ": " + shown(e.message()));
    } else if (event instanceof Event.OperatorAction e) {
      print(
          "%s %s by %s%s%n",
          paint(Sgr.BOLD, "~"),
          e.action(),
          e.by(),
          e.detail().isEmpty() ? "" : ": " + shown(e.detail()));
    } else if (event instanceof Event.RolloutPaused e) {
      print(
          "%n%s %s: %s%n",
          paint(Sgr.RED, "!! rollout paused"),
          e.batch() == 0
              ? "before stage " + e.stage()
              : "after stage " + e.stage() + ", batch " + e.batch(),
          shown(e.reason()));
    } else if (event instanceof Event.StepProgress e) {
      // one line per quarter of the way, so that a log is not flooded
      long quarter = e.total() > 0 ? Math.min(4, e.done() * 4 / e.total()) : -1;
      String key = e.host() + "\u0000" + e.step();
      if (stepLines && quarter > progressShown.getOrDefault(key, 0L)) {
        progressShown.put(key, quarter);
        print(
            "[%s] progress %-24s %s%s%n",
            e.host(), e.step(), progress(e), e.message().isEmpty() ? "" : " " + shown(e.message()));
      }
    } else if (event instanceof Event.RunFinished e) {
      recap(e);
    }
  }

  /** {@code 3/10} or {@code 1.5 MiB of 12.0 MiB (12%)}. */
  static String progress(Event.StepProgress e) {
    if (e.unit() == ProgressUnit.BYTES) {
      return bytes(e.done())
          + (e.total() > 0
              ? " of " + bytes(e.total()) + " (" + (e.done() * 100 / e.total()) + "%)"
              : "");
    }
    return e.total() == 100 ? e.done() + "%" : e.done() + "/" + e.total();
  }

  private void stepFinished(Event.StepFinished e) {
    int[] c = counts.computeIfAbsent(e.host(), h -> new int[5]);
    String time = Durations.format(e.duration());
    switch (e.status()) {
      case SUCCEEDED -> {
        c[0]++;
        if (e.changed()) {
          c[3]++;
        }
        if (stepLines) {
          print(
              "[%s] %s  %-24s %s%n",
              e.host(),
              e.changed()
                  ? paint(Sgr.YELLOW, "changed")
                  : new Own(paint(Sgr.GREEN, "ok") + "     "),
              e.step(),
              time);
        }
      }
      case SKIPPED -> {
        c[1]++;
        if (stepLines) {
          print(
              "[%s] %s  %-24s %s%n",
              e.host(), paint(Sgr.CYAN, "skipped"), e.step(), shown(e.message()));
        }
      }
      case IGNORED -> {
        // as Ansible's recap: counted in ok and in ignored
        c[0]++;
        c[4]++;
        print(
            "[%s] %s  %-24s %s %s: %s%n",
            e.host(), paint(Sgr.MAGENTA, "ignored"), e.step(), exit(e), time, shown(e.message()));
      }
      case RETRYING ->
          print(
              "[%s] %s    %-24s %s; %s%n",
              e.host(), paint(Sgr.YELLOW, "retry"), e.step(), exit(e), shown(e.message()));
      case FAILED, LOST, IN_DOUBT -> {
        c[2]++;
        print(
            "[%s] %s   %-24s %s %s: %s%n",
            e.host(), paint(Sgr.RED, "FAILED"), e.step(), exit(e), time, shown(e.message()));
        if (!e.logFile().isEmpty()) {
          print("[%s]          full output: %s%n", e.host(), e.logFile());
        }
      }
    }
  }

  /** {@code name=N} padded to a column, coloured when N is worth noticing. */
  private Own count(Sgr sgr, String name, int n) {
    String text = name + "=" + n;
    String pad = " ".repeat(Math.max(0, name.length() + 4 - text.length()));
    return new Own((sgr == null ? text : paint(sgr, text)) + pad);
  }

  static String bytes(long n) {
    return n >= 1 << 20
        ? String.format("%.1f MiB", n / 1048576.0)
        : n >= 1024 ? String.format("%.1f KiB", n / 1024.0) : n + " B";
  }

  private static String exit(Event.StepFinished e) {
    return e.exitCode() == null ? "no exit code" : "exit " + e.exitCode();
  }

  /** The hosts the recap lists, in inventory order (then any the run did not announce). */
  java.util.List<String> recapOrder() {
    java.util.List<String> order = new java.util.ArrayList<>();
    hostOrder.stream().filter(hostStates::containsKey).forEach(order::add);
    hostStates.keySet().stream().filter(h -> !order.contains(h)).forEach(order::add);
    return order;
  }

  private void recap(Event.RunFinished e) {
    print("%nRECAP %s%n", e.runId());
    int width = hostStates.keySet().stream().mapToInt(String::length).max().orElse(4);
    for (String host : recapOrder()) {
      HostEnd state = hostStates.get(host);
      int[] c = counts.getOrDefault(host, new int[5]);
      print(
          "  %s  %s %s %s %s %s%s%n",
          paint(
              state.state() == HostFinishState.DONE ? Sgr.GREEN : Sgr.RED,
              String.format("%-" + width + "s", host)),
          count(c[0] > 0 ? Sgr.GREEN : null, "ok", c[0]),
          count(c[3] > 0 ? Sgr.YELLOW : null, "changed", c[3]),
          count(c[1] > 0 ? Sgr.CYAN : null, "skipped", c[1]),
          count(c[2] > 0 ? Sgr.RED : null, "failed", c[2]),
          // Ansible's ignored=, shown only when a failure was ignored
          c[4] > 0 ? new Own(count(Sgr.MAGENTA, "ignored", c[4]) + " ") : "",
          state.describe());
    }
    if (!warnings.isEmpty()) {
      print("%nwarnings:%n");
      warnings.forEach(w -> print("  %s%n", w));
    }
    print(
        "%nrun %s %s in %s%s%n",
        e.runId(),
        paint(
            switch (e.status()) {
              case SUCCEEDED -> Sgr.GREEN;
              case PAUSED, RUNNING -> Sgr.YELLOW;
              case ABORTED -> Sgr.RED;
            },
            e.status().label()),
        Durations.format(e.wall()),
        e.reason().isEmpty() ? "" : ": " + shown(e.reason()));
    if (!e.nextCommand().isEmpty()) {
      print("next: %s%n", e.nextCommand());
    }
  }

  /** A step's output under its line ({@code -v}), each line escaped as every host text is. */
  private void output(Event.StepOutput e) {
    for (String[] stream : new String[][] {{"stdout", e.stdout()}, {"stderr", e.stderr()}}) {
      stream[1].lines().forEach(l -> print("[%s]   %s | %s%n", e.host(), stream[0], shown(l)));
    }
  }
}
