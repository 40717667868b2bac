package dev.orchestrator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.state.Checkpoint;
import dev.orchestrator.state.StepStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which host of a batch runs a run_once step: the one that started it, else the first. */
class RunOnceTest {
  private static Checkpoint checkpoint(String host, StepStatus status, String message) {
    return new Checkpoint(
        host, "s", status, 1, Instant.EPOCH, null, null, message, Map.of(), "", "h");
  }

  @Test
  void theFirstHostOfTheBatchUnlessAnotherAlreadyStartedIt() {
    List<String> batch = List.of("web1", "web2", "web3");
    // given no checkpoint, then the batch's first host
    assertEquals("web1", RunOnce.owner("s", batch, h -> Optional.empty()));
    // given web2 started it (a controller stop, a --limit), then web2 again, never a second host
    Map<String, Checkpoint> running = Map.of("web2", checkpoint("web2", StepStatus.RUNNING, ""));
    assertEquals("web2", RunOnce.owner("s", batch, h -> Optional.ofNullable(running.get(h))));
    // given web1 only copied a result or waited in vain, and web3 ran it, then web3
    Map<String, Checkpoint> copies =
        Map.of(
            "web1", checkpoint("web1", StepStatus.SUCCEEDED, RunOnce.COPIED + "web3"),
            "web2", checkpoint("web2", StepStatus.FAILED, RunOnce.WAITED + "web3 stopped"),
            "web3", checkpoint("web3", StepStatus.SUCCEEDED, ""));
    assertEquals("web3", RunOnce.owner("s", batch, h -> Optional.ofNullable(copies.get(h))));
  }
}
