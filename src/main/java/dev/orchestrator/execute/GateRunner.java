package dev.orchestrator.execute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.common.Durations;
import dev.orchestrator.plan.PlannedGate;
import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.playbook.Gate;
import dev.orchestrator.report.Event;
import dev.orchestrator.report.EventSink;
import dev.orchestrator.rollout.ApprovalPolicy;
import dev.orchestrator.rollout.GateResult;
import dev.orchestrator.state.GateRecord;
import dev.orchestrator.state.GateState;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.template.TemplateException;
import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.Connector;
import dev.orchestrator.transport.ExecResult;
import dev.orchestrator.transport.TransportException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates the gates of a rollout and records their state durably, so that an approval, a soak
 * that already started or a passed health check survives a controller restart. A gate that does not
 * pass pauses the rollout; it never aborts it.
 */
final class GateRunner {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RunJournal journal;
  private final EventSink events;
  private final TemplateEngine templates;
  private final Connector connector;
  private final Map<String, Object> runVars;
  private final ApprovalPolicy approvals;

  /** The names of secret vars beyond the secret-looking ones, and the values masked so far. */
  private final java.util.Set<String> secretNames;

  private final dev.orchestrator.common.Redactor secrets;
  private final DerivedSecrets derived;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** The time of records and events, of a soak's start and end and of a health check's deadline. */
  private final Clock clock;

  /** Waits out a soak and between health checks. */
  private final Sleeper sleeper;

  GateRunner(
      RunJournal journal,
      EventSink events,
      TemplateEngine templates,
      Connector connector,
      Map<String, Object> runVars,
      ApprovalPolicy approvals,
      java.util.Set<String> secretNames,
      dev.orchestrator.common.Redactor redactor,
      Clock clock,
      Sleeper sleeper) {
    this.journal = journal;
    this.events = events;
    this.templates = templates;
    this.connector = connector;
    this.runVars = runVars;
    this.approvals = java.util.Objects.requireNonNull(approvals, "approvals");
    this.secretNames = java.util.Set.copyOf(secretNames);
    this.secrets = redactor;
    this.derived = new DerivedSecrets(templates, secretNames, redactor);
    this.clock = java.util.Objects.requireNonNull(clock, "clock");
    this.sleeper = java.util.Objects.requireNonNull(sleeper, "sleeper");
    this.secrets.addAll(dev.orchestrator.common.Secrets.values(runVars, secretNames));
  }

  /**
   * Renders a gate's template, masking from then on the secrets of {@code vars} and what the
   * template derives from them (as steps do: {@link dev.orchestrator.common.Secrets#perturbed}).
   */
  private String render(String template, Map<String, Object> vars) {
    String real = templates.render(template, vars);
    derived.addSecretsOf(vars);
    derived.learn(template, vars);
    return real;
  }

  /**
   * Evaluates one gate.
   *
   * @param gate the gate and its recorded state
   * @param hosts the hosts the rollout has just finished (health checks run on these)
   * @return passed, waiting for approval, or failed with why (secrets masked)
   */
  GateResult pass(PlannedGate gate, List<PlannedHost> hosts) {
    GateResult result = evaluate(gate, hosts);
    if (result instanceof GateResult.WaitingForApproval w) {
      return new GateResult.WaitingForApproval(w.gateKey(), secrets.redact(w.question()));
    }
    if (result instanceof GateResult.Failed f) {
      return new GateResult.Failed(secrets.redact(f.message()));
    }
    return result;
  }

  private static final GateResult PASSED = new GateResult.Passed();

  private GateResult evaluate(PlannedGate gate, List<PlannedHost> hosts) {
    if (gate.open()) {
      return PASSED;
    }
    Gate g = gate.gate();
    if (g instanceof Gate.Approval) {
      if (approvals == ApprovalPolicy.AUTO_APPROVE) {
        record(gate, GateState.APPROVED, "approved automatically (sandbox)");
        return PASSED;
      }
      String question = ((Gate.Approval) g).message();
      try {
        question = render(question, runVars);
      } catch (TemplateException e) {
        // shown as written
      }
      record(gate, GateState.WAITING, question);
      return new GateResult.WaitingForApproval(gate.key(), question);
    }
    if (g instanceof Gate.Wait w) {
      return soak(gate, w);
    }
    return health(gate, (Gate.Health) g, hosts);
  }

