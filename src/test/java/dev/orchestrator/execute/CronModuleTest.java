package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.LocalUsers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cron} ({@link CronModule}) with the machine's real {@code crontab} (Debian's cron; tests
 * run as root here and on CI) on a user made for the test and removed after, and on a cron file:
 * what the crontab holds after each task and {@code changed} as {@code cron.py} decides.
 */
class CronModuleTest {
  private static final List<String> ANY = List.of("*", "*", "*", "*", "*");

  @TempDir Path dir;

  private ModuleOutcome run(CronModule.Args a) throws Exception {
    try (var c = FileWriteTest.local(dir)) {
      return new CronModule(FileWriteTest.step(), a, Map.of()).run(c, null);
    }
  }

  private static CronModule.Args args(
      String name, Optional<String> job, Optional<String> user, Optional<String> file, boolean on) {
    return new CronModule.Args(
        name,
        job,
        user,
        file,
        on,
        ANY,
        Optional.empty(),
        false,
        false,
        Optional.empty(),
        Optional.empty());
  }

  private static String crontab(String user) throws Exception {
    Process p = new ProcessBuilder("crontab", "-u", user, "-l").start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  @Test
  void aUsersCrontabGetsTheJobOnceAndLosesItOnce() throws Exception {
    LocalUsers.requireRoot();
    try (LocalUsers users = new LocalUsers()) {
      // given a new user without a crontab
      String user = users.create("unused-" + System.nanoTime());
      try {
        Optional<String> u = Optional.of(user);
        // when a job is added twice, then removed twice
        ModuleOutcome added =
            run(args("nightly", Optional.of("echo 'a b' >/dev/null"), u, Optional.empty(), true));
        String after = crontab(user);
        ModuleOutcome again =
            run(args("nightly", Optional.of("echo 'a b' >/dev/null"), u, Optional.empty(), true));
        ModuleOutcome removed = run(args("nightly", Optional.empty(), u, Optional.empty(), false));
        ModuleOutcome gone = run(args("nightly", Optional.empty(), u, Optional.empty(), false));
        // then the user's crontab held Ansible's marker and line, and only real edits changed
        assertEquals("#Ansible: nightly\n* * * * * echo 'a b' >/dev/null\n", after);
        assertEquals("", crontab(user));
        assertEquals(
            List.of(true, false, true, false),
            List.of(added, again, removed, gone).stream()
                .map(o -> o.fields().get("changed"))
                .toList());
        assertEquals(List.of("nightly"), again.fields().get("jobs"));
        assertEquals(List.of(), gone.fields().get("jobs"));
      } finally {
        new ProcessBuilder("crontab", "-u", user, "-r").start().waitFor();
      }
    }
  }

  @Test
  void aCronFileNamesTheUserAndIsRemovedWhenItsLastJobIs() throws Exception {
    // given a cron file path that does not exist
    Path file = dir.resolve("app-jobs");
    Optional<String> f = Optional.of(file.toString());
    // when a job is put there for root and then removed
    ModuleOutcome added = run(args("sync", Optional.of("/bin/true"), Optional.of("root"), f, true));
    String content = Files.readString(file);
    ModuleOutcome removed = run(args("sync", Optional.empty(), Optional.empty(), f, false));
    // then the line names the user, and the emptied file is removed, as cron.py does
    assertEquals("#Ansible: sync\n* * * * * root /bin/true\n", content);
    assertEquals(true, added.fields().get("changed"));
    assertEquals(file.toString(), added.fields().get("cron_file"));
    assertEquals(
        Map.of("changed", true, "cron_file", file.toString(), "state", "absent"), removed.fields());
    assertFalse(Files.exists(file));
    assertTrue(Files.isDirectory(dir));
  }

  @Test
  void aCronFileWithoutUserFailsWithTheModulesMessage() throws Exception {
    // when a job goes to a cron file without a user
    ModuleOutcome o =
        run(args("x", Optional.of("true"), Optional.empty(), Optional.of(dir + "/f"), true));
    // then the step fails with cron.py's message, and nothing was written
    assertFalse(o.result().succeeded());
    assertEquals(
        "To use cron_file=... parameter you must specify user=... as well", o.fields().get("msg"));
    assertFalse(Files.exists(dir.resolve("f")));
  }
}
