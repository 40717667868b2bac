package dev.orchestrator.execute;

import dev.orchestrator.artifact.ArtifactKey;
import dev.orchestrator.artifact.FetchedArtifact;
import dev.orchestrator.common.Redactor;
import dev.orchestrator.report.EventSink;
import dev.orchestrator.report.RedactingEventSink;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.transport.Connector;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * What every host pipeline of one run shares.
 *
 * @param connector opens connections to hosts
 * @param journal the run's journal; wrapped in a {@link dev.orchestrator.state.RedactingJournal} of
 *     {@code redactor} unless it already is one, so that no pipeline records a secret
 * @param events receives the events; wrapped in a {@link RedactingEventSink} of {@code redactor}
 *     unless it already is one, so that no pipeline emits a secret
 * @param templates renders the steps
 * @param redactor the run's secret values, which the pipelines add to
 * @param secretNames the names of secret vars beyond the secret-looking ones
 * @param artifacts the artifacts fetched on the controller, by key
 * @param artifactKey renders an artifact id into its key with a host's vars
 * @param leases how pipelines take hosts' leases; empty without leases
 * @param sleeper waits between a step's attempts
 * @param delegation runs delegated steps: the delegates' shared connections and leases
 * @param facts whether pipelines gather facts, and the facts gathered ({@link GatheredFacts})
 * @param once where the hosts of a batch meet for {@code run_once} steps ({@link OnceMeeting})
 * @param verbosity {@link EngineSettings#verbosity}: from 1, each step's output is an event
 */
record PipelineServices(
    Connector connector,
    RunJournal journal,
    EventSink events,
    TemplateEngine templates,
    Redactor redactor,
    Set<String> secretNames,
    Map<ArtifactKey, FetchedArtifact> artifacts,
    BiFunction<String, Map<String, Object>, ArtifactKey> artifactKey,
    Optional<HostPipeline.Leases> leases,
    Sleeper sleeper,
    Delegation delegation,
    GatheredFacts facts,
    OnceMeeting once,
    int verbosity) {
  /** Validates the fields and makes sure the events are redacted. */
  PipelineServices {
    Objects.requireNonNull(connector, "connector");
    Objects.requireNonNull(templates, "templates");
    Objects.requireNonNull(redactor, "redactor");
    journal = dev.orchestrator.state.RedactingJournal.around(journal, redactor);
    events = RedactingEventSink.around(events, redactor);
    secretNames = Set.copyOf(secretNames);
    artifacts = Map.copyOf(artifacts);
    Objects.requireNonNull(artifactKey, "artifactKey");
    Objects.requireNonNull(leases, "leases");
    Objects.requireNonNull(sleeper, "sleeper");
    Objects.requireNonNull(delegation, "delegation");
    Objects.requireNonNull(facts, "facts");
    Objects.requireNonNull(once, "once");
  }

  /**
   * Services of a run that gathers no facts, whose delegated steps use {@code connector} and {@code
   * leases}.
   */
  PipelineServices(
      Connector connector,
      RunJournal journal,
      EventSink events,
      TemplateEngine templates,
      Redactor redactor,
      Set<String> secretNames,
      Map<ArtifactKey, FetchedArtifact> artifacts,
      BiFunction<String, Map<String, Object>, ArtifactKey> artifactKey,
      Optional<HostPipeline.Leases> leases,
      Sleeper sleeper) {
    this(
        connector,
        journal,
        events,
        templates,
        redactor,
        secretNames,
        artifacts,
        artifactKey,
        leases,
        sleeper,
        GatheredFacts.none());
  }

  /** Services whose delegated steps use {@code connector} and {@code leases}. */
  PipelineServices(
      Connector connector,
      RunJournal journal,
      EventSink events,
      TemplateEngine templates,
      Redactor redactor,
      Set<String> secretNames,
      Map<ArtifactKey, FetchedArtifact> artifacts,
      BiFunction<String, Map<String, Object>, ArtifactKey> artifactKey,
      Optional<HostPipeline.Leases> leases,
      Sleeper sleeper,
      GatheredFacts facts) {
    this(
        connector,
        journal,
        events,
        templates,
        redactor,
        secretNames,
        artifacts,
        artifactKey,
        leases,
        sleeper,
        new Delegation(connector, leases),
        facts,
        new OnceMeeting(),
        0);
  }

  /** These services with {@code -v}'s verbosity. */
  PipelineServices verbose(int level) {
    return new PipelineServices(
        connector,
        journal,
        events,
        templates,
        redactor,
        secretNames,
        artifacts,
        artifactKey,
        leases,
        sleeper,
        delegation,
        facts,
        once,
        level);
  }
}
