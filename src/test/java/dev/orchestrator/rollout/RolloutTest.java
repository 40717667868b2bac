package dev.orchestrator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.orchestrator.playbook.BatchSize;
import dev.orchestrator.playbook.Stage;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every branch of the rollout's pure decisions, with the texts the operator reads. */
class RolloutTest {
  private static Stage stage(int maxFailPercentage, boolean anyErrorsFatal) {
    return new Stage(
        "production",
        "production",
        List.of(BatchSize.ALL),
        maxFailPercentage,
        anyErrorsFatal,
        List.of(),
        List.of());
  }

  private static BatchOutcome batch(int size, int done, int paused, int unreachable, int refused) {
    return new BatchOutcome("production", 2, size, done, paused, unreachable, refused);
  }

  @Test
  void aBatchWithoutFailuresContinues() {
    // given a batch whose hosts all finished, in a strict stage
    // when / then
    assertEquals(new Decision.Continue(), Rollout.afterBatch(stage(0, true), batch(3, 3, 0, 0, 0)));
  }

  @Test
  void anyErrorsFatalPausesOnOneFailureEvenWithinTheBudget() {
    // given a stage with any_errors_fatal and a generous budget, one host unreachable
    Decision d = Rollout.afterBatch(stage(50, true), batch(4, 3, 0, 1, 0));
    // then it pauses, typed, with today's text
    Decision.Pause pause = assertInstanceOf(Decision.Pause.class, d);
    assertEquals(new PauseReason.AnyErrorsFatal("production", 2, 1), pause.reason());
    assertEquals(
        "1 host(s) of stage production batch 2 failed and the stage has any_errors_fatal",
        pause.reason().message());
  }

  @Test
  void failuresAboveTheBudgetPauseCountingPausedUnreachableAndRefused() {
    // given 3 of 4 hosts failed in three ways, 50% allowed
    Decision d = Rollout.afterBatch(stage(50, false), batch(4, 1, 1, 1, 1));
    // then the budget is exceeded
    Decision.Pause pause = assertInstanceOf(Decision.Pause.class, d);
    assertEquals(new PauseReason.FailureBudgetExceeded("production", 2, 3, 4, 50), pause.reason());
    assertEquals(
        "3 of 4 host(s) of stage production batch 2 failed, above max_fail_percentage 50%",
        pause.reason().message());
  }

  @Test
  void failuresEqualToTheBudgetContinue() {
    // given 2 of 4 failed with 50% allowed (equal is within budget, as in Ansible)
    assertEquals(
        new Decision.Continue(), Rollout.afterBatch(stage(50, false), batch(4, 2, 2, 0, 0)));
  }

