package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What {@code cron} ({@link CronModule}) sends to the host's shell is data: a hostile job name,
 * job, user or cron file never runs as code (no {@code PWNED} file appears), and a job reaches the
 * cron file exactly as given, under its marker. The cron file is under a temporary folder; a user's
 * crontab is only read (the user names no real user), so nothing on the machine changes.
 */
class CronProperties {
  @Provide
  Arbitrary<String> texts() {
    return HostileNames.names().filter(s -> s.indexOf('\0') < 0);
  }

  @Property(tries = 40)
  void hostileValuesAreWrittenAsTextAndNeverRun(
      @ForAll("texts") String name, @ForAll("texts") String job, @ForAll("texts") String user)
      throws Exception {
    Path dir = Files.createTempDirectory("cronprop");
    try (var c = FileWriteTest.local(dir)) {
      // given a cron file and hostile values (a job without line breaks: one line)
      String oneLine =
          job.replaceAll("[\\r\\n\\u000b\\u000c\\u001c-\\u001e\\u0085\\u2028\\u2029]", " ");
      Path file = dir.resolve("jobs");
      CronModule.Args put =
          args(
              name.replaceAll("[\\r\\n\\u000b\\u000c\\u001c-\\u001e\\u0085\\u2028\\u2029]", " "),
              Optional.of(oneLine),
              "orchnouser" + user.replaceAll("\\s", ""),
              Optional.of(file.toString()));
      // when the job is put into the file, and a user's crontab of a hostile name is read
      ModuleOutcome o = new CronModule(FileWriteTest.step(), put, Map.of()).run(c, null);
      CronModule.Args read = args(name, Optional.empty(), user, Optional.empty());
      new CronModule(FileWriteTest.step(), read, Map.of()).run(c, null);
      // then nothing ran as code, and the file holds the marker and the line
      try (var files = Files.walk(dir)) {
        assertFalse(files.anyMatch(f -> f.getFileName().toString().equals("PWNED")), "ran as code");
      }
      assertEquals(true, o.result().succeeded(), o.result().stderr());
      String content = Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
      assertEquals(
          CronTab.MARKER
              + put.name()
              + "\n* * * * * "
              + put.user().orElseThrow()
              + " "
              + CronTab.strip(oneLine)
              + "\n",
          content);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** A job present (with one) or absent (without), in {@code file} or the user's crontab. */
  private static CronModule.Args args(
      String name, Optional<String> job, String user, Optional<String> file) {
    return new CronModule.Args(
        name,
        job,
        Optional.of(user),
        file,
        job.isPresent(),
        List.of("*", "*", "*", "*", "*"),
        Optional.empty(),
        false,
        false,
        Optional.empty(),
        Optional.empty());
  }
}
