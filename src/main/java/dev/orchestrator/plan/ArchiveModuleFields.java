package dev.orchestrator.plan;

import java.util.List;
import java.util.Map;

/** The result keys of the archive modules, for {@link ModulePlanning}'s shapes. */
final class ArchiveModuleFields {
  private ArchiveModuleFields() {}

  /** The result keys of {@code unarchive} (ansible-core's {@code unarchive.py}). */
  static final Map<String, Class<?>> UNARCHIVE =
      Map.ofEntries(
          Map.entry("dest", String.class),
          Map.entry("src", String.class),
          Map.entry("handler", String.class),
          Map.entry("files", List.class),
          Map.entry("mode", String.class),
          Map.entry("owner", String.class),
          Map.entry("group", String.class),
          Map.entry("uid", Integer.class),
          Map.entry("gid", Integer.class),
          Map.entry("size", Long.class),
          Map.entry("state", String.class),
          Map.entry("skipped", Boolean.class),
          Map.entry("msg", String.class));
}
