package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.LocalUsers;
import dev.orchestrator.sandbox.OpenSshFleet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * {@code become_method: su} with a password on real OpenSSH ({@link OpenSshFleet}) and real local
 * users ({@link LocalUsers}): the tool connects as an unprivileged user and switches to another
 * with that user's password, as {@code ansible-playbook} does on the same host with the same
 * inventory. Runs as root (to make the users); skipped elsewhere, failed in CI if it cannot run.
 */
class BecomeSuIT {
  private static Path dir;
  private static OpenSshFleet fleet;
  private static LocalUsers users;
  private static String login;
  private static String target;
  private static final AtomicInteger RUNS = new AtomicInteger();

  @BeforeContainer
  static void start() throws Exception {
    OpenSshFleet.requireAvailable();
    LocalUsers.requireRoot();
    dir = Files.createTempDirectory("become-su-it");
    users = new LocalUsers();
    login = users.create("login-" + Long.toHexString(System.nanoTime()));
    target = users.create("target-pw");
    fleet = OpenSshFleet.start(dir, Map.of("web", List.of("web1")));
    users.admit(login, dir, fleet.home("web1"));
    Files.writeString(
        dir.resolve("su.ini"),
        "web1 ansible_host=127.0.0.1 ansible_port="
            + fleet.port("web1")
            + " ansible_user="
            + login
            + " ansible_ssh_private_key_file="
            + fleet.clientKey()
            + " ansible_ssh_common_args='-o UserKnownHostsFile="
            + fleet.knownHosts()
            + " -o StrictHostKeyChecking=yes'"
            + " ansible_become_method=su ansible_become_user="
            + target
            + "\n");
  }

  @AfterContainer
  static void stop() throws Exception {
    try {
      if (fleet != null) {
        fleet.close();
      }
    } finally {
      if (users != null) {
        users.close();
      }
      if (dir != null) {
        try (Stream<Path> all = Files.walk(dir)) {
          for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
  }

  /** A YAML file setting {@code ansible_become_password} (escaped: any character can be in it). */
  private static Path secrets(String password) throws IOException {
    StringBuilder q = new StringBuilder("\"");
    password
        .codePoints()
        .forEach(
            c -> {
              if (c == '"' || c == '\\') {
                q.append('\\').appendCodePoint(c);
              } else if (c < 0x20 || c == 0x7f) {
                q.append(String.format("\\x%02x", c));
              } else {
                q.appendCodePoint(c);
              }
            });
    Path file = dir.resolve("secrets-" + RUNS.incrementAndGet() + ".yml");
    Files.writeString(file, "ansible_become_password: " + q + "\"\n", StandardCharsets.UTF_8);
    return file;
  }

  private static Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  private static Cli.Result ours(Path playbook, Path secrets, Path state) {
    return Cli.run(
        "run",
        playbook.toString(),
        "-i",
        dir.resolve("su.ini").toString(),
        "--vars-file",
        secrets.toString(),
        "--known-hosts",
        fleet.knownHosts().toString(),
        "--state-dir",
        state.toString());
  }

  /** Every file under {@code root}, as bytes decoded as UTF-8, joined. */
  private static String everything(Path root) throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        all.append(new String(Files.readAllBytes(f), StandardCharsets.UTF_8)).append('\n');
      }
    }
    return all.toString();
  }

  private static final String COMMAND =
      "id -un; echo to-stderr >&2; printf 'multi\\nline\\n'; echo \"HOME=$HOME USER=$USER\"; exit 3";

