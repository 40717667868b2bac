package dev.orchestrator.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.AdvancedFilter;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.objects.collections.PyMap;
import com.hubspot.jinjava.util.HasObjectTruthValue;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jinjava.javax.el.CompositeELResolver;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * The value of a variable, or of a map's key, that is not defined: Jinja2's {@code
 * StrictUndefined}, which Ansible uses. Jinjava gives {@code null} for both, and its filters turn
 * {@code null} into a value ({@code quote} into {@code ''}, {@code join} and {@code b64encode} into
 * the empty string, {@code int} and {@code length} into 0, ...): {@code rm -rf {{ nope | quote
 * }}/cache} would run {@code rm -rf ''/cache}. This sentinel takes the place of {@code null}
 * instead, and every use of it is the error {@code undefined variable 'NAME'}: as a filter's or a
 * test's operand or argument ({@link #strictFilters}, {@link #strictTests}), printed, turned into
 * text, a number or a truth value, iterated. Only {@code default} (alias {@code d}) and the tests
 * {@code defined} and {@code undefined} take it, as {@code null}, as in Jinja2.
 *
 * <p>A variable that is defined with the value {@code null} (YAML {@code ~} or an empty value) is
 * not undefined: it stays {@code null} and each filter does with it what it does with {@code null}.
 */
final class Undefined extends java.util.AbstractCollection<Object> implements HasObjectTruthValue {
  /**
   * The filters that see an undefined operand (as the {@link Undefined}): Jinja2's {@code default},
   * its alias and Ansible's {@code mandatory} ({@link AnsibleFilters}).
   */
  private static final Set<String> LENIENT_FILTERS = Set.of("default", "d", "mandatory");

  /**
   * The tests that ask whether a value is defined (Jinja2's {@code defined}, {@code undefined}).
   */
  private static final Set<String> LENIENT_TESTS = Set.of("defined", "undefined");

  /**
   * Jinja's literals for null, which Jinjava resolves as variables that no scope defines: they stay
   * {@code null}.
   */
  private static final Set<String> NULL_LITERALS = Set.of("none", "None");

  private final String name;

  /** For a value known at run time only: what it will be ({@link RegisteredResult}); else null. */
  private final Class<?> knownAtRunTime;

  Undefined(String name) {
    this(name, null);
  }

  private Undefined(String name, Class<?> knownAtRunTime) {
    this.name = name;
    this.knownAtRunTime = knownAtRunTime;
  }

  /**
   * Returns a value that is defined but known only at run time, such as {@code r.stdout} of a step
   * that registers {@code r}: {@code is defined} is true, every other use (printed, compared,
   * filtered, {@code default} too) is the error {@link TemplateException#knownAtRunTime()}; a
   * method it does not have (a string's {@code find}) is an error as it would be at run time.
   *
   * @param name the variable's path ({@code r.stdout})
   * @param type the class of the value at run time
   */
  static Object knownAtRunTime(String name, Class<?> type) {
    return new Undefined(name, type);
  }

  /**
   * The error for an attribute or method {@code member} that the value known at run time will not
   * have, as the run would report it.
   *
   * @param arity the method's number of arguments, or -1 for an attribute
   */
  private TemplateException noMember(String member, int arity) {
    String kind = knownAtRunTime.getSimpleName();
    return new TemplateException(
        "'"
            + name
            + "' is a "
            + kind
            + ", which has no "
            + (arity < 0
                ? "attribute or method '" + member + "'"
                : "method '" + member + "' of " + arity + " argument(s)"),
        null,
        "use a filter or a test instead (e.g. 'text' in " + name + "), as the run would fail here");
  }

  /** Returns whether this is a value known at run time only ({@link #knownAtRunTime}). */
  boolean isKnownAtRunTime() {
    return knownAtRunTime != null;
  }

  /** The error for any use of this value: an undefined variable naming it. */
  TemplateException error() {
    if (knownAtRunTime != null) {
      return new TemplateException(
          "the value of '" + name + "' is known at run time only",
          name,
          "the step is decided when it runs",
          true);
    }
    if (name.startsWith(".")) {
      return new TemplateException(
          "undefined attribute '"
              + name.substring(1)
              + "' of a value computed in the template (not a variable)",
          null,
          "write ... | default('...') where the attribute may be missing");
    }
    return new TemplateException("undefined variable '" + name + "'", name);
  }

