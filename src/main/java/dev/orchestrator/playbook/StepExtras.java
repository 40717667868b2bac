package dev.orchestrator.playbook;

import java.util.List;
import java.util.Objects;

/**
 * What a step has of Ansible's task keywords beyond a shell command and its policies ({@link Step},
 * {@link StepTraits}): loops, handlers, delegation, modules and the like, each with Ansible's name
 * and semantics (issue 24; README "Playbook reference"). A step that uses none of them has {@link
 * #NONE}, and its {@link Step#definitionHash()} is what it was before these keywords existed, so
 * that runs started by earlier versions still resume.
 *
 * @param notifies the handler names or {@code listen} topics this step notifies when it changes the
 *     host (Ansible's {@code notify}); empty when none
 * @param file the step's {@code template:} or {@code copy:} module (a file written on the host;
 *     {@link FileModule}), empty when it has none
 */
public record StepExtras(List<String> notifies, java.util.Optional<FileModule> file) {
  /** A step that uses none of these keywords. */
  public static final StepExtras NONE = new StepExtras(List.of(), java.util.Optional.empty());

  /** Validates the fields. */
  public StepExtras {
    notifies = List.copyOf(Objects.requireNonNull(notifies, "notifies"));
    Objects.requireNonNull(file, "file");
  }

  /** Returns a copy with this {@code template:} or {@code copy:} module. */
  public StepExtras withFile(FileModule module) {
    return new StepExtras(notifies, java.util.Optional.of(module));
  }

  /**
   * Returns what these keywords add to the step's definition hash: empty for {@link #NONE}, so that
   * the hash of a step without them does not change.
   */
  public String canonical() {
    if (equals(NONE)) {
      return "";
    }
    return "\u0000extras\u0000"
        + notifies
        + file.map(f -> "\u0000file\u0000" + f.canonical()).orElse("");
  }
}
