package dev.orchestrator.template;

import java.util.Map;
import jinjava.javax.el.ELContext;

/**
 * Lets a template call only the methods of its values that read them ({@code s.startswith('x')},
 * {@code d.get('k')}, {@code l.append(x)} within the list bounds): Jinjava calls any public Java
 * method of a value, and {@code 'x'.repeat(2000000000)} or {@code s.toCharArray()} allocated
 * gigabytes in one call, past every render bound, and ended {@code validate} with an
 * OutOfMemoryError (found by an attack on issue 22's bounds). Every other method is refused with
 * its name; filters ({@code upper}, {@code replace}, {@code join}, ...) do the rest. A string's
 * methods with Python's names ({@code split}, {@code find}, {@code strip}, {@code format}, ...) are
 * Python's ({@link PyStrings}), as in Jinja2: Java's {@code split} takes a regular expression.
 */
final class MethodCalls extends LookupResolver {
  static final java.util.Set<String> METHODS =
      java.util.Set.of(
          // strings, Python's names (Jinjava's PyishString-like calls) and Java's
          "startswith",
          "endswith",
          "startsWith",
          "endsWith",
          "contains",
          "indexOf",
          "lastIndexOf",
          "length",
          "isEmpty",
          "isBlank",
          "strip",
          "trim",
          "lower",
          "upper",
          "toLowerCase",
          "toUpperCase",
          "substring",
          "charAt",
          "equals",
          "equalsIgnoreCase",
          "split",
          "compareTo",
          // maps and lists (Jinjava's PyMap and PyList), bounded by the list and map limits
          "get",
          "keys",
          "values",
          "items",
          "containsKey",
          "size",
          "append",
          "extend",
          "insert",
          "pop",
          "update",
          "copy",
          "count",
          "index",
          "remove",
          "clear",
          "reverse");

  @Override
  public Object invoke(
      ELContext context, Object base, Object method, Class<?>[] types, Object[] params) {
    boolean value =
        base instanceof CharSequence
            || base instanceof java.util.Collection<?>
            || base instanceof Map<?, ?>
            || base instanceof Number
            || base instanceof Boolean
            || (base != null && base.getClass().isArray());
    // Jinjava's own calls (a filter's or a test's evaluation): no Java value has these methods
    String name = String.valueOf(method);
    if (base instanceof String s && PyStrings.ARITY.containsKey(name)) {
      Object result;
      try {
        result = PyStrings.call(s, name, params);
      } catch (IllegalArgumentException e) {
        throw new jinjava.javax.el.ELException("str." + name + "(): " + e.getMessage());
      }
      context.setPropertyResolved(true);
      return result;
    }
    boolean jinjavas = name.equals("filter") || name.startsWith("evaluate");
    if (value && !jinjavas && !METHODS.contains(name)) {
      throw new jinjava.javax.el.ELException(
          "calling the method '"
              + method
              + "' of a value is not supported in templates (the methods that read a value are: "
              + String.join(", ", new java.util.TreeSet<>(METHODS))
              + "); use a filter, e.g. {{ s | upper }}");
    }
    return null;
  }

  @Override
  public Object getValue(ELContext context, Object base, Object property) {
    return null;
  }

  @Override
  public boolean isReadOnly(ELContext context, Object base, Object property) {
    return false;
  }

  @Override
  public Class<?> getCommonPropertyType(ELContext context, Object base) {
    return null;
  }
}
