package dev.orchestrator.web;

import java.util.List;

/**
 * The JSON bodies of the API's actions (README, "Web console", the API table), each a record bound
 * by {@link Inputs#bind}: its fields are the components' names in snake case ({@code no_resume}); a
 * field that is not one of them, or of the wrong type, is a 400 naming it and the accepted ones. An
 * absent field (or {@code null}) takes its default: false, an empty text, an empty list.
 */
final class Bodies {
  private Bodies() {}

  /**
   * {@code POST /api/v1/runs/{id}/approve}.
   *
   * @param comment why, as the record and the report show it (cleaned by {@link Inputs#comment})
   * @param stage the stage whose gate is approved; empty for the one the run waits at
   * @param noResume true to record the approval without continuing the run
   */
  record Approve(String comment, String stage, boolean noResume) {
    Approve {
      comment = comment == null ? "" : comment;
      stage = stage == null ? "" : stage;
    }
  }

  /**
   * {@code POST /api/v1/runs/{id}/reject}.
   *
   * @param comment why, as the record and the report show it (cleaned by {@link Inputs#comment})
   */
  record Reject(String comment) {
    Reject {
      comment = comment == null ? "" : comment;
    }
  }

  /**
   * {@code POST /api/v1/runs/{id}/resume}.
   *
   * @param retryFailed only the failed hosts, and the rollout stays paused afterwards
   * @param decision empty, or {@code skip}, {@code assume_done} or {@code rerun} for {@code step}
   *     on {@code host}
   * @param step the step the decision is about
   * @param host the host the decision is about
   * @param rerunSteps steps to run again where they already succeeded
   */
  record Resume(
      boolean retryFailed, String decision, String step, String host, List<String> rerunSteps) {
    Resume {
      decision = decision == null ? "" : decision;
      step = step == null ? "" : step;
      host = host == null ? "" : host;
      rerunSteps =
          rerunSteps == null
              ? List.of()
              : rerunSteps.stream().map(s -> s == null ? "" : s).toList();
    }
  }

  /**
   * {@code POST /api/v1/runs/{id}/abort}.
   *
   * @param rollback true to run the playbook's rollback steps on every host past its marked step
   */
  record Abort(boolean rollback) {}
}
