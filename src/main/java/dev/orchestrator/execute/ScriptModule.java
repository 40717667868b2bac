package dev.orchestrator.execute;

import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.transport.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ansible's {@code script} on the host, in the order of ansible-core 2.14's action plugin {@code
 * plugins/action/script.py}: {@code creates}/{@code removes} checked first as {@code test -e PATH}
 * (a plain path: no glob, no {@code ~}); the controller's file, checked against the SHA-256 read at
 * load, sent inside the script on the shell's stdin (base64) into a private temporary folder under
 * its own file name, made executable, run with its arguments from {@code chdir} (through {@code
 * executable} when given), the folder removed. The arguments are split as {@code shlex.split} and
 * each reaches the script as one word, as data (Ansible pastes the text into the remote shell's
 * command line, so there {@code $X} or {@code *} in an argument is expanded: README "Modules").
 *
 * <p>Result keys: {@code rc}, {@code stdout}, {@code stderr}, {@code stdout_lines}, {@code
 * stderr_lines}, {@code changed: true}; a non-zero exit fails with {@code msg: non-zero return
 * code}; a skip by {@code creates}/{@code removes} is {@code changed: false}, {@code skipped: true}
 * with Ansible's {@code msg}. See <a
 * href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/script_module.html">script</a>.
 *
 * @param source the script on the controller
 * @param sha256 its SHA-256 when the playbook was loaded
 * @param words the script's arguments
 * @param chdir the folder to run in, empty for the login folder
 * @param creates skip when this path exists, empty for none
 * @param removes skip when this path does not exist, empty for none
 * @param executable the interpreter's words, empty to run the file itself
 */
record ScriptModule(
    Path source,
    String sha256,
    List<String> words,
    String chdir,
    String creates,
    String removes,
    List<String> executable) {
  /** A line of the script's stdout that says it was skipped; the reason follows. */
  static final String SKIPPED = "::orchestrator-script-skipped ";

  /** Validates the fields. */
  ScriptModule {
    words = List.copyOf(words);
    executable = List.copyOf(executable);
    if (!chdir.isEmpty() && !chdir.startsWith("/")) {
      throw new IllegalArgumentException(
          "chdir " + chdir + " must be an absolute path for a Unix-aware remote node");
    }
  }

  /**
   * Reads the rendered arguments.
   *
   * @throws IllegalArgumentException if the text or {@code executable} cannot be split
   */
  static ScriptModule of(ModuleArgs args) {
    List<String> all = split(args.text("cmd").orElse(""));
    if (all.isEmpty()) {
      throw new IllegalArgumentException("script: no script given");
    }
    return new ScriptModule(
        Path.of(String.valueOf(args.raw("_source"))),
        String.valueOf(args.raw("_sha256")),
        all.subList(1, all.size()),
        args.text("chdir").orElse(""),
        args.text("creates").orElse(""),
        args.text("removes").orElse(""),
        split(args.text("executable").orElse("")));
  }

  private static List<String> split(String text) {
    try {
      return CommandWords.split(text);
    } catch (CommandWords.SplitException e) {
      throw new IllegalArgumentException("script: " + e.getMessage() + " in: " + text);
    }
  }

  /** What the step's log starts with. */
  String description() {
    return "script "
        + source.getFileName()
        + (words.isEmpty() ? "" : " " + String.join(" ", words));
  }

  /** The limit on the connection when the step has none: none, as Ansible's. */
  Duration limit() {
    return Duration.ofDays(30);
  }

  /**
   * The command: the script's name, arguments and paths are exported values; its bytes are a base64
   * here-document (an exported value of more than 128 KiB could not reach a command).
   *
   * @throws IllegalArgumentException if the file cannot be read or changed since the load
   */
  ShellTemplate script() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(source);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + source + ": " + e.getMessage());
    }
    if (!FileWrite.digest("SHA-256", bytes).equals(sha256)) {
      throw new IllegalArgumentException(
          source + " changed since the playbook was loaded: run the plan again");
    }
    Map<String, String> values = new LinkedHashMap<>();
    values.put("__ORCH_SC_CREATES", creates);
    values.put("__ORCH_SC_REMOVES", removes);
    values.put("__ORCH_SC_CHDIR", chdir);
    values.put("__ORCH_SC_NAME", source.getFileName().toString());
    StringBuilder call = new StringBuilder();
    for (int i = 0; i < executable.size(); i++) {
      values.put("__ORCH_SC_X" + i, executable.get(i));
      call.append("\"$__ORCH_SC_X").append(i).append("\" ");
    }
    call.append("\"$__d/$__ORCH_SC_NAME\"");
    for (int i = 0; i < words.size(); i++) {
      values.put("__ORCH_SC_A" + i, words.get(i));
      call.append(" \"$__ORCH_SC_A").append(i).append('"');
    }
    String text =
        "if [ -n \"$__ORCH_SC_CREATES\" ] && [ -e \"$__ORCH_SC_CREATES\" ]; then echo '"
            + SKIPPED
            + "creates'; exit 0; fi\n"
            + "if [ -n \"$__ORCH_SC_REMOVES\" ] && [ ! -e \"$__ORCH_SC_REMOVES\" ]; then echo '"
            + SKIPPED
            + "removes'; exit 0; fi\n"
            + "__d=$(umask 077 && mktemp -d) || exit 1\n"
            + "trap 'rm -rf -- \"$__d\"' EXIT\n"
            // base64's alphabet holds no quote, no $ and never the delimiter: safe as text
            + "base64 -d > \"$__d/$__ORCH_SC_NAME\" <<'__ORCH_SC_EOF' || exit 1\n"
            + Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(bytes)
            + "\n__ORCH_SC_EOF\n"
            + "chmod 700 \"$__d\" \"$__d/$__ORCH_SC_NAME\"\n"
            + "if [ -n \"$__ORCH_SC_CHDIR\" ]; then cd -- \"$__ORCH_SC_CHDIR\" || exit 1; fi\n"
            + call
            + "\n";
    return new ShellTemplate(text, values);
  }

  /** The outcome, with Ansible's result keys. */
  ModuleOutcome outcome(ExecResult result) {
    Map<String, Object> fields = new LinkedHashMap<>();
    String out = result.stdout();
    Optional<String> skipped =
        result.succeeded() && out.startsWith(SKIPPED)
            ? Optional.of(out.substring(SKIPPED.length()).strip())
            : Optional.empty();
    if (skipped.isPresent()) {
      fields.put("changed", false);
      fields.put("skipped", true);
      fields.put(
          "msg",
          skipped.get().equals("creates")
              ? creates + " exists, matching creates option"
              : removes + " does not exist, matching removes option");
      return new ModuleOutcome(new ExecResult(0, "", "", result.duration(), false), fields);
    }
    fields.put("changed", true);
    fields.put("rc", result.exitCode());
    fields.put("stdout", out);
    fields.put("stderr", result.stderr());
    fields.put("stdout_lines", new ArrayList<>(out.lines().toList()));
    fields.put("stderr_lines", new ArrayList<>(result.stderr().lines().toList()));
    if (!result.succeeded()) {
      fields.put(
          "msg",
          result.timedOut() ? "the step's timeout ended the script" : "non-zero return code");
    }
    return new ModuleOutcome(result, fields);
  }
}
