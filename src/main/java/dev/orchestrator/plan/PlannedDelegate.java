package dev.orchestrator.plan;

import dev.orchestrator.inventory.ConnectionSpec;
import dev.orchestrator.inventory.ConnectionType;
import dev.orchestrator.inventory.Host;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where a delegated step runs ({@code delegate_to}, {@code local_action}): the delegate's inventory
 * host, whose connection settings ({@code ansible_host}, port, user, key, {@code lease_path}) the
 * step uses, while its vars stay the target's (<a
 * href="https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_delegation.html">Ansible:
 * delegation</a>; ansible-core {@code vars/manager.py} {@code _get_delegated_vars}).
 *
 * @param template the step's {@code delegate_to}, as written
 * @param name the delegate's name when the plan knows it; empty when it depends on a value
 *     registered at run time (the run renders {@code template} then)
 * @param hosts the hosts it may name: the named one, or (decided at run time) every inventory host
 *     and the implicit {@code localhost}
 */
public record PlannedDelegate(String template, Optional<String> name, Map<String, Host> hosts) {
  /**
   * The names Ansible gives its implicit localhost (the controller itself) when the inventory does
   * not define them ({@code C.LOCALHOST}).
   */
  public static final Set<String> LOCALHOST_NAMES = Set.of("localhost", "127.0.0.1", "::1");

  /** Validates the fields. */
  public PlannedDelegate {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(name, "name");
    hosts = Map.copyOf(hosts);
    if (name.isPresent() && !hosts.containsKey(name.get())) {
      throw new IllegalArgumentException("delegate " + name.get() + " is not among its hosts");
    }
  }

  /** Returns the host a rendered {@code delegate_to} names, if it is one of {@link #hosts}. */
  public Optional<Host> host(String rendered) {
    return Optional.ofNullable(hosts.get(rendered));
  }

  /** The delegate as the plan shows it: its name, or {@code ?} when the run decides it. */
  public String label() {
    return name.orElse("?");
  }

  /**
   * Ansible's implicit localhost: the controller, {@code connection: local}, in no group (not in
   * {@code all}), used when the inventory does not define {@code name}.
   */
  public static Host implicitLocalhost(String name) {
    return new Host(
        name,
        List.of(),
        Map.of(),
        new ConnectionSpec(ConnectionType.LOCAL, name, 22, "", Optional.empty()));
  }
}