  @Override
  public boolean getObjectTruthValue() {
    throw error();
  }

  @Override
  public Iterator<Object> iterator() {
    throw error();
  }

  /**
   * Throws: an undefined value has no size. It is a collection only so that Jinjava's {@code x in
   * value} asks it (and fails) rather than answering false for a value that is not one.
   */
  @Override
  public int size() {
    throw error();
  }

  /** Throws: an undefined value equals nothing ({@code x in [...]} is an error, not false). */
  @Override
  public boolean equals(Object other) {
    if (other == this) {
      return true;
    }
    throw error();
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  /** Throws: an undefined value has no text. Jinjava prints and concatenates with this. */
  @Override
  public String toString() {
    throw error();
  }

  /**
   * Makes {@code jinjava}'s variables strict: a name defined nowhere (not in the variables of a
   * render, nor in a scope of {@code set}, {@code for} or a macro) resolves to an {@link Undefined}
   * naming it rather than {@code null}.
   */
  static void strictVariables(Jinjava jinjava) {
    jinjava
        .getGlobalContext()
        .setDynamicVariableResolver(
            name -> {
              if (NULL_LITERALS.contains(name)) {
                return null;
              }
              JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
              if (interpreter != null) {
                for (Context c = interpreter.getContext(); c != null; c = c.getParent()) {
                  if (c.getScope().containsKey(name)) {
                    return null; // defined as null
                  }
                }
              }
              return new Undefined(name);
            });
  }

  /**
   * Returns Jinjava's read-only EL resolver with a map's missing key resolving to an {@link
   * Undefined} named by its path in the render's variables ({@code result.stdout}).
   */
  static ELResolver strictResolver() {
    CompositeELResolver resolver = new CompositeELResolver();
    resolver.add(new MethodCalls());
    resolver.add(new MissingKey());
    resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
    return resolver;
  }

  /**
   * Replaces every filter of {@code jinjava}'s global context by one that refuses an undefined
   * operand or argument, but for {@code default}, which takes an undefined operand as {@code null}.
   * Call it after registering the project's own filters.
   */
  static void strictFilters(Jinjava jinjava) {
    Context global = jinjava.getGlobalContext();
    for (Filter filter : List.copyOf(global.getAllFilters())) {
      global.registerFilter(new StrictFilter(filter));
    }
  }

  /**
   * Replaces every test ({@code x is number}) of {@code jinjava}'s global context by one that
   * refuses an undefined operand or argument, but for {@code defined} and {@code undefined}.
   */
  static void strictTests(Jinjava jinjava) {
    Context global = jinjava.getGlobalContext();
    for (ExpTest test : List.copyOf(global.getAllExpTests())) {
      global.registerExpTest(new StrictTest(test));
    }
  }

  /** Throws the undefined error of the first undefined among {@code values}. */
  private static void refuse(Object[] values) {
    if (values != null) {
      for (Object value : values) {
        if (value instanceof Undefined u) {
          throw u.error();
        }
      }
    }
  }

  /** A filter that refuses undefined values (see {@link #strictFilters}). */
  private record StrictFilter(Filter delegate) implements AdvancedFilter {
    @Override
    public String getName() {
      return delegate.getName();
    }

    @Override
    public Object filter(
        Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
      refuse(args);
      refuse(kwargs.values().toArray());
      if (var instanceof Undefined u) {
        if (!LENIENT_FILTERS.contains(delegate.getName()) || u.isKnownAtRunTime()) {
          throw u.error();
        }
        // the filter sees the Undefined: AnsibleFilters' default tells it from a null value
      }
      return delegate.filter(var, interpreter, args, kwargs);
    }

    @Override
    public boolean preserveSafeString() {
      return delegate.preserveSafeString();
    }
  }

  /** A test that refuses undefined values (see {@link #strictTests}). */
  private record StrictTest(ExpTest delegate) implements ExpTest {
    @Override
    public String getName() {
      return delegate.getName();
    }

    @Override
    public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
      return delegate.evaluate(check(var, args), interpreter, args);
    }

    @Override
    public boolean evaluateNegated(Object var, JinjavaInterpreter interpreter, Object... args) {
      return delegate.evaluateNegated(check(var, args), interpreter, args);
    }

    private Object check(Object var, Object[] args) {
      refuse(args);
      if (var instanceof Undefined u) {
        if (!LENIENT_TESTS.contains(delegate.getName())) {
          throw u.error();
        }
        return u.isKnownAtRunTime() ? u.name : null; // defined, whatever its value
      }
      return var;
    }
  }

