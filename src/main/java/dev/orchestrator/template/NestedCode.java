package dev.orchestrator.template;

import dev.orchestrator.template.ShellLexer.Command;
import dev.orchestrator.template.ShellLexer.Site;
import dev.orchestrator.template.ShellLexer.Word;
import java.util.List;
import java.util.Set;

/**
 * Finds the placeholders whose value a simple command would parse again as code: the command string
 * of a nested shell ({@code sh -c}, {@code bash -lc}, {@code su -c}, {@code runuser -c}, {@code
 * sudo -s/-i}, {@code flock -c}, {@code script -c}), the arguments of {@code eval}, {@code watch}
 * and of {@code ssh}'s remote command, {@code trap}'s action, a here-document, here-string or pipe
 * feeding a shell that reads its commands from stdin, and the program text of other interpreters
 * ({@code python -c}, {@code perl -e}, {@code ruby -e}, {@code node -e}, {@code php -r}, awk
 * programs, sed scripts).
 *
 * <p>The command word decides. Wrappers that run their arguments as a command ({@code sudo}, {@code
 * env}, {@code nohup}, {@code timeout}, {@code xargs}, {@code find -exec}, a function that runs
 * {@code "$@"}, ...) and command words that are template values (such as {@code {{ as_web_user }}},
 * checked again per host with the value by {@link ShellTemplate}) make every later word a possible
 * command, so {@code {{ as_web_user }} sh -c '...'} and {@code find . -exec sh -c '...'} are found.
 * A command word that is a shell expansion ({@code $SHELL}, {@code "$x"}, {@code $(...)}) or a
 * variable holding a value may be any program, a shell or {@code eval} included: no value may reach
 * its arguments or stdin. An ordinary program with a shell and {@code -c} among its arguments
 * ({@code ssh-agent sh -c}) runs that shell. {@code make --eval} and {@code make VAR=...}, {@code
 * git -c}, {@code --config-env} and {@code git config} of keys that name commands are code too.
 * Values reach these places directly or through variables and files ({@link ValueFlow}); a literal
 * command string given to a shell is analyzed in its turn, with the values it may expand ({@link
 * ShellLexer#nested}). Option syntax follows each program's manual page (util-linux
 * su/runuser/flock/script, sudo, OpenSSH ssh, procps watch, GNU sed/awk).
 *
 * <p>Why one class of over 400 lines: one table of programs and their option syntax (which argument
 * is code), each entry a few lines sourced from its manual page; grouping them by program in one
 * place is what makes a missing one easy to spot.
 */
final class NestedCode {
  private NestedCode() {}

  private static final Set<String> SHELLS =
      Set.of(
          "sh", "bash", "dash", "zsh", "ksh", "ksh93", "mksh", "pdksh", "ash", "yash", "posh",
          "fish", "csh", "tcsh", "rbash");
  private static final Set<String> WRAPPERS =
      Set.of(
          "env",
          "nohup",
          "nice",
          "ionice",
          "timeout",
          "setsid",
          "stdbuf",
          "chroot",
          "exec",
          "command",
          "builtin",
          "xargs",
          "unshare",
          "nsenter",
          "systemd-run",
          "docker",
          "podman",
          "kubectl",
          "lxc",
          "busybox",
          "chrt",
          "taskset",
          "cgexec",
          "strace",
          "ltrace",
          "time",
          "unbuffer",
          "parallel",
          "sg",
          "newgrp",
          "doas",
          "catchsegv",
          "numactl",
          "ip",
          "firejail",
          "bwrap",
          "proot",
          "schroot",
          "machinectl",
          "toolbox",
          "distrobox",
          "pkexec",
          "flock",
          "script",
          "runuser",
          "sudo");
  private static final Set<String> PYTHONS =
      Set.of("python", "python2", "python3", "pypy", "pypy3");
  private static final Set<String> AWKS = Set.of("awk", "gawk", "mawk", "nawk", "busybox-awk");

