package dev.orchestrator.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real local users for tests that switch user ({@code su}, {@code sudo}) on an {@link OpenSshFleet}
 * host: made with {@code useradd} and {@code chpasswd}, removed with {@code userdel} on {@link
 * #close}. Safe on a shared machine: every name is new ({@code orchit} and 10 random hex digits,
 * refused by {@code useradd} if it exists), and only users this object made are ever removed. The
 * tests run as root (CI's container); elsewhere they are skipped.
 */
public final class LocalUsers implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final List<String> made = new ArrayList<>();

  /** Skips the calling test unless it runs as root with {@code useradd} (CI fails instead). */
  public static void requireRoot() {
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root && Files.isExecutable(Path.of("/usr/sbin/useradd"))) {
      return;
    }
    String message = "making local users needs root and useradd";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      org.junit.jupiter.api.Assertions.fail("in CI the su tests must run: " + message);
    }
    org.junit.jupiter.api.Assumptions.abort("skipped: " + message);
  }

  /**
   * Makes a user with {@code /bin/sh} as its shell, no home folder, and {@code password}.
   *
   * @return its name
   */
  public String create(String password) throws IOException, InterruptedException {
    byte[] random = new byte[5];
    RANDOM.nextBytes(random);
    String name = "orchit" + HexFormat.of().formatHex(random);
    run(List.of("/usr/sbin/useradd", "-M", "-s", "/bin/sh", name), "");
    made.add(name);
    setPassword(name, password);
    return name;
  }

  /** Sets a user's password ({@code chpasswd} reads {@code NAME:PASSWORD} lines). */
  public void setPassword(String name, String password) throws IOException, InterruptedException {
    if (!made.contains(name)) {
      throw new IllegalArgumentException(name + " was not made here");
    }
    run(List.of("/usr/sbin/chpasswd"), name + ":" + password + "\n");
  }

  /**
   * Lets {@code user} log in to the fleet's hosts: the folders up to the fleet's, the authorized
   * keys readable, and {@code home} (the host's {@code $HOME}) its own.
   */
  public void admit(String user, Path fleetDir, Path home)
      throws IOException, InterruptedException {
    for (Path p = fleetDir; p != null && !p.equals(p.getRoot()); p = p.getParent()) {
      if (p.startsWith(Path.of("/tmp")) && !p.equals(Path.of("/tmp"))) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
    Files.setPosixFilePermissions(
        fleetDir.resolve("authorized_keys"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.createDirectories(home);
    run(List.of("/bin/chown", "-R", user, home.toString()), "");
  }

  private static void run(List<String> command, String stdin)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(command.get(0) + " failed: " + out);
    }
  }

  /** Removes every user made here ({@code -f}: even while a process of theirs still ends). */
  @Override
  public void close() throws IOException, InterruptedException {
    IOException first = null;
    for (String name : made) {
      try {
        run(List.of("/usr/sbin/userdel", "-f", name), "");
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    made.clear();
    if (first != null) {
      throw first;
    }
  }
}
