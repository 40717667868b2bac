package dev.orchestrator.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.cli.Cli;
import dev.orchestrator.common.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every inventory of the corpus resolves as Debian's Ansible resolves it (issue #14). The corpus is
 * {@code src/test/resources/inventories/FAMILY/CASE/}: a family folder holds only case folders
 * (folders with files of their own, such as the older {@code ini-fleet/}, are fixtures of other
 * tests and not cases). A case folder holds:
 *
 * <ul>
 *   <li>its inventory: the one file in it, or the sources listed in {@code cli-args} ({@code -i
 *       SOURCE} pairs, or bare sources, relative to the case folder, in order), with its {@code
 *       group_vars/} and {@code host_vars/};
 *   <li>optionally {@code limit}: host patterns, one a line, each compared with {@code ansible
 *       PATTERN --list-hosts};
 *   <li>optionally {@code expect-error}: the inventory is one Ansible refuses; orchestrator must
 *       refuse it too (exit 2) with a message containing each line of that file (e.g. {@code
 *       hosts:3:}).
 * </ul>
 *
 * <p>For each case, {@code ansible-inventory -i ... --list} and {@code orchestrator inventory -i
 * ... --output json} must report the same hosts, the same transitive members of every group ({@code
 * all} and {@code ungrouped} included, empty groups too), and for each host the same vars with the
 * same JSON types. Secret-named vars are compared masked: masking is the one intended difference.
 * Skipped where Ansible is missing, but failed under {@code CI=true}.
 */
class InventoryParityIT {
  private static final ObjectMapper JSON = AnsibleOracle.mapper();
  private static final Path CORPUS = Path.of("src/test/resources/inventories").toAbsolutePath();
  private static final Set<String> CASE_FILES = Set.of("cli-args", "limit", "expect-error");

