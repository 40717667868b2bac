package dev.orchestrator.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.corpus.Census.Kind;
import dev.orchestrator.corpus.Census.Playbook;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The corpus's census is current, and reads what the playbooks use. */
class CensusTest {
  private static final Path FILE = Census.CORPUS.resolve("CENSUS.md");

  @Test
  void censusFileIsCurrent() throws IOException {
    // given the census generated from the corpus as it is now
    String fresh = Census.markdown(Census.read(Census.CORPUS));
    if (Boolean.getBoolean("census.write")) {
      Files.writeString(FILE, fresh, StandardCharsets.UTF_8);
    }
    // when the committed file is read
    String committed = Files.exists(FILE) ? Files.readString(FILE, StandardCharsets.UTF_8) : "";
    // then it is the same, or the census is stale
    assertEquals(
        fresh,
        committed,
        "CENSUS.md is stale: regenerate it with"
            + " mvn -o -q -B test -Dtest=CensusTest -Dcensus.write=true");
  }

  @Test
  void corpusHoldsAtLeastTwentyFivePlaybooksWithProvenance() {
    // given the corpus
    List<Playbook> playbooks = Census.read(Census.CORPUS);
    // then it has the 25 playbooks, each folder naming its repository and commit
    assertTrue(playbooks.size() >= 25, playbooks.size() + " playbooks");
    for (Path tree : Census.trees(Census.CORPUS)) {
      String source = read(tree.resolve("SOURCE.md"));
      assertTrue(
          source.matches("(?s).*Repository: https://github\\.com/\\S+ at commit `[0-9a-f]{40}`.*"),
          tree + "/SOURCE.md names no repository and commit");
      assertTrue(source.contains("licence:"), tree + "/SOURCE.md names no licence");
    }
  }

  @Test
  void everyFileIsTheUpstreamBlobItsSourceNames() throws Exception {
    for (Path tree : Census.trees(Census.CORPUS)) {
      // given the files a folder's SOURCE.md lists, with their upstream Git blob ids
      Map<String, String> listed = new java.util.TreeMap<>();
      java.util.regex.Matcher row =
          java.util.regex.Pattern.compile(
                  "(?m)^\\| `([^`]+)` \\| \\S+ \\| `[^`]+` \\| `([0-9a-f]{40})` \\|$")
              .matcher(read(tree.resolve("SOURCE.md")));
      while (row.find()) {
        listed.put(row.group(1), row.group(2));
      }
      // when the folder's files are hashed as Git hashes a blob
      Map<String, String> found = new java.util.TreeMap<>();
      try (java.util.stream.Stream<Path> files = Files.walk(tree)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String rel = tree.relativize(f).toString();
          if (!rel.equals("SOURCE.md")) {
            found.put(rel, gitBlobId(Files.readAllBytes(f)));
          }
        }
      }
      // then each is byte for byte the upstream file, and none is unlisted
      assertEquals(listed, found, tree + ": files differ from SOURCE.md's upstream blobs");
    }
  }

  /** Git's id of a file's content: SHA-1 of "blob LENGTH\\0" and the bytes. */
  private static String gitBlobId(byte[] content) throws Exception {
    java.security.MessageDigest sha1 = java.security.MessageDigest.getInstance("SHA-1");
    sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
    return java.util.HexFormat.of().formatHex(sha1.digest(content));
  }

  @Test
  void rollingUpdateIsReadThroughItsRoles() {
    // given ansible-examples' rolling update
    Playbook rolling =
        Census.read(Census.CORPUS).stream()
            .filter(p -> p.id().equals("ansible-examples-lamp_haproxy/rolling_update.yml"))
            .findFirst()
            .orElseThrow();
    Map<Kind, Map<String, Integer>> counts = rolling.counts();
    // then its plays, keywords, modules, filters and role files are found
    assertEquals(2, rolling.plays().size(), rolling.plays().toString());
    assertTrue(counts.get(Kind.PLAY_KEYWORD).containsKey("serial"));
    assertTrue(counts.get(Kind.TASK_KEYWORD).containsKey("delegate_to"));
    assertTrue(counts.get(Kind.LOOKUP).containsKey("items"));
    assertTrue(counts.get(Kind.MODULE).containsKey("service → ansible.builtin.service"));
    assertTrue(rolling.files().contains("roles/web/tasks/main.yml"), rolling.files().toString());
    assertTrue(rolling.problems().isEmpty(), rolling.problems().toString());
  }

  @Test
  void moduleNamesResolveToAnsiblesFqcn() {
    // given short names, an FQCN and a collection's module
    // then Ansible 2.14's routing is followed
    assertEquals("ansible.builtin.copy", Census.fqcn("copy"));
    assertEquals("ansible.builtin.copy", Census.fqcn("ansible.builtin.copy"));
    assertEquals("community.general.npm", Census.fqcn("npm"));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
