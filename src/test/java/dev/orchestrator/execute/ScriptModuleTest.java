package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code script}'s command and outcome ({@link ScriptModule}), run by {@code /bin/sh}. */
class ScriptModuleTest {
  @TempDir Path dir;

  private ScriptModule module(String body, List<String> words, String chdir, String creates)
      throws Exception {
    Path src = dir.resolve("show args.sh");
    Files.writeString(src, body);
    return new ScriptModule(
        src,
        FileWrite.digest("SHA-256", Files.readAllBytes(src)),
        words,
        chdir,
        creates,
        "",
        List.of());
  }

  @Test
  void theScriptRunsWithItsArgumentsAndReportsAnsiblesKeys() throws Exception {
    try (StandInHost host = StandInHost.with()) {
      // given a script that prints its name, arguments and folder, and errs once
      ScriptModule m =
          module(
              "#!/bin/sh\necho \"$(basename \"$0\") $# [$1] [$2] $(pwd)\"\necho warn >&2\n",
              List.of("a b", "$HOME"),
              "/tmp",
              "");
      // when it runs
      ModuleOutcome o = m.outcome(host.run(m.script()));
      // then it ran under its own name, each argument one word, unexpanded, from chdir
      assertTrue(o.result().succeeded(), o.toString());
      assertEquals("show args.sh 2 [a b] [$HOME] /tmp\n", o.fields().get("stdout"));
      assertEquals("warn\n", o.fields().get("stderr"));
      assertEquals(0, o.fields().get("rc"));
      assertEquals(true, o.fields().get("changed"));
      assertEquals(List.of("warn"), o.fields().get("stderr_lines"));
      // and its temporary folder is gone
      assertFalse(host.contains("show args.sh"));
    }
  }

  @Test
  void aFailingScriptFailsWithAnsiblesMessage() throws Exception {
    try (StandInHost host = StandInHost.with()) {
      // given a script that exits 3
      ScriptModule m = module("echo out\nexit 3\n", List.of(), "", "");
      // when it runs
      ModuleOutcome o = m.outcome(host.run(m.script()));
      // then the step fails with rc 3 and Ansible's message, changed as Ansible's
      assertFalse(o.result().succeeded());
      assertEquals(3, o.fields().get("rc"));
      assertEquals("non-zero return code", o.fields().get("msg"));
      assertEquals(true, o.fields().get("changed"));
    }
  }

  @Test
  void createsAndRemovesSkipTheScriptUnchanged() throws Exception {
    try (StandInHost host = StandInHost.with()) {
      // given a script that would leave a mark, and an existing file as creates
      Path exists = Files.writeString(host.home().resolve("done"), "");
      ScriptModule m = module("touch MARK\n", List.of(), "", exists.toString());
      // when it runs
      ModuleOutcome o = m.outcome(host.run(m.script()));
      // then it was skipped, unchanged, with Ansible's message
      assertTrue(o.result().succeeded());
      assertFalse(host.contains("MARK"));
      assertEquals(false, o.fields().get("changed"));
      assertEquals(true, o.fields().get("skipped"));
      assertEquals(exists + " exists, matching creates option", o.fields().get("msg"));
      // and removes naming a missing file skips it too
      Path src = dir.resolve("show args.sh");
      ScriptModule r =
          new ScriptModule(
              src, m.sha256(), List.of(), "", "", host.home() + "/absent", List.of("sh"));
      ModuleOutcome ro = r.outcome(host.run(r.script()));
      assertEquals(
          host.home() + "/absent does not exist, matching removes option", ro.fields().get("msg"));
      assertFalse(host.contains("MARK"));
    }
  }

  @Test
  void anExecutableRunsTheScriptAndAnEditSinceTheLoadIsRefused() throws Exception {
    try (StandInHost host = StandInHost.with()) {
      // given a script without a shebang run through executable
      ScriptModule m = module("echo \"via $0\"\n", List.of(), "", "");
      ScriptModule viaSh =
          new ScriptModule(m.source(), m.sha256(), List.of(), "", "", "", List.of("/bin/sh", "-e"));
      // when it runs, then the interpreter ran the file
      assertTrue(
          String.valueOf(viaSh.outcome(host.run(viaSh.script())).fields().get("stdout"))
              .endsWith("/show args.sh\n"));
      // and once the file changed on the controller, the script is not sent
      Files.writeString(m.source(), "echo changed\n");
      assertThrows(IllegalArgumentException.class, m::script);
      // and a relative chdir is refused as Ansible's action plugin refuses it
      assertThrows(
          IllegalArgumentException.class,
          () -> new ScriptModule(m.source(), "x", List.of(), "srv", "", "", List.of()));
    }
  }
}
