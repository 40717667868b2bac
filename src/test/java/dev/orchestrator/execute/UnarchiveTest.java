package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code unarchive}'s script and outcome ({@link Unarchive}), run by {@code /bin/sh}. */
class UnarchiveTest {
  @TempDir Path dir;

  private static Unarchive remote(Path archive, Path dest, String mode, List<String> exclude) {
    return new Unarchive(
        archive.toString(),
        Optional.empty(),
        "",
        dest.toString(),
        "",
        true,
        false,
        exclude,
        mode,
        "",
        "");
  }

  private static ModuleOutcome run(StandInHost host, Unarchive u) throws Exception {
    return u.outcome(host.run(u.script()));
  }

  @Test
  void aTgzIsUnpackedOnceAndASecondRunChangesNothing() throws Exception {
    try (StandInHost host = StandInHost.with()) {
      // given a gzipped tar with a folder, files and a link inside, and an empty dest
      Path archive =
          TestArchives.tgz(
              dir.resolve("app.tgz"),
              a ->
                  a.dir("app")
                      .file("app/a.txt", "A\n")
                      .file("app/b.log", "B\n")
                      .link("app/cur", "a.txt"));
      Path dest = Files.createDirectories(dir.resolve("dest"));
      // when it is unarchived twice
      ModuleOutcome first = run(host, remote(archive, dest, "", List.of("*.log")));
      ModuleOutcome second = run(host, remote(archive, dest, "", List.of("*.log")));
      // then the first run unpacked it (but the excluded file), with Ansible's keys
      assertTrue(first.result().succeeded(), first.toString());
      assertEquals(true, first.fields().get("changed"));
      assertEquals("TgzArchive", first.fields().get("handler"));
      assertEquals(List.of("app/", "app/a.txt", "app/cur"), first.fields().get("files"));
      assertEquals("A\n", Files.readString(dest.resolve("app/a.txt")));
      assertEquals(Path.of("a.txt"), Files.readSymbolicLink(dest.resolve("app/cur")));
      assertFalse(Files.exists(dest.resolve("app/b.log")));
      assertEquals("directory", first.fields().get("state"));
      // and the second found dest as the archive has it
      assertTrue(second.result().succeeded(), second.toString());
      assertEquals(false, second.fields().get("changed"));
    }
  }

  @Test
  void aModeIsSetOnEveryEntryAndCountsAsAChangeOnce() throws Exception {
    try (StandInHost host = StandInHost.with()) {
      // given an archive already unpacked
      Path archive = TestArchives.tgz(dir.resolve("m.tgz"), a -> a.file("x.sh", "echo\n"));
      Path dest = Files.createDirectories(dir.resolve("dest"));
      run(host, remote(archive, dest, "", List.of()));
      // when it is unarchived with a mode, twice
      ModuleOutcome first = run(host, remote(archive, dest, "0750", List.of()));
      ModuleOutcome second = run(host, remote(archive, dest, "0750", List.of()));
      // then the mode changed once
      assertEquals(true, first.fields().get("changed"), first.toString());
      assertEquals(
          "rwxr-x---",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(dest.resolve("x.sh"))));
      assertEquals(false, second.fields().get("changed"), second.toString());
    }
  }

  @Test
  void createsSkipsAndAMissingDestFailsAsAnsibles() throws Exception {
    try (StandInHost host = StandInHost.with()) {
      Path archive = TestArchives.tgz(dir.resolve("c.tgz"), a -> a.file("x", "x\n"));
      Path dest = Files.createDirectories(dir.resolve("dest"));
      // given creates naming an existing path
      Unarchive skipped =
          new Unarchive(
              archive.toString(),
              Optional.empty(),
              "",
              dest.toString(),
              archive.toString(),
              false,
              false,
              List.of(),
              "",
              "",
              "");
      // when it runs, then it is skipped with Ansible's message
      ModuleOutcome s = run(host, skipped);
      assertEquals("skipped, since " + archive + " exists", s.fields().get("msg"));
      assertEquals(false, s.fields().get("changed"));
      assertFalse(Files.exists(dest.resolve("x")));
      // and a dest that is no folder fails with the action plugin's message
      ModuleOutcome missing = run(host, remote(archive, dest.resolve("none"), "", List.of()));
      assertFalse(missing.result().succeeded());
      assertEquals(
          "dest '" + dest.resolve("none") + "' must be an existing dir",
          missing.fields().get("msg"));
    }
  }

  @Test
  void aZipIsUnpackedWithUnzip() throws Exception {
    try (StandInHost host = StandInHost.with()) {
      // given a zip the host's zip made
      Path src = Files.createDirectories(dir.resolve("src/lib"));
      Files.writeString(src.resolve("l.txt"), "L\n");
      Process p =
          new ProcessBuilder("zip", "-qr", dir.resolve("l.zip").toString(), "lib")
              .directory(dir.resolve("src").toFile())
              .start();
      assertEquals(0, p.waitFor());
      Path dest = Files.createDirectories(dir.resolve("dest"));
      // when it is unarchived twice
      ModuleOutcome first = run(host, remote(dir.resolve("l.zip"), dest, "", List.of()));
      ModuleOutcome second = run(host, remote(dir.resolve("l.zip"), dest, "", List.of()));
      // then unzip unpacked it once
      assertEquals("ZipArchive", first.fields().get("handler"), first.toString());
      assertEquals("L\n", Files.readString(dest.resolve("lib/l.txt")));
      assertEquals(true, first.fields().get("changed"));
      assertEquals(false, second.fields().get("changed"), second.toString());
    }
  }

  @Test
  void hostileEntriesAreRefusedBeforeAnythingIsWritten() throws Exception {
    try (StandInHost host = StandInHost.with()) {
      Path outside = Files.createDirectories(dir.resolve("outside"));
      Path dest = Files.createDirectories(dir.resolve("d/dest"));
      Files.createSymbolicLink(dest.resolve("escape"), outside);
      List<TestArchives.Entries> hostile =
          List.of(
              a -> a.file("ok.txt", "ok\n").file("../evil", "x\n"),
              a -> a.file("ok.txt", "ok\n").file("/tmp/abs-evil", "x\n"),
              a -> a.file("ok.txt", "ok\n").link("l", "/etc").file("l/evil", "x\n"),
              a -> a.file("ok.txt", "ok\n").link("up", "../.."),
              a -> a.file("ok.txt", "ok\n").dir("sub").link("sub/l", "x/../../.."),
              a -> a.file("ok.txt", "ok\n").dir("escape").file("escape/evil", "x\n"));
      for (TestArchives.Entries entries : hostile) {
        Path archive = TestArchives.tgz(dir.resolve("h.tgz"), entries);
        // when each is unarchived
        ModuleOutcome o = run(host, remote(archive, dest, "", List.of()));
        // then it is refused, and nothing was written into dest or outside it
        assertFalse(o.result().succeeded(), o.toString());
        // (an entry under the archive's own link to /etc: tar's own check refuses to write it)
        String msg = String.valueOf(o.fields().get("msg"));
        assertTrue(msg.contains("refuses") || msg.contains("Not a directory"), o.toString());
        assertFalse(Files.exists(dest.resolve("ok.txt")), o.toString());
        try (var files = Files.list(outside)) {
          assertEquals(0, files.count(), o.toString());
        }
        assertFalse(Files.exists(dir.resolve("d/evil")));
      }
    }
  }
}
