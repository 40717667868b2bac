package dev.orchestrator.playbook;

import dev.orchestrator.common.SourceLocation;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A condition the rollout waits for before a stage ({@code gates:}) or between the batches of a
 * stage ({@code batch_gates:}). A gate that fails pauses the rollout; it never aborts it.
 */
public sealed interface Gate {
  /** Where the gate is defined. */
  SourceLocation location();

  /** A short description for plans and messages. */
  String describe();

  /**
   * Waits for a person: {@code orchestrator approve RUN_ID} (or the web console) continues, {@code
   * reject} ends the run.
   *
   * @param message what the approver should check
   * @param role the role an approval requires ({@code role:}, default {@link Role#APPROVER}); an
   *     admin may approve any gate
   * @param distinctFromStarter whether the person who started the run may not approve it ({@code
   *     distinct_from_starter: true}: four eyes, as AWX users ask in ansible/awx#1206)
   * @param location where it is defined
   */
  record Approval(String message, Role role, boolean distinctFromStarter, SourceLocation location)
      implements Gate {
    /** Validates the fields. */
    public Approval {
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(location, "location");
    }

    /** An approval by an approver (or admin), whoever started the run. */
    public Approval(String message, SourceLocation location) {
      this(message, Role.APPROVER, false, location);
    }

    @Override
    public String describe() {
      return "approval" + (message.isEmpty() ? "" : " (" + message + ")");
    }
  }

  /**
   * A soak time: the rollout waits this long before going on.
   *
   * @param duration how long: {@code 10m}, or a template over the playbook and extra vars such as
   *     {@code "{{ soak_time }}"}
   * @param location where it is defined
   */
  record Wait(String duration, SourceLocation location) implements Gate {
    /** Validates the fields. */
    public Wait {
      Objects.requireNonNull(duration, "duration");
      Objects.requireNonNull(location, "location");
    }

    @Override
    public String describe() {
      return "wait " + duration;
    }
  }

  /**
   * Health checks on the hosts the rollout has just finished (the previous stage's, or the previous
   * batch's): an HTTP GET with an expected status and JSON fields, or a shell command on the host
   * that must exit 0. Retried every {@code interval} until it passes or {@code timeout}.
   *
   * @param url the URL, templated per host (e.g. {@code https://{{ inventory_hostname
   *     }}/status.php})
   * @param shell the command, templated per host, run over the host's connection
   * @param status the expected HTTP status (for {@code url})
   * @param json expected top-level JSON fields of the response; string values are templated
   * @param timeout how long to keep trying
   * @param interval the wait between tries
   * @param location where it is defined
   */
  record Health(
      Optional<String> url,
      Optional<String> shell,
      int status,
      Map<String, Object> json,
      Duration timeout,
      Duration interval,
      SourceLocation location)
      implements Gate {
    /** Validates the fields. */
    public Health {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(shell, "shell");
      if (url.isPresent() == shell.isPresent()) {
        throw new IllegalArgumentException("a health gate has either url or shell");
      }
      json = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(json));
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(interval, "interval");
      Objects.requireNonNull(location, "location");
    }

    @Override
    public String describe() {
      String what =
          url.map(u -> "GET " + u + " → " + status + (json.isEmpty() ? "" : " " + json))
              .orElseGet(() -> "shell: " + shell.get().replaceAll("\\s+", " "));
      return "health " + (what.length() > 90 ? what.substring(0, 89) + "…" : what);
    }
  }
}
