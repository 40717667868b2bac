package dev.orchestrator.state.postgres;

/** The kinds of journal rows: the {@code kind} column. */
enum JournalKind {
  CHECKPOINT,
  HOST,
  GATE,
  LEASE,
  OVERRIDE;

  /** Returns the name the {@code kind} column holds. */
  String column() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  static JournalKind of(String column) {
    return valueOf(column.toUpperCase(java.util.Locale.ROOT));
  }

  /** An encoded key column: any name (control characters included) as printable ASCII. */
  static String key(String name) {
    return name.isEmpty() ? "" : dev.orchestrator.common.FileNames.segment(name);
  }
}
