package dev.orchestrator.playbook;

import dev.orchestrator.common.InputException;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.template.TemplateException;
import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a step's {@code template:} or {@code copy:} module ({@link FileModule}) and finds its
 * {@code src} on the controller as Ansible does for a relative path (<a
 * href="https://docs.ansible.com/ansible/latest/playbook_guide/playbook_pathing.html">playbook
 * pathing</a>; ansible-core's {@code DataLoader.path_dwim_relative_stack}): in a role's {@code
 * templates/} (template) or {@code files/} (copy), next to the step's file, then in {@code
 * templates/} or {@code files/} next to the playbook and next to the playbook itself. A missing
 * source is refused when the playbook loads, at the {@code src}'s {@code file:line:column}; a
 * templated {@code src} is found per host when the step runs ({@link FileSources}).
 */
final class FileModuleLoader {
  /** The keys of {@code template:}. */
  static final Set<String> TEMPLATE_KEYS =
      Set.of("src", "dest", "mode", "owner", "group", "backup", "force");

  /** The keys of {@code copy:}: those of template and {@code content}. */
  static final Set<String> COPY_KEYS =
      Set.of("src", "content", "dest", "mode", "owner", "group", "backup", "force");

  /** The largest {@code copy} source: 16 MiB (it travels in one command's stdin, base64). */
  static final long MAX_COPY_BYTES = 16L * 1024 * 1024;

  private final TemplateEngine templates;

  FileModuleLoader(TemplateEngine templates) {
    this.templates = templates;
  }

  /**
   * Reads the module of a step that has the key {@code kind.key()}.
   *
   * @param step the step's mapping
   * @param kind which module
   * @param where "step 'ID'", for messages
   * @param playbookDir the folder of the playbook being loaded
   */
  FileModule read(YamlMap step, FileModule.Kind kind, String where, Path playbookDir) {
    YamlNode node = step.require(kind.key());
    YamlMap m =
        node.asMap("'" + kind.key() + "' (src, dest, mode, ...)")
            .allowOnly(kind == FileModule.Kind.TEMPLATE ? TEMPLATE_KEYS : COPY_KEYS);
    String field = kind.key() + ".";
    YamlNode destNode = m.require("dest");
    String dest = text(destNode, where, field + "dest");
    Optional<FileModule.Source> source = Optional.empty();
    Optional<FileModule.SourceTemplate> perHost = Optional.empty();
    Optional<String> content = Optional.empty();
    if (m.has("content")) {
      if (m.has("src")) {
        throw m.entry("content")
            .orElseThrow()
            .key()
            .error(
                where + " has both 'copy.src' and 'copy.content'",
                "give the file to send as src, or its text as content, not both");
      }
      YamlNode c = m.require("content");
      content = Optional.of(c.isNull() ? "" : c.asString(field + "content"));
      check(c, content.get(), where, field + "content");
    } else {
      YamlNode srcNode = m.get("src").orElse(null);
      if (srcNode == null) {
        throw node.error(
            where
                + ": '"
                + kind.key()
                + "' needs 'src'"
                + (kind == FileModule.Kind.COPY ? " or 'content'" : ""),
            kind == FileModule.Kind.TEMPLATE
                ? "write src: NAME.j2 (looked for in templates/ next to the playbook or in the role)"
                : "write src: FILE (looked for in files/ next to the playbook or in the role), or content: TEXT");
      }
      String src = text(srcNode, where, field + "src");
      if (TemplateEngine.isTemplate(src)) {
        perHost = Optional.of(perHost(srcNode, src, where, playbookDir));
      } else {
        source = Optional.of(source(srcNode, kind, where, playbookDir));
      }
    }
    Optional<String> mode = mode(m, where, field);
    Optional<String> owner = m.get("owner").map(v -> text(v, where, field + "owner"));
    Optional<String> group = m.get("group").map(v -> text(v, where, field + "group"));
    boolean backup = m.get("backup").map(v -> bool(v, field + "backup")).orElse(false);
    boolean force = m.get("force").map(v -> bool(v, field + "force")).orElse(true);
    return new FileModule(kind, source, perHost, content, dest, mode, owner, group, backup, force);
  }

  /**
   * A module's boolean argument as Ansible reads it ({@code module_utils.parsing.convert_bool}):
   * YAML's true/false, or yes/no, on/off, 1/0, y/n as text.
   */
  private static boolean bool(YamlNode v, String field) {
    if (v.isBoolean()) {
      return v.asBoolean(field);
    }
    String text = v.asString(field).toLowerCase(java.util.Locale.ROOT);
    if (Set.of("yes", "on", "1", "true", "y", "t").contains(text)) {
      return true;
    }
    if (Set.of("no", "off", "0", "false", "n", "f").contains(text)) {
      return false;
    }
    throw v.error("'" + field + "' must be true or false, found '" + text + "'", "write yes or no");
  }

