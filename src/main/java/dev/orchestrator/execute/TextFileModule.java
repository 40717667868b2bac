package dev.orchestrator.execute;

import dev.orchestrator.playbook.FileMode;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.template.PythonPattern;
import dev.orchestrator.template.ShellQuote;
import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.ExecResult;
import dev.orchestrator.transport.TransportException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code lineinfile}, {@code blockinfile} and {@code replace} on a host: the file is read to the
 * controller (a read-only script: whether it is a folder, its real path after symbolic links as the
 * modules write {@code os.path.realpath(path)}, the shell's umask and user, its mode, owner, group,
 * SHA-256 and bytes as base64), the new content is computed there ({@link LineInFile}, {@link
 * BlockInFile}, {@link ReplaceInFile}) and written back by {@link FileWrite} (atomic, only if the
 * file still holds what was read, with {@code backup}) only when it differs; {@code mode}, {@code
 * owner} and {@code group} are set when they differ, as the modules' {@code check_file_attrs} does,
 * which adds {@code ownership, perms or SE linux context changed} to {@code msg}. Result keys as
 * the modules': {@code changed}, {@code msg}, {@code backup} (lineinfile) or {@code backup_file},
 * {@code found} (lineinfile absent), {@code rc} (replace).
 */
final class TextFileModule {
  /** The largest file read: 16 MiB. */
  static final long MAX_BYTES = 16L * 1024 * 1024;

  private final String module;
  private final Step step;
  private final String path;
  private final Editor editor;
  private final Optional<FileMode> mode;
  private final Optional<String> owner;
  private final Optional<String> group;
  private final boolean backup;
  private final boolean create;

  /** The computation of one module on one file's content. */
  @FunctionalInterface
  interface Editor {
    /** The edit of {@code content} (empty: no file) at {@code path}. */
    TextEdit apply(String path, Optional<String> content);
  }

  private TextFileModule(
      String module,
      Step step,
      String path,
      Editor editor,
      Optional<FileMode> mode,
      Optional<String> owner,
      Optional<String> group,
      boolean backup,
      boolean create) {
    this.module = module;
    this.step = step;
    this.path = path;
    this.editor = editor;
    this.mode = mode;
    this.owner = owner;
    this.group = group;
    this.backup = backup;
    this.create = create;
  }

  /** Reads the rendered arguments of {@code module}, with the module's defaults. */
  static TextFileModule of(String module, Step step, ModuleArgs args) {
    String path = args.text("path").orElse("");
    if (path.isEmpty() || path.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("'path' is empty");
    }
    boolean create = ModuleArgs.bool(args, "create").orElse(false);
    Editor editor =
        switch (module) {
          case "lineinfile" ->
              new LineInFile(
                      args.text("state").orElse("present"),
                      args.text("regexp"),
                      args.text("search_string"),
                      args.text("line"),
                      args.text("insertafter"),
                      args.text("insertbefore"),
                      ModuleArgs.bool(args, "backrefs").orElse(false),
                      create,
                      ModuleArgs.bool(args, "firstmatch").orElse(false))
                  ::apply;
          case "blockinfile" ->
              new BlockInFile(
                      !args.text("state").orElse("present").equals("absent"),
                      args.text("block").orElse(""),
                      args.text("marker").orElse("# {mark} ANSIBLE MANAGED BLOCK"),
                      args.text("marker_begin").orElse("BEGIN"),
                      args.text("marker_end").orElse("END"),
                      args.text("insertafter"),
                      args.text("insertbefore"),
                      create)
                  ::apply;
          default ->
              new ReplaceInFile(
                      args.text("regexp").orElse(""),
                      args.text("replace").orElse(""),
                      args.text("after"),
                      args.text("before"))
                  ::apply;
        };
    return new TextFileModule(
        module,
        step,
        path,
        editor,
        args.text("mode").map(String::strip).map(FileMode::new),
        args.text("owner").map(String::strip).filter(s -> !s.isEmpty()),
        args.text("group").map(String::strip).filter(s -> !s.isEmpty()),
        ModuleArgs.bool(args, "backup").orElse(false),
        create);
  }

  /** What the step's log starts with. */
  String description() {
    return module + " " + path;
  }

  /** The read-only script that reports the file (see the class comment). */
  String readScript() {
    return "p="
        + ShellQuote.quote(path)
        + "\n"
        + "if [ -d \"$p\" ]; then echo @@dir; exit 0; fi\n"
        + "r=$(readlink -f -- \"$p\" 2>/dev/null) || r=$p\n"
        + "[ -n \"$r\" ] || r=$p\n"
        + "printf '@@real %s\\n' \"$(printf '%s' \"$r\" | base64 | tr -d '\\n')\"\n"
        + "printf '@@umask %s\\n' \"$(umask)\"\n"
        + "printf '@@user %s %s\\n' \"$(id -un)\" \"$(id -gn)\"\n"
        + "if [ -f \"$r\" ]; then\n"
        + "  printf 'file '; stat -L -c '%a %u %g %U %G %s' -- \"$r\" || exit 1\n"
        + "  sha256sum < \"$r\" | cut -c1-64\n"
        + "  echo @@content; base64 < \"$r\" || exit 1\n"
        + "elif [ -e \"$r\" ] || [ -L \"$r\" ]; then echo @@other; else echo @@absent; fi\n";
  }

  /** The file as {@link #readScript} reported it. */
  record Read(
      boolean dir,
      String real,
      int umask,
      String user,
      String userGroup,
      HostFile file,
      Optional<String> content) {}

