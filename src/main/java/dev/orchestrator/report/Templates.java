package dev.orchestrator.report;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The one template engine of the project's HTML (the run report and the web console's pages):
 * Pebble templates ({@code .peb}) in a folder of the class path, with HTML autoescaping on
 * (Pebble's default, kept explicit) and strict variables. Every value a template prints is escaped
 * for HTML unless the template says otherwise, which none of ours does: host names, step output and
 * messages are attacker-controlled text.
 */
public final class Templates {
  private final PebbleEngine engine;

  /**
   * An engine over the templates in a folder of the class path.
   *
   * @param folder the folder, e.g. {@code report/templates}
   */
  public Templates(String folder) {
    ClasspathLoader loader = new ClasspathLoader(Templates.class.getClassLoader());
    loader.setPrefix(folder);
    loader.setSuffix(".peb");
    this.engine =
        new PebbleEngine.Builder()
            .loader(loader)
            .autoEscaping(true)
            .defaultEscapingStrategy("html")
            .strictVariables(true)
            .build();
  }

  /**
   * Renders a template with a model.
   *
   * @param template the template's name without {@code .peb}
   * @param model the variables it reads
   * @throws UncheckedIOException if the template cannot be read (a bug: they are in the jar)
   */
  public String render(String template, Map<String, Object> model) {
    StringWriter out = new StringWriter();
    try {
      engine.getTemplate(template).evaluate(out, model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
