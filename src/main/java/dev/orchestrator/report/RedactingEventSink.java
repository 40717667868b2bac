package dev.orchestrator.report;

import dev.orchestrator.common.Redactor;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An event sink that masks the run's secret values in every event before passing it on: the one
 * place events are redacted, wrapped around every producer of a run's events (host pipelines,
 * gates, leases, the artifact fetcher). Works on any {@link Event} record, present or future, by
 * walking its record components: every {@code String} component, and every string of a {@code List}
 * component, goes through the {@link Redactor}, except the {@link #IDENTITY} components; other
 * components are kept. An event without a secret in it is passed on as it is. Thread-safe when the
 * wrapped sink is.
 */
public final class RedactingEventSink implements EventSink {
  /**
   * The components that name things rather than say something: inventory host names, playbook step,
   * stage, gate and artifact ids and names, run ids, statuses, units and the log paths built from
   * those names. They are never rendered from templates, so no secret value reaches them through a
   * template, and they stay as they are so that the event stream can be joined on them (a host's
   * steps, a step's log) even when a secret value happens to appear in a name. Every other text
   * component, including any added later, is masked.
   */
  static final Set<String> IDENTITY =
      Set.of(
          "host",
          "hosts",
          "hostNames",
          "working",
          "step",
          "name",
          "stage",
          "gate",
          "artifact",
          "runId",
          "playbook",
          "status",
          "state",
          "unit",
          "logFile",
          "sha256");

  private static final Map<Class<?>, Constructor<?>> CANONICAL = new ConcurrentHashMap<>();

  private final EventSink next;
  private final Redactor redactor;

  /**
   * Wraps a sink.
   *
   * @param next receives the redacted events
   * @param redactor the run's secret values (it may grow while the run goes on)
   */
  public RedactingEventSink(EventSink next, Redactor redactor) {
    this.next = Objects.requireNonNull(next, "next");
    this.redactor = Objects.requireNonNull(redactor, "redactor");
  }

  /**
   * Returns {@code sink} if it already masks with {@code redactor}, else {@code sink} wrapped in a
   * redacting sink.
   */
  public static EventSink around(EventSink sink, Redactor redactor) {
    return sink instanceof RedactingEventSink r && r.redactor == redactor
        ? sink
        : new RedactingEventSink(sink, redactor);
  }

  @Override
  public void emit(Event event) {
    next.emit(redact(event, redactor));
  }

  /**
   * Returns {@code event} with its strings masked by {@code redactor}: the same instance when
   * nothing in it is secret.
   *
   * @throws IllegalStateException if the event record cannot be rebuilt (a bug: every {@link Event}
   *     is a record with a public canonical constructor)
   */
  static Event redact(Event event, Redactor redactor) {
    if (redactor.values().isEmpty()) {
      return event;
    }
    RecordComponent[] components = event.getClass().getRecordComponents();
    Object[] args = new Object[components.length];
    boolean changed = false;
    try {
      for (int i = 0; i < components.length; i++) {
        Object value = components[i].getAccessor().invoke(event);
        boolean text =
            (value instanceof String || value instanceof List<?>)
                && !IDENTITY.contains(components[i].getName());
        Object masked = text ? redactor.redactValue(value) : value;
        changed |= !Objects.equals(value, masked);
        args[i] = masked;
      }
      if (!changed) {
        return event;
      }
      return (Event) canonical(event.getClass(), components).newInstance(args);
    } catch (IllegalAccessException | InstantiationException | InvocationTargetException e) {
      throw new IllegalStateException("cannot redact event " + event.getClass().getSimpleName(), e);
    }
  }

  private static Constructor<?> canonical(Class<?> type, RecordComponent[] components) {
    return CANONICAL.computeIfAbsent(
        type,
        t -> {
          Class<?>[] types = new Class<?>[components.length];
          for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
          }
          try {
            return t.getDeclaredConstructor(types);
          } catch (NoSuchMethodException e) {
            throw new IllegalStateException("record " + t + " has no canonical constructor", e);
          }
        });
  }
}