  private static final String SHELL_HINT =
      "pass the value to the inner shell as a positional parameter: sh -c 'echo \"$1\"' _ {{ %s |"
          + " quote }} (works through sudo too: sudo -u USER sh -c '...\"$1\"...' _ {{ %s | quote"
          + " }}), or write {{ %s | raw }} if the value is meant to be shell code";
  private static final String STDIN_HINT =
      "pass the value as a positional parameter of that shell and keep its script literal:"
          + " sh -s -- {{ %s | quote }} <<'EOF' ... \"$1\" ... EOF, or write {{ %s | raw }} if the value is"
          + " meant to be shell code";
  private static final String SU_HINT =
      "run the inner shell with the value as a positional parameter: sudo -u USER sh -c 'echo"
          + " \"$1\"' _ {{ %s | quote }} (or runuser -u USER -- sh -c ... _ {{ %s | quote }}), or"
          + " write {{ %s | raw }} if the value is meant to be shell code";
  private static final String SUDO_SHELL_HINT =
      "drop -s/-i (sudo then runs the command itself, no shell), or pass the value as a positional"
          + " parameter: sudo -u USER sh -c 'echo \"$1\"' _ {{ %s | quote }}; or write {{ %s |"
          + " raw }}";
  private static final String EVAL_HINT =
      "use the value without eval (\"{{ %s }}\" is already expanded as data), or write {{ %s |"
          + " raw }} if it is meant to be shell code";
  private static final String SSH_HINT =
      "ssh hands its command to the remote shell as text: send the value on stdin (printf '%%s'"
          + " {{ %s }} | ssh HOST 'v=$(cat); ...\"$v\"...'), or write {{ %s | raw }} once you have"
          + " checked it";
  private static final String UNKNOWN_HINT =
      "write the program's name out (sh -c '...\"$1\"...' _ {{ %s | quote }}), or take it from a"
          + " template variable ({{ prog }} ..., checked per host); or write {{ %s | raw }} if the"
          + " value is meant to be code";
  private static final String MAKE_HINT =
      "make expands $(...) in its variables and runs recipes through the shell: pass the value in"
          + " the environment (V={{ %s }} make ...) and refer to it in the recipe as the shell's"
          + " \"$$V\", never make's $(V); or write {{ %s | raw }} once you have checked it";
  private static final String GIT_HINT =
      "git runs configuration values such as alias.*=!CMD, core.sshCommand or core.pager as"
          + " commands: keep values out of git -c/--config-env and of such keys, or write {{ %s |"
          + " raw }} once you have checked it";
  private static final String WATCH_HINT =
      "use watch -x (it then runs the command itself, no shell), or write {{ %s | raw }}";
  private static final String TRAP_HINT =
      "put the value in a variable and refer to it: v={{ %s }}; trap 'echo \"$v\"' EXIT; or write"
          + " {{ %s | raw }}";
  private static final String INTERPRETER_HINT =
      "pass the value as an argument or in the environment, not in the program text (python3 -c"
          + " 'import sys; print(sys.argv[1])' {{ %s | quote }}), or write {{ %s | raw }} once you have"
          + " checked it";
  private static final String AWK_HINT =
      "pass the value through the environment, not in the program text: V={{ %s }} awk '{ print"
          + " ENVIRON[\"V\"] }', or write {{ %s | raw }} once you have checked it";
  private static final String SED_HINT =
      "sed cannot take a value as data (and GNU sed's e, s///e and w commands run commands or"
          + " write files): use awk with the value in the environment (V={{ %s }} awk '{ sub(/x/,"
          + " ENVIRON[\"V\"]); print }'), or write {{ %s | raw }} once you have checked it";

  /** How a program reads its options. Letters are short options. */
  private record Options(
      String special,
      String stdin,
      String codeArg,
      String fileArg,
      String arg,
      Set<String> specialLong,
      Set<String> codeLong,
      Set<String> fileLong,
      Set<String> argLong,
      boolean plus,
      boolean permute) {}

