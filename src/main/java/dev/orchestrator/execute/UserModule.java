package dev.orchestrator.execute;

import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.transport.ExecResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Ansible's {@code user} module on a Linux host, as a POSIX {@code sh} script running {@code
 * useradd}, {@code usermod} and {@code userdel} as ansible-core 2.14's {@code
 * lib/ansible/modules/user.py} does (its {@code User} class, <a
 * href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/user_module.html">user</a>):
 * {@code absent} deletes an existing user ({@code -f} with {@code force}, {@code -r} with {@code
 * remove}); {@code present} adds a missing one ({@code -u}/{@code -o}, {@code -g} (the group must
 * exist), {@code -N} when a group of the user's name exists, {@code -G}, {@code -c}, {@code -d},
 * {@code -s}, {@code -m} or {@code -M}, {@code -r}) or runs {@code usermod} with only what differs
 * (uid, primary group, supplementary groups with {@code -a} when {@code append}, comment, home with
 * {@code -m} when {@code move_home}, shell); a missing home is made from {@code /etc/skel} when
 * {@code create_home}. The password (a hash) is set with {@code chpasswd -e}, the {@code NAME:HASH}
 * line on its standard input from the shell's own {@code printf}: never on a command line (the
 * module gives {@code -p HASH} to useradd/usermod, visible in {@code ps}); with {@code
 * update_password: always} only when the shadow hash differs. Values reach the shell as exported
 * data, never as code. Result keys as the module's: {@code name}, {@code state}, {@code changed},
 * {@code uid}, {@code group} (the gid), {@code comment}, {@code home}, {@code shell}, {@code
 * groups} (as given, joined by commas), {@code system}/{@code create_home} (added) or {@code
 * append}/{@code move_home} (existing), {@code force}/{@code remove} (deleted), {@code password} as
 * {@code NOT_LOGGING_PASSWORD}; a failure's {@code msg} is the command's stderr, with {@code rc}.
 *
 * @param name the user
 * @param present whether {@code state} is {@code present}
 * @param uid the wanted uid
 * @param nonUnique {@code -o}
 * @param group the primary group, a name or a gid
 * @param groups the supplementary groups, empty when not given
 * @param append whether {@code groups} are added to the current ones
 * @param comment the GECOS field
 * @param home the home folder
 * @param shell the login shell
 * @param createHome whether a home folder is made
 * @param moveHome whether usermod moves the home folder
 * @param system whether a new user is a system user
 * @param password the password hash (a secret)
 * @param alwaysPassword whether {@code update_password} is {@code always}
 * @param force {@code userdel -f}
 * @param remove {@code userdel -r}
 */
