package dev.orchestrator.web;

import dev.orchestrator.report.Templates;
import java.util.Map;

/**
 * Renders the console's pages from the Pebble templates in {@code web/templates/} on the class
 * path, with the engine the run report is rendered with ({@link Templates}: HTML autoescaping on).
 * Host names, step output and messages are attacker-controlled text.
 */
final class Pages {
  private final Templates templates = new Templates("web/templates");

  /** Renders a template with a model. */
  String render(String template, Map<String, Object> model) {
    return templates.render(template, model);
  }
}
