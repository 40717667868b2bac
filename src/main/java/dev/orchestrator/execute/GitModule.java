package dev.orchestrator.execute;

import dev.orchestrator.template.ShellQuote;
import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.transport.ExecResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ansible's {@code git} module on the host, as a POSIX {@code sh} script ({@link GitScript})
 * running the host's {@code git} as ansible-core 2.14's {@code lib/ansible/modules/git.py} does: no
 * {@code DEST/.git/config}: clone ({@code --origin}, {@code --depth}, {@code --branch} for a branch
 * or tag), or with {@code clone: no} only ask the remote ({@code ls-remote}) and report {@code
 * changed} with its revision as {@code after}; a checkout with {@code update: no}: report its
 * revision; else fail on local modifications unless {@code force} (then {@code reset --hard}), set
 * the remote's URL, fetch, switch to {@code version} (a branch is tracked and reset to the
 * remote's, a tag or SHA checked out, {@code HEAD} is the remote's default branch), update
 * submodules. {@code changed} when {@code before} and {@code after} differ, local modifications
 * were reset, or the remote URL changed, as there. Result keys as Ansible's: {@code before} (null
 * for a clone), {@code after}, {@code remote_url_changed} (an update), {@code msg}; a failing git
 * command's {@code rc}, {@code stdout}, {@code stderr}, and {@code cmd} for a checkout, as {@code
 * fail_json} gives them. See <a
 * href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/git_module.html">git</a>.
 *
 * @param repo the repository's URL or path
 * @param dest the checkout's folder, empty only with {@code clone: no}
 * @param version a branch, tag or SHA, or {@code HEAD}
 * @param remote the remote's name
 * @param force whether local modifications are discarded
 * @param depth a shallow clone's depth, 0 for a full one
 * @param cloneMissing whether a missing checkout is cloned
 * @param update whether an existing checkout is updated
 * @param hostKey {@code no} (BatchMode only), {@code yes} ({@code accept_hostkey}) or {@code new}
 *     ({@code accept_newhostkey})
 * @param keyFile the ssh key to use, empty for ssh's own
 * @param recursive whether submodules are updated
 */
