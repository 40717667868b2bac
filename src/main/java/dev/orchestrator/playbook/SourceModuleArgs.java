package dev.orchestrator.playbook;

import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads the arguments of the modules that bring files from elsewhere onto the host, {@code git}, as
 * ansible-core 2.14's module declares them ({@code lib/ansible/modules/git.py}, its {@code
 * argument_spec}: {@code repo} required (alias {@code name}), {@code dest}, {@code version} {@code
 * HEAD}, {@code remote} {@code origin}, {@code force} no, {@code depth}, {@code clone} yes, {@code
 * update} yes, {@code accept_hostkey}/{@code accept_newhostkey} exclusive, {@code key_file}, {@code
 * recursive} yes; {@code dest} required unless {@code clone: no}); a part of {@link StepModules}.
 * The arguments we do not run ({@code refspec}, {@code ssh_opts}, {@code archive}, ...) are refused
 * naming what to do instead.
 */
final class SourceModuleArgs {
  private static final Set<String> GIT =
      Set.of(
          "repo",
          "name",
          "dest",
          "version",
          "remote",
          "force",
          "depth",
          "clone",
          "update",
          "accept_hostkey",
          "accept_newhostkey",
          "key_file",
          "recursive");

  /** git's arguments we refuse, each with what to do instead. */
  private static final Map<String, String> GIT_REFUSED =
      Map.ofEntries(
          Map.entry("refspec", "fetch the ref in a command step: git -C DEST fetch origin REFSPEC"),
          Map.entry("reference", "clone without it, or run git clone --reference in a command"),
          Map.entry("verify_commit", "verify in a command step: git -C DEST verify-commit HEAD"),
          Map.entry("gpg_whitelist", "verify in a command step: git -C DEST verify-commit HEAD"),
          Map.entry(
              "ssh_opts",
              "use accept_hostkey, accept_newhostkey or key_file, or the host's ~/.ssh/config"),
          Map.entry("executable", "put the git to use first on PATH with 'environment:'"),
          Map.entry("bare", "run git clone --bare in a command step (creates: DEST)"),
          Map.entry("single_branch", "use depth: 1, which clones one branch"),
          Map.entry("track_submodules", "run git submodule update --remote in a command step"),
          Map.entry("umask", "set the umask in a shell step: umask 022 && git clone ..."),
          Map.entry("archive", "run git archive in a command step after the clone"),
          Map.entry("archive_prefix", "run git archive in a command step after the clone"),
          Map.entry("separate_git_dir", "run git clone --separate-git-dir in a command step"));

  private static final Set<String> GET_URL =
      Set.of(
          "url",
          "dest",
          "force",
          "checksum",
          "timeout",
          "headers",
          "url_username",
          "username",
          "url_password",
          "password",
          "force_basic_auth",
          "validate_certs",
          "http_agent",
          "mode",
          "owner",
          "group");

  /** get_url's arguments we refuse, each with what to do instead. */
  private static final Map<String, String> GET_URL_REFUSED =
      Map.ofEntries(
          Map.entry("sha256sum", "write checksum: \"sha256:HEX\" (sha256sum was removed)"),
          Map.entry("backup", "copy the file aside in a command step first"),
          Map.entry("tmp_dest", "remove it: the download goes to a temporary file next to dest"),
          Map.entry("unredirected_headers", "remove it, or download with curl in a command step"),
          Map.entry("decompress", "remove it: the body is saved as the server sends it"),
          Map.entry("ciphers", "remove it, or download with curl --ciphers in a command step"),
          Map.entry("use_netrc", "give url_username and url_password"),
          Map.entry("use_proxy", "set http_proxy/https_proxy with 'environment:'"),
          Map.entry("client_cert", "download with curl --cert in a command step"),
          Map.entry("client_key", "download with curl --key in a command step"),
          Map.entry("use_gssapi", "download with curl --negotiate in a command step"));

  private final ModuleArgReader reader;

  SourceModuleArgs(ModuleArgReader reader) {
    this.reader = reader;
  }