  private static final Options SHELL_OPTIONS =
      new Options(
          "c",
          "s",
          "",
          "",
          "oO",
          Set.of(),
          Set.of(),
          Set.of(),
          Set.of("--rcfile", "--init-file"),
          true,
          false);
  private static final Options SU_OPTIONS =
      new Options(
          "u",
          "",
          "c",
          "",
          "sgGwC",
          Set.of("--user"),
          Set.of("--command", "--session-command"),
          Set.of(),
          Set.of("--shell", "--group", "--supp-group", "--whitelist-environment", "--pty"),
          false,
          true);
  private static final Options SUDO_OPTIONS =
      new Options(
          "si",
          "",
          "",
          "",
          "ugpCDhrtUTRc",
          Set.of("--shell", "--login"),
          Set.of(),
          Set.of(),
          Set.of(
              "--user",
              "--group",
              "--prompt",
              "--close-from",
              "--chdir",
              "--host",
              "--role",
              "--type",
              "--other-user",
              "--command-timeout",
              "--login-class"),
          false,
          false);
  private static final Options SSH_OPTIONS =
      new Options(
          "",
          "",
          "",
          "",
          "BbcDEeFIiJLlmOoPpQRSWw",
          Set.of(),
          Set.of(),
          Set.of(),
          Set.of(),
          false,
          false);
  private static final Options WATCH_OPTIONS =
      new Options(
          "x",
          "",
          "",
          "",
          "nq",
          Set.of("--exec"),
          Set.of(),
          Set.of(),
          Set.of("--interval", "--equexit"),
          false,
          false);
  private static final Options C_OPTIONS =
      new Options(
          "", "", "c", "", "", Set.of(), Set.of("--command"), Set.of(), Set.of(), false, true);
  private static final Options PYTHON_OPTIONS =
      new Options("m", "", "c", "", "WX", Set.of(), Set.of(), Set.of(), Set.of(), false, false);
  private static final Options PERL_OPTIONS =
      new Options("", "", "eE", "", "IMmx", Set.of(), Set.of(), Set.of(), Set.of(), false, false);
  private static final Options RUBY_OPTIONS =
      new Options("", "", "e", "", "IrCEx", Set.of(), Set.of(), Set.of(), Set.of(), false, false);
  private static final Options NODE_OPTIONS =
      new Options(
          "",
          "",
          "ep",
          "",
          "r",
          Set.of(),
          Set.of("--eval", "--print"),
          Set.of(),
          Set.of("--require", "--import"),
          false,
          false);
  private static final Options PHP_OPTIONS =
      new Options(
          "", "", "rRBEF", "f", "cdz", Set.of(), Set.of(), Set.of(), Set.of(), false, false);
  private static final Options AWK_OPTIONS =
      new Options(
          "",
          "",
          "e",
          "f",
          "Fv",
          Set.of(),
          Set.of("--source"),
          Set.of("--file"),
          Set.of("--field-separator", "--assign"),
          false,
          false);
  private static final Options SED_OPTIONS =
      new Options(
          "",
          "",
          "e",
          "f",
          "l",
          Set.of(),
          Set.of("--expression"),
          Set.of("--file"),
          Set.of("--line-length"),
          false,
          false);

  /** What option parsing found. */
  private static final class Parsed {
    boolean special;
    boolean stdin;
    boolean file;
    int fileIndex = -1;
    final List<Integer> code = new java.util.ArrayList<>();
    int firstOperand = -1;
  }

  private static Parsed parse(List<Word> words, int start, Options o) {
    Parsed p = new Parsed();
    int j = start + 1;
    while (j < words.size()) {
      Word word = words.get(j);
      String v = word.value();
      boolean attached = false;
      if (v == null && word.text.length() > 1 && word.text.charAt(0) == '-') {
        // an option with a value in it (--command='x {{ v }}', -c"{{ v }}"): its literal part
        v = word.text.toString();
        attached = true;
      }
      if (v == null) {
        if (p.firstOperand < 0) {
          p.firstOperand = j;
        }
        if (!o.permute()) {
          break;
        }
        j++;
        continue;
      }
      if (v.equals("--")) {
        if (p.firstOperand < 0 && j + 1 < words.size()) {
          p.firstOperand = j + 1;
        }
        break;
      }
      if (v.startsWith("--") && v.length() > 2) {
        int eq = v.indexOf('=');
        String name = eq < 0 ? v : v.substring(0, eq);
        boolean takes = true;
        if (o.codeLong().contains(name)) {
          p.code.add(eq < 0 ? j + 1 : j);
        } else if (o.fileLong().contains(name)) {
          p.file = true;
          p.fileIndex = eq < 0 ? j + 1 : -1;
        } else if (o.specialLong().contains(name)) {
          p.special = true;
          takes = false;
        } else if (!o.argLong().contains(name)) {
          takes = false;
        }
        j += takes && eq < 0 ? 2 : 1;
        continue;
      }
      if ((v.startsWith("-") || (o.plus() && v.startsWith("+"))) && v.length() > 1) {
        boolean skipNext = false;
        for (int k = 1; k < v.length(); k++) {
          char ch = v.charAt(k);
          boolean last = k + 1 == v.length() && !attached;
          if (o.special().indexOf(ch) >= 0) {
            p.special = true;
          }
          if (o.stdin().indexOf(ch) >= 0) {
            p.stdin = true;
          }
          if (o.codeArg().indexOf(ch) >= 0) {
            p.code.add(last ? j + 1 : j);
            skipNext = last;
            break;
          }
          if (o.fileArg().indexOf(ch) >= 0 || o.arg().indexOf(ch) >= 0) {
            if (o.fileArg().indexOf(ch) >= 0) {
              p.file = true;
              p.fileIndex = last ? j + 1 : -1;
            }
            skipNext = last;
            break;
          }
        }
        j += skipNext ? 2 : 1;
        continue;
      }
      if (p.firstOperand < 0) {
        p.firstOperand = j;
      }
      if (!o.permute()) {
        break;
      }
      j++;
    }
    return p;
  }

