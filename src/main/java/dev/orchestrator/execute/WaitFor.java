package dev.orchestrator.execute;

import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.transport.ExecResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Ansible's {@code wait_for} on the host, as a POSIX {@code sh} loop (ansible-core's {@code
 * lib/ansible/modules/wait_for.py} runs Python there; a minimal host may have none): it waits
 * {@code delay}, then checks every {@code sleep} seconds until the condition holds or {@code
 * timeout} seconds have passed since the start. A file: {@code test -e}, with {@code search_regex}
 * {@code grep -E} (an extended regular expression, where Ansible's is Python's). A port: a TCP
 * connection through bash's {@code /dev/tcp} or else {@code nc -z}, each limited to {@code
 * connect_timeout} seconds. The host, path and pattern reach the shell as exported values ({@link
 * CommandBuilder#exports}), never as code.
 *
 * @param host the host to connect to (default {@code 127.0.0.1}: the target host itself)
 * @param port the port, or 0 for none
 * @param path the file, or empty
 * @param state {@code started}, {@code stopped}, {@code present} or {@code absent}
 * @param searchRegex the pattern the file or the port's first output must match, or empty
 * @param delay seconds before the first check
 * @param timeout seconds from the start until it fails
 * @param sleep seconds between checks
 * @param connectTimeout seconds one connection attempt may take
 * @param msg the message on a timeout, or empty for Ansible's
 */
record WaitFor(
    String host,
    int port,
    String path,
    String state,
    String searchRegex,
    int delay,
    int timeout,
    int sleep,
    int connectTimeout,
    Optional<String> msg) {

  /** Reads the rendered arguments, with Ansible's defaults. */
  static WaitFor of(ModuleArgs args) {
    return new WaitFor(
        args.text("host").orElse("127.0.0.1"),
        args.number("port", 0),
        args.text("path").orElse(""),
        args.text("state").orElse("started"),
        args.text("search_regex").orElse(""),
        args.number("delay", 0),
        args.number("timeout", 300),
        args.number("sleep", 1),
        args.number("connect_timeout", 5),
        args.text("msg"));
  }

  /** What the step's log starts with. */
  String description() {
    String what = port > 0 ? host + ":" + port : path.isEmpty() ? timeout + "s" : path;
    return "wait_for "
        + what
        + " "
        + state
        + (searchRegex.isEmpty() ? "" : " /" + searchRegex + "/");
  }

  /** The limit for the command on the connection: the module's own timeout and a margin. */
  Duration limit() {
    return Duration.ofSeconds(delay + (long) timeout + connectTimeout + 60L);
  }

  /** The shell loop; its values are exported, never part of the text. */
  ShellTemplate script() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("__ORCH_WF_HOST", host);
    values.put("__ORCH_WF_PATH", path);
    values.put("__ORCH_WF_REGEX", searchRegex);
    String check;
    if (port > 0) {
      String connect =
          searchRegex.isEmpty() ? "__wf_connect" : "__wf_read | grep -E -q -e \"$__ORCH_WF_REGEX\"";
      check = state.equals("stopped") ? "! " + connect : connect;
    } else if (!path.isEmpty()) {
      check =
          switch (state) {
            case "absent", "stopped" -> "[ ! -e \"$__ORCH_WF_PATH\" ]";
            default ->
                searchRegex.isEmpty()
                    ? "[ -e \"$__ORCH_WF_PATH\" ]"
                    : "grep -E -q -e \"$__ORCH_WF_REGEX\" -- \"$__ORCH_WF_PATH\" 2>/dev/null";
          };
    } else {
      check = "false"; // neither: waits the whole timeout, then succeeds (as Ansible)
    }
    String text =
        "__wf_t() { if command -v timeout >/dev/null 2>&1; then timeout "
            + connectTimeout
            + " \"$@\"; else \"$@\"; fi; }\n"
            + "__wf_connect() {\n"
            + "  if command -v bash >/dev/null 2>&1; then\n"
            + "    __wf_t bash -c 'exec 3<>\"/dev/tcp/$1/$2\"' _ \"$__ORCH_WF_HOST\" "
            + port
            + " 2>/dev/null\n"
            + "  elif command -v nc >/dev/null 2>&1; then\n"
            + "    nc -z -w "
            + connectTimeout
            + " \"$__ORCH_WF_HOST\" "
            + port
            + " </dev/null >/dev/null 2>&1\n"
            + "  else echo 'wait_for needs bash or nc on the host to check a port' >&2; exit 2; fi\n"
            + "}\n"
            + "__wf_read() {\n"
            + "  if command -v bash >/dev/null 2>&1; then\n"
            + "    __wf_t bash -c 'exec 3<>\"/dev/tcp/$1/$2\" && cat <&3' _ \"$__ORCH_WF_HOST\" "
            + port
            + " 2>/dev/null\n"
            + "  else __wf_t nc \"$__ORCH_WF_HOST\" "
            + port
            + " </dev/null 2>/dev/null; fi\n"
            + "}\n"
            + "__wf_start=$(date +%s)\n"
            + "sleep "
            + delay
            + "\n"
            + "while :; do\n"
            + "  if "
            + check
            + "; then echo \"elapsed=$(( $(date +%s) - __wf_start ))\"; exit 0; fi\n"
            + "  __wf_now=$(date +%s)\n"
            + "  if [ $(( __wf_now - __wf_start )) -ge "
            + timeout
            + " ]; then echo \"elapsed=$(( __wf_now - __wf_start ))\"; "
            + (port == 0 && path.isEmpty() ? "exit 0" : "exit 1")
            + "; fi\n"
            + "  sleep "
            + sleep
            + "\n"
            + "done\n";
    return new ShellTemplate(text, values);
  }

  /** The outcome of the loop's result, with Ansible's result keys and messages. */
  ModuleOutcome outcome(ExecResult result) {
    Map<String, Object> fields = new LinkedHashMap<>();
    long elapsed =
        result
            .stdout()
            .lines()
            .filter(l -> l.startsWith("elapsed="))
            .map(l -> Long.parseLong(l.substring(8).trim()))
            .findFirst()
            .orElse(result.duration().toSeconds());
    fields.put("elapsed", elapsed);
    fields.put("state", state);
    if (port > 0) {
      fields.put("port", port);
    }
    if (!path.isEmpty()) {
      fields.put("path", path);
    }
    fields.put("search_regex", searchRegex.isEmpty() ? null : searchRegex);
    if (result.succeeded()) {
      return new ModuleOutcome(result, fields);
    }
    String message = msg.orElseGet(this::timeoutMessage);
    if (result.exitCode() == 2 || result.timedOut()) {
      message = result.timedOut() ? "the step's timeout ended wait_for" : result.stderr().strip();
    }
    fields.put("msg", message);
    return new ModuleOutcome(
        new ExecResult(
            result.exitCode(),
            result.stdout(),
            message + "\n",
            result.duration(),
            result.timedOut()),
        fields);
  }

  /** Ansible's messages ({@code wait_for.py}). */
  private String timeoutMessage() {
    String target = port > 0 ? host + ":" + port : path;
    if (state.equals("stopped") || state.equals("absent")) {
      return port > 0
          ? "Timeout when waiting for " + target + " to stop."
          : "Timeout when waiting for " + target + " to be absent.";
    }
    if (!searchRegex.isEmpty()) {
      return "Timeout when waiting for search string " + searchRegex + " in " + target;
    }
    return port > 0
        ? "Timeout when waiting for " + target
        : "Timeout when waiting for file " + target;
  }
}
