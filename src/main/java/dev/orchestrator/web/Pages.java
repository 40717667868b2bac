package dev.orchestrator.web;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Renders the console's pages from the Pebble templates in {@code web/templates/} on the class
 * path, with HTML autoescaping on (Pebble's default, kept explicit): every value a template prints
 * is escaped for HTML unless a template says otherwise, which none of ours does. Host names, step
 * output and messages are attacker-controlled text.
 */
final class Pages {
  private final PebbleEngine engine;

  Pages() {
    ClasspathLoader loader = new ClasspathLoader(Pages.class.getClassLoader());
    loader.setPrefix("web/templates");
    loader.setSuffix(".peb");
    this.engine =
        new PebbleEngine.Builder()
            .loader(loader)
            .autoEscaping(true)
            .defaultEscapingStrategy("html")
            .strictVariables(true)
            .build();
  }

  /** Renders a template with a model. */
  String render(String template, Map<String, Object> model) {
    StringWriter out = new StringWriter();
    try {
      engine.getTemplate(template).evaluate(out, model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
