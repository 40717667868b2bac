package dev.orchestrator.cli;

import dev.orchestrator.template.ShellQuote;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Options several commands share. */
final class CommonOptions {
  private CommonOptions() {}

  /** {@code --state-dir} and {@code --state}. */
  static final class State {
    @Option(
        names = "--state-dir",
        paramLabel = "DIR",
        description =
            "Where runs and checkpoints are kept (default: ${DEFAULT-VALUE}); with --state URL,"
                + " this machine's cache (artifacts, HTML reports).",
        defaultValue = ".orchestrator")
    Path stateDir;

    @Option(
        names = "--state",
        paramLabel = "URL",
        description =
            "Keep runs in PostgreSQL, shared by every machine with the URL:"
                + " postgresql://USER@HOST:PORT/DB[?sslmode=verify-full] (default: $ORCHESTRATOR_STATE)."
                + " The password comes from PGPASSWORD or ~/.pgpass, never from the URL.")
    String state;

    /**
     * {@code --state} as given, else {@code ORCHESTRATOR_STATE} when it is set and not blank (an
     * empty variable is unset, as the shell's {@code ORCHESTRATOR_STATE= orchestrator ...} means);
     * a blank {@code --state} is kept so that {@link #location} refuses it.
     */
    java.util.Optional<String> given() {
      if (state != null) {
        return java.util.Optional.of(state);
      }
      return java.util.Optional.ofNullable(System.getenv("ORCHESTRATOR_STATE"))
          .filter(s -> !s.isBlank());
    }

    /**
     * Where runs are kept, for the service.
     *
     * @throws dev.orchestrator.common.InputException for a URL that is not one or holds a password,
     *     or a blank {@code --state}
     */
    dev.orchestrator.app.StateLocation location() {
      return dev.orchestrator.app.StateLocation.of(stateDir, given());
    }

    /** The command that continues a run, with --state-dir when it is not the default. */
    String resumeCommand(String runId) {
      return command("resume", runId);
    }

    /** {@code orchestrator VERB RUN_ID [--state-dir DIR] [--state URL]}. */
    String command(String verb, String runId) {
      // the folder quoted for the shell, as stateArguments() does: a hint is copied and pasted
      return Launcher.command() + " " + verb + " " + runId + stateArguments();
    }

    /** {@code --state URL} quoted for the shell when a database is given, else nothing. */
    String databaseArgument() {
      return given().isEmpty() ? "" : " --state " + ShellQuote.quote(location().describe());
    }

    /**
     * {@code --state-dir DIR} when it is not the default, and {@code --state URL} when one is given
     * (a URL never holds a password), quoted for the shell.
     */
    String stateArguments() {
      String dir =
          stateDir.toString().equals(".orchestrator")
              ? ""
              : " --state-dir " + ShellQuote.quote(stateDir.toString());
      return dir + databaseArgument();
    }

    /** The CLI's command lines as the service's next-step hints, for this state folder. */
    dev.orchestrator.app.CommandHints hints() {
      return new dev.orchestrator.app.CommandHints() {
        @Override
        public String program() {
          return Launcher.command();
        }

        @Override
        public String command(String verb, String runId) {
          return State.this.command(verb, runId);
        }

        @Override
        public String unlock(
            String host, java.util.List<Path> inventories, java.util.Optional<Path> knownHosts) {
          return unlockCommand(host, inventories, knownHosts);
        }

        @Override
        public String planRun(String playbook, java.util.List<String> inventories, String runId) {
          return Launcher.command()
              + " plan "
              + ShellQuote.quote(playbook)
              + inventoryOptions(inventories)
              + " --run "
              + runId
              + quotedStateDir();
        }
      };
    }

    /** {@code orchestrator unlock HOST -i INVENTORY [--known-hosts F] [--state-dir DIR]}. */
    String unlockCommand(
        String host, java.util.List<Path> inventories, java.util.Optional<Path> knownHosts) {
      return Launcher.command()
          + " unlock "
          + ShellQuote.quote(host)
          + inventoryOptions(inventories.stream().map(Path::toString).toList())
          + knownHosts.map(k -> " --known-hosts " + ShellQuote.quote(k.toString())).orElse("")
          + quotedStateDir();
    }

    /** {@code -i SOURCE} for each inventory source, in order, quoted for the shell. */
    private static String inventoryOptions(java.util.List<String> inventories) {
      return inventories.stream().map(i -> " -i " + ShellQuote.quote(i)).reduce("", String::concat);
    }

    /** {@code --state-dir DIR} and {@code --state URL} quoted for the shell, or nothing. */
    private String quotedStateDir() {
      return stateArguments();
    }
  }

  /**
   * {@code -e k=v}, {@code -e @FILE}, {@code -e '{...}'}: as ansible-playbook ({@code ExtraVars}).
   */
  static final class Vars {
    @Option(
        names = {"-e", "--extra-vars"},
        paramLabel = "VARS",
        description =
            "Set variables, overriding playbook and inventory vars, as ansible-playbook: 'a=1"
                + " b=\"x y\"' (texts), '{\"n\": 1}' or '{n: 1}' (a YAML/JSON mapping, typed),"
                + " @FILE (a YAML/JSON file). Repeatable, a later one wins. Differs: a word"
                + " without '=' or a name that is not a variable name is refused (exit 2),"
                + " and @ of a missing file is exit 2.")
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

