package dev.orchestrator.app;

import dev.orchestrator.common.InputException;
import dev.orchestrator.common.SourceLocation;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An {@code ansible.cfg} read as Ansible reads it: Python's {@code configparser} with {@code
 * inline_comment_prefixes=(';',)} ({@code lib/ansible/config/manager.py}). Sections {@code [name]};
 * {@code key = value} or {@code key: value}, keys in lower case; whole-line comments starting with
 * {@code #} or {@code ;}; an inline comment is {@code ;} after white space; an indented line
 * continues the value above it. A key outside a section, a line that is neither, a section or key
 * given twice: malformed, as {@code configparser}'s strict mode says.
 */
final class AnsibleIni {
  /**
   * One value and where it was read.
   *
   * @param value the value, inline comment and surrounding white space removed
   * @param at its file and line
   */
  record Entry(String value, SourceLocation at) {
    Entry {
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(at, "at");
    }
  }

  private AnsibleIni() {}

  /**
   * Parses a configuration file's text.
   *
   * @param file the file, for messages
   * @param text its content
   * @return section → key → entry, in file order
   * @throws InputException naming {@code file:line} for a malformed line
   */
  static Map<String, Map<String, Entry>> parse(Path file, String text) {
    Map<String, Map<String, Entry>> sections = new LinkedHashMap<>();
    Map<String, Entry> current = null;
    String lastKey = null;
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      SourceLocation at = new SourceLocation(file, i + 1, 1);
      String raw = lines[i];
      String stripped = raw.strip();
      if (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith(";")) {
        lastKey = stripped.isEmpty() ? null : lastKey;
        continue;
      }
      boolean indented = Character.isWhitespace(raw.charAt(0));
      if (indented && current != null && lastKey != null) {
        Entry before = current.get(lastKey);
        String more = withoutComment(stripped);
        current.put(lastKey, new Entry((before.value() + "\n" + more).strip(), before.at()));
        continue;
      }
      if (stripped.startsWith("[")) {
        if (!stripped.endsWith("]") || stripped.length() < 3) {
          throw malformed(at, "'" + stripped + "' is not a section header", "write [defaults]");
        }
        String name = stripped.substring(1, stripped.length() - 1).strip();
        if (sections.containsKey(name)) {
          throw malformed(at, "section [" + name + "] is given twice", "merge the two sections");
        }
        current = new LinkedHashMap<>();
        sections.put(name, current);
        lastKey = null;
        continue;
      }
      int sep = separator(stripped);
      if (sep <= 0) {
        throw malformed(at, "'" + stripped + "' is not 'key = value'", "write key = value");
      }
      if (current == null) {
        throw malformed(
            at, "'" + stripped + "' comes before any section", "put [defaults] above it");
      }
      String key = stripped.substring(0, sep).strip().toLowerCase(Locale.ROOT);
      if (current.containsKey(key)) {
        throw malformed(
            at,
            "'"
                + key
                + "' is given twice in its section (first on line "
                + current.get(key).at().line()
                + ")",
            "keep one of them");
      }
      current.put(key, new Entry(withoutComment(stripped.substring(sep + 1)).strip(), at));
      lastKey = key;
    }
    return sections;
  }

  private static int separator(String line) {
    int eq = line.indexOf('=');
    int colon = line.indexOf(':');
    if (eq < 0) {
      return colon;
    }
    return colon < 0 ? eq : Math.min(eq, colon);
  }

  private static String withoutComment(String value) {
    for (int i = 1; i < value.length(); i++) {
      if (value.charAt(i) == ';' && Character.isWhitespace(value.charAt(i - 1))) {
        return value.substring(0, i);
      }
    }
    return value;
  }

  private static InputException malformed(SourceLocation at, String what, String hint) {
    return new InputException(at, "ansible.cfg: " + what, hint);
  }
}
