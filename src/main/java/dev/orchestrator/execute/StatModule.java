package dev.orchestrator.execute;

import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.transport.ExecResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ansible's {@code stat} module on the host without Python (ansible-core 2.14 {@code
 * lib/ansible/modules/stat.py}): the path ({@code ~} and {@code $VAR} expanded as Ansible's {@code
 * type='path'}) is looked at with {@code lstat}, or {@code stat} with {@code follow: true}, through
 * the host's {@code stat -c} (GNU coreutils or BusyBox); the result's {@code stat} has Ansible's
 * keys: {@code exists}, {@code path}, {@code mode} ({@code '0644'}), {@code isdir}, {@code isreg},
 * {@code islnk} and the other types, {@code uid}, {@code gid}, {@code pw_name}, {@code gr_name},
 * {@code size}, {@code atime}/{@code mtime}/{@code ctime} (seconds, with a fraction), {@code
 * inode}, {@code dev}, {@code nlink}, {@code blocks}, {@code block_size}, the permission bits
 * ({@code rusr} ... {@code isgid}), {@code readable}/{@code writeable}/{@code executable}, {@code
 * lnk_source}/{@code lnk_target} for a link and {@code checksum} ({@code checksum_algorithm},
 * default sha1) for a readable regular file. Never {@code changed}. Not returned: {@code mimetype},
 * {@code charset}, {@code attributes} (Ansible's {@code get_mime}, {@code get_attributes}).
 *
 * @param path the path as given (rendered)
 * @param follow whether to follow a symbolic link
 * @param checksum the checksum algorithm, or empty for none ({@code get_checksum: false})
 */
record StatModule(String path, boolean follow, String checksum) {
  private static final String MARK = "::stat ";

  /** Reads the rendered arguments. */
  static StatModule of(ModuleArgs args) {
    String path = args.text("path").orElse("");
    if (path.isEmpty()) {
      throw new IllegalArgumentException("stat: 'path' rendered empty");
    }
    return new StatModule(
        path,
        args.flag("follow", false),
        args.flag("get_checksum", true) ? args.text("checksum_algorithm").orElse("sha1") : "");
  }

  /** What the step's log starts with. */
  String description() {
    return "stat " + path;
  }

  /** The limit on the connection when the step has none. */
  Duration limit() {
    return Duration.ofMinutes(30); // a checksum of a large file takes a while
  }

  /** The script; the path is an exported value. */
  ShellTemplate script() {
    Map<String, String> values = new LinkedHashMap<>();
    String exists = follow ? "[ -e \"$__p\" ]" : "{ [ -e \"$__p\" ] || [ -L \"$__p\" ]; }";
    String isreg = follow ? "[ -f \"$__p\" ]" : "{ [ -f \"$__p\" ] && [ ! -L \"$__p\" ]; }";
    String hex = " | od -An -tx1 | tr -d ' \\n'";
    String text =
        CommandWords.script(path, "__p", "__ORCH_ST_", values)
            + "\n"
            + "printf '"
            + MARK
            + "path %s\\n' \"$(printf '%s' \"$__p\""
            + hex
            + ")\"\n"
            + "if ! "
            + exists
            + "; then echo '"
            + MARK
            + "exists 0'; exit 0; fi\n"
            + "__s=$(stat "
            + (follow ? "-L " : "")
            + "-c '%f %u %g %s %.9X %.9Y %.9Z %i %d %h %b %o %U %G' -- \"$__p\") || exit 1\n"
            + "printf '"
            + MARK
            + "stat %s\\n' \"$__s\"\n"
            + "[ -r \"$__p\" ] && echo '"
            + MARK
            + "readable 1'\n"
            + "[ -w \"$__p\" ] && echo '"
            + MARK
            + "writeable 1'\n"
            + "[ -x \"$__p\" ] && echo '"
            + MARK
            + "executable 1'\n"
            + (follow
                ? ""
                : "if [ -L \"$__p\" ]; then printf '"
                    + MARK
                    + "lnk_target %s\\n' \"$(readlink -- \"$__p\""
                    + hex
                    + ")\"; printf '"
                    + MARK
                    + "lnk_source %s\\n' \"$( (realpath -m -- \"$__p\" 2>/dev/null || readlink -f -- \"$__p\")"
                    + hex
                    + ")\"; fi\n")
            + (checksum.isEmpty()
                ? ""
                : "if "
                    + isreg
                    + " && [ -r \"$__p\" ]; then __c=$("
                    + checksum
                    + "sum < \"$__p\") || exit 1; printf '"
                    + MARK
                    + "checksum %s\\n' \"${__c%% *}\"; fi\n")
            + "exit 0\n";
    return new ShellTemplate(text, values);
  }

  /** The outcome: {@code stat} with Ansible's keys, never changed. */
  ModuleOutcome outcome(ExecResult result) {
    Map<String, Object> stat = new LinkedHashMap<>();
    Map<String, String> lines = new LinkedHashMap<>();
    result
        .stdout()
        .lines()
        .filter(l -> l.startsWith(MARK))
        .map(l -> l.substring(MARK.length()).split(" ", 2))
        .forEach(kv -> lines.put(kv[0], kv.length > 1 ? kv[1] : ""));
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("changed", false);
    fields.put("stat", stat);
    if (!result.succeeded() || lines.containsKey("exists")) {
      stat.put("exists", false);
      if (!result.succeeded()) {
        fields.put("msg", result.stderr().strip());
      }
      return new ModuleOutcome(result, fields);
    }
    String[] s = lines.getOrDefault("stat", "").split(" ");
    if (s.length < 14) {
      throw new IllegalStateException("stat: unexpected output from the host's stat: " + lines);
    }
    int mode = Integer.parseInt(s[0], 16);
    int type = mode & 0170000;
    stat.put("exists", true);
    stat.put("path", unhex(lines.getOrDefault("path", "")));
    stat.put("mode", String.format("%04o", mode & 07777));
    stat.put("isdir", type == 0040000);
    stat.put("ischr", type == 0020000);
    stat.put("isblk", type == 0060000);
    stat.put("isreg", type == 0100000);
    stat.put("isfifo", type == 0010000);
    stat.put("islnk", type == 0120000);
    stat.put("issock", type == 0140000);
    stat.put("uid", Long.parseLong(s[1]));
    stat.put("gid", Long.parseLong(s[2]));
    stat.put("size", Long.parseLong(s[3]));
    stat.put("inode", Long.parseLong(s[7]));
    stat.put("dev", Long.parseLong(s[8]));
    stat.put("nlink", Long.parseLong(s[9]));
    stat.put("atime", Double.parseDouble(s[4]));
    stat.put("mtime", Double.parseDouble(s[5]));
    stat.put("ctime", Double.parseDouble(s[6]));
    String[] bits = {"xoth", "woth", "roth", "xgrp", "wgrp", "rgrp", "xusr", "wusr", "rusr"};
    for (int i = bits.length - 1; i >= 0; i--) {
      stat.put(bits[i], (mode & (1 << i)) != 0);
    }
    stat.put("isuid", (mode & 04000) != 0);
    stat.put("isgid", (mode & 02000) != 0);
    stat.put("blocks", Long.parseLong(s[10]));
    stat.put("block_size", Long.parseLong(s[11]));
    for (String access : new String[] {"readable", "writeable", "executable"}) {
      stat.put(access, lines.containsKey(access));
    }
    if (lines.containsKey("lnk_target")) {
      stat.put("lnk_source", unhex(lines.get("lnk_source")));
      stat.put("lnk_target", unhex(lines.get("lnk_target")));
    }
    if (!s[12].equals("UNKNOWN")) {
      stat.put("pw_name", s[12]);
    }
    if (!s[13].equals("UNKNOWN")) {
      stat.put("gr_name", s[13]);
    }
    if (lines.containsKey("checksum")) {
      stat.put("checksum", lines.get("checksum"));
    }
    return new ModuleOutcome(result, fields);
  }

  private static String unhex(String hex) {
    return new String(HexFormat.of().parseHex(hex == null ? "" : hex), StandardCharsets.UTF_8);
  }
}