  /** Marks the placeholders of a simple command whose value it would parse again as code. */
  static void analyze(Command c, ValueFlow f) {
    List<Word> words = c.words;
    int start = 0;
    while (start < words.size() && ShellLexer.isAssignment(words.get(start))) {
      start++;
    }
    boolean anyPosition = false;
    boolean afterWrapper = false; // a literal wrapper, not a template value (checked per host)
    for (int i = start; i < words.size(); i++) {
      Word word = words.get(i);
      String v = word.value();
      boolean commandPosition = i == start || anyPosition;
      if ((i == start || afterWrapper)
          && !f.runsFunctionArguments(c, word)
          && ((v == null && word.expanded) || !f.taintOf(word.refs).isEmpty() || f.isAlias(v))) {
        unknownProgram(f, c, i);
        return;
      }
      if (v == null) {
        if (commandPosition) {
          word.sites.forEach(site -> site.commandWord = true); // checked per host
          afterWrapper = false; // the rest are its arguments, or a wrapper's: checked per host
        }
        if (i == start) {
          anyPosition = true; // a command known at run time, e.g. {{ as_web_user }}
        }
        continue;
      }
      String name = ShellLexer.commandName(v);
      int next = program(f, c, i, name);
      if (next == DONE) {
        return;
      }
      if (next == PLAIN) {
        if (WRAPPERS.contains(name) || f.isWrapperFunction(v)) {
          anyPosition = true;
          afterWrapper = true;
        } else if (!anyPosition) {
          hiddenShell(f, c, i);
          return; // an ordinary command: its arguments are data
        } else if (PROGRAM_LIKE.matcher(v).matches()) {
          afterWrapper = false; // likely the wrapped program: an expansion after it is its argument
        }
      } else {
        anyPosition = true;
        afterWrapper = true;
        i = next - 1;
      }
    }
  }

  /**
   * A command word that is a shell expansion ({@code $SHELL}, {@code $S}, {@code "$x"}, {@code
   * $(...)}, backquotes), a tainted variable or an alias is a program not known before it runs: it
   * may be a shell, {@code eval} or a wrapper of either, so it is treated as all of them at once:
   * every value in its arguments, on its stdin or piped into it is refused. (A command word that is
   * a template value is not this case: its value is known per host, and {@link ShellTemplate}
   * checks the command again with it.)
   */
  private static void unknownProgram(ValueFlow f, Command c, int i) {
    List<Word> w = c.words;
    String what =
        "`"
            + w.get(i).source
            + "`, a program only known when the command runs, which may be a shell, eval or a"
            + " wrapper of either";
    mark(f.taintOf(w.get(i).refs), what, UNKNOWN_HINT);
    for (int k = i + 1; k < w.size(); k++) {
      code(f, w, k, what, UNKNOWN_HINT);
    }
    stdin(f, c, what, UNKNOWN_HINT);
  }

  /**
   * An ordinary program whose arguments hold a shell and its {@code -c} ({@code ssh-agent sh -c},
   * {@code fakeroot bash -c}, {@code dbus-run-session sh -c}), or an interpreter and its program
   * option ({@code python3 -c}): whatever the program, it is taken to run that as a command.
   */
  private static void hiddenShell(ValueFlow f, Command c, int i) {
    List<Word> w = c.words;
    for (int k = i + 1; k < w.size(); k++) {
      String v = w.get(k).value();
      if (v == null) {
        continue;
      }
      String name = ShellLexer.commandName(v);
      Options o =
          SHELLS.contains(name)
              ? SHELL_OPTIONS
              : PYTHONS.contains(name)
                  ? PYTHON_OPTIONS
                  : name.startsWith("perl") ? PERL_OPTIONS : name.equals("su") ? SU_OPTIONS : null;
      if (o == null) {
        continue;
      }
      Parsed p = parse(w, k, o);
      String what =
          "`" + name + "` and its code option in the arguments of `" + w.get(i).text + "`";
      if (o == SHELL_OPTIONS && p.special) {
        shellCode(f, w, p.firstOperand, what, SHELL_HINT, true);
      }
      p.code.forEach(j -> shellCode(f, w, j, what, SHELL_HINT, true));
    }
  }

  private static final int DONE = -1;
  private static final int PLAIN = -2;

