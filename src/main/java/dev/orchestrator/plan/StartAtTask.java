package dev.orchestrator.plan;

import dev.orchestrator.common.InputException;
import dev.orchestrator.common.Suggestions;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.playbook.StepScope;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * ansible-playbook's {@code --start-at-task NAME}: the steps before the first one that NAME matches
 * are skipped, in every play before it and in its own. The match rule is ansible-core 2.14's
 * ({@code executor/play_iterator.py}, {@code PlayIterator.__init__}): the step's name, or its
 * {@code ROLE : NAME} form for a role's step ({@code Task.get_name}), equal to NAME or matching it
 * as a shell-style pattern ({@code fnmatch}: {@code *}, {@code ?}, {@code [abc]}, {@code [!abc]},
 * case-sensitive). Handlers are never skipped (they run when notified, as in Ansible). A NAME that
 * matches no step is refused before anything runs (Ansible runs nothing and prints an error).
 */
public final class StartAtTask {
  /** What a skipped step's checkpoint and event say. */
  public static final String REASON = "skipped by --start-at-task";

  private StartAtTask() {}

  /**
   * Returns {@code input} with the ids of the steps its {@code --start-at-task} skips in its
   * options ({@link PlanOptions#startSkips}); as it is without one.
   *
   * @throws InputException when no step matches
   */
  static PlanInput resolve(PlanInput input) {
    Optional<String> name = input.options().startAtTask();
    if (name.isEmpty()) {
      return input;
    }
    return new PlanInput(
        input.playbook(),
        input.inventory(),
        input.extraVars(),
        input.limit(),
        input.runId(),
        input.state(),
        input.options().withStartSkips(skipped(input.playbook(), name.get())));
  }

  /**
   * Returns the ids of the steps {@code --start-at-task pattern} skips: the playbook's steps (every
   * play's) before the first one it matches, handlers aside.
   *
   * @throws InputException when no step matches, naming the nearest names
   */
  public static Set<String> skipped(Playbook playbook, String pattern) {
    Map<String, String> roles = roles(playbook);
    Set<String> skipped = new LinkedHashSet<>();
    List<String> names = new ArrayList<>();
    for (Step step : playbook.steps()) {
      if (step.extras().handler()) {
        continue;
      }
      List<String> forms = names(step, roles);
      if (forms.stream().anyMatch(n -> matches(n, pattern))) {
        return skipped;
      }
      names.addAll(forms);
      skipped.add(step.id());
    }
    List<String> near = Suggestions.near(pattern, names, 3);
    if (near.isEmpty()) {
      near =
          names.stream()
              .distinct()
              .sorted(Comparator.comparingInt((String n) -> Suggestions.distance(n, pattern)))
              .limit(3)
              .toList();
    }
    throw new InputException(
        "--start-at-task '" + pattern + "': no step of " + playbook.file() + " has this name",
        (near.isEmpty()
                ? "the playbook has no named steps"
                : "the nearest: " + String.join(", ", near))
            + "; a role's step also matches as 'ROLE : NAME', and * ? [..] match as in a shell"
            + " (orchestrator validate --list-tasks lists them)");
  }

  /** Whether the plan skips {@code step} for {@code --start-at-task} (a handler never). */
  static boolean skips(Step step, PlanOptions options) {
    return !step.extras().handler() && options.startSkips().contains(step.baseId());
  }

  /**
   * Whether the run records {@code ps} as skipped without looking at it: the plan skipped it for
   * {@code --start-at-task} ({@link #REASON}).
   */
  public static boolean skipped(PlannedStep ps) {
    return ps.prediction() == Prediction.SKIP && REASON.equals(ps.reason());
  }

  /** The names a step matches by: its name, and {@code ROLE : NAME} for a role's step. */
  static List<String> names(Step step, Map<String, String> roles) {
    String role = roles.get(step.id());
    return role == null ? List.of(step.name()) : List.of(step.name(), role + " : " + step.name());
  }

  /** Whether {@code name} equals {@code pattern} or matches it as Python's {@code fnmatch}. */
  static boolean matches(String name, String pattern) {
    return name.equals(pattern) || glob(pattern).matcher(name).matches();
  }

  /** Python's {@code fnmatch.translate}, as a Java pattern: {@code * ? [seq] [!seq]}. */
  static Pattern glob(String pattern) {
    StringBuilder re = new StringBuilder();
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i++);
      if (c == '*') {
        re.append(".*");
      } else if (c == '?') {
        re.append('.');
      } else if (c == '[') {
        int j = i;
        if (j < pattern.length() && pattern.charAt(j) == '!') {
          j++;
        }
        if (j < pattern.length() && pattern.charAt(j) == ']') {
          j++;
        }
        while (j < pattern.length() && pattern.charAt(j) != ']') {
          j++;
        }
        if (j >= pattern.length()) {
          re.append("\\[");
        } else {
          String set = pattern.substring(i, j);
          boolean negated = set.startsWith("!");
          StringBuilder body = new StringBuilder();
          for (char s : (negated ? set.substring(1) : set).toCharArray()) {
            body.append(escapeInSet(s));
          }
          re.append('[').append(negated ? "^" : "").append(body).append(']');
          i = j + 1;
        }
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }

  /** A character of a {@code [..]} set: letters, digits and range dashes as they are. */
  private static String escapeInSet(char c) {
    return Character.isLetterOrDigit(c) || c == '-' ? String.valueOf(c) : "\\" + c;
  }

  /**
   * Step id → the name of the role it belongs to, from every play's scopes (whose ids are the
   * play's own: the playbook's carry the play's prefix, {@code play-2.web.restart-it}).
   */
  private static Map<String, String> roles(Playbook playbook) {
    Map<String, String> roles = new HashMap<>();
    List<Playbook> all = new ArrayList<>(playbook.plays());
    all.add(playbook);
    for (Playbook p : all) {
      for (Map.Entry<String, StepScope> e : p.reuse().scopes().entrySet()) {
        e.getValue().role().ifPresent(r -> roles.putIfAbsent(e.getKey(), r));
      }
    }
    Map<String, String> byStep = new HashMap<>();
    for (Step step : playbook.steps()) {
      roles.entrySet().stream()
          .filter(e -> step.id().equals(e.getKey()) || step.id().endsWith("." + e.getKey()))
          .max(Comparator.comparingInt(e -> e.getKey().length()))
          .ifPresent(e -> byStep.put(step.id(), e.getValue()));
    }
    return byStep;
  }
}
