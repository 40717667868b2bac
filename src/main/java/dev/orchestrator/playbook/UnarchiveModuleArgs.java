package dev.orchestrator.playbook;

import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the arguments of {@code unarchive} with the names and defaults of ansible-core 2.14's
 * {@code lib/ansible/modules/unarchive.py} ({@code argument_spec}) and its action plugin {@code
 * plugins/action/unarchive.py}: {@code src} and {@code dest} required; {@code remote_src} (no), or
 * its old inverse {@code copy} (yes; both together are refused, as there); {@code creates}, {@code
 * list_files} (no), {@code keep_newer} (no), {@code exclude} (a list, or a text split at commas),
 * {@code mode}, {@code owner}, {@code group}, {@code io_buffer_size} (read, not needed). A
 * controller {@code src} is looked for as {@code copy}'s (the role's {@code files/}, the task
 * file's folder, next to the playbook) and read now: its path and SHA-256 join the arguments
 * ({@code _source}, {@code _sha256}). {@code include}, {@code extra_opts}, {@code decrypt}, {@code
 * validate_certs} and the SELinux/attribute arguments are refused naming what to do instead. A part
 * of {@link StepModules}.
 */
final class UnarchiveModuleArgs {
  private static final Set<String> KEYS =
      Set.of(
          "src",
          "dest",
          "remote_src",
          "copy",
          "creates",
          "list_files",
          "keep_newer",
          "exclude",
          "mode",
          "owner",
          "group",
          "io_buffer_size");

  /** unarchive's arguments we refuse, each with what to do instead. */
  private static final Map<String, String> REFUSED =
      Map.of(
          "include", "extract the whole archive, or use exclude: for what to leave out",
          "extra_opts", "run tar or unzip with those options in a command step",
          "decrypt", "remove it (there is no vault)",
          "validate_certs", "download with get_url first, then unarchive with remote_src: true",
          "attributes", "set them with chattr in a command step",
          "seuser", "set SELinux contexts with chcon in a command step",
          "serole", "set SELinux contexts with chcon in a command step",
          "setype", "set SELinux contexts with chcon in a command step",
          "selevel", "set SELinux contexts with chcon in a command step",
          "unsafe_writes", "remove it");

  private final ModuleArgReader reader;
  private final SourceModuleArgs values;

  UnarchiveModuleArgs(ModuleArgReader reader) {
    this.reader = reader;
    this.values = new SourceModuleArgs(reader);
  }

  private String text(YamlNode v, String where, String field) {
    return values.text(v, where, field);
  }

  /**
   * Reads {@code unarchive}'s mapping.
   *
   * @param playbookDir the playbook's folder (where a controller {@code src} is looked for last)
   */
  Map<String, Object> read(YamlNode node, String where, Path playbookDir) {
    YamlMap m =
        ModuleArgReader.map(
            node, "unarchive", "write e.g. unarchive: {src: app.tgz, dest: /srv/app}");
    for (YamlMap.Entry e : m.entries()) {
      String instead = REFUSED.get(e.name());
      if (instead != null) {
        throw e.key().error(where + ": '" + e.name() + "' of unarchive is not supported", instead);
      }
    }
    m.allowOnly(KEYS);
    if (m.has("copy") && m.has("remote_src")) {
      throw m.entry("copy")
          .orElseThrow()
          .key()
          .error(
              where + ": parameters are mutually exclusive: ('copy', 'remote_src')",
              "keep remote_src (copy: no is remote_src: true)");
    }
    Map<String, Object> args = new LinkedHashMap<>();
    for (String required : List.of("src", "dest")) {
      YamlNode v =
          m.get(required)
              .orElseThrow(
                  () ->
                      node.error(
                          where + ": src (or content) and dest are required",
                          "write src: app.tgz and dest: /srv/app (an existing folder)"));
      args.put(required, text(v, where, required));
    }
    Object remote = m.get("remote_src").map(v -> reader.bool(v, where, "remote_src")).orElse(false);
    if (m.has("copy")) {
      Object copy = reader.bool(m.get("copy").orElseThrow(), where, "copy");
      remote = copy instanceof Boolean b ? !b : "{{ not (" + stripped((String) copy) + ") }}";
    }
    args.put("remote_src", remote);
    for (String t : List.of("creates", "owner", "group")) {
      m.get(t).ifPresent(v -> args.put(t, text(v, where, t)));
    }
    m.get("mode").ifPresent(v -> args.put("mode", values.mode(v, where)));
    for (String flag : List.of("list_files", "keep_newer")) {
      m.get(flag).ifPresent(v -> args.put(flag, reader.bool(v, where, flag)));
    }
    m.get("io_buffer_size")
        .ifPresent(v -> reader.number(v, where, "io_buffer_size", 1, 1 << 30)); // not needed
    m.get("exclude").ifPresent(v -> args.put("exclude", patterns(v, where)));
    if (Boolean.FALSE.equals(remote)) {
      source(m.get("src").orElseThrow(), (String) args.get("src"), where, playbookDir, args);
    } else if (!(remote instanceof Boolean)) {
      throw m.get("remote_src")
          .or(() -> m.get("copy"))
          .orElseThrow()
          .error(
              where + ": 'remote_src' must be known when the playbook loads",
              "write remote_src: true or false (a controller file is read at load)");
    }
    return args;
  }

  private static String stripped(String template) {
    return template.replace("{{", "").replace("}}", "").strip();
  }

  /** Finds the controller's archive and records its path and SHA-256. */
  private static void source(
      YamlNode at, String src, String where, Path playbookDir, Map<String, Object> args) {
    if (TemplateEngine.isTemplate(src)) {
      throw at.error(
          where + ": a controller 'src' must be a file name, not a template",
          "name the file itself, or put the archive on the host and write remote_src: true");
    }
    String plain = src.startsWith("~/") ? System.getProperty("user.home") + src.substring(1) : src;
    ScriptModuleArgs.controllerFile(
        at,
        plain,
        where,
        playbookDir,
        "put it on the host (get_url, or an artifact) and write remote_src: true",
        args);
  }

  /** {@code exclude}: a list, or a text split at commas (Ansible's {@code type='list'}). */
  private List<String> patterns(YamlNode v, String where) {
    List<YamlNode> items = v.isSequence() ? v.asList("exclude") : List.of(v);
    List<String> out = new ArrayList<>();
    for (YamlNode item : items) {
      String t = text(item, where, "exclude");
      for (String p : v.isSequence() ? List.of(t) : List.of(t.split(","))) {
        if (p.indexOf('\n') >= 0 || p.isBlank()) {
          throw item.error(
              where + ": an 'exclude' pattern must be one non-empty line", "write e.g. '*.txt'");
        }
        out.add(v.isSequence() ? p : p.strip());
      }
    }
    return out;
  }
}
