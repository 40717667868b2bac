package dev.orchestrator.template;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ansible's filters with Ansible's semantics, where Jinjava has none of that name or one that
 * differs from Jinja2/Ansible: {@code default}/{@code d} (a variable defined as null is defined,
 * {@code default(x, true)} also replaces falsy values), {@code join} (Python's {@code str} of each
 * item), {@code list} (a string's characters as strings), {@code bool}, {@code int}, {@code
 * dict2items}, {@code items2dict}, {@code combine}, {@code flatten}, {@code to_json}, {@code
 * to_nice_json}, {@code from_json}, {@code to_yaml}, {@code to_nice_yaml}, {@code from_yaml},
 * {@code regex_replace}, {@code regex_search}, {@code regex_findall}, {@code regex_escape}, {@code
 * basename}, {@code dirname}, {@code mandatory}, {@code ternary}, {@code string}. Followed:
 * ansible-core 2.14 {@code lib/ansible/plugins/filter/core.py} and Jinja2's {@code filters.py};
 * https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_filters.html. Regular
 * expressions are Java's ({@link PyRegex} translates Python's group syntax).
 */
final class AnsibleFilters {
  private AnsibleFilters() {}

  /** A filter computed from its operand, positional and keyword arguments. */
  interface Fn {
    Object apply(Object var, List<Object> args, Map<String, Object> kwargs);
  }