  /**
   * Resolves {@code map.key} for a key the map does not have (a map with only string keys) to an
   * {@link Undefined}; leaves every other lookup to the next resolver.
   */
  private static final class MissingKey extends LookupResolver {
    @Override
    public Object getValue(ELContext context, Object base, Object property) {
      if (base instanceof Undefined u) {
        // an attribute of an undefined value, or of one known at run time only
        if (u.knownAtRunTime != null
            && property instanceof String name
            && !(u.knownAtRunTime == String.class && PyStrings.ARITY.containsKey(name))
            && java.util.Arrays.stream(u.knownAtRunTime.getMethods())
                .noneMatch(m -> m.getName().equals(name))) {
          throw u.noMember(name, -1);
        }
        throw u.error();
      }
      if (!(base instanceof Map<?, ?> map) || !(property instanceof String key)) {
        return null;
      }
      Map<?, ?> plain = map instanceof PyMap py ? py.toMap() : map;
      if (plain.containsKey(key) || !plain.keySet().stream().allMatch(String.class::isInstance)) {
        return null;
      }
      context.setPropertyResolved(true);
      String path = pathOf(plain);
      return new Undefined((path == null ? "" : path) + "." + key);
    }

    /** Returns the dotted path of {@code target} among the variables in scope, or null. */
    private static String pathOf(Map<?, ?> target) {
      JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
      if (interpreter == null) {
        return null;
      }
      Map<Object, Boolean> seen = new IdentityHashMap<>();
      Deque<Map.Entry<String, Object>> todo = new ArrayDeque<>();
      for (Context c = interpreter.getContext(); c != null; c = c.getParent()) {
        for (Map.Entry<String, Object> e : c.getScope().entrySet()) {
          todo.add(Map.entry(e.getKey(), e.getValue() == null ? "" : e.getValue()));
        }
      }
      while (!todo.isEmpty()) {
        Map.Entry<String, Object> next = todo.poll();
        Object value = next.getValue() instanceof PyMap py ? py.toMap() : next.getValue();
        if (value == target) {
          return next.getKey();
        }
        if (value instanceof Map<?, ?> m
            && !(m instanceof dev.orchestrator.common.SharedVars)
            && seen.put(m, true) == null) {
          for (Map.Entry<?, ?> e : m.entrySet()) {
            if (e.getKey() instanceof String k && e.getValue() != null) {
              todo.add(Map.entry(next.getKey() + "." + k, e.getValue()));
            }
          }
        }
      }
      return null;
    }

    /**
     * Refuses a method of an undefined value; of a value known at run time only, refuses a method
     * its class does not have ({@code r.stdout.finds('y')}; a string's are Java's and Python's
     * ({@link PyStrings})), as the run would, and is {@link TemplateException#knownAtRunTime()} for
     * one it has.
     */
    @Override
    public Object invoke(
        ELContext context, Object base, Object method, Class<?>[] types, Object[] params) {
      if (!(base instanceof Undefined u)) {
        return null;
      }
      if (u.knownAtRunTime != null) {
        int arity = params == null ? 0 : params.length;
        boolean exists =
            (u.knownAtRunTime == String.class && PyStrings.accepts(String.valueOf(method), arity))
                || java.util.Arrays.stream(u.knownAtRunTime.getMethods())
                    .anyMatch(
                        m ->
                            m.getName().equals(String.valueOf(method))
                                && m.getParameterCount() == arity);
        if (!exists) {
          throw u.noMember(String.valueOf(method), arity);
        }
      }
      throw u.error();
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
      return true;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
      return Object.class;
    }
  }
}
