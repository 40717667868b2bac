package dev.orchestrator.plan;

import dev.orchestrator.common.InputException;
import dev.orchestrator.inventory.Host;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.template.TemplateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A playbook's {@code hops}: the pipeline repeated once per value (e.g. each major version on an
 * upgrade path), each repetition's steps with their own ids ({@link Step#forHop}) and the hop's
 * variables ({@code hops.var}, {@code hop_index}, {@code hop_count}, {@code hop_last}).
 */
final class Hops {
  private static final Pattern SINGLE_VARIABLE =
      Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

  private final TemplateEngine templates;

  /** Renders hop values with the run's template engine (its errors mask the run's secrets). */
  Hops(TemplateEngine templates) {
    this.templates = templates;
  }

  /**
   * One step of a host's pipeline, with the variables it runs with on top of the host's.
   *
   * @param step the step (with its hop's id when the playbook has hops)
   * @param overrides the hop's variables, empty without hops
   */
  record Instance(Step step, Map<String, Object> overrides) {}

  /**
   * Returns a host's pipeline: the playbook's steps once or, when its {@code hops} give this host
   * values, once per value.
   *
   * @param vars the host's variables, which the hop values are rendered with
   * @throws InputException when the hop values cannot be rendered or are not plain versions or
   *     names
   */
  List<Instance> instances(Playbook playbook, Map<String, Object> vars, Host host) {
    List<Step> steps = playbook.steps();
    List<String> hops = values(playbook, vars, host);
    List<Instance> instances = new ArrayList<>();
    if (hops.isEmpty()) {
      steps.forEach(s -> instances.add(new Instance(s, Map.of())));
    } else {
      for (int i = 0; i < hops.size(); i++) {
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put(playbook.hops().orElseThrow().var(), hops.get(i));
        overrides.put("hop_index", i + 1);
        overrides.put("hop_count", hops.size());
        overrides.put("hop_last", i == hops.size() - 1);
        for (Step s : steps) {
          instances.add(new Instance(s.forHop(hops.get(i)), overrides));
        }
      }
    }
    return instances;
  }

  /**
   * Returns a host's hop values: each entry of {@code hops.values} is a template naming a list
   * variable, or text of values separated by commas or spaces. Rendered with the planner's engine,
   * so its errors mask the run's secrets as every template error does (issue 22).
   */
  private List<String> values(Playbook playbook, Map<String, Object> vars, Host host) {
    if (playbook.hops().isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String v : playbook.hops().get().values()) {
      Matcher m = SINGLE_VARIABLE.matcher(v.trim());
      if (m.matches() && vars.get(m.group(1)) instanceof List<?> list) {
        list.forEach(x -> out.add(String.valueOf(x)));
        continue;
      }
      String rendered;
      try {
        rendered = templates.render(v, vars).trim();
      } catch (TemplateException e) {
        throw new InputException(
            playbook.file() + ": hops.values on host '" + host.name() + "': " + e.getMessage(),
            "define the list, e.g. upgrade_path: [\"27.1.12\", \"28.0.14\"], or -e upgrade_path=27.1.12,28.0.14");
      }
      for (String part : rendered.replaceAll("[\\[\\]'\"]", " ").split("[,\\s]+")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    }
    for (String h : out) {
      if (!h.matches("[A-Za-z0-9_.-]{1,64}")) {
        throw new InputException(
            playbook.file()
                + ": hop value '"
                + h
                + "' on host '"
                + host.name()
                + "' is not a plain version or name",
            "use values such as 28.0.14");
      }
    }
    return out;
  }
}