  @Example
  void theStepRunsAsTheOtherUserWithTheSameResultAsAnsiblePlaybook() throws Exception {
    // given: one task in each format, su to the target user (the inventory's become variables),
    // its result written by the login user into the host's home
    Path secrets = secrets("target-pw");
    Path pb =
        write(
            "ours.yml",
            "hosts: all\n"
                + "steps:\n"
                + "  - id: who\n"
                + "    shell: "
                + quoteYaml(COMMAND)
                + "\n    become: true\n    register: r\n    ignore_errors: true\n"
                + "  - id: keep\n"
                + "    shell: printf '%s' {{ (r.stdout ~ '|' ~ r.stderr ~ '|' ~ r.rc) | quote }}"
                + " > \"$HOME/ours\"\n");
    Path theirs =
        write(
            "theirs.yml",
            "- hosts: all\n  gather_facts: false\n  tasks:\n"
                + "    - shell: "
                + quoteYaml(COMMAND)
                + "\n      become: true\n      register: r\n      ignore_errors: true\n"
                + "    - shell: printf '%s' {{ (r.stdout ~ '|' ~ r.stderr ~ '|' ~ r.rc) | quote }}"
                + " > \"$HOME/theirs\"\n");

    // when
    Cli.Result run = ours(pb, secrets, dir.resolve("state-parity"));
    Process ansible =
        new ProcessBuilder(
                "ansible-playbook",
                "-i",
                dir.resolve("su.ini").toString(),
                "-e",
                "@" + secrets,
                // Ansible copies its module into the login user's temp folder and must let the
                // target user read it: without setfacl, only world-readable files do
                "-e",
                "ansible_shell_allow_world_readable_temp=true",
                // the login user has no home of its own (useradd -M): ~login is not a folder
                "-e",
                "ansible_remote_tmp=" + fleet.home("web1").resolve(".ansible/tmp"),
                theirs.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("ansible.log").toFile())
            .start();
    assertTrue(ansible.waitFor(5, TimeUnit.MINUTES));

    // then: the same user, output, stderr and exit code from both; the password nowhere
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertEquals(0, ansible.exitValue(), Files.readString(dir.resolve("ansible.log")));
    String expected =
        target + "\nmulti\nline\nHOME=/home/" + target + " USER=" + target + "|to-stderr|3";
    Path home = fleet.home("web1");
    assertEquals(expected, Files.readString(home.resolve("ours")));
    assertEquals(expected, Files.readString(home.resolve("theirs")));
    String stored = everything(dir.resolve("state-parity")) + run.out() + run.err();
    assertFalse(stored.contains("target-pw"), "the password leaked");
    assertTrue(stored.contains("who"), "the run's records are where they were looked for");
  }

  @Example
  void aWrongPasswordFailsNamingTheHostAndWhatToDoWithoutWaitingOrLeakingIt() throws Exception {
    // given
    Path pb =
        write(
            "wrong.yml",
            "hosts: all\nsteps:\n  - {id: who, shell: id -un, become: true, register: r}\n");
    Path state = dir.resolve("state-wrong");

    // when
    Cli.Result run = ours(pb, secrets("not-the-pw"), state);

    // then
    String said = run.out() + run.err();
    try {
      assertNotEquals(0, run.exitCode());
      assertTrue(said.contains("su could not switch to user '" + target + "' on web1"), said);
      assertTrue(said.contains("Authentication failure"), said);
      assertTrue(said.contains("Check the become password for web1"), said);
      assertFalse((everything(state) + said).contains("not-the-pw"), "the password leaked");
    } finally {
      abort(said, state);
    }
  }

  @Example
  void aPromptWeDoNotRecogniseEndsAtAnsibleTimeoutNamingWhatSuPrinted() throws Exception {
    // given: su's prompt word is not among the configured ones, the step has no timeout of its
    // own, and ansible_timeout is 2 s
    users.setPassword(target, "target-pw");
    Path pb =
        write("unanswered.yml", "hosts: all\nsteps:\n  - {id: who, shell: id -un, become: true}\n");
    Path vars = secrets("target-pw");
    Files.writeString(
        vars,
        "ansible_su_prompt_l10n: [Kennwort]\nansible_timeout: 2\n",
        StandardOpenOption.APPEND);
    Path state = dir.resolve("state-unanswered");

    // when
    Cli.Result run = ours(pb, vars, state);

    // then: the run paused (not waiting forever), saying what su printed and what to do
    String said = run.out() + run.err();
    try {
      assertEquals(3, run.exitCode(), said);
      assertTrue(
          said.contains(
              "su did not start the step's command as '" + target + "' on web1 within 2s"),
          said);
      assertTrue(said.contains("su's last line was 'Password:'"), said);
      assertTrue(said.contains("set ansible_su_prompt_l10n to its word"), said);
      assertFalse((everything(state) + said).contains("target-pw"), "the password leaked");
    } finally {
      abort(said, state);
    }
  }

