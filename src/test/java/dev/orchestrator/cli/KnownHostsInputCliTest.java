package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --known-hosts} and {@code private_key_file} name regular files: a device, a pipe, a folder
 * or a {@code /proc} file is refused with exit 2 before it is read (never an out-of-memory error,
 * exit 1, or its content in a message), and a file that is not a known_hosts file is exit 2 too.
 */
class KnownHostsInputCliTest {
  @TempDir Path dir;
  @TempDir Path home;

  private Cli.Session cli;

  @BeforeEach
  void files() throws Exception {
    cli = Cli.withLocalHome(home);
    Files.writeString(
        dir.resolve("inv.yml"), "all:\n  hosts:\n    h1: {ansible_host: 127.0.0.1, port: 1}\n");
    Files.writeString(dir.resolve("pb.yml"), "steps:\n  - {id: s, shell: \"true\"}\n");
  }

  private Cli.Result run(String knownHosts) {
    return cli.run(
        "run",
        dir.resolve("pb.yml").toString(),
        "-i",
        dir.resolve("inv.yml").toString(),
        "--state-dir",
        dir.resolve("state").toString(),
        "--known-hosts",
        knownHosts);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/dev/zero", "/dev/urandom", "/proc/self/environ", "/tmp"})
  void aKnownHostsThatIsNotARegularFileIsRefusedWithExit2(String file) {
    // given --known-hosts naming a device, a /proc file or a folder; when a run starts
    Cli.Result r = run(file);
    // then it is refused before it is read: exit 2, the file named, its content never shown
    assertEquals(2, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains("error: the known_hosts file " + file), r.err());
    assertTrue(r.err().contains("--known-hosts"), r.err());
    assertFalse(r.err().contains(System.getenv("PATH")), r.err());
    assertFalse(Files.exists(dir.resolve("state")), "nothing written");
  }

  @Test
  void aRegularFileThatIsNotKnownHostsIsExit2WithoutItsContent() throws Exception {
    // given a regular file whose line reads as a legacy RSA1 entry with a non-number (what
    // /dev/urandom's bytes hit: a NumberFormatException quoting the text)
    Path file =
        Files.writeString(dir.resolve("not-known-hosts"), "db.example.org 2048 35 s3cret\n");
    // when a run starts with it as --known-hosts
    Cli.Result r = run(file.toString());
    // then it is exit 2 (a bad input, not a bug), naming the file, without its content
    assertEquals(2, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains("not an OpenSSH known_hosts file"), r.err());
    assertFalse(r.err().contains("s3"), r.err());
  }

  @Test
  void aPrivateKeyFileThatIsNotARegularFileIsRefusedWithExit2() throws Exception {
    // given a host whose private_key_file is a /proc file
    Files.writeString(
        dir.resolve("inv.yml"),
        "all:\n  hosts:\n    h1: {ansible_host: 127.0.0.1, port: 1,"
            + " private_key_file: /proc/self/environ}\n");
    Path known = Files.writeString(dir.resolve("known_hosts"), "");
    // when a run starts
    Cli.Result r = run(known.toString());
    // then it is refused naming the host and file, exit 2, before anything is written
    assertEquals(2, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains("/proc/self/environ"), r.err());
    assertTrue(r.err().contains("not a regular file"), r.err());
    assertFalse(Files.exists(dir.resolve("state")), "nothing written");
  }
}
