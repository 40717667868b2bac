package dev.orchestrator.execute;

import dev.orchestrator.playbook.FileMode;
import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.transport.ExecResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Ansible's {@code get_url} on the host, with {@code curl} ({@link GetUrlScript}), as ansible-core
 * 2.14's {@code lib/ansible/modules/get_url.py} decides: an existing file with a matching {@code
 * checksum} is not downloaded ("file already exists"); an existing file without one is asked for
 * with {@code If-Modified-Since} (a 304 changes nothing) unless {@code force}; a download replaces
 * the file only when its SHA-1 differs ({@code changed}), is then checked against {@code checksum}
 * (a mismatch removes it and fails), and gets {@code mode}/{@code owner}/{@code group}; a {@code
 * dest} folder gets the name of {@code Content-Disposition} or of the URL's path. Result keys as
 * Ansible's: {@code dest}, {@code url}, {@code checksum_src}, {@code checksum_dest}, {@code
 * status_code}, {@code msg}, {@code md5sum}, {@code response} of a failed status, and the file's
 * {@code mode}, {@code owner}, {@code group}, {@code uid}, {@code gid}, {@code size}, {@code
 * state}. See <a
 * href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/get_url_module.html">get_url</a>.
 *
 * @param url the URL
 * @param dest the file, or a folder to put it in
 * @param algorithm the checksum's algorithm ({@code sha256}, ...), empty for none
 * @param sum the checksum's hex digits, lower case
 * @param force whether the file is downloaded even when it exists
 * @param timeout seconds to connect and between bytes
 * @param headers the request's headers
 * @param username the user for HTTP authentication, empty for none
 * @param password the password (a secret: only in curl's config file)
 * @param basic whether basic authentication is sent without a challenge
 * @param validateCerts whether the server's certificate is checked
 * @param agent the User-Agent
 * @param mode the file's mode, empty to keep
 * @param owner the file's owner, empty to keep
 * @param group the file's group, empty to keep
 */
record GetUrl(
    String url,
    String dest,
    String algorithm,
    String sum,
    boolean force,
    int timeout,
    Map<String, String> headers,
    String username,
    String password,
    boolean basic,
    boolean validateCerts,
    String agent,
    String mode,
    String owner,
    String group) {
  private static final Set<String> ALGORITHMS =
      Set.of("md5", "sha1", "sha224", "sha256", "sha384", "sha512");

  /** Validates the fields. */
  GetUrl {
    headers = Map.copyOf(headers);
    if (url.isEmpty() || dest.isEmpty()) {
      throw new IllegalArgumentException("'url' and 'dest' must not be empty");
    }
    if (!algorithm.isEmpty() && !ALGORITHMS.contains(algorithm)) {
      throw new IllegalArgumentException(
          "unsupported checksum algorithm '" + algorithm + "': one of " + ALGORITHMS);
    }
    if (!mode.isEmpty()) {
      new FileMode(mode); // octal or symbolic, never anything else
    }
  }

  /**
   * Reads the rendered arguments, with Ansible's defaults; the checksum as {@code main} parses it.
   */
  static GetUrl of(ModuleArgs args) {
    String checksum = args.text("checksum").orElse("");
    String algorithm = "";
    String sum = "";
    if (!checksum.isEmpty()) {
      int colon = checksum.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(
            "The checksum parameter has to be in format <algorithm>:<checksum>");
      }
      algorithm = checksum.substring(0, colon);
      sum = checksum.substring(colon + 1);
      if (sum.matches("(?i)(https?|ftp|file)://.*")) {
        throw new IllegalArgumentException(
            "a checksum file's URL is not supported: give the checksum itself");
      }
      sum = sum.replaceAll("[^\\p{Alnum}_]+", "").toLowerCase(Locale.ROOT);
      if (!sum.matches("[0-9a-f]+")) {
        throw new IllegalArgumentException("The checksum format is invalid");
      }
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (args.rendered("headers").orElse(Map.of()) instanceof Map<?, ?> map) {
      map.forEach((k, v) -> headers.put(String.valueOf(k), ModuleArgs.asText(v)));
    }
    String mode = args.text("mode").orElse("");
    return new GetUrl(
        args.text("url").orElse(""),
        args.text("dest").orElse(""),
        algorithm,
        sum,
        ModuleArgs.bool(args, "force").orElse(false),
        args.number("timeout", 10),
        headers,
        args.text("url_username").orElse(""),
        args.text("url_password").orElse(""),
        ModuleArgs.bool(args, "force_basic_auth").orElse(false),
        ModuleArgs.bool(args, "validate_certs").orElse(true),
        args.text("http_agent").orElse("ansible-httpget"),
        mode.isEmpty() ? "" : new FileMode(mode).chmodText(),
        args.text("owner").orElse(""),
        args.text("group").orElse(""));
  }

  /** What the step's log starts with (the URL may hold credentials: only the destination). */
  String description() {
    return "get_url " + dest;
  }

  /** The limit for the command: a download may be long. */
  Duration limit() {
    return Duration.ofMinutes(30);
  }

  /** curl's config: the request, the headers and the credentials, one quoted parameter a line. */
  String config() {
    StringBuilder c = new StringBuilder();
    c.append("url = ").append(Uri.curlQuoted(url)).append('\n');
    c.append("user-agent = ").append(Uri.curlQuoted(agent)).append('\n');
    c.append("connect-timeout = ").append(timeout).append('\n');
    c.append("speed-time = ").append(timeout).append('\n');
    c.append("speed-limit = 1\n");
    for (Map.Entry<String, String> h : headers.entrySet()) {
      c.append("header = ").append(Uri.curlQuoted(h.getKey() + ": " + h.getValue())).append('\n');
    }
    if (!username.isEmpty()) {
      c.append("user = ").append(Uri.curlQuoted(username + ":" + password)).append('\n');
      c.append(basic ? "basic\n" : "anyauth\n");
    }
    if (!validateCerts) {
      c.append("insecure\n");
    }
    return c.toString();
  }

  /** The script; every value is exported, never part of the text. */
  ShellTemplate script() {
    String flags = "ALGO=" + algorithm + " FORCE=" + (force ? 1 : 0) + " MODE='" + mode + "'\n";
    Map<String, String> values = new LinkedHashMap<>();
    values.put("__ORCH_GU_DEST", dest);
    values.put("__ORCH_GU_SUM", sum);
    values.put("__ORCH_GU_CFG", config());
    values.put("__ORCH_GU_OWNER", owner);
    values.put("__ORCH_GU_GROUP", group);
    return new ShellTemplate(
        ServiceScript.PRELUDE + flags + GetUrlScript.ATTRS + GetUrlScript.TEXT, values);
  }

  /** The outcome of the script's result, with Ansible's result keys. */
  ModuleOutcome outcome(ExecResult result) {
    Map<String, String> at = new LinkedHashMap<>();
    boolean changed = false;
    boolean exists = false;
    boolean notModified = false;
    StringBuilder out = new StringBuilder();
    for (String line : result.stdout().split("\n", -1)) {
      if (line.equals("@@changed")) {
        changed = true;
      } else if (line.equals("@@exists")) {
        exists = true;
      } else if (line.equals("@@notmodified")) {
        notModified = true;
      } else if (line.startsWith("@@") && line.contains("=")) {
        at.put(line.substring(2, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
      } else if (!line.isEmpty()) {
        out.append(line).append('\n');
      }
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("changed", changed);
    fields.put("dest", at.getOrDefault("dest", dest));
    fields.put("url", url);
    fields.put("elapsed", result.duration().toSeconds());
    if (!notModified) {
      fields.put("checksum_dest", at.get("checksum_dest"));
      fields.put("checksum_src", at.get("checksum_src"));
    }
    if (at.containsKey("status_code")) {
      fields.put("status_code", Integer.valueOf(at.get("status_code")));
    }
    if (at.containsKey("md5sum")) {
      fields.put("md5sum", at.get("md5sum"));
    }
    if (at.containsKey("stat")) {
      String[] s = at.get("stat").split(" ");
      fields.put("mode", FileMode.format(Integer.parseInt(s[0], 8)));
      fields.put("owner", s[1]);
      fields.put("uid", Integer.valueOf(s[2]));
      fields.put("group", s[3]);
      fields.put("gid", Integer.valueOf(s[4]));
      fields.put("size", Long.valueOf(s[5]));
      fields.put("state", "file");
    }
    if (result.succeeded()) {
      fields.put(
          "msg",
          exists
              ? changed ? "file already exists but file attributes changed" : "file already exists"
              : at.getOrDefault("msg", ""));
      return new ModuleOutcome(
          new ExecResult(
              0,
              out.toString(),
              ServiceModule.beforeMessage(result.stderr()),
              result.duration(),
              false),
          fields);
    }
    fields.put("changed", false);
    if (at.containsKey("response")) {
      fields.put("response", at.get("response"));
    }
    return ModuleOutcome.failed(result, "get_url", out.toString(), fields);
  }
}
