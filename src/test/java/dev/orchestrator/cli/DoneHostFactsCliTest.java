package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resume still has the facts of hosts it has nothing left to run on: ansible-examples
 * lamp_haproxy's {@code rolling_update.yml} gathers the monitoring host's facts in a fact-only
 * first play and reads them in the second ({@code hostvars[host].ansible_default_ipv4}); a kill in
 * the second play used to leave the resume without them (facts are never checkpointed).
 */
class DoneHostFactsCliTest {
  @TempDir Path dir;

  @Test
  void aResumeInALaterPlayReadsTheFactsOfTheHostsOfAFactOnlyFirstPlay(@TempDir Path home)
      throws Exception {
    Cli.Session cli = Cli.withLocalHome(home);
    // given two plays: the first only gathers mon's facts, the second reads them on web
    Files.writeString(
        dir.resolve("site.yml"),
        """
        - hosts: mon
          tasks: []
        - hosts: web
          tasks:
            - name: Wait for the go
              shell: test -e {{ out }}/go
            - name: Use the monitoring host's facts
              shell: echo {{ hostvars['mon'].ansible_hostname | quote }} > {{ out }}/seen
        """);
    Files.writeString(
        dir.resolve("hosts.ini"), "mon ansible_connection=local\nweb ansible_connection=local\n");
    Path out = Files.createDirectories(dir.resolve("out"));
    String state = dir.resolve("state").toString();
    // and a run that pauses in the second play, after the first play is done
    Cli.Result run =
        cli.run(
            "run",
            dir.resolve("site.yml").toString(),
            "-i",
            dir.resolve("hosts.ini").toString(),
            "-e",
            "out=" + out,
            "--state-dir",
            state);
    assertEquals(3, run.exitCode(), run.out() + run.err());
    // when the cause is fixed and the run resumed
    Files.writeString(out.resolve("go"), "");
    Cli.Result resume = cli.run("resume", run.runId(), "--state-dir", state);
    // then the second play ends, with mon's facts gathered again for it
    assertEquals(0, resume.exitCode(), resume.out() + resume.err());
    String hostname = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    assertEquals(hostname.split("\\.")[0], Files.readString(out.resolve("seen")).strip());
  }
}
