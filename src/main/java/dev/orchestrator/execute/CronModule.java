package dev.orchestrator.execute;

import dev.orchestrator.playbook.Step;
import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.ExecResult;
import dev.orchestrator.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ansible's {@code cron} module on a host, as ansible-core 2.14's {@code
 * lib/ansible/modules/cron.py} decides (<a
 * href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/cron_module.html">cron</a>):
 * the crontab is read by a POSIX {@code sh} script ({@code crontab [-u USER] -l}, or the {@code
 * cron_file} under {@code /etc/cron.d}), edited on the controller ({@link CronTab}) and written
 * back only when it changed ({@code crontab [-u USER] -} with the text on its standard input, or
 * the file rewritten in place; a cron file left without jobs is removed). {@code -u} is given only
 * when {@code user} is not the connecting user, as the module does. Values reach the shell as
 * exported data, never as code. Result keys as the module's: {@code changed}, {@code jobs}, {@code
 * envs}, {@code warnings}, {@code cron_file} when given; a cron file removed reports {@code
 * changed}, {@code cron_file} and {@code state} only.
 *
 * @param step the step (its {@code become}, {@code environment})
 * @param args the rendered arguments
 * @param env the rendered environment
 */
record CronModule(Step step, Args args, Map<String, String> env) {
  /** The longest a read or a write may take. */
  static final Duration LIMIT = Duration.ofSeconds(120);

  /**
   * The module's arguments, rendered, with its defaults.
   *
   * @param name the job's (or variable's) name
   * @param job the job's command, or a variable's value ({@code value})
   * @param user whose crontab; in a cron file, the user the job runs as
   * @param cronFile the cron file, a name under {@code /etc/cron.d} or an absolute path
   * @param present whether {@code state} is {@code present}
   * @param times minute, hour, day, month, weekday
   * @param special {@code special_time}
   * @param disabled whether the job's line is commented out
   * @param env whether {@code name}/{@code job} are a variable
   * @param insertAfter {@code insertafter}
   * @param insertBefore {@code insertbefore}
   */
  record Args(
      String name,
      Optional<String> job,
      Optional<String> user,
      Optional<String> cronFile,
      boolean present,
      List<String> times,
      Optional<String> special,
      boolean disabled,
      boolean env,
      Optional<String> insertAfter,
      Optional<String> insertBefore) {
    /** Validates the fields. */
    Args {
      if (times.size() != 5) {
        throw new IllegalArgumentException("five time fields");
      }
      times = List.copyOf(times);
      for (Optional<String> o : List.of(job, user, cronFile, insertAfter, insertBefore)) {
        if (o.isPresent() && o.get().indexOf('\0') >= 0) {
          throw new IllegalArgumentException("a cron argument holds a NUL character");
        }
      }
    }
  }

  /** Reads the rendered arguments, with the module's defaults and aliases. */
  static CronModule of(Step step, ModuleArgs a, Map<String, String> env) {
    List<String> times = new ArrayList<>();
    for (String t : List.of("minute", "hour", "day", "month", "weekday")) {
      times.add(a.text(t).orElse("*"));
    }
    return new CronModule(
        step,
        new Args(
            a.text("name").orElse("None"),
            a.text("job"),
            a.text("user").filter(u -> !u.isEmpty()),
            a.text("cron_file").filter(f -> !f.isEmpty()),
            !a.text("state").orElse("present").equals("absent"),
            times,
            a.text("special_time").filter(s -> !s.isEmpty()),
            ModuleArgs.bool(a, "disabled").orElse(false),
            ModuleArgs.bool(a, "env").orElse(false),
            a.text("insertafter"),
            a.text("insertbefore")),
        env);
  }

  /** What the step's log starts with. */
  String description() {
    return "cron " + args.name() + (args.present() ? "" : " absent");
  }

  /** The cron file's path, as the module joins a relative one to {@code /etc/cron.d}. */
  Optional<String> path() {
    return args.cronFile().map(f -> f.startsWith("/") ? f : "/etc/cron.d/" + f);
  }

