package dev.orchestrator.report;

import java.util.List;

/** Receives events; implementations must be thread-safe (hosts run in parallel). */
@FunctionalInterface
public interface EventSink {
  /** Handles one event. */
  void emit(Event event);

  /** Returns a sink that forwards to every one of {@code sinks}, in order. */
  static EventSink all(List<EventSink> sinks) {
    List<EventSink> copy = List.copyOf(sinks);
    return e -> copy.forEach(s -> s.emit(e));
  }
}
