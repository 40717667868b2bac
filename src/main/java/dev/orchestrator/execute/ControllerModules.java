package dev.orchestrator.execute;

import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.template.TemplateException;
import dev.orchestrator.transport.ExecResult;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The modules that run on the controller and send nothing to the host: {@code debug}, {@code
 * set_fact}, {@code fail}, {@code assert} and {@code pause}, with the arguments and result keys of
 * Ansible's action plugins ({@code lib/ansible/plugins/action/debug.py}, {@code set_fact.py},
 * {@code fail.py}, {@code assert.py}, {@code pause.py} in ansible-core). Their message is the
 * attempt's output (stdout when it succeeded, stderr when it failed), so that it reaches the step's
 * log.
 */
final class ControllerModules {
  private final TemplateEngine templates;
  private final Sleeper sleeper;

  ControllerModules(TemplateEngine templates, Sleeper sleeper) {
    this.templates = templates;
    this.sleeper = sleeper;
  }

  /**
   * {@code debug}: prints {@code msg} (default {@code Hello world!}) or the value of {@code var};
   * with {@code verbosity} above 0 it prints nothing (a run has no {@code -v}), as Ansible does.
   */
  ModuleOutcome debug(ModuleArgs args) {
    long start = System.nanoTime();
    Map<String, Object> fields = new LinkedHashMap<>();
    if (args.number("verbosity", 0) > 0) {
      fields.put("skipped_reason", "Verbosity threshold not met.");
      return ok("", fields, start);
    }
    if (args.has("var")) {
      String var = ModuleArgs.asText(args.raw("var"));
      Object value;
      try {
        value = args.value("{{ " + var + " }}");
      } catch (TemplateException e) {
        value = "VARIABLE IS NOT DEFINED!"; // Ansible's text for an undefined var
      }
      fields.put(var, value);
      return ok(var + ": " + value + "\n", fields, start);
    }
    String msg = args.text("msg").orElse("Hello world!");
    fields.put("msg", msg);
    return ok(msg + "\n", fields, start);
  }

  /** {@code set_fact}: the rendered values, under {@code ansible_facts}. */
  ModuleOutcome setFact(ModuleArgs args) {
    long start = System.nanoTime();
    Map<String, Object> facts = new LinkedHashMap<>();
    for (String name : args.names()) {
      facts.put(name, args.rendered(name).orElse(null));
    }
    StringBuilder out = new StringBuilder();
    facts.keySet().forEach(k -> out.append("set ").append(k).append('\n'));
    return ok(out.toString(), Map.of("ansible_facts", facts), start);
  }

  /** {@code fail}: fails with {@code msg}. */
  ModuleOutcome fail(ModuleArgs args) {
    long start = System.nanoTime();
    String msg = args.text("msg").orElse("Failed as requested from task");
    return failed(msg, Map.of("msg", msg), start);
  }

  /**
   * {@code assert}: evaluates each condition of {@code that} in order; the first that is false
   * fails the step with {@code fail_msg} (default {@code Assertion failed}), naming it in {@code
   * assertion}.
   */
  ModuleOutcome assertThat(ModuleArgs args, Map<String, Object> vars) {
    long start = System.nanoTime();
    @SuppressWarnings("unchecked")
    List<String> that = (List<String>) args.raw("that");
    for (String condition : that) {
      boolean holds;
      try {
        holds = templates.evaluate(condition, vars);
      } catch (TemplateException e) {
        String msg =
            "The conditional check '" + condition + "' failed. The error was: " + e.getMessage();
        return failed(msg, Map.of("msg", msg), start);
      }
      if (!holds) {
        String msg = args.text("fail_msg").orElse("Assertion failed");
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("assertion", condition);
        fields.put("evaluated_to", false);
        fields.put("msg", msg);
        return failed(msg + " (" + condition + ")", fields, start);
      }
    }
    String msg = args.text("success_msg").orElse("All assertions passed");
    return ok(args.flag("quiet", false) ? "" : msg + "\n", Map.of("msg", msg), start);
  }

  /** {@code pause}: waits {@code seconds} or {@code minutes} on the controller. */
  ModuleOutcome pause(ModuleArgs args) {
    long start = System.nanoTime();
    Duration wait =
        args.has("minutes")
            ? Duration.ofMinutes(args.number("minutes", 0))
            : Duration.ofSeconds(args.number("seconds", 0));
    String prompt = args.text("prompt").map(p -> p + "\n").orElse("");
    Instant began = Instant.now();
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed("interrupted while paused", Map.of("msg", "interrupted"), start);
    }
    Instant ended = Instant.now();
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("start", began.toString());
    fields.put("stop", ended.toString());
    fields.put("delta", Duration.between(began, ended).toSeconds());
    fields.put("echo", true);
    fields.put("user_input", "");
    String out = "Paused for " + wait.toSeconds() + " seconds";
    fields.put("stdout", out);
    return ok(prompt + out + "\n", fields, start);
  }

  private static ModuleOutcome ok(String stdout, Map<String, Object> fields, long start) {
    return new ModuleOutcome(
        new ExecResult(0, stdout, "", Duration.ofNanos(System.nanoTime() - start), false), fields);
  }

  private static ModuleOutcome failed(String message, Map<String, Object> fields, long start) {
    return new ModuleOutcome(
        new ExecResult(1, "", message + "\n", Duration.ofNanos(System.nanoTime() - start), false),
        fields);
  }
}