  private Map<String, String> values(String text) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("__ORCH_CRON_FILE", path().orElse(""));
    v.put("__ORCH_CRON_USER", args.user().orElse(""));
    v.put("__ORCH_CRON_TEXT", text);
    return v;
  }

  private static final String START =
      ServiceScript.PRELUDE
          + "F=$__ORCH_CRON_FILE; U=$__ORCH_CRON_USER\n"
          + "C=$(__svc_bin crontab) || __svc_fail \"Failed to find required executable crontab"
          + " in paths: $PATH:/sbin:/usr/sbin:/usr/local/sbin\"\n"
          + "if [ -n \"$U\" ] && [ \"$U\" != \"$(id -un)\" ]; then set -- -u \"$U\"; else set --;"
          + " fi\n";

  /** The read-only script: {@code @@none}, or {@code @@text} and the crontab as base64. */
  ShellTemplate readScript() {
    return new ShellTemplate(
        START
            + "if [ -n \"$F\" ]; then\n"
            + "  if [ -f \"$F\" ] && [ -r \"$F\" ]; then echo @@text; base64 <\"$F\" || exit 1;"
            + " else echo @@none; fi\n"
            + "  exit 0\n"
            + "fi\n"
            + "__t=$(mktemp) || __svc_fail 'mktemp failed'\n"
            + "trap 'rm -f \"$__t\"' EXIT\n"
            + "\"$C\" \"$@\" -l >\"$__t\" 2>/dev/null; __r=$?\n"
            + "[ $__r -le 1 ] || __svc_fail 'Unable to read crontab'\n"
            + "echo @@text; base64 <\"$__t\"\n",
        values(""));
  }

  /** The script that writes {@code text}: the user's crontab, the cron file, or removes it. */
  ShellTemplate writeScript(String text, boolean removeFile) {
    String body;
    if (path().isEmpty()) {
      body =
          "__e=$(printf '%s' \"$__ORCH_CRON_TEXT\" | \"$C\" \"$@\" - 2>&1 >/dev/null) ||"
              + " __svc_fail \"$__e\" \"$__e\"\n";
    } else if (removeFile) {
      body = "if [ -e \"$F\" ]; then rm -f -- \"$F\" && echo @@removed; fi\n";
    } else {
      body =
          "umask 022\n"
              + "__e=$( { printf '%s' \"$__ORCH_CRON_TEXT\" >\"$F\"; } 2>&1) ||"
              + " __svc_fail \"$__e\" \"$__e\"\n";
    }
    return new ShellTemplate(START + body, values(text));
  }

  /** The invocation: read, edit, write when changed. */
  ModuleOutcome run(Connection connection, StepAction.Attempt attempt) throws TransportException {
    long start = System.nanoTime();
    ExecResult read = exec(connection, readScript());
    if (!read.succeeded()) {
      return failed(ServiceModule.message(read, "cron"), start);
    }
    String out = read.stdout();
    CronTab tab;
    if (out.startsWith("@@none")) {
      tab = CronTab.read("", false);
    } else if (out.startsWith("@@text")) {
      String b64 = out.substring(6).replaceAll("\\s", "");
      String text = new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
      tab = CronTab.read(text, path().isEmpty());
    } else {
      return failed("cannot read the crontab: " + read.stderr().strip(), start);
    }
    CronEdit edit;
    try {
      edit = CronEdit.apply(args, tab, path().isPresent());
    } catch (IllegalArgumentException e) {
      return failed(e.getMessage(), start);
    }
    if (!edit.changed()) {
      return ok(edit.fields(), "", start);
    }
    ExecResult wrote = exec(connection, writeScript(tab.render(), edit.removeFile()));
    if (!wrote.succeeded()) {
      return failed(ServiceModule.message(wrote, "cron"), start);
    }
    Map<String, Object> fields = new LinkedHashMap<>(edit.fields());
    if (edit.removeFile()) {
      fields.put("changed", wrote.stdout().contains("@@removed"));
    }
    return ok(fields, wrote.stdout().replace("@@removed\n", ""), start);
  }

  private ExecResult exec(Connection connection, ShellTemplate script) throws TransportException {
    return connection.exec(CommandBuilder.build(step, script, env), Optional.of(LIMIT));
  }

  private static ModuleOutcome ok(Map<String, Object> fields, String stdout, long start) {
    return new ModuleOutcome(
        new ExecResult(0, stdout, "", Duration.ofNanos(System.nanoTime() - start), false), fields);
  }

  private static ModuleOutcome failed(String msg, long start) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("changed", false);
    fields.put("msg", msg);
    return new ModuleOutcome(
        new ExecResult(
            1,
            "",
            msg.endsWith("\n") ? msg : msg + "\n",
            Duration.ofNanos(System.nanoTime() - start),
            false),
        fields);
  }
}
