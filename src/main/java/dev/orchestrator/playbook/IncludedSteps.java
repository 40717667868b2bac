package dev.orchestrator.playbook;

import dev.orchestrator.common.InputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Steps as a role or an include brings them in ({@link StepFiles}): the id with its prefix, the
 * include's and role's conditions joined to the step's own ({@code (a) and (b)}), their tags added
 * to the step's; and the check that ids stay unique once prefixed.
 */
final class IncludedSteps {
  private IncludedSteps() {}

  /**
   * Checks that the steps' ids (with their prefixes) are unique, also against {@code others}.
   *
   * @throws InputException at the second step with an id
   */
  static void checkUnique(List<Step> steps, List<Step> others) {
    Map<String, Step> seen = new LinkedHashMap<>();
    others.forEach(s -> seen.put(s.id(), s));
    for (Step s : steps) {
      Step first = seen.putIfAbsent(s.id(), s);
      if (first != null) {
        throw new InputException(
            s.location(),
            "duplicate step id '" + s.id() + "' (first at " + first.location() + ")",
            "step ids are checkpoint keys and must be unique across roles, step files, 'steps'"
                + " and 'rollback': rename one, or give an include an 'id:' that prefixes its"
                + " steps' ids");
      }
    }
  }

  /**
   * Returns the step with a new id, the conditions before its own and the tags after its own.
   *
   * @throws InputException when the id is longer than {@link Step#MAX_FULL_ID}
   */
  static Step rewrite(Step s, String id, List<String> whens, List<String> tags) {
    if (!Step.FULL_ID.matcher(id).matches()) {
      throw new InputException(
          s.location(),
          "step id '" + id + "' is longer than " + Step.MAX_FULL_ID + " characters with its prefix",
          "shorten the step's id, the role's name or the include's id");
    }
    Optional<String> when = s.when();
    if (!whens.isEmpty()) {
      List<String> all = new ArrayList<>(whens);
      s.when().ifPresent(all::add);
      when = Optional.of(Conditions.join(all));
    }
    Set<String> allTags = new LinkedHashSet<>(s.traits().tags());
    allTags.addAll(tags);
    StepTraits t = s.traits();
    StepTraits traits =
        new StepTraits(
            List.copyOf(allTags),
            t.deferred(),
            t.expensive(),
            t.rollbackFrom(),
            t.check(),
            t.upload(),
            t.idempotent(),
            t.detached(),
            t.changedWhen());
    return new Step(
        id,
        s.name(),
        s.shell(),
        when,
        s.creates(),
        s.timeout(),
        s.retries(),
        s.delay(),
        s.register(),
        s.become(),
        s.becomeUser(),
        s.environment(),
        traits,
        s.extras(),
        s.location());
  }
}
