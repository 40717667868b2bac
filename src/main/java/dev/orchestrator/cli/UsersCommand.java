package dev.orchestrator.cli;

import dev.orchestrator.common.ErrorKind;
import dev.orchestrator.common.InputException;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.playbook.Role;
import dev.orchestrator.web.User;
import dev.orchestrator.web.Users;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code orchestrator users}: the web console's users file. Passwords are read from the terminal
 * (not echoed) or from standard input, never from the command line; only their Argon2id hashes are
 * written.
 */
@Command(
    name = "users",
    description = "Manage the web console's users file (roles: viewer, operator, approver, admin).",
    subcommands = {UsersCommand.Add.class, UsersCommand.Token.class, UsersCommand.ListUsers.class})
final class UsersCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Where the users file is: {@code --users FILE}, else {@code users.yml} in the state folder. */
  static final class FileOption {
    @Option(
        names = "--users",
        paramLabel = "FILE",
        description = "The users file (default: users.yml in the state folder).")
    Path users;

    @Option(
        names = "--state-dir",
        paramLabel = "DIR",
        defaultValue = ".orchestrator",
        description = "The state folder (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    Path file() {
      return users != null ? users : stateDir.resolve("users.yml");
    }
  }

  @Command(
      name = "add",
      description =
          "Add a user or set their role and password. The password is asked on the terminal, or"
              + " read as one line from standard input.",
      footer = {
        "%nExamples:%n  orchestrator users add alice --role approver%n  printf '%%s\\n' \"$PASSWORD\" | orchestrator users add ci --role operator"
      })
  static final class Add implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "The user name.")
    String name;

    @Option(
        names = "--role",
        required = true,
        paramLabel = "ROLE",
        description = "viewer, operator, approver or admin.")
    String role;

    @Mixin FileOption file = new FileOption();

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      if (!User.NAME.matcher(name).matches()) {
        throw new InputException(
            "'" + name + "' is not a user name", "use 1 to 64 of A-Z a-z 0-9 . _ @ -");
      }
      Role r =
          Role.parse(role)
              .orElseThrow(
                  () ->
                      new InputException(
                          "unknown role '" + role + "'", "write one of: " + Role.names()));
      Path f = file.file();
      Users users = Users.loadOrEmpty(f);
      String password = readPassword(spec);
      users.with(name, r, password).save(f);
      spec.commandLine()
          .getOut()
          .println("user " + name + " (" + r.label() + ") saved in " + f.toAbsolutePath());
      return 0;
    }
  }

  @Command(
      name = "token",
      description =
          "Give a user a new API token (for CI: 'Authorization: Bearer TOKEN'). The token is"
              + " printed once; only its hash is kept. The old token stops working.")
  static final class Token implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "The user name.")
    String name;

    @Mixin FileOption file = new FileOption();

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      Path f = file.file();
      var made = Users.load(f).withNewToken(name);
      made.getKey().save(f);
      spec.commandLine().getOut().println(made.getValue());
      return 0;
    }
  }

  @Command(name = "list", description = "List the users and their roles (never their hashes).")
  static final class ListUsers implements Callable<Integer> {
    @Mixin FileOption file = new FileOption();

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Users users = Users.load(file.file());
      java.util.List<String> old = users.oldTokens();
      for (User u : users.all()) {
        String token =
            old.contains(u.name())
                ? "\ttoken (old, not accepted: orchestrator users token " + u.name() + ")"
                : u.tokenHash().isPresent() ? "\ttoken" : "";
        spec.commandLine().getOut().println(u.name() + "\t" + u.role().label() + token);
      }
      return 0;
    }
  }

  /** The least length of a password (NIST SP 800-63B: at least 8 characters). */
  static final int MIN_PASSWORD = 8;

  private static String readPassword(picocli.CommandLine.Model.CommandSpec spec)
      throws IOException {
    java.io.Console console = System.console();
    String password;
    if (console != null) {
      char[] a = console.readPassword("password: ");
      char[] b = console.readPassword("again: ");
      if (a == null || b == null || !Arrays.equals(a, b)) {
        throw new InputException("the passwords differ", "run the command again");
      }
      password = new String(a);
      Arrays.fill(a, ' ');
      Arrays.fill(b, ' ');
    } else {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      password = in.readLine();
      if (password == null) {
        throw new OrchestratorException(
            ErrorKind.INVALID_INPUT,
            "no password on standard input",
            "give it as one line: printf '%s\\n' \"$PASSWORD\" | orchestrator users add ...");
      }
    }
    if (password.length() < MIN_PASSWORD) {
      throw new InputException(
          "the password is shorter than " + MIN_PASSWORD + " characters",
          "choose a longer one (a passphrase is best)");
    }
    return password;
  }
}
