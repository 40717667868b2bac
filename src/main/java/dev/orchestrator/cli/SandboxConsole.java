package dev.orchestrator.cli;

import dev.orchestrator.app.Orchestrator;
import dev.orchestrator.app.StateLocation;
import dev.orchestrator.playbook.Role;
import dev.orchestrator.state.PrivateFiles;
import dev.orchestrator.web.Users;
import dev.orchestrator.web.WebConsole;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code sandbox --serve}: the web console beside the sandbox fleet, with a users file of its own
 * (one user per role, random passwords kept in a file readable by its owner only, never printed).
 */
final class SandboxConsole {
  private SandboxConsole() {}

  /** The sandbox's users and their roles: a second person (alice) approves production. */
  static final Map<String, Role> USERS = sandboxUsers();

  private static Map<String, Role> sandboxUsers() {
    Map<String, Role> m = new LinkedHashMap<>();
    m.put("alice", Role.APPROVER);
    m.put("oscar", Role.OPERATOR);
    m.put("vera", Role.VIEWER);
    m.put("admin", Role.ADMIN);
    return m;
  }

  /**
   * Writes the sandbox's users file and password file in {@code dir} when they are missing.
   *
   * @return the password file
   */
  static Path ensureUsers(Path dir) throws IOException {
    Path users = dir.resolve("users.yml");
    Path passwords = dir.resolve("console-passwords.txt");
    if (Files.exists(users) && Files.exists(passwords)) {
      return passwords;
    }
    Users u = Users.loadOrEmpty(users);
    StringBuilder text = new StringBuilder("# sandbox web console users: name role password\n");
    SecureRandom random = new SecureRandom();
    for (Map.Entry<String, Role> e : USERS.entrySet()) {
      byte[] b = new byte[12];
      random.nextBytes(b);
      String pw = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
      u = u.with(e.getKey(), e.getValue(), pw);
      text.append(e.getKey())
          .append(' ')
          .append(e.getValue().label())
          .append(' ')
          .append(pw)
          .append('\n');
    }
    u.save(users);
    Files.deleteIfExists(passwords);
    PrivateFiles.createFile(passwords);
    Files.writeString(passwords, text, StandardCharsets.UTF_8);
    return passwords;
  }

  /**
   * Starts the console over the sandbox's state store, with the sandbox's users; its plan form
   * offers {@code offered}: the sandbox's playbook, then its inventory.
   */
  static WebConsole start(
      Orchestrator service,
      CommonOptions.State state,
      Path dir,
      String listen,
      dev.orchestrator.app.Console console,
      java.util.List<Path> offered) {
    ServeCommand.Listen where = ServeCommand.Listen.parse(listen);
    // the plan form offers the sandbox's own playbook and inventory, as files: the sandbox folder
    // also holds the users file, the passwords and the SSH key
    return WebConsole.start(
        service,
        new WebConsole.Settings(
            state.location(),
            dir.resolve("users.yml"),
            where.host(),
            where.port(),
            state.hints(),
            console,
            java.util.List.of(),
            offered.subList(0, 1),
            offered.subList(1, offered.size())));
  }

  /**
   * Keeps the fleet and the console up until the process is stopped (Ctrl-C, SIGTERM), after saying
   * where the run stands.
   */
  static void serveUntilStopped(
      Orchestrator service, StateLocation state, WebConsole console, java.io.PrintWriter out) {
    var runs = service.status(state).runs();
    if (!runs.isEmpty()) {
      var last = runs.get(runs.size() - 1);
      out.printf(
          "%nsandbox: run %s is %s. Open %sruns/%s, log in as alice (an approver who did not"
              + " start the run) and approve production; the fleet stays up until Ctrl-C.%n",
          last.id(), last.status().label(), console.url(), last.id());
    }
    out.flush();
    java.util.concurrent.CountDownLatch stopped =
        ServeCommand.closeOnStop(console, "sandbox-serve-stop");
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
