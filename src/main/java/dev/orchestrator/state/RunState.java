package dev.orchestrator.state;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run as loaded from the store: its info, the latest checkpoint of every (host, step) and the
 * host records. Immutable snapshot.
 *
 * @param info the run's info
 * @param checkpoints host → step id → latest checkpoint
 * @param hostRecords host → latest host record
 * @param gates gate key → latest gate record
 * @param leases host → latest lease record of this run
 * @param tornLines how many journal lines were unreadable (a write cut short by a crash, or
 *     damaged)
 * @param unreadable where each unreadable journal line is and why ({@code FILE:LINE: reason}), for
 *     the messages; empty where the store cannot say (a database's records)
 */
public record RunState(
    RunInfo info,
    Map<String, Map<String, Checkpoint>> checkpoints,
    Map<String, HostRecord> hostRecords,
    Map<String, GateRecord> gates,
    Map<String, LeaseRecord> leases,
    int tornLines,
    List<String> unreadable) {
  /** Copies the maps. */
  public RunState {
    unreadable = List.copyOf(unreadable);
    Map<String, Map<String, Checkpoint>> copy = new LinkedHashMap<>();
    checkpoints.forEach((h, m) -> copy.put(h, Collections.unmodifiableMap(new LinkedHashMap<>(m))));
    checkpoints = Collections.unmodifiableMap(copy);
    hostRecords = Collections.unmodifiableMap(new LinkedHashMap<>(hostRecords));
    gates = Collections.unmodifiableMap(new LinkedHashMap<>(gates));
    leases = Collections.unmodifiableMap(new LinkedHashMap<>(leases));
  }

  /** A run state whose unreadable lines are only counted. */
  public RunState(
      RunInfo info,
      Map<String, Map<String, Checkpoint>> checkpoints,
      Map<String, HostRecord> hostRecords,
      Map<String, GateRecord> gates,
      Map<String, LeaseRecord> leases,
      int tornLines) {
    this(info, checkpoints, hostRecords, gates, leases, tornLines, List.of());
  }

  /** Returns a gate's latest record, if it has one. */
  public Optional<GateRecord> gate(String key) {
    return Optional.ofNullable(gates.get(key));
  }

  /** Returns the checkpoint of a step on a host, if it has one. */
  public Optional<Checkpoint> checkpoint(String host, String stepId) {
    return Optional.ofNullable(checkpoints.getOrDefault(host, Map.of()).get(stepId));
  }

  /** Returns the checkpoints of one host, in the order they were first written. */
  public List<Checkpoint> checkpoints(String host) {
    return List.copyOf(checkpoints.getOrDefault(host, Map.of()).values());
  }
}
