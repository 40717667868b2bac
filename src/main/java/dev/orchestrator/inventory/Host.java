package dev.orchestrator.inventory;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A host of the inventory with its merged vars.
 *
 * @param name the inventory name ({@code inventory_hostname})
 * @param groups every group it belongs to, directly or through children, sorted, {@code all} first
 * @param vars merged vars: group vars (parents before children), then host vars
 * @param connection how to reach it
 */
public record Host(
    String name, List<String> groups, Map<String, Object> vars, ConnectionSpec connection) {
  /** Validates the fields. */
  public Host {
    Objects.requireNonNull(name, "name");
    groups = List.copyOf(groups);
    vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
    Objects.requireNonNull(connection, "connection");
  }
}
