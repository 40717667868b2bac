package dev.orchestrator.template;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A small lexer for the POSIX shell language (with the bash forms playbooks use: {@code $'..'},
 * {@code [[ ]]}, {@code (( ))}, {@code <<<}, {@code &>}) over a shell <em>template</em>: it finds
 * every {@code {{ expr }}} placeholder and tells where it stands, so that {@link ShellTemplate} can
 * refer to the value in the way that keeps it data there.
 *
 * <p>It tracks the contexts that change how the shell reads text (POSIX.1-2017, XCU 2.2 to 2.10):
 * single quotes, double quotes, backslash escapes, {@code $( )} and backquotes (a new unquoted
 * context, even inside double quotes), {@code ${ }}, arithmetic {@code $(( ))}, comments (from a
 * {@code #} that starts a word to the end of the line), here-documents (an unquoted {@code <<EOF}
 * body reads like double quotes, a quoted {@code <<'EOF'} body is literal), {@code case} words and
 * patterns, assignments and redirection targets (one word: no field splitting), and it groups words
 * into simple commands and pipelines, so that it can tell when a value would reach a second parse
 * as code (a nested shell such as {@code sh -c '... {{ v }}'}, {@code su -c}, {@code eval}, {@code
 * ssh host CMD}, a shell that reads its commands from a here-document or a pipe, or another
 * interpreter's program text). Jinja tags ({@code {% %}}, {@code {# #}}) are skipped.
 *
 * <p>The lexer is not a shell: where it guesses wrong (a {@code case} pattern inside {@code $( )}
 * written without its optional {@code (}, say), the value still goes in as a variable reference,
 * which the shell expands as data in every context; only the quoting (word splitting) can differ.
 *
 * <p>Why one class of over 400 lines: one state machine over the shell grammar; its contexts call
 * one another (quotes inside {@code $( )} inside here-documents), and splitting them across classes
 * would split the grammar's recursion without making any part testable alone
 * (TemplateValuesAsDataTest drives it whole).
 */
final class ShellLexer {

  /** Where a placeholder stands, which decides how its value is referred to. */
  enum Context {
    /** Unquoted, where the shell splits fields: the value becomes one word per word it has. */
    SPLIT,
    /** Unquoted, but one word: assignment, redirection target, {@code case} word or pattern. */
    WORD,
    /** Inside double quotes or an unquoted here-document body. */
    DOUBLE,
    /** Inside single quotes. */
    SINGLE,
    /** Inside bash's {@code $'...'}. */
    ANSI,
    /** Evaluated as arithmetic ({@code $(( ))}, {@code (( ))}, {@code let}, a subscript). */
    ARITH,
    /** Inside a quoted here-document body, which the shell does not expand. */
    LITERAL_HEREDOC,
    /** Inside a comment. */
    COMMENT
  }

  /** One {@code {{ expr }}} of the template. */
  static final class Site {
    /** Offset of its {@code {{}. */
    final int start;

    /** Offset just past its {@code }}}. */
    final int end;

    /** The expression between the braces, trimmed. */
    final String expr;

    /** Its quoting context. */
    Context context;

    /** Why its value would be parsed again as code, or null. */
    String codeReason;

    /** What to write instead, when {@link #codeReason} is set. */
    String codeHint;

    /**
     * Whether it stands in a command word (or a word a wrapper may run): its value names the
     * program, which {@link ShellTemplate} checks per host once the value is known.
     */
    boolean commandWord;

    Site(int start, int end, String expr, Context context) {
      this.start = start;
      this.end = end;
      this.expr = expr;
      this.context = context;
    }

    /** Whether the expression ends with {@code | raw}: the author opted out. */
    boolean raw() {
      return RAW.matcher(expr).matches();
    }

    /** Whether the expression ends with {@code | quote}. */
    boolean quoted() {
      return QUOTE.matcher(expr).matches();
    }
  }

  static final Pattern RAW = Pattern.compile("(?s).*\\|\\s*raw\\s*");
  static final Pattern QUOTE = Pattern.compile("(?s).*\\|\\s*quote\\s*");
  private static final Pattern NAME_EQ =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*", Pattern.DOTALL);
  private static final Pattern NAME_SUBSCRIPT =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*\\[[^\\]]*", Pattern.DOTALL);
  private static final Set<String> RESERVED =
      Set.of(
          "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}",
          "time");
  private static final Set<String> GROUP_OPENERS = Set.of("{", "if", "while", "until");
  private static final Set<String> GROUP_CLOSERS = Set.of("}", "fi", "done");
  private static final Set<String> DECLARATIONS =
      Set.of("export", "readonly", "local", "declare", "typeset");
  private static final Set<String> ARITH_TESTS = Set.of("-eq", "-ne", "-lt", "-le", "-gt", "-ge");

  /** Nesting deeper than this is refused (the lexer recurses). */
  static final int MAX_NESTING = 200;

  private enum Redirect {
    NONE,
    TARGET,
    HERESTRING,
    HEREDOC,
    HEREDOC_DASH
  }

  /** A word of a simple command; {@code text} is its value when it is {@code literal}. */
  static final class Word {
    final StringBuilder text = new StringBuilder();
    boolean literal = true;
    boolean quoted;
    final List<Site> sites = new ArrayList<>();
    Redirect redirect = Redirect.NONE;

    /** A shell expansion ({@code $x}, {@code $( )}, backquotes) stands in it: not known now. */
    boolean expanded;

    /** The variables it expands; {@code @} stands for the positional parameters. */
    final java.util.Set<String> refs = new java.util.LinkedHashSet<>();

    /** The variables it assigns with {@code ${x=...}} or {@code ${x:=...}}. */
    final java.util.Set<String> assigns = new java.util.LinkedHashSet<>();

    /** A process substitution ({@code <( )}) stands in it: a file whose content is its output. */
    boolean processSubstitution;

    /** As a redirection target: whether the command writes to it ({@code >}, {@code >>}, ...). */
    boolean writes;

    /** An array assignment {@code a=( ... )}: the words up to {@code )} are its elements. */
    boolean array;

    /** Where it starts in the template. */
    int start;

    /** Its text in the template, once it ends. */
    String source = "";

    /** Its value when it is known before running (no expansion in it), else null. */
    String value() {
      return literal ? text.toString() : null;
    }
  }

  /** A simple command: its words, what it reads on stdin, and the command piped into it. */
  static final class Command {
    final List<Word> words = new ArrayList<>();
    final List<Site> otherSites = new ArrayList<>();
    final List<Site> stdinSites = new ArrayList<>();
    Command pipedFrom;

    /** The variables expanded in what the command reads on stdin (a here-document). */
    final java.util.Set<String> stdinRefs = new java.util.LinkedHashSet<>();

    /** The variables expanded elsewhere (redirection targets, a compound command's content). */
    final java.util.Set<String> otherRefs = new java.util.LinkedHashSet<>();

    /** Its redirection targets (files it reads or, when {@link Word#writes}, writes). */
    final List<Word> targets = new ArrayList<>();

    /**
     * For an empty command that ends a compound one ({@code }}, {@code )}, {@code done}) and is
     * piped or redirected: what the compound holds.
     */
    Command compound;

    /** The function whose body it stands in, or null. */
    String function;

    /**
     * The files it runs as code ({@code sh FILE}, {@code . FILE}, {@code ./FILE}, {@code sh <
     * FILE}, make's {@code Makefile}); null for a file whose name is only known at run time.
     */
    final List<String> runFiles = new ArrayList<>();

    /** Every variable the command expands. */
    java.util.Set<String> allRefs() {
      java.util.Set<String> out = new java.util.LinkedHashSet<>(otherRefs);
      words.forEach(w -> out.addAll(w.refs));
      targets.forEach(w -> out.addAll(w.refs));
      out.addAll(stdinRefs);
      return out;
    }

    /** Every placeholder of the command (words, redirections, here-documents). */
    List<Site> allSites() {
      List<Site> out = new ArrayList<>(otherSites);
      words.forEach(w -> out.addAll(w.sites));
      out.addAll(stdinSites);
      return out;
    }
  }

  private final String s;
  private int pos;
  private int depth;
  private final List<Site> sites = new ArrayList<>();
  private final List<Command> commands = new ArrayList<>();
  private final Deque<Word> openWords = new ArrayDeque<>();

  /** Whether the template defines a shell function (whose callers' arguments are values). */
  private boolean functions;

  /** The names of the functions it defines. */
  private final Set<String> functionNames = new java.util.HashSet<>();

  /** A function defined just now ({@code f()}), whose body the next {@code {} opens. */
  private String pendingFunction;

  /** The open brace groups, innermost first: the function each is the body of, or "". */
  private final Deque<String> braces = new ArrayDeque<>();

  /** Where each open compound command starts (an index in {@link #commands}), innermost first. */
  private final Deque<Integer> groups = new ArrayDeque<>();

  /** Where the compound command that just closed started, or -1. */
  private int closedGroup = -1;

  private void openGroup() {
    groups.push(commands.size());
  }

  private void closeGroup() {
    closedGroup = groups.isEmpty() ? -1 : groups.pop();
  }

  private ShellLexer(String template) {
    this.s = template;
  }

  /**
   * Lexes a shell template.
   *
   * @return its placeholders in order, each with its context and, when its value would be parsed
   *     again as code, why
   * @throws TemplateException when the template nests deeper than {@link #MAX_NESTING}
   */
  static List<Site> lex(String template) {
    ShellLexer lexer = new ShellLexer(template);
    lexer.new Level((char) 0).run();
    lexer.analyze(java.util.Map.of(), 0);
    return lexer.sites;
  }

  private void analyze(java.util.Map<String, Set<Site>> seeds, int depth) {
    ValueFlow flow = new ValueFlow(commands, sites, functions, functionNames, seeds, depth);
    for (Command c : commands) {
      NestedCode.analyze(c, flow);
    }
    flow.filesRunAsCode();
  }

  /**
   * Analyzes a literal shell command string that a command hands to a shell ({@code sh -c '...'},
   * {@code eval '...'}): it has no placeholders of its own, but it may expand variables that hold
   * values ({@code seeds}, by name, with the placeholders they hold); where it would parse one as
   * code, those placeholders are marked. Deeper than 8 strings inside strings, every seeded
   * placeholder is marked.
   */
  static void nested(String code, java.util.Map<String, Set<Site>> seeds, int depth) {
    if (seeds.values().stream().allMatch(Set::isEmpty)) {
      return;
    }
    ShellLexer lexer = new ShellLexer(code);
    boolean lexed = depth <= 8;
    try {
      if (lexed) {
        lexer.new Level((char) 0).run();
      }
    } catch (TemplateException tooDeep) {
      lexed = false;
    }
    if (!lexed) {
      seeds
          .values()
          .forEach(
              from ->
                  ValueFlow.mark(
                      from,
                      "it may reach shell code nested too deep in command strings to follow",
                      "pass the value as data, or write {{ %s | raw }}"));
      return;
    }
    lexer.analyze(seeds, depth);
  }

  private void enter() {
    if (++depth > MAX_NESTING) {
      throw new TemplateException(
          "the command nests quotes and substitutions more than " + MAX_NESTING + " levels deep",
          null,
          "split the command into simpler steps");
    }
  }

  /** Reads a placeholder at {@code pos} and records it in every open word. */
  private Site placeholder(Context context) {
    int close = s.indexOf("}}", pos + 2);
    if (close < 0) {
      pos = s.length(); // Jinja reports the syntax error
      return null;
    }
    Site site = new Site(pos, close + 2, s.substring(pos + 2, close).trim(), context);
    sites.add(site);
    for (Word w : openWords) {
      w.sites.add(site);
      w.literal = false;
    }
    pos = close + 2;
    return site;
  }

  /** Skips a Jinja tag or comment at {@code pos}; returns false when there is none. */
  private boolean skipTag() {
    if (s.startsWith("{%", pos) || s.startsWith("{#", pos)) {
      String close = s.startsWith("{%", pos) ? "%}" : "#}";
      int end = s.indexOf(close, pos + 2);
      pos = end < 0 ? s.length() : end + 2;
      return true;
    }
    return false;
  }

  private void markExpansion() {
    for (Word w : openWords) {
      w.literal = false;
      w.expanded = true;
    }
  }

  /** Records that every open word expands variable {@code name} (a digit, @ or * is {@code @}). */
  private void ref(String name) {
    String key = name.isEmpty() || !isNameStart(name.charAt(0)) ? "@" : name;
    for (Word w : openWords) {
      w.refs.add(key);
    }
  }

  private static boolean isNameStart(char c) {
    return c == '_' || (c < 128 && Character.isLetter(c));
  }

  /** The parameter name at {@code at}: a name, a number, or one special character. */
  private String parameterName(int at) {
    if (at >= s.length()) {
      return null;
    }
    char c = s.charAt(at);
    int end = at;
    if (isNameStart(c)) {
      while (end < s.length() && (isNameStart(s.charAt(end)) || Character.isDigit(s.charAt(end)))) {
        end++;
      }
    } else if (Character.isDigit(c)) {
      while (end < s.length() && Character.isDigit(s.charAt(end))) {
        end++;
      }
    } else if (c == '@' || c == '*') {
      end++;
    } else {
      return null;
    }
    return s.substring(at, end);
  }

  private void append(char c) {
    Word w = openWords.peek();
    if (w != null) {
      w.text.append(c);
    }
  }

  /** Inside {@code '...'}, {@code pos} past the opening quote. */
  private void singleQuoted() {
    while (pos < s.length()) {
      if (s.startsWith("{{", pos)) {
        placeholder(Context.SINGLE);
      } else if (!skipTag()) {
        char c = s.charAt(pos++);
        if (c == '\'') {
          return;
        }
        append(c);
      }
    }
  }

  /** Inside bash's {@code $'...'}, {@code pos} past the opening quote. */
  private void ansiQuoted() {
    markExpansion();
    while (pos < s.length()) {
      if (s.startsWith("{{", pos)) {
        placeholder(Context.ANSI);
      } else if (!skipTag()) {
        char c = s.charAt(pos++);
        if (c == '\'') {
          return;
        }
        if (c == '\\' && pos < s.length()) {
          pos++;
        }
      }
    }
  }

  /** Inside {@code "..."}, {@code pos} past the opening quote. */
  private void doubleQuoted(boolean arith) {
    enter();
    while (pos < s.length()) {
      if (s.startsWith("{{", pos)) {
        placeholder(arith ? Context.ARITH : Context.DOUBLE);
        continue;
      }
      if (skipTag()) {
        continue;
      }
      char c = s.charAt(pos);
      if (c == '"') {
        pos++;
        break;
      }
      if (!quotedChar(c, arith, true)) {
        append(c);
        pos++;
      }
    }
    depth--;
  }

  /**
   * Handles what is special inside double quotes and here-document bodies: {@code \}, {@code $},
   * backquotes. Returns false when {@code c} is an ordinary character.
   */
  private boolean quotedChar(char c, boolean arith, boolean inDoubleQuotes) {
    if (c == '\\' && pos + 1 < s.length()) {
      char next = s.charAt(pos + 1);
      if (next == '$'
          || next == '`'
          || next == '\\'
          || next == '\n'
          || (inDoubleQuotes && next == '"')) {
        append(next);
        pos += 2;
        return true;
      }
      return false;
    }
    if (c == '$') {
      dollar(true, arith);
      return true;
    }
    if (c == '`') {
      pos++;
      markExpansion();
      new Level('`').run();
      return true;
    }
    return false;
  }

  /** At a {@code $}: an expansion, a substitution, or a plain dollar sign. */
  private void dollar(boolean quoted, boolean arith) {
    if (s.startsWith("$((", pos)) {
      pos += 3;
      markExpansion();
      arithmetic();
    } else if (s.startsWith("$(", pos)) {
      pos += 2;
      markExpansion();
      new Level(')').run();
    } else if (s.startsWith("${", pos) && !s.startsWith("${{", pos)) {
      pos += 2;
      markExpansion();
      parameter(quoted, arith);
    } else if (!quoted && s.startsWith("$'", pos)) {
      pos += 2;
      ansiQuoted();
    } else if (!quoted && s.startsWith("$\"", pos)) {
      pos += 2;
      markExpansion();
      doubleQuoted(arith);
    } else {
      pos++;
      if (pos < s.length() && !s.startsWith("{{", pos) && isNameOrSpecial(s.charAt(pos))) {
        markExpansion();
        String name = parameterName(pos);
        if (name != null) {
          ref(Character.isDigit(name.charAt(0)) ? name.substring(0, 1) : name);
        }
      }
      append('$');
    }
  }

  private static boolean isNameOrSpecial(char c) {
    return Character.isLetterOrDigit(c) || "_@*#?$!-".indexOf(c) >= 0;
  }

  /** Inside {@code ${...}}, {@code pos} past the brace. */
  private void parameter(boolean quoted, boolean arith) {
    enter();
    int at = pos < s.length() && (s.charAt(pos) == '!' || s.charAt(pos) == '#') ? pos + 1 : pos;
    String name = parameterName(at);
    if (name != null) {
      ref(name);
      int after = at + name.length();
      if (s.startsWith("=", after) || s.startsWith(":=", after)) {
        for (Word w : openWords) {
          w.assigns.add(name);
        }
      }
    }
    int braces = 0;
    int brackets = 0;
    while (pos < s.length()) {
      if (s.startsWith("{{", pos)) {
        placeholder(arith || brackets > 0 ? Context.ARITH : quoted ? Context.DOUBLE : Context.WORD);
        continue;
      }
      if (skipTag()) {
        continue;
      }
      char c = s.charAt(pos);
      if (c == '}' && braces == 0) {
        pos++;
        break;
      }
      switch (c) {
        case '{' -> braces++;
        case '}' -> braces--;
        case '[' -> brackets++;
        case ']' -> brackets = Math.max(0, brackets - 1);
        default -> {}
      }
      if (c == '"') {
        pos++;
        doubleQuoted(arith || brackets > 0);
      } else if (c == '\'' && !quoted) {
        pos++;
        singleQuoted();
      } else if (c == '\\' && pos + 1 < s.length()) {
        pos += 2;
      } else if (c == '$' || c == '`') {
        quotedChar(c, arith || brackets > 0, quoted);
      } else {
        pos++;
      }
    }
    depth--;
  }

  /** Inside {@code $((...))} or {@code ((...))}, {@code pos} past the parentheses. */
  private void arithmetic() {
    enter();
    int parens = 0;
    while (pos < s.length()) {
      if (s.startsWith("{{", pos)) {
        placeholder(Context.ARITH);
        continue;
      }
      if (skipTag()) {
        continue;
      }
      char c = s.charAt(pos);
      if (c == '(') {
        parens++;
        pos++;
      } else if (c == ')') {
        pos++;
        if (parens == 0) {
          if (pos < s.length() && s.charAt(pos) == ')') {
            pos++;
          }
          break;
        }
        parens--;
      } else if (c == '"') {
        pos++;
        doubleQuoted(true);
      } else if (c == '\\' && pos + 1 < s.length()) {
        pos += 2;
      } else if (c == '$' || c == '`') {
        quotedChar(c, true, false);
      } else {
        pos++;
      }
    }
    depth--;
  }

  private enum CaseState {
    WORD,
    PATTERN,
    BODY
  }

  private record Heredoc(String delimiter, boolean quoted, boolean dash, Command command) {}

  /** A list of commands: the template itself, a {@code $( )} or a backquoted command. */
  private final class Level {
    private final char closer;
    private Command command = new Command();
    private Command pipedFrom;
    private Word word;
    private Redirect pendingRedirect = Redirect.NONE;
    private int parens;
    private final List<Heredoc> heredocs = new ArrayList<>();
    private final Deque<CaseState> cases = new ArrayDeque<>();
    private final int openWordsAtStart = openWords.size();
    private final int commandsAtStart = commands.size();
    private boolean pendingWrites;

    Level(char closer) {
      this.closer = closer;
    }

    void run() {
      enter();
      try {
        loop();
      } finally {
        endCommand(false);
        while (openWords.size() > openWordsAtStart) {
          openWords.pop();
        }
        depth--;
      }
    }

    private boolean inPattern() {
      return !cases.isEmpty() && cases.peek() == CaseState.PATTERN;
    }

    private void loop() {
      while (pos < s.length()) {
        if (s.startsWith("{{", pos)) {
          Word w = ensureWord();
          placeholder(unquotedContext(w));
          continue;
        }
        if (skipTag()) {
          continue;
        }
        char c = s.charAt(pos);
        if (closer == '`' && c == '`') {
          pos++;
          return;
        }
        if (closer == ')' && c == ')' && parens == 0 && !inPattern()) {
          pos++;
          return;
        }
        switch (c) {
          case ' ', '\t', '\r' -> {
            endWord();
            pos++;
          }
          case '\n' -> {
            endCommand(false);
            pos++;
            readHeredocs();
          }
          case '#' -> {
            if (word == null) {
              comment();
            } else {
              append(c);
              pos++;
            }
          }
          case '\\' -> {
            if (pos + 1 < s.length() && s.charAt(pos + 1) == '\n') {
              pos += 2;
            } else {
              Word w = ensureWord();
              w.quoted = true;
              if (pos + 1 < s.length()) {
                w.text.append(s.charAt(pos + 1));
              }
              pos += 2;
            }
          }
          case '\'' -> {
            ensureWord().quoted = true;
            pos++;
            singleQuoted();
          }
          case '"' -> {
            ensureWord().quoted = true;
            pos++;
            doubleQuoted(false);
          }
          case '$' -> {
            ensureWord();
            dollar(false, false);
          }
          case '`' -> {
            ensureWord();
            markExpansion();
            pos++;
            new Level('`').run();
          }
          case '(' -> openParen();
          case ')' -> {
            endWord();
            pos++;
            if (inPattern()) {
              cases.pop();
              cases.push(CaseState.BODY);
              command = new Command();
            } else {
              parens = Math.max(0, parens - 1);
              endCommand(false);
              closeGroup();
            }
          }
          case ';' -> {
            endWord();
            boolean caseEnd = s.startsWith(";;", pos) || s.startsWith(";&", pos);
            pos += s.startsWith(";;&", pos) ? 3 : caseEnd ? 2 : 1;
            endCommand(false);
            if (caseEnd && !cases.isEmpty()) {
              cases.pop();
              cases.push(CaseState.PATTERN);
            }
          }
          case '&' -> {
            if (s.startsWith("&>", pos)) {
              pos += s.startsWith("&>>", pos) ? 3 : 2;
              redirect(Redirect.TARGET);
              pendingWrites = true;
            } else {
              pos += s.startsWith("&&", pos) ? 2 : 1;
              endCommand(false);
            }
          }
          case '|' -> {
            endWord();
            if (inPattern()) {
              pos++;
            } else if (s.startsWith("||", pos)) {
              pos += 2;
              endCommand(false);
            } else {
              pos += s.startsWith("|&", pos) ? 2 : 1;
              endCommand(true);
            }
          }
          case '<', '>' -> lessOrGreater();
          default -> {
            ensureWord().text.append(c);
            pos++;
          }
        }
      }
    }

    private void openParen() {
      boolean commandStart = word == null && command.words.isEmpty();
      if (commandStart && s.startsWith("((", pos)) {
        pos += 2;
        arithmetic();
        return;
      }
      if (inPattern()) {
        endWord();
        pos++;
        return;
      }
      if (word != null && NAME_EQ.matcher(word.text).matches()) {
        // an array assignment: a=(x y z); its elements are ordinary words
        word.literal = false;
        word.array = true;
        endWord();
        parens++;
        pos++;
        return;
      }
      if (word != null && s.substring(pos + 1).stripLeading().startsWith(")")) {
        functions = true; // name() { ...; }: a function definition
        functionNames.add(word.text.toString());
        pendingFunction = word.text.toString();
      }
      // a subshell after a pipe reads the pipe: keep it for its first command (echo x | (sh))
      Command piped = command.words.isEmpty() ? pipedFrom : null;
      endCommand(false);
      if (piped != null) {
        pipedFrom = piped;
      }
      openGroup();
      parens++;
      pos++;
    }

    private void lessOrGreater() {
      if (word != null && word.literal && !word.quoted && word.text.toString().matches("[0-9]+")) {
        openWords.pop(); // a file descriptor number, part of the operator
        word = null;
      }
      Redirect kind;
      if (s.startsWith("<<<", pos)) {
        kind = Redirect.HERESTRING;
        pos += 3;
      } else if (s.startsWith("<<-", pos)) {
        kind = Redirect.HEREDOC_DASH;
        pos += 3;
      } else if (s.startsWith("<<", pos)) {
        kind = Redirect.HEREDOC;
        pos += 2;
      } else if (s.startsWith("<(", pos) || s.startsWith(">(", pos)) {
        // bash process substitution: a command list, unquoted
        ensureWord().processSubstitution = true;
        markExpansion();
        pos += 2;
        new Level(')').run();
        return;
      } else {
        kind = Redirect.TARGET;
        pendingWrites = s.charAt(pos) == '>' || s.startsWith("<>", pos);
        pos +=
            s.startsWith("<>", pos)
                    || s.startsWith("<&", pos)
                    || s.startsWith(">>", pos)
                    || s.startsWith(">&", pos)
                    || s.startsWith(">|", pos)
                ? 2
                : 1;
      }
      redirect(kind);
    }

    private void redirect(Redirect kind) {
      endWord();
      pendingRedirect = kind;
    }

    private void comment() {
      while (pos < s.length() && s.charAt(pos) != '\n') {
        if (s.startsWith("{{", pos)) {
          placeholder(Context.COMMENT);
        } else if (!skipTag()) {
          pos++;
        }
      }
    }

    private Word ensureWord() {
      if (word == null) {
        word = new Word();
        word.start = pos;
        word.redirect = pendingRedirect;
        word.writes = pendingWrites && pendingRedirect == Redirect.TARGET;
        pendingRedirect = Redirect.NONE;
        pendingWrites = false;
        openWords.push(word);
      }
      return word;
    }

    private Context unquotedContext(Word w) {
      if (w.redirect != Redirect.NONE) {
        return Context.WORD;
      }
      if (!cases.isEmpty() && cases.peek() != CaseState.BODY) {
        return Context.WORD;
      }
      List<Word> words = command.words;
      String first = words.isEmpty() ? null : words.get(0).value();
      if ("[[".equals(first)) {
        return Context.WORD; // no field splitting in [[ ]]; arithmetic operands: see endCommand
      }
      if ("let".equals(first)) {
        return Context.ARITH;
      }
      if (words.stream().allMatch(ShellLexer::isAssignment)
          || (first != null && DECLARATIONS.contains(first))) {
        if (NAME_SUBSCRIPT.matcher(w.text).matches()) {
          return Context.ARITH; // a[i]=x: bash evaluates the subscript
        }
        if (NAME_EQ.matcher(w.text).matches()) {
          return Context.WORD;
        }
      }
      return Context.SPLIT;
    }

    private void endWord() {
      Word w = word;
      if (w == null) {
        return;
      }
      openWords.pop();
      word = null;
      w.source = s.substring(w.start, Math.min(pos, s.length()));
      switch (w.redirect) {
        case HEREDOC, HEREDOC_DASH -> {
          command.otherSites.addAll(w.sites);
          heredocs.add(
              new Heredoc(
                  w.text.toString(),
                  w.quoted || !w.literal,
                  w.redirect == Redirect.HEREDOC_DASH,
                  command));
          for (Site site : w.sites) {
            site.codeReason = "a here-document delimiter cannot be a template value";
            site.codeHint = "write the delimiter out, e.g. <<EOF";
          }
          return;
        }
        case HERESTRING -> {
          command.stdinSites.addAll(w.sites);
          command.stdinRefs.addAll(w.refs);
          return;
        }
        case TARGET -> {
          command.otherSites.addAll(w.sites);
          command.targets.add(w);
          return;
        }
        case NONE -> {}
      }
      String value = w.value();
      if (!cases.isEmpty()) {
        CaseState state = cases.peek();
        if (state == CaseState.PATTERN) {
          if ("esac".equals(value)) {
            cases.pop();
            closeGroup();
          } else {
            command.otherSites.addAll(w.sites);
          }
          return;
        }
        if (state == CaseState.BODY && command.words.isEmpty() && "esac".equals(value)) {
          cases.pop();
          closeGroup();
          return;
        }
        if (state == CaseState.WORD) {
          command.words.add(w);
          if ("in".equals(value) && command.words.size() == 3) {
            cases.pop();
            cases.push(CaseState.PATTERN);
            endCommand(false);
          }
          return;
        }
      }
      if ("{".equals(value) && !w.quoted && pendingFunction != null && !pendingFunction.isEmpty()) {
        braces.push(pendingFunction); // function f { ...; }
        pendingFunction = null;
        return;
      }
      if (command.words.isEmpty() && value != null && !w.quoted) {
        if (RESERVED.contains(value)) {
          if (value.equals("{")) {
            braces.push(pendingFunction == null ? "" : pendingFunction);
            pendingFunction = null;
          } else if (value.equals("}") && !braces.isEmpty()) {
            braces.pop();
          }
          if (GROUP_OPENERS.contains(value)) {
            openGroup();
          } else if (GROUP_CLOSERS.contains(value)) {
            closeGroup();
          }
          return; // starts a new command; the pipeline goes on (`! a | b`)
        }
        if ("function".equals(value)) {
          pendingFunction = ""; // function NAME { ...; }: the name comes next
        } else if ("".equals(pendingFunction) && command.words.size() == 1) {
          functionNames.add(value);
          pendingFunction = value;
        }
        if ("case".equals(value)) {
          cases.push(CaseState.WORD);
        }
        if ("case".equals(value) || "for".equals(value) || "select".equals(value)) {
          openGroup();
        }
      }
      command.words.add(w);
    }

    private void endCommand(boolean piped) {
      endWord();
      pendingRedirect = Redirect.NONE;
      Command done = command;
      if (done.words.isEmpty() && (piped || !done.targets.isEmpty())) {
        // the end of a compound command ({ ...; } | sh, done > f): it stands for what it holds
        Command compound = new Command();
        int from = closedGroup >= commandsAtStart ? closedGroup : commandsAtStart;
        for (Command c : commands.subList(Math.min(from, commands.size()), commands.size())) {
          compound.otherSites.addAll(c.allSites());
          compound.otherRefs.addAll(c.allRefs());
        }
        done.compound = compound;
        done.otherSites.addAll(compound.otherSites);
        done.otherRefs.addAll(compound.otherRefs);
      }
      boolean empty =
          done.words.isEmpty()
              && done.allSites().isEmpty()
              && done.allRefs().isEmpty()
              && done.targets.isEmpty();
      if (!empty) {
        done.function = braces.stream().filter(b -> !b.isEmpty()).findFirst().orElse(null);
        done.pipedFrom = pipedFrom;
        commands.add(done);
        arithmeticOperands(done);
      }
      command = new Command();
      pipedFrom = piped && !empty ? done : null;
    }

    /** In {@code [[ ]]}, the operands of {@code -eq} and its kin are evaluated as arithmetic. */
    private void arithmeticOperands(Command c) {
      List<Word> words = c.words;
      if (words.isEmpty() || !"[[".equals(words.get(0).value())) {
        return;
      }
      for (int i = 1; i < words.size(); i++) {
        String before = words.get(i - 1).value();
        String after = i + 1 < words.size() ? words.get(i + 1).value() : null;
        if ((before != null && ARITH_TESTS.contains(before))
            || (after != null && ARITH_TESTS.contains(after))) {
          for (Site site : words.get(i).sites) {
            if (site.context == Context.WORD || site.context == Context.DOUBLE) {
              site.context = Context.ARITH;
            }
          }
        }
      }
    }

    /** Reads the bodies of the here-documents opened on the line that just ended. */
    private void readHeredocs() {
      for (Heredoc h : heredocs) {
        Word body = new Word();
        openWords.push(body);
        while (pos < s.length()) {
          int eol = s.indexOf('\n', pos);
          int lineEnd = eol < 0 ? s.length() : eol;
          String line = s.substring(pos, lineEnd);
          if ((h.dash() ? line.replaceFirst("^\t+", "") : line).equals(h.delimiter())) {
            pos = eol < 0 ? s.length() : eol + 1;
            break;
          }
          while (pos < lineEnd) {
            if (s.startsWith("{{", pos)) {
              placeholder(h.quoted() ? Context.LITERAL_HEREDOC : Context.DOUBLE);
            } else if (skipTag()) {
              continue;
            } else if (h.quoted() || !quotedChar(s.charAt(pos), false, false)) {
              pos++;
            }
          }
          if (pos < s.length() && s.charAt(pos) == '\n') {
            pos++;
          }
        }
        openWords.pop();
        h.command().stdinSites.addAll(body.sites);
        h.command().stdinRefs.addAll(body.refs);
      }
      heredocs.clear();
    }
  }

  /** Whether a word is an assignment ({@code NAME=...}) when it stands before the command. */
  static boolean isAssignment(Word w) {
    return NAME_EQ.matcher(w.text).matches();
  }

  /** Lower-case base name of a command word ({@code /usr/bin/Bash} is {@code bash}). */
  static String commandName(String word) {
    return word.substring(word.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
  }
}
