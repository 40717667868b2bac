package dev.orchestrator.template;

import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.el.JinjavaProcessors;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.AdvancedFilter;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.tag.ForTag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The bounds of one render, so that no template keeps {@code validate}, {@code plan} or a run busy
 * or fills the memory: Jinjava's own limits on output, strings, lists and maps ({@link #configure})
 * and, checked before each node (text, expression, tag, each loop iteration's body) is rendered, a
 * number of nodes and a time. No real playbook comes near them: a step's command is a few lines.
 */
final class RenderBounds {
  /** The most characters a render may output, and the longest string it may build: 1 MiB. */
  static final long MAX_OUTPUT = 1L << 20;

  /** The most items a list or map built in a template may hold. */
  static final int MAX_ITEMS = 100_000;

  /** The most nodes one render may render (loop iterations multiply them). */
  static final int MAX_NODES = 200_000;

  /** The most loop iterations one render may make, all loops together (nested ones multiply). */
  static final long MAX_ITERATIONS = 1_000_000;

  /** The longest one render may take. */
  static final Duration MAX_TIME = Duration.ofSeconds(5);

  /**
   * The most text a value a template uses may hold, its YAML aliases expanded (8 MiB, as a file):
   * only aliases make a larger one, and printing it would take minutes and gigabytes.
   */
  static final long MAX_VALUE = 8L << 20;

  /** The deepest macros may call themselves. */
  static final int MAX_MACRO_DEPTH = 20;

  /** What to do about a template over a bound. */
  static final String HINT =
      "templates are bounded (README, Input limits): compute large values on the host instead";

  /** The render under way on this thread, if any. */
  private static final ThreadLocal<Budget> CURRENT = new ThreadLocal<>();

  private RenderBounds() {}

  /**
   * Returns whether Jinjava reports one of its limits ({@link #configure}) passed: output, string,
   * list or map size, whatever the severity it gives it.
   */
  static boolean isOverLimit(com.hubspot.jinjava.interpret.TemplateError error) {
    var reason = error.getReason();
    if (reason == com.hubspot.jinjava.interpret.TemplateError.ErrorReason.OUTPUT_TOO_BIG
        || reason == com.hubspot.jinjava.interpret.TemplateError.ErrorReason.OVER_LIMIT
        || reason == com.hubspot.jinjava.interpret.TemplateError.ErrorReason.COLLECTION_TOO_BIG) {
      return true;
    }
    for (Throwable t = error.getException(); t != null; t = t.getCause()) {
      if (t instanceof com.hubspot.jinjava.interpret.OutputTooBigException
          || t instanceof com.hubspot.jinjava.interpret.CollectionTooBigException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Replaces {@code for} in {@code jinjava} by one that counts its iterations, and the filters
   * whose arguments size what they build ({@link #SIZING_FILTERS}) by ones that check those
   * arguments first. Call it before the filters are wrapped for undefined values.
   */
  static void install(com.hubspot.jinjava.Jinjava jinjava) {
    com.hubspot.jinjava.interpret.Context global = jinjava.getGlobalContext();
    global.registerTag(new CountedFor());
    for (String name : SIZING_FILTERS.keySet()) {
      Filter filter = global.getFilter(name);
      if (filter != null) {
        global.registerFilter(new SizedFilter(filter));
      }
    }
  }

  /**
   * The filters that allocate as much as a number among their arguments says, before any output
   * bound can see the result, and the largest number each accepts: {@code center} and {@code
   * indent} pad to a width ({@code indent} once per line), {@code slice} and {@code batch} build
   * that many lists or items, {@code round} that many decimals. Jinjava's {@code
   * 'x'|center(2147483647)} allocated about 4 GB before its string-length limit could apply (issue
   * 23). {@code format}'s widths are in its operand ({@link #checkFormat}).
   */
  static final Map<String, Long> SIZING_FILTERS =
      Map.of(
          "center",
          MAX_OUTPUT,
          "indent",
          MAX_OUTPUT,
          "slice",
          (long) MAX_ITEMS,
          "batch",
          (long) MAX_ITEMS,
          "round",
          (long) MAX_ITEMS,
          "format",
          MAX_OUTPUT);

  /** A {@code printf} width or precision: {@code %-20s}, {@code %.3f}, {@code %1$08d}. */
  private static final java.util.regex.Pattern FORMAT_SIZE =
      java.util.regex.Pattern.compile("%(?:\\d+\\$)?[-#+ 0,(<]*(\\d+)?(?:\\.(\\d+))?");

  /**
   * Refuses the call of a sizing filter ({@link #SIZING_FILTERS}) with a number over its bound, or
   * an {@code indent} whose width times its operand's lines passes {@link #MAX_OUTPUT}.
   *
   * @throws TemplateException naming the filter, the number and the bound
   */
  static void checkArguments(String filter, Object operand, Object[] args, Map<String, ?> kwargs) {
    long bound = SIZING_FILTERS.getOrDefault(filter, Long.MAX_VALUE);
    if (filter.equals("format") && operand != null) {
      checkFormat(String.valueOf(operand), bound);
    }
    List<Object> values = new java.util.ArrayList<>();
    if (args != null) {
      values.addAll(java.util.Arrays.asList(args));
    }
    if (kwargs != null) {
      values.addAll(kwargs.values());
    }
    for (Object value : values) {
      double n = number(value);
      if (Math.abs(n) > bound) {
        throw tooLarge(filter, String.valueOf(value), bound);
      }
      if (filter.equals("indent") && operand != null) {
        long lines = String.valueOf(operand).chars().filter(c -> c == '\n').count() + 1;
        if (Math.abs(n) * lines > bound) {
          throw tooLarge(filter, value + " on " + lines + " lines", bound);
        }
      }
    }
  }

  private static void checkFormat(String format, long bound) {
    java.util.regex.Matcher m = FORMAT_SIZE.matcher(format);
    while (m.find()) {
      for (int group = 1; group <= 2; group++) {
        String digits = m.group(group);
        if (digits != null && (digits.length() > 18 || Long.parseLong(digits) > bound)) {
          throw tooLarge("format", digits, bound);
        }
      }
    }
  }

  /** The number {@code value} stands for (a number, or text that reads as one), else 0. */
  private static double number(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof CharSequence text) {
      try {
        return Double.parseDouble(text.toString().trim());
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  private static TemplateException tooLarge(String filter, String value, long bound) {
    return new TemplateException(
        "the filter '"
            + filter
            + "' is asked for a size of "
            + value
            + ", over its bound of "
            + bound,
        null,
        HINT);
  }

  /** A sizing filter that checks its arguments before it runs ({@link #checkArguments}). */
  private record SizedFilter(Filter delegate) implements AdvancedFilter {
    @Override
    public String getName() {
      return delegate.getName();
    }

    @Override
    public Object filter(
        Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
      checkArguments(delegate.getName(), var, args, kwargs);
      return delegate.filter(var, interpreter, args, kwargs);
    }

    @Override
    public boolean preserveSafeString() {
      return delegate.preserveSafeString();
    }
  }

  /** Adds Jinjava's limits and the per-node check to {@code builder}. */
  static JinjavaConfig.Builder configure(JinjavaConfig.Builder builder) {
    return builder
        .withMaxOutputSize(MAX_OUTPUT)
        .withMaxStringLength(MAX_OUTPUT)
        .withMaxListSize(MAX_ITEMS)
        .withMaxMapSize(MAX_ITEMS)
        .withMaxMacroRecursionDepth(MAX_MACRO_DEPTH)
        .withProcessors(
            JinjavaProcessors.newBuilder().withNodePreProcessor(RenderBounds::beforeNode).build());
  }

  /**
   * Starts the budget of a render on this thread; close the returned scope when it ends (it puts
   * back the budget of a render that was under way, if any).
   *
   * @param clock nanoseconds, as {@link System#nanoTime}
   */
  static Scope start(LongSupplier clock) {
    Budget previous = CURRENT.get();
    CURRENT.set(new Budget(clock, clock.getAsLong()));
    return () -> {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    };
  }

  /** Ends a render's budget. */
  interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Refuses the render under way on this thread once it has taken longer than {@link #MAX_TIME},
   * for work that runs inside one node (a regular expression's backtracking, {@link
   * PyRegex#timed}); nothing when no render is under way.
   *
   * @throws TemplateException past the bound
   */
  static void checkTime() {
    Budget budget = CURRENT.get();
    if (budget != null && budget.clock.getAsLong() - budget.start > MAX_TIME.toNanos()) {
      throw new TemplateException(
          "the template takes longer than " + MAX_TIME.toSeconds() + " seconds to render",
          null,
          HINT);
    }
  }

  private static void beforeNode(Node node, JinjavaInterpreter interpreter) {
    Budget budget = CURRENT.get();
    if (budget == null) {
      return;
    }
    budget.nodes++;
    if (budget.nodes > MAX_NODES) {
      throw exceeded(
          "renders more than " + MAX_NODES + " times a text, expression or tag (loops nested?)",
          node);
    }
    if (budget.clock.getAsLong() - budget.start > MAX_TIME.toNanos()) {
      throw exceeded("takes longer than " + MAX_TIME.toSeconds() + " seconds to render", node);
    }
  }

  /**
   * Jinjava's {@code for}, which adds the length of what it loops over to the render's iterations
   * before it starts, and refuses the loop past {@link #MAX_ITERATIONS}.
   */
  private static final class CountedFor extends ForTag {
    private static final long serialVersionUID = 1L;

    @Override
    public String renderForCollection(
        TagNode node, JinjavaInterpreter interpreter, List<String> loopVars, Object collection) {
      Budget budget = CURRENT.get();
      if (budget != null) {
        budget.iterations += sizeOf(collection);
        if (budget.iterations > MAX_ITERATIONS) {
          throw exceeded(
              "loops more than " + MAX_ITERATIONS + " times in all (nested loops multiply)", node);
        }
      }
      return super.renderForCollection(node, interpreter, loopVars, collection);
    }

    private static long sizeOf(Object collection) {
      if (collection instanceof java.util.Collection<?> c) {
        return c.size();
      }
      if (collection instanceof java.util.Map<?, ?> m) {
        return m.size();
      }
      if (collection instanceof CharSequence text) {
        return text.length();
      }
      if (collection != null && collection.getClass().isArray()) {
        return java.lang.reflect.Array.getLength(collection);
      }
      return 1;
    }
  }

  /**
   * Refuses a variable among {@code names} whose value holds more than {@link #MAX_VALUE}
   * characters, counting each alias of a shared string, list or map at its every use. Stops
   * counting past the bound, and counts each shared value once, so it takes little time itself.
   */
  static void checkValues(Iterable<String> names, java.util.Map<String, Object> vars) {
    java.util.Map<Object, Long> seen = new java.util.IdentityHashMap<>();
    for (String name : names) {
      if (vars.containsKey(name) && sizeOf(vars.get(name), seen) > MAX_VALUE) {
        throw new TemplateException(
            "the value of '"
                + name
                + "' holds more than "
                + (MAX_VALUE >> 20)
                + " MiB of text once its YAML aliases are expanded",
            null,
            "templates are bounded (README, Input limits): use a smaller value, or fewer aliases of"
                + " a large one");
      }
    }
  }

  /** The characters of {@code value}, or more than {@link #MAX_VALUE}; shared values once. */
  private static long sizeOf(Object value, java.util.Map<Object, Long> seen) {
    if (value == null
        || value instanceof Number
        || value instanceof Boolean
        || value instanceof Undefined
        || value instanceof dev.orchestrator.common.SharedVars) {
      return 4;
    }
    Long known = seen.get(value);
    if (known != null) {
      return known;
    }
    seen.put(value, MAX_VALUE + 1); // a value that contains itself is too large
    long size = 2;
    if (value instanceof java.util.Map<?, ?> map) {
      for (java.util.Map.Entry<?, ?> e : map.entrySet()) {
        size += String.valueOf(e.getKey()).length() + 4 + sizeOf(e.getValue(), seen);
        if (size > MAX_VALUE) {
          break;
        }
      }
    } else if (value instanceof java.util.Collection<?> list) {
      for (Object item : list) {
        size += 2 + sizeOf(item, seen);
        if (size > MAX_VALUE) {
          break;
        }
      }
    } else {
      size += String.valueOf(value).length();
    }
    seen.put(value, size);
    return size;
  }

  private static TemplateException exceeded(String what, Node node) {
    return new TemplateException(
        "the template " + what + " (at its line " + node.getLineNumber() + ")", null, HINT);
  }

  /** What a render has used so far. */
  private static final class Budget {
    private final LongSupplier clock;
    private final long start;
    private int nodes;
    private long iterations;

    private Budget(LongSupplier clock, long start) {
      this.clock = clock;
      this.start = start;
    }
  }
}