    @Mixin AskBecomePass askBecomePass = new AskBecomePass();

    /** The variables as given, for the service; {@code -K} asks its password here, once. */
    dev.orchestrator.app.VarsInput input() {
      return new dev.orchestrator.app.VarsInput(
          extraVars, varsFiles, secretsFiles, askBecomePass.password());
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

    @Mixin RemoteUserOptions remote = new RemoteUserOptions();

    /** The settings as given, for the service. */
    dev.orchestrator.app.ConnectionSettings settings() {
      return new dev.orchestrator.app.ConnectionSettings(
          java.util.Optional.ofNullable(knownHosts),
          acceptNewHostKeys,
          execPerStep,
          remote.defaults(),
          remote.privilege());
    }
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

    @Option(
        names = "--start-at-task",
        paramLabel = "NAME",
        description =
            "Start at the first step whose name (or 'ROLE : NAME') is NAME or matches it as a"
                + " shell pattern (* ? [..]), as ansible-playbook: the steps before it, in every"
                + " play before it too, are recorded as skipped. Differs: kept by resume, shown"
                + " by plan; a NAME that matches no step is exit 2 naming the nearest; facts are"
                + " still gathered in the plays it skips.")
    String startAtTask;

    /** The selection as given, for the service. */
    dev.orchestrator.app.Selection selection() {
      return new dev.orchestrator.app.Selection(
          tags, skipTags, includeExpensive, java.util.Optional.ofNullable(startAtTask));
    }
  }

  /**
   * The options of every command that continues or joins stored runs ({@code abort}, {@code
   * approve}, {@code resume}, {@code worker}): {@code -o}, {@code --state-dir}/{@code --state}, the
   * variables and the connection overrides, declared once here.
   */
  static final class StoredRun {
    @Mixin Output output = new Output();

    @Mixin State state = new State();

    @Mixin Vars vars = new Vars();

    @Mixin ConnectionOptions connection = new ConnectionOptions();

    /** The stored run {@code runId} as these options name it, for the service. */
    dev.orchestrator.app.StoredRunRequest request(String runId) {
      return new dev.orchestrator.app.StoredRunRequest(
          runId, state.location(), vars.input(), connection.settings(), state.hints());
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

  /**
   * {@code -i/--inventory FILE} (repeatable) and {@code -l/--limit PATTERN}: which hosts a command
   * is about.
   */
  static final class Target {
    @Mixin InventoryOptions sources = new InventoryOptions();

    @Option(
        names = {"-l", "--limit"},
        paramLabel = "PATTERN",
        description =
            "Only hosts matching this pattern (Ansible's: group:&other:!host, wildcards, @file).")
    String limit;

    /** The inventory sources as given, in order. */
    java.util.List<Path> inventories() {
      return sources.paths();
    }

    /** The inventory sources as given, for messages: {@code a.yml}, or {@code a.yml, b}. */
    String describe() {
      return String.join(", ", inventories().stream().map(Path::toString).toList());
    }
  }

  /**
   * {@code PLAYBOOK -i INVENTORY [-l PATTERN]}: what {@code run}, {@code plan} and {@code validate}
   * plan, declared once here. (The variables and the selection stay mixins of their own, declared
   * after the command's options, so that the order of the options in {@code orchestrator
   * completion} is kept.)
   */
  static final class PlaybookTarget {
    @Parameters(index = "0", paramLabel = "PLAYBOOK", description = "The playbook file.")
    Path playbook;

    @Mixin Target target = new Target();

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    /**
     * Ansible's configuration ({@code ansible.cfg}, {@code ANSIBLE_*}), its warnings shown once:
     * below the command line, it gives the inventory and {@code forks}; the service applies the
     * rest ({@code host_key_checking = False} where the connector is built, never stored) ({@code
     * remote_user}, {@code private_key_file}, {@code roles_path}, {@code timeout}).
     */
    private dev.orchestrator.app.AnsibleConfig configured() {
      dev.orchestrator.app.AnsibleConfig config = dev.orchestrator.app.AnsibleConfig.current();
      config.warnings().forEach(w -> mixee.commandLine().getErr().println("warning: " + w));
      mixee.commandLine().getErr().flush();
      return config;
    }

    /**
     * The run these options describe, with the command's variables, selection and what each command
     * decides itself.
     *
     * @param forks hosts worked on (or probed) at once, at least 1
     */
    dev.orchestrator.app.RunRequest request(
        Vars vars,
        Selection selection,
        dev.orchestrator.app.ConnectionSettings connection,
        int forks,
        dev.orchestrator.app.StateLocation location,
        boolean takeOver,
        dev.orchestrator.app.CommandHints hints) {
      dev.orchestrator.app.AnsibleConfig config = configured();
      boolean forksGiven = mixee.commandLine().getParseResult().hasMatchedOption("--forks");
      // host_key_checking = False is applied where the connector is built (app.Wiring), read again
      // by each command: only an explicit --accept-new-host-keys is stored with the run
      return new dev.orchestrator.app.RunRequest(
          playbook,
          target.inventories(),
          java.util.Optional.ofNullable(target.limit),
          vars.input(),
          selection.selection(),
          connection,
          forksGiven ? forks : config.forks().orElse(forks),
          location,
          takeOver,
          dev.orchestrator.rollout.ApprovalPolicy.WAIT_FOR_PERSON,
          hints);
    }
  }
}
