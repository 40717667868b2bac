package dev.orchestrator.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs {@code ansible-inventory} and {@code ansible} as their own scripts do ({@code
 * /usr/bin/ansible-inventory} is {@code sys.exit(ansible.cli.inventory.main())}), each in a fresh
 * process, but forked from one long-lived Python that imported Ansible once: a command then costs a
 * fork instead of a Python start and Ansible's imports (about 0.5 s of CPU each, most of what
 * {@code InventoryParityIT}'s hundred commands cost).
 *
 * <p>Each command runs in its own child ({@code os.fork()}), with its working directory, its stdin
 * on {@code /dev/null} and its stdout and stderr in files: Ansible's global state (its parsed
 * options, loaded plugins, inventory) starts fresh for every command, as in a new process. What the
 * parent holds was computed by the imports alone: {@code ansible.constants} reads the {@code
 * ANSIBLE_*} environment and the configuration file at import. So the parent runs in an empty
 * folder (no {@code ansible.cfg} of a case's folder is read: the corpus has none, as {@code
 * ansible-inventory} started in a case folder would find none), and a command that needs more
 * environment than the tests' own is run as its own process by {@link AnsibleOracle} instead.
 */
public final class AnsibleForkServer {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The commands {@link AnsibleOracle} runs through it, by name. It also runs {@code
   * ansible-playbook} for {@code corpus.CorpusOracleIT} (listings only: a child that ran plays
   * would start Ansible's workers from a forked process).
   */
  static final Set<String> COMMANDS = Set.of("ansible-inventory", "ansible");

  /** Reads one request a line: {"cmd", "path", "args", "dir", "out", "err"}; answers {"rc"}. */
  private static final String SCRIPT =
      """
      import json, os, sys, traceback
      from ansible.cli.inventory import main as inventory_main
      from ansible.cli.adhoc import main as adhoc_main
      from ansible.cli.playbook import main as playbook_main
      MAINS = {"ansible-inventory": inventory_main, "ansible": adhoc_main,
               "ansible-playbook": playbook_main}
      if "--warm" in sys.argv[1:]:
          # imports every child would make: the plugins of these kinds (ansible/plugins/loader.py
          # finds a plugin already in sys.modules and uses it), so a child costs a fork only
          from ansible.plugins import loader
          for kind in (loader.connection_loader, loader.shell_loader, loader.become_loader,
                       loader.callback_loader, loader.strategy_loader, loader.vars_loader,
                       loader.inventory_loader):
              list(kind.all(class_only=True))
      answers = os.fdopen(os.dup(1), "w")
      for line in sys.stdin:
          req = json.loads(line)
          pid = os.fork()
          if pid == 0:
              rc = 250
              try:
                  os.chdir(req["dir"])
                  for fd, path, flags in (
                      (0, os.devnull, os.O_RDONLY),
                      (1, req["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
                      (2, req["err"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
                  ):
                      f = os.open(path, flags, 0o600)
                      os.dup2(f, fd)
                      os.close(f)
                  sys.argv = [req["path"]] + req["args"]
                  rc = MAINS[req["cmd"]](list(sys.argv))
                  rc = 0 if rc is None else rc
              except SystemExit as e:
                  rc = 0 if e.code is None else (e.code if isinstance(e.code, int) else 1)
              except BaseException:
                  traceback.print_exc()
                  rc = 250
              finally:
                  try:
                      sys.stdout.flush()
                      sys.stderr.flush()
                  finally:
                      os._exit(rc)
          _, status = os.waitpid(pid, 0)
          answers.write(json.dumps({"rc": os.waitstatus_to_exitcode(status)}) + "\\n")
          answers.flush()
      """;

  private static AnsibleForkServer shared;

  private final Process process;
  private final PrintWriter in;
  private final BufferedReader out;
  private final Path scratch;

  private AnsibleForkServer(Process process, Path scratch) {
    this.process = process;
    this.scratch = scratch;
    this.in =
        new PrintWriter(
            new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8),
            true);
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** The server of this JVM, started on first use (stopped when the JVM ends). */
  public static synchronized AnsibleForkServer shared(Path commandPath) throws IOException {
    if (shared == null || !shared.process.isAlive()) {
      shared = start(commandPath);
    }
    return shared;
  }

  /**
   * Starts a server of its own (stopped when the JVM ends), for a caller that runs several commands
   * at once, one server each. It imports, once, the plugins every command loads (connection, shell,
   * become, callback, strategy, vars and inventory plugins): a listing by {@code ansible-playbook}
   * then costs about a tenth of a second of CPU instead of a third.
   */
  public static AnsibleForkServer startWarmed(Path commandPath) throws IOException {
    return start(commandPath, true);
  }

  private static AnsibleForkServer start(Path commandPath) throws IOException {
    return start(commandPath, false);
  }

  private static AnsibleForkServer start(Path commandPath, boolean warm) throws IOException {
    String shebang = Files.readAllLines(commandPath).get(0);
    String python = shebang.startsWith("#!") ? shebang.substring(2).strip().split("\\s+")[0] : "";
    if (python.isEmpty()) {
      python = "/usr/bin/python3";
    }
    Path scratch = Files.createTempDirectory("ansible-fork-server");
    Path empty = Files.createDirectories(scratch.resolve("cwd"));
    Process p =
        new ProcessBuilder(
                warm ? List.of(python, "-c", SCRIPT, "--warm") : List.of(python, "-c", SCRIPT))
            .directory(empty.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    AnsibleForkServer server = new AnsibleForkServer(p, scratch);
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "ansible-fork-server-stop"));
    return server;
  }

  /**
   * Runs one command to completion in {@code dir}.
   *
   * @param dir its working directory
   * @param command the command ({@code ansible-inventory}, {@code ansible} or {@code
   *     ansible-playbook}) and its arguments
   * @param commandPath where the command's script is (its name is the program name Ansible sees)
   * @return its exit code, stdout and stderr
   * @throws AssertionError if it does not finish in 120 s (the server is then stopped)
   */
  public synchronized Map.Entry<Integer, String[]> run(
      Path dir, List<String> command, Path commandPath) throws IOException, InterruptedException {
    Path stdout = Files.createTempFile(scratch, "out", ".txt");
    Path stderr = Files.createTempFile(scratch, "err", ".txt");
    try {
      Map<String, Object> request =
          Map.of(
              "cmd", command.get(0),
              "path", commandPath.toString(),
              "args", command.subList(1, command.size()),
              "dir", dir.toAbsolutePath().toString(),
              "out", stdout.toString(),
              "err", stderr.toString());
      in.println(JSON.writeValueAsString(request));
      String line;
      try {
        line = CompletableFuture.supplyAsync(this::readLine).get(120, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        stop();
        throw new AssertionError(String.join(" ", command) + " did not finish in 120 s");
      } catch (ExecutionException e) {
        throw new IOException("the Ansible fork server failed", e.getCause());
      }
      if (line == null) {
        throw new IOException("the Ansible fork server stopped answering");
      }
      JsonNode answer = JSON.readTree(line);
      return Map.entry(
          answer.path("rc").asInt(255),
          new String[] {Files.readString(stdout), Files.readString(stderr)});
    } finally {
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
    }
  }

  private String readLine() {
    try {
      return out.readLine();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void stop() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try (var files = Files.walk(scratch)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind: nothing to report
    }
  }
}
