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

  /**
   * Returns the result a skipped step registers: nothing ran, nothing changed. The one definition
   * of it: the executor (a false {@code when}, an existing {@code creates}), the prober, the
   * planner and an operator's {@code resume --skip} all register this.
   */
  public static Map<String, Object> skipped() {
    return nothingSeen(false, true);
  }

  /**
   * Returns the result a step registers that the operator declared done without its output ({@code
   * resume --assume-done}): exit code 0, no output seen, changed (its effect is unknown, and a
   * shell step changes the host unless told otherwise), neither failed nor skipped.
   */
  public static Map<String, Object> assumedDone() {
    return nothingSeen(true, false);
  }

  private static Map<String, Object> nothingSeen(boolean changed, boolean skipped) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("rc", 0);
    r.put("stdout", "");
    r.put("stderr", "");
    r.put("stdout_lines", List.of());
    r.put("stderr_lines", List.of());
    r.put("changed", changed);
    r.put("failed", false);
    r.put("skipped", skipped);
    return r;
  }

  /**
   * The fields a {@code template:} or {@code copy:} step registers besides {@link #FIELDS}, as
   * Ansible's copy module returns them (<a
   * href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/copy_module.html#return-values">return
   * values</a>); {@code backup_file} only when a backup was made, {@code src} only with a source.
   */
  public static final Map<String, Class<?>> FILE_FIELDS = fileFields();

  private static Map<String, Class<?>> fileFields() {
    Map<String, Class<?>> f = new LinkedHashMap<>();
    for (String text :
        List.of("dest", "state", "checksum", "md5sum", "mode", "owner", "group", "src")) {
      f.put(text, String.class);
    }
    f.put("uid", Integer.class);
    f.put("gid", Integer.class);
    f.put("size", Long.class);
    f.put("backup_file", String.class);
    return java.util.Collections.unmodifiableMap(f);
  }

  /**
   * Returns a result of the shape a {@code template:} or {@code copy:} step will register as {@code
   * name}: {@link #unknown} with the {@link #FILE_FIELDS}.
   */
  public static Map<String, Object> unknownFile(String name) {
    Map<String, Object> r = new LinkedHashMap<>(unknown(name));
    FILE_FIELDS.forEach(
        (field, type) -> r.put(field, Undefined.knownAtRunTime(name + "." + field, type)));
    return java.util.Collections.unmodifiableMap(r);
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

  /**
   * Returns a result like {@link #unknown(String)} with {@code more} fields too: the result keys a
   * module adds ({@code status}, {@code json}, {@code msg}, ...), each known at run time only.
   */
  public static Map<String, Object> unknown(String name, Map<String, Class<?>> more) {
    Map<String, Object> r = new LinkedHashMap<>(unknown(name));
    more.forEach((field, type) -> r.put(field, Undefined.knownAtRunTime(name + "." + field, type)));
    return java.util.Collections.unmodifiableMap(r);
  }

  /** Returns a value that is defined but known at run time only (a fact a step will set). */
  public static Object unknownValue(String name) {
    return Undefined.knownAtRunTime(name, Object.class);
  }
}
