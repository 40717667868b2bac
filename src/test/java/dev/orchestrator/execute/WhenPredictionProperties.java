package dev.orchestrator.execute;

import dev.orchestrator.common.InputException;
import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlanInputs;
import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.plan.PlannedStep;
import dev.orchestrator.plan.Planner;
import dev.orchestrator.plan.Prediction;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.template.RegisteredResult;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.template.TemplateException;
import dev.orchestrator.transport.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Plan = run for {@code when:}: for generated conditions over a registered result and plain vars,
 * and the result the run actually registers, the real planner's prediction is either "decided at
 * run time" or exactly what the run's evaluation ({@link TemplateEngine#evaluate}, which {@link
 * StepRunner} calls) decides; a condition the planner refuses fails at run time too.
 */
class WhenPredictionProperties {
  private static final List<String> ATOMS =
      List.of(
          "r is defined",
          "r is undefined",
          "r is not defined",
          "r.stdout == '7'",
          "r.stdout != '7'",
          "r.rc == 0",
          "r.changed",
          "r.skipped",
          "not r.failed",
          "'7' in r.stdout",
          "r.stdout in ['7', 'x']",
          "r.stdout | length > 0",
          "r.stdout_lines | length == 1",
          "r.stderr_lines | length == 0",
          "r.stdout | default('x') == 'x'",
          "r.stdout | version_compare('28.0.0') >= 0",
          "r.stdout is defined",
          "r.stdout.startswith('7')",
          "v == 'a'",
          "v | default('b') == 'b'",
          "u is defined",
          "u | default('z') == 'z'",
          "x | int > 3",
          "flag",
          "v in ['a', 'c']");

  @Provide
  Arbitrary<String> conditions() {
    Arbitrary<String> atom = Arbitraries.of(ATOMS);
    return Arbitraries.recursive(
        () -> atom,
        inner ->
            Arbitraries.oneOf(
                atom,
                inner.map(e -> "not (" + e + ")"),
                Combinators.combine(inner, inner, Arbitraries.of(" and ", " or "))
                    .as((a, b, op) -> "(" + a + ")" + op + "(" + b + ")")),
        0,
        3);
  }

  @Property(tries = 250)
  void thePlansPredictionIsWhatTheRunDecides(
      @ForAll("conditions") String when,
      @ForAll boolean firstStepSkipped,
      @ForAll("outputs") String stdout,
      @ForAll boolean flag,
      @ForAll("letters") String v,
      @ForAll("numbers") String x)
      throws IOException {
    // given a step that registers r (or is skipped) and a step with a generated when:
    Path dir = Files.createTempDirectory("when");
    try {
      Files.writeString(dir.resolve("inv.yml"), "all: {hosts: {h1: }}\n");
      Files.writeString(
          dir.resolve("pb.yml"),
          "steps:\n"
              + "  - {id: a, shell: 'echo 7', register: r"
              + (firstStepSkipped ? ", when: \"not flag0\"" : "")
              + "}\n"
              + "  - id: b\n    shell: echo b\n    when: \""
              + when.replace("\"", "\\\"")
              + "\"\n");
      Map<String, Object> vars = Map.of("flag", flag, "v", v, "x", x, "flag0", true);
      Playbook pb = new PlaybookLoader().load(dir.resolve("pb.yml"));
      Inventory inv = InventoryLoader.load(dir.resolve("inv.yml"));
      TemplateEngine engine = new TemplateEngine();

      // when the real planner predicts it
      Optional<PlannedStep> predicted;
      PlannedHost host = null;
      try {
        Plan plan = new Planner(engine).plan(PlanInputs.of(pb, inv).vars(vars).build());
        host = plan.hosts().findFirst().orElseThrow();
        predicted = Optional.of(host.steps().get(1));
      } catch (InputException refused) {
        predicted = Optional.empty();
      }

      // and the run evaluates it with what step a registered
      Map<String, Object> runVars = new HashMap<>(vars);
      if (host != null) {
        runVars.putAll(host.vars());
      }
      Map<String, Object> registered =
          firstStepSkipped
              ? RegisteredResult.skipped()
              : StepAttempt.registered(
                  new ExecResult(0, stdout, "", Duration.ofMillis(5), false), 1);
      runVars.put("r", registered);
      Optional<Boolean> decided;
      try {
        decided = Optional.of(engine.evaluate(when, runVars));
      } catch (TemplateException e) {
        decided = Optional.empty();
      }

      // then they agree, or the plan left it to the run
      Prediction p = predicted.map(PlannedStep::prediction).orElse(null);
      Statistics.label("plan").collect(p == null ? "refused" : p.toString());
      String what =
          when + " | r=" + registered + " vars=" + vars + " plan=" + p + " run=" + decided;
      if (predicted.isEmpty()) {
        assert decided.isEmpty() : "plan refused what the run evaluates: " + what;
      } else if (p == Prediction.SKIP) {
        assert decided.equals(Optional.of(false)) : what;
      } else if (p == Prediction.RUN) {
        assert decided.equals(Optional.of(true)) : what;
      } else {
        assert p == Prediction.DECIDED_AT_RUN_TIME : what;
      }
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  @Provide
  Arbitrary<String> outputs() {
    return Arbitraries.of("7", "", "28.0.1", "a b", "7\n8");
  }

  @Provide
  Arbitrary<String> letters() {
    return Arbitraries.of("a", "b", "c");
  }

  @Provide
  Arbitrary<String> numbers() {
    return Arbitraries.of("2", "5");
  }
}