record GitModule(
    String repo,
    String dest,
    String version,
    String remote,
    boolean force,
    int depth,
    boolean cloneMissing,
    boolean update,
    String hostKey,
    String keyFile,
    boolean recursive) {
  /** Validates the fields: what git would take for an option is refused. */
  GitModule {
    if (repo.isEmpty()) {
      throw new IllegalArgumentException("'repo' is empty");
    }
    if (dest.isEmpty() && cloneMissing) {
      throw new IllegalArgumentException(
          "the destination directory must be specified unless clone=no");
    }
    if (version.isEmpty() || version.startsWith("-") || version.chars().anyMatch(c -> c < 0x20)) {
      throw new IllegalArgumentException(
          "'version' must be a branch, tag or SHA (not empty, not starting with '-', no control"
              + " characters), rendered '"
              + version
              + "'");
    }
    if (!remote.matches("[A-Za-z0-9_.][A-Za-z0-9_./-]*")) {
      throw new IllegalArgumentException(
          "'remote' must be a remote's name such as origin, rendered '" + remote + "'");
    }
    if (depth < 0) {
      throw new IllegalArgumentException("'depth' must not be negative");
    }
    if (!java.util.Set.of("no", "yes", "new").contains(hostKey)) {
      throw new IllegalArgumentException("hostKey must be no, yes or new");
    }
  }

  /** Reads the rendered arguments, with Ansible's defaults. */
  static GitModule of(ModuleArgs args) {
    boolean accept = ModuleArgs.bool(args, "accept_hostkey").orElse(false);
    boolean acceptNew = ModuleArgs.bool(args, "accept_newhostkey").orElse(false);
    if (accept && acceptNew) {
      throw new IllegalArgumentException(
          "parameters are mutually exclusive: accept_hostkey|accept_newhostkey");
    }
    return new GitModule(
        args.text("repo").orElse(""),
        args.text("dest").orElse(""),
        args.text("version").orElse("HEAD"),
        args.text("remote").orElse("origin"),
        ModuleArgs.bool(args, "force").orElse(false),
        args.number("depth", 0),
        ModuleArgs.bool(args, "clone").orElse(true),
        ModuleArgs.bool(args, "update").orElse(true),
        accept ? "yes" : acceptNew ? "new" : "no",
        args.text("key_file").orElse(""),
        ModuleArgs.bool(args, "recursive").orElse(true));
  }

  /** What the step's log starts with (the repository's URL may hold a password: not shown). */
  String description() {
    return "git " + (dest.isEmpty() ? "(ls-remote)" : dest) + " version=" + version;
  }

  /** The limit for the command: a clone may be long. */
  Duration limit() {
    return Duration.ofMinutes(30);
  }

  /**
   * The ssh command git runs, as {@code set_git_ssh_env} builds it: host key checking, {@code
   * BatchMode=yes} (no prompt), the key file, quoted as one word of the shell git runs it with.
   */
  String sshCommand() {
    return "ssh"
        + switch (hostKey) {
          case "yes" -> " -o StrictHostKeyChecking=no";
          case "new" -> " -o StrictHostKeyChecking=accept-new";
          default -> "";
        }
        + " -o BatchMode=yes"
        + (keyFile.isEmpty() ? "" : " -i " + ShellQuote.quote(keyFile) + " -o IdentitiesOnly=yes");
  }

  /** The script; every value is exported, never part of the text. */
  ShellTemplate script() {
    String flags =
        "CLONE="
            + (cloneMissing ? 1 : 0)
            + " UPDATE="
            + (update ? 1 : 0)
            + " FORCE="
            + (force ? 1 : 0)
            + " RECURSIVE="
            + (recursive ? 1 : 0)
            + " DEPTH="
            + depth
            + "\n";
    Map<String, String> values = new LinkedHashMap<>();
    values.put("__ORCH_GIT_REPO", repo);
    values.put("__ORCH_GIT_DEST", dest);
    values.put("__ORCH_GIT_VERSION", version);
    values.put("__ORCH_GIT_REMOTE", remote);
    values.put("__ORCH_GIT_SSH", sshCommand());
    return new ShellTemplate(ServiceScript.PRELUDE + flags + GitScript.TEXT, values);
  }

  /** The outcome of the script's result, with Ansible's result keys. */
  ModuleOutcome outcome(ExecResult result) {
    Map<String, Object> fields = new LinkedHashMap<>();
    boolean changed = false;
    String before = null;
    String after = null;
    String urlChanged = null;
    String info = null;
    Integer rc = null;
    String cmd = null;
    StringBuilder out = new StringBuilder();
    boolean commandOutput = false;
    for (String line : result.stdout().split("\n", -1)) {
      if (commandOutput) {
        out.append(line).append('\n');
      } else if (line.equals("@@changed")) {
        changed = true;
      } else if (line.startsWith("@@before=")) {
        before = line.substring(9);
      } else if (line.startsWith("@@after=")) {
        after = line.substring(8);
      } else if (line.startsWith("@@url_changed=")) {
        urlChanged = line.substring(14);
      } else if (line.startsWith("@@info=")) {
        info = line.substring(7);
      } else if (line.startsWith("@@rc=")) {
        rc = Integer.valueOf(line.substring(5).strip());
      } else if (line.startsWith("@@cmd=")) {
        cmd = line.substring(6);
      } else if (line.equals("@@out")) {
        commandOutput = true;
      } else if (!line.isEmpty()) {
        out.append(line).append('\n');
      }
    }
    String stdout = commandOutput && out.length() > 0 ? out.substring(0, out.length() - 1) : "";
    if (!commandOutput) {
      stdout = out.toString();
    }
    if (result.succeeded()) {
      fields.put("changed", changed || (before == null || !before.equals(after)) && after != null);
      fields.put("before", before);
      fields.put("after", after);
      if (urlChanged != null) {
        fields.put("remote_url_changed", Boolean.parseBoolean(urlChanged));
        if (Boolean.parseBoolean(urlChanged)) {
          fields.put("changed", true);
        }
      }
      if (info != null) {
        fields.put("msg", info);
      }
      return new ModuleOutcome(
          new ExecResult(
              0, stdout, ServiceModule.beforeMessage(result.stderr()), result.duration(), false),
          fields);
    }
    fields.put("changed", false);
    if (before != null && rc == null) {
      fields.put("before", before); // fail_json(**result) of local modifications
    }
    String message =
        result.timedOut() ? "the step's timeout ended git" : ServiceModule.message(result, "git");
    fields.put("msg", message);
    if (cmd != null) {
      fields.put("cmd", cmd);
    }
    String stderr = rc == null ? message + "\n" : ServiceModule.beforeMessage(result.stderr());
    if (rc != null) { // fail_json's stdout and stderr: the command's, final line breaks kept
      fields.put("stdout", stdout);
      fields.put("stderr", stderr);
    }
    return new ModuleOutcome(
        new ExecResult(
            rc == null || rc == 0 ? Math.max(1, result.exitCode()) : rc,
            stdout,
            stderr,
            result.duration(),
            result.timedOut()),
        fields);
  }
}
