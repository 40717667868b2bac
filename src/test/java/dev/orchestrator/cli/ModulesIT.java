package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.sandbox.TestFleet;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wait_for} on a real OpenSSH host: the loop runs on the host (whose loopback is this
 * machine's), waits for a port the test opens and for a file that appears with the expected
 * content; a closed port fails the step with Ansible's message, which {@code ignore_errors} lets
 * the host go past; {@code set_fact} then {@code assert} and {@code uri} finish the host.
 */
class ModulesIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void waitForAPortAndAFileOnTheHost() throws Exception {
    try (TestFleet fleet = TestFleet.start(dir, Map.of("h1", "web"));
        ServerSocket open = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ServerSocket closing = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int closedPort = closing.getLocalPort();
      closing.close();
      Path ready = fleet.home("h1").resolve("ready");
      Path pb = dir.resolve("pb.yml");
      Files.writeString(
          pb,
          """
          hosts: web
          steps:
            - id: port
              wait_for: {port: "{{ app_port }}", timeout: 60}
              register: p
            - id: file
              wait_for: {path: ready, search_regex: "^ok", timeout: 120, sleep: 1}
            - id: closed
              wait_for: {port: %d, timeout: 2}
              register: c
              ignore_errors: true
            - id: remember
              set_fact: {seen: "{{ c.msg }}"}
            - id: check
              assert:
                that: ["p.state == 'started'", "c.failed", "seen == 'Timeout when waiting for 127.0.0.1:%d'"]
          """
              .formatted(closedPort, closedPort));
      ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
      try {
        // the file appears while the run waits for it (first a content that does not match)
        later.schedule(() -> write(ready, "starting\n"), 1, TimeUnit.SECONDS);
        later.schedule(() -> write(ready, "ok\n"), 3, TimeUnit.SECONDS);
        Cli.Result run =
            Cli.run(
                "run",
                pb.toString(),
                "-i",
                fleet.inventory().toString(),
                "--known-hosts",
                fleet.knownHosts().toString(),
                "--state-dir",
                dir.resolve("state").toString(),
                "--output",
                "json",
                "-e",
                "app_port=" + open.getLocalPort());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        List<String> finished = new ArrayList<>();
        for (String line : run.out().strip().split("\n")) {
          JsonNode e = JSON.readTree(line);
          if (e.get("event").asText().equals("step_finished")) {
            finished.add(e.get("step").asText() + " " + e.get("status").asText());
          }
        }
        assertEquals(
            List.of(
                "port succeeded",
                "file succeeded",
                "closed ignored",
                "remember succeeded",
                "check succeeded"),
            finished);
        assertTrue(run.out().contains("failed, ignored (ignore_errors): Timeout when waiting"));
      } finally {
        later.shutdownNow();
      }
    }
  }

  private static void write(Path file, String text) {
    try {
      Path tmp = file.resolveSibling(".ready.tmp");
      Files.writeString(tmp, text);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
