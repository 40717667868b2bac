package dev.orchestrator.execute;

import dev.orchestrator.template.ShellQuote;
import java.util.Optional;

/**
 * What a file on the host is now, as {@link #probeScript} reports it: absent, not a regular file,
 * or a regular file's mode, owner, group, size and SHA-256 ({@link FileWrite}).
 *
 * @param exists whether the path exists
 * @param regular whether it is a regular file (after symbolic links)
 * @param mode its permission bits
 * @param uid its owner's uid
 * @param gid its group's gid
 * @param owner its owner's name
 * @param group its group's name
 * @param size its size in bytes
 * @param sha256 its content's SHA-256, hex
 */
record HostFile(
    boolean exists,
    boolean regular,
    int mode,
    String uid,
    String gid,
    String owner,
    String group,
    long size,
    String sha256) {
  static final HostFile ABSENT = new HostFile(false, false, 0, "", "", "", "", 0, "");

  /** Reads {@link #probeScript}'s output; empty when it is not that. */
  static Optional<HostFile> parse(String stdout) {
    String[] lines = stdout.strip().split("\n");
    if (lines.length == 1 && lines[0].equals("absent")) {
      return Optional.of(ABSENT);
    }
    if (lines.length == 1 && lines[0].startsWith("other")) {
      return Optional.of(new HostFile(true, false, 0, "", "", "", "", 0, ""));
    }
    if (lines.length != 2 || !lines[0].startsWith("file ")) {
      return Optional.empty();
    }
    String[] f = lines[0].split(" ");
    String sum = lines[1].strip();
    if (f.length != 7 || !sum.matches("[0-9a-f]{64}")) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new HostFile(
              true,
              true,
              Integer.parseInt(f[1], 8),
              f[2],
              f[3],
              f[4],
              f[5],
              Long.parseLong(f[6]),
              sum));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The script that reports the destination: {@code absent}, {@code other}, or stat and sum. */
  static String probeScript(String dest) {
    String d = ShellQuote.quote(dest);
    return "if [ -f "
        + d
        + " ]; then printf 'file '; stat -L -c '%a %u %g %U %G %s' -- "
        + d
        + " && sha256sum < "
        + d
        + " | cut -c1-64; elif [ -e "
        + d
        + " ] || [ -L "
        + d
        + " ]; then echo other; else echo absent; fi";
  }
}
