package dev.orchestrator.report;

import dev.orchestrator.common.Echo;
import dev.orchestrator.playbook.MigrationReport;
import dev.orchestrator.playbook.MigrationReport.Item;
import dev.orchestrator.playbook.MigrationReport.Kind;
import dev.orchestrator.playbook.MigrationReport.Support;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code validate PLAYBOOK --ansible-report} as text: a summary line, then every part of the tree,
 * indented by depth, with its support and why ({@code file:line:column} for each), then the modules
 * the tasks use, each with how many tasks and whether we run it. Everything taken from the playbook
 * is printed escaped ({@link Echo#escaped}): a task name cannot move the terminal's cursor.
 */
public final class MigrationReportText {
  private MigrationReportText() {}

  /**
   * Renders a report.
   *
   * @param report the report
   * @return the text, lines ending in {@code \n}
   */
  public static String of(MigrationReport report) {
    StringBuilder out = new StringBuilder();
    Map<Support, Long> counts = report.counts();
    out.append(Echo.escaped(report.playbook().toString()))
        .append(": ")
        .append(count(report, Kind.PLAY, "play"))
        .append(", ")
        .append(count(report, Kind.ROLE, "role"))
        .append(", ")
        .append(count(report, Kind.TASK, "task"))
        .append(", ")
        .append(count(report, Kind.HANDLER, "handler"))
        .append(" — ")
        .append(counts.get(Support.SUPPORTED))
        .append(" supported, ")
        .append(counts.get(Support.MAPPED))
        .append(" mapped, ")
        .append(counts.get(Support.UNSUPPORTED))
        .append(" unsupported\n");
    out.append(
            report.runsUnchanged()
                ? "orchestrator runs it unchanged (mapped parts: see README \"Ansible playbooks\")"
                : "orchestrator refuses it until the unsupported parts are changed")
        .append("\n\n");
    for (Item i : report.items()) {
      out.append("  ".repeat(i.depth()))
          .append(i.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '))
          .append(' ')
          .append(Echo.escaped(i.label()));
      if (!i.module().isEmpty() && !i.module().equals(i.label())) {
        out.append(" (").append(Echo.escaped(i.module())).append(')');
      }
      out.append(" — ").append(i.support().name().toLowerCase(Locale.ROOT));
      if (!i.reason().isEmpty()) {
        out.append(": ").append(Echo.escaped(i.reason()));
      }
      if (!i.where().isEmpty() && !LOCATED.matcher(i.reason()).find()) {
        out.append(" [").append(Echo.escaped(i.where())).append(']');
      }
      out.append('\n');
    }
    Map<String, long[]> modules = new TreeMap<>();
    for (Item i : report.items()) {
      if ((i.kind() == Kind.TASK || i.kind() == Kind.HANDLER) && !i.module().isEmpty()) {
        String name = i.module().replaceFirst("^ansible\\.(builtin|legacy)\\.", "");
        long[] c = modules.computeIfAbsent(name, k -> new long[2]);
        c[i.support() == Support.UNSUPPORTED ? 1 : 0]++;
      }
    }
    if (!modules.isEmpty()) {
      out.append("\nmodules, ansible.builtin.X as X (tasks run / refused):\n");
      modules.forEach(
          (name, c) ->
              out.append("  ")
                  .append(Echo.escaped(name))
                  .append(": ")
                  .append(c[0])
                  .append(" / ")
                  .append(c[1])
                  .append('\n'));
    }
    return out.toString();
  }

  /** A reason that names its own {@code file:line:column} (an error's message). */
  private static final java.util.regex.Pattern LOCATED =
      java.util.regex.Pattern.compile("^.+?:\\d+:\\d+: ");

  private static String count(MigrationReport report, Kind kind, String noun) {
    long n = report.items().stream().filter(i -> i.kind() == kind).count();
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
