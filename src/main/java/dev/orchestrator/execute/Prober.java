package dev.orchestrator.execute;

import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlanOptions;
import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.plan.PlannedStep;
import dev.orchestrator.plan.Planner;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.template.ShellQuote;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.template.TemplateException;
import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.Connector;
import dev.orchestrator.transport.ExecResult;
import dev.orchestrator.transport.TransportException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code plan --check}: connects to each host with work and runs only read-only probes, in step
 * order: the {@code creates} tests ({@code test -e}) and the {@code check:} command of every step
 * that declares one, whose result stands in for the step's registered value so that later {@code
 * when} conditions can be decided. A probe that fails (non-zero exit) predicts that the run pauses
 * the host at that step, with the message the run would show; probing that host stops there, as the
 * run would. Nothing else runs; a step without a probe stays "cannot preview". Probes see the magic
 * variable {@code check_mode} as {@code true} (a real run sees {@code false}, {@link
 * Planner#CHECK_MODE}), so that a step whose command changes the host can declare {@code check:
 * true} and stop, read-only, before the change. The {@code check:} command's read-only nature is
 * the playbook author's promise (README, "Plan").
 */
public final class Prober {
  /** The longest a probe may take: 60 s. */
  public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);

  private final Connector connector;
  private final TemplateEngine templates;
  private final int forks;

  /**
   * Creates a prober.
   *
   * @param connector opens connections
   * @param templates renders probe commands
   * @param forks hosts probed at once
   */
  public Prober(Connector connector, TemplateEngine templates, int forks) {
    this.connector = connector;
    this.templates = templates;
    this.forks = Math.max(1, forks);
  }

  /**
   * Probes every host of the plan that has work.
   *
   * @return host → probe results; a host that cannot be reached is left out (its steps stay "cannot
   *     preview") and named in {@code unreachable}
   */
  public Map<String, PlanOptions.HostProbes> probe(Plan plan, Map<String, String> unreachable) {
    List<PlannedHost> hosts = plan.hosts().filter(PlannedHost::needsWork).toList();
    boolean gatherFacts = plan.playbook().gatherFacts();
    ExecutorService pool = Executors.newFixedThreadPool(forks);
    Map<String, PlanOptions.HostProbes> out = new LinkedHashMap<>();
    try {
      Map<String, Future<PlanOptions.HostProbes>> futures = new LinkedHashMap<>();
      for (PlannedHost h : hosts) {
        futures.put(h.host().name(), pool.submit(() -> probe(h, gatherFacts)));
      }
      for (Map.Entry<String, Future<PlanOptions.HostProbes>> f : futures.entrySet()) {
        try {
          out.put(f.getKey(), f.getValue().get());
        } catch (ExecutionException e) {
          unreachable.put(
              f.getKey(),
              e.getCause() instanceof TransportException
                      || e.getCause() instanceof dev.orchestrator.common.InputException
                  ? e.getCause().getMessage() // e.g. a connection orchestrator does not implement
                  : String.valueOf(e.getCause()));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      pool.shutdownNow();
    }
    return out;
  }

  private PlanOptions.HostProbes probe(PlannedHost host, boolean gatherFacts)
      throws TransportException {
    Map<String, Map<String, Object>> registered = new HashMap<>();
    Map<String, Boolean> paths = new HashMap<>();
    Map<String, String> failed = new HashMap<>();
    Map<String, Object> vars = new LinkedHashMap<>(host.vars());
    vars.put(Planner.CHECK_MODE, true); // the one place a command runs as a probe
    Map<String, Object> facts = Map.of();
    try (Connection c =
        connector.open(host.host().name(), Endpoints.of(host.host().connection()))) {
      if (gatherFacts) {
        facts = FactGatherer.gather(c); // read-only, as the run gathers them
        dev.orchestrator.template.Facts.vars(facts).forEach(vars::putIfAbsent);
      }
      for (PlannedStep ps : host.steps()) {
        vars.putAll(ps.overrides());
        if (!ps.prediction().needsWork() || ps.delegate().isPresent()) {
          // A delegated step's probes would run on its delegate: not probed, it stays undecided.
          continue;
        }
        Step step = ps.step();
        try {
          if (step.when().isPresent() && !templates.evaluate(step.when().get(), vars)) {
            step.register()
                .ifPresent(r -> vars.put(r, dev.orchestrator.template.RegisteredResult.skipped()));
            continue;
          }
          if (step.creates().isPresent()) {
            String path = templates.render(step.creates().get(), vars);
            boolean exists =
                c.exec("test -e " + ShellQuote.quote(path), Optional.of(PROBE_TIMEOUT)).succeeded();
            paths.put(path, exists);
            if (exists) {
              step.register()
                  .ifPresent(
                      r -> vars.put(r, dev.orchestrator.template.RegisteredResult.skipped()));
              continue;
            }
          }
          if (step.traits().check().isPresent()) {
            dev.orchestrator.template.ShellTemplate check =
                templates.renderShell(step.traits().check().get(), vars);
            String command =
                CommandBuilder.build(
                    step,
                    check,
                    Map.of(),
                    step.become() ? Become.of(step, vars, templates) : Become.NOT_USED,
                    false);
            ExecResult result = c.exec(command, Optional.of(PROBE_TIMEOUT));
            if (result.timedOut()) {
              // Undecided: the step and what depends on it stay "cannot preview".
              continue;
            }
            if (!result.succeeded()) {
              failed.put(step.id(), StepAttempt.failureMessage(step, result));
              break;
            }
            if (step.register().isPresent()) {
              Map<String, Object> value = StepAttempt.registered(result, 1);
              registered.put(step.id(), value);
              vars.put(step.register().get(), value);
            }
          }
        } catch (TemplateException | Become.Refused e) {
          // Depends on something no probe provides: this step and what follows from it stay "cannot
          // preview".
        }
      }
    }
    return new PlanOptions.HostProbes(registered, paths, failed, facts);
  }
}
