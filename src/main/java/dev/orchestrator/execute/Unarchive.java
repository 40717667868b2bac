package dev.orchestrator.execute;

import dev.orchestrator.playbook.FileMode;
import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.transport.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ansible's {@code unarchive} on the host, with its {@code tar} or {@code unzip} ({@link
 * UnarchiveScript}), as ansible-core 2.14's action plugin and module decide: {@code creates} skips
 * it; {@code dest} must be an existing folder; the controller's archive (read at load, checked
 * against its SHA-256) is sent inside the step's script, or {@code remote_src} names one on the
 * host; the archive is unpacked only when it differs from {@code dest} (what tar's {@code --diff}
 * finds and Ansible counts: a missing entry, a file's mode, owner, group or mtime), so a second run
 * reports {@code changed: false}; {@code mode}/{@code owner}/{@code group} are then set on every
 * entry where they differ (a change too). Before anything is written to {@code dest}, hostile
 * entries are refused: an absolute name, a {@code ..} part, a symbolic link whose target is
 * absolute or leaves {@code dest}, and a folder of the archive that is a symbolic link in {@code
 * dest} pointing outside it. Result keys as Ansible's: {@code dest}, {@code src}, {@code handler},
 * {@code files} (with {@code list_files}), {@code msg} on failure or skip, and {@code dest}'s
 * {@code mode}, {@code owner}, {@code uid}, {@code group}, {@code gid}, {@code size}, {@code
 * state}. See <a
 * href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/unarchive_module.html">unarchive</a>.
 *
 * @param src the archive as given ({@code remote_src}: its path on the host)
 * @param source the controller's archive, empty with {@code remote_src}
 * @param sha256 its SHA-256 when the playbook was loaded, empty with {@code remote_src}
 * @param dest the folder to unpack into
 * @param creates skip when this path exists, empty for none
 * @param listFiles whether {@code files} lists the archive's entries
 * @param keepNewer whether a file newer in {@code dest} is kept
 * @param exclude the patterns of entries left out
 * @param mode the entries' mode to set, empty to keep
 * @param owner the entries' owner to set, empty to keep
 * @param group the entries' group to set, empty to keep
 */
record Unarchive(
    String src,
    Optional<Path> source,
    String sha256,
    String dest,
    String creates,
    boolean listFiles,
    boolean keepNewer,
    List<String> exclude,
    String mode,
    String owner,
    String group) {
  /** Validates the fields. */
  Unarchive {
    exclude = List.copyOf(exclude);
    if (src.isEmpty() || dest.isEmpty()) {
      throw new IllegalArgumentException("src (or content) and dest are required");
    }
    for (String e : exclude) {
      if (e.isEmpty() || e.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("an exclude pattern must be one non-empty line");
      }
    }
    if (!mode.isEmpty()) {
      new FileMode(mode); // octal or symbolic, never anything else
    }
  }

  /** Reads the rendered arguments, with Ansible's defaults. */
  static Unarchive of(ModuleArgs args) {
    boolean remote = ModuleArgs.bool(args, "remote_src").orElse(false);
    List<String> exclude = new ArrayList<>();
    if (args.rendered("exclude").orElse(List.of()) instanceof List<?> list) {
      list.forEach(x -> exclude.add(ModuleArgs.asText(x)));
    }
    String mode = args.text("mode").orElse("");
    return new Unarchive(
        args.text("src").orElse(""),
        remote ? Optional.empty() : Optional.of(Path.of(String.valueOf(args.raw("_source")))),
        remote ? "" : String.valueOf(args.raw("_sha256")),
        args.text("dest").orElse(""),
        args.text("creates").orElse(""),
        ModuleArgs.bool(args, "list_files").orElse(false),
        ModuleArgs.bool(args, "keep_newer").orElse(false),
        exclude,
        mode.isEmpty() ? "" : new FileMode(mode).chmodText(),
        args.text("owner").orElse(""),
        args.text("group").orElse(""));
  }

  /** What the step's log starts with. */
  String description() {
    return "unarchive " + src + " to " + dest;
  }

  /** The limit for the command when the step has none: an archive may be large. */
  Duration limit() {
    return Duration.ofHours(1);
  }

  /**
   * The script; every value is exported, the controller's archive is a base64 here-document.
   *
   * @throws IllegalArgumentException if the controller's archive cannot be read or changed since
   *     the load
   */
  ShellTemplate script() {
    StringBuilder body = new StringBuilder();
    if (source.isPresent()) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(source.get());
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read " + source.get() + ": " + e.getMessage());
      }
      if (!FileWrite.digest("SHA-256", bytes).equals(sha256)) {
        throw new IllegalArgumentException(
            source.get() + " changed since the playbook was loaded: run the plan again");
      }
      // base64's alphabet holds no quote, no $ and never the delimiter: safe as text
      body.append("base64 -d > \"$__t/source\" <<'__ORCH_UA_BODY' || __svc_fail 'cannot write'\n")
          .append(Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(bytes))
          .append("\n__ORCH_UA_BODY\n");
    }
    String flags =
        "REMOTE="
            + (source.isPresent() ? 0 : 1)
            + " LIST="
            + (listFiles ? 1 : 0)
            + " KEEP="
            + (keepNewer ? 1 : 0)
            + "\n";
    Map<String, String> values = new LinkedHashMap<>();
    values.put("__ORCH_UA_DEST", dest);
    values.put("__ORCH_UA_SRC", src);
    values.put("__ORCH_UA_CREATES", creates);
    values.put("__ORCH_UA_MODE", mode);
    values.put("__ORCH_UA_OWNER", owner);
    values.put("__ORCH_UA_GROUP", group);
    values.put("__ORCH_UA_EXCLUDE", String.join("\n", exclude));
    values.put("__ORCH_UA_WALK", UnarchiveScript.WALK);
    return new ShellTemplate(
        ServiceScript.PRELUDE + flags + UnarchiveScript.START + body + UnarchiveScript.TEXT,
        values);
  }

  /** The outcome of the script's result, with Ansible's result keys. */
  ModuleOutcome outcome(ExecResult result) {
    Map<String, String> at = new LinkedHashMap<>();
    List<String> files = new ArrayList<>();
    boolean changed = false;
    StringBuilder out = new StringBuilder();
    for (String line : result.stdout().split("\n", -1)) {
      if (line.equals("@@changed")) {
        changed = true;
      } else if (line.startsWith("@@file=")) {
        String written = line.substring(7);
        String name = written.startsWith("/") ? written.substring(1) : written;
        if (exclude.stream().noneMatch(p -> Fnmatch.matches(p, name))) {
          files.add(name);
        }
      } else if (line.startsWith("@@") && line.contains("=")) {
        at.put(line.substring(2, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
      } else if (!line.isEmpty()) {
        out.append(line).append('\n');
      }
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    if (result.succeeded() && at.containsKey("skipped")) {
      fields.put("changed", false);
      fields.put("skipped", true);
      fields.put("msg", at.get("skipped"));
      return new ModuleOutcome(new ExecResult(0, "", "", result.duration(), false), fields);
    }
    fields.put("changed", result.succeeded() && changed);
    fields.put("dest", at.getOrDefault("dest", dest));
    fields.put("src", source.isPresent() ? "source" : src);
    if (at.containsKey("handler")) {
      fields.put("handler", at.get("handler"));
    }
    if (listFiles && result.succeeded()) {
      fields.put("files", files);
    }
    if (at.containsKey("stat")) {
      String[] s = at.get("stat").split(" ");
      fields.put("mode", FileMode.format(Integer.parseInt(s[0], 8)));
      fields.put("owner", s[1]);
      fields.put("uid", Integer.valueOf(s[2]));
      fields.put("group", s[3]);
      fields.put("gid", Integer.valueOf(s[4]));
      fields.put("size", Long.valueOf(s[5]));
      fields.put("state", "directory");
    }
    if (result.succeeded()) {
      return new ModuleOutcome(
          new ExecResult(0, out.toString(), "", result.duration(), false), fields);
    }
    return ModuleOutcome.failed(result, "unarchive", out.toString(), fields);
  }
}