  private Optional<String> mode(YamlMap m, String where, String field) {
    Optional<YamlNode> node = m.get("mode");
    if (node.isEmpty()) {
      return Optional.empty();
    }
    YamlNode v = node.get();
    String raw = v.asString(field + "mode");
    try {
      if (v.isInt()) {
        return Optional.of(FileMode.ofYamlInt(raw).text());
      }
      if (TemplateEngine.isTemplate(raw)) {
        check(v, raw, where, field + "mode");
        return Optional.of(raw);
      }
      return Optional.of(new FileMode(raw).text());
    } catch (IllegalArgumentException e) {
      throw v.error(where + ": " + e.getMessage(), "e.g. mode: \"0644\" or mode: u=rw,g=r,o=r");
    }
  }

  private FileModule.Source source(
      YamlNode srcNode, FileModule.Kind kind, String where, Path playbookDir) {
    String src = text(srcNode, where, kind.key() + ".src");
    List<Path> candidates = searchPath(srcNode.file(), playbookDir, kind, src);
    Path found = candidates.stream().filter(Files::isRegularFile).findFirst().orElse(null);
    if (found == null) {
      throw srcNode.error(
          where + ": " + kind.key() + " source '" + src + "' not found",
          "looked in: "
              + String.join(", ", candidates.stream().map(Path::toString).distinct().toList()));
    }
    try {
      FileModule.Source source = FileSources.read(found, kind, src);
      if (source.text().isPresent()) {
        check(srcNode, source.text().get(), where, "template " + found);
      }
      return source;
    } catch (IllegalArgumentException e) {
      throw srcNode.error(
          where + ": " + e.getMessage(),
          "send large files as an artifact ('artifacts:' and an 'upload:' step)");
    } catch (IOException e) {
      throw srcNode.error(
          where + ": cannot read " + found + ": " + e.getMessage(), "check its permissions");
    }
  }

  /**
   * A templated {@code src}: its syntax checked now, the file found per host when the step runs
   * ({@link FileSources#resolve}).
   */
  private FileModule.SourceTemplate perHost(
      YamlNode srcNode, String src, String where, Path playbookDir) {
    check(srcNode, src, where, "src");
    return new FileModule.SourceTemplate(
        src, srcNode.file(), playbookDir.toAbsolutePath().normalize());
  }

  /** The role folder of a step file's folder ({@code roles/NAME/tasks/}), if it is one. */
  static Optional<Path> roleDir(Path stepDir) {
    if (stepDir != null
        && stepDir.getFileName() != null
        && stepDir.getFileName().toString().equals("tasks")
        && stepDir.getParent() != null
        && stepDir.getParent().getParent() != null
        && stepDir.getParent().getParent().getFileName() != null
        && stepDir.getParent().getParent().getFileName().toString().equals("roles")) {
      return Optional.of(stepDir.getParent());
    }
    return Optional.empty();
  }

  /**
   * Returns where a relative {@code src} is looked for, in order (an absolute one is itself): for a
   * step in {@code roles/NAME/tasks/}, the role's {@code templates/} or {@code files/} and the
   * role's folder; then the step file's folder's {@code templates/}/{@code files/} and the folder
   * itself; then the same next to the playbook.
   *
   * @param stepFile the file the step is written in
   * @param playbookDir the playbook's folder
   * @param kind which module (template: {@code templates/}; copy: {@code files/})
   * @param src the {@code src} as written
   */
  static List<Path> searchPath(Path stepFile, Path playbookDir, FileModule.Kind kind, String src) {
    return searchPath(
        stepFile, playbookDir, kind == FileModule.Kind.TEMPLATE ? "templates" : "files", src);
  }

  /**
   * As {@link #searchPath(Path, Path, FileModule.Kind, String)}, with the sub-folder named ({@code
   * vars} for {@code include_vars}: the action plugin's {@code _find_needle('vars', ...)}).
   */
  static List<Path> searchPath(Path stepFile, Path playbookDir, String sub, String src) {
    Path p = Path.of(src);
    if (p.isAbsolute()) {
      return List.of(p);
    }
    List<Path> out = new ArrayList<>();
    Path stepDir = stepFile.toAbsolutePath().normalize().getParent();
    roleDir(stepDir)
        .ifPresent(
            role -> {
              out.add(role.resolve(sub).resolve(src));
              out.add(role.resolve(src));
            });
    if (stepDir != null) {
      out.add(stepDir.resolve(sub).resolve(src));
      out.add(stepDir.resolve(src));
    }
    Path base = playbookDir.toAbsolutePath().normalize();
    out.add(base.resolve(sub).resolve(src));
    out.add(base.resolve(src));
    return out.stream().map(Path::normalize).distinct().toList();
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[65536];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return java.util.HexFormat.of().formatHex(digest.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  private static String text(YamlNode v, String where, String field) {
    String text = v.asString(field);
    if (text.isBlank()) {
      throw v.error(where + ": '" + field + "' is empty", "write the value, or remove it");
    }
    return text;
  }

  /** Checks template syntax now; an undefined variable is for the plan to decide per host. */
  private void check(YamlNode node, String template, String where, String field) {
    if (!TemplateEngine.isTemplate(template)) {
      return;
    }
    try {
      templates.render(template, Map.of());
    } catch (TemplateException e) {
      if (e.undefinedVariable().isEmpty()) {
        throw new InputException(
            node.location(),
            where + ", '" + field + "': " + e.getMessage(),
            e.hint().orElse("fix the {{ }} / {% %} syntax"));
      }
    }
  }
}
