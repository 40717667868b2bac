package dev.orchestrator.plan;

import dev.orchestrator.common.InputException;
import dev.orchestrator.inventory.Host;
import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.playbook.Gate;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.Stage;
import dev.orchestrator.rollout.Batching;
import dev.orchestrator.state.GateRecord;
import dev.orchestrator.state.GateState;
import dev.orchestrator.state.RunState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Selects each stage's hosts (a host belongs to the first stage that selects it, within {@code
 * --limit}), splits them into batches ({@link Batching}) and places the gates before each stage and
 * after each batch but the last, with the states the run recorded for them.
 */
final class Batches {
  private Batches() {}

  /**
   * The planned stages and the hosts they selected.
   *
   * @param stages the stages, in the playbook's order
   * @param hostOrder the selected hosts' names, in the inventory's order
   */
  record Selected(List<PlannedStage> stages, List<String> hostOrder) {}

  /**
   * Plans the stages, each selected host with {@code planHost} in batch order.
   *
   * @throws InputException on a stage pattern that cannot be read or matches nothing (a group
   *     declared empty aside), a limit that matches no host, or no host selected at all
   */
  static Selected plan(PlanInput input, BiFunction<Host, MagicVars.Play, PlannedHost> planHost) {
    return plan(input, planHost, true);
  }

  /**
   * Plans the stages as {@link #plan(PlanInput, BiFunction)}; when {@code requireHosts} is false, a
   * limit that leaves them no host is no error (one play of several: {@link PlaysPlanning}).
   */
  static Selected plan(
      PlanInput input,
      BiFunction<Host, MagicVars.Play, PlannedHost> planHost,
      boolean requireHosts) {
    Playbook playbook = input.playbook();
    Inventory inventory = input.inventory();
    Optional<RunState> state = input.state();
    Set<String> limited = limited(inventory, input.limit());
    Set<String> taken = new HashSet<>();
    List<PlannedStage> stages = new ArrayList<>();
    int selected = 0;
    for (Stage stage : playbook.stages()) {
      List<Host> hosts = new ArrayList<>();
      List<Host> matched;
      try {
        matched = inventory.select(stage.hosts());
      } catch (InputException e) {
        throw new InputException(
            playbook.file() + ": stage '" + stage.name() + "': " + e.getMessage(),
            stageGroupsHint(playbook, inventory));
      }
      // A group declared empty is the way to run without that stage's hosts (e.g. no production
      // hosts yet): the stage then has nothing to do, as when --limit leaves it no host.
      boolean declaredEmpty = inventory.groups().containsKey(stage.hosts().trim());
      if (matched.isEmpty() && !declaredEmpty) {
        throw new InputException(
            playbook.file()
                + ": stage '"
                + stage.name()
                + "' selects no host: the pattern '"
                + stage.hosts()
                + "' matches nothing in "
                + inventory.describe(),
            "fix the stage's 'hosts' pattern; " + stageGroupsHint(playbook, inventory));
      }
      for (Host h : matched) {
        if ((limited == null || limited.contains(h.name())) && taken.add(h.name())) {
          hosts.add(h);
        }
      }
      selected += hosts.size();
      List<PlannedBatch> batches = new ArrayList<>();
      List<List<Host>> split = Batching.split(hosts, stage.serial());
      List<String> stageHosts = names(hosts);
      for (int i = 0; i < split.size(); i++) {
        List<PlannedHost> planned = new ArrayList<>();
        MagicVars.Play play = new MagicVars.Play(stageHosts, names(split.get(i)));
        for (Host h : split.get(i)) {
          planned.add(planHost.apply(h, play));
        }
        List<PlannedGate> after = new ArrayList<>();
        if (i < split.size() - 1) {
          for (int g = 0; g < stage.batchGates().size(); g++) {
            after.add(
                gate(
                    stage.batchGates().get(g),
                    PlannedGate.afterBatch(stage.name(), i + 1, g),
                    state));
          }
        }
        batches.add(new PlannedBatch(i + 1, planned, after));
      }
      List<PlannedGate> before = new ArrayList<>();
      for (int g = 0; g < stage.gates().size(); g++) {
        before.add(gate(stage.gates().get(g), PlannedGate.beforeStage(stage.name(), g), state));
      }
      stages.add(new PlannedStage(stage, before, batches));
    }
    if (selected == 0 && requireHosts) {
      throw noHost(input);
    }
    List<String> inventoryOrder =
        inventory.hosts().keySet().stream().filter(taken::contains).toList();
    return new Selected(stages, inventoryOrder);
  }

  /** The error of a limit that leaves no stage a host. */
  static InputException noHost(PlanInput input) {
    return new InputException(
        "no stage of "
            + input.playbook().file()
            + " has a host within --limit '"
            + input.limit().orElse("")
            + "'",
        "widen --limit, or check it against the stages' host patterns");
  }

  /**
   * Returns the inventory host named {@code host} when a stage selects it within the limit, as
   * {@link #plan} would; empty otherwise.
   *
   * @throws InputException on a limit that matches no host, or a stage pattern that cannot be read
   */
  static Optional<Seat> selected(PlanInput input, String host) {
    Set<String> limited = limited(input.inventory(), input.limit());
    if (limited != null && !limited.contains(host)) {
      return Optional.empty();
    }
    Set<String> taken = new HashSet<>();
    for (Stage stage : input.playbook().stages()) {
      List<Host> hosts = new ArrayList<>();
      for (Host h : input.inventory().select(stage.hosts())) {
        if ((limited == null || limited.contains(h.name())) && taken.add(h.name())) {
          hosts.add(h);
        }
      }
      for (List<Host> batch : Batching.split(hosts, stage.serial())) {
        for (Host h : batch) {
          if (h.name().equals(host)) {
            return Optional.of(new Seat(h, new MagicVars.Play(names(hosts), names(batch))));
          }
        }
      }
    }
    return Optional.empty();
  }

  /**
   * A selected host and where it runs.
   *
   * @param host the inventory host
   * @param play its stage's and batch's hosts
   */
  record Seat(Host host, MagicVars.Play play) {}

  private static List<String> names(List<Host> hosts) {
    return hosts.stream().map(Host::name).toList();
  }

  /** Returns the names of the hosts within {@code limit}; null when there is no limit. */
  private static Set<String> limited(Inventory inventory, Optional<String> limit) {
    return LimitedHosts.of(inventory, limit).orElse(null);
  }

  private static PlannedGate gate(Gate gate, String key, Optional<RunState> state) {
    Optional<GateRecord> r = state.flatMap(s -> s.gate(key));
    return new PlannedGate(
        gate,
        key,
        r.map(GateRecord::state).orElse(GateState.PENDING),
        r.map(GateRecord::message).orElse(""),
        r.flatMap(GateRecord::waitingSince));
  }

  /**
   * What the playbook's stages select and the inventory has, and how to run without a stage's
   * hosts: declare its group empty, or --limit.
   */
  private static String stageGroupsHint(Playbook playbook, Inventory inventory) {
    return "the playbook's stages select "
        + String.join(
            ", ",
            playbook.stages().stream()
                .map(st -> "'" + st.hosts() + "' (stage " + st.name() + ")")
                .toList())
        + "; the inventory's groups are: "
        + String.join(", ", inventory.groups().keySet())
        + ". Put the hosts in those groups; to run without a stage's hosts, declare its group"
        + " empty (e.g. 'production: {}' under 'children:'), and use --limit to run some hosts"
        + " only";
  }
}