  /** {@code git}. */
  Map<String, Object> git(YamlNode node, String where) {
    YamlMap m =
        ModuleArgReader.map(
            node, "git", "write e.g. git: {repo: \"https://example.org/app.git\", dest: /srv/app}");
    for (YamlMap.Entry e : m.entries()) {
      String instead = GIT_REFUSED.get(e.name());
      if (instead != null) {
        throw e.key().error(where + ": '" + e.name() + "' of git is not supported", instead);
      }
    }
    m.allowOnly(GIT);
    if (m.has("repo") && m.has("name")) {
      throw m.entry("name")
          .orElseThrow()
          .key()
          .error(where + " has both 'repo' and 'name'", "'name' is an alias of 'repo'; keep one");
    }
    Map<String, Object> args = new LinkedHashMap<>();
    YamlNode repo =
        m.get("repo")
            .or(() -> m.get("name"))
            .orElseThrow(
                () ->
                    node.error(
                        where + " has no 'repo'",
                        "write repo: https://example.org/app.git (or a path, or user@host:path)"));
    args.put("repo", text(repo, where, "repo"));
    m.get("dest").ifPresent(v -> args.put("dest", text(v, where, "dest")));
    m.get("version").ifPresent(v -> args.put("version", text(v, where, "version")));
    m.get("remote").ifPresent(v -> args.put("remote", text(v, where, "remote")));
    for (String flag :
        java.util.List.of(
            "force", "clone", "update", "accept_hostkey", "accept_newhostkey", "recursive")) {
      m.get(flag).ifPresent(v -> args.put(flag, reader.bool(v, where, flag)));
    }
    m.get("depth")
        .ifPresent(v -> args.put("depth", reader.number(v, where, "depth", 0, 2_147_483_647)));
    m.get("key_file").ifPresent(v -> args.put("key_file", text(v, where, "key_file")));
    if (Boolean.TRUE.equals(args.get("accept_hostkey"))
        && Boolean.TRUE.equals(args.get("accept_newhostkey"))) {
      throw m.entry("accept_newhostkey")
          .orElseThrow()
          .key()
          .error(
              where + ": parameters are mutually exclusive: accept_hostkey|accept_newhostkey",
              "keep one: accept_newhostkey accepts only a host's first key");
    }
    if (!args.containsKey("dest") && !Boolean.FALSE.equals(args.get("clone"))) {
      throw node.error(
          where + ": the destination directory must be specified unless clone=no",
          "write dest: /srv/app");
    }
    return args;
  }

  /** {@code get_url}. */
  Map<String, Object> getUrl(YamlNode node, String where) {
    YamlMap m =
        ModuleArgReader.map(
            node,
            "get_url",
            "write e.g. get_url: {url: \"https://example.org/app.tgz\", dest: /srv/app.tgz}");
    for (YamlMap.Entry e : m.entries()) {
      String instead = GET_URL_REFUSED.get(e.name());
      if (instead != null) {
        throw e.key().error(where + ": '" + e.name() + "' of get_url is not supported", instead);
      }
    }
    m.allowOnly(GET_URL);
    Map<String, Object> args = new LinkedHashMap<>();
    for (String required : java.util.List.of("url", "dest")) {
      YamlNode v =
          m.get(required)
              .orElseThrow(
                  () ->
                      node.error(
                          where + " has no '" + required + "'",
                          "write url: https://example.org/app.tgz and dest: /srv/ (a file or a"
                              + " folder)"));
      args.put(required, text(v, where, required));
    }
    for (String[] alias :
        new String[][] {{"url_username", "username"}, {"url_password", "password"}}) {
      if (m.has(alias[0]) && m.has(alias[1])) {
        throw m.entry(alias[1])
            .orElseThrow()
            .key()
            .error(
                where + " has both '" + alias[0] + "' and '" + alias[1] + "'",
                "'" + alias[1] + "' is an alias of '" + alias[0] + "'; keep one");
      }
      m.get(alias[0])
          .or(() -> m.get(alias[1]))
          .ifPresent(v -> args.put(alias[0], text(v, where, alias[0])));
    }
    for (String t : java.util.List.of("checksum", "http_agent", "owner", "group")) {
      m.get(t).ifPresent(v -> args.put(t, text(v, where, t)));
    }
    m.get("mode").ifPresent(v -> args.put("mode", mode(v, where)));
    for (String flag : java.util.List.of("force", "force_basic_auth", "validate_certs")) {
      m.get(flag).ifPresent(v -> args.put(flag, reader.bool(v, where, flag)));
    }
    m.get("timeout")
        .ifPresent(v -> args.put("timeout", reader.number(v, where, "timeout", 1, 86_400)));
    if (m.get("headers").isPresent()) {
      Map<String, Object> headers = new LinkedHashMap<>();
      for (YamlMap.Entry h : m.get("headers").get().asMap("headers").entries()) {
        if (!h.name().matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
          throw h.key()
              .error(where + ": invalid header name '" + h.name() + "'", "use a token like X-Id");
        }
        headers.put(h.name(), text(h.value(), where, "headers." + h.name()));
      }
      args.put("headers", headers);
    }
    return args;
  }

  /** A mode as {@code copy} reads it ({@link FileMode}): octal, symbolic or a template. */
  String mode(YamlNode v, String where) {
    String raw = text(v, where, "mode");
    try {
      if (v.isInt()) {
        return FileMode.ofYamlInt(raw).text();
      }
      return TemplateEngine.isTemplate(raw) ? raw : new FileMode(raw).text();
    } catch (IllegalArgumentException e) {
      throw v.error(where + ": " + e.getMessage(), "e.g. mode: \"0644\" or mode: u=rw,g=r,o=r");
    }
  }

  /** A text argument (a scalar), its templates checked now. */
  String text(YamlNode v, String where, String field) {
    if (!v.isScalar() || v.isNull()) {
      throw v.error(where + ": '" + field + "' must be a text", "write " + field + ": TEXT");
    }
    String t = v.asString(field);
    if (TemplateEngine.isTemplate(t)) {
      reader.check(v, t, where, field);
    }
    return t;
  }
}
