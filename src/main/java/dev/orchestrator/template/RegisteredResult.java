package dev.orchestrator.template;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a step's {@code register} variable holds, with the fields of Ansible's results: {@code rc},
 * {@code stdout}, {@code stderr}, {@code stdout_lines}, {@code stderr_lines}, {@code changed},
 * {@code failed} and {@code skipped}. A skipped step registers one too ({@link #skipped}), as
 * Ansible's does; before the run, planning and validation use {@link #unknown}, of the same shape.
 */
public final class RegisteredResult {
  /** The fields of every registered result, with the class of each value. */
  public static final Map<String, Class<?>> FIELDS = fields();

  private RegisteredResult() {}

  private static Map<String, Class<?>> fields() {
    Map<String, Class<?>> f = new LinkedHashMap<>();
    f.put("rc", Integer.class);
    f.put("stdout", String.class);
    f.put("stderr", String.class);
    f.put("stdout_lines", List.class);
    f.put("stderr_lines", List.class);
    f.put("changed", Boolean.class);
    f.put("failed", Boolean.class);
    f.put("skipped", Boolean.class);
    return java.util.Collections.unmodifiableMap(f);
  }

  /** Returns the result a skipped step registers: nothing ran, nothing changed. */
  public static Map<String, Object> skipped() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("rc", 0);
    r.put("stdout", "");
    r.put("stderr", "");
    r.put("stdout_lines", List.of());
    r.put("stderr_lines", List.of());
    r.put("changed", false);
    r.put("failed", false);
    r.put("skipped", true);
    return r;
  }

  /**
   * Returns a result of the shape a step will register as {@code name}, whose every field is known
   * at run time only: templates can be checked against it ({@code name.stdot} is an error) while
   * what they decide stays for the run ({@link TemplateException#knownAtRunTime()}).
   */
  public static Map<String, Object> unknown(String name) {
    Map<String, Object> r = new LinkedHashMap<>();
    FIELDS.forEach(
        (field, type) -> r.put(field, Undefined.knownAtRunTime(name + "." + field, type)));
    return java.util.Collections.unmodifiableMap(r);
  }
}
