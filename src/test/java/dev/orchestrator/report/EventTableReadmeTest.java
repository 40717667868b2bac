package dev.orchestrator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.jsontype.NamedType;
import dev.orchestrator.common.Labelled;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * README "JSON events (--output json)" is checked against the Jackson type information of {@link
 * Event} ({@link EventJson}'s mapper, the one that writes and reads the stream): one row per event
 * name the type information declares, listing the JSON fields it writes for that record in order
 * ({@code at} is common to all), and after each field whose type is a state enum, in parentheses,
 * exactly the labels the event can carry (all of the enum's, or the record's {@code public static
 * final Set} of them). Nothing documented that the types do not have, and a field added to a record
 * fails here until the README names it.
 */
class EventTableReadmeTest {
  private static final Path README = Path.of("README.md");

  /** A documented field and the backticked words in the parentheses after it. */
  private record Documented(String field, Set<String> values) {}

  @Test
  void theEventTableMatchesTheEventTypes() throws Exception {
    Map<String, List<Documented>> table = table();
    Map<String, Class<?>> events = new LinkedHashMap<>();
    for (NamedType type : EventJson.types()) {
      events.put(type.getName(), type.getType());
    }
    assertEquals(
        Set.of(Event.class.getPermittedSubclasses()),
        Set.copyOf(events.values()),
        "every Event record has its JSON name");
    assertEquals(events.keySet(), table.keySet(), "README event rows vs Event records");
    for (Map.Entry<String, Class<?>> e : events.entrySet()) {
      List<Documented> documented = table.get(e.getKey());
      List<String> expectedFields = new ArrayList<>();
      Map<String, Set<String>> expectedValues = new LinkedHashMap<>();
      for (Map.Entry<String, Class<?>> f : EventJson.fields(e.getValue()).entrySet()) {
        if (f.getKey().equals("at")) {
          continue;
        }
        expectedFields.add(f.getKey());
        if (Labelled.class.isAssignableFrom(f.getValue())) {
          expectedValues.put(f.getKey(), labels(e.getValue(), f.getValue()));
        }
      }
      assertEquals(
          expectedFields,
          documented.stream().map(Documented::field).toList(),
          "fields of " + e.getKey());
      for (Documented d : documented) {
        if (expectedValues.containsKey(d.field())) {
          assertEquals(
              expectedValues.get(d.field()),
              d.values(),
              "values of " + e.getKey() + "." + d.field());
        }
      }
    }
  }

  /** The labels a record's component of this enum type can carry. */
  private static Set<String> labels(Class<?> record, Class<?> enumType) throws Exception {
    for (Field f : record.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers())
          && Set.class.isAssignableFrom(f.getType())
          && f.getGenericType() instanceof ParameterizedType p
          && p.getActualTypeArguments()[0] == enumType) {
        return ((Set<?>) f.get(null))
            .stream().map(v -> ((Labelled) v).label()).collect(Collectors.toSet());
      }
    }
    return Arrays.stream(enumType.getEnumConstants())
        .map(v -> ((Labelled) v).label())
        .collect(Collectors.toSet());
  }

  private static final Pattern ROW = Pattern.compile("^\\| `([a-z_]+)` \\| (.*) \\|$");
  private static final Pattern TICKED = Pattern.compile("`([^`]+)`");

  /** Event name → documented fields, from the README's table. */
  private static Map<String, List<Documented>> table() throws Exception {
    List<String> lines = Files.readAllLines(README, StandardCharsets.UTF_8);
    int from = lines.indexOf("### JSON events (`--output json`)");
    assertTrue(from >= 0, "README has a section '### JSON events (`--output json`)'");
    Map<String, List<Documented>> out = new LinkedHashMap<>();
    for (String line : lines.subList(from + 1, lines.size())) {
      if (line.startsWith("#")) {
        break;
      }
      if (!line.startsWith("| `")) {
        continue;
      }
      Matcher m = ROW.matcher(line);
      assertTrue(m.matches(), "an event row is | `name` | fields |: " + line);
      out.put(m.group(1), fields(m.group(2)));
    }
    return out;
  }

  /**
   * Splits {@code `a`, `b` (`x`, `y`), `c` (prose)} into fields: backticked words outside
   * parentheses are fields, backticked words inside the parentheses after one are its values.
   */
  private static List<Documented> fields(String cell) {
    List<Documented> out = new ArrayList<>();
    int depth = 0;
    StringBuilder group = new StringBuilder();
    for (int i = 0; i < cell.length(); i++) {
      char ch = cell.charAt(i);
      if (ch == '(') {
        if (depth++ == 0) {
          group.setLength(0);
          continue;
        }
      } else if (ch == ')') {
        if (--depth == 0) {
          Documented last = out.remove(out.size() - 1);
          Set<String> values = new LinkedHashSet<>();
          Matcher v = TICKED.matcher(group);
          while (v.find()) {
            values.add(v.group(1));
          }
          out.add(new Documented(last.field(), values));
          continue;
        }
      } else if (ch == '`' && depth == 0) {
        int end = cell.indexOf('`', i + 1);
        out.add(new Documented(cell.substring(i + 1, end), Set.of()));
        i = end;
        continue;
      }
      if (depth > 0) {
        group.append(ch);
      }
    }
    return out;
  }
}
