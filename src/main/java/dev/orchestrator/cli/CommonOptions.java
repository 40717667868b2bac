package dev.orchestrator.cli;

import dev.orchestrator.common.InputException;
import dev.orchestrator.common.Secrets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options several commands share. */
final class CommonOptions {
  private CommonOptions() {}

  /** {@code --state-dir}. */
  static final class State {
    @Option(
        names = "--state-dir",
        paramLabel = "DIR",
        description = "Where runs and checkpoints are kept (default: ${DEFAULT-VALUE}).",
        defaultValue = ".orchestrator")
    Path stateDir;

    /** The command that continues a run, with --state-dir when it is not the default. */
    String resumeCommand(String runId) {
      return command("resume", runId);
    }

    /** {@code orchestrator VERB RUN_ID [--state-dir DIR]}. */
    String command(String verb, String runId) {
      String dir = stateDir.toString().equals(".orchestrator") ? "" : " --state-dir " + stateDir;
      return Launcher.command() + " " + verb + " " + runId + dir;
    }

    /**
     * The commands a lease refusal shows: the holder run's resume and abort, and this host's unlock
     * with the inventory, known_hosts and state folder in use (quoted for the shell).
     */
    dev.orchestrator.execute.LeaseCommands leaseCommands(
        Path inventory, java.util.Optional<Path> knownHosts) {
      return new dev.orchestrator.execute.LeaseCommands() {
        @Override
        public String resume(String runId) {
          return Launcher.command() + " resume " + runId;
        }

        @Override
        public String abort(String runId) {
          return Launcher.command() + " abort " + runId;
        }

        @Override
        public String unlock(String host) {
          return unlockCommand(host, inventory, knownHosts);
        }
      };
    }

    /** {@code orchestrator unlock HOST -i INVENTORY [--known-hosts F] [--state-dir DIR]}. */
    String unlockCommand(String host, Path inventory, java.util.Optional<Path> knownHosts) {
      return Launcher.command()
          + " unlock "
          + dev.orchestrator.template.ShellQuote.quote(host)
          + " -i "
          + dev.orchestrator.template.ShellQuote.quote(inventory.toString())
          + knownHosts
              .map(
                  k -> " --known-hosts " + dev.orchestrator.template.ShellQuote.quote(k.toString()))
              .orElse("")
          + (stateDir.toString().equals(".orchestrator")
              ? ""
              : " --state-dir " + dev.orchestrator.template.ShellQuote.quote(stateDir.toString()));
    }

    /** The commands that continue a paused run. */
    dev.orchestrator.execute.RunExecutor.NextCommands next(String runId) {
      return new dev.orchestrator.execute.RunExecutor.NextCommands(
          command("resume", runId), command("approve", runId));
    }
  }

  /** {@code -e k=v}. */
  static final class Vars {
    @Option(
        names = {"-e", "--extra-vars"},
        paramLabel = "KEY=VALUE",
        description = "Set a variable, overriding playbook and inventory vars. Repeatable.")
    List<String> extraVars = new ArrayList<>();

    @Option(
        names = "--vars-file",
        paramLabel = "FILE",
        description = "Read variables from a YAML file (below -e in precedence). Repeatable.")
    List<Path> varsFiles = new ArrayList<>();

    @Option(
        names = "--secrets-file",
        paramLabel = "FILE",
        description =
            "Read secret variables from a YAML file: masked everywhere, never stored (resume reads the file again). Repeatable.")
    List<Path> secretsFiles = new ArrayList<>();

    /**
     * What the {@code --vars-file} and {@code --secrets-file} files hold, each file read once.
     *
     * @param vars their variables, vars files first, then secrets files
     * @param secretNames the names the secrets files define
     */
    record FileVars(Map<String, Object> vars, java.util.Set<String> secretNames) {}

