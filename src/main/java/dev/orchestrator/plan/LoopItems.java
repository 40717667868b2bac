package dev.orchestrator.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.playbook.Loop;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.template.SecretDerivation;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.template.TemplateException;
import dev.orchestrator.template.TemplateValues;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A looped step's items on one host: the list rendered with the host's variables ({@code
 * with_items} flattened one level, as Ansible's {@code items} lookup does), and for each item the
 * step that runs it ({@link Step#forItem}, id {@code ID[LABEL]}) and the variables it runs with
 * ({@code loop_var}, {@code ansible_loop_var}, {@code index_var}, {@code ansible_index_var}). The
 * planner expands a list it can render before the run; the executor expands, the same way, a list
 * that depends on a value registered at run time.
 *
 * <p>The label is the item's identity in checkpoints, so it is made stable and safe: the rendered
 * {@code loop_control.label}, else the item itself (a scalar's text, a list's or map's JSON). A
 * label of 1 to 48 characters from {@code A-Z a-z 0-9 _ . -} is kept as it is ({@code lb1}, {@code
 * web01.example.com}); any other (spaces, slashes, quotes, control characters, very long) becomes
 * its first 40 characters with every run of other characters replaced by {@code _}, then {@code ~}
 * and the first 8 hex digits of the SHA-256 of the whole text ({@code a_b~3f2c91d0}): it depends on
 * the item only, never on its position, and no text can reach a path, a shell or the journal as it
 * is ({@link Step#ITEM_LABEL}). The n-th item with a label already given gets {@code ~n} ({@code
 * lb1~2}): a suffix that no other label can end with.
 */
public final class LoopItems {
  private static final Pattern KEPT = Pattern.compile("[A-Za-z0-9_.-]{1,48}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private LoopItems() {}

  /**
   * One item: the step that runs it and the variables it runs with on top of the host's.
   *
   * @param step the item's step ({@code ID[LABEL]})
   * @param value the item
   * @param overrides the loop variables
   */
  public record Item(Step step, Object value, Map<String, Object> overrides) {}

  /** The items cannot be made a list, or are too many. */
  public static final class BadItems extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadItems(String message) {
      super(message);
    }
  }

  /**
   * Expands a looped step into its items with these variables.
   *
   * @param step a step with {@code loop} (its extras)
   * @param vars the host's variables where the step stands
   * @return the items, in list order; empty for an empty list
   * @throws TemplateException when the list or a label cannot be rendered ({@link
   *     TemplateException#knownAtRunTime()} when it depends on a value registered at run time)
   * @throws BadItems when the list is not a list or has more than {@link Loop#MAX_ITEMS} items
   */
  public static List<Item> expand(TemplateEngine templates, Step step, Map<String, Object> vars) {
    Loop loop = step.extras().loop().orElseThrow();
    List<Object> values = values(templates, loop, vars);
    Optional<SecretProbe> probe = SecretProbe.of(templates, loop, vars, values.size());
    List<Item> items = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < values.size(); i++) {
      Map<String, Object> overrides = overrides(loop, values.get(i), i);
      String text = labelText(templates, loop, vars, values.get(i), i);
      String label;
      if (probe.isPresent() && probe.get().dependsOnSecret(i, text)) {
        label = "item~s" + (i + 1);
      } else {
        label = label(text);
        int n = seen.merge(label, 1, Integer::sum);
        if (n > 1) {
          label = label + "~" + n;
        }
      }
      Step itemStep = step.forItem(new Loop.Item(step.id(), i, values.size(), label, loop));
      items.add(new Item(itemStep, values.get(i), overrides));
    }
    return items;
  }

  /** The text an item's label is made of: its rendered {@code loop_control.label}, or itself. */
  static String labelText(
      TemplateEngine templates, Loop loop, Map<String, Object> vars, Object value, int index) {
    if (loop.label().isEmpty()) {
      return text(value);
    }
    Map<String, Object> itemVars = new HashMap<>(vars);
    itemVars.putAll(overrides(loop, value, index));
    return templates.render(loop.label().get(), itemVars);
  }

  /**
   * Renders the list and labels a second time with the secret vars' values changed ({@link
   * SecretDerivation#perturbed}): an item whose label text changes with them derives from a secret,
   * however transformed, and is labelled {@code item~sN} by its position (N from 1) instead, so
   * that no secret reaches a checkpoint id, a log file name, the journal or the console.
   */
  private record SecretProbe(
      TemplateEngine templates,
      Loop loop,
      Map<String, Object> perturbed,
      Optional<List<Object>> values) {
    static Optional<SecretProbe> of(
        TemplateEngine templates, Loop loop, Map<String, Object> vars, int size) {
      if (!SecretDerivation.anySecret(templates, vars)) {
        return Optional.empty();
      }
      Map<String, Object> perturbed = SecretDerivation.perturbed(templates, vars);
      List<Object> values;
      try {
        values = LoopItems.values(templates, loop, perturbed);
      } catch (RuntimeException e) {
        values = List.of();
      }
      return Optional.of(
          new SecretProbe(
              templates,
              loop,
              perturbed,
              values.size() == size ? Optional.of(values) : Optional.empty()));
    }

    boolean dependsOnSecret(int index, String text) {
      if (values.isEmpty()) {
        return true; // the list's length depends on a secret
      }
      try {
        return !text.equals(labelText(templates, loop, perturbed, values.get().get(index), index));
      } catch (RuntimeException e) {
        return true;
      }
    }
  }

  /** Returns the variables an item runs with: the loop variable, its name, the index. */
  public static Map<String, Object> overrides(Loop loop, Object value, int index) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put(loop.loopVar(), value);
    o.put("ansible_loop_var", loop.loopVar());
    loop.indexVar()
        .ifPresent(
            v -> {
              o.put(v, index);
              o.put("ansible_index_var", v);
            });
    return o;
  }

  /**
   * Returns the label a text makes (the rules above, without the {@code ~n} of duplicates).
   *
   * @param text the rendered {@code loop_control.label} or the item's text
   * @return a label of the form {@link Step#ITEM_LABEL}, at most 49 characters
   */
  public static String label(String text) {
    if (KEPT.matcher(text).matches()) {
      return text;
    }
    String cleaned = text.replaceAll("[^A-Za-z0-9_.-]+", "_");
    if (cleaned.length() > 40) {
      cleaned = cleaned.substring(0, 40);
    }
    return (cleaned.isEmpty() ? "item" : cleaned) + "~" + sha256(text).substring(0, 8);
  }

  /** The text an item is labelled by without {@code loop_control.label}. */
  private static String text(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Map<?, ?> || value instanceof List<?>) {
      try {
        return JSON.writeValueAsString(value);
      } catch (JsonProcessingException e) {
        return String.valueOf(value);
      }
    }
    return String.valueOf(value);
  }

  private static List<Object> values(
      TemplateEngine templates, Loop loop, Map<String, Object> vars) {
    List<Object> raw;
    if (loop.template().isPresent()) {
      Object v = TemplateValues.render(templates, loop.template().get(), vars);
      if (v instanceof List<?> l) {
        raw = new ArrayList<>(l);
      } else if (loop.kind() == Loop.Kind.WITH_ITEMS && v != null) {
        raw = new ArrayList<>(List.of(v));
      } else {
        throw new BadItems(
            "'"
                + (loop.kind() == Loop.Kind.LOOP ? "loop" : "with_items")
                + "' requires a list, got "
                + (v == null
                    ? "null"
                    : secret(templates, loop.template().get(), vars)
                        ? "a value derived from a secret var"
                        : "'" + shorten(String.valueOf(v)) + "'"));
      }
    } else {
      raw = new ArrayList<>();
      for (Object o : loop.list().orElseThrow()) {
        raw.add(rendered(templates, o, vars));
      }
    }
    List<Object> out = new ArrayList<>();
    for (Object o : raw) {
      if (loop.kind() == Loop.Kind.WITH_ITEMS && o instanceof List<?> inner) {
        out.addAll(inner);
      } else {
        out.add(o);
      }
      if (out.size() > Loop.MAX_ITEMS) {
        throw new BadItems("the loop has more than " + Loop.MAX_ITEMS + " items");
      }
    }
    return out;
  }

  private static boolean secret(TemplateEngine templates, String template, Map<String, Object> v) {
    try {
      return SecretDerivation.derives(templates, template, v, templates.render(template, v));
    } catch (RuntimeException e) {
      return true;
    }
  }

  /** A YAML item with its templates rendered (strings in lists and maps too). */
  private static Object rendered(TemplateEngine templates, Object o, Map<String, Object> vars) {
    if (o instanceof String s) {
      return TemplateEngine.isTemplate(s) ? TemplateValues.render(templates, s, vars) : s;
    }
    if (o instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(rendered(templates, x, vars)));
      return out;
    }
    if (o instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(k, rendered(templates, v, vars)));
      return out;
    }
    return o;
  }

  private static String shorten(String s) {
    return s.length() > 100 ? s.substring(0, 100) + "…" : s;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Returns the item label of an engine step id, if it names an item ({@code ID[LABEL]}). */
  public static Optional<String> labelOf(String engineId) {
    int open = engineId.indexOf('[');
    return open < 0 || !engineId.endsWith("]")
        ? Optional.empty()
        : Optional.of(engineId.substring(open + 1, engineId.length() - 1));
  }
}
