package dev.orchestrator.execute;

import dev.orchestrator.plan.PlannedHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Plan = run = Ansible's linear strategy for {@code set_fact} and {@code when:}: random sequences
 * of {@code set_fact} steps (some registered) over a few variables, each with a random {@code
 * when:} over those variables and the registered results, run by the real planner and {@link
 * HostPipeline}, against a reference model of Ansible's semantics (each task, in order, sees the
 * play vars with what the tasks before it set and registered; a skipped task sets nothing and
 * registers a skipped result). Every step runs or is skipped as the model says, and the plan's
 * {@code run}/{@code skip} is what the run does.
 */
class FactOrderProperties {
  /** A condition: its Jinja text and the model's evaluation. */
  record Cond(String text, Predicate<Map<String, Object>> holds) {}

  /** One step: {@code set_fact: {name: value}}, maybe a when, maybe {@code register: rN}. */
  record FactStep(String name, String value, Optional<Cond> when, boolean registers) {}

  private static final List<String> NAMES = List.of("a", "b", "c");
  private static final List<String> VALUES = List.of("x", "y");

  @Provide
  Arbitrary<List<FactStep>> sequences() {
    Arbitrary<FactStep> step =
        Combinators.combine(
                Arbitraries.of(NAMES),
                Arbitraries.of(VALUES),
                conditions().optional(0.8),
                Arbitraries.of(true, false))
            .as(FactStep::new);
    return step.list().ofMinSize(1).ofMaxSize(6);
  }

  private static Arbitrary<Cond> atoms() {
    Arbitrary<Cond> equals =
        Combinators.combine(Arbitraries.of(NAMES), Arbitraries.of(VALUES))
            .as(
                (n, v) ->
                    new Cond(
                        n + " | default('n') == '" + v + "'",
                        m -> v.equals(m.getOrDefault(n, "n"))));
    Arbitrary<Cond> defined =
        Arbitraries.of(NAMES).map(n -> new Cond(n + " is defined", m -> m.containsKey(n)));
    Arbitrary<Cond> registered =
        Arbitraries.integers()
            .between(0, 5)
            .map(i -> new Cond("r" + i + " is defined", m -> m.containsKey("r" + i)));
    Arbitrary<Cond> skipped =
        Arbitraries.integers()
            .between(0, 5)
            .map(
                i ->
                    new Cond(
                        "r" + i + " is defined and r" + i + " is skipped",
                        m -> "skipped".equals(m.get("r" + i))));
    return Arbitraries.oneOf(equals, defined, registered, skipped);
  }

  private static Arbitrary<Cond> conditions() {
    return Arbitraries.recursive(
        FactOrderProperties::atoms,
        inner ->
            Arbitraries.oneOf(
                inner.map(c -> new Cond("not (" + c.text() + ")", c.holds().negate())),
                Combinators.combine(inner, inner, Arbitraries.of(true, false))
                    .as(
                        (l, r, and) ->
                            new Cond(
                                "("
                                    + l.text()
                                    + ")"
                                    + (and ? " and " : " or ")
                                    + "("
                                    + r.text()
                                    + ")",
                                and ? l.holds().and(r.holds()) : l.holds().or(r.holds())))),
        0,
        2);
  }

  @Property(tries = 60)
  void eachStepRunsAsAnsiblesLinearStrategyDecides(
      @ForAll("sequences") List<FactStep> steps, @ForAll @Size(max = 2) List<Boolean> playVars)
      throws IOException {
    // given play vars (a: x, b: y, some of them) and the steps
    Map<String, Object> model = new HashMap<>();
    StringBuilder pb = new StringBuilder("hosts: all\nvars: {");
    for (int i = 0; i < playVars.size(); i++) {
      String v = playVars.get(i) ? "x" : "y";
      model.put(NAMES.get(i), v);
      pb.append(i == 0 ? "" : ", ").append(NAMES.get(i)).append(": ").append(v);
    }
    pb.append("}\nsteps:\n");
    Map<String, String> expected = new HashMap<>();
    for (int i = 0; i < steps.size(); i++) {
      FactStep s = steps.get(i);
      pb.append("  - {id: s")
          .append(i)
          .append(", set_fact: {")
          .append(s.name())
          .append(": ")
          .append(s.value())
          .append("}");
      s.when().ifPresent(w -> pb.append(", when: \"").append(w.text()).append("\""));
      if (s.registers()) {
        pb.append(", register: r").append(i);
      }
      pb.append("}\n");
      // the model: Ansible's linear strategy
      boolean runs = s.when().map(w -> w.holds().test(model)).orElse(true);
      expected.put("s" + i, runs ? "SUCCEEDED" : "SKIPPED");
      if (runs) {
        model.put(s.name(), s.value());
      }
      if (s.registers()) {
        model.put("r" + i, runs ? "ran" : "skipped");
      }
    }
    Path dir = Files.createTempDirectory("facts");
    try (ControllerRun host = new ControllerRun(dir)) {
      // when the real planner plans them and the pipeline runs them
      PlannedHost planned = host.plan(pb.toString());
      Map<String, String> predicted = ControllerRun.predicted(planned);
      host.run(planned);
      Map<String, String> ended = host.ended();

      // then each step ended as the model says, and the plan said so where it decided
      String what = pb + "\nexpected " + expected + "\nran " + ended + "\nplan " + predicted;
      assert ended.equals(expected) : what;
      for (Map.Entry<String, String> e : predicted.entrySet()) {
        String run = expected.get(e.getKey());
        switch (e.getValue()) {
          case "RUN" -> {
            assert run.equals("SUCCEEDED") : what;
          }
          case "SKIP" -> {
            assert run.equals("SKIPPED") : what;
          }
          default -> {
            assert e.getValue().equals("DECIDED_AT_RUN_TIME") : what;
          }
        }
      }
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