  /** Registers the filters in {@code global}, replacing Jinjava's of the same names. */
  static void register(Context global) {
    Fn dflt =
        (var, args, kw) -> {
          Object fallback = arg(args, kw, 0, "default_value", "");
          boolean falsy = PyValues.truthy(arg(args, kw, 1, "boolean", false));
          boolean undefined = var instanceof Undefined;
          return undefined || (falsy && !PyValues.truthy(var)) ? fallback : var;
        };
    filter(global, "default", dflt);
    filter(global, "d", dflt);
    filter(
        global,
        "join",
        (var, args, kw) -> {
          String sep = PyFormat.str(arg(args, kw, 0, "d", ""));
          Object attribute = arg(args, kw, 1, "attribute", null);
          StringBuilder out = new StringBuilder();
          boolean first = true;
          for (Object o : PyValues.iterate(var)) {
            if (!first) {
              out.append(sep);
            }
            first = false;
            out.append(PyFormat.str(attribute == null ? o : PyValues.attribute(o, attribute)));
            PyStrings.bounded(out.length());
          }
          return out.toString();
        });
    // Jinja2's list: a string's characters as one-character strings (Jinjava's gave Java
    // Characters, which join and print as 'H'), a mapping's keys, an iterable's items
    filter(global, "list", (var, args, kw) -> list(var));
    filter(global, "bool", (var, args, kw) -> PyValues.ansibleBool(var));
    filter(global, "unique", UniqueFilter::unique);
    filter(
        global,
        "int",
        (var, args, kw) ->
            PyValues.toInt(
                var, arg(args, kw, 0, "default", 0L), ((Number) arg(args, kw, 1, "base", 10L))));
    filter(global, "string", (var, args, kw) -> PyFormat.str(var));
    filter(
        global,
        "mandatory",
        (var, args, kw) -> {
          if (var instanceof Undefined u) {
            Object msg = arg(args, kw, 0, "msg", null);
            throw msg == null ? u.error() : new TemplateException(PyFormat.str(msg), null);
          }
          return var;
        });
    filter(
        global,
        "ternary",
        (var, args, kw) -> {
          Object none = arg(args, kw, 2, "none_val", null);
          if (var == null && (args.size() > 2 || kw.containsKey("none_val"))) {
            return none;
          }
          return PyValues.truthy(var)
              ? arg(args, kw, 0, "true_val", null)
              : arg(args, kw, 1, "false_val", null);
        });
    filter(
        global,
        "dict2items",
        (var, args, kw) -> {
          if (!(var instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(
                "dict2items requires a dictionary, got " + PyValues.typeName(var) + " instead.");
          }
          String k = PyFormat.str(arg(args, kw, 0, "key_name", "key"));
          String v = PyFormat.str(arg(args, kw, 1, "value_name", "value"));
          List<Object> out = new ArrayList<>();
          m.forEach(
              (key, value) -> {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put(k, key);
                item.put(v, value);
                out.add(item);
              });
          return out;
        });
    filter(
        global,
        "items2dict",
        (var, args, kw) -> {
          Object k = arg(args, kw, 0, "key_name", "key");
          Object v = arg(args, kw, 1, "value_name", "value");
          if (var instanceof Map<?, ?> || !(var instanceof Iterable<?> list)) {
            throw new IllegalArgumentException(
                "items2dict requires a list, got " + PyValues.typeName(var) + " instead.");
          }
          Map<Object, Object> out = new LinkedHashMap<>();
          for (Object item : list) {
            if (!(item instanceof Map<?, ?> m) || !m.containsKey(k) || !m.containsKey(v)) {
              throw new IllegalArgumentException(
                  "items2dict requires each item to be a dictionary with the keys '"
                      + k
                      + "' and '"
                      + v
                      + "'");
            }
            out.put(m.get(k), m.get(v));
          }
          return out;
        });
    filter(global, "combine", AnsibleFilters::combine);
    filter(
        global,
        "flatten",
        (var, args, kw) -> {
          Object levels = arg(args, kw, 0, "levels", null);
          boolean skipNulls = PyValues.truthy(arg(args, kw, 1, "skip_nulls", true));
          return PyValues.flatten(
              var, levels == null ? -1 : ((Number) levels).intValue(), skipNulls);
        });
    filter(global, "to_json", (var, args, kw) -> PyJson.dumps(var, -1, false));
    filter(
        global,
        "to_nice_json",
        (var, args, kw) ->
            PyJson.dumps(var, ((Number) arg(args, kw, 0, "indent", 4L)).intValue(), true));
    filter(global, "from_json", (var, args, kw) -> PyJson.loads(PyFormat.str(var)));
    filter(global, "to_yaml", (var, args, kw) -> PyYaml.dump(var, false, 2));
    filter(
        global,
        "to_nice_yaml",
        (var, args, kw) ->
            PyYaml.dump(var, true, ((Number) arg(args, kw, 0, "indent", 4L)).intValue()));
    filter(global, "from_yaml", (var, args, kw) -> PyYaml.load(PyFormat.str(var)));
    filter(
        global,
        "regex_replace",
        (var, args, kw) ->
            PyRegex.replace(
                PyFormat.str(var),
                PyFormat.str(arg(args, kw, 0, "pattern", "")),
                PyFormat.str(arg(args, kw, 1, "replacement", "")),
                PyValues.truthy(arg(args, kw, 2, "ignorecase", false)),
                PyValues.truthy(arg(args, kw, 3, "multiline", false)),
                ((Number) arg(args, kw, 4, "count", 0L)).intValue()));
    filter(
        global,
        "regex_search",
        (var, args, kw) ->
            PyRegex.search(
                PyFormat.str(var),
                PyFormat.str(arg(args, kw, 0, "regex", "")),
                args.size() > 1 ? args.subList(1, args.size()) : List.of(),
                PyValues.truthy(kw.getOrDefault("ignorecase", false)),
                PyValues.truthy(kw.getOrDefault("multiline", false))));
    filter(
        global,
        "regex_findall",
        (var, args, kw) ->
            PyRegex.findall(
                PyFormat.str(var),
                PyFormat.str(arg(args, kw, 0, "regex", "")),
                PyValues.truthy(arg(args, kw, 1, "multiline", false)),
                PyValues.truthy(arg(args, kw, 2, "ignorecase", false))));
    filter(global, "regex_escape", (var, args, kw) -> PyRegex.escape(PyFormat.str(var)));
    filter(global, "select", (var, args, kw) -> select(var, args, true));
    filter(global, "reject", (var, args, kw) -> select(var, args, false));
    filter(global, "basename", (var, args, kw) -> PyValues.basename(PyFormat.str(var)));
    filter(global, "dirname", (var, args, kw) -> PyValues.dirname(PyFormat.str(var)));
  }

  /** Ansible's {@code combine(*dicts, recursive=False, list_merge='replace')}. */
  private static Object combine(Object var, List<Object> args, Map<String, Object> kw) {
    for (String key : kw.keySet()) {
      if (!key.equals("recursive") && !key.equals("list_merge")) {
        throw new IllegalArgumentException(
            "'" + key + "' is an invalid keyword argument for combine()");
      }
    }
    boolean recursive = PyValues.truthy(kw.getOrDefault("recursive", false));
    String listMerge = PyFormat.str(kw.getOrDefault("list_merge", "replace"));
    if (!List.of("replace", "keep", "append", "prepend").contains(listMerge)) {
      throw new IllegalArgumentException(
          "combine's list_merge is one of replace, keep, append, prepend here, got '"
              + listMerge
              + "'");
    }
    List<Object> dicts = new ArrayList<>();
    dicts.add(var);
    dicts.addAll(PyValues.flatten(args, -1, false));
    Map<Object, Object> out = new LinkedHashMap<>();
    for (Object d : dicts) {
      if (!(d instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException(
            "failed to combine variables, expected dicts but got " + PyValues.typeName(d));
      }
      merge(out, m, recursive, listMerge);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void merge(
      Map<Object, Object> into, Map<?, ?> from, boolean recursive, String listMerge) {
    for (Map.Entry<?, ?> e : from.entrySet()) {
      Object old = into.get(e.getKey());
      Object now = e.getValue();
      if (recursive && old instanceof Map<?, ?> a && now instanceof Map<?, ?> b) {
        Map<Object, Object> merged = new LinkedHashMap<>(a);
        merge(merged, b, true, listMerge);
        into.put(e.getKey(), merged);
      } else if (old instanceof List<?> a
          && now instanceof List<?> b
          && into.containsKey(e.getKey())) {
        List<Object> merged = new ArrayList<>();
        switch (listMerge) {
          case "keep" -> merged.addAll(a);
          case "append" -> {
            merged.addAll(a);
            merged.addAll(b);
          }
          case "prepend" -> {
            merged.addAll(b);
            merged.addAll(a);
          }
          default -> merged.addAll(b);
        }
        into.put(e.getKey(), merged);
      } else {
        into.put(e.getKey(), now);
      }
    }
  }

  /** Jinja2's {@code select}/{@code reject}: by a test's name and arguments, or by truth. */
  private static List<Object> select(Object var, List<Object> args, boolean keep) {
    JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
    com.hubspot.jinjava.lib.exptest.ExpTest test = null;
    if (!args.isEmpty()) {
      String name = PyFormat.str(args.get(0));
      test = interpreter.getContext().getExpTest(name);
      if (test == null) {
        throw new IllegalArgumentException("no test named '" + name + "'");
      }
    }
    Object[] rest = args.size() > 1 ? args.subList(1, args.size()).toArray() : new Object[0];
    List<Object> out = new ArrayList<>();
    for (Object item : PyValues.iterate(var)) {
      boolean pass = test == null ? PyValues.truthy(item) : test.evaluate(item, interpreter, rest);
      if (pass == keep) {
        out.add(item);
      }
    }
    return out;
  }

  /** The argument at {@code i}, else the keyword {@code name}, else {@code dflt}. */
  static Object arg(List<Object> args, Map<String, Object> kw, int i, String name, Object dflt) {
    if (i < args.size()) {
      return args.get(i);
    }
    return kw.containsKey(name) ? kw.get(name) : dflt;
  }

  /** Registers {@code fn} as the filter {@code name}, replacing any of that name. */
  private static List<Object> list(Object var) {
    List<Object> out = new ArrayList<>();
    PyValues.iterate(var).forEach(out::add);
    return out;
  }

  static void filter(Context global, String name, Fn fn) {
    global.registerFilter(
        new Filter() {
          @Override
          public String getName() {
            return name;
          }

          @Override
          public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, (Object[]) args, Map.of());
          }

          @Override
          public Object filter(
              Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kw) {
            List<Object> positional = new ArrayList<>();
            if (args != null) {
              for (Object a : args) {
                positional.add(a);
              }
            }
            try {
              return fn.apply(var, positional, kw == null ? Map.of() : kw);
            } catch (ClassCastException e) {
              throw new IllegalArgumentException(
                  "the filter '" + name + "' got an argument of the wrong type");
            }
          }
        });
  }
}
