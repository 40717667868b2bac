package dev.orchestrator.state;

import java.time.Instant;
import java.util.Objects;

/**
 * A step attempt's log as a store holds it.
 *
 * @param name its stored name ({@link StateStore#logName}), a {@link StateStore#LOG_NAME}
 * @param size its length in bytes, at least 0
 * @param modifiedAt when it last changed
 */
public record StoredLog(String name, long size, Instant modifiedAt) {
  /** Validates the fields. */
  public StoredLog {
    StateStore.checkLogName(name);
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0: " + size);
    }
    Objects.requireNonNull(modifiedAt, "modifiedAt");
  }
}
