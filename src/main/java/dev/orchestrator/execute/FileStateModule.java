package dev.orchestrator.execute;

import dev.orchestrator.playbook.FileMode;
import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.transport.ExecResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Ansible's {@code file} module on the host, as a POSIX {@code sh} script ({@link FileStateScript})
 * following ansible-core 2.14's {@code lib/ansible/modules/file.py}: the state defaults to the
 * path's current one (or {@code file}; {@code directory} with {@code recurse}); {@code changed}
 * when something was created, removed, linked, or a mode, owner or group changed ({@code touch}
 * always, as its time is set to now). Every value (path, src, mode, owner, group) reaches the
 * script as an exported value, never as code: a path with spaces, newlines, {@code ..} or a leading
 * {@code -} is the path written. {@code absent} removes exactly the path given ({@code rm -rf --}
 * for a folder, as the module's {@code shutil.rmtree}) and checks it is gone. Result keys as the
 * module's and {@code AnsibleModule.add_path_info}'s: {@code path} (or {@code dest} and {@code src}
 * for links and {@code touch}), {@code state}, {@code mode}, {@code owner}, {@code group}, {@code
 * uid}, {@code gid}, {@code size}, {@code changed}, and {@code msg} on a failure.
 *
 * @param path the path as given
 * @param state the state asked for, empty: the current one
 * @param src the link's target, if given
 * @param mode the permissions, if given
 * @param owner the owner, if given
 * @param group the group, if given
 * @param recurse whether a directory's contents get the attributes too
 * @param force whether a link replaces a file or an empty directory
 * @param follow whether links are followed
 */
record FileStateModule(
    String path,
    Optional<String> state,
    Optional<String> src,
    Optional<FileMode> mode,
    Optional<String> owner,
    Optional<String> group,
    boolean recurse,
    boolean force,
    boolean follow) {
  /** Validates the combination as the module's {@code additional_parameter_handling} does. */
  FileStateModule {
    if (path.isEmpty() || path.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("'path' is empty");
    }
    if (state.isPresent()
        && !java.util.List.of("file", "directory", "link", "hard", "touch", "absent")
            .contains(state.get())) {
      throw new IllegalArgumentException(
          "value of state must be one of: absent, directory, file, hard, link, touch, got: "
              + state.get());
    }
    if (recurse && state.isPresent() && !state.get().equals("directory")) {
      throw new IllegalArgumentException("recurse option requires state to be 'directory'");
    }
    if (src.isPresent() && !state.map(s -> s.equals("link") || s.equals("hard")).orElse(false)) {
      throw new IllegalArgumentException("src option requires state to be 'link' or 'hard'");
    }
  }

  /** Reads the rendered arguments, with the module's defaults. */
  static FileStateModule of(ModuleArgs args) {
    return new FileStateModule(
        args.text("path").orElse(""),
        args.text("state").map(String::strip).filter(s -> !s.isEmpty()),
        args.text("src").filter(s -> !s.isEmpty()),
        args.text("mode").map(String::strip).map(FileMode::new),
        args.text("owner").map(String::strip).filter(s -> !s.isEmpty()),
        args.text("group").map(String::strip).filter(s -> !s.isEmpty()),
        ModuleArgs.bool(args, "recurse").orElse(false),
        ModuleArgs.bool(args, "force").orElse(false),
        ModuleArgs.bool(args, "follow").orElse(true));
  }

  /** What the step's log starts with. */
  String description() {
    return "file " + path + " " + state.orElse("(current state)");
  }

  /** The limit for the script. */
  Duration limit() {
    return Duration.ofMinutes(10);
  }

  /** The script; every value is exported, never part of the text. */
  ShellTemplate script() {
    String states =
        "case ${__F_STATE:-} in '')\n"
            + "  __F_STATE=$(__state \"$P\")\n"
            + "  if [ \"$__F_STATE\" = absent ]; then\n"
            + "    if [ \"$__F_RECURSE\" = 1 ]; then __F_STATE=directory; else __F_STATE=file; fi\n"
            + "  fi\n"
            + "  printf '@@state %s\\n' \"$__F_STATE\" ;;\n"
            + "esac\n"
            + "case $__F_STATE in\n"
            + "  absent)\n"
            + FileStateScript.ABSENT
            + "  ;;\n  file)\n"
            + FileStateScript.FILE
            + "  ;;\n  directory)\n"
            + FileStateScript.DIRECTORY
            + "  ;;\n  touch)\n"
            + FileStateScript.TOUCH
            + "  ;;\n  link)\n"
            + FileStateScript.LINK
            + "  ;;\n  hard)\n"
            + FileStateScript.HARD
            + "  ;;\n"
            + "esac\n"
            + "__info\nexit 0\n";
    Map<String, String> values = new LinkedHashMap<>();
    values.put("__F_PATH", path);
    values.put("__F_STATE", state.orElse(""));
    values.put("__F_SRC", src.orElse(""));
    values.put("__F_HASSRC", src.isPresent() ? "1" : "0");
    values.put("__F_MODE", mode.map(FileMode::chmodText).orElse(""));
    values.put("__F_OWNER", owner.orElse(""));
    values.put("__F_GROUP", group.orElse(""));
    values.put("__F_RECURSE", recurse ? "1" : "0");
    values.put("__F_FORCE", force ? "1" : "0");
    values.put("__F_FOLLOW", follow ? "1" : "0");
    values.put("__F_FUNCS", FileStateScript.ATTRIBUTES);
    return new ShellTemplate(
        FileStateScript.ATTRIBUTES + FileStateScript.FUNCTIONS + states, values);
  }

  /** The outcome of the script's result, with the module's result keys. */
  ModuleOutcome outcome(ExecResult result) {
    Map<String, Object> fields = new LinkedHashMap<>();
    boolean changed = false;
    String p = path;
    String st = state.orElse("");
    Map<String, Object> info = new LinkedHashMap<>();
    StringBuilder out = new StringBuilder();
    for (String line : result.stdout().split("\n", -1)) {
      if (line.equals("@@changed")) {
        changed = true;
      } else if (line.startsWith("@@path ")) {
        p =
            new String(
                Base64.getDecoder().decode(line.substring(7).strip()), StandardCharsets.UTF_8);
      } else if (line.startsWith("@@prev ")) {
        info.put("state", line.substring(7).strip());
      } else if (line.startsWith("@@state ")) {
        st = line.substring(8).strip();
      } else if (line.startsWith("@@info ")) {
        String[] f = line.substring(7).strip().split(" ");
        if (f.length == 7) {
          info.put("uid", parse(f[0]));
          info.put("gid", parse(f[1]));
          info.put("owner", f[2]);
          info.put("group", f[3]);
          info.put("mode", FileMode.format(Integer.parseInt(f[4], 8)));
          info.put("state", f[6]);
          info.put("size", Long.parseLong(f[5]));
        }
      } else if (!line.isEmpty()) {
        out.append(line).append('\n');
      }
    }
    boolean linkish = st.equals("link") || st.equals("hard") || st.equals("touch");
    fields.put(linkish ? "dest" : "path", p);
    if (st.equals("link") || st.equals("hard")) {
      fields.put("src", src.orElse(null));
    }
    fields.put("changed", changed);
    if (st.equals("absent")) {
      fields.put("state", "absent");
    }
    fields.putAll(info);
    if (result.succeeded()) {
      return new ModuleOutcome(
          new ExecResult(0, out.toString(), "", result.duration(), false), fields);
    }
    String err = result.stderr();
    int at = err.indexOf("@@msg ");
    String message =
        result.timedOut()
            ? "the step's timeout ended file"
            : at >= 0 ? err.substring(at + 6).stripTrailing() : err.strip();
    fields.put("msg", message);
    if (st.equals("link")) { // the module's failure names the path, not dest
      fields.remove("dest");
      fields.put("path", p);
    }
    return new ModuleOutcome(
        new ExecResult(
            result.exitCode() == 0 ? 1 : result.exitCode(),
            out.toString(),
            message + "\n",
            result.duration(),
            result.timedOut()),
        fields);
  }

  private static Object parse(String id) {
    try {
      return Integer.parseInt(id);
    } catch (NumberFormatException e) {
      return id;
    }
  }
}
