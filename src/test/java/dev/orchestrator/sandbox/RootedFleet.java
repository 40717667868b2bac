package dev.orchestrator.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Test hosts that each have their own root file system: an {@link OpenSshFleet} whose every host's
 * real {@code sshd} runs in its own mount namespace ({@code unshare --mount --propagation
 * private}), in which overlay mounts cover {@link #OVERLAID} ({@code /etc}, {@code /var}, {@code
 * /opt}, {@code /srv}, {@code /home}, {@code /usr}, {@code /run}), while {@code /root} and {@code
 * /tmp} are the host's own folders, empty at start (the machine's {@code /root} holds the tests'
 * own tools' state, such as leases of other tests' runs, which a fresh host has not). A playbook's
 * absolute paths ({@code /etc/haproxy}, {@code /var/www}, {@code /opt/app}) then mean each host's
 * own files, as on separate machines, and what a run changed is exactly what its overlays' upper
 * folders hold ({@link #snapshot}), deletions included (overlay "whiteouts"). Everything the hosts'
 * sessions start (the server's session processes, Ansible's modules, our scripts, the stand-in
 * daemons started with {@link #daemon}) lives in the host's namespace, where the mounts are;
 * nothing is mounted in the test's own namespace, and {@link #close} ends every process of every
 * host's namespace, which ends the namespace and its mounts ({@link #leftovers} proves it).
 *
 * <p>What is real: the OpenSSH server and client, the login (root, key-based, {@code HOME=/root}),
 * the shell, coreutils, Python 3 (for Ansible's modules), git, crontab, the kernel's file system
 * semantics (modes, renames, FIFOs, Unix sockets) and name resolution through each host's own
 * {@code /etc/hosts} (written at start: its {@code inventory_hostname} is 127.0.0.1, so a module
 * that connects to "web1" on web1 reaches the machine's loopback). What is shared: the machine's
 * {@code /usr} as every host's starting point (Debian 12 merges {@code /bin} and {@code /sbin} into
 * it), the kernel, the process table and the network (one loopback: a port opened for one host is
 * open for all). What a test stands in is installed per host with {@link #install} at the real
 * program's path ({@code /usr/bin/systemctl}: modules look in {@code /usr/bin} and {@code /sbin}
 * before {@code PATH}; {@code src/test/resources/standins}) and said in that test's Javadoc: the
 * point of a rooted host is that a stand-in (a {@code yum}, a {@code systemctl}, a HAProxy stats
 * socket) sits where the real software would, at its real path, for both tools alike.
 *
 * <p>It needs root (mounts), {@code unshare} and {@code nsenter} (util-linux) and overlayfs: {@link
 * #requireAvailable} skips elsewhere and fails in CI. The fleet's own folder (keys, upper folders)
 * stays visible in every namespace at its path, also under the private {@code /tmp}.
 */
public final class RootedFleet implements AutoCloseable {
  /** The folders each host has its own copy of (an overlay over the machine's). */
  public static final List<String> OVERLAID =
      List.of("/etc", "/var", "/opt", "/srv", "/home", "/root", "/usr", "/run");

  /** What a test puts on a host before its server starts (files, stand-ins, deletions). */
  @FunctionalInterface
  public interface Seed {
    /** Writes the host's starting files with {@link #write}, {@link #install}, {@link #delete}. */
    void seed(RootedFleet fleet, String host) throws IOException, InterruptedException;

    /** Starts the host's stand-in daemons ({@link #daemon}) once its server runs. */
    default void started(RootedFleet fleet, String host) throws IOException, InterruptedException {}
  }

  private final Path dir;
  private final Seed seed;
  private final Map<String, String> namespaces = new LinkedHashMap<>();
  private OpenSshFleet fleet;

  private RootedFleet(Path dir, Seed seed) {
    this.dir = dir;
    this.seed = seed;
  }

  /** Returns whether rooted hosts can be made here (root, unshare, nsenter, sshd). */
  public static boolean available() {
    return OpenSshFleet.available()
        && "root".equals(System.getProperty("user.name"))
        && Files.isExecutable(Path.of("/usr/bin/unshare"))
        && Files.isExecutable(Path.of("/usr/bin/nsenter"));
  }

  /** Skips the calling test where rooted hosts cannot be made, fails it in CI ({@code CI=true}). */
  public static void requireAvailable() {
    if (available()) {
      return;
    }
    String message =
        "rooted test hosts need root, util-linux (unshare, nsenter) and openssh-server";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      org.junit.jupiter.api.Assertions.fail("in CI the rooted hosts must run: " + message);
    }
    org.junit.jupiter.api.Assumptions.abort("skipped: " + message);
  }

  /**
   * Seeds every host and starts its server in its own namespace.
   *
   * @param dir a temp folder (keys, each host's upper folders and {@code /tmp})
   * @param groups group name → its hosts, in inventory order
   * @param seed the hosts' starting files, written again by {@link #wipe}
   */
  public static RootedFleet start(Path dir, Map<String, List<String>> groups, Seed seed)
      throws IOException, InterruptedException {
    RootedFleet rooted = new RootedFleet(dir, seed);
    try {
      for (List<String> members : groups.values()) {
        for (String host : members) {
          rooted.prepare(host);
        }
      }
      rooted.fleet = OpenSshFleet.start(dir, groups, rooted.new Namespaced());
      for (String host : rooted.fleet.hosts()) {
        rooted.namespaces.put(host, namespace(rooted.fleet.pid(host)).orElseThrow());
        seed.started(rooted, host);
      }
      return rooted;
    } catch (IOException | InterruptedException | RuntimeException e) {
      rooted.close(); // nothing left mounted or running when a host does not start
      throw e;
    }
  }

  /** Starts a host's server in a new mount namespace with the host's mounts. */
  private final class Namespaced implements OpenSshFleet.Launcher {
    @Override
    public List<String> command(String host, List<String> sshd) {
      List<String> cmd = new ArrayList<>();
      cmd.addAll(List.of("unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c"));
      cmd.add(MOUNT_SCRIPT);
      cmd.addAll(List.of("rooted-host", root(host).toString(), dir.toString()));
      cmd.addAll(sshd);
      return cmd;
    }

    @Override
    public boolean ownHome() {
      return false;
    }
  }

  /**
   * Run as {@code sh -c SCRIPT rooted-host ROOT FLEET_DIR SSHD...} in the new namespace: one
   * overlay per {@link #OVERLAID} folder (upper and work folders under ROOT), then ROOT/tmp over
   * {@code /tmp} with the fleet's folder bound at its own path inside it, then the server.
   */
  private static final String MOUNT_SCRIPT =
      String.join(
          "\n",
          "set -e",
          "R=$1; F=$2; shift 2",
          "for d in " + String.join(" ", OVERLAID) + "; do",
          "  n=$(printf %s \"${d#/}\" | tr / _)",
          "  [ \"$d\" = /root ] || mount -t overlay overlay"
              + " -o \"lowerdir=$d,upperdir=$R/upper/$n,workdir=$R/work/$n\" \"$d\"",
          "done",
          "case $F in /tmp/*) mkdir -p \"$R/tmp/${F#/tmp/}\"; mount --bind \"$F\" \"$R/tmp/${F#/tmp/}\";;"
              + " esac",
          "mount --bind \"$R/upper/root\" /root",
          "mount --rbind \"$R/tmp\" /tmp",
          "exec \"$@\"");

  private Path root(String host) {
    return dir.resolve("roots").resolve(host);
  }

  private static String mountName(String folder) {
    return folder.substring(1).replace('/', '_');
  }

  /** Empties a host's root and seeds it. */
  private void prepare(String host) throws IOException, InterruptedException {
    deleteTree(root(host));
    for (String folder : OVERLAID) {
      Files.createDirectories(root(host).resolve("upper").resolve(mountName(folder)));
      Files.createDirectories(root(host).resolve("work").resolve(mountName(folder)));
    }
    Files.setPosixFilePermissions(
        root(host).resolve("upper/root"), PosixFilePermissions.fromString("rwx------"));
    Path tmp = Files.createDirectories(root(host).resolve("tmp"));
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
    write(host, "/etc/hosts", "127.0.0.1\tlocalhost " + host + "\n::1\tlocalhost\n", 0644);
    seed.seed(this, host);
  }

  /** Returns the underlying fleet (inventory, known_hosts, client key, ports). */
  public OpenSshFleet fleet() {
    return fleet;
  }

  /** Returns every host once, in inventory order. */
  public List<String> hosts() {
    return fleet.hosts();
  }

  /**
   * Returns where a host's file {@code path} (absolute, under one of {@link #OVERLAID}) is kept:
   * its overlay's upper folder. Written before the host starts, it is the host's file; read after a
   * run, it is what the run left.
   */
  public Path upper(String host, String path) {
    for (String folder : OVERLAID) {
      if (path.startsWith(folder + "/")) {
        return root(host)
            .resolve("upper")
            .resolve(mountName(folder))
            .resolve(path.substring(folder.length() + 1));
      }
    }
    throw new IllegalArgumentException(path + " is under none of " + OVERLAID);
  }

  /** Writes a host's file with a mode (octal, e.g. {@code 0644}), making its folders. */
  public void write(String host, String path, String content, int mode) throws IOException {
    Path p = upper(host, path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    Files.setPosixFilePermissions(p, permissions(mode));
  }

  /** Installs a stand-in of {@code src/test/resources/standins} at {@code path}, executable. */
  public void install(String host, String standin, String path) throws IOException {
    try (InputStream in = RootedFleet.class.getResourceAsStream("/standins/" + standin)) {
      if (in == null) {
        throw new IOException("no stand-in " + standin);
      }
      write(host, path, new String(in.readAllBytes(), StandardCharsets.UTF_8), 0755);
    }
  }

  /**
   * Installs stand-ins that keep their state at a system path rather than under {@code $HOME}: each
   * in {@code /usr/lib/standin/} (where they find each other), and at {@code bin/NAME} a program
   * that runs it with {@code env} set (e.g. {@code STANDIN_SYSTEMD_DIR=/var/lib/standin-systemd}).
   * A real {@code systemctl} keeps its state in system folders, and modules run some commands with
   * an environment of their own: Ansible's service module starts and stops daemons with {@code
   * LANG}, {@code LC_ALL} and {@code LC_MESSAGES} only ({@code execute_command(daemonize=True)}),
   * without {@code HOME}.
   */
  public void install(String host, String bin, Map<String, String> env, String... standins)
      throws IOException {
    StringBuilder exports = new StringBuilder();
    env.forEach((k, v) -> exports.append(k).append('=').append(v).append(' '));
    for (String standin : standins) {
      install(host, standin, "/usr/lib/standin/" + standin);
      write(
          host,
          bin + "/" + standin,
          "#!/bin/sh\nexport " + exports + "\nexec /usr/lib/standin/" + standin + " \"$@\"\n",
          0755);
    }
  }

  /**
   * Deletes one of the machine's files on a host only (an overlay whiteout in its upper folder).
   */
  public void delete(String host, String path) throws IOException, InterruptedException {
    Path p = upper(host, path);
    Files.createDirectories(p.getParent());
    run(List.of("mknod", p.toString(), "c", "0", "0"));
  }

  /**
   * Starts a command in a host's namespace ({@code nsenter --mount}), e.g. a stand-in daemon that
   * forks into the background, and returns its output once the started process ends. {@link #close}
   * and {@link #wipe} end whatever it left running there.
   */
  public String daemon(String host, List<String> command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.addAll(List.of("nsenter", "-t", Long.toString(fleet.pid(host)), "--mount", "--"));
    cmd.addAll(command);
    return run(cmd);
  }

  private static String run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
    return out;
  }

  /**
   * Every host back to its seeded start: each server and everything in its namespace stopped, the
   * upper folders and {@code /tmp} emptied, the seed written, the server started again on its port
   * with its host key (the inventory stays valid).
   */
  public void wipe() throws IOException, InterruptedException {
    for (String host : hosts()) {
      stop(host);
      prepare(host);
      fleet.start(host);
      namespaces.put(host, namespace(fleet.pid(host)).orElseThrow());
      seed.started(this, host);
    }
  }

  private void stop(String host) throws InterruptedException {
    fleet.stop(host);
    String ns = namespaces.remove(host);
    if (ns == null) {
      return;
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    List<ProcessHandle> left = processesIn(ns);
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      left.forEach(ProcessHandle::destroyForcibly);
      TimeUnit.MILLISECONDS.sleep(20);
      left = processesIn(ns);
    }
  }

  /**
   * The end state of every host: {@code "HOST:PATH MODE"} (octal permissions) to the content of
   * each regular file a run created or changed, {@code "HOST:PATH -> TARGET"} for a symbolic link,
   * and {@code "HOST:PATH deleted"} for each file it deleted (to the empty string), from the
   * overlays' upper folders; a file that is not UTF-8 text is given as {@code sha256:HEX}. Paths
   * for which {@code ignored} is true are left out.
   */
  public Map<String, String> snapshot(java.util.function.Predicate<String> ignored)
      throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (String host : hosts()) {
      for (String folder : OVERLAID) {
        Path upper = root(host).resolve("upper").resolve(mountName(folder));
        try (Stream<Path> s = Files.walk(upper)) {
          for (Path p : s.toList()) {
            String path = folder + "/" + upper.relativize(p);
            if (p.equals(upper) || ignored.test(path)) {
              continue;
            }
            if (Files.isSymbolicLink(p)) {
              out.put(host + ":" + path + " -> " + Files.readSymbolicLink(p), "");
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
              out.put(host + ":" + path + " " + mode(p), content(p));
            } else if (isWhiteout(p)) {
              out.put(host + ":" + path + " deleted", "");
            }
          }
        }
      }
    }
    return out;
  }

  /** A file's text, or {@code sha256:HEX} of its bytes when it is not UTF-8. */
  private static String content(Path p) throws IOException {
    byte[] bytes = Files.readAllBytes(p);
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException binary) {
      try {
        return "sha256:"
            + java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** An overlay whiteout: a character device 0:0. */
  private static boolean isWhiteout(Path p) throws IOException {
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    Object rdev = Files.getAttribute(p, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
    Object mode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    return ((Integer) mode & 0170000) == 0020000 && ((Long) rdev) == 0L;
  }

  private static String mode(Path p) throws IOException {
    int bits = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    return Integer.toOctalString(bits & 07777);
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> perms = java.util.EnumSet.noneOf(PosixFilePermission.class);
    for (PosixFilePermission perm : PosixFilePermission.values()) {
      if ((mode & (1 << (8 - perm.ordinal()))) != 0) {
        perms.add(perm);
      }
    }
    return perms;
  }

  /**
   * What is left of the hosts after {@link #close}: each process still in one of their namespaces
   * and each mount of the test's own namespace under the fleet's folder; empty when clean.
   */
  public List<String> leftovers(List<String> closedNamespaces) throws IOException {
    List<String> left = new ArrayList<>();
    for (String ns : closedNamespaces) {
      processesIn(ns).forEach(p -> left.add("process " + p.pid() + " in " + ns));
    }
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      if (line.contains(dir.toString())) {
        left.add("mount " + line);
      }
    }
    return left;
  }

  /** Returns each running host's mount namespace ({@code mnt:[INODE]}), by host. */
  public Map<String, String> namespaces() {
    return Map.copyOf(namespaces);
  }

  private static Optional<String> namespace(long pid) {
    try {
      return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "mnt")))
          .map(Path::toString);
    } catch (IOException gone) {
      return Optional.empty();
    }
  }

  private static List<ProcessHandle> processesIn(String ns) {
    return ProcessHandle.allProcesses()
        .filter(p -> namespace(p.pid()).filter(ns::equals).isPresent())
        .toList();
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Ends every process of every host's namespace (so its mounts), then the servers. */
  @Override
  public void close() throws InterruptedException {
    for (String host : new ArrayList<>(namespaces.keySet())) {
      stop(host);
    }
    if (fleet != null) {
      fleet.close();
    }
  }
}
