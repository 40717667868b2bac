package dev.orchestrator.state;

/**
 * One line of a run's journal: either a checkpoint or a host record.
 *
 * @param checkpoint the checkpoint, or null
 * @param host the host record, or null
 * @param gate the gate record, or null
 * @param lease a host lease's change (state {@code active}, {@code paused}, {@code released}), or
 *     null
 * @param override a setting of the run replaced by the operator, or null
 */
record JournalEntry(
    Checkpoint checkpoint,
    HostRecord host,
    GateRecord gate,
    HostRecord lease,
    SpecOverride override) {
  JournalEntry(Checkpoint checkpoint, HostRecord host, GateRecord gate, HostRecord lease) {
    this(checkpoint, host, gate, lease, null);
  }
}
