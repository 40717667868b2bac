package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A value a template derives from a secret ({@code upper}, {@code b64encode}, a substring, a
 * replacement, pasted with {@code quote}) is masked like the secret itself: it appears in no file
 * of the state folder (step logs, journal, events, report, run.json) and not on the console.
 */
class DerivedSecretsTest {
  /** The CLI under test; its local hosts live in the test's home folder (set per test). */
  private Cli.Session cli =
      Cli.withLocalHome(java.nio.file.Path.of(System.getProperty("user.home")));

  @TempDir Path dir;

  @BeforeEach
  void localHome(@TempDir Path home) {
    cli = Cli.withLocalHome(home);
  }

  @Test
  void derivedValuesAreMaskedEverywhere() throws Exception {
    String secret = "hunter2secret";
    List<String> derived =
        List.of(
            secret.toUpperCase(Locale.ROOT),
            Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)),
            secret.substring(0, 8),
            "HUNTER2secret",
            "pre-" + secret.toUpperCase(Locale.ROOT));
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1: {connection: local}\n");
    Files.writeString(
        dir.resolve("pb.yml"),
        """
        hosts: all
        steps:
          - id: upper
            shell: "echo {{ db_password | upper }}"
            register: up
          - id: b64
            shell: "echo {{ db_password | b64encode }}"
          - id: substring
            shell: "echo {{ db_password[0:8] }}"
          - id: env
            environment: {TOKEN: "{{ db_password | replace('hunter', 'HUNTER') }}"}
            shell: "echo $TOKEN"
          - id: quoted
            shell: "echo pre-{{ db_password | upper | quote }}"
          - id: fails
            shell: "echo {{ db_password | upper }} >&2; exit 3"
        """);
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
            "db_password=" + secret);
    assertEquals(3, run.exitCode(), run.out() + run.err());
    Cli.Result json = cli.run("status", run.runId(), "--state-dir", state.toString(), "-o", "json");
    Cli.Result logs = cli.run("logs", run.runId(), "--host", "h1", "--state-dir", state.toString());

    List<String> files = new ArrayList<>();
    List<String> leaks = new ArrayList<>();
    try (Stream<Path> all = Files.walk(state)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        files.add(state.relativize(p).toString());
        String text = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        for (String value : derived) {
          if (text.contains(value) || text.contains(secret)) {
            leaks.add(state.relativize(p) + " holds " + value);
          }
        }
      }
    }
    assertTrue(files.stream().anyMatch(f -> f.endsWith("report.html")), files.toString());
    assertTrue(files.stream().anyMatch(f -> f.endsWith("upper.1.log")), files.toString());
    assertEquals(List.of(), leaks);
    for (Cli.Result r : List.of(run, json, logs)) {
      for (String value : derived) {
        assertTrue(!(r.out() + r.err()).contains(value), value + " printed: " + r.out() + r.err());
      }
    }
    assertTrue(logs.out().contains("********"), "the log shows the masked value: " + logs.out());
  }

  /**
   * Gates mask secrets and what their templates derive from them, in records, events and reasons.
   */
  @Test
  void gatesMaskSecretsAndDerivedValues() throws Exception {
    String secret = "tok3nvalue";
    Files.writeString(
        dir.resolve("inv.yml"),
        """
        all:
          children:
            one: {hosts: {h1: {connection: local}}}
            two: {hosts: {h2: {connection: local}}}
        """);
    Path state = dir.resolve("state");
    for (String gate :
        List.of(
            "- approval: \"ship with {{ api_token | upper }}?\"",
            "- health: {url: \"http://127.0.0.1:9/{{ api_token }}/{{ api_token | upper }}\","
                + " timeout: 1s, interval: 1s}")) {
      Files.writeString(
          dir.resolve("pb.yml"),
          "stages:\n  - {name: one, hosts: one}\n  - name: two\n    hosts: two\n    gates:\n      "
              + gate
              + "\nsteps:\n  - {id: a, shell: \"true\"}\n");
      Cli.Result run =
          cli.run(
              "run",
              dir.resolve("pb.yml").toString(),
              "-i",
              dir.resolve("inv.yml").toString(),
              "--state-dir",
              state.toString(),
              "-e",
              "api_token=" + secret);
      assertEquals(3, run.exitCode(), run.out() + run.err());
      for (String value : List.of(secret, secret.toUpperCase(Locale.ROOT))) {
        assertTrue(!(run.out() + run.err()).contains(value), run.out() + run.err());
      }
      Cli.Result status = cli.run("status", run.runId(), "--state-dir", state.toString());
      assertTrue(!status.out().contains(secret.toUpperCase(Locale.ROOT)), status.out());
    }
    List<String> leaks = new ArrayList<>();
    try (Stream<Path> all = Files.walk(state)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(p, StandardCharsets.UTF_8);
        if (text.contains(secret) || text.contains(secret.toUpperCase(Locale.ROOT))) {
          leaks.add(state.relativize(p).toString());
        }
      }
    }
    assertEquals(List.of(), leaks);
  }

  /**
   * An artifact URL derived from a secret (a token in a download path) is masked in the artifact
   * fetcher's events and in the upload step's log and registered output.
   */
  @Test
  void artifactUrlsDerivedFromSecretsAreMasked() throws Exception {
    // given: an artifact whose URL holds a value derived from a secret
    String secret = "hunter2secret";
    String derived = secret.toUpperCase(Locale.ROOT);
    byte[] release = "release bytes\n".getBytes(StandardCharsets.UTF_8);
    Path source = Files.createDirectories(dir.resolve("srv"));
    Files.write(source.resolve(derived + ".bin"), release);
    String sha =
        java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(release));
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1: {connection: local}\n");
    Files.writeString(
        dir.resolve("pb.yml"),
        """
        artifacts:
          - {id: a, url: "file://%s/{{ db_password | upper }}.bin", sha256: "%s"}
        hosts: all
        steps:
          - id: up
            upload: {artifact: a, dest: "%s/dest/a.bin"}
            register: sent
          - {id: show, shell: "echo {{ sent.stdout }}; exit 3"}
        """
            .formatted(source, sha, dir));
    Path state = dir.resolve("state");
    // when
    Cli.Result run =
        cli.run(
            "run",
            dir.resolve("pb.yml").toString(),
            "-i",
            dir.resolve("inv.yml").toString(),
            "--state-dir",
            state.toString(),
            "-e",
            "db_password=" + secret);
    // then
    assertEquals(3, run.exitCode(), run.out() + run.err());
    assertEquals(
        "release bytes",
        Files.readString(dir.resolve("dest/a.bin")).strip(),
        "the upload itself used the real URL");
    List<String> files = new ArrayList<>();
    List<String> leaks = new ArrayList<>();
    try (Stream<Path> all = Files.walk(state)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        files.add(state.relativize(p).toString());
        String text = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        if (text.contains(derived) || text.contains(secret)) {
          leaks.add(state.relativize(p).toString());
        }
      }
    }
    assertTrue(files.stream().anyMatch(f -> f.endsWith("events.jsonl")), files.toString());
    assertTrue(files.stream().anyMatch(f -> f.endsWith("up.1.log")), files.toString());
    assertEquals(List.of(), leaks);
    assertTrue(!(run.out() + run.err()).contains(derived), run.out() + run.err());
  }
}
