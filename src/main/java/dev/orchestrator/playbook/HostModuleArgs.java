package dev.orchestrator.playbook;

import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the arguments of the modules that run on the host, {@code wait_for} and {@code uri}, as
 * Ansible's modules accept them (their documentation: docs.ansible.com, {@code
 * ansible.builtin.wait_for} and {@code ansible.builtin.uri}), with Ansible's defaults filled in; a
 * part of {@link StepModules}.
 */
final class HostModuleArgs {
  private static final Set<String> WAIT_FOR_STATES =
      Set.of("started", "stopped", "present", "absent");
  private static final Set<String> METHODS =
      Set.of("GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS");

  private final ModuleArgReader reader;

  HostModuleArgs(ModuleArgReader reader) {
    this.reader = reader;
  }

  Map<String, Object> waitFor(YamlNode node, String where) {
    YamlMap m = reader.map(node, "wait_for", "write e.g. wait_for: {port: 8080, timeout: 60}");
    m.allowOnly(
        Set.of(
            "host",
            "port",
            "path",
            "state",
            "search_regex",
            "delay",
            "timeout",
            "sleep",
            "connect_timeout",
            "msg"));
    if (m.has("port") && m.has("path")) {
      throw m.entry("path")
          .orElseThrow()
          .key()
          .error(where + " has both 'port' and 'path'", "wait for one of them per step");
    }
    Map<String, Object> args = new LinkedHashMap<>();
    m.get("host").ifPresent(v -> args.put("host", reader.templated(v, where, "host")));
    m.get("port").ifPresent(v -> args.put("port", reader.number(v, where, "port", 1, 65_535)));
    m.get("path").ifPresent(v -> args.put("path", reader.templated(v, where, "path")));
    String state = m.get("state").map(v -> v.asString("state")).orElse("started");
    if (state.equals("drained")) {
      throw m.get("state")
          .get()
          .error(
              where + ": state 'drained' is not supported",
              "wait for the port to be closed (state: stopped), or use a shell step with ss");
    }
    if (!WAIT_FOR_STATES.contains(state)) {
      throw m.get("state")
          .get()
          .error(
              where + ": unknown state '" + state + "'",
              "write one of: started, stopped, present, absent");
    }
    args.put("state", state);
    if (m.get("search_regex").isPresent()) {
      if (!args.containsKey("path") && !args.containsKey("port")) {
        throw m.get("search_regex")
            .get()
            .error(where + ": 'search_regex' needs 'path' or 'port'", "add the file or port");
      }
      if (state.equals("stopped") || state.equals("absent")) {
        throw m.get("search_regex")
            .get()
            .error(
                where + ": 'search_regex' applies to state started or present",
                "remove it, or wait for state: present");
      }
      args.put(
          "search_regex", reader.templated(m.get("search_regex").get(), where, "search_regex"));
    }
    for (String key : List.of("delay", "timeout", "sleep", "connect_timeout")) {
      m.get(key).ifPresent(v -> args.put(key, reader.number(v, where, key, 0, 86_400)));
    }
    m.get("msg").ifPresent(v -> args.put("msg", reader.templated(v, where, "msg")));
    return args;
  }

  Map<String, Object> uri(YamlNode node, String where) {
    YamlMap m = reader.map(node, "uri", "write e.g. uri: {url: \"http://localhost/health\"}");
    m.allowOnly(
        Set.of(
            "url",
            "method",
            "body",
            "body_format",
            "headers",
            "status_code",
            "return_content",
            "timeout",
            "validate_certs"));
    Map<String, Object> args = new LinkedHashMap<>();
    if (m.get("url").isEmpty() || m.get("url").get().asString("url").isBlank()) {
      throw node.error(where + " has no 'url'", "write url: http://localhost/health");
    }
    args.put("url", reader.templated(m.get("url").get(), where, "url"));
    String method = m.get("method").map(v -> v.asString("method")).orElse("GET");
    if (!METHODS.contains(method) && !TemplateEngine.isTemplate(method)) {
      throw m.get("method")
          .get()
          .error(
              where + ": unknown method '" + method + "'",
              "write one of: " + String.join(", ", new java.util.TreeSet<>(METHODS)));
    }
    args.put("method", method);
    String format = m.get("body_format").map(v -> v.asString("body_format")).orElse("raw");
    if (!format.equals("raw") && !format.equals("json")) {
      throw m.get("body_format")
          .get()
          .error(
              where + ": body_format '" + format + "' is not supported",
              "write body_format: json or raw (form encodings are not supported)");
    }
    args.put("body_format", format);
    m.get("body")
        .ifPresent(
            v -> {
              if (!v.isScalar() && !format.equals("json")) {
                throw v.error(
                    where + ": a structured 'body' needs body_format: json",
                    "add body_format: json, or write the body as text");
              }
              args.put("body", reader.templated(v, where, "body"));
            });
    if (m.get("headers").isPresent()) {
      Map<String, Object> headers = new LinkedHashMap<>();
      for (YamlMap.Entry h : m.get("headers").get().asMap("headers").entries()) {
        if (!h.name().matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
          throw h.key()
              .error(where + ": invalid header name '" + h.name() + "'", "use a token like X-Id");
        }
        headers.put(h.name(), reader.templated(h.value(), where, "headers." + h.name()));
      }
      args.put("headers", headers);
    }
    List<Object> codes = new ArrayList<>();
    Optional<YamlNode> sc = m.get("status_code");
    if (sc.isPresent()) {
      for (YamlNode c :
          sc.get().isSequence() ? sc.get().asList("status_code") : List.of(sc.get())) {
        codes.add(reader.number(c, where, "status_code", 100, 599));
      }
    } else {
      codes.add(200);
    }
    args.put("status_code", codes);
    args.put(
        "return_content",
        m.get("return_content").map(v -> v.asBoolean("return_content")).orElse(false));
    args.put(
        "timeout",
        m.get("timeout").map(v -> reader.number(v, where, "timeout", 1, 86_400)).orElse(30));
    args.put(
        "validate_certs",
        m.get("validate_certs").map(v -> v.asBoolean("validate_certs")).orElse(true));
    return args;
  }
}