  @Example
  void aStepOverItsTimeoutEndsWithEveryProcessOfTheTargetUser() throws Exception {
    // given: a step that outlives its timeout as the target user
    users.setPassword(target, "target-pw");
    Path pb =
        write(
            "slow.yml",
            "hosts: all\nsteps:\n"
                + "  - {id: slow, shell: 'echo started; sleep 300; echo never', become: true,"
                + " timeout: 3s}\n");
    Path state = dir.resolve("state-slow");

    // when
    Cli.Result run = ours(pb, secrets("target-pw"), state);

    // then: timed out; no process of the target user is left (timeout(1) ended its group), and
    // the private folder is gone
    String said = run.out() + run.err();
    try {
      assertTrue(said.contains("timed out after 3s"), said);
      // (a killed process stays a zombie until its parent, also ending, is reaped)
      org.awaitility.Awaitility.await("no process of " + target + " left")
          .atMost(java.time.Duration.ofSeconds(60))
          .until(() -> processesOf(target).isEmpty());
    } finally {
      abort(said, state);
    }
  }

  private static String processesOf(String user) throws IOException, InterruptedException {
    Process ps = new ProcessBuilder("ps", "-u", user, "-o", "pid=,args=").start();
    String left = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    ps.waitFor();
    return left.strip();
  }

  /** Aborts the paused run whose id {@code said} names, so that the host's lease is released. */
  private static void abort(String said, Path state) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("orchestrator resume (\\S+)").matcher(said);
    assertTrue(m.find(), said);
    Cli.Result aborted = Cli.run("abort", m.group(1), "--state-dir", state.toString());
    assertEquals(5, aborted.exitCode(), aborted.out() + aborted.err());
  }

  @Property(tries = 12)
  void hostilePasswordsWorkAndNeverLeak(@ForAll("hostile") String middle) throws Exception {
    // given: the target user's password set to a hostile one
    String password = "pw" + middle + "pw";
    users.setPassword(target, password);
    Path pb =
        write(
            "hostile.yml",
            "hosts: all\nsteps:\n  - {id: who, shell: id -un, become: true, register: r}\n");
    Path state = dir.resolve("state-hostile-" + RUNS.incrementAndGet());

    // when
    Cli.Result run = ours(pb, secrets(password), state);

    // then: su took it (control characters are data on our terminal), and it is nowhere
    String said = run.out() + run.err();
    try {
      assertEquals(0, run.exitCode(), said);
      assertFalse((everything(state) + said).contains(password), "the password leaked");
    } finally {
      if (run.exitCode() != 0) {
        abort(said, state);
      }
    }
  }

  @Provide
  Arbitrary<String> hostile() {
    Arbitrary<Character> control =
        Arbitraries.chars().range('\u0001', '\u001f').filter(c -> c != '\n' && c != '\r');
    Arbitrary<Character> shell = Arbitraries.of('\'', '"', '$', '\\', '`', ' ', ';', '|', '*');
    Arbitrary<String> other = Arbitraries.of("\u007f", "ü", "€", "\uD834\uDD1E", "密码", "ה", ":");
    return Arbitraries.oneOf(
            control.map(String::valueOf),
            shell.map(String::valueOf),
            other,
            Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(3))
        .list()
        .ofMinSize(1)
        .ofMaxSize(12)
        .map(l -> String.join("", l));
  }

  private static String quoteYaml(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
