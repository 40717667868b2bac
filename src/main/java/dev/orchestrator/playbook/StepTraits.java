package dev.orchestrator.playbook;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A step's lifecycle and selection traits (Nextcloud's repair-step lifecycles, generalised).
 *
 * @param tags the step's tags, for {@code --tags}/{@code --skip-tags}; {@code always} runs unless
 *     skipped by name, {@code never} runs only when asked for by name (Ansible's special tags)
 * @param deferred runs after the host's pipeline and the following gates, without holding the
 *     rollout (Nextcloud's live-migration steps)
 * @param expensive runs only with {@code --include-expensive} (Nextcloud's {@code
 *     maintenance:repair --include-expensive})
 * @param rollbackFrom hosts that got past this step (it succeeded) need the rollback steps on
 *     {@code abort --rollback}
 * @param check a read-only probe command that {@code plan --check} runs in place of the step to
 *     learn its registered value; empty when the step has none
 * @param upload for an upload step: the artifact id and the destination path (a template) on the
 *     host; empty for a shell step
 * @param idempotent running the step twice does no harm: when its outcome is unknown (the
 *     controller died while it ran) it simply runs again
 * @param detached the command runs detached on the host ({@code setsid}), its exit code and output
 *     recorded under {@code ~/.orchestrator/runs/RUN/HOST/}, so that a dropped connection or a dead
 *     controller does not stop it and resume re-attaches to it
 * @param changedWhen Ansible's {@code changed_when}: a condition, evaluated after the step
 *     succeeded (its {@code register} variable set), that says whether it changed the host; empty
 *     means it did, as Ansible assumes of {@code shell}. Only the recap's ok/changed counts use it
 */
public record StepTraits(
    List<String> tags,
    boolean deferred,
    boolean expensive,
    boolean rollbackFrom,
    Optional<String> check,
    Optional<Upload> upload,
    boolean idempotent,
    boolean detached,
    Optional<String> changedWhen) {
  /** No tags, runs in the pipeline, not expensive, no rollback mark, no probe. */
  public static final StepTraits NONE =
      new StepTraits(
          List.of(),
          false,
          false,
          false,
          Optional.empty(),
          Optional.empty(),
          false,
          false,
          Optional.empty());

  /**
   * An upload step's target.
   *
   * @param artifact the artifact id
   * @param dest the path on the host (a template)
   */
  public record Upload(String artifact, String dest) {}

  /** Traits of a shell step. */
  public StepTraits(
      List<String> tags,
      boolean deferred,
      boolean expensive,
      boolean rollbackFrom,
      Optional<String> check) {
    this(
        tags,
        deferred,
        expensive,
        rollbackFrom,
        check,
        Optional.empty(),
        false,
        false,
        Optional.empty());
  }

  /** Validates the fields. */
  public StepTraits {
    tags = List.copyOf(tags);
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(upload, "upload");
    Objects.requireNonNull(changedWhen, "changedWhen");
  }

  /**
   * Returns whether a step with these tags is selected, as Ansible decides.
   *
   * @param only the {@code --tags} values; empty means every step except {@code never}
   * @param skip the {@code --skip-tags} values
   */
  public boolean selected(List<String> only, List<String> skip) {
    if (tags.stream().anyMatch(skip::contains)) {
      return false;
    }
    if (tags.contains("never")) {
      return tags.stream().anyMatch(only::contains);
    }
    if (only.isEmpty() || only.contains("all")) {
      return true;
    }
    return tags.contains("always") || tags.stream().anyMatch(only::contains);
  }
}