  /** Parses {@link #readScript}'s output; empty when it is not that. */
  static Optional<Read> parse(String stdout) {
    String[] lines = stdout.split("\n", -1);
    if (lines.length > 0 && lines[0].equals("@@dir")) {
      return Optional.of(new Read(true, "", 0, "", "", HostFile.ABSENT, Optional.empty()));
    }
    if (lines.length < 4
        || !lines[0].startsWith("@@real ")
        || !lines[1].startsWith("@@umask ")
        || !lines[2].startsWith("@@user ")) {
      return Optional.empty();
    }
    try {
      String real =
          new String(
              Base64.getDecoder().decode(lines[0].substring(7).strip()),
              java.nio.charset.StandardCharsets.UTF_8);
      int umask = Integer.parseInt(lines[1].substring(8).strip(), 8);
      String[] user = lines[2].substring(7).strip().split(" ", 2);
      if (lines[3].equals("@@absent")) {
        return Optional.of(
            new Read(false, real, umask, user[0], user[1], HostFile.ABSENT, Optional.empty()));
      }
      if (lines[3].equals("@@other")) {
        return Optional.of(
            new Read(
                false,
                real,
                umask,
                user[0],
                user[1],
                new HostFile(true, false, 0, "", "", "", "", 0, ""),
                Optional.empty()));
      }
      Optional<HostFile> f = HostFile.parse(lines[3] + "\n" + lines[4]);
      if (f.isEmpty() || lines.length < 6 || !lines[5].equals("@@content")) {
        return Optional.empty();
      }
      StringBuilder b64 = new StringBuilder();
      for (int i = 6; i < lines.length; i++) {
        b64.append(lines[i].strip());
      }
      byte[] bytes = Base64.getDecoder().decode(b64.toString());
      return Optional.of(
          new Read(
              false,
              real,
              umask,
              user[0],
              user[1],
              f.get(),
              Optional.of(PythonPattern.latin1(bytes))));
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      return Optional.empty();
    }
  }

  /** The invocation: read, compute, write when needed. */
  ModuleOutcome run(Connection connection, StepAction.Attempt attempt) throws TransportException {
    long start = System.nanoTime();
    Map<String, Object> fields = new LinkedHashMap<>();
    ExecResult probe =
        connection.exec(
            CommandBuilder.build(step, new ShellTemplate(readScript(), Map.of()), Map.of()),
            Optional.of(FileWrite.TIMEOUT));
    Optional<Read> read = parse(probe.stdout());
    if (!probe.succeeded() || read.isEmpty()) {
      return failed(fields, "cannot read " + path + ": " + probe.stderr().strip(), start);
    }
    Read r = read.get();
    if (r.dir()) {
      fields.put("rc", 256);
      return failed(fields, "Path " + path + " is a directory !", start);
    }
    if (r.file().exists() && !r.file().regular()) {
      return failed(fields, path + " is not a regular file", start);
    }
    if (r.file().size() > MAX_BYTES) {
      return failed(fields, path + " is larger than 16 MiB, more than we read", start);
    }
    TextEdit edit;
    try {
      edit = editor.apply(path, r.content());
    } catch (IllegalArgumentException e) {
      return failed(fields, e.getMessage(), start);
    }
    fields.putAll(edit.fields());
    if (edit.failure().isPresent()) {
      return failed(fields, edit.failure().get(), start);
    }
    boolean exists = r.file().exists();
    if (!exists && !edit.changed()) {
      return ok(fields, false, edit.msg(), "", start);
    }
    int newMode = 0666 & ~r.umask();
    HostFile now =
        exists
            ? r.file()
            : new HostFile(true, true, newMode, "", "", r.user(), r.userGroup(), 0, "");
    byte[] content = PythonPattern.bytes(edit.content().or(r::content).orElse(""));
    FileWrite write =
        new FileWrite(
            step, r.real(), content, mode, owner, group, backup && exists, true, Optional.empty());
    boolean attrs = !write.attributesMatch(now);
    if (!edit.changed() && !attrs) {
      return ok(fields, false, edit.msg(), path + ": unchanged\n", start);
    }
    if (!exists && create) {
      String dir = r.real().contains("/") ? r.real().substring(0, r.real().lastIndexOf('/')) : "";
      if (!dir.isEmpty()) {
        connection.exec(
            write.command("mkdir -p -- " + ShellQuote.quote(dir)), Optional.of(FileWrite.TIMEOUT));
      }
    }
    Map<String, Object> written = new LinkedHashMap<>();
    ExecResult result = write.run(connection, written);
    if (!result.succeeded()) {
      return failed(fields, result.stderr().strip(), start);
    }
    if (written.get("backup_file") instanceof String b) {
      fields.put(module.equals("lineinfile") ? "backup" : "backup_file", b);
    }
    String msg = edit.msg();
    if (attrs) {
      msg += (edit.changed() ? " and " : "") + "ownership, perms or SE linux context changed";
    }
    return ok(fields, true, msg, result.stdout(), start);
  }

  private static ModuleOutcome ok(
      Map<String, Object> fields, boolean changed, String msg, String stdout, long start) {
    fields.put("changed", changed);
    fields.put("msg", msg);
    return new ModuleOutcome(
        new ExecResult(0, stdout, "", Duration.ofNanos(System.nanoTime() - start), false), fields);
  }

  private static ModuleOutcome failed(Map<String, Object> fields, String msg, long start) {
    fields.put("changed", false);
    fields.put("msg", msg);
    return new ModuleOutcome(
        new ExecResult(1, "", msg + "\n", Duration.ofNanos(System.nanoTime() - start), false),
        fields);
  }
}
