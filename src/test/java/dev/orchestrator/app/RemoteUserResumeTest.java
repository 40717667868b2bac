package dev.orchestrator.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.inventory.ConnectionDefaults;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.state.RunSpec;
import dev.orchestrator.state.SpecOverride;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run keeps {@code -u} and {@code --private-key} for its resumes; given again, they replace. */
class RemoteUserResumeTest {
  @TempDir Path dir;

  private RunSpec stored() {
    return new RunSpec(
        "/p.yml",
        List.of("web1,"),
        Map.of(),
        List.of(),
        Optional.empty(),
        1,
        Optional.empty(),
        false,
        List.of(),
        List.of(),
        false,
        List.of(),
        List.of(),
        false,
        "ops",
        Optional.of("deploy"),
        Optional.of("/keys/deploy"),
        new dev.orchestrator.common.Privilege(true, Optional.of("app"), Optional.empty()),
        Optional.empty());
  }

  private Playbook playbook() throws IOException {
    Path pb = Files.writeString(dir.resolve("pb.yml"), "steps:\n  - {id: s, shell: \"true\"}\n");
    return new PlaybookLoader().load(pb);
  }

  @Test
  void aResumeWithoutThemKeepsTheStoredOnes() throws IOException {
    // given a run started with -u deploy --private-key /keys/deploy; when resumed without them
    RunInputs in =
        RunInputs.forStoredRun(
            "r1", stored(), playbook(), ConnectionSettings.none(), VarsInput.none());
    // then the stored ones apply
    assertEquals(
        new ConnectionDefaults(Optional.of("deploy"), Optional.of(Path.of("/keys/deploy"))),
        in.connectionDefaults());
  }

  @Test
  void givenAgainTheyReplaceAndAreJournalled() throws IOException {
    // given the same run; when resumed with -u other
    ConnectionSettings now =
        new ConnectionSettings(
            Optional.empty(),
            false,
            false,
            new ConnectionDefaults(Optional.of("other"), Optional.empty()));
    RunInputs in = RunInputs.forStoredRun("r1", stored(), playbook(), now, VarsInput.none());
    // then -u is the new one, the key the stored one, and the change is recorded
    assertEquals(Optional.of("other"), in.spec().remoteUser());
    assertEquals(Optional.of("/keys/deploy"), in.spec().privateKey());
    List<SpecOverride> changes = RunInputs.overrides(stored(), in.spec(), "ops@laptop");
    assertEquals(1, changes.size());
    assertEquals("-u", changes.get(0).option());
  }

  @Test
  void becomeOptionsAreKeptOnAResumeWithoutThemAndReplacedWhenGiven() throws IOException {
    // given a run started with -b --become-user app
    // when resumed without privilege options, then the stored ones apply
    RunInputs kept =
        RunInputs.forStoredRun(
            "r1", stored(), playbook(), ConnectionSettings.none(), VarsInput.none());
    assertEquals(stored().privilege(), kept.spec().privilege());
    // when resumed with --become-method su only, then they replace the stored ones, recorded
    dev.orchestrator.common.Privilege su =
        new dev.orchestrator.common.Privilege(false, Optional.empty(), Optional.of("su"));
    RunInputs given =
        RunInputs.forStoredRun(
            "r1",
            stored(),
            playbook(),
            new ConnectionSettings(
                Optional.empty(),
                false,
                false,
                dev.orchestrator.inventory.ConnectionDefaults.NONE,
                su),
            VarsInput.none());
    assertEquals(su, given.spec().privilege());
    assertEquals(
        List.of("-b/--become-user/--become-method"),
        RunInputs.overrides(stored(), given.spec(), "ops@h").stream()
            .map(o -> o.option())
            .filter(o -> o.startsWith("-b"))
            .toList());
  }
}
