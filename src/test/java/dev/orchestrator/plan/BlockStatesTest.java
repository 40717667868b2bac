package dev.orchestrator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.state.Checkpoint;
import dev.orchestrator.state.StepStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Block states derived from checkpoints alone (README "Blocks"). */
class BlockStatesTest {
  @TempDir Path dir;

  private List<Step> steps() throws Exception {
    Files.writeString(
        dir.resolve("pb.yml"),
        """
        steps:
          - name: web
            block:
              - {id: a, shell: echo a}
              - {id: b, shell: echo b}
            rescue:
              - {id: r, shell: echo r}
            always:
              - {id: z, shell: echo z}
        """);
    return new PlaybookLoader().load(dir.resolve("pb.yml")).steps();
  }

  private static Checkpoint rescued(String id) {
    return new Checkpoint(
        "h1",
        id,
        StepStatus.SUCCEEDED,
        1,
        Instant.EPOCH,
        Instant.EPOCH,
        2,
        BlockStates.RESCUED + "block 'web': exit code 2",
        Map.of("rc", 2, "failed", true),
        "",
        "");
  }

  @Test
  void aRescuedCheckpointAloneSaysTheBlockFailedAndWhatTheRescueSees() throws Exception {
    // given a controller killed right after a's failure was recorded as rescued
    List<Step> steps = steps();
    // when the states are derived from the checkpoints
    BlockStates states = BlockStates.of(steps, List.of(rescued("a")));
    // then b is left out, r runs with the failure, z runs
    assertEquals(Optional.of("not run: block 'web' failed at a"), states.notRun(steps.get(1)));
    assertEquals(Optional.empty(), states.notRun(steps.get(2)));
    assertEquals(
        Map.of("name", "a", "id", "a", "action", "shell"),
        states.failedVars(steps.get(2)).get(BlockStates.FAILED_TASK));
    assertEquals(
        Map.of("rc", 2, "failed", true),
        states.failedVars(steps.get(2)).get(BlockStates.FAILED_RESULT));
    assertEquals(Optional.empty(), states.notRun(steps.get(3)));
  }

  @Test
  void eachHopHasItsOwnBlocks() throws Exception {
    // given the block failed in hop 1 of two
    List<Step> steps = steps();
    BlockStates states = BlockStates.of(steps, List.of(rescued("a@1")));
    // then in hop 2 the block runs as if nothing failed
    assertEquals(
        Optional.of("not run: block 'web' failed at a@1"), states.notRun(steps.get(1).forHop("1")));
    assertEquals(Optional.empty(), states.notRun(steps.get(1).forHop("2")));
    assertEquals(Map.of(), states.failedVars(steps.get(2).forHop("2")));
  }
}
