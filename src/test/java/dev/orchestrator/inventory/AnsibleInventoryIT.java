package dev.orchestrator.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inventories users already have resolve as Ansible resolves them (issue #7): real-world-shaped
 * inventories in both formats, with group_vars/ and host_vars/ (files and folders of files), are
 * compared with what Debian's {@code ansible-inventory --list} reports for the same files — hosts,
 * each group's hosts, each host's merged vars with their types — and host patterns with {@code
 * ansible PATTERN --list-hosts}. Skipped, with a message, where Ansible is not installed ({@code
 * .ci/run} installs it).
 */
class AnsibleInventoryIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path fixture(String name) {
    return Path.of("src/test/resources/inventories").resolve(name).toAbsolutePath();
  }

  private static String ansible(String... command) throws IOException, InterruptedException {
    // forked from one Python that imported Ansible once (AnsibleForkServer), in this folder
    return AnsibleOracle.run(Path.of("").toAbsolutePath(), List.of(command));
  }

  private static Boolean ansibleInstalled;

  private static synchronized boolean hasAnsible() {
    if (ansibleInstalled == null) {
      try {
        ansibleInstalled =
            new ProcessBuilder("ansible-inventory", "--version")
                    .redirectErrorStream(true)
                    .start()
                    .waitFor()
                == 0;
      } catch (IOException | InterruptedException e) {
        ansibleInstalled = false;
      }
    }
    return ansibleInstalled;
  }

  @ParameterizedTest
  @ValueSource(strings = {"ini-fleet/hosts", "yaml-fleet/inventory.yml"})
  void hostsGroupsAndVarsResolveAsAnsibleInventoryReportsThem(String file) throws Exception {
    assumeTrue(
        hasAnsible(),
        "ansible-inventory is not installed (apt-get install ansible; .ci/run installs it)");
    Path path = fixture(file);
    // given Ansible's view of the inventory
    JsonNode theirs = JSON.readTree(ansible("ansible-inventory", "-i", path.toString(), "--list"));
    // when orchestrator reads it
    Inventory ours = InventoryLoader.load(path);
    // then the same hosts...
    Map<String, Set<String>> theirGroups = new TreeMap<>();
    for (var it = theirs.fields(); it.hasNext(); ) {
      var g = it.next();
      if (!g.getKey().equals("_meta")) {
        theirGroups.put(g.getKey(), allHosts(theirs, g.getKey()));
      }
    }
    assertEquals(theirGroups.get("all"), new TreeSet<>(ours.hosts().keySet()), "hosts");
    // ...in the same groups (each group's hosts, children included)...
    Map<String, Set<String>> ourGroups = new TreeMap<>();
    ours.groups().forEach((g, hs) -> ourGroups.put(g, new TreeSet<>(hs)));
    theirGroups.entrySet().removeIf(e -> e.getValue().isEmpty());
    ourGroups.entrySet().removeIf(e -> e.getValue().isEmpty());
    assertEquals(theirGroups, ourGroups, "groups");
    // ...with the same merged vars and the same types
    JsonNode hostvars = theirs.path("_meta").path("hostvars");
    for (Host h : ours.hosts().values()) {
      JsonNode mine = JSON.readTree(JSON.writeValueAsString(new TreeMap<>(h.vars())));
      JsonNode expected = hostvars.path(h.name());
      assertEquals(
          expected.isMissingNode() ? JSON.createObjectNode() : expected,
          mine,
          "vars of " + h.name());
    }
  }

  /** A group's hosts in ansible-inventory's output: its own and its children's. */
  private static Set<String> allHosts(JsonNode list, String group) {
    Set<String> out = new TreeSet<>();
    JsonNode g = list.path(group);
    g.path("hosts").forEach(h -> out.add(h.asText()));
    g.path("children").forEach(c -> out.addAll(allHosts(list, c.asText())));
    return out;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"web:db", "eu:&web", "eu:!db", "web0*", "all:!ungrouped", "monitoring:bastion"})
  void hostPatternsSelectWhatAnsibleSelects(String pattern) throws Exception {
    assumeTrue(
        hasAnsible(), "ansible is not installed (apt-get install ansible; .ci/run installs it)");
    Path path = fixture("ini-fleet/hosts");
    // ansible PATTERN --list-hosts prints "  hosts (N):" then one host per line
    Set<String> theirs =
        ansible("ansible", "-i", path.toString(), pattern, "--list-hosts")
            .lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("hosts ("))
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> ours =
        InventoryLoader.load(path).select(pattern).stream()
            .map(Host::name)
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(theirs, ours, pattern);
  }
}