  @Test
  void aBatchCannotCountMoreHostsThanItHas() {
    assertThrows(IllegalArgumentException.class, () -> batch(2, 1, 1, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> batch(2, -1, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new BatchOutcome("s", 0, 1, 1, 0, 0, 0));
  }

  @Test
  void aPassedGateContinues() {
    assertEquals(new Decision.Continue(), Rollout.afterGate(new GateResult.Passed()));
  }

  @Test
  void anApprovalGateWaitingPausesWaitingForApproval() {
    // when an approval gate waits
    Decision d =
        Rollout.afterGate(new GateResult.WaitingForApproval("production/before/0", "go on?"));
    // then the reason is typed, with today's text
    PauseReason reason = assertInstanceOf(Decision.Pause.class, d).reason();
    assertInstanceOf(PauseReason.WaitingForApproval.class, reason);
    assertEquals(
        "waiting for approval at gate production/before/0 (approval (go on?))", reason.message());
  }

  @Test
  void aFailedGatePausesWithItsMessage() {
    // when a health gate fails, with a message that starts like an approval's
    Decision d =
        Rollout.afterGate(new GateResult.Failed("waiting for approval is not what happened"));
    // then it is a failed gate all the same: the type decides, not the text
    PauseReason reason = assertInstanceOf(Decision.Pause.class, d).reason();
    assertEquals(new PauseReason.GateFailed("waiting for approval is not what happened"), reason);
    assertEquals(
        RunEnding.Next.RESUME,
        Rollout.ending(RunMode.FORWARD, Optional.of(reason), List.of(), 0, 3, "again").next());
  }

  @Test
  void aRunWithNothingPausedSucceeds() {
    RunEnding e = Rollout.ending(RunMode.FORWARD, Optional.empty(), List.of(), 0, 3, "again");
    assertEquals(new RunEnding.Succeeded(), e);
    assertEquals("", e.message());
    assertEquals(RunEnding.Next.NONE, e.next());
  }

  @Test
  void aRolloutPauseEndsThePausedRunAndAnApprovalAsksForApprove() {
    // given the rollout paused at an approval gate, with a host paused within budget earlier
    PauseReason approval = new PauseReason.WaitingForApproval("qa/batch-1/0", "ok?");
    // when the run ends
    RunEnding e =
        Rollout.ending(
            RunMode.FORWARD, Optional.of(approval), List.of("nc1: unreachable"), 2, 3, "again");
    // then the gate's reason wins and approve is the next command
    assertEquals(new RunEnding.Paused(approval), e);
    assertEquals("waiting for approval at gate qa/batch-1/0 (approval (ok?))", e.message());
    assertEquals(RunEnding.Next.APPROVE, e.next());
  }

  @Test
  void hostsPausedWithinTheBudgetPauseTheRunAtItsEnd() {
    RunEnding e =
        Rollout.ending(
            RunMode.FORWARD,
            Optional.empty(),
            List.of("nc1: paused at step upgrade", "nc2: unreachable"),
            5,
            3,
            "again");
    assertEquals(new RunEnding.Paused(new PauseReason.PausedWithinBudget(2)), e);
    assertEquals("2 host(s) paused within the failure budget", e.message());
    assertEquals(RunEnding.Next.RESUME, e.next());
  }

  @Test
  void hostsHeldBackByRetryFailedPauseTheRun() {
    RunEnding e = Rollout.ending(RunMode.FORWARD, Optional.empty(), List.of(), 2, 3, "again");
    assertEquals(new RunEnding.Paused(new PauseReason.HeldBack(2)), e);
    assertEquals(
        "only the failed hosts were retried; 2 host(s) still wait for the rollout to continue",
        e.message());
    assertEquals(RunEnding.Next.RESUME, e.next());
  }

  @Test
  void aCompleteRollbackEndsRolledBack() {
    RunEnding e =
        Rollout.ending(
            new RunMode.Rollback("aborted by alice"), Optional.empty(), List.of(), 0, 3, "again");
    assertEquals(new RunEnding.RolledBack("aborted by alice", 3), e);
    assertEquals("aborted by alice; rolled back 3 host(s)", e.message());
    assertEquals(RunEnding.Next.NONE, e.next());
  }

  @Test
  void anIncompleteRollbackNamesItsPausedHostsAndTheCommandAgain() {
    RunEnding e =
        Rollout.ending(
            new RunMode.Rollback("aborted by alice"),
            Optional.empty(),
            List.of("nc1: paused at step restore", "nc2: unreachable"),
            0,
            3,
            "orchestrator abort R --rollback");
    assertEquals(
        "aborted by alice; rollback incomplete: nc1: paused at step restore, nc2: unreachable;"
            + " fix the cause, then: orchestrator abort R --rollback",
        e.message());
    assertEquals(RunEnding.Next.RESUME, e.next());
  }

  @Test
  void anIncompleteRollbackWithoutPausedHostsGivesTheRolloutsReason() {
    RunEnding e =
        Rollout.ending(
            new RunMode.Rollback("aborted by bob"),
            Optional.of(new PauseReason.AnyErrorsFatal("rollback", 1, 1)),
            List.of(),
            0,
            3,
            "again");
    assertInstanceOf(RunEnding.RollbackIncomplete.class, e);
    assertEquals(
        "aborted by bob; rollback incomplete: 1 host(s) of stage rollback batch 1 failed and the"
            + " stage has any_errors_fatal; fix the cause, then: again",
        e.message());
  }

  @Test
  void aRollbackNeedsSomeoneWhoAborted() {
    assertThrows(IllegalArgumentException.class, () -> new RunMode.Rollback(" "));
  }
}
