package dev.orchestrator.execute;

import dev.orchestrator.template.PythonPattern;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's {@code blockinfile} computed on the controller, as ansible-core 2.14's {@code
 * lib/ansible/modules/blockinfile.py} does on the host: the file's bytes split as Python's {@code
 * bytes.splitlines(True)} ({@code \n}, {@code \r}, {@code \r\n}), the markers ({@code marker} with
 * {@code {mark}} replaced by {@code marker_begin}/{@code marker_end}) found as whole lines (the
 * last of each), the old block removed, the new one put where the old was or after the last line
 * matching {@code insertafter} (before the last matching {@code insertbefore}; with the {@code
 * (?m)} flag, the first match in the whole file), {@code EOF} or {@code BOF}. {@code msg}: {@code
 * File created}, {@code Block removed}, {@code Block inserted}, or empty when nothing changes.
 *
 * @param present whether {@code state} is {@code present}
 * @param block the {@code block} text
 * @param marker the {@code marker}, with {@code {mark}}
 * @param markerBegin {@code marker_begin}
 * @param markerEnd {@code marker_end}
 * @param insertAfter {@code insertafter}
 * @param insertBefore {@code insertbefore}
 * @param create whether a missing file is created
 */
record BlockInFile(
    boolean present,
    String block,
    String marker,
    String markerBegin,
    String markerEnd,
    Optional<String> insertAfter,
    Optional<String> insertBefore,
    boolean create) {
  /** Validates the combination as the module's argument checks do. */
  BlockInFile {
    Objects.requireNonNull(block, "block");
    Objects.requireNonNull(marker, "marker");
    if (insertAfter.isPresent() && insertBefore.isPresent()) {
      throw new IllegalArgumentException(
          "parameters are mutually exclusive: insertbefore|insertafter");
    }
    if (insertAfter.isEmpty() && insertBefore.isEmpty()) {
      insertAfter = Optional.of("EOF");
    }
  }

  private static String b(String text) {
    return PythonPattern.latin1(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Python's {@code bytes.splitlines(True)}. */
  static List<String> splitLines(String s) {
    List<String> out = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\n' || c == '\r') {
        int end = c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n' ? i + 2 : i + 1;
        out.add(s.substring(start, end));
        start = end;
        i = end;
      } else {
        i++;
      }
    }
    if (start < s.length()) {
      out.add(s.substring(start));
    }
    return out;
  }

  /** {@code re.sub(b'{mark}', repl, marker)}: the replacement is a template. */
  private static String mark(String marker, String repl) {
    PythonPattern p = PythonPattern.compile("{mark}", true, 0);
    Matcher m = p.pattern().matcher(marker);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(p.expand(repl, m)));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * Applies the module to a file.
   *
   * @param path the path as given, for messages
   * @param content the file's bytes as ISO-8859-1 text, empty when the file does not exist
   */
  TextEdit apply(String path, Optional<String> content) {
    if (content.isEmpty() && !create) {
      return TextEdit.failed("Path " + path + " does not exist !", Map.of("rc", 257));
    }
    if (!present && content.isEmpty()) {
      return TextEdit.unchanged("File " + path + " not present", Map.of());
    }
    List<String> lines = content.map(BlockInFile::splitLines).orElseGet(ArrayList::new);
    Optional<String> ins =
        !insertAfter.orElse("EOF").equals("EOF")
            ? insertAfter
            : insertBefore.isPresent() && !insertBefore.get().equals("BOF")
                ? insertBefore
                : Optional.empty();
    Optional<PythonPattern> insRe = ins.map(p -> PythonPattern.compile(p, true, 0));
    String m = b(marker);
    // six.b(): marker_begin and marker_end are encoded as ISO-8859-1, the marker as UTF-8
    for (String end : List.of(markerBegin, markerEnd)) {
      if (end.chars().anyMatch(c -> c > 0xFF)) {
        return TextEdit.failed(
            "'latin-1' codec can't encode the marker_begin/marker_end '" + end + "'", Map.of());
      }
    }
    String marker0 = mark(m, markerBegin) + "\n";
    String marker1 = mark(m, markerEnd) + "\n";
    String blk = b(block);
    List<String> blockLines = new ArrayList<>();
    if (present && !blk.isEmpty()) {
      if (!blk.endsWith("\n")) {
        blk += "\n";
      }
      blockLines.add(marker0);
      blockLines.addAll(splitLines(blk));
      blockLines.add(marker1);
    }
    Integer n0 = null;
    Integer n1 = null;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).equals(marker0)) {
        n0 = i;
      }
      if (lines.get(i).equals(marker1)) {
        n1 = i;
      }
    }
    if (n0 == null || n1 == null) {
      n0 = null;
      if (insRe.isPresent()) {
        Pattern re = insRe.get().pattern();
        if ((re.flags() & Pattern.MULTILINE) != 0 || multilineFlag(ins.get())) {
          if (content.isEmpty()) {
            return TextEdit.failed( // Python's search(None): a TypeError
                "a MULTILINE insertafter/insertbefore cannot search a file that does not exist",
                Map.of());
          }
          Matcher match = re.matcher(content.get());
          if (match.find()) {
            // to_native(original).count('\n', 0, offset): a byte offset into the decoded text
            String text = new String(PythonPattern.bytes(content.get()), StandardCharsets.UTF_8);
            n0 = count(text, insertAfter.isPresent() ? match.end() : match.start());
          }
        } else {
          for (int i = 0; i < lines.size(); i++) {
            if (re.matcher(lines.get(i)).find()) {
              n0 = i;
            }
          }
        }
        if (n0 == null) {
          n0 = lines.size();
        } else if (insertAfter.isPresent()) {
          n0 += 1;
        }
      } else if (insertBefore.isPresent()) {
        n0 = 0;
      } else {
        n0 = lines.size();
      }
    } else if (n0 < n1) {
      lines.subList(n0, n1 + 1).clear();
    } else {
      lines.subList(n1, n0 + 1).clear();
      n0 = n1;
    }
    if (n0 > lines.size()) {
      // a MULTILINE insertafter matching up to the end of a last line without a line break:
      // blockinfile.py's lines[n0 - 1] is then past the end (an IndexError in Ansible too)
      return TextEdit.failed(
          "the MULTILINE insertafter matches at the very end of the file, which has no final line"
              + " break: end the pattern before that point or add the line break",
          Map.of());
    }
    if (n0 > 0 && !lines.get(n0 - 1).endsWith("\n")) {
      lines.set(n0 - 1, lines.get(n0 - 1) + "\n");
    }
    lines.addAll(n0, blockLines);
    String result = String.join("", lines);
    if (content.isPresent() && content.get().equals(result)) {
      return TextEdit.unchanged("", Map.of());
    }
    String msg =
        content.isEmpty()
            ? "File created"
            : blockLines.isEmpty() ? "Block removed" : "Block inserted";
    return TextEdit.changed(result, msg, Map.of());
  }

  /** Whether the pattern sets Python's MULTILINE flag inline ({@code (?m)} at its start). */
  private static boolean multilineFlag(String pattern) {
    return pattern.matches("(?s)\\(\\?[aiLmsux]*m[aiLmsux]*\\).*");
  }

  /** {@code text.count('\n', 0, end)}. */
  private static int count(String text, int end) {
    int n = 0;
    for (int i = 0; i < Math.min(end, text.length()); i++) {
      if (text.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }
}
