package dev.orchestrator.playbook;

import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the arguments of {@code script} with the names of ansible-core 2.14's {@code
 * lib/ansible/modules/script.py} and its action plugin {@code plugins/action/script.py}: the free
 * form (our text form, or {@code cmd}) is the script's path and its arguments, split as Python's
 * {@code shlex.split}; {@code chdir} (absolute), {@code creates}, {@code removes}, {@code
 * executable}. The script is looked for as the action plugin's {@code _find_needle('files', ...)}
 * finds it (the role's {@code files/}, the task file's folder, next to the playbook: {@link
 * FileModuleLoader#searchPath}) and read now: its path and SHA-256 join the step's arguments
 * ({@code _source}, {@code _sha256}), so that an edit changes the step's definition (noticed on
 * resume) and is checked again before the script is sent. {@code decrypt} (vault) is refused. A
 * part of {@link StepModules}.
 */
final class ScriptModuleArgs {
  /** {@code script}'s arguments we support. */
  static final Set<String> KEYS = Set.of("cmd", "chdir", "creates", "removes", "executable");

  private final ModuleArgReader reader;
  private final SourceModuleArgs values;

  ScriptModuleArgs(ModuleArgReader reader) {
    this.reader = reader;
    this.values = new SourceModuleArgs(reader);
  }

  /**
   * Reads {@code script: PATH ARGS} or its mapping form.
   *
   * @param playbookDir the playbook's folder (where the script is looked for last)
   */
  Map<String, Object> read(YamlNode node, String where, Path playbookDir) {
    Map<String, Object> args = new LinkedHashMap<>();
    YamlNode cmd = node;
    if (node.isMapping()) {
      YamlMap m = node.asMap("script");
      m.get("decrypt")
          .ifPresent(
              d -> {
                throw d.error(
                    where + ": 'decrypt' of script is not supported (there is no vault)",
                    "remove it; the script is sent as it is");
              });
      m.allowOnly(KEYS);
      cmd =
          m.get("cmd")
              .orElseThrow(
                  () -> node.error(where + " has no 'cmd'", "write cmd: files/setup.sh ARGS"));
      for (String k : List.of("chdir", "creates", "removes", "executable")) {
        m.get(k).ifPresent(v -> args.put(k, values.text(v, where, k)));
      }
      if (args.get("chdir") instanceof String c
          && !TemplateEngine.isTemplate(c)
          && !c.startsWith("/")) {
        throw m.get("chdir")
            .orElseThrow()
            .error(
                where + ": chdir " + c + " must be an absolute path for a Unix-aware remote node",
                "write chdir: /srv/app");
      }
    }
    String text = cmd.isScalar() && !cmd.isNull() ? cmd.asString("script").strip() : "";
    String src = firstWord(text);
    if (src.isEmpty()) {
      throw cmd.error(where + ": 'script' needs the script's path", "write script: setup.sh ARGS");
    }
    if (TemplateEngine.isTemplate(src)) {
      throw cmd.error(
          where + ": the script's path must be a file name, not a template",
          "name the file itself: it is found, read and checked when the playbook loads");
    }
    reader.check(cmd, text, where, "cmd");
    args.put("cmd", text);
    controllerFile(cmd, src, where, playbookDir, "send it as an artifact", args);
    return args;
  }

  /**
   * Finds a controller file as the action plugins' {@code _find_needle('files', src)} does ({@link
   * FileModuleLoader#searchPath}) and records its path and SHA-256 ({@code _source}, {@code
   * _sha256}), for {@code script} and {@code unarchive}.
   *
   * @param tooLarge what to do with a file over 16 MiB
   */
  static void controllerFile(
      YamlNode at,
      String src,
      String where,
      Path playbookDir,
      String tooLarge,
      Map<String, Object> args) {
    List<Path> candidates =
        FileModuleLoader.searchPath(at.file(), playbookDir, FileModule.Kind.COPY, src);
    Path found = candidates.stream().filter(Files::isRegularFile).findFirst().orElse(null);
    if (found == null) {
      throw at.error(
          where + ": could not find or access '" + src + "' on the Ansible Controller",
          "looked in: " + String.join(", ", candidates.stream().map(Path::toString).toList()));
    }
    try {
      if (Files.size(found) > FileModuleLoader.MAX_COPY_BYTES) {
        throw at.error(where + ": " + found + " is larger than 16 MiB", tooLarge);
      }
      args.put("_source", found.toString());
      args.put("_sha256", FileModuleLoader.sha256(found));
    } catch (IOException e) {
      throw at.error(
          where + ": cannot read " + found + ": " + e.getMessage(), "check its permissions");
    }
  }

  /**
   * The first word of {@code text} as Python's {@code shlex.split} reads it (quotes and backslashes
   * removed), empty when there is none or its quote is not closed.
   */
  static String firstWord(String text) {
    StringBuilder w = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote == 0 && Character.isWhitespace(c)) {
        if (w.length() > 0 || i > 0 && (text.charAt(i - 1) == '"' || text.charAt(i - 1) == '\'')) {
          return w.toString();
        }
      } else if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
      } else if (quote != 0 && c == quote) {
        quote = 0;
      } else if (c == '\\' && quote != '\'' && i + 1 < text.length()) {
        char next = text.charAt(i + 1);
        if (quote == 0 || next == '"' || next == '\\') {
          w.append(next);
          i++;
        } else {
          w.append(c);
        }
      } else {
        w.append(c);
      }
    }
    return quote == 0 ? w.toString() : "";
  }
}