  /**
   * Marks what program {@code name} at word {@code i} parses as code.
   *
   * @return {@link #DONE} when the command is settled, {@link #PLAIN} when {@code name} is no such
   *     program, or the index of the word to go on scanning from
   */
  private static int program(ValueFlow f, Command c, int i, String name) {
    List<Word> w = c.words;
    if (SHELLS.contains(name)) {
      Parsed p = parse(w, i, SHELL_OPTIONS);
      String what = "`" + name + " -c`, which parses its command string again as shell code";
      if (p.special && p.firstOperand < 0) {
        // sh -c with its command string still to come: xargs sh -c takes it from its input
        stdin(f, c, what + " (its command string comes from the input)", STDIN_HINT);
      } else if (p.special && xargsReplaces(w, i, p.firstOperand)) {
        // xargs -I{} sh -c '{}': the command string is made of the input
        stdin(f, c, what + " (xargs puts its input in the command string)", STDIN_HINT);
        shellCode(f, w, p.firstOperand, what, SHELL_HINT, true);
      } else if (p.special) {
        shellCode(f, w, p.firstOperand, what, SHELL_HINT, true);
      } else if (p.stdin || p.firstOperand < 0 || "-".equals(w.get(p.firstOperand).value())) {
        stdin(f, c, "`" + name + "`, which reads its commands from standard input", STDIN_HINT);
      } else {
        script(f, c, p.firstOperand, name);
      }
      return DONE;
    }
    switch (name) {
      case ".", "source" -> {
        String before = i == 0 ? null : w.get(i - 1).value();
        if (i > 0 && !ShellLexer.isAssignment(w.get(i - 1)) && !BUILTIN_RUNNERS.contains(before)) {
          return PLAIN; // a builtin: a wrapper cannot run it (find . -name x)
        }
        int k = i + 1 < w.size() && "--".equals(w.get(i + 1).value()) ? i + 2 : i + 1;
        script(f, c, k, name);
        return DONE;
      }
      case "alias" -> {
        for (int k = i + 1; k < w.size(); k++) {
          shellCode(f, w, k, "`alias`, whose text is shell code", EVAL_HINT, false);
        }
        return DONE;
      }
      case "env" -> {
        // env -S STRING / --split-string=STRING: env splits and expands STRING itself
        for (int k = i + 1; k < w.size(); k++) {
          String t = w.get(k).text.toString();
          if (t.equals("-S") || t.equals("--split-string")) {
            code(f, w, k + 1, "`env -S`, which splits and expands its string", EVAL_HINT);
          } else if (t.startsWith("-S") || t.startsWith("--split-string=")) {
            code(f, w, k, "`env -S`, which splits and expands its string", EVAL_HINT);
          } else if (!t.startsWith("-")) {
            break;
          }
        }
        return PLAIN;
      }
      case "find" -> {
        // find's paths and tests are data; -exec/-execdir/-ok/-okdir start a command
        for (int k = i + 1; k < w.size(); k++) {
          if (FIND_EXEC.contains(String.valueOf(w.get(k).value()))) {
            return k + 1 < w.size() ? k + 1 : DONE;
          }
        }
        return DONE;
      }
      case "make", "gmake", "bmake" -> {
        make(f, c, i);
        return DONE;
      }
      case "git" -> {
        git(f, c, i);
        return DONE;
      }
      case "su", "runuser" -> {
        Parsed p = parse(w, i, SU_OPTIONS);
        if (name.equals("runuser") && p.special) {
          return PLAIN; // runuser -u USER -- CMD runs CMD itself
        }
        String what = "`" + name + " -c`, which runs its command through a shell";
        if (!p.code.isEmpty()) {
          p.code.forEach(k -> shellCode(f, w, k, what, SU_HINT, true));
        } else {
          stdin(f, c, "`" + name + "`, which reads shell commands from standard input", SU_HINT);
        }
        return DONE;
      }
      case "sudo" -> {
        Parsed p = parse(w, i, SUDO_OPTIONS);
        if (!p.special) {
          return p.firstOperand < 0 ? DONE : p.firstOperand;
        }
        String what = "`sudo -s/-i`, which runs the command through a shell";
        if (p.firstOperand < 0) {
          stdin(f, c, what, SUDO_SHELL_HINT);
        }
        for (int k = Math.max(p.firstOperand, 0); p.firstOperand >= 0 && k < w.size(); k++) {
          shellCode(f, w, k, what, SUDO_SHELL_HINT, true);
        }
        return DONE;
      }
      case "eval" -> {
        if (w.subList(i + 1, w.size()).stream()
            .anyMatch(x -> x.source.contains("$(") || x.source.contains("`"))) {
          // eval "$(cat)", eval "$(</dev/stdin)": what it runs may be its standard input
          stdin(f, c, "`eval` of a command's output, which may be its input", EVAL_HINT);
        }
        for (int k = i + 1; k < w.size(); k++) {
          shellCode(f, w, k, "`eval`, which parses its arguments as shell code", EVAL_HINT, false);
        }
        return DONE;
      }
      case "trap" -> {
        int k = i + 1;
        if (k < w.size() && "--".equals(w.get(k).value())) {
          k++;
        }
        shellCode(f, w, k, "`trap`, whose action is shell code", TRAP_HINT, false);
        return DONE;
      }
      case "scp", "sftp" -> {
        // their -o options are ssh's (ProxyCommand, LocalCommand, ...: run by a shell)
        sshOptions(f, w, i, parse(w, i, SSH_OPTIONS));
        return DONE;
      }
      case "ssh" -> {
        Parsed p = parse(w, i, SSH_OPTIONS);
        sshOptions(f, w, i, p);
        if (p.firstOperand < 0) {
          return DONE;
        }
        if (p.firstOperand + 1 >= w.size()) {
          stdin(
              f, c, "`ssh HOST`, whose remote shell reads commands from standard input", SSH_HINT);
          return DONE;
        }
        for (int k = p.firstOperand + 1; k < w.size(); k++) {
          code(f, w, k, "`ssh`, whose remote shell parses the command again", SSH_HINT);
        }
        return p.firstOperand + 1; // `ssh host sh` reads its stdin as code too
      }
      case "watch" -> {
        Parsed p = parse(w, i, WATCH_OPTIONS);
        if (p.special || p.firstOperand < 0) {
          return p.firstOperand < 0 ? DONE : p.firstOperand;
        }
        for (int k = p.firstOperand; k < w.size(); k++) {
          shellCode(f, w, k, "`watch`, which runs its command through sh -c", WATCH_HINT, true);
        }
        return DONE;
      }
      case "flock", "script" -> {
        Parsed p = parse(w, i, C_OPTIONS);
        if (p.code.isEmpty() && name.equals("script")) {
          // script without -c starts the user's shell, which reads its standard input
          stdin(f, c, "`script`, whose shell reads its commands from standard input", STDIN_HINT);
          return DONE;
        }
        if (p.code.isEmpty()) {
          return PLAIN;
        }
        p.code.forEach(
            k ->
                shellCode(
                    f,
                    w,
                    k,
                    "`" + name + " -c`, which runs its command through a shell",
                    SHELL_HINT,
                    true));
        return DONE;
      }
      default -> {}
    }
    Options interpreter =
        PYTHONS.contains(name)
            ? PYTHON_OPTIONS
            : name.startsWith("perl")
                ? PERL_OPTIONS
                : name.startsWith("ruby")
                    ? RUBY_OPTIONS
                    : name.equals("node") || name.equals("nodejs")
                        ? NODE_OPTIONS
                        : name.matches("php[0-9.]*") ? PHP_OPTIONS : null;
    if (interpreter != null) {
      Parsed p = parse(w, i, interpreter);
      String what = "`" + name + "`, which parses it as program code";
      if (!p.code.isEmpty()) {
        p.code.forEach(k -> code(f, w, k, what, INTERPRETER_HINT));
      } else if (p.file) {
        runs(c, p.fileIndex);
      } else if (!p.special && p.firstOperand >= 0) {
        runs(c, p.firstOperand);
      }
      if (!p.code.isEmpty()) {
        return DONE;
      } else if (!p.special
          && !p.file
          && (p.firstOperand < 0 || "-".equals(w.get(p.firstOperand).value()))) {
        stdin(
            f, c, "`" + name + "`, which reads its program from standard input", INTERPRETER_HINT);
      }
      return DONE;
    }
    boolean awk = AWKS.contains(name);
    if (awk || name.equals("sed") || name.equals("gsed")) {
      Parsed p = parse(w, i, awk ? AWK_OPTIONS : SED_OPTIONS);
      String what =
          awk
              ? "`" + name + "`, which parses it as part of its program"
              : "`sed`, which parses it as part of its script";
      String hint = awk ? AWK_HINT : SED_HINT;
      p.code.forEach(k -> code(f, w, k, what, hint));
      if (p.file) {
        runs(c, p.fileIndex);
      }
      if (p.code.isEmpty() && !p.file) {
        code(f, w, p.firstOperand, what, hint);
      }
      return DONE;
    }
    return PLAIN;
  }

