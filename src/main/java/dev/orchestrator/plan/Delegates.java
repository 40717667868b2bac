package dev.orchestrator.plan;

import dev.orchestrator.common.InputException;
import dev.orchestrator.inventory.Host;
import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.template.SecretDerivation;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.template.TemplateException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Plans where delegated steps run: renders each {@code delegate_to} with the target's vars and
 * checks that it names an inventory host or the implicit {@code localhost}. A name that depends on
 * a value registered at run time is left to the run, which checks it the same way. Unlike Ansible,
 * which connects to an unknown {@code delegate_to} by its name as an address, an unknown delegate
 * is an input error (exit 2) naming the step's {@code file:line:column}: the delegate's connection
 * settings and lease come from the inventory.
 */
final class Delegates {
  private final TemplateEngine templates;

  Delegates(TemplateEngine templates) {
    this.templates = templates;
  }

  /**
   * Returns {@code planned} with its delegated steps (and rollback steps) resolved.
   *
   * @throws InputException for a delegate that is not an inventory host nor localhost, or a {@code
   *     delegate_to} template that cannot be rendered and is not decided at run time
   */
  PlannedHost resolve(PlannedHost planned, Playbook playbook, Inventory inventory) {
    boolean delegates =
        playbook.steps().stream().anyMatch(s -> s.extras().delegateTo().isPresent())
            || playbook.rollback().stream().anyMatch(s -> s.extras().delegateTo().isPresent());
    if (!delegates) {
      return planned;
    }
    // what steps register or set: the host's planned vars hold it only once its step is done
    Set<String> registered = new HashSet<>();
    playbook.steps().forEach(s -> s.register().ifPresent(registered::add));
    playbook.steps().stream()
        .flatMap(s -> s.extras().module().stream())
        .filter(m -> m.name().equals("set_fact"))
        .forEach(m -> registered.addAll(m.args().keySet()));
    List<PlannedStep> steps =
        planned.steps().stream().map(s -> resolve(s, planned, inventory, registered)).toList();
    List<PlannedStep> rollback =
        planned.rollbackOnFailure().stream()
            .map(s -> resolve(s, planned, inventory, registered))
            .toList();
    return new PlannedHost(
        planned.host(), planned.vars(), steps, rollback, planned.rollbackAfter());
  }

  private PlannedStep resolve(
      PlannedStep ps, PlannedHost planned, Inventory inventory, Set<String> registered) {
    Step step = ps.step();
    Optional<String> template = step.extras().delegateTo();
    if (template.isEmpty()) {
      return ps;
    }
    Map<String, Object> vars = new LinkedHashMap<>(planned.vars());
    vars.putAll(ps.overrides());
    String where =
        step.location()
            + ": step '"
            + step.id()
            + "', delegate_to, host '"
            + planned.host().name()
            + "': ";
    String name;
    try {
      name = templates.render(template.get(), vars).strip();
    } catch (TemplateException e) {
      if (e.knownAtRunTime() || e.undefinedRoot().filter(registered::contains).isPresent()) {
        return ps.withDelegate(
            Optional.of(
                new PlannedDelegate(template.get(), Optional.empty(), candidates(inventory))));
      }
      throw TemplateErrors.inputError(where, e);
    }
    String shown =
        SecretDerivation.derives(templates, template.get(), vars, name)
            ? "(derived from a secret var)"
            : dev.orchestrator.common.Echo.quote(name);
    Host host = lookUp(name, inventory).orElseThrow(() -> unknown(where, shown, inventory));
    return ps.withDelegate(
        Optional.of(new PlannedDelegate(template.get(), Optional.of(name), Map.of(name, host))));
  }

  /** The host {@code name} names: an inventory host, else the implicit localhost. */
  static Optional<Host> lookUp(String name, Inventory inventory) {
    Optional<Host> host = inventory.host(name);
    if (host.isEmpty() && PlannedDelegate.LOCALHOST_NAMES.contains(name)) {
      return Optional.of(PlannedDelegate.implicitLocalhost(name));
    }
    return host;
  }

  /** Every host a delegate decided at run time may name. */
  private static Map<String, Host> candidates(Inventory inventory) {
    Map<String, Host> all = new LinkedHashMap<>();
    PlannedDelegate.LOCALHOST_NAMES.forEach(n -> all.put(n, PlannedDelegate.implicitLocalhost(n)));
    all.putAll(inventory.hosts());
    return all;
  }

  private static InputException unknown(String where, String name, Inventory inventory) {
    return new InputException(
        where
            + "the delegate "
            + name
            + " is not a host of the inventory ("
            + inventory.describe()
            + ")",
        "name an inventory host or localhost (the controller); orchestrator takes a delegate's"
            + " address, user, key and lease from the inventory, so add the host there");
  }
}
