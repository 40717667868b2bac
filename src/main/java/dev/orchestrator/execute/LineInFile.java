package dev.orchestrator.execute;

import dev.orchestrator.template.PythonPattern;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * Ansible's {@code lineinfile} computed on the controller, as ansible-core 2.14's {@code
 * lib/ansible/modules/lineinfile.py} ({@code present} and {@code absent}) does on the host: on the
 * file's bytes split after each {@code \n}, with Python's bytes patterns ({@link PythonPattern} in
 * bytes mode), the same search for {@code regexp}/{@code search_string}, exact line and {@code
 * insertafter}/{@code insertbefore} match, the same insertion rules (a missing final newline is
 * added before an appended line) and the same {@code msg}: {@code line added}, {@code line
 * replaced}, {@code N line(s) removed}. Every text is ISO-8859-1 text of the bytes ({@link
 * PythonPattern#latin1}).
 *
 * @param state {@code present} or {@code absent}
 * @param regexp the {@code regexp}, if any
 * @param searchString the {@code search_string}, if any
 * @param line the {@code line}, if any
 * @param insertAfter {@code insertafter} (a pattern, or {@code EOF}/{@code BOF})
 * @param insertBefore {@code insertbefore} (a pattern, or {@code BOF})
 * @param backrefs whether {@code line} is expanded with the regexp's groups
 * @param create whether a missing file is created
 * @param firstMatch whether the first match counts rather than the last
 */
record LineInFile(
    String state,
    Optional<String> regexp,
    Optional<String> searchString,
    Optional<String> line,
    Optional<String> insertAfter,
    Optional<String> insertBefore,
    boolean backrefs,
    boolean create,
    boolean firstMatch) {
  /** Validates the combination as the module's argument checks do. */
  LineInFile {
    Objects.requireNonNull(state, "state");
    if (!state.equals("present") && !state.equals("absent")) {
      throw new IllegalArgumentException(
          "value of state must be one of: absent, present, got: " + state);
    }
    if (insertAfter.isPresent() && insertBefore.isPresent()) {
      throw new IllegalArgumentException(
          "parameters are mutually exclusive: insertbefore|insertafter");
    }
    if (regexp.isPresent() && searchString.isPresent()) {
      throw new IllegalArgumentException("parameters are mutually exclusive: regexp|search_string");
    }
    if (backrefs && searchString.isPresent()) {
      throw new IllegalArgumentException(
          "parameters are mutually exclusive: backrefs|search_string");
    }
    if (state.equals("present")) {
      if (backrefs && regexp.isEmpty()) {
        throw new IllegalArgumentException("regexp is required with backrefs=true");
      }
      if (line.isEmpty()) {
        throw new IllegalArgumentException("line is required with state=present");
      }
    } else if (regexp.isEmpty() && searchString.isEmpty() && line.isEmpty()) {
      throw new IllegalArgumentException(
          "one of line, search_string, or regexp is required with state=absent");
    }
    if (insertAfter.isEmpty() && insertBefore.isEmpty()) {
      insertAfter = Optional.of("EOF"); // the module's default
    }
  }

  /**
   * Applies the module to a file.
   *
   * @param path the path as given, for messages
   * @param content the file's bytes as ISO-8859-1 text, empty when the file does not exist
   */
  TextEdit apply(String path, Optional<String> content) {
    return state.equals("present") ? present(path, content) : absent(content);
  }

  private static String b(String text) {
    return PythonPattern.latin1(text.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code f.readlines()} on bytes: split after each {@code \n}. */
  static List<String> readLines(String content) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < content.length(); i++) {
      if (content.charAt(i) == '\n') {
        lines.add(content.substring(start, i + 1));
        start = i + 1;
      }
    }
    if (start < content.length()) {
      lines.add(content.substring(start));
    }
    return lines;
  }

  /** Python's {@code bytes.rstrip(b'\r\n')}. */
  private static String rstrip(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == '\r' || s.charAt(end - 1) == '\n')) {
      end--;
    }
    return s.substring(0, end);
  }

  private Optional<PythonPattern> compile(Optional<String> pattern) {
    return pattern.map(p -> PythonPattern.compile(p, true, 0));
  }

  private TextEdit present(String path, Optional<String> content) {
    if (content.isEmpty() && !create) {
      return TextEdit.failed("Destination " + path + " does not exist !", Map.of("rc", 257));
    }
    List<String> lines = content.map(LineInFile::readLines).orElseGet(ArrayList::new);
    Optional<PythonPattern> re = compile(regexp);
    Optional<String> ins =
        insertAfter.isPresent() && !List.of("BOF", "EOF").contains(insertAfter.get())
            ? insertAfter
            : insertBefore.isPresent() && !insertBefore.get().equals("BOF")
                ? insertBefore
                : Optional.empty();
    Optional<PythonPattern> insRe = compile(ins);
    int index0 = -1;
    int index1 = -1;
    Matcher match = null;
    boolean found = false;
    String bLine = b(line.orElseThrow());
    if (re.isPresent()) {
      for (int n = 0; n < lines.size(); n++) {
        Matcher m = re.get().pattern().matcher(lines.get(n));
        if (m.find()) {
          index0 = n;
          match = m;
          found = true;
          if (firstMatch) {
            break;
          }
        }
      }
    }
    if (searchString.isPresent()) {
      String s = b(searchString.get());
      for (int n = 0; n < lines.size(); n++) {
        if (lines.get(n).contains(s)) {
          index0 = n;
          found = true;
          if (firstMatch) {
            break;
          }
        }
      }
    }
    if (!found) {
      for (int n = 0; n < lines.size(); n++) {
        if (bLine.equals(rstrip(lines.get(n)))) {
          index0 = n;

        } else if (insRe.isPresent() && insRe.get().pattern().matcher(lines.get(n)).find()) {
          if (insertAfter.isPresent()) {
            index1 = n + 1;
            if (firstMatch) {
              break;
            }
          }
          if (insertBefore.isPresent()) {
            index1 = n;
            if (firstMatch) {
              break;
            }
          }
        }
      }
    }
    String msg = "";
    boolean changed = false;
    if (index0 != -1) {
      String newLine = backrefs && match != null ? re.get().expand(bLine, match) : bLine;
      if (!newLine.endsWith("\n")) {
        newLine += "\n";
      }
      // (index[0] is only set by a match or an exact line: the module's branch for neither is
      // never taken)
      if (!lines.get(index0).equals(newLine)) {
        lines.set(index0, newLine);
        msg = "line replaced";
        changed = true;
      }
    } else if (backrefs) {
      // a backrefs regexp that matches nothing leaves the file as it is
    } else if ("BOF".equals(insertBefore.orElse(null)) || "BOF".equals(insertAfter.orElse(null))) {
      lines.add(0, bLine + "\n");
      msg = "line added";
      changed = true;
    } else if ("EOF".equals(insertAfter.orElse(null)) || index1 == -1) {
      if (!lines.isEmpty() && !endsWithNewline(lines.get(lines.size() - 1))) {
        lines.add("\n");
      }
      lines.add(bLine + "\n");
      msg = "line added";
      changed = true;
    } else if (insertAfter.isPresent()) {
      if (lines.size() == index1) {
        if (!rstrip(lines.get(index1 - 1)).equals(bLine)) {
          lines.add(bLine + "\n");
          msg = "line added";
          changed = true;
        }
      } else if (!bLine.equals(rstrip(lines.get(index1)))) {
        lines.add(index1, bLine + "\n");
        msg = "line added";
        changed = true;
      }
    } else {
      lines.add(index1, bLine + "\n");
      msg = "line added";
      changed = true;
    }
    Map<String, Object> fields = Map.of("backup", "");
    return changed
        ? TextEdit.changed(String.join("", lines), msg, fields)
        : TextEdit.unchanged(msg, fields);
  }

  private static boolean endsWithNewline(String s) {
    char c = s.charAt(s.length() - 1);
    return c == '\n' || c == '\r';
  }

  private TextEdit absent(Optional<String> content) {
    if (content.isEmpty()) {
      return TextEdit.unchanged("file not present", Map.of());
    }
    Optional<PythonPattern> re = compile(regexp);
    Optional<String> s = searchString.map(LineInFile::b);
    Optional<String> bLine = line.map(LineInFile::b);
    List<String> kept = new ArrayList<>();
    int found = 0;
    for (String l : readLines(content.get())) {
      boolean hit =
          re.isPresent()
              ? re.get().pattern().matcher(l).find()
              : s.isPresent() ? l.contains(s.get()) : bLine.orElseThrow().equals(rstrip(l));
      if (hit) {
        found++;
      } else {
        kept.add(l);
      }
    }
    Map<String, Object> fields = Map.of("found", found, "backup", "");
    return found > 0
        ? TextEdit.changed(String.join("", kept), found + " line(s) removed", fields)
        : TextEdit.unchanged("", fields);
  }
}
