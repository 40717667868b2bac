package dev.orchestrator.execute;

import dev.orchestrator.template.PythonPattern;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's {@code replace} computed on the controller, as ansible-core 2.14's {@code
 * lib/ansible/modules/replace.py} does on the host: the file decoded as UTF-8, the section between
 * {@code after} and {@code before} found with {@code %s(?P<subsection>.*?)%s} (DOTALL), every match
 * of {@code regexp} (MULTILINE, Python's str semantics: {@link PythonPattern}) replaced by {@code
 * replace} expanded as Python's {@code re.subn} expands it. {@code changed} only when the text
 * differs; {@code msg}: {@code N replacements made}, empty, or the section's {@code Pattern for
 * before/after params did not match the given file: ...}.
 *
 * @param regexp the {@code regexp}
 * @param replace the {@code replace} (default empty)
 * @param after the {@code after}, if any
 * @param before the {@code before}, if any
 */
record ReplaceInFile(
    String regexp, String replace, Optional<String> after, Optional<String> before) {
  /** Validates the fields. */
  ReplaceInFile {
    Objects.requireNonNull(regexp, "regexp");
    Objects.requireNonNull(replace, "replace");
  }

  /**
   * Applies the module to a file.
   *
   * @param path the path as given, for messages
   * @param content the file's bytes as ISO-8859-1 text, empty when the file does not exist
   */
  TextEdit apply(String path, Optional<String> content) {
    if (content.isEmpty()) {
      return TextEdit.failed("Path " + path + " does not exist !", Map.of("rc", 257));
    }
    String contents;
    try {
      contents =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(PythonPattern.bytes(content.get())))
              .toString();
    } catch (CharacterCodingException e) {
      return TextEdit.failed(
          "Unable to read the contents of " + path + ": it is not UTF-8 text", Map.of());
    }
    String a = after.filter(s -> !s.isEmpty()).orElse(null);
    String b = before.filter(s -> !s.isEmpty()).orElse(null);
    String pattern =
        a != null && b != null
            ? a + "(?P<subsection>.*?)" + b
            : a != null ? a + "(?P<subsection>.*)" : b != null ? "(?P<subsection>.*)" + b : "";
    String section = contents;
    int start = 0;
    int end = contents.length();
    if (!pattern.isEmpty()) {
      PythonPattern sectionRe = PythonPattern.compile(pattern, false, Pattern.DOTALL);
      Matcher m = sectionRe.pattern().matcher(contents);
      if (!m.find()) {
        return TextEdit.unchanged(
            "Pattern for before/after params did not match the given file: " + pattern,
            Map.of("rc", 0));
      }
      int g = sectionRe.names().get("subsection");
      start = m.start(g);
      end = m.end(g);
      section = m.group(g);
    }
    PythonPattern re = PythonPattern.compile(regexp, false, Pattern.MULTILINE);
    re.checkTemplate(replace);
    Matcher m = re.pattern().matcher(section);
    StringBuilder out = new StringBuilder();
    int count = 0;
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(re.expand(replace, m)));
      count++;
    }
    m.appendTail(out);
    String replaced = out.toString();
    if (count == 0 || replaced.equals(section)) {
      return TextEdit.unchanged("", Map.of("rc", 0));
    }
    String result = contents.substring(0, start) + replaced + contents.substring(end);
    return TextEdit.changed(
        PythonPattern.latin1(result.getBytes(StandardCharsets.UTF_8)),
        count + " replacements made",
        Map.of("rc", 0));
  }
}
