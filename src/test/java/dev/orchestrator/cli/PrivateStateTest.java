package dev.orchestrator.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything the state folder holds after a run (run.json, the journal, events.jsonl, step logs,
 * report.html, the artifact cache) is private to its owner: no file or folder is readable, writable
 * or searchable by the group or others, whatever the umask.
 */
class PrivateStateTest {
  /** The CLI under test; its local hosts live in the test's home folder (set per test). */
  private Cli.Session cli =
      Cli.withLocalHome(java.nio.file.Path.of(System.getProperty("user.home")));

  private static final Set<PosixFilePermission> OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  @TempDir Path dir;
  private WireMockServer http;

  @BeforeEach
  void start(@TempDir Path home) {
    cli = Cli.withLocalHome(home);
    http =
        new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    http.start();
  }

  @AfterEach
  void stop() {
    http.stop();
  }

  @Test
  void noFileOfTheStateFolderIsReadableByOthersAfterARun() throws Exception {
    byte[] release = "release bytes\n".getBytes(StandardCharsets.UTF_8);
    http.stubFor(get(urlEqualTo("/a.bin")).willReturn(aResponse().withBody(release)));
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(release));
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1: {connection: local}\n");
    Files.writeString(
        dir.resolve("pb.yml"),
        """
        artifacts:
          - {id: a, url: "http://127.0.0.1:%d/a.bin", sha256: "%s"}
        hosts: all
        steps:
          - {id: up, upload: {artifact: a, dest: "{{ dest }}"}}
          - {id: out, shell: "echo some output; echo more >&2"}
        """
            .formatted(http.port(), sha));
    Path state = dir.resolve("state");
    Cli.Result run =
        cli.run(
            "run",
            dir.resolve("pb.yml").toString(),
            "-i",
            dir.resolve("inv.yml").toString(),
            "--state-dir",
            state.toString(),
            "-e",
            "dest=" + dir.resolve("uploaded.bin"));
    assertEquals(0, run.exitCode(), run.out() + run.err());
    String id = run.runId();
    Cli.Result report = cli.run("report", id, "--state-dir", state.toString());
    assertEquals(0, report.exitCode(), report.out() + report.err());

    List<String> seen = new ArrayList<>();
    List<String> open = new ArrayList<>();
    try (Stream<Path> all = Files.walk(state)) {
      for (Path p : all.toList()) {
        seen.add(state.relativize(p).toString());
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
        perms.retainAll(OTHERS);
        if (!perms.isEmpty()) {
          open.add(
              state.relativize(p)
                  + " "
                  + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        }
      }
    }
    for (String expected :
        List.of(
            "runs/" + id + "/report.html",
            "runs/" + id + "/events.jsonl",
            "runs/" + id + "/journal.jsonl",
            "runs/" + id + "/run.json",
            "runs/" + id + "/logs/h1/out.1.log",
            "artifacts/" + sha)) {
      assertTrue(seen.contains(expected), expected + " is among " + seen);
    }
    assertEquals(List.of(), open, "readable by others");
  }
}
