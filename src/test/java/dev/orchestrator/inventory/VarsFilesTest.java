package dev.orchestrator.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code group_vars/NAME} and {@code host_vars/NAME} found and merged as Ansible 2.14's {@code
 * host_group_vars} plugin does (issue 14).
 */
class VarsFilesTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  @Test
  void theFirstOfNameYmlYamlJsonIsReadAndTheOthersAreNot() throws IOException {
    // given db with a .yml, a .yaml and a .json file, and web with only a file without extension
    write("group_vars/db.yml", "source: yml\n");
    write("group_vars/db.yaml", "source: yaml\nonly_yaml: 1\n");
    write("group_vars/db.json", "{\"source\": \"json\"}\n");
    write("group_vars/web", "source: bare\n");
    write("group_vars/cache.json", "{\"port\": 6379, \"hosts\": [\"a\"]}\n");
    // when their vars are read
    VarsFiles files = new VarsFiles();
    // then only the first existing name counts, and JSON is read
    assertEquals(Map.of("source", "yml"), files.vars(dir, "group_vars", "db"));
    assertEquals(Map.of("source", "bare"), files.vars(dir, "group_vars", "web"));
    assertEquals(
        Map.of("port", 6379L, "hosts", List.of("a")), files.vars(dir, "group_vars", "cache"));
    assertEquals(Map.of(), files.vars(dir, "group_vars", "nothing"));
  }

  @Test
  void aFolderBeatsAFileAndIsReadRecursivelyInOrderLaterFilesReplacingDicts() throws IOException {
    // given group_vars/all/ (a folder, and an all.yml that is then not read)
    write("group_vars/all.yml", "from_file: true\n");
    write("group_vars/all/00.yml", "ntp: {servers: [a, b], enabled: true}\nlayer: 00\n");
    write("group_vars/all/10.yaml", "ntp: {servers: [c]}\nlayer: 10\n");
    write("group_vars/all/nested/20", "layer: nested\n");
    write("group_vars/all/x.d/30.yml", "layer: folder-with-extension\n");
    write("group_vars/all/notes.txt", "layer: txt\n");
    write("group_vars/all/zz.yml~", "layer: backup\n");
    write("group_vars/all/.hidden.yml", "layer: hidden\n");
    write("group_vars/all/05.json", "{\"layer\": \"json\"}\n");
    write("group_vars/all/empty.yml", "");
    // when the files are found and merged
    List<Path> found = VarsFiles.find(dir.resolve("group_vars"), "all");
    Map<String, Object> vars = new VarsFiles().vars(dir, "group_vars", "all");
    // then in sorted order, recursively, skipping what Ansible skips
    assertEquals(
        List.of("00.yml", "05.json", "10.yaml", "empty.yml", "nested/20"),
        found.stream().map(p -> dir.resolve("group_vars/all").relativize(p).toString()).toList());
    // and a later file replaces a dict as a whole (hash_behaviour: replace)
    assertEquals(Map.of("ntp", Map.of("servers", List.of("c")), "layer", "nested"), vars);
  }

  @Test
  void pythonsSplitextDecidesWhatAnExtensionIs() {
    assertEquals("", VarsFiles.extension("plain"));
    assertEquals("", VarsFiles.extension(".hidden"));
    assertEquals("", VarsFiles.extension("..x"));
    assertEquals(".yml", VarsFiles.extension("a.b.yml"));
    assertEquals(".d", VarsFiles.extension("conf.d"));
  }

  /** Hostile names: a host or group name never makes the lookup leave its vars folder. */
  @Property(tries = 300)
  void noNameReadsAFileOutsideTheVarsFolder(@ForAll String name) throws IOException {
    Path base = Files.createTempDirectory("vars");
    try {
      Path varsDir = Files.createDirectories(base.resolve("in/host_vars"));
      Files.writeString(base.resolve("in/secret.yml"), "a: 1\n");
      Files.writeString(base.resolve("secret"), "a: 1\n");
      Files.writeString(varsDir.resolve("h.yml"), "a: 1\n");
      for (Path p : VarsFiles.find(varsDir, name)) {
        assertTrue(
            p.toAbsolutePath().normalize().startsWith(varsDir.toAbsolutePath().normalize()),
            name + " -> " + p);
      }
      for (String n : List.of("..", "../secret", "../../secret", "/etc/passwd", ".")) {
        assertEquals(List.of(), VarsFiles.find(varsDir, n), n);
      }
    } finally {
      try (var all = Files.walk(base)) {
        all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
