package dev.orchestrator.playbook;

import dev.orchestrator.common.InputFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The source file of a {@code template:} or {@code copy:} step: read once found ({@link
 * FileModule.Source}), and for a templated {@code src} ({@code src: "{{ item.template }}"}) found
 * per host once rendered, in the same places a literal {@code src} is looked for ({@link
 * FileModuleLoader#searchPath}, after ansible-core's {@code DataLoader.path_dwim_relative_stack}:
 * the role's {@code templates/} or {@code files/}, the role, the step file's folder and its {@code
 * templates/}/{@code files/}, the playbook's folder and its {@code templates/}/{@code files/}).
 *
 * <p>Where we differ from Ansible: a rendered {@code src} must stay inside those folders (the
 * role's, the step file's, the playbook's; symbolic links resolved). An absolute path, or a {@code
 * ..} that leaves them, is refused when the step runs: a value rendered per host may come from the
 * inventory, facts or a registered result, and would otherwise choose any file of the controller to
 * send to the host. A literal {@code src} (reviewed in the playbook, read at load) may still name
 * any file.
 */
public final class FileSources {
  private FileSources() {}

  /**
   * Reads a found source file.
   *
   * @param found the file
   * @param kind which module (a template's text is read; a copy is at most {@link
   *     FileModuleLoader#MAX_COPY_BYTES})
   * @param src the {@code src} as written or rendered
   * @throws IOException when it cannot be read
   * @throws IllegalArgumentException when a copy's file is too large
   */
  static FileModule.Source read(Path found, FileModule.Kind kind, String src) throws IOException {
    long size = Files.size(found);
    if (kind == FileModule.Kind.COPY && size > FileModuleLoader.MAX_COPY_BYTES) {
      throw new IllegalArgumentException(
          found + " is " + size + " bytes, more than copy sends (16 MiB)");
    }
    Optional<String> text =
        kind == FileModule.Kind.TEMPLATE
            ? Optional.of(InputFiles.readText(found, "template"))
            : Optional.empty();
    return new FileModule.Source(src, found, FileModuleLoader.sha256(found), size, text);
  }

  /**
   * Finds and reads the source a templated {@code src} names once rendered for a host.
   *
   * @param f the step's module (with a {@link FileModule#perHostSource()})
   * @param rendered the {@code src} rendered with the host's (and loop item's) vars
   * @return the source file, read now
   * @throws IllegalArgumentException when it is empty, absolute, not found, outside the role's, the
   *     step file's and the playbook's folders, or cannot be read
   */
  public static FileModule.Source resolve(FileModule f, String rendered) {
    FileModule.SourceTemplate t = f.perHostSource().orElseThrow();
    String src = rendered.strip();
    String field = f.kind().key() + ".src";
    if (src.isEmpty()) {
      throw new IllegalArgumentException("'" + field + "' " + t.src() + " renders empty");
    }
    if (src.indexOf('\0') >= 0 || Path.of(src).isAbsolute()) {
      throw new IllegalArgumentException(
          "'"
              + field
              + "' renders as an absolute path; a templated src names a file of the role or the"
              + " playbook (write an absolute path literally: it is read when the playbook loads)");
    }
    List<Path> candidates =
        FileModuleLoader.searchPath(t.stepFile(), t.playbookDir(), f.kind(), src);
    Path found = candidates.stream().filter(Files::isRegularFile).findFirst().orElse(null);
    if (found == null) {
      throw new IllegalArgumentException(
          f.kind().key()
              + " source '"
              + src
              + "' not found; looked in: "
              + String.join(", ", candidates.stream().map(Path::toString).distinct().toList()));
    }
    try {
      Path real = found.toRealPath();
      if (roots(t.stepFile(), t.playbookDir()).stream().noneMatch(real::startsWith)) {
        throw new IllegalArgumentException(
            f.kind().key()
                + " source '"
                + src
                + "' is outside the role's and the playbook's folders; a templated src names a"
                + " file inside them (write another path literally: it is read when the playbook"
                + " loads)");
      }
      return read(found, f.kind(), src);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + found + ": " + e.getMessage());
    }
  }

  /**
   * The folders a rendered file name may name a file in (real paths): the step file's role, the
   * step file's folder and the playbook's; a templated {@code src} and a templated {@code
   * include_vars} file are confined to them.
   */
  static List<Path> roots(Path stepFile, Path playbookDir) throws IOException {
    List<Path> out = new ArrayList<>();
    Path stepDir = stepFile.toAbsolutePath().normalize().getParent();
    Optional<Path> role = FileModuleLoader.roleDir(stepDir);
    for (Path p : new Path[] {role.orElse(null), stepDir, playbookDir}) {
      if (p != null && Files.isDirectory(p)) {
        out.add(p.toRealPath());
      }
    }
    return out;
  }
}