  static Stream<String> cases() throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> families = Files.list(CORPUS)) {
      for (Path family : families.filter(Files::isDirectory).sorted().toList()) {
        List<Path> entries;
        try (Stream<Path> s = Files.list(family)) {
          entries = s.sorted().toList();
        }
        if (entries.stream().anyMatch(Files::isRegularFile)) {
          continue; // a fixture of other tests, not a family of cases
        }
        for (Path c : entries) {
          out.add(CORPUS.relativize(c).toString());
        }
      }
    }
    return out.stream();
  }

  @Test
  void theCorpusHasCasesOfEveryFamily() throws IOException {
    List<String> all = cases().toList();
    assertTrue(all.size() >= 15, "cases: " + all);
    assertTrue(all.stream().filter(c -> c.startsWith("ini/")).count() >= 15, "INI cases: " + all);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void resolvesAsAnsibleInventoryDoes(String name) throws Exception {
    AnsibleOracle.requireAnsible();
    Path dir = CORPUS.resolve(name);
    List<String> sources = sources(dir);
    List<String> ansibleArgs = new ArrayList<>(List.of("ansible-inventory"));
    List<String> ourArgs = new ArrayList<>(List.of("inventory"));
    for (String s : sources) {
      ansibleArgs.addAll(List.of("-i", s));
      ourArgs.addAll(List.of("-i", s));
    }
    ansibleArgs.add("--list");
    ourArgs.addAll(List.of("--output", "json"));
    Path expectError = dir.resolve("expect-error");
    if (Files.exists(expectError)) {
      // given an inventory Ansible refuses (ANY_UNPARSED_IS_FAILED turns its warning into an error)
      assertFalse(
          AnsibleOracle.succeeds(
              dir, ansibleArgs, Map.of("ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED", "True")),
          name + ": ansible-inventory accepts this case, expected it to refuse it");
      // when orchestrator reads it, then it refuses it too, naming where
      Cli.Result r = Cli.run(ourArgs.toArray(String[]::new));
      assertEquals(2, r.exitCode(), name + ": " + r.out() + r.err());
      for (String expected : Files.readAllLines(expectError)) {
        if (!expected.isBlank()) {
          assertTrue(r.err().contains(expected.strip()), name + ": " + r.err());
        }
      }
      return;
    }
    // given Ansible's view of the inventory
    JsonNode theirs = JSON.readTree(AnsibleOracle.run(dir, ansibleArgs));
    // when orchestrator reads it
    Cli.Result r = Cli.run(ourArgs.toArray(String[]::new));
    if (r.exitCode() != 0) {
      fail(name + ": orchestrator inventory exited " + r.exitCode() + ":\n" + r.err() + r.out());
    }
    JsonNode ours = JSON.readTree(r.out());
    // then the hosts, the groups' members and the hosts' vars are the same
    List<String> diffs = new ArrayList<>();
    Map<String, Set<String>> theirGroups = groupsOf(theirs);
    Set<String> theirHosts = theirGroups.getOrDefault("all", Set.of());
    Set<String> ourHosts = new TreeSet<>(names(ours.path("hosts")));
    if (!theirHosts.equals(ourHosts)) {
      diffs.add("hosts: ansible " + theirHosts + ", orchestrator " + ourHosts);
    }
    Map<String, Set<String>> ourGroups = new TreeMap<>();
    ours.path("groups")
        .fields()
        .forEachRemaining(
            e -> {
              Set<String> members = new TreeSet<>();
              e.getValue().forEach(h -> members.add(h.asText()));
              ourGroups.put(e.getKey(), members);
            });
    Set<String> groupNames = new TreeSet<>(theirGroups.keySet());
    groupNames.addAll(ourGroups.keySet());
    for (String g : groupNames) {
      Set<String> a = theirGroups.get(g);
      Set<String> o = ourGroups.get(g);
      if (a == null || !a.equals(o)) {
        diffs.add(
            "group "
                + g
                + ": ansible "
                + (a == null ? "(no such group)" : a)
                + ", orchestrator "
                + (o == null ? "(no such group)" : o));
      }
    }
    JsonNode hostvars = theirs.path("_meta").path("hostvars");
    for (String h : theirHosts) {
      if (!ourHosts.contains(h)) {
        continue;
      }
      JsonNode a = masked(hostvars.path(h));
      JsonNode o = ours.path("hosts").path(h).path("vars");
      Set<String> keys = new TreeSet<>(names(a));
      keys.addAll(names(o));
      for (String k : keys) {
        if (!a.path(k).equals(o.path(k))) {
          diffs.add(
              "host "
                  + h
                  + " var "
                  + k
                  + ": ansible "
                  + describe(a.path(k))
                  + ", orchestrator "
                  + describe(o.path(k)));
        }
      }
    }
    Path limit = dir.resolve("limit");
    if (Files.exists(limit)) {
      for (String pattern : Files.readAllLines(limit)) {
        if (pattern.isBlank()) {
          continue;
        }
        List<String> list = new ArrayList<>(List.of("ansible"));
        sources.forEach(s -> list.addAll(List.of("-i", s)));
        list.addAll(List.of(pattern.strip(), "--list-hosts"));
        Set<String> theirSelection = new TreeSet<>();
        AnsibleOracle.run(dir, list)
            .lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("hosts ("))
            .forEach(theirSelection::add);
        List<String> limited = new ArrayList<>(ourArgs);
        limited.addAll(List.of("--limit", pattern.strip()));
        Cli.Result lr = Cli.run(limited.toArray(String[]::new));
        Set<String> ourSelection =
            lr.exitCode() == 0
                ? new TreeSet<>(names(JSON.readTree(lr.out()).path("hosts")))
                : Set.of("(exit " + lr.exitCode() + ": " + lr.err().strip() + ")");
        if (!theirSelection.equals(ourSelection)) {
          diffs.add(
              "--limit '"
                  + pattern.strip()
                  + "': ansible "
                  + theirSelection
                  + ", orchestrator "
                  + ourSelection);
        }
      }
    }
    if (!diffs.isEmpty()) {
      fail(
          "case "
              + name
              + " resolves differently from ansible-inventory:\n  "
              + String.join("\n  ", diffs));
    }
  }

  /** The case's sources: {@code cli-args}, else its one inventory file; absolute paths. */
  private static List<String> sources(Path dir) throws IOException {
    Path args = dir.resolve("cli-args");
    List<String> out = new ArrayList<>();
    if (Files.exists(args)) {
      for (String word : Files.readString(args).strip().split("\\s+")) {
        if (!word.isEmpty() && !word.equals("-i") && !word.equals("--inventory")) {
          out.add(dir.resolve(word).normalize().toString());
        }
      }
      return out;
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> candidates =
          files
              .filter(Files::isRegularFile)
              .filter(f -> !CASE_FILES.contains(f.getFileName().toString()))
              .toList();
      if (candidates.size() != 1) {
        throw new AssertionError(
            dir + " has " + candidates.size() + " inventory files: list them in a cli-args file");
      }
      return List.of(candidates.get(0).toString());
    }
  }

  /**
   * Each group's hosts in ansible-inventory's output, its children's included; empty groups too.
   */
  private static Map<String, Set<String>> groupsOf(JsonNode list) {
    Map<String, Set<String>> out = new TreeMap<>();
    Set<String> names = new TreeSet<>();
    list.fieldNames()
        .forEachRemaining(
            g -> {
              if (!g.equals("_meta")) {
                names.add(g);
                list.path(g).path("children").forEach(c -> names.add(c.asText()));
              }
            });
    for (String g : names) {
      out.put(g, members(list, g));
    }
    return out;
  }

  private static Set<String> members(JsonNode list, String group) {
    Set<String> out = new TreeSet<>();
    JsonNode g = list.path(group);
    g.path("hosts").forEach(h -> out.add(h.asText()));
    g.path("children").forEach(c -> out.addAll(members(list, c.asText())));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static JsonNode masked(JsonNode vars) {
    if (vars.isMissingNode()) {
      return JSON.createObjectNode();
    }
    Map<String, Object> plain = JSON.convertValue(vars, Map.class);
    try {
      return JSON.readTree(JSON.writeValueAsString(Secrets.mask(plain)));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> names(JsonNode object) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  private static String describe(JsonNode v) {
    return v.isMissingNode()
        ? "(not set)"
        : v + " (" + v.getNodeType().toString().toLowerCase() + ")";
  }
}