  /** {@code sh FILE}, {@code . FILE}: runs a file as code; {@code <( )} or stdin is the value. */
  private static void script(ValueFlow f, Command c, int k, String name) {
    runs(c, k);
    if (k < 0 || k >= c.words.size()) {
      return;
    }
    Word file = c.words.get(k);
    String what = "`" + name + "`, which runs the file as shell code";
    if (file.processSubstitution) {
      code(f, c.words, k, what + " (a process substitution)", STDIN_HINT);
    } else if (STDIN_FILES.contains(String.valueOf(file.value()))) {
      stdin(f, c, what + " (standard input)", STDIN_HINT);
    }
  }

  /** A word after a wrapper that looks like the wrapped program's name (not an option, number). */
  private static final java.util.regex.Pattern PROGRAM_LIKE =
      java.util.regex.Pattern.compile("[^-+=/0-9][^=]*|\\./[^=]*");

  private static final Set<String> FIND_EXEC = Set.of("-exec", "-execdir", "-ok", "-okdir");

  private static final Set<String> BUILTIN_RUNNERS = Set.of("command", "builtin");

  private static final Set<String> STDIN_FILES =
      Set.of("/dev/stdin", "/dev/fd/0", "/proc/self/fd/0", "-");

  private static final Options MAKE_OPTIONS =
      new Options(
          "",
          "",
          "E",
          "f",
          "CIWo",
          Set.of(),
          Set.of("--eval"),
          Set.of("--file", "--makefile"),
          Set.of(
              "--directory",
              "--include-dir",
              "--what-if",
              "--new-file",
              "--assume-new",
              "--old-file",
              "--assume-old"),
          false,
          true);

