package dev.orchestrator.template;

import dev.orchestrator.template.ShellLexer.Command;
import dev.orchestrator.template.ShellLexer.Site;
import dev.orchestrator.template.ShellLexer.Word;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Follows template values through one command string's shell variables and files, so that {@link
 * NestedCode} can tell when a value reaches a second parse indirectly.
 *
 * <p><b>Variables.</b> A variable is <em>tainted</em> when it is assigned from a word that holds a
 * placeholder or expands a tainted variable: {@code x=...}, {@code export}/{@code local}/{@code
 * declare}/{@code readonly}/{@code typeset x=...}, {@code env x=...}, an array {@code x=(...)},
 * {@code ${x:=...}}, {@code printf -v x}, {@code for x in ...}, {@code read}/{@code mapfile} (from
 * a value on stdin, or from anywhere when nothing on stdin is known), and {@code getopts}. The
 * positional parameters are tainted by {@code set ... VALUE} and, when the command defines a
 * function (whose callers pass values as {@code $1}), by every value. The analysis ignores order
 * and scope (a use before the assignment, or in another subshell, counts too): it may refuse a
 * command that was safe, never the reverse. An expansion of a tainted variable then counts as the
 * value itself wherever {@link NestedCode} looks for code ({@code eval "$x"}, {@code sh -c "$x"},
 * {@code trap "$x"}, a here-document to a shell, {@code $x} as the command word).
 *
 * <p><b>Variables that programs run.</b> A value assigned to a variable that a shell or a common
 * program executes or expands as code ({@code PS4}, {@code BASH_ENV}, {@code ENV}, {@code
 * PROMPT_COMMAND}, {@code BASH_FUNC_*}, {@code GIT_SSH_COMMAND}, {@code EDITOR}, {@code PAGER},
 * {@code LD_PRELOAD}, {@code PERL5OPT}, ... see {@link #RUN_VARIABLES}) is refused.
 *
 * <p><b>Files.</b> When the command writes a value to a file (a {@code >}, {@code >>} or {@code &>}
 * redirection of a command that holds a value, or {@code tee}/{@code dd}/{@code sponge}/{@code
 * cp}/{@code install} fed one) and runs as code ({@code sh FILE}, {@code . FILE}, {@code source},
 * an interpreter's script, {@code make} and its {@code Makefile}, a shell reading a file on stdin,
 * a command path such as {@code ./f}) a file whose base name the command writes, copies or moves,
 * or a file whose name is only known at run time, the written values are refused. Names are
 * compared, not contents: {@code echo {{ v }} > log; sh ./script} passes.
 *
 * <p>Why one class of over 400 lines: one analysis over the lexer's commands, whose two halves
 * (variables, files) share the map of tainted variables and the places that hold values; split
 * apart, each would have to rebuild them.
 */
final class ValueFlow {
  /** The key of the positional parameters. */
  static final String POSITIONAL = "@";

  /** Variables whose value a shell or a common program runs or expands as code. */
  static final Pattern RUN_VARIABLES =
      Pattern.compile(
          "PS[0-4]|PROMPT_COMMAND|BASH_ENV|ENV|SHELLOPTS|BASHOPTS|BASH_FUNC_.*|BASH_XTRACEFD"
              + "|GIT_SSH|GIT_SSH_COMMAND|GIT_EDITOR|GIT_PAGER|GIT_EXTERNAL_DIFF|GIT_ASKPASS"
              + "|GIT_PROXY_COMMAND|GIT_CONFIG_PARAMETERS|GIT_CONFIG_VALUE_[0-9]+|GIT_EXEC_PATH"
              + "|GIT_SEQUENCE_EDITOR|SSH_ASKPASS|EDITOR|VISUAL|PAGER|MANPAGER|SYSTEMD_PAGER"
              + "|LESSOPEN|LESSCLOSE|LD_PRELOAD|LD_AUDIT|LD_LIBRARY_PATH|PERL5OPT|PERL5LIB"
              + "|PYTHONSTARTUP|PYTHONPATH|PYTHONHOME|RUBYOPT|RUBYLIB|NODE_OPTIONS|NODE_PATH"
              + "|MAKEFLAGS|MFLAGS|GNUMAKEFLAGS|MAKEFILES|SUDO_ASKPASS|SUDO_EDITOR|PHPRC"
              + "|PHP_INI_SCAN_DIR|SHELL|CONFIG_SHELL|XARGS_SHELL");

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Set<String> DECLARATIONS =
      Set.of("export", "readonly", "local", "declare", "typeset", "env");
  private static final Set<String> READERS = Set.of("read", "mapfile", "readarray");
  private static final Set<String> COPIERS =
      Set.of("tee", "dd", "sponge", "cp", "install", "mv", "ln");
  private static final Set<String> HARMLESS_TARGETS =
      Set.of("/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty");

  private static final String RUN_VARIABLE_HINT =
      "a shell or program runs or expands this variable as code: set it to a fixed text and pass"
          + " the value in another variable, or write {{ %s | raw }} if it is meant to be code";
  private static final String FILE_HINT =
      "keep values out of files that the command runs: pass them to the script as arguments or"
          + " environment variables (sh ./script.sh {{ %s | quote }}), or write {{ %s | raw }} if"
          + " the value is meant to be code";

  private final List<Command> commands;
  private final List<Site> allSites;
  private final Map<String, Set<Site>> taint = new HashMap<>();
  private final Set<String> aliases = new HashSet<>();
  private final Set<String> functionNames;
  private final int depth;
  private final Set<String> runners = new HashSet<>();

  ValueFlow(
      List<Command> commands,
      List<Site> allSites,
      boolean functions,
      Set<String> functionNames,
      Map<String, Set<Site>> seeds,
      int depth) {
    this.commands = commands;
    this.depth = depth;
    seeds.forEach((name, from) -> taint(name, new LinkedHashSet<>(from)));
    this.allSites = allSites;
    this.functionNames = new HashSet<>(functionNames);
    boolean defines = functions;
    for (Command c : commands) {
      if (c.words.size() > 1 && "function".equals(c.words.get(0).value())) {
        defines = true;
        this.functionNames.add(c.words.get(1).text.toString());
      }
      int start = 0;
      while (start < c.words.size() && ShellLexer.isAssignment(c.words.get(start))) {
        start++;
      }
      if (start < c.words.size()
          && c.words.get(start).refs.contains(POSITIONAL)
          && c.function != null) {
        runners.add(c.function); // "$@" as a command: a function that runs its arguments
      }
    }

    if (defines) {
      taint(POSITIONAL, new LinkedHashSet<>(allSites));
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Command c : commands) {
        changed |= assignments(c);
      }
    }
    for (Command c : commands) {
      runVariables(c);
    }
  }

  /** The placeholders whose value a word holds, directly or through tainted variables. */
  Set<Site> sites(Word w) {
    Set<Site> out = new LinkedHashSet<>(w.sites);
    out.addAll(taintOf(w.refs));
    return out;
  }

  /** The placeholders whose value a command reads on stdin (here-documents, here-strings). */
  Set<Site> stdin(Command c) {
    Set<Site> out = new LinkedHashSet<>(c.stdinSites);
    out.addAll(taintOf(c.stdinRefs));
    return out;
  }

  /**
   * Every placeholder that reaches some command's standard input anywhere in the text: a pipe's
   * upstream, a here-document or a here-string. A program that reads code from its standard input
   * inside a subshell, a compound command or a function ({@code echo {{ v }} | (sh)}, {@code f() {
   * sh; }; echo {{ v }} | f}) may read any of them, whatever the structure: like the rest of this
   * analysis, structure is ignored, which can only refuse more (found by an attack on issue 22's
   * fix).
   */
  Set<Site> anyStdin() {
    Set<Site> out = new LinkedHashSet<>();
    for (Command c : commands) {
      out.addAll(stdin(c));
      for (Command up = c.pipedFrom; up != null; up = up.pipedFrom) {
        out.addAll(all(up));
      }
    }
    return out;
  }

  /** Every placeholder whose value a command holds. */
  Set<Site> all(Command c) {
    Set<Site> out = new LinkedHashSet<>(c.allSites());
    out.addAll(taintOf(c.allRefs()));
    return out;
  }

  /** The placeholders whose value reaches a word through tainted variables only. */
  Set<Site> taintOf(Collection<String> refs) {
    Set<Site> out = new LinkedHashSet<>();
    for (String r : refs) {
      out.addAll(taint.getOrDefault(r, Set.of()));
    }
    return out;
  }

  /**
   * Whether {@code name} is a function of the command that may run its arguments as a command (some
   * function runs {@code "$@"} or {@code "$1"} as its command word): a wrapper.
   */
  boolean isWrapperFunction(String name) {
    return runners.contains(name);
  }

  /**
   * Whether a command word only expands positional parameters inside a function: it runs the
   * function's arguments, which {@link #isWrapperFunction} makes its callers' command words.
   */
  boolean runsFunctionArguments(Command c, Word w) {
    return c.function != null && !w.refs.isEmpty() && Set.of(POSITIONAL).containsAll(w.refs);
  }

  /** A copy of what is tainted: by variable name, the placeholders whose value it may hold. */
  Map<String, Set<Site>> taint() {
    Map<String, Set<Site>> out = new HashMap<>();
    taint.forEach((name, from) -> out.put(name, new LinkedHashSet<>(from)));
    return out;
  }

  /** How deep in nested command strings ({@code sh -c '...'}) this analysis is; 0 at the top. */
  int depth() {
    return depth;
  }

  /** Whether {@code name} was defined as an alias by the command. */
  boolean isAlias(String name) {
    return aliases.contains(name);
  }

  private boolean taint(String name, Set<Site> from) {
    if (from.isEmpty()) {
      return false;
    }
    return taint.computeIfAbsent(name, k -> new LinkedHashSet<>()).addAll(from);
  }

  private static String nameOf(Word w) {
    String t = w.text.toString();
    int eq = t.indexOf('=');
    String name = eq < 0 ? t : t.substring(0, eq);
    return name.endsWith("+") ? name.substring(0, name.length() - 1) : name;
  }

  /** Taints what one command assigns; returns whether anything new is tainted. */
  private boolean assignments(Command c) {
    boolean changed = false;
    List<Word> words = c.words;
    for (Word w : words) {
      for (String name : w.assigns) {
        changed |= taint(name, sites(w));
      }
    }
    int start = 0;
    while (start < words.size() && ShellLexer.isAssignment(words.get(start))) {
      changed |= assignment(words, start);
      start++;
    }
    if (start >= words.size()) {
      return changed;
    }
    String cmd = words.get(start).value();
    if (cmd == null) {
      return changed;
    }
    if (DECLARATIONS.contains(cmd)) {
      for (int i = start + 1; i < words.size(); i++) {
        if (ShellLexer.isAssignment(words.get(i))) {
          changed |= assignment(words, i);
        }
      }
    } else if (READERS.contains(cmd)) {
      Set<Site> from = stdin(c);
      for (Command up = c.pipedFrom; up != null; up = up.pipedFrom) {
        from.addAll(all(up));
      }
      if (from.isEmpty()) {
        from = new LinkedHashSet<>(allSites); // it may read a file written from a value
      }
      for (int i = start + 1; i < words.size(); i++) {
        String v = words.get(i).value();
        if (v != null && NAME.matcher(v).matches()) {
          changed |= taint(v, from);
        }
      }
    } else if (cmd.equals("printf")) {
      for (int i = start + 1; i + 1 < words.size(); i++) {
        if ("-v".equals(words.get(i).value())) {
          changed |= taint(nameOf(words.get(i + 1)), all(c));
        }
      }
    } else if (cmd.equals("for") || cmd.equals("select")) {
      if (start + 1 < words.size()) {
        boolean in = start + 2 < words.size() && "in".equals(words.get(start + 2).value());
        Set<Site> from = in ? all(c) : taintOf(List.of(POSITIONAL));
        changed |= taint(nameOf(words.get(start + 1)), from);
      }
    } else if (cmd.equals("set")) {
      changed |= taint(POSITIONAL, all(c));
    } else if (cmd.equals("getopts") && start + 2 < words.size()) {
      Set<Site> from = taintOf(List.of(POSITIONAL));
      from.addAll(all(c)); // getopts OPTSTRING NAME ARGS...
      changed |= taint(nameOf(words.get(start + 2)), from);
      changed |= taint("OPTARG", from);
    } else if (cmd.equals("alias")) {
      for (int i = start + 1; i < words.size(); i++) {
        aliases.add(nameOf(words.get(i)));
      }
    }
    return changed;
  }

  /** Taints the variable that {@code words[i]} ({@code NAME=...}) assigns. */
  private boolean assignment(List<Word> words, int i) {
    Word w = words.get(i);
    Set<Site> from = sites(w);
    if (w.array) {
      for (int k = i + 1; k < words.size(); k++) {
        from.addAll(sites(words.get(k)));
      }
    }
    return taint(nameOf(w), from);
  }

  /** Refuses values assigned to variables that programs run as code. */
  private void runVariables(Command c) {
    List<Word> words = c.words;
    boolean declaring = false;
    for (int i = 0; i < words.size(); i++) {
      Word w = words.get(i);
      boolean assignment = ShellLexer.isAssignment(w);
      if (!assignment && !declaring) {
        String v = w.value();
        declaring = v != null && DECLARATIONS.contains(v);
        if (!declaring) {
          return;
        }
        continue;
      }
      if (assignment && RUN_VARIABLES.matcher(nameOf(w)).matches()) {
        mark(
            sites(w),
            "it would be assigned to " + nameOf(w) + ", which a shell or program runs as code",
            RUN_VARIABLE_HINT);
      }
    }
  }

  /**
   * Refuses the values written to files when the command also runs a file as code. Call after
   * {@link NestedCode#analyze}, which tells which commands run files.
   */
  void filesRunAsCode() {
    Set<String> writtenNames = new HashSet<>(); // files the command writes, copies or moves
    List<String> run = new java.util.ArrayList<>();
    List<Set<Site>> written = new java.util.ArrayList<>();
    Map<String, Set<String>> literals = new HashMap<>(); // x=/tmp/f: what "$x" may name
    for (Command c : commands) {
      for (Word w : c.words) {
        if (ShellLexer.isAssignment(w) && w.value() != null) {
          String v = w.value();
          literals
              .computeIfAbsent(nameOf(w), k -> new HashSet<>())
              .add(baseName(v.substring(v.indexOf('=') + 1)));
        }
      }
    }
    for (Command c : commands) {
      c.runFiles.forEach(f -> run.add(f == null ? "$" : baseName(f)));
      int start = 0;
      while (start < c.words.size() && ShellLexer.isAssignment(c.words.get(start))) {
        start++;
      }
      Word first = start < c.words.size() ? c.words.get(start) : null;
      if (first != null && first.text.indexOf("/") >= 0) {
        run.add(name(first)); // ./f, /tmp/f, "$dir"/f: a file as a program
      }
      List<Word> files =
          c.targets.stream()
              .filter(t -> t.writes)
              .filter(t -> t.value() == null || !HARMLESS_TARGETS.contains(t.value()))
              .filter(t -> t.value() == null || !t.value().matches("[0-9]+|-"))
              .toList();
      String word = first == null ? null : first.value();
      boolean copier = word != null && COPIERS.contains(ShellLexer.commandName(word));
      List<Word> names = new java.util.ArrayList<>(files);
      if (copier) {
        names.addAll(c.words.subList(start + 1, c.words.size()));
      }
      for (Word t : names) {
        String n = name(t);
        n = n.startsWith("of=") ? n.substring(3) : n;
        writtenNames.add(n);
        if (n.matches("\\$\\{?[A-Za-z_][A-Za-z0-9_]*}?")) {
          writtenNames.addAll(literals.getOrDefault(n.replaceAll("[${}]", ""), Set.of()));
        }
      }
      Set<Site> values = new LinkedHashSet<>();
      if (!files.isEmpty()) {
        values.addAll(all(c));
        files.forEach(t -> values.removeAll(t.sites));
      } else if (copier) {
        values.addAll(stdin(c));
      } else {
        continue;
      }
      for (Command up = c.pipedFrom; up != null; up = up.pipedFrom) {
        values.addAll(all(up));
      }
      written.add(values);
    }
    boolean pair = false;
    for (String file : run) {
      pair |= writtenNames.contains(file) || (unknown(file) && !writtenNames.isEmpty());
    }
    if (!pair) {
      return;
    }
    for (Set<Site> values : written) {
      mark(
          values,
          "it is written to a file, and this command runs a file as code (sh FILE, . FILE,"
              + " ./FILE, ...)",
          FILE_HINT);
    }
  }

  /** A file's base name as written: literal, or with its expansions as text ({@code $x}). */
  private static String name(Word w) {
    String v = w.value() != null ? w.value() : w.text.toString();
    String b = baseName(v);
    return b.isEmpty() || (w.value() == null && !w.sites.isEmpty() && b.equals(v)) ? "$" : b;
  }

  /** Whether a file name is only known at run time. */
  private static boolean unknown(String name) {
    return name.indexOf('$') >= 0 || name.indexOf('`') >= 0;
  }

  private static String baseName(String path) {
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return p.substring(p.lastIndexOf('/') + 1);
  }

  /** Marks placeholders as parsed again as code, unless they already are. */
  static void mark(Collection<Site> sites, String what, String hint) {
    for (Site site : sites) {
      if (site.codeReason == null) {
        site.codeReason = what;
        site.codeHint = hint;
      }
    }
  }
}
