package dev.orchestrator.web;

import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlannedBatch;
import dev.orchestrator.plan.PlannedGate;
import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.plan.PlannedStage;
import dev.orchestrator.playbook.Gate;
import dev.orchestrator.state.Checkpoint;
import dev.orchestrator.state.GateState;
import dev.orchestrator.state.RunInfo;
import dev.orchestrator.state.RunState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A run as the API shows it ({@code GET /api/v1/runs/{id}}): plain maps for Jackson, with what the
 * asking user may do. Host variables are never included (they may hold secrets); step messages and
 * names are the stored (redacted) text, escaped by whoever renders them.
 */
final class RunJson {
  /** How pages show a time: {@code 2026-11-24 03:59:05 UTC}. */
  static final java.time.format.DateTimeFormatter SHOWN =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
          .withZone(java.time.ZoneOffset.UTC);

  private RunJson() {}

  /** One line of the runs list. */
  static Map<String, Object> summary(RunInfo info) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", info.id());
    m.put("playbook", info.playbookName());
    m.put("status", info.status().label());
    m.put("reason", info.reason());
    m.put("started_by", info.spec().startedBy());
    m.put("created_at", info.createdAt().toString());
    m.put("updated_at", info.updatedAt().toString());
    m.put("updated", SHOWN.format(info.updatedAt()));
    return m;
  }

  /**
   * The runs list's line of a loaded run, with its progress: the hosts it has started (they have
   * checkpoints) and those whose pipeline is done (a host record {@code done}).
   */
  static Map<String, Object> summary(RunState state) {
    long done =
        state.hostRecords().values().stream()
            .filter(r -> r.state() == dev.orchestrator.state.HostState.DONE)
            .count();
    Map<String, Object> m = summary(state.info());
    m.put("hosts_started", state.checkpoints().size());
    m.put("hosts_done", done);
    return m;
  }

  /**
   * A run in full.
   *
   * @param state the stored run
   * @param plan what is left of it, planned against its checkpoints, or empty with {@code
   *     planError} saying why
   * @param steps the playbook's step ids, in order
   * @param user who asks (the buttons they may use)
   */
  static Map<String, Object> full(
      RunState state,
      Optional<Plan> plan,
      String planError,
      List<String> steps,
      User user,
      boolean actionRunning) {
    RunInfo info = state.info();
    Map<String, Object> m = summary(state);
    m.put("steps", steps);
    Set<String> hostOrder = new LinkedHashSet<>();
    plan.ifPresent(p -> hostOrder.addAll(p.hostOrder()));
    hostOrder.addAll(state.checkpoints().keySet());
    List<Map<String, Object>> hosts = new ArrayList<>();
    for (String h : hostOrder) {
      Map<String, Object> hm = new LinkedHashMap<>();
      hm.put("name", h);
      Map<String, Object> cells = new LinkedHashMap<>();
      for (Checkpoint c : state.checkpoints(h)) {
        Map<String, Object> cell = new LinkedHashMap<>();
        cell.put("status", c.status().name().toLowerCase(Locale.ROOT));
        cell.put("attempt", c.attempt());
        cell.put("exit_code", c.exitCode());
        cell.put("message", c.message());
        cell.put("log", c.logFile());
        cell.put("started_at", String.valueOf(c.startedAt()));
        cell.put("ended_at", c.endedAt() == null ? null : c.endedAt().toString());
        cells.put(c.stepId(), cell);
      }
      hm.put("steps", cells);
      hosts.add(hm);
    }
    m.put("hosts", hosts);
    List<Map<String, Object>> stages = new ArrayList<>();
    List<Map<String, Object>> waiting = new ArrayList<>();
    if (plan.isPresent()) {
      for (PlannedStage s : plan.get().stages()) {
        Map<String, Object> sm = new LinkedHashMap<>();
        sm.put("name", s.stage().name());
        sm.put("gates", gates(s.gatesBefore(), info, user, waiting));
        List<Map<String, Object>> batches = new ArrayList<>();
        for (PlannedBatch b : s.batches()) {
          Map<String, Object> bm = new LinkedHashMap<>();
          bm.put("number", b.number());
          bm.put("hosts", b.hosts().stream().map(PlannedHost::host).map(x -> x.name()).toList());
          bm.put("gates", gates(b.gatesAfter(), info, user, waiting));
          batches.add(bm);
        }
        sm.put("batches", batches);
        stages.add(sm);
      }
    }
    m.put("stages", stages);
    m.put("waiting_approvals", waiting);
    m.put("plan_error", planError);
    boolean paused = info.status() == dev.orchestrator.state.RunStatus.PAUSED;
    boolean ended =
        info.status() == dev.orchestrator.state.RunStatus.SUCCEEDED
            || info.status() == dev.orchestrator.state.RunStatus.ABORTED;
    Map<String, Object> may = new LinkedHashMap<>();
    may.put("approve", waiting.stream().anyMatch(g -> Boolean.TRUE.equals(g.get("may_approve"))));
    may.put("reject", waiting.stream().anyMatch(g -> Boolean.TRUE.equals(g.get("may_reject"))));
    may.put("resume", user.role().mayOperate() && paused && !actionRunning);
    may.put("abort", user.role().mayOperate() && !ended && !actionRunning);
    may.put("rollback", user.role().mayOperate() && !actionRunning);
    m.put("may", may);
    m.put("action_running", actionRunning);
    return m;
  }

  /**
   * An approval's question as the approver reads it: rendered (the gate's record holds it while it
   * waits); else as written when it is no template; never the raw template beside the rendered one.
   */
  static String question(PlannedGate g, Gate.Approval a) {
    if (g.state() == GateState.WAITING && !g.message().isEmpty()) {
      return g.message();
    }
    return a.message().contains("{{") || a.message().contains("{%") ? "" : a.message();
  }

  private static List<Map<String, Object>> gates(
      List<PlannedGate> gates, RunInfo info, User user, List<Map<String, Object>> waiting) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (PlannedGate g : gates) {
      Map<String, Object> gm = new LinkedHashMap<>();
      gm.put("key", g.key());
      gm.put("description", g.gate().describe());
      gm.put("state", g.state().label());
      gm.put("message", g.message());
      if (g.gate() instanceof Gate.Approval a) {
        String question = question(g, a);
        gm.put("description", question.isEmpty() ? "approval" : "approval (" + question + ")");
        gm.put("question", question);
        gm.put("role", a.role().label());
        gm.put("distinct_from_starter", a.distinctFromStarter());
        boolean roleOk = user.role().mayApprove(a.role());
        boolean starter =
            a.distinctFromStarter()
                && dev.orchestrator.app.UserNames.same(user.name(), info.spec().startedBy());
        gm.put("may_approve", roleOk && !starter);
        gm.put("may_reject", roleOk);
        if (roleOk && starter) {
          gm.put(
              "why_not",
              "you started this run; this gate needs another person (distinct_from_starter)");
        } else if (!roleOk) {
          gm.put("why_not", "this gate needs role " + a.role().label() + " (or admin)");
        }
        if (g.state() == GateState.WAITING) {
          waiting.add(gm);
        }
      }
      out.add(gm);
    }
    return out;
  }
}