  private static final java.util.regex.Pattern MAKE_ASSIGNMENT =
      java.util.regex.Pattern.compile("(?s)(override\\s+)?[^-=/\\s][^=/\\s]*[:!?+]?=.*");

  /**
   * GNU make: {@code --eval}/{@code -E} is makefile text, and a variable assignment among its
   * arguments ({@code make X=...}) is expanded as make code ({@code $(shell ...)}) wherever X is
   * used, and runs in recipes through the shell. make also runs a makefile (a file as code).
   */
  private static void make(ValueFlow f, Command c, int i) {
    List<Word> w = c.words;
    Parsed p = parse(w, i, MAKE_OPTIONS);
    String what = "`make`, which expands it as makefile code";
    p.code.forEach(k -> code(f, w, k, what, MAKE_HINT));
    for (int k = i + 1; k < w.size(); k++) {
      if (MAKE_ASSIGNMENT.matcher(w.get(k).text).matches()) {
        code(f, w, k, "a variable assignment on make's command line, " + what, MAKE_HINT);
      }
    }
    if (p.file) {
      runs(c, p.fileIndex);
    } else {
      c.runFiles.addAll(List.of("Makefile", "makefile", "GNUmakefile"));
    }
  }

  /** Records that {@code c} runs the file its word {@code k} names (unknown when out of range). */
  private static void runs(Command c, int k) {
    c.runFiles.add(k >= 0 && k < c.words.size() ? c.words.get(k).value() : null);
  }

  private static final java.util.regex.Pattern GIT_COMMAND_KEY =
      java.util.regex.Pattern.compile(
          "(?i)alias\\..*|include\\..*|includeif\\..*|core\\.(sshcommand|pager|editor|askpass"
              + "|fsmonitor|hookspath|gitproxy|alternaterefscommand)|sequence\\.editor|diff\\..*"
              + "|merge\\..*|mergetool\\..*|difftool\\..*|filter\\..*|credential\\..*|gpg\\..*"
              + "|pager\\..*|uploadpack\\..*|receive\\..*|remote\\..*|protocol\\..*|web\\..*"
              + "|browser\\..*|man\\..*|instaweb\\..*|sendemail\\..*|.*(command|cmd|program|helper"
              + "|hook|editor|driver|textconv|proxy)");

  /**
   * git: the value of {@code -c NAME=VALUE} may be run as a command ({@code alias.x=!CMD}, {@code
   * core.sshCommand}, {@code core.pager}, ...), whatever the key, so any value in it is refused;
   * {@code --config-env} reads such a value from an environment variable, so every value of the
   * command is; {@code git config KEY VALUE} is refused for keys that name commands ({@link
   * #GIT_COMMAND_KEY}).
   */
  private static void git(ValueFlow f, Command c, int i) {
    List<Word> w = c.words;
    String what = "`git -c`, whose configuration values git may run as commands";
    int k = i + 1;
    for (; k < w.size(); k++) {
      String t = w.get(k).text.toString();
      if (t.equals("-c")) {
        code(f, w, ++k, what, GIT_HINT);
      } else if (t.startsWith("-c")) {
        code(f, w, k, what, GIT_HINT);
      } else if (t.startsWith("--config-env")) {
        mark(
            f.all(c),
            "`git --config-env`, which reads configuration from the environment",
            GIT_HINT);
        for (Word prefix : w.subList(0, i)) {
          mark(f.sites(prefix), "`git --config-env`", GIT_HINT);
        }
      } else if (t.equals("-C") || t.equals("--git-dir") || t.equals("--work-tree")) {
        k++;
      } else if (!t.startsWith("-")) {
        break;
      }
    }
    if (k + 1 < w.size() && "config".equals(w.get(k).value())) {
      int key = k + 1;
      while (key < w.size() && String.valueOf(w.get(key).value()).startsWith("-")) {
        key++;
      }
      String v = key < w.size() ? w.get(key).value() : "";
      if (v == null || GIT_COMMAND_KEY.matcher(v).matches()) {
        for (int j = key; j < w.size(); j++) {
          code(f, w, j, "`git config` of a key whose value git may run as a command", GIT_HINT);
        }
      }
    }
  }

