package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.SourceLocation;
import dev.orchestrator.playbook.FileMode;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.Endpoint;
import dev.orchestrator.transport.ExecResult;
import dev.orchestrator.transport.OutputListener;
import dev.orchestrator.transport.TransportException;
import dev.orchestrator.transport.local.LocalConnector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileWriteTest {
  @TempDir Path dir;

  static Step step() {
    return new Step(
        "conf",
        "conf",
        "",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        0,
        Duration.ZERO,
        Optional.empty(),
        false,
        "root",
        Map.of(),
        dev.orchestrator.playbook.StepTraits.NONE,
        dev.orchestrator.playbook.StepExtras.NONE,
        new SourceLocation(Path.of("pb.yml"), 1, 1));
  }

  static FileWrite write(Path dest, String content, Optional<String> mode, boolean backup) {
    return new FileWrite(
        step(),
        dest.toString(),
        content.getBytes(StandardCharsets.UTF_8),
        mode.map(FileMode::new),
        Optional.empty(),
        Optional.empty(),
        backup,
        true,
        Optional.empty());
  }

  static Connection local(Path dir) {
    return new LocalConnector(dir)
        .open(
            "localhost",
            new Endpoint(Endpoint.Kind.LOCAL, "localhost", 22, "me", Optional.empty()));
  }

  private static Object inode(Path file) throws Exception {
    return Files.getAttribute(file, "unix:ino");
  }

  @Test
  void aFileIsWrittenOnceAndNotRewrittenWhenItIsAlreadyAsAsked() throws Exception {
    // given no file yet
    Path dest = dir.resolve("app.conf");
    Map<String, Object> first = new HashMap<>();
    Map<String, Object> second = new HashMap<>();
    try (Connection c = local(dir)) {
      // when it is written twice with the same content and mode
      ExecResult r1 = write(dest, "port=80\n", Optional.of("0640"), false).run(c, first);
      Object inode = inode(dest);
      var mtime = Files.getLastModifiedTime(dest);
      ExecResult r2 = write(dest, "port=80\n", Optional.of("0640"), false).run(c, second);
      // then the first run changed it, the second did not touch it
      assertTrue(r1.succeeded(), r1.stderr());
      assertTrue(r2.succeeded(), r2.stderr());
      assertEquals(true, first.get("changed"));
      assertEquals(false, second.get("changed"));
      assertEquals(inode, inode(dest));
      assertEquals(mtime, Files.getLastModifiedTime(dest));
      assertEquals("port=80\n", Files.readString(dest));
      assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dest)));
      // and the registered keys are Ansible's
      assertEquals("0640", first.get("mode"));
      assertEquals(dest.toString(), first.get("dest"));
      assertEquals(8L, first.get("size"));
      assertEquals(FileWrite.digest("SHA-1", "port=80\n".getBytes()), first.get("checksum"));
      assertEquals(System.getProperty("user.name"), first.get("owner"));
      // and no temporary file is left
      try (var files = Files.list(dir)) {
        assertEquals(List.of(dest), files.toList());
      }
    }
  }

  @Test
  void aBackupKeepsTheOldContentAndIsRegistered() throws Exception {
    // given a file with old content
    Path dest = dir.resolve("app.conf");
    Files.writeString(dest, "old\n");
    Map<String, Object> registered = new HashMap<>();
    try (Connection c = local(dir)) {
      // when new content is written with backup
      ExecResult r = write(dest, "new\n", Optional.empty(), true).run(c, registered);
      // then the file is replaced, and the backup, named as Ansible names it, holds the old content
      assertTrue(r.succeeded(), r.stderr());
      assertEquals("new\n", Files.readString(dest));
      String backup = (String) registered.get("backup_file");
      assertTrue(
          backup.matches(
              java.util.regex.Pattern.quote(dest.toString())
                  + "\\.\\d+\\.\\d{4}-\\d\\d-\\d\\d@\\d\\d:\\d\\d:\\d\\d~"),
          backup);
      assertEquals("old\n", Files.readString(Path.of(backup)));
      assertTrue(r.stdout().contains("old file kept as " + backup), r.stdout());
    }
  }

  @Test
  void anExistingFileKeepsItsModeAndOnlyAttributesAreChangedInPlace() throws Exception {
    // given a file with mode 0600
    Path dest = dir.resolve("secret.conf");
    Files.writeString(dest, "a\n");
    Files.setPosixFilePermissions(dest, PosixFilePermissions.fromString("rw-------"));
    Object inode = inode(dest);
    try (Connection c = local(dir)) {
      // when its content changes without a mode, it keeps 0600 (in a new inode: atomic rename)
      Map<String, Object> r1 = new HashMap<>();
      write(dest, "b\n", Optional.empty(), false).run(c, r1);
      assertEquals("0600", r1.get("mode"));
      assertNotEquals(inode, inode(dest));
      // when only the mode differs, it is changed in place
      Object inode2 = inode(dest);
      Map<String, Object> r2 = new HashMap<>();
      write(dest, "b\n", Optional.of("g+r"), false).run(c, r2);
      assertEquals(true, r2.get("changed"));
      assertEquals("0640", r2.get("mode"));
      assertEquals(inode2, inode(dest));
      // and a symbolic mode already satisfied changes nothing
      Map<String, Object> r3 = new HashMap<>();
      write(dest, "b\n", Optional.of("u=rw,g=r,o="), false).run(c, r3);
      assertEquals(false, r3.get("changed"));
    }
  }

  @Test
  void aFileChangedBetweenProbeAndWriteIsNotOverwritten() throws Exception {
    // given a file that someone edits right after the probe read it
    Path dest = dir.resolve("app.conf");
    Files.writeString(dest, "theirs\n");
    try (Connection real = local(dir)) {
      Connection racing =
          new Connection() {
            int calls;

            @Override
            public ExecResult exec(String command, Optional<Duration> timeout, OutputListener l)
                throws TransportException {
              ExecResult r = real.exec(command, timeout, l);
              if (calls++ == 0) {
                try {
                  Files.writeString(dest, "edited meanwhile\n");
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }
              return r;
            }

            @Override
            public void put(Path local, String remote, java.util.function.LongConsumer p) {}

            @Override
            public void close() {}
          };
      // when the write runs
      ExecResult r = write(dest, "ours\n", Optional.empty(), true).run(racing, new HashMap<>());
      // then it fails and leaves the edit (and no temporary file)
      assertFalse(r.succeeded());
      assertTrue(r.stderr().contains("changed while it was being replaced"), r.stderr());
      assertEquals("edited meanwhile\n", Files.readString(dest));
      try (var files = Files.list(dir)) {
        assertEquals(List.of(dest), files.toList());
      }
    }
  }

  @Test
  void aFolderAsDestinationFailsWithWhatToDo() throws Exception {
    try (Connection c = local(dir)) {
      ExecResult r = write(dir, "x", Optional.empty(), false).run(c, new HashMap<>());
      assertFalse(r.succeeded());
      assertTrue(r.stderr().contains("not a regular file"), r.stderr());
    }
  }
}
