package dev.orchestrator.execute;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.transport.ExecResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ansible's {@code uri} on the host, with {@code curl} (ansible-core's {@code
 * lib/ansible/modules/uri.py} runs Python's urllib there): the request goes from the host, as in
 * Ansible, so that {@code http://localhost/...} means the host's own service. The URL, method,
 * headers and body reach the shell as exported values ({@link CommandBuilder#exports}), never as
 * code; the status and the body come back on stdout and are judged on the controller: the step
 * fails unless the status is one of {@code status_code}. Result keys as Ansible's: {@code status},
 * {@code url}, {@code msg}, {@code elapsed}, {@code redirected}, {@code content} (with {@code
 * return_content} or a failed status), {@code json} (when the response's type is JSON).
 *
 * @param url the URL
 * @param method the HTTP method
 * @param body the request body, empty for none
 * @param headers the request headers
 * @param statusCodes the statuses that count as success
 * @param returnContent whether {@code content} is returned
 * @param timeout seconds the request may take
 * @param validateCerts whether the server's certificate is checked
 */
record Uri(
    String url,
    String method,
    String body,
    Map<String, String> headers,
    List<Integer> statusCodes,
    boolean returnContent,
    int timeout,
    boolean validateCerts) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads the rendered arguments, with Ansible's defaults. */
  static Uri of(ModuleArgs args) {
    Map<String, String> headers = new LinkedHashMap<>();
    Object h = args.rendered("headers").orElse(Map.of());
    if (h instanceof Map<?, ?> map) {
      map.forEach((k, v) -> headers.put(String.valueOf(k), ModuleArgs.asText(v)));
    }
    headers.forEach(
        (k, v) -> {
          if (v.contains("\n") || v.contains("\r")) {
            throw new IllegalArgumentException("header '" + k + "' has a line break in its value");
          }
        });
    String body = "";
    if (args.has("body")) {
      Object b = args.rendered("body").orElse("");
      boolean json = "json".equals(args.raw("body_format"));
      if (json && !(b instanceof String)) {
        try {
          body = JSON.writeValueAsString(b);
        } catch (JsonProcessingException e) {
          throw new IllegalArgumentException(
              "the body cannot be written as JSON: " + e.getMessage());
        }
      } else {
        body = ModuleArgs.asText(b);
      }
      if (json && headers.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("Content-Type"))) {
        headers.put("Content-Type", "application/json");
      }
    }
    List<Integer> codes = new ArrayList<>();
    Object sc = args.rendered("status_code").orElse(List.of(200));
    for (Object c : sc instanceof List<?> l ? l : List.of(sc)) {
      codes.add(ModuleArgs.integer("status_code", c));
    }
    return new Uri(
        args.text("url").orElseThrow(),
        args.text("method").orElse("GET"),
        body,
        headers,
        codes,
        args.flag("return_content", false),
        args.number("timeout", 30),
        args.flag("validate_certs", true));
  }

  /** What the step's log starts with (no header values: they may be credentials). */
  String description() {
    return "uri " + method + " " + url;
  }

  /** The limit for the command on the connection. */
  Duration limit() {
    return Duration.ofSeconds(timeout + 60L);
  }

  /**
   * The curl command; every value is exported, none is part of the text. The URL and the headers
   * (credentials, often) reach curl in a config file readable only by the connecting user, written
   * by the shell's {@code printf} and read with {@code -K}: never on curl's command line, which any
   * user of the host can read ({@code ps}).
   */
  ShellTemplate script() {
    Map<String, String> values = new LinkedHashMap<>();
    StringBuilder config = new StringBuilder();
    config.append("url = ").append(curlQuoted(url)).append('\n');
    for (Map.Entry<String, String> h : headers.entrySet()) {
      config.append("header = ").append(curlQuoted(h.getKey() + ": " + h.getValue())).append('\n');
    }
    values.put("__ORCH_URI_CFG", config.toString());
    values.put("__ORCH_URI_METHOD", method);
    values.put("__ORCH_URI_BODY", body);
    StringBuilder args = new StringBuilder();
    if (!validateCerts) {
      args.append(" -k");
    }
    args.append(method.equals("HEAD") ? " -I" : " -X \"$__ORCH_URI_METHOD\"");
    String send = body.isEmpty() ? "" : "printf '%s' \"$__ORCH_URI_BODY\" | ";
    if (!body.isEmpty()) {
      args.append(" --data-binary @-");
    }
    String text =
        "command -v curl >/dev/null 2>&1 || { echo 'uri needs curl on the host' >&2; exit 127; }\n"
            + "__uri_cfg=$(umask 077 && mktemp) || exit 1\n"
            + "trap 'rm -f \"$__uri_cfg\"' EXIT\n"
            + "printf '%s' \"$__ORCH_URI_CFG\" > \"$__uri_cfg\" || exit 1\n"
            + "__uri_out=$(mktemp) || exit 1\n"
            + "__uri_hdr=$(mktemp) || exit 1\n"
            + "__uri_code=$("
            + send
            + "curl -sS -K \"$__uri_cfg\" -o \"$__uri_out\" -D \"$__uri_hdr\""
            + " -w '%{http_code}\\t%{url_effective}\\t%{content_type}'"
            + " --max-time "
            + timeout
            + args
            + ")\n"
            + "__uri_rc=$?\n"
            + "rm -f \"$__uri_cfg\"\n"
            + "printf '%s\\n' \"$__uri_code\"\n"
            // the status line's reason phrase, for Ansible's "HTTP Error 404: Not Found"
            + "printf '%s\\n' \"$(sed -n '1{s/^HTTP[^ ]* [0-9]* *//;s/\\r$//;p;}'"
            + " \"$__uri_hdr\")\"\n"
            + "rm -f \"$__uri_hdr\"\n"
            + "cat \"$__uri_out\"; rm -f \"$__uri_out\"\n"
            + "exit $__uri_rc\n";
    return new ShellTemplate(text, values);
  }

  /**
   * {@code value} as a double-quoted parameter of curl's config syntax: backslash and double quote
   * escaped, and line breaks and tabs as curl's escapes, so that the value stays one parameter on
   * one line.
   */
  static String curlQuoted(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(c);
      }
    }
    return out.append('"').toString();
  }

  /** Judges the response: the status, the body, Ansible's result keys and messages. */
  ModuleOutcome outcome(ExecResult result) {
    String out = result.stdout();
    int newline = out.indexOf('\n');
    String head = newline < 0 ? out : out.substring(0, newline);
    String rest = newline < 0 ? "" : out.substring(newline + 1);
    int second = rest.indexOf('\n');
    String reason =
        dev.orchestrator.common.Echo.bounded(second < 0 ? "" : rest.substring(0, second).strip());
    String full = second < 0 ? "" : rest.substring(second + 1);
    String content =
        full.length() > StepAttempt.MAX_REGISTERED_CHARS
            ? full.substring(0, StepAttempt.MAX_REGISTERED_CHARS)
            : full;
    String[] parts = head.strip().split("\t", 3);
    int status = -1;
    try {
      status = Integer.parseInt(parts[0]);
    } catch (NumberFormatException e) {
      // no status: the request failed
    }
    if (status == 0) {
      status = -1; // curl's 000: no response
    }
    // the server's content type last, cut at a tab: it cannot shift the URL
    String type = parts.length > 2 ? parts[2].split("\t", 2)[0] : "";
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("status", status);
    fields.put("url", parts.length > 1 ? parts[1] : url);
    fields.put("redirected", parts.length > 1 && !parts[1].equals(url));
    fields.put("elapsed", result.duration().toSeconds());
    fields.put("content_type", type);
    if (type.toLowerCase(java.util.Locale.ROOT).matches("[^;]*[/+]json\\b.*")) {
      try {
        fields.put("json", JSON.readValue(full, Object.class));
      } catch (JsonProcessingException e) {
        // not JSON after all: no json key, as Ansible
      }
    }
    boolean ok = statusCodes.contains(status);
    if (returnContent || !ok) {
      fields.put("content", content);
    }
    String msg =
        status < 0
            ? "Request failed: " + lastLine(result.stderr())
            // urllib raises HTTPError from 400 on: Ansible's msg is its text
            : status >= 400
                ? ("HTTP Error " + status + ": " + reason).strip()
                : "OK (" + full.length() + " bytes)";
    if (result.exitCode() == 127 && status < 0) {
      msg = "uri needs curl on the host";
    }
    if (!ok) {
      msg = "Status code was " + status + " and not " + statusCodes + ": " + msg;
    }
    fields.put("msg", msg);
    return new ModuleOutcome(
        new ExecResult(
            ok ? 0 : 1,
            returnContent ? content : "",
            ok ? "" : msg + "\n",
            result.duration(),
            result.timedOut()),
        fields);
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1].strip();
  }
}
