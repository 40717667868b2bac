package dev.orchestrator.execute;

import dev.orchestrator.playbook.FileMode;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.template.ShellQuote;
import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.ExecResult;
import dev.orchestrator.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes one file on a host for a {@code template:} or {@code copy:} step, as Ansible's modules do
 * (<a
 * href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/copy_module.html">copy</a>;
 * ansible-core's {@code module_utils/basic.py} {@code atomic_move} and {@code backup_local}): a
 * read-only probe first ({@code stat}, SHA-256); when content, mode, owner and group already are as
 * asked, nothing is written ({@code changed: false}). Otherwise the content goes to a new file in
 * the destination's folder, gets the old file's mode and owner, then the asked ones, is checked by
 * its SHA-256, and replaces the destination with {@code mv} (atomic on one file system) — only if
 * the destination still holds what the probe saw, so a file changed meanwhile is never overwritten
 * unseen. With {@code backup} the old file is first copied to {@code DEST.PID.DATE@TIME~} and that
 * copy checked by content. When only mode, owner or group differ, they are changed in place.
 *
 * <p>The content never appears on a command line: it travels base64-encoded inside the script,
 * which the transport sends through the shell's stdin ({@link dev.orchestrator.transport
 * .StdinScript}), and is decoded by {@code printf} (a shell builtin) into {@code base64 -d}. Every
 * value that reaches the script (path, mode, owner, group) is a single-quoted word.
 */
final class FileWrite {
  /** The longest a probe or a write may take: 10 minutes. */
  static final Duration TIMEOUT = Duration.ofMinutes(10);

  private final Step step;
  private final String dest;
  private final byte[] content;
  private final Optional<FileMode> mode;
  private final Optional<String> owner;
  private final Optional<String> group;
  private final boolean backup;
  private final boolean force;
  private final Optional<String> src;

  /**
   * A rendered write.
   *
   * @param step the step (its {@code become})
   * @param dest the destination path on the host
   * @param content the bytes to write
   * @param mode the permissions, empty: keep or umask
   * @param owner the owner, empty: keep
   * @param group the group, empty: keep
   * @param backup keep the old file
   * @param force replace a differing file (false: only create)
   * @param src the source on the controller, for the registered {@code src}
   */
  FileWrite(
      Step step,
      String dest,
      byte[] content,
      Optional<FileMode> mode,
      Optional<String> owner,
      Optional<String> group,
      boolean backup,
      boolean force,
      Optional<String> src) {
    this.step = Objects.requireNonNull(step, "step");
    if (dest.isBlank() || dest.indexOf('\0') >= 0 || dest.endsWith("/")) {
      throw new IllegalArgumentException(
          "invalid dest '" + dest + "': give the path of the file to write");
    }
    for (Optional<String> name : java.util.List.of(owner, group)) {
      if (name.isPresent() && (name.get().isBlank() || name.get().indexOf('\0') >= 0)) {
        throw new IllegalArgumentException("invalid owner or group '" + name.get() + "'");
      }
    }
    this.dest = dest;
    this.content = content.clone();
    this.mode = mode;
    this.owner = owner;
    this.group = group;
    this.backup = backup;
    this.force = force;
    this.src = src;
  }

  /** This write to another destination. */
  private FileWrite withDest(String path) {
    return new FileWrite(step, path, content, mode, owner, group, backup, force, src);
  }

  /** The destination. */
  String dest() {
    return dest;
  }

  /** The SHA-256 of the content, hex. */
  String sha256() {
    return digest("SHA-256", content);
  }

  /** The content. */
  byte[] content() {
    return content.clone();
  }

  /**
   * Whether the file on the host already is what this write asks for: same content (unless {@code
   * force} is false and it exists), and the asked mode, owner and group.
   */
  boolean contentMatches(HostFile now) {
    return now.exists() && (!force || now.sha256().equals(sha256()));
  }

  /** Whether the mode, owner and group of an existing file are the asked ones. */
  boolean attributesMatch(HostFile now) {
    return mode.map(m -> m.apply(now.mode()) == now.mode()).orElse(true)
        && owner.map(o -> o.equals(now.owner()) || o.equals(now.uid())).orElse(true)
        && group.map(g -> g.equals(now.group()) || g.equals(now.gid())).orElse(true);
  }

