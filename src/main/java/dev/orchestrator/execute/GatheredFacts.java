package dev.orchestrator.execute;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The facts gathered in one execution, by host: the one place that says whether a run gathers
 * facts, and the seam through which {@code hostvars[HOST].ansible_*} reads the facts of hosts
 * already gathered (Ansible's {@code hostvars} holds a host's facts once gathered). Facts are never
 * kept in the run's checkpoints: every pipeline start (a run, each resume, the deferred phase)
 * gathers them again, so a resume never acts on facts from before the pause.
 */
public final class GatheredFacts {
  private final boolean gather;
  private final Map<String, Map<String, Object>> byHost = new ConcurrentHashMap<>();
  private final java.util.List<java.util.List<dev.orchestrator.playbook.Step>> plays;

  /** Whether pipelines gather facts ({@code gather_facts}). */
  public GatheredFacts(boolean gather) {
    this(gather, java.util.List.of());
  }

  private GatheredFacts(
      boolean gather, java.util.List<java.util.List<dev.orchestrator.playbook.Step>> plays) {
    this.gather = gather;
    this.plays = java.util.List.copyOf(plays);
  }

  /**
   * The facts of a run of {@code plan}: gathered when its playbook says so; with the steps of each
   * of its plays when it has several ({@link #stepsBefore}).
   */
  public static GatheredFacts of(dev.orchestrator.plan.Plan plan) {
    return new GatheredFacts(
        plan.playbook().gatherFacts(),
        plan.playbook().plays().stream().map(dev.orchestrator.playbook.Playbook::steps).toList());
  }

  /**
   * Returns the steps of the plays before the one {@code planned} runs, in order: what they
   * registered and set on a host stays its for the whole playbook, as Ansible keeps it ({@link
   * RunHostVars}); empty for a playbook of one play.
   */
  java.util.List<dev.orchestrator.playbook.Step> stepsBefore(
      dev.orchestrator.plan.PlannedHost planned) {
    if (plays.isEmpty() || planned.steps().isEmpty()) {
      return java.util.List.of();
    }
    String first = planned.steps().get(0).step().baseId();
    java.util.List<dev.orchestrator.playbook.Step> out = new java.util.ArrayList<>();
    for (java.util.List<dev.orchestrator.playbook.Step> play : plays) {
      if (play.stream().anyMatch(s -> s.id().equals(first))) {
        return out;
      }
      out.addAll(play);
    }
    return java.util.List.of();
  }

  /** A run that gathers no facts. */
  public static GatheredFacts none() {
    return new GatheredFacts(false);
  }

  /** Returns whether pipelines gather facts. */
  public boolean gather() {
    return gather;
  }

  /** Records a host's facts as just gathered (fact name without prefix → value). */
  void record(String host, Map<String, Object> facts) {
    byHost.put(host, Map.copyOf(facts));
  }

  /**
   * Returns the facts gathered on a host in this execution (names without the {@code ansible_}
   * prefix; {@link dev.orchestrator.template.Facts#vars} gives the template variables), or empty
   * when the host was not gathered yet.
   */
  public Optional<Map<String, Object>> of(String host) {
    return Optional.ofNullable(byHost.get(host));
  }
}
