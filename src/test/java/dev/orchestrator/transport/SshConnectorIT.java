package dev.orchestrator.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.TestFleet;
import dev.orchestrator.transport.ssh.SshConnector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sshj against a real SSH server: exec, timeouts, and host-key checking. */
class SshConnectorIT {
  @TempDir Path dir;
  private TestFleet fleet;

  @BeforeEach
  void start() throws Exception {
    fleet = TestFleet.start(dir, Map.of("h1", "g", "h2", "g"));
  }

  @AfterEach
  void stop() throws Exception {
    fleet.close();
  }

  private Endpoint spec(String host) {
    return new Endpoint(
        Endpoint.Kind.SSH, "127.0.0.1", fleet.port(host), "tester", Optional.of(fleet.clientKey()));
  }

  @Test
  void runsCommandsOverOneConnection() throws Exception {
    try (Connection c = new SshConnector(fleet.knownHosts(), false).open("h1", spec("h1"))) {
      ExecResult r = c.exec("echo out; echo err >&2; exit 3", Optional.empty());
      assertEquals(3, r.exitCode());
      assertEquals("out\n", r.stdout());
      assertEquals("err\n", r.stderr());
      assertEquals(fleet.home("h1").toString(), c.exec("pwd", Optional.empty()).stdout().trim());
    }
  }

  @Test
  void aTimeoutEndsTheCommand() throws Exception {
    try (Connection c = new SshConnector(fleet.knownHosts(), false).open("h1", spec("h1"))) {
      // a command that cannot end during the test: returning at all shows the timeout ended it
      ExecResult r = c.exec("sleep 120; echo never", Optional.of(Duration.ofMillis(300)));
      assertTrue(r.timedOut());
      assertFalse(r.stdout().contains("never"), r.stdout());
      assertTrue(r.duration().toMillis() < 60_000, "did not wait for the command: " + r.duration());
      assertEquals(
          "ok\n", c.exec("echo ok", Optional.empty()).stdout(), "the connection is still usable");
    }
  }

  @Test
  void anUnknownHostKeyIsRefusedWithTheFixInTheMessage() throws Exception {
    Path empty = dir.resolve("empty_known_hosts");
    Files.writeString(empty, "");
    TransportException e =
        assertThrows(
            TransportException.class, () -> new SshConnector(empty, false).open("h1", spec("h1")));
    assertEquals(TransportException.Kind.HOST_KEY, e.kind());
    assertTrue(e.getMessage().contains("is not in " + empty), e.getMessage());
    assertTrue(
        e.getMessage().contains("ssh-keyscan -p " + fleet.port("h1") + " 127.0.0.1 >> " + empty),
        e.getMessage());
    assertTrue(e.getMessage().contains("--accept-new-host-keys"), e.getMessage());
    // and the key is named by the fingerprint ssh-keygen shows, not by MD5
    assertTrue(
        e.getMessage().contains("(ecdsa-sha2-nistp256 " + fingerprint("h1") + ")"), e.getMessage());
    assertFalse(e.getMessage().matches("(?s).*\\b\\p{XDigit}{2}(:\\p{XDigit}{2}){15}\\b.*"), "MD5");
  }

  /**
   * The SHA-256 fingerprint of a host's key as OpenSSH defines it (the unpadded base64 of the
   * SHA-256 of the key blob in its known_hosts line), checked against ssh-keygen when installed.
   */
  private String fingerprint(String host) throws Exception {
    String line =
        Files.readAllLines(fleet.knownHosts()).stream()
            .filter(l -> l.startsWith("[127.0.0.1]:" + fleet.port(host) + " "))
            .findFirst()
            .orElseThrow();
    byte[] blob = java.util.Base64.getDecoder().decode(line.split(" ")[2]);
    String expected =
        "SHA256:"
            + java.util.Base64.getEncoder()
                .withoutPadding()
                .encodeToString(java.security.MessageDigest.getInstance("SHA-256").digest(blob));
    Path one = dir.resolve("one_host_" + host);
    Files.writeString(one, line + "\n");
    try {
      Process p = new ProcessBuilder("ssh-keygen", "-l", "-f", one.toString()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() == 0) {
        assertTrue(out.contains(" " + expected + " "), "ssh-keygen agrees: " + out);
      }
    } catch (java.io.IOException noSshKeygen) {
      // OpenSSH's client tools are not installed: the definition above stands alone
    }
    return expected;
  }

  @Test
  void acceptNewRecordsTheKeyAndTheNextConnectionIsVerified() throws Exception {
    Path known = dir.resolve("new_known_hosts");
    try (Connection c = new SshConnector(known, true).open("h1", spec("h1"))) {
      assertEquals(0, c.exec("true", Optional.empty()).exitCode());
    }
    assertTrue(
        Files.readString(known)
            .contains("[127.0.0.1]:" + fleet.port("h1") + " ecdsa-sha2-nistp256"));
    try (Connection c = new SshConnector(known, false).open("h1", spec("h1"))) {
      assertEquals(0, c.exec("true", Optional.empty()).exitCode());
    }
  }

  @Test
  void aChangedHostKeyIsRefusedEvenWithAcceptNew() throws Exception {
    // known_hosts says h1's port has h2's key
    String h2Line =
        Files.readAllLines(fleet.knownHosts()).stream()
            .filter(l -> l.startsWith("[127.0.0.1]:" + fleet.port("h2")))
            .findFirst()
            .orElseThrow();
    Path known = dir.resolve("changed_known_hosts");
    Files.writeString(
        known,
        h2Line
                .replace(":" + fleet.port("h2") + "]", "")
                .replace("[127.0.0.1]:" + fleet.port("h2"), "[127.0.0.1]:" + fleet.port("h1"))
            + "\n");
    TransportException e =
        assertThrows(
            TransportException.class, () -> new SshConnector(known, true).open("h1", spec("h1")));
    assertEquals(TransportException.Kind.HOST_KEY, e.kind());
    assertTrue(e.getMessage().contains("HOST KEY HAS CHANGED"), e.getMessage());
    assertTrue(
        e.getMessage().contains("the key offered (ecdsa-sha2-nistp256 " + fingerprint("h1") + ")"),
        e.getMessage());
    assertTrue(
        e.getMessage().contains("ssh-keygen -R '[127.0.0.1]:" + fleet.port("h1") + "'"),
        e.getMessage());
  }

  @Test
  void aWrongKeyIsAnAuthenticationError() throws Exception {
    Path other = dir.resolve("other_key");
    dev.orchestrator.sandbox.ClientKey.generate(other);
    Endpoint wrong =
        new Endpoint(
            Endpoint.Kind.SSH, "127.0.0.1", fleet.port("h1"), "tester", Optional.of(other));
    TransportException e =
        assertThrows(
            TransportException.class,
            () -> new SshConnector(fleet.knownHosts(), false).open("h1", wrong));
    assertEquals(TransportException.Kind.AUTH, e.kind());
    assertTrue(e.getMessage().contains("authentication as 'tester'"), e.getMessage());
  }
}