  /** The commands that set the asked mode, owner and group of {@code file} (a quoted word). */
  private String attributes(String file) {
    StringBuilder out = new StringBuilder();
    mode.ifPresent(
        m ->
            out.append("chmod -- ")
                .append(ShellQuote.quote(m.chmodText()))
                .append(' ')
                .append(file)
                .append('\n'));
    owner.ifPresent(
        o ->
            out.append("chown -- ")
                .append(ShellQuote.quote(o))
                .append(' ')
                .append(file)
                .append('\n'));
    group.ifPresent(
        g ->
            out.append("chgrp -- ")
                .append(ShellQuote.quote(g))
                .append(' ')
                .append(file)
                .append('\n'));
    return out.toString();
  }

  /** The script that changes only the mode, owner and group of the existing destination. */
  String attributesScript() {
    return "set -e\n" + attributes(ShellQuote.quote(dest)) + report();
  }

  /**
   * The script that writes the content atomically (see the class comment), given what the probe saw
   * there.
   */
  String writeScript(HostFile before) {
    String d = ShellQuote.quote(dest);
    StringBuilder s = new StringBuilder("set -e\n");
    s.append("dest=").append(d).append('\n');
    s.append("dir=$(dirname -- \"$dest\"); base=$(basename -- \"$dest\")\n");
    s.append("[ -d \"$dir\" ] || { echo \"$dir: no such directory\" >&2; exit 1; }\n");
    s.append("tmp=\"$dir/.$base.$$.orchestrator.tmp\"\n");
    s.append("(set -C; : > \"$tmp\")\n");
    s.append("trap 'rm -f -- \"$tmp\"' EXIT\n");
    s.append("printf '%s' '")
        .append(Base64.getEncoder().encodeToString(content))
        .append("' | base64 -d > \"$tmp\"\n");
    if (before.exists()) {
      s.append("chmod --reference=\"$dest\" -- \"$tmp\"\n");
      s.append("chown --reference=\"$dest\" -- \"$tmp\" 2>/dev/null || true\n");
    }
    s.append(attributes("\"$tmp\""));
    s.append(
        sumIs("$tmp", sha256(), "the new copy $tmp does not hold the content sent (disk full?)"));
    if (before.exists()) {
      s.append(
          sumIs(
              "$dest",
              before.sha256(),
              "$dest changed while it was being replaced: left as it is"));
      if (backup) {
        s.append("b=\"$dest.$$.$(date +%Y-%m-%d@%H:%M:%S)~\"\n");
        s.append("cp -p -- \"$dest\" \"$b\"\n");
        s.append(sumIs("$b", before.sha256(), "the backup $b does not hold the old content"));
        s.append("echo \"backup_file=$b\"\n");
      }
    } else {
      s.append(
          "if [ -e \"$dest\" ] || [ -L \"$dest\" ]; then echo \"$dest appeared while it was being"
              + " written: left as it is\" >&2; exit 1; fi\n");
    }
    s.append("mv -f -- \"$tmp\" \"$dest\"\ntrap - EXIT\n");
    s.append(report());
    return s.toString();
  }

  private static String sumIs(String file, String sum, String message) {
    return "[ \"$(sha256sum < \""
        + file
        + "\" | cut -c1-64)\" = "
        + sum
        + " ] || { echo \""
        + message
        + "\" >&2; exit 1; }\n";
  }

  private String report() {
    return HostFile.probeScript(dest) + "\n";
  }

  /** The command for a script: through {@code sudo} when the step has {@code become}. */
  String command(String script) {
    return CommandBuilder.build(step, new ShellTemplate(script, Map.of()), Map.of());
  }

