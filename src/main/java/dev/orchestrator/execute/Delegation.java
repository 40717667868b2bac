package dev.orchestrator.execute;

import dev.orchestrator.inventory.Host;
import dev.orchestrator.plan.PlannedDelegate;
import dev.orchestrator.plan.PlannedStep;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.report.Event;
import dev.orchestrator.template.SecretDerivation;
import dev.orchestrator.template.TemplateException;
import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.Connector;
import dev.orchestrator.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs delegated steps ({@code delegate_to}, {@code local_action}) for every host pipeline of one
 * execution, as Ansible does (<a
 * href="https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_delegation.html">delegation</a>;
 * ansible-core {@code executor/task_executor.py}): the step's command goes to the delegate over the
 * delegate's own connection settings from the inventory, from the controller (a target host never
 * connects to its delegate), with the target's vars; its checkpoint, log and events belong to the
 * target host, so that resuming the target continues where it stopped.
 *
 * <p>Connections: one per delegate, opened on first use and reused by every target and step of the
 * execution (several targets of the run may run steps on it at once, as Ansible's forks do: a
 * connection runs concurrent commands on channels of their own), checked against known_hosts as any
 * host's; closed by {@link #close}. A connection lost during a step is dropped and opened again by
 * the next step.
 *
 * <p>Leases: a delegate is not leased for the whole run (a load balancer serves every web host of
 * the run), but two runs must not interleave on it. While at least one of this execution's targets
 * runs a step on it, the run holds the delegate's ordinary host lease ({@link HostLease}, the
 * delegate's {@code lease_path}), renewed as any; the last such step releases it. A step that finds
 * the delegate leased by another run waits for it, at most the delegate's {@code lease_wait} var
 * (seconds, default {@value #DEFAULT_LEASE_WAIT_SECONDS}), then fails, pausing its target with the
 * lease's holder and the commands that free it ({@code resume}, {@code abort}, {@code unlock}).
 * When this execution works on the delegate as a target itself, that host lease covers both.
 */
final class Delegation implements AutoCloseable {
  /** How long a delegated step waits for a delegate leased by another run, by default. */
  static final long DEFAULT_LEASE_WAIT_SECONDS = 120;

  /** The delegate's inventory var that sets that wait, in seconds. */
  static final String LEASE_WAIT_VAR = "lease_wait";

  private static final Duration POLL = Duration.ofSeconds(1);

  private final Connector connector;
  private final Optional<HostPipeline.Leases> leases;
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();
  private final Map<String, Slot> slots = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** The delegations of one execution, over {@code connector}, with the run's leases (if any). */
  Delegation(Connector connector, Optional<HostPipeline.Leases> leases) {
    this.connector = connector;
    this.leases = leases;
  }

  /** One delegate's lease while this execution's targets use it. */
  private static final class Slot {
    private int users; // guarded by this
    private Optional<LeaseKeeper.Held> held = Optional.empty(); // guarded by this
  }

  /**
   * Runs a delegated step for its target.
   *
   * @param ps the planned step ({@link PlannedStep#delegate()} present)
   * @param vars the target's vars, which receive the step's {@code register} variable
   * @param context the target's step context (checkpoints, events, log)
   * @param local runs the step on the target itself: used when its {@code when} is false, so that
   *     it is skipped there as any step without contacting the delegate
   * @return how the step ended
   */
  StepResult run(
      PlannedStep ps,
      Map<String, Object> vars,
      StepContext context,
      java.util.function.BiFunction<Connection, PlannedStep, StepResult> local) {
    Step step = ps.step();
    PlannedDelegate delegate = ps.delegate().orElseThrow();
    int attempt = ps.previousAttempts() + 1;
    Instant startedAt = Instant.now();
    String name;
    try {
      if (step.when().isPresent() && !context.templates().evaluate(step.when().get(), vars)) {
        return local.apply(null, ps);
      }
      name = context.templates().render(delegate.template(), vars).strip();
    } catch (TemplateException e) {
      return context.templateError(step, attempt, startedAt, e);
    }
    Optional<Host> host = delegate.host(name);
    if (host.isEmpty()) {
      return context.failed(
          step,
          attempt,
          startedAt,
          null,
          "delegate_to: "
              + (SecretDerivation.derives(context.templates(), delegate.template(), vars, name)
                  ? "(derived from a secret var)"
                  : dev.orchestrator.common.Echo.quote(name))
              + " is not a host of the inventory (nor localhost); fix the step or the"
              + " inventory, then resume",
          "");
    }
    Connection connection;
    try {
      connection = connection(host.get());
    } catch (TransportException e) {
      return context.failed(
          step,
          attempt,
          startedAt,
          null,
          "cannot reach the delegate " + name + ": " + e.getMessage() + "; then resume",
          "");
    }
    Optional<String> busy = enter(host.get(), connection, context, step);
    if (busy.isPresent()) {
      return context.failed(step, attempt, startedAt, null, busy.get(), "");
    }
    if (step.extras().delegateFacts()) {
      vars.put(DelegatedFacts.DELEGATE_VAR, name); // where its facts go (StepAttempt)
    }
    try {
      StepResult result = local.apply(connection, ps);
      if (result instanceof StepResult.Lost) {
        connections.remove(name, connection);
        connection.close();
      }
      return result;
    } finally {
      vars.remove(DelegatedFacts.DELEGATE_VAR);
      leave(name);
    }
  }

  /** The delegate's connection: the one already open, else a new one. */
  private Connection connection(Host host) throws TransportException {
    String name = host.name();
    Connection open = connections.get(name);
    if (open != null) {
      return open;
    }
    synchronized (slot(name)) {
      open = connections.get(name);
      if (open == null) {
        if (closed) {
          throw new TransportException(
              TransportException.Kind.CONNECT,
              "the run is ending: no new connection to " + name,
              null);
        }
        open = connector.open(name, Endpoints.of(host.connection()));
        connections.put(name, open);
      }
      return open;
    }
  }

  private Slot slot(String name) {
    return slots.computeIfAbsent(name, n -> new Slot());
  }

  /**
   * Counts one more user of the delegate; the first takes its lease, waiting for another run's to
   * go, at most its {@code lease_wait}.
   *
   * @return why the step cannot run there, or empty
   */
  private Optional<String> enter(Host host, Connection c, StepContext context, Step step) {
    if (leases.isEmpty()) {
      return Optional.empty();
    }
    LeaseKeeper keeper = leases.get().keeper();
    String name = host.name();
    Slot slot = slot(name);
    synchronized (slot) {
      if (slot.users == 0 && !keeper.holds(name)) {
        Optional<String> refused = take(keeper, host, c, context, step);
        if (refused.isPresent()) {
          return refused;
        }
      }
      slot.users++;
      return Optional.empty();
    }
  }

  /** Takes the delegate's lease for {@code slot} (its monitor held), waiting for another run's. */
  private Optional<String> take(
      LeaseKeeper keeper, Host host, Connection c, StepContext context, Step step) {
    String name = host.name();
    Slot slot = slot(name);
    long waitSeconds = leaseWait(host);
    Instant deadline = Instant.now().plusSeconds(waitSeconds);
    boolean told = false;
    try {
      String path = HostLease.path(name, host.vars());
      while (true) {
        LeaseKeeper.Taken taken = keeper.take(name, path, c);
        if (taken instanceof LeaseKeeper.Taken.Ok ok) {
          slot.held = Optional.of(ok.held());
          return Optional.empty();
        }
        String why = ((LeaseKeeper.Taken.Refused) taken).message();
        if (!Instant.now().isBefore(deadline)) {
          return Optional.of(
              "the delegate "
                  + name
                  + " is busy: "
                  + why
                  + " (waited "
                  + waitSeconds
                  + " s, its "
                  + LEASE_WAIT_VAR
                  + ")");
        }
        if (!told) {
          told = true;
          context
              .events()
              .emit(
                  new Event.StepWarning(
                      Instant.now(),
                      context.host(),
                      step.id(),
                      "waiting up to "
                          + waitSeconds
                          + " s for the delegate "
                          + name
                          + ", leased by another run: "
                          + why));
        }
        context.sleeper().sleep(POLL);
      }
    } catch (TransportException e) {
      return Optional.of("cannot take the lease of the delegate " + name + ": " + e.getMessage());
    } catch (dev.orchestrator.common.InputException e) {
      return Optional.of(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while waiting for the delegate " + name);
    }
  }

  /** The delegate's {@code lease_wait}, in seconds. */
  static long leaseWait(Host host) {
    Object v = host.vars().get(LEASE_WAIT_VAR);
    if (v instanceof Number n && n.longValue() >= 0) {
      return n.longValue();
    }
    if (v instanceof String s && s.strip().matches("\\d{1,9}")) {
      return Long.parseLong(s.strip());
    }
    return DEFAULT_LEASE_WAIT_SECONDS;
  }

  /** Counts one user less; the last releases the delegate's lease. */
  private void leave(String name) {
    if (leases.isEmpty()) {
      return;
    }
    LeaseKeeper keeper = leases.get().keeper();
    Slot slot = slot(name);
    synchronized (slot) {
      slot.users--;
      if (slot.users == 0 && slot.held.isPresent()) {
        LeaseKeeper.Held held = slot.held.get();
        slot.held = Optional.empty();
        if (!keeper.holdsOther(name, held)) {
          held.release("the delegated steps of this run on " + name + " are done");
        }
        held.done();
      }
    }
  }

  /** Closes the delegates' connections: the execution is over. */
  @Override
  public void close() {
    closed = true;
    connections.values().forEach(Connection::close);
    connections.clear();
  }
}
