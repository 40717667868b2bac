package dev.orchestrator.inventory;

import dev.orchestrator.common.InputException;
import dev.orchestrator.common.InputFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The fleet: hosts in inventory order and the groups they belong to.
 *
 * @param file the inventory file
 * @param hosts hosts by name, in the order they first appear
 * @param groups for each group, the names of all its hosts (direct and through children)
 */
public record Inventory(Path file, Map<String, Host> hosts, Map<String, List<String>> groups) {
  /** Validates the fields. */
  public Inventory {
    Objects.requireNonNull(file, "file");
    hosts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
    groups = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(groups));
  }

  /** Returns a host by name. */
  public Optional<Host> host(String name) {
    return Optional.ofNullable(hosts.get(name));
  }

  /**
   * Selects hosts with an Ansible host pattern: names, groups, {@code all} or {@code *}, globs
   * ({@code web*}), joined with {@code :} or {@code ,}; {@code &group} intersects and {@code
   * !group} excludes (applied after the unions, as Ansible does). The result keeps inventory order.
   *
   * @param pattern the pattern
   * @return the selected hosts, possibly empty
   * @throws InputException if a plain name in the pattern is neither a host nor a group
   */
  public List<Host> select(String pattern) {
    Set<String> union = new LinkedHashSet<>();
    List<Set<String>> intersections = new ArrayList<>();
    Set<String> excluded = new LinkedHashSet<>();
    for (String raw : pattern.split("[:,]")) {
      String term = raw.trim();
      if (term.isEmpty()) {
        continue;
      }
      if (term.startsWith("&")) {
        intersections.add(match(term.substring(1), pattern));
      } else if (term.startsWith("!")) {
        excluded.addAll(match(term.substring(1), pattern));
      } else {
        union.addAll(match(term, pattern));
      }
    }
    List<Host> out = new ArrayList<>();
    for (Host h : hosts.values()) {
      String n = h.name();
      if (union.contains(n)
          && intersections.stream().allMatch(s -> s.contains(n))
          && !excluded.contains(n)) {
        out.add(h);
      }
    }
    return out;
  }

  private Set<String> match(String term, String pattern) {
    if (term.startsWith("@")) {
      // a file of host names, one per line (e.g. the hosts that failed last time)
      Path list = Path.of(term.substring(1));
      Set<String> out = new LinkedHashSet<>();
      for (String line :
          InputFiles.readText(list, "host list of the pattern '" + pattern + "'")
              .lines()
              .toList()) {
        String name = line.strip();
        if (!name.isEmpty() && !name.startsWith("#")) {
          out.addAll(match(name, pattern));
        }
      }
      return out;
    }
    if (term.equals("all") || term.equals("*")) {
      return new LinkedHashSet<>(hosts.keySet());
    }
    if (groups.containsKey(term)) {
      return new LinkedHashSet<>(groups.get(term));
    }
    if (hosts.containsKey(term)) {
      return Set.of(term);
    }
    if (term.contains("*") || term.contains("?")) {
      Pattern glob = Pattern.compile(term.replace(".", "\\.").replace("*", ".*").replace("?", "."));
      Set<String> out = new LinkedHashSet<>();
      groups.forEach(
          (g, members) -> {
            if (glob.matcher(g).matches()) {
              out.addAll(members);
            }
          });
      hosts.keySet().stream().filter(h -> glob.matcher(h).matches()).forEach(out::add);
      return out;
    }
    throw new InputException(
        "the host pattern '"
            + pattern
            + "' names '"
            + term
            + "', which is neither a host nor a group of "
            + file,
        "groups are: "
            + String.join(", ", groups.keySet())
            + "; check the spelling, or list hosts with: orchestrator inventory -i "
            + file);
  }
}