  /**
   * Runs the write.
   *
   * @param connection the host's connection
   * @param registered receives Ansible's result keys ({@code changed}, {@code checksum}, ...)
   * @return the outcome; its stdout says what was done
   * @throws TransportException if the connection fails
   */
  ExecResult run(Connection connection, Map<String, Object> registered) throws TransportException {
    long start = System.nanoTime();
    ExecResult probe = connection.exec(command(HostFile.probeScript(dest)), Optional.of(TIMEOUT));
    Optional<HostFile> parsed = HostFile.parse(probe.stdout());
    if (!probe.succeeded() || parsed.isEmpty()) {
      return result(1, "", "cannot read " + dest + ": " + probe.stderr().strip(), start);
    }
    HostFile before = parsed.get();
    Optional<String> name = src.map(s -> "/" + java.nio.file.Path.of(s).getFileName());
    if (before.exists() && !before.regular() && name.isPresent() && !dest.endsWith(name.get())) {
      // Ansible's copy action (plugins/action/copy.py): a src copied to a folder lands in it
      // under the src's name
      return withDest(dest + name.get()).run(connection, registered);
    }
    if (before.exists() && !before.regular()) {
      return result(
          1,
          "",
          dest + " exists and is not a regular file (a folder?): give the file's full path",
          start);
    }
    if (contentMatches(before) && attributesMatch(before)) {
      fill(registered, before, false, Optional.empty());
      return result(0, dest + ": unchanged (sha256 " + before.sha256() + ")\n", "", start);
    }
    boolean inPlace = contentMatches(before);
    ExecResult write =
        connection.exec(
            command(inPlace ? attributesScript() : writeScript(before)), Optional.of(TIMEOUT));
    if (!write.succeeded()) {
      return result(write.exitCode(), "", dest + ": not written: " + write.stderr().strip(), start);
    }
    Optional<String> backupFile =
        write
            .stdout()
            .lines()
            .filter(l -> l.startsWith("backup_file="))
            .findFirst()
            .map(l -> l.substring(12));
    String report =
        write
            .stdout()
            .lines()
            .filter(l -> !l.startsWith("backup_file="))
            .reduce("", (a, b) -> a + b + "\n");
    Optional<HostFile> after = HostFile.parse(report);
    if (after.isEmpty()
        || !after.get().regular()
        || !(inPlace || after.get().sha256().equals(sha256()))) {
      return result(1, "", dest + ": after writing it does not hold the content sent", start);
    }
    fill(registered, after.get(), true, backupFile);
    return result(
        0,
        dest
            + (inPlace ? ": mode/owner/group set" : ": written")
            + " (sha256 "
            + after.get().sha256()
            + ", mode "
            + FileMode.format(after.get().mode())
            + ", "
            + after.get().owner()
            + ":"
            + after.get().group()
            + ")"
            + backupFile.map(b -> ", old file kept as " + b).orElse("")
            + "\n",
        "",
        start);
  }

  private void fill(
      Map<String, Object> registered, HostFile file, boolean changed, Optional<String> backupFile) {
    registered.put("changed", changed);
    registered.put("dest", dest);
    registered.put("state", "file");
    registered.put("checksum", digest("SHA-1", content));
    registered.put("md5sum", digest("MD5", content));
    registered.put("mode", FileMode.format(file.mode()));
    registered.put("owner", file.owner());
    registered.put("group", file.group());
    registered.put("uid", parseId(file.uid()));
    registered.put("gid", parseId(file.gid()));
    registered.put("size", file.size());
    src.ifPresent(s -> registered.put("src", s));
    backupFile.ifPresent(b -> registered.put("backup_file", b));
  }

  private static Object parseId(String id) {
    try {
      return Integer.parseInt(id);
    } catch (NumberFormatException e) {
      return id;
    }
  }

  static String digest(String algorithm, byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is part of every JRE", e);
    }
  }

  private static ExecResult result(int exitCode, String stdout, String stderr, long start) {
    return new ExecResult(
        exitCode, stdout, stderr, Duration.ofNanos(System.nanoTime() - start), false);
  }

  /** Returns the content as UTF-8 text, for diffs. */
  String text() {
    return new String(content, StandardCharsets.UTF_8);
  }

  /** Returns a fresh map for the registered keys. */
  static Map<String, Object> results() {
    return new LinkedHashMap<>();
  }
}
