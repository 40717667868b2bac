package dev.orchestrator.playbook;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A step's {@code template:} or {@code copy:} module: a file written on the host, atomically, only
 * when its content, mode, owner or group differ (README "Playbook reference", "Files"). Follows
 * Ansible's <a
 * href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/template_module.html">template</a>
 * and <a
 * href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/copy_module.html">copy</a>
 * modules' argument names. Text fields other than the source's own text are {@code {{ }}} templates
 * rendered per host.
 *
 * @param kind template or copy
 * @param source the {@code src} file found on the controller when the playbook loads, empty for
 *     {@code copy: content:} and for a templated {@code src}
 * @param perHostSource a templated {@code src} ({@code src: "{{ item.template }}"}): rendered per
 *     host (and loop item) when the step runs, the file then looked for as a literal one is ({@link
 *     FileSources})
 * @param content {@code copy}'s {@code content} (a template), empty with a source
 * @param dest the destination path on the host (a template)
 * @param mode the permissions ({@link FileMode} after rendering), empty: a new file gets the
 *     umask's, an existing one keeps its own
 * @param owner the owner (name or uid; a template), empty: unchanged
 * @param group the group (name or gid; a template), empty: unchanged
 * @param backup keep the replaced file as {@code DEST.PID.DATE@TIME~} (Ansible's {@code backup})
 * @param force replace a file whose content differs (Ansible's default); false: only create
 */
public record FileModule(
    Kind kind,
    Optional<Source> source,
    Optional<SourceTemplate> perHostSource,
    Optional<String> content,
    String dest,
    Optional<String> mode,
    Optional<String> owner,
    Optional<String> group,
    boolean backup,
    boolean force) {

  /** Which module. */
  public enum Kind {
    /** {@code template:}: {@code src} is a Jinja2 file rendered on the controller. */
    TEMPLATE,
    /** {@code copy:}: {@code src} is sent as it is, or {@code content} is written. */
    COPY;

    /** The module's key in a step ({@code template}, {@code copy}). */
    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * A source file on the controller, read when the playbook is loaded.
   *
   * @param src the {@code src} as written
   * @param path where it was found ({@code templates/}, {@code files/}, ... see the loader)
   * @param sha256 its SHA-256 (hex) when loaded: part of the step's definition, so that an edit is
   *     noticed on resume, and checked again before it is sent
   * @param size its size in bytes
   * @param text for a template, its UTF-8 text
   */
  public record Source(String src, Path path, String sha256, long size, Optional<String> text) {
    /** Validates the fields. */
    public Source {
      Objects.requireNonNull(src, "src");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(sha256, "sha256");
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * A templated {@code src}, with what its search needs once rendered.
   *
   * @param src the {@code src} as written (a template)
   * @param stepFile the file the step is written in (its role, its folder)
   * @param playbookDir the playbook's folder
   */
  public record SourceTemplate(String src, Path stepFile, Path playbookDir) {
    /** Validates the fields. */
    public SourceTemplate {
      Objects.requireNonNull(src, "src");
      Objects.requireNonNull(stepFile, "stepFile");
      Objects.requireNonNull(playbookDir, "playbookDir");
    }
  }

  /** Validates the fields. */
  public FileModule {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(perHostSource, "perHostSource");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(dest, "dest");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(group, "group");
    if ((source.isPresent() ? 1 : 0)
            + (perHostSource.isPresent() ? 1 : 0)
            + (content.isPresent() ? 1 : 0)
        != 1) {
      throw new IllegalArgumentException("a file module has either a source or a content");
    }
    if (kind == Kind.TEMPLATE && source.isPresent() && source.get().text().isEmpty()) {
      throw new IllegalArgumentException("a template has a source text");
    }
  }

  /**
   * Returns the module's templates by field ({@code template.dest}, {@code template SRC}, ...), for
   * checking them per host before anything runs; the source's text is a file template ({@code
   * trim_blocks}).
   */
  public java.util.Map<String, String> templates() {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    String k = kind.key() + ".";
    out.put(k + "dest", dest);
    content.ifPresent(c -> out.put(k + "content", c));
    perHostSource.ifPresent(t -> out.put(k + "src", t.src()));
    source.flatMap(Source::text).ifPresent(t -> out.put(k + "src " + source.get().src(), t));
    mode.ifPresent(m -> out.put(k + "mode", m));
    owner.ifPresent(o -> out.put(k + "owner", o));
    group.ifPresent(g -> out.put(k + "group", g));
    return out;
  }

  /** What this module adds to its step's definition hash. */
  public String canonical() {
    return String.join(
        "\u0000",
        kind.key(),
        source
            .map(s -> s.src() + "\u0000" + s.sha256())
            .orElse(perHostSource.map(t -> "per-host\u0000" + t.src()).orElse("")),
        content.orElse(""),
        dest,
        mode.orElse(""),
        owner.orElse(""),
        group.orElse(""),
        Boolean.toString(backup),
        Boolean.toString(force));
  }
}
