package dev.orchestrator.inventory;

import dev.orchestrator.common.InputException;
import dev.orchestrator.common.InputFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The fleet: hosts in inventory order and the groups they belong to.
 *
 * @param sources the inventory files and folders it was read from ({@code -i}), in order, at least
 *     one
 * @param hosts hosts by name, in the order they first appear
 * @param groups for each group, the names of all its hosts (direct and through children)
 * @param warnings what was read the way Ansible reads it but deserves a warning (e.g. a key Ansible
 *     ignores), in file order; the caller shows them
 */
public record Inventory(
    List<Path> sources,
    Map<String, Host> hosts,
    Map<String, List<String>> groups,
    List<InventoryWarning> warnings) {
  /**
   * Validates the fields.
   *
   * @throws IllegalArgumentException without sources
   */
  public Inventory {
    sources = List.copyOf(sources);
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("an inventory has at least one source");
    }
    hosts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
    groups = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    warnings = List.copyOf(warnings);
  }

  /** An inventory read from one file or folder, without warnings. */
  public Inventory(Path file, Map<String, Host> hosts, Map<String, List<String>> groups) {
    this(List.of(file), hosts, groups, List.of());
  }

  /** The sources for a message: {@code a.yml}, or {@code a.yml, b/} when there are several. */
  public String describe() {
    return String.join(", ", sources.stream().map(Path::toString).toList());
  }

  /** The sources as {@code -i} options for a hint: {@code -i a.yml -i b}. */
  public String inventoryOptions() {
    return String.join(" ", sources.stream().map(p -> "-i " + p).toList());
  }

  /** Returns a host by name. */
  public Optional<Host> host(String name) {
    return Optional.ofNullable(hosts.get(name));
  }

  /**
   * Selects hosts with an Ansible host pattern: names, groups, {@code all} or {@code *}, globs
   * ({@code web*}), joined with {@code :} or {@code ,}; {@code &group} intersects and {@code
   * !group} excludes (applied after the unions, as Ansible does). A term may end with a subscript
   * that picks from its hosts in order, as Ansible's {@code _split_subscript}/{@code
   * _apply_subscript} ({@code lib/ansible/inventory/manager.py}): {@code web[0]}, {@code web[-1]},
   * {@code web[1:]} and end-inclusive slices {@code web[0:2]} (three hosts). The result keeps
   * inventory order.
   *
   * @param pattern the pattern
   * @return the selected hosts, possibly empty
   * @throws InputException if a plain name in the pattern is neither a host nor a group, or a
   *     subscript's index is beyond the term's hosts
   */
  public List<Host> select(String pattern) {
    Set<String> union = new LinkedHashSet<>();
    List<Set<String>> intersections = new ArrayList<>();
    Set<String> excluded = new LinkedHashSet<>();
    for (String term : terms(pattern)) {
      if (term.startsWith("&")) {
        intersections.add(subscripted(term.substring(1), pattern));
      } else if (term.startsWith("!")) {
        excluded.addAll(subscripted(term.substring(1), pattern));
      } else {
        union.addAll(subscripted(term, pattern));
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

  /** A term: anything but white space, ':' and brackets, or a whole bracketed expression. */
  private static final Pattern TERM = Pattern.compile("(?:[^\\s:\\[\\]]|\\[[^\\]]*\\])+");

  /** Ansible's {@code PATTERN_WITH_SUBSCRIPT}, without the removed {@code [x-y]} form. */
  private static final Pattern SUBSCRIPT =
      Pattern.compile("^(.+)\\[(?:(-?[0-9]{1,9})|([0-9]{1,9}):([0-9]{0,9}))\\]$");

  /**
   * Splits a pattern into terms as Ansible's {@code split_host_pattern}: on {@code ,}, and on
   * {@code :} outside brackets (so {@code web[1:]} stays one term).
   */
  static List<String> terms(String pattern) {
    List<String> out = new ArrayList<>();
    for (String part : pattern.split(",")) {
      java.util.regex.Matcher m = TERM.matcher(part);
      while (m.find()) {
        out.add(m.group());
      }
    }
    return out;
  }

  /** The hosts of a term, a subscript applied (a term that is itself a host name is that host). */
  private Set<String> subscripted(String term, String pattern) {
    java.util.regex.Matcher m = SUBSCRIPT.matcher(term);
    if (hosts.containsKey(term) || !m.matches()) {
      return match(term, pattern);
    }
    List<String> matched = new ArrayList<>(match(m.group(1), pattern));
    int n = matched.size();
    if (n == 0) {
      return Set.of(); // Ansible: nothing to subscript
    }
    String noMatch =
        "the host pattern '"
            + pattern
            + "': no host matched the subscripted pattern '"
            + term
            + "'";
    String sizeHint =
        "'" + m.group(1) + "' has " + n + " host(s): indexes go from 0 to " + (n - 1) + ", or -1";
    if (m.group(2) != null) {
      int i = Integer.parseInt(m.group(2));
      int at = i < 0 ? n + i : i;
      if (at < 0 || at >= n) {
        throw new InputException(noMatch, sizeHint);
      }
      return Set.of(matched.get(at));
    }
    int start = Integer.parseInt(m.group(3));
    String endText = m.group(4);
    if (!endText.isEmpty() && Integer.parseInt(endText) == 0) {
      // Ansible's "if end:" is false for 0: the subscript picks hosts[start]
      if (start >= n) {
        throw new InputException(noMatch, sizeHint);
      }
      return Set.of(matched.get(start));
    }
    // a missing end is the last host; the end is inclusive; beyond the hosts is cut, as in Python
    int end = endText.isEmpty() ? n - 1 : Integer.parseInt(endText);
    int from = Math.min(start, n);
    int to = Math.max(from, Math.min(end + 1, n));
    return new LinkedHashSet<>(matched.subList(from, to));
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
            + describe(),
        "groups are: "
            + String.join(", ", groups.keySet())
            + "; check the spelling, or list hosts with: orchestrator inventory "
            + inventoryOptions());
  }
}