    /** Reads the vars and secrets files. */
    static FileVars readFiles(List<Path> files, List<Path> secretFiles) {
      Map<String, Object> vars = new LinkedHashMap<>();
      java.util.Set<String> secretNames = new java.util.LinkedHashSet<>();
      for (Path f : files) {
        vars.putAll(readFile(f, "vars file"));
      }
      for (Path f : secretFiles) {
        Map<String, Object> secrets = readFile(f, "secrets file");
        vars.putAll(secrets);
        secretNames.addAll(secrets.keySet());
      }
      return new FileVars(vars, secretNames);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readFile(Path f, String what) {
      dev.orchestrator.yaml.YamlNode root = dev.orchestrator.yaml.YamlDocument.load(f, what);
      if (root.isNull()) {
        return Map.of();
      }
      root.asMap("the " + what);
      return (Map<String, Object>) root.toPlain("the " + what);
    }

    /** Parses the {@code -e} values. */
    Map<String, String> parse() {
      Map<String, String> out = new LinkedHashMap<>();
      for (String kv : extraVars) {
        int eq = kv.indexOf('=');
        if (eq < 1 || !kv.substring(0, eq).matches("[A-Za-z_][A-Za-z0-9_]*")) {
          throw new InputException(
              "-e '" + (Secrets.isSecretName(kv) ? Secrets.MASK : kv) + "' is not KEY=VALUE",
              "write e.g. -e target_version=28.0.14");
        }
        out.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
      return out;
    }
  }

  /**
   * {@code --known-hosts}, {@code --accept-new-host-keys}, {@code --ssh-exec-per-step}: how SSH
   * hosts are reached. {@code run} stores them with the run; on a later command (resume, approve,
   * abort --rollback) the ones given override the stored ones, and the override is recorded in the
   * run's journal.
   */
  static final class ConnectionOptions {
    @Option(
        names = "--known-hosts",
        paramLabel = "FILE",
        description =
            "The known_hosts file (default: ~/.ssh/known_hosts; on a stored run: the one it"
                + " was started with).")
    Path knownHosts;

    @Option(
        names = "--accept-new-host-keys",
        description =
            "Record the keys of hosts not yet in known_hosts; changed keys are still refused.")
    boolean acceptNewHostKeys;

    @Option(
        names = "--ssh-exec-per-step",
        description =
            "Open an SSH exec channel (a new remote shell) for every step instead of running a"
                + " host's steps in one long-lived shell; slower, for servers that restrict shells.")
    boolean execPerStep;
  }

  /** {@code --tags}, {@code --skip-tags}, {@code --include-expensive}. */
  static final class Selection {
    @Option(
        names = {"-t", "--tags"},
        split = ",",
        paramLabel = "TAG",
        description = "Only steps with one of these tags (and 'always').")
    List<String> tags = new ArrayList<>();

    @Option(
        names = "--skip-tags",
        split = ",",
        paramLabel = "TAG",
        description = "Never steps with one of these tags.")
    List<String> skipTags = new ArrayList<>();

    @Option(names = "--include-expensive", description = "Also run steps marked 'expensive: true'.")
    boolean includeExpensive;

    /** The plan options these select. */
    dev.orchestrator.plan.PlanOptions options(java.util.Set<String> rerun) {
      return new dev.orchestrator.plan.PlanOptions(
          tags, skipTags, includeExpensive, rerun, Map.of());
    }
  }

  /** Output format. */
  enum Format {
    text,
    json
  }

  /** {@code -o/--output text|json}. */
  static final class Output {
    @Option(
        names = {"-o", "--output"},
        defaultValue = "text",
        paramLabel = "FORMAT",
        description =
            "text, or json: one JSON object per event for commands that run steps, one document"
                + " for the others (README, \"JSON events\").")
    Format format = Format.text;

    /** Whether JSON was asked for. */
    boolean json() {
      return format == Format.json;
    }
  }

  /** {@code -i/--inventory FILE} and {@code -l/--limit PATTERN}: which hosts a command is about. */
  static final class Target {
    @Option(
        names = {"-i", "--inventory"},
        required = true,
        paramLabel = "FILE",
        description = "The inventory file (Ansible YAML or INI).")
    Path inventory;

    @Option(
        names = {"-l", "--limit"},
        paramLabel = "PATTERN",
        description =
            "Only hosts matching this pattern (Ansible's: group:&other:!host, wildcards, @file).")
    String limit;
  }
}
