package dev.orchestrator.execute;

import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.transport.ExecResult;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ansible's {@code command} module on the host without Python (ansible-core 2.14 {@code
 * lib/ansible/modules/command.py}): the text is split into words as {@code shlex.split} does
 * ({@link CommandWords#split}) after templating, or {@code argv} gives them; on the host, {@code
 * chdir} is entered, {@code creates} (a glob that matches) or {@code removes} (one that matches
 * nothing) skips the command with {@code changed: false}, each word gets {@code $VAR} and {@code ~}
 * expanded as Ansible's {@code run_command} does, and the command runs directly, no shell involved;
 * {@code stdin} (with a newline unless {@code stdin_add_newline: false}) is its input. Every value
 * reaches the shell as an exported variable, never as code.
 *
 * <p>Result keys as Ansible's: {@code cmd} (the words), {@code rc}, {@code stdout}, {@code stderr}
 * (trailing newlines removed unless {@code strip_empty_ends: false}), {@code start}, {@code end},
 * {@code delta} (Python's {@code str(datetime)}, measured on the controller), {@code msg}, and
 * {@code changed: true} unless skipped.
 *
 * @param module {@code command}, {@code shell} (its mapping form) or {@code raw}
 * @param words the command's words ({@code command}), else empty
 * @param text the shell text of {@code shell} and {@code raw}, run by the host's {@code /bin/sh}
 *     after the arguments' checks, template values as data
 * @param shown {@code shell}'s command as Ansible's {@code cmd} shows it (rendered plainly)
 * @param chdir the directory, or empty
 * @param creates the glob that skips the command when it matches, or empty
 * @param removes the glob that skips the command when it matches nothing, or empty
 * @param stdin the command's input, or empty
 * @param strip whether to remove trailing newlines from stdout and stderr
 */
record CommandModule(
    String module,
    List<String> words,
    Optional<ShellTemplate> text,
    String shown,
    String chdir,
    String creates,
    String removes,
    Optional<String> stdin,
    boolean strip) {

  /** A line of the script's stdout that says the command was skipped. */
  static final String SKIPPED = "::orchestrator-command-skipped ";

  /** A line of the script's stderr that carries Ansible's failure message. */
  static final String MESSAGE = "::orchestrator-command-msg ";

  /** After {@link #MESSAGE}: the command was not found, its name follows in hex. */
  static final String NOT_FOUND = "not-found ";

  private static final java.time.format.DateTimeFormatter PYTHON_DATETIME =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /** Copies the words. */
  CommandModule {
    words = List.copyOf(words);
  }

  /**
   * Reads {@code command}'s rendered arguments.
   *
   * @throws IllegalArgumentException if the text cannot be split (an unclosed quote)
   */
  static CommandModule of(ModuleArgs args) {
    List<String> words;
    if (args.has("argv")) {
      words = new ArrayList<>();
      for (Object w : (List<?>) args.rendered("argv").orElseThrow()) {
        words.add(ModuleArgs.asText(w));
      }
    } else {
      String cmd = args.text("cmd").orElse("");
      try {
        words = CommandWords.split(cmd);
      } catch (CommandWords.SplitException e) {
        throw new IllegalArgumentException("command: " + e.getMessage() + " in: " + cmd);
      }
    }
    if (words.isEmpty()) {
      throw new IllegalArgumentException("command: no command given");
    }
    return new CommandModule(
        "command",
        words,
        Optional.empty(),
        "",
        args.text("chdir").orElse(""),
        args.text("creates").orElse(""),
        args.text("removes").orElse(""),
        args.text("stdin").map(s -> args.flag("stdin_add_newline", true) ? s + "\n" : s),
        args.flag("strip_empty_ends", true));
  }

  /** {@code raw}: the rendered shell text, run as it is by the host's shell. */
  static CommandModule raw(ShellTemplate text) {
    return new CommandModule(
        "raw", List.of(), Optional.of(text), "", "", "", "", Optional.empty(), false);
  }

  /** {@code shell}'s mapping form: the rendered text and {@code command}'s other arguments. */
  static CommandModule shell(ModuleArgs args, ShellTemplate text) {
    return new CommandModule(
        "shell",
        List.of(),
        Optional.of(text),
        args.text("cmd").orElse(""),
        args.text("chdir").orElse(""),
        args.text("creates").orElse(""),
        args.text("removes").orElse(""),
        args.text("stdin").map(s -> args.flag("stdin_add_newline", true) ? s + "\n" : s),
        args.flag("strip_empty_ends", true));
  }

  private boolean raw() {
    return module.equals("raw");
  }

  /** What the step's log starts with. */
  String description() {
    return module + " " + text.map(ShellTemplate::text).orElseGet(() -> String.join(" ", words));
  }

  /** The script; its values are exported, the text holds variable names only. */
  ShellTemplate script() {
    if (raw()) {
      return text.orElseThrow();
    }
    Map<String, String> values = new LinkedHashMap<>();
    StringBuilder sh = new StringBuilder();
    if (!chdir.isEmpty()) {
      sh.append(CommandWords.script(chdir, "__d", "__ORCH_CD_", values))
          .append("cd -- \"$__d\" 2>/dev/null || { printf '%s%s\\n' '")
          .append(MESSAGE)
          .append("Unable to change directory before execution: ' \"$__d\" >&2; exit 1; }\n");
    }
    if (!creates.isEmpty()) {
      sh.append(glob(creates, "__ORCH_CR_", values))
          .append("if [ -n \"$__hit\" ]; then echo '")
          .append(SKIPPED)
          .append("creates'; exit 0; fi\n");
    }
    if (!removes.isEmpty()) {
      sh.append(glob(removes, "__ORCH_RM_", values))
          .append("if [ -z \"$__hit\" ]; then echo '")
          .append(SKIPPED)
          .append("removes'; exit 0; fi\n");
    }
    stdin.ifPresent(s -> values.put("__ORCH_STDIN", s));
    if (text.isPresent()) {
      values.putAll(text.get().values());
      sh.append(
          stdin.isPresent()
              ? "printf '%s' \"$__ORCH_STDIN\" | {\n" + text.get().text() + "\n}\n"
              : text.get().text() + "\n");
      return new ShellTemplate(sh.toString(), values);
    }
    StringBuilder set = new StringBuilder("set --");
    for (int i = 0; i < words.size(); i++) {
      sh.append(CommandWords.script(words.get(i), "__w" + i, "__ORCH_W" + i + "_", values))
          .append('\n');
      set.append(" \"$__w").append(i).append('"');
    }
    sh.append(set).append('\n');
    // as Python's subprocess: a word with a slash is a path, else PATH is searched
    sh.append(
        "__x=; case $1 in */*) __x=$1;; *) IFS=:; set -f; for __p in $PATH; do"
            + " if [ -f \"${__p:-.}/$1\" ] && [ -x \"${__p:-.}/$1\" ]; then __x=${__p:-.}/$1; break; fi;"
            + " done; set +f; unset IFS;; esac\n"
            + "if [ -z \"$__x\" ] || [ ! -e \"$__x\" ]; then printf '%s%s\\n' '"
            + MESSAGE
            + NOT_FOUND
            + "' \"$(printf '%s' \"$1\" | od -An -tx1 | tr -d ' \\n')\" >&2; exit 2; fi\n");
    sh.append(stdin.isPresent() ? "printf '%s' \"$__ORCH_STDIN\" | \"$@\"\n" : "\"$@\"\n");
    return new ShellTemplate(sh.toString(), values);
  }

  /** Sets {@code __hit} when the glob (expanded as a path) matches an existing path. */
  private static String glob(String pattern, String prefix, Map<String, String> values) {
    return CommandWords.script(pattern, "__g", prefix, values)
        + ("__hit=; IFS=; for __f in $__g; do if [ -e \"$__f\" ] || [ -L \"$__f\" ]; then"
            + " __hit=1; fi; done; unset IFS\n");
  }

  /** The limit on the connection when the step has none: none (as Ansible's). */
  Duration limit() {
    return Duration.ofDays(30);
  }

  /** The outcome: Ansible's result keys, {@code changed} true unless skipped. */
  ModuleOutcome outcome(ExecResult result) {
    LocalDateTime end = LocalDateTime.now();
    LocalDateTime start = end.minus(result.duration());
    Map<String, Object> fields = new LinkedHashMap<>();
    String stdout = result.stdout();
    String stderr = result.stderr();
    Optional<String> skipped =
        stdout
            .lines()
            .filter(l -> l.startsWith(SKIPPED))
            .findFirst()
            .map(l -> l.substring(SKIPPED.length()));
    Optional<String> message =
        stderr
            .lines()
            .filter(l -> l.startsWith(MESSAGE))
            .findFirst()
            .map(l -> l.substring(MESSAGE.length()));
    if (!raw()) {
      fields.put("cmd", module.equals("shell") ? shown : words);
    }
    if (skipped.isPresent()) {
      String path = skipped.get().equals("creates") ? creates : removes;
      fields.put(
          "msg",
          skipped.get().equals("creates")
              ? "Did not run command since '" + path + "' exists"
              : "Did not run command since '" + path + "' does not exist");
      fields.put(
          "stdout",
          skipped.get().equals("creates")
              ? "skipped, since " + path + " exists"
              : "skipped, since " + path + " does not exist");
      fields.put("stdout_lines", List.of(String.valueOf(fields.get("stdout"))));
      fields.put("stderr", "");
      fields.put("stderr_lines", List.of());
      fields.put("rc", 0);
      fields.put("start", null);
      fields.put("end", null);
      fields.put("delta", null);
      fields.put("changed", false);
      return new ModuleOutcome(new ExecResult(0, "", "", result.duration(), false), fields);
    }
    if (raw()) {
      if (!result.succeeded()) {
        fields.put("msg", "non-zero return code");
      }
      fields.put("changed", true);
      return new ModuleOutcome(result, fields);
    }
    if (message.isPresent()) {
      stderr =
          stderr
              .lines()
              .filter(l -> !l.startsWith(MESSAGE))
              .map(l -> l + "\n")
              .reduce("", String::concat);
      boolean notFound = message.get().startsWith(NOT_FOUND);
      fields.put(
          "msg",
          notFound
              ? "[Errno 2] No such file or directory: "
                  + PythonText.bytesRepr(
                      java.util.HexFormat.of()
                          .parseHex(message.get().substring(NOT_FOUND.length()).strip()))
              : message.get());
      fields.put("rc", notFound ? 2 : null);
      if (notFound) {
        fields.put("cmd", PythonText.cleanArgs(words)); // run_command's _clean_args
      }
    } else {
      fields.put("msg", result.succeeded() ? "" : "non-zero return code");
      fields.put("rc", result.exitCode());
    }
    if (strip) {
      stdout = stdout.replaceFirst("[\r\n]+$", "");
      stderr = stderr.replaceFirst("[\r\n]+$", "");
    }
    fields.put("stdout", capped(stdout));
    fields.put("stderr", capped(stderr));
    fields.put("stdout_lines", stdout.lines().limit(1000).toList());
    fields.put("stderr_lines", stderr.lines().limit(1000).toList());
    if (message.isEmpty()) {
      fields.put("start", python(start));
      fields.put("end", python(end));
      fields.put("delta", python(result.duration()));
    }
    fields.put("changed", message.isEmpty());
    return new ModuleOutcome(
        new ExecResult(result.exitCode(), stdout, stderr, result.duration(), result.timedOut()),
        fields);
  }

  private static String capped(String s) {
    return s.length() > StepAttempt.MAX_REGISTERED_CHARS
        ? s.substring(0, StepAttempt.MAX_REGISTERED_CHARS)
        : s;
  }

  /** Python's {@code str(datetime)}: microseconds only when not zero. */
  static String python(LocalDateTime t) {
    int micros = t.getNano() / 1000;
    return t.format(PYTHON_DATETIME) + (micros == 0 ? "" : String.format(".%06d", micros));
  }

  /** Python's {@code str(timedelta)} for a duration under a day: {@code H:MM:SS[.ffffff]}. */
  static String python(Duration d) {
    long micros = d.toNanos() / 1000 % 1_000_000;
    long s = d.toSeconds();
    String text =
        (d.toDays() > 0 ? d.toDays() + (d.toDays() == 1 ? " day, " : " days, ") : "")
            + String.format("%d:%02d:%02d", s / 3600 % 24, s / 60 % 60, s % 60);
    return micros == 0 ? text : text + String.format(".%06d", micros);
  }
}