  private GateResult soak(PlannedGate gate, Gate.Wait w) {
    Duration total;
    try {
      total = Durations.parse(templates.render(w.duration(), runVars));
    } catch (TemplateException | IllegalArgumentException e) {
      record(gate, GateState.FAILED, "invalid wait '" + w.duration() + "': " + e.getMessage());
      return new GateResult.Failed(
          "gate " + gate.key() + ": invalid wait '" + w.duration() + "': " + e.getMessage());
    }
    Instant since =
        gate.state() == GateState.WAITING
            ? gate.waitingSince().orElseGet(clock::instant)
            : clock.instant();
    record(gate, GateRecord.soaking(gate.key(), since, clock.instant()));
    Duration left = total.minus(Duration.between(since, clock.instant()));
    if (!left.isNegative()) {
      try {
        sleeper.sleep(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new GateResult.Failed("interrupted while waiting at gate " + gate.key());
      }
    }
    record(gate, GateState.PASSED, "waited " + Durations.format(total));
    return PASSED;
  }

  private GateResult health(PlannedGate gate, Gate.Health h, List<PlannedHost> hosts) {
    Instant deadline = clock.instant().plus(h.timeout());
    List<String> failures;
    while (true) {
      failures = new ArrayList<>();
      for (PlannedHost host : hosts) {
        check(h, host).ifPresent(failures::add);
      }
      if (failures.isEmpty() || clock.instant().plus(h.interval()).isAfter(deadline)) {
        break;
      }
      try {
        sleeper.sleep(h.interval());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (failures.isEmpty()) {
      record(gate, GateState.PASSED, hosts.size() + " host(s) healthy");
      return PASSED;
    }
    String message = String.join("; ", failures);
    record(gate, GateState.FAILED, message);
    return new GateResult.Failed("health gate " + gate.key() + " failed: " + message);
  }

  /** Returns why a host fails the check, or empty when it passes. */
  private Optional<String> check(Gate.Health h, PlannedHost host) {
    String name = host.host().name();
    try {
      if (h.shell().isPresent()) {
        dev.orchestrator.template.ShellTemplate shell =
            templates.renderShell(h.shell().get(), host.vars());
        secrets.addAll(dev.orchestrator.common.Secrets.values(host.vars(), secretNames));
        String command = CommandBuilder.exports(shell.values()) + shell.text();
        try (Connection c = connector.open(name, Endpoints.of(host.host().connection()))) {
          ExecResult r = c.exec(command, Optional.of(h.interval().plusSeconds(30)));
          return r.succeeded()
              ? Optional.empty()
              : Optional.of(
                  name
                      + ": '"
                      + shell.text()
                      + "' exited "
                      + r.exitCode()
                      + tail(r.stderr().isBlank() ? r.stdout() : r.stderr()));
        }
      }
      String url = render(h.url().orElseThrow(), host.vars());
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != h.status()) {
        return Optional.of(
            name
                + ": GET "
                + url
                + " returned HTTP "
                + response.statusCode()
                + ", expected "
                + h.status());
      }
      if (h.json().isEmpty()) {
        return Optional.empty();
      }
      JsonNode body = JSON.readTree(response.body());
      for (Map.Entry<String, Object> e : h.json().entrySet()) {
        String expected =
            e.getValue() instanceof String s
                ? render(s, host.vars())
                : String.valueOf(e.getValue());
        JsonNode actual = body == null ? null : body.get(e.getKey());
        String got =
            actual == null ? "missing" : actual.isTextual() ? actual.asText() : actual.toString();
        if (!expected.equals(got)) {
          return Optional.of(name + ": " + e.getKey() + " is " + got + ", expected " + expected);
        }
      }
      return Optional.empty();
    } catch (TemplateException e) {
      return Optional.of(name + ": " + e.getMessage());
    } catch (TransportException e) {
      return Optional.of(name + ": " + e.getMessage());
    } catch (IOException | IllegalArgumentException e) {
      return Optional.of(name + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(name + ": interrupted");
    }
  }

  private static String tail(String text) {
    String t = text.strip();
    if (t.isEmpty()) {
      return "";
    }
    String[] lines = t.split("\n");
    return ": " + lines[lines.length - 1];
  }

  /**
   * Records a gate's state. The journal and the sink the executor gives are the run's redacting
   * ones ({@code RedactingJournal}, {@code RedactingEventSink}): they mask the secrets, once.
   */
  private void record(PlannedGate gate, GateState state, String message) {
    record(gate, new GateRecord(gate.key(), state, message, clock.instant()));
  }

  private void record(PlannedGate gate, GateRecord record) {
    journal.record(record);
    events.emit(
        new Event.GateEvaluated(
            record.at(), gate.key(), describe(gate), record.state(), record.message()));
  }

  /**
   * The gate as the operator reads it: a soak time with its template rendered ({@code wait 10m}).
   */
  private String describe(PlannedGate gate) {
    if (gate.gate() instanceof dev.orchestrator.playbook.Gate.Wait w) {
      try {
        return "wait " + templates.render(w.duration(), runVars);
      } catch (dev.orchestrator.template.TemplateException e) {
        return gate.gate().describe(); // the wait itself reports the template error
      }
    }
    return gate.gate().describe();
  }
}