record UserModule(
    String name,
    boolean present,
    OptionalInt uid,
    boolean nonUnique,
    Optional<String> group,
    Optional<List<String>> groups,
    boolean append,
    Optional<String> comment,
    Optional<String> home,
    Optional<String> shell,
    boolean createHome,
    boolean moveHome,
    boolean system,
    Optional<String> password,
    boolean alwaysPassword,
    boolean force,
    boolean remove) {
  /** Validates the fields. */
  UserModule {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("'name' is empty");
    }
    groups = groups.map(List::copyOf);
    if (uid.isPresent() && uid.getAsInt() < 0) {
      throw new IllegalArgumentException("'uid' must not be negative");
    }
    if (password.isPresent() && password.get().matches("(?s).*[:\\n\\r\\x00].*")) {
      // chpasswd -e reads NAME:HASH lines; a hash never holds these (not echoed: a secret)
      throw new IllegalArgumentException(
          "'password' must be a crypt hash: it holds ':' or a line break");
    }
  }

  /** Reads the rendered arguments, with the module's defaults. */
  static UserModule of(ModuleArgs args) {
    // user.py joins the list with commas, then splits, strips and drops empty names
    Optional<List<String>> groups =
        args.rendered("groups")
            .map(
                v ->
                    v instanceof List<?> l
                        ? String.join(",", l.stream().map(ModuleArgs::asText).toList())
                        : ModuleArgs.asText(v))
            .map(
                t ->
                    java.util.Arrays.stream(t.split(",", -1))
                        .map(String::strip)
                        .filter(x -> !x.isEmpty())
                        .distinct()
                        .toList());
    return new UserModule(
        args.text("name").orElse(""),
        !args.text("state").orElse("present").equals("absent"),
        args.has("uid") ? OptionalInt.of(args.number("uid", 0)) : OptionalInt.empty(),
        ModuleArgs.bool(args, "non_unique").orElse(false),
        args.text("group"),
        groups,
        ModuleArgs.bool(args, "append").orElse(false),
        args.text("comment"),
        args.text("home"),
        args.text("shell"),
        ModuleArgs.bool(args, "create_home").orElse(true),
        ModuleArgs.bool(args, "move_home").orElse(false),
        ModuleArgs.bool(args, "system").orElse(false),
        args.text("password"),
        !args.text("update_password").orElse("always").equals("on_create"),
        ModuleArgs.bool(args, "force").orElse(false),
        ModuleArgs.bool(args, "remove").orElse(false));
  }

  /** What the step's log starts with (never the password). */
  String description() {
    return "user " + name + (present ? "" : " absent");
  }

  /** The limit for the command. */
  Duration limit() {
    return Duration.ofSeconds(120);
  }

  /** The script; every value is exported, never part of the text. */
  ShellTemplate script() {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("__ORCH_USER_NAME", name);
    v.put("__ORCH_USER_GROUP", group.orElse(""));
    v.put("__ORCH_USER_GROUPS", String.join(",", groups.orElse(List.of())));
    v.put("__ORCH_USER_COMMENT", comment.orElse(""));
    v.put("__ORCH_USER_HOME", home.orElse(""));
    v.put("__ORCH_USER_SHELL", shell.orElse(""));
    v.put("__ORCH_USER_PASSWORD", password.orElse(""));
    String flags =
        "__uid="
            + (uid.isPresent() ? uid.getAsInt() : "")
            + " __o="
            + (nonUnique ? 1 : 0)
            + " __hasg="
            + (group.isPresent() ? 1 : 0)
            + " __hasgs="
            + (groups.isPresent() ? 1 : 0)
            + " __app="
            + (append ? 1 : 0)
            + " __hasc="
            + (comment.isPresent() ? 1 : 0)
            + " __hash="
            + (home.isPresent() ? 1 : 0)
            + " __hass="
            + (shell.isPresent() ? 1 : 0)
            + " __mk="
            + (createHome ? 1 : 0)
            + " __mv="
            + (moveHome ? 1 : 0)
            + " __sys="
            + (system ? 1 : 0)
            + " __haspw="
            + (password.isPresent() ? 1 : 0)
            + " __pwall="
            + (alwaysPassword ? 1 : 0)
            + " __f="
            + (force ? 1 : 0)
            + " __r="
            + (remove ? 1 : 0)
            + " __present="
            + (present ? 1 : 0)
            + "\n";
    return new ShellTemplate(ServiceScript.PRELUDE + flags + UserScript.BODY, v);
  }

  /** The outcome of the script's result, with the module's result keys. */
  ModuleOutcome outcome(ExecResult result) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("name", name);
    fields.put("state", present ? "present" : "absent");
    boolean changed = false;
    boolean added = false;
    boolean deleted = false;
    String passwd = null;
    Integer rc = null;
    StringBuilder out = new StringBuilder();
    for (String line : result.stdout().split("\n", -1)) {
      switch (line) {
        case "@@changed" -> changed = true;
        case "@@added" -> added = true;
        case "@@deleted" -> deleted = true;
        default -> {
          if (line.startsWith("@@rc=")) {
            rc = Integer.valueOf(line.substring(5).strip());
          } else if (line.startsWith("@@passwd ")) {
            passwd = line.substring(9);
          } else if (!line.isEmpty()) {
            out.append(line).append('\n');
          }
        }
      }
    }
    if (deleted) {
      fields.put("force", force);
      fields.put("remove", remove);
    } else if (present && added) {
      fields.put("system", system);
      fields.put("create_home", createHome);
    } else if (present) {
      fields.put("append", append);
      fields.put("move_home", moveHome);
    }
    if (present && password.isPresent()) {
      fields.put("password", "NOT_LOGGING_PASSWORD");
    }
    fields.put("changed", changed);
    String stderr = ServiceModule.beforeMessage(result.stderr());
    if (!out.isEmpty()) {
      fields.put("stdout", out.toString());
    }
    if (!stderr.isEmpty()) {
      fields.put("stderr", stderr);
    }
    if (passwd != null && present) {
      String[] p = passwd.split(":", -1);
      if (p.length >= 7) {
        fields.put("uid", Integer.valueOf(p[2]));
        fields.put("group", Integer.valueOf(p[3]));
        fields.put("comment", p[4]);
        fields.put("home", p[5]);
        fields.put("shell", p[6]);
      }
      groups.ifPresent(g -> fields.put("groups", String.join(",", g)));
    }
    if (result.succeeded()) {
      return new ModuleOutcome(
          new ExecResult(0, out.toString(), stderr, result.duration(), false), fields);
    }
    String message =
        result.timedOut() ? "the step's timeout ended user" : ServiceModule.message(result, "user");
    fields.put("msg", message);
    if (rc != null) {
      fields.put("rc", rc);
    }
    return new ModuleOutcome(
        new ExecResult(
            rc != null && rc != 0 ? rc : Math.max(1, result.exitCode()),
            out.toString(),
            message.endsWith("\n") ? message : message + "\n",
            result.duration(),
            result.timedOut()),
        fields);
  }
}