  /**
   * Marks a shell command string ({@code sh -c CODE}, {@code eval CODE}, {@code trap CODE}) and,
   * when it is literal, analyzes it as shell code in its turn, with what it may expand: the
   * variables tainted here and, for a new shell ({@code child}), its positional parameters taken
   * from the words after it ({@code sh -c 'eval "$1"' _ {{ v }}} is refused).
   */
  private static void shellCode(
      ValueFlow f, List<Word> words, int index, String what, String hint, boolean child) {
    code(f, words, index, what, hint);
    if (index < 0 || index >= words.size() || words.get(index).value() == null) {
      return;
    }
    java.util.Map<String, java.util.Set<Site>> seeds = f.taint();
    if (child) {
      java.util.Set<Site> args = new java.util.LinkedHashSet<>();
      for (Word arg : words.subList(index + 1, words.size())) {
        args.addAll(f.sites(arg));
      }
      seeds
          .computeIfAbsent(ValueFlow.POSITIONAL, k -> new java.util.LinkedHashSet<>())
          .addAll(args);
    }
    ShellLexer.nested(words.get(index).value(), seeds, f.depth() + 1);
  }

  /**
   * Whether the shell at word {@code shell} runs under {@code xargs -I REPL} (or {@code -i}, {@code
   * --replace}) and its command string, at {@code string}, holds the replacement string: xargs then
   * writes its input into the command string (found by an attack on issue 22's fix: {@code echo {{
   * v }} | xargs -I{} sh -c '{}'}). A command string only known at run time counts.
   */
  private static boolean xargsReplaces(List<Word> w, int shell, int string) {
    for (int k = 0; k < shell; k++) {
      if (!"xargs".equals(w.get(k).value())) {
        continue;
      }
      for (int j = k + 1; j < shell; j++) {
        String o = w.get(j).value();
        String repl = null;
        if (o == null) {
          continue;
        } else if (o.equals("-I") && j + 1 < shell) {
          repl = w.get(j + 1).value();
        } else if (o.startsWith("-I") && o.length() > 2) {
          repl = o.substring(2);
        } else if (o.equals("-i") || o.equals("--replace")) {
          repl = "{}";
        } else if (o.startsWith("-i") || o.startsWith("--replace=")) {
          repl = o.substring(o.indexOf(o.startsWith("-i") ? "i" : "=") + 1);
        }
        if (repl != null) {
          String cmd = string < w.size() ? w.get(string).value() : null;
          return cmd == null || repl.isEmpty() || cmd.contains(repl);
        }
      }
    }
    return false;
  }

  /**
   * An option of ssh, scp or sftp holding a value: {@code -o ProxyCommand=}, {@code LocalCommand},
   * {@code KnownHostsCommand} and {@code -F} config files name commands that ssh runs through the
   * user's shell on this machine (ssh_config(5)), so no option may hold a value (found by an attack
   * on issue 22's fix: {@code ssh -o ProxyCommand="{{ v }}" h} ran the value).
   */
  private static void sshOptions(ValueFlow f, List<Word> w, int i, Parsed p) {
    int end = p.firstOperand < 0 ? w.size() : p.firstOperand;
    for (int k = i + 1; k < end; k++) {
      code(f, w, k, "an option of `" + w.get(i).value() + "`, which may name a command", SSH_HINT);
    }
  }

  private static void code(ValueFlow f, List<Word> words, int index, String what, String hint) {
    if (index < 0 || index >= words.size()) {
      return;
    }
    mark(f.sites(words.get(index)), what, hint);
  }

  private static void stdin(ValueFlow f, Command c, String what, String hint) {
    mark(f.stdin(c), what, hint);
    if (!UNKNOWN_HINT.equals(hint)) {
      // a program known to read code on stdin: any value fed to any stdin may be its input (a
      // program only known at run time is held to its own input, as before)
      mark(f.anyStdin(), what + " (its input may come from any pipe or here-document)", hint);
    }
    for (Command from = c.pipedFrom; from != null; from = from.pipedFrom) {
      mark(f.all(from), what + " (through the pipe)", hint);
    }
    c.targets.stream().filter(t -> !t.writes).forEach(t -> c.runFiles.add(t.value())); // sh < F
  }

  private static void mark(java.util.Collection<Site> sites, String what, String hint) {
    ValueFlow.mark(sites, "it would reach " + what, hint);
  }
}
