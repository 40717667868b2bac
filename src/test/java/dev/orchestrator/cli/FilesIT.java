package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.sandbox.TestFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code template:} and {@code copy:} on real OpenSSH hosts: the first run writes and reports
 * changed, the second changes nothing and leaves the file untouched (same inode and mtime), a
 * changed template with {@code backup} keeps the old content, mode and owner are applied.
 */
class FilesIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** step id → changed, from a run's step_finished events. */
  private static Map<String, Boolean> changed(Cli.Result run) throws IOException {
    assertEquals(0, run.exitCode(), run.out() + run.err());
    Map<String, Boolean> out = new LinkedHashMap<>();
    for (String line : run.out().strip().split("\n")) {
      JsonNode e = JSON.readTree(line);
      if (e.get("event").asText().equals("step_finished")) {
        out.put(e.get("step").asText(), e.get("changed").asBoolean());
      }
    }
    return out;
  }

  @Test
  void aSecondRunChangesNothingAndABackupKeepsTheOldContent() throws IOException {
    try (TestFleet fleet = TestFleet.start(dir, Map.of("h1", "web"))) {
      // given a template with a loop (trim_blocks) and a copy with content, mode and owner
      Path home = fleet.home("h1");
      Files.createDirectories(dir.resolve("templates"));
      Files.writeString(
          dir.resolve("templates/app.conf.j2"),
          "# {{ inventory_hostname }}\n{% for p in ports %}\nlisten {{ p }}\n{% endfor %}\n");
      Path pb = dir.resolve("pb.yml");
      Files.writeString(
          pb,
          """
          hosts: web
          vars:
            ports: [80, 443]
          steps:
            - id: conf
              template: {src: app.conf.j2, dest: "{{ home }}/app.conf", mode: "0640", backup: yes}
              register: conf
            - id: motd
              copy: {content: "hello {{ inventory_hostname }}\\n", dest: "{{ home }}/motd", mode: "u=rw,g=r,o=r", owner: nobody}
            - id: show
              shell: echo "{{ conf.checksum }} {{ conf.mode }} {{ conf.changed }}"
          """
              .replace("{{ home }}", home.toString()));
      String[] run = {
        "run",
        pb.toString(),
        "-i",
        fleet.inventory().toString(),
        "--known-hosts",
        fleet.knownHosts().toString(),
        "--state-dir",
        dir.resolve("state").toString(),
        "--output",
        "json"
      };
      // when it runs the first time
      Map<String, Boolean> first = changed(Cli.run(run));
      // then both files are written, as Ansible's template module renders them
      assertEquals(Map.of("conf", true, "motd", true, "show", true), first);
      Path conf = home.resolve("app.conf");
      assertEquals("# h1\nlisten 80\nlisten 443\n", Files.readString(conf));
      assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(conf)));
      PosixFileAttributes motd =
          Files.readAttributes(home.resolve("motd"), PosixFileAttributes.class);
      assertEquals("nobody", motd.owner().getName());
      assertEquals("rw-r--r--", PosixFilePermissions.toString(motd.permissions()));
      Object inode = Files.getAttribute(conf, "unix:ino");
      var mtime = Files.getLastModifiedTime(conf);

      // when it runs again (a new run)
      Map<String, Boolean> second = changed(Cli.run(run));
      // then nothing changed and the file was not rewritten
      assertEquals(false, second.get("conf"));
      assertEquals(false, second.get("motd"));
      assertEquals(inode, Files.getAttribute(conf, "unix:ino"));
      assertEquals(mtime, Files.getLastModifiedTime(conf));

      // when the template changes
      Files.writeString(dir.resolve("templates/app.conf.j2"), "listen 8080\n");
      Map<String, Boolean> third = changed(Cli.run(run));
      // then the file is replaced and the backup holds the old content
      assertTrue(third.get("conf"));
      assertEquals("listen 8080\n", Files.readString(conf));
      try (var files = Files.list(home)) {
        var backups =
            files
                .filter(p -> p.getFileName().toString().matches("app\\.conf\\.\\d+\\..*~"))
                .toList();
        assertEquals(1, backups.size(), backups.toString());
        assertEquals("# h1\nlisten 80\nlisten 443\n", Files.readString(backups.get(0)));
      }
      try (var files = Files.list(home)) {
        assertFalse(
            files.anyMatch(p -> p.getFileName().toString().endsWith(".orchestrator.tmp")),
            "a temporary file was left");
      }
    }
  }

  @Test
  void planCheckDiffShowsWhatWouldChangeWithSecretsMasked() throws IOException {
    try (TestFleet fleet = TestFleet.start(dir, Map.of("h1", "web"))) {
      // given a file on the host and a template that changes one line and holds a secret
      Path home = fleet.home("h1");
      Files.writeString(home.resolve("app.conf"), "port=80\nname=old\n");
      Files.createDirectories(dir.resolve("templates"));
      Files.writeString(
          dir.resolve("templates/app.conf.j2"), "port=80\nname=new\npassword={{ db_password }}\n");
      Path pb = dir.resolve("pb.yml");
      Files.writeString(
          pb,
          """
          hosts: web
          vars: {db_password: hunter2-secret}
          steps:
            - id: conf
              template: {src: app.conf.j2, dest: "HOME/app.conf"}
          """
              .replace("HOME", home.toString()));
      // when plan --check --diff runs
      Cli.Result plan =
          Cli.run(
              "plan",
              pb.toString(),
              "--check",
              "--diff",
              "-i",
              fleet.inventory().toString(),
              "--known-hosts",
              fleet.knownHosts().toString(),
              "--state-dir",
              dir.resolve("state").toString());
      // then it shows the unified diff, the secret masked, and changed nothing
      assertEquals(0, plan.exitCode(), plan.err());
      assertTrue(plan.out().contains("-name=old"), plan.out());
      assertTrue(plan.out().contains("+name=new"), plan.out());
      assertTrue(plan.out().contains("+password="), plan.out());
      assertFalse(plan.out().contains("hunter2-secret"), plan.out());
      assertEquals("port=80\nname=old\n", Files.readString(home.resolve("app.conf")));
    }
  }
}
