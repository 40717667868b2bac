package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code cron}'s edit of a crontab ({@link CronEdit}, {@link CronTab}) as ansible-core 2.14's
 * {@code cron.py} makes it: the marker lines, where jobs and variables go, and when it is {@code
 * changed}.
 */
class CronEditTest {
  private static final List<String> ANY = List.of("*", "*", "*", "*", "*");

  static CronModule.Args job(String name, String job, List<String> times, boolean present) {
    return new CronModule.Args(
        name,
        Optional.ofNullable(job),
        Optional.empty(),
        Optional.empty(),
        present,
        times,
        Optional.empty(),
        false,
        false,
        Optional.empty(),
        Optional.empty());
  }

  private static CronModule.Args env(String name, String value, Optional<String> after) {
    return new CronModule.Args(
        name,
        Optional.of(value),
        Optional.empty(),
        Optional.empty(),
        true,
        ANY,
        Optional.empty(),
        false,
        true,
        after,
        Optional.empty());
  }

  private static String apply(String crontab, CronModule.Args a, List<Boolean> changes) {
    CronTab tab = CronTab.read(crontab, true);
    CronEdit e = CronEdit.apply(a, tab, false);
    changes.add(e.changed());
    return tab.render();
  }

  @Test
  void aJobIsAddedUnderItsMarkerChangedInPlaceAndRemovedWithIt() {
    // given a crontab with a line of its own
    List<Boolean> changes = new java.util.ArrayList<>();
    String start = "MAILTO=\"\"\n5 * * * * other\n";
    // when a job is added, added again, given another hour, then removed twice
    String added = apply(start, job("backup", "run.sh", ANY, true), changes);
    String again = apply(added, job("backup", "run.sh", ANY, true), changes);
    String moved =
        apply(again, job("backup", "run.sh", List.of("0", "2", "*", "*", "*"), true), changes);
    String removed = apply(moved, job("backup", null, ANY, false), changes);
    String gone = apply(removed, job("backup", null, ANY, false), changes);
    // then the marker is Ansible's, the job's line follows it, and only real edits changed
    assertEquals(start + "#Ansible: backup\n* * * * * run.sh\n", added);
    assertEquals(added, again);
    assertEquals(start + "#Ansible: backup\n0 2 * * * run.sh\n", moved);
    assertEquals(start, removed);
    assertEquals(start, gone);
    assertEquals(List.of(true, false, true, true, false), changes);
  }

  @Test
  void aJobFoundByItsLineWithoutAMarkerGetsOneAndIsChanged() {
    // given the job's exact line, written by hand
    List<Boolean> changes = new java.util.ArrayList<>();
    // when cron adopts it
    String adopted = apply("* * * * * run.sh\n", job("run", "run.sh", ANY, true), changes);
    // then the marker is put before it (cron.py's find_job inserts it) and that is a change
    assertEquals("#Ansible: run\n* * * * * run.sh\n", adopted);
    assertEquals(List.of(true), changes);
  }

  @Test
  void specialTimeDisabledAndAMissingFinalLineBreakAreAnsibles() {
    List<Boolean> changes = new java.util.ArrayList<>();
    CronModule.Args reboot =
        new CronModule.Args(
            "Start app",
            Optional.of("forever start /srv/app.js\n"),
            Optional.empty(),
            Optional.empty(),
            true,
            ANY,
            Optional.of("reboot"),
            true,
            false,
            Optional.empty(),
            Optional.empty());
    // when a disabled @reboot job is added to a crontab lacking its final line break, and the
    // same crontab without the job is read again
    String out = apply("# mine", reboot, changes);
    apply("# mine", job("x", null, ANY, false), changes);
    // then the job's line is "#@reboot JOB" (the job's line breaks stripped); the final line break
    // alone is a change, as cron.py decides
    assertEquals("# mine\n#Ansible: Start app\n#@reboot forever start /srv/app.js\n", out);
    assertEquals(List.of(true, true), changes);
  }

  @Test
  void variablesGoFirstOrAfterAnotherAndAreReplacedInPlace() {
    List<Boolean> changes = new java.util.ArrayList<>();
    String first =
        apply("#Ansible: j\n* * * * * j\n", env("PATH", "/bin", Optional.empty()), changes);
    String after = apply(first, env("SHELL", "/bin/sh", Optional.of("PATH")), changes);
    String replaced = apply(after, env("PATH", "/usr/bin", Optional.empty()), changes);
    String same = apply(replaced, env("PATH", "/usr/bin", Optional.empty()), changes);
    assertEquals("PATH=\"/bin\"\n#Ansible: j\n* * * * * j\n", first);
    assertEquals("PATH=\"/bin\"\nSHELL=\"/bin/sh\"\n#Ansible: j\n* * * * * j\n", after);
    assertEquals("PATH=\"/usr/bin\"\nSHELL=\"/bin/sh\"\n#Ansible: j\n* * * * * j\n", replaced);
    assertEquals(replaced, same);
    assertEquals(List.of(true, true, true, false), changes);
    CronTab tab = CronTab.read(same, true);
    assertEquals(
        List.of("PATH", "SHELL"),
        CronEdit.apply(env("PATH", "/usr/bin", Optional.empty()), tab, false).fields().get("envs"));
  }

  @Test
  void theModulesChecksFailWithItsMessages() {
    // given arguments cron.py refuses when it runs
    CronModule.Args both =
        new CronModule.Args(
            "j",
            Optional.of("x"),
            Optional.empty(),
            Optional.empty(),
            true,
            List.of("0", "*", "*", "*", "*"),
            Optional.of("daily"),
            false,
            false,
            Optional.empty(),
            Optional.empty());
    // then each fails with the module's message
    assertEquals(
        "You must specify time and date fields or special time.",
        assertThrows(
                IllegalArgumentException.class,
                () -> CronEdit.apply(both, CronTab.read("", true), false))
            .getMessage());
    assertEquals(
        "You must specify 'job' to install a new cron job or variable",
        assertThrows(
                IllegalArgumentException.class,
                () -> CronEdit.apply(job("j", null, ANY, true), CronTab.read("", true), false))
            .getMessage());
    assertEquals(
        "Variable named 'NOPE' not found.",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    CronEdit.apply(
                        env("A", "1", Optional.of("NOPE")), CronTab.read("", true), false))
            .getMessage());
  }

  @Test
  void theHeaderACrontabCommandPrintsIsNotKept() {
    // given crontab -l's output with the header some cron versions print
    String listed =
        "# DO NOT EDIT THIS FILE - edit the master and reinstall.\n"
            + "# (/tmp/crontab.X installed on Mon Dec  7 10:00:00 2026)\n"
            + "# (Cron version -- $Id: crontab.c,v 2.13 1994/01/17 03:20:37 vixie Exp $)\n"
            + "#Ansible: j\n* * * * * j\n";
    // when it is read as a user's crontab
    CronTab tab = CronTab.read(listed, true);
    // then the three header lines are gone, as cron.py's read drops them
    assertEquals("#Ansible: j\n* * * * * j\n", tab.render());
    assertEquals("#Ansible: j\n* * * * * j\n", tab.existing());
    assertTrue(CronTab.read("\n \n", false).isEmpty());
  }
}
