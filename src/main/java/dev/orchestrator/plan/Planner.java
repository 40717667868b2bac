package dev.orchestrator.plan;

import dev.orchestrator.common.InputException;
import dev.orchestrator.inventory.Host;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.template.TemplateEngine;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the {@link Plan}: pure, no I/O. Selects each stage's hosts (a host belongs to the first
 * stage that selects it), splits them into batches, places the gates, and predicts every step from
 * the run's checkpoints, the known variables, the operator's selection (tags, expensive steps) and
 * any probe results. Templates are rendered here, so an undefined variable is reported before
 * anything runs. {@code plan} prints this object and {@code run} executes it: one code path.
 *
 * <p>It coordinates one class per concern: {@link Batches} (stages, batches, gates), {@link
 * TagSelection}, {@link Hops}, {@link Predictor} (a host's steps), {@link RollbackPlanning} and
 * {@link GateTemplateChecks}; all render with the one template engine given here, so their errors
 * mask the run's secrets alike.
 *
 * <p>Variable precedence, lowest first: playbook {@code vars} (defaults), inventory vars (group,
 * then host), extra vars ({@code -e}), then values registered by earlier steps. Magic vars: {@code
 * inventory_hostname}, {@code inventory_hostname_short}, {@code group_names}, {@code run_id},
 * {@code check_mode} (see {@link #CHECK_MODE}), and those of {@link MagicVars} ({@code groups},
 * {@code hostvars}, {@code ansible_play_hosts}, {@code ansible_play_batch}, ...).
 */
public final class Planner {
  /**
   * The magic variable that tells a command whether it runs as a {@code plan --check} probe ({@code
   * true}, set by the prober) or for real ({@code false}, set here for every run, resume, rollback
   * and health-gate shell): as Ansible's {@code ansible_check_mode}. A step with {@code check:
   * true} uses it to stop, read-only, before the part that changes the host. It is a value, not
   * template text, so it never changes a step's {@link
   * dev.orchestrator.playbook.Step#definitionHash() definition hash}.
   */
  public static final String CHECK_MODE = "check_mode";

  private final Hops hops;
  private final Predictor predictor;
  private final RollbackPlanning rollback;
  private final GateTemplateChecks gates;
  private final Delegates delegates;

  /** Creates a planner using the given template engine. */
  public Planner(TemplateEngine templates) {
    this.hops = new Hops(templates);
    this.predictor = new Predictor(templates);
    this.delegates = new Delegates(templates);
    this.rollback = new RollbackPlanning(predictor, delegates);
    this.gates = new GateTemplateChecks(templates);
  }

  /**
   * Plans a run.
   *
   * @param given the playbook, inventory, extra vars, limit, run id, the run's checkpoints when
   *     resuming or planning against a run, and the options: tags, expensive steps, reruns, probe
   *     results and host scope ({@code --retry-failed} holds back the hosts that did not fail in
   *     the run's state)
   * @return the plan
   * @throws InputException on an empty host selection or an undefined variable, or {@code
   *     --retry-failed} without a run
   */
  public Plan plan(PlanInput given) {
    TagSelection.check(given.playbook(), given.options());
    PlanInput input = StartAtTask.resolve(given);
    MagicVars.Shared shared = MagicVars.shared(input);
    Batches.Selected selected =
        input.playbook().plays().isEmpty()
            ? Batches.plan(input, (h, play) -> planHost(input, h, shared, play, List.of()))
            : PlaysPlanning.plan(
                input, (in, h, play, earlier) -> planHost(in, h, shared, play, earlier));
    gates.check(input.playbook(), selected.stages(), input.extraVars(), input.runId());
    Plan plan =
        new Plan(
            input.playbook(),
            input.state().map(s -> s.info().id()),
            selected.stages(),
            selected.hostOrder());
    return input.options().scope() == PlanOptions.Scope.FAILED_HOSTS_ONLY
        ? RetryFailed.holdBack(plan, input.state().orElseThrow(RetryFailed::needsARun))
        : plan;
  }

  /**
   * Plans one host of a run as {@link #plan} would (the first stage whose pattern selects it,
   * within the limit), without planning the others: a controller that claims hosts of a shared
   * batch one at a time plans each against the run's checkpoints of the moment (issue 15), and a
   * plan of the whole inventory per claim made a batch of H hosts cost H whole plans.
   *
   * @param given as for {@link #plan}
   * @param host the inventory host
   * @return the host as {@link #plan} plans it; empty when no stage selects it within the limit
   * @throws InputException as {@link #plan} for bad tags, a limit that matches nothing or a stage
   *     pattern that cannot be read
   */
  public Optional<PlannedHost> planHost(PlanInput given, String host) {
    TagSelection.check(given.playbook(), given.options());
    PlanInput input = StartAtTask.resolve(given);
    if (!input.playbook().plays().isEmpty()) {
      throw new InputException(
          input.playbook().file()
              + " has "
              + input.playbook().plays().size()
              + " plays: a run shared by several controllers (the PostgreSQL store) runs"
              + " playbooks of one play for now",
          "run it with the file store (one controller), or split the plays into playbooks of one"
              + " play each");
    }
    return Batches.selected(input, host)
        .map(seat -> planHost(input, seat.host(), MagicVars.shared(input), seat.play(), List.of()));
  }

  /**
   * Plans {@code abort --rollback}: one stage, one batch, over every host that got past the step
   * marked {@code rollback_from: true} (or, without a mark, started any step): a step at or after
   * the mark succeeded, failed or was interrupted. Its steps are the playbook's rollback steps,
   * with the values the pipeline registered on that host.
   *
   * @param input the playbook, inventory, extra vars, run id and the run's state (required); its
   *     limit and options do not apply
   * @throws InputException when the playbook has no rollback steps
   * @throws IllegalArgumentException when {@code input} has no run state
   */
  public Plan planRollback(PlanInput input) {
    return rollback.plan(input);
  }

  /**
   * Returns the template variables of a host before any step ran, with the magic vars; {@value
   * #CHECK_MODE} is {@code false} (a real run). Lowest first: the roles' defaults, the playbook's
   * {@code vars}, the host's inventory vars, {@code vars_files}, the roles' vars, {@code -e}; what
   * applies to some steps only (a role's own values, a step file's {@code vars:}) is in their
   * overrides ({@link ScopedVars}).
   */
  public static Map<String, Object> hostVars(
      Playbook playbook, Host host, Map<String, ?> extraVars, String runId) {
    Map<String, Object> vars = playbook.varsBelowInventory();
    vars.putAll(host.vars());
    vars.putAll(playbook.varsAboveInventory(extraVars));
    vars.putAll(extraVars);
    vars.put("inventory_hostname", host.name());
    vars.put("inventory_hostname_short", host.name().split("\\.", 2)[0]);
    vars.put("run_id", runId);
    vars.put("group_names", host.groups().stream().filter(g -> !g.equals("all")).toList());
    vars.put(CHECK_MODE, false);
    return vars;
  }

  /**
   * Plans one host's pipeline (its hops, its steps, its rollback on failure).
   *
   * @param earlier the steps of the plays before this one ({@link PlaysPlanning}), or none
   */
  private PlannedHost planHost(
      PlanInput input,
      Host host,
      MagicVars.Shared shared,
      MagicVars.Play play,
      List<dev.orchestrator.playbook.Step> earlier) {
    Playbook playbook = input.playbook();
    Map<String, Object> vars =
        MagicVars.add(hostVars(playbook, host, input.extraVars(), input.runId()), shared, play);
    java.util.Set<String> facts =
        new java.util.HashSet<>(PlaysPlanning.layEarlier(earlier, input, host.name(), vars));
    facts.addAll(FactsPlanning.add(playbook, input.options().probes().get(host.name()), vars));
    PlannedHost planned =
        HandlerPlanning.predict(
            BlockPlanning.apply(
                predictor.plan(
                    BlockPlanning.placeholders(
                        HandlerPlanning.place(
                            playbook,
                            ScopedVars.apply(
                                playbook,
                                hops.instances(playbook, vars, host),
                                host,
                                input.extraVars()))),
                    host,
                    vars,
                    input.state(),
                    input.options()),
                input.state(),
                input.options().probes().containsKey(host.name())),
            input.state());
    return RunOnce.place(
        FactsPlanning.strip(
            delegates.resolve(
                RollbackPlanning.withRollbackOnFailure(playbook, planned, input.state()),
                playbook,
                input.inventory()),
            facts),
        input.state());
  }
}
