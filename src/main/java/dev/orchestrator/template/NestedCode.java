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
 * env}, {@code nohup}, {@code timeout}, {@code xargs}, {@code find -exec}, ...) and command words
 * only known at run time (such as {@code {{ as_web_user }}}) make every later word a possible
 * command, so {@code {{ as_web_user }} sh -c '...'} and {@code find . -exec sh -c '...'} are found.
 * Option syntax follows each program's manual page (util-linux su/runuser/flock/script, sudo,
 * OpenSSH ssh, procps watch, GNU sed/awk).
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
          "find",
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
            p.file |= o.fileArg().indexOf(ch) >= 0;
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
  static void analyze(Command c) {
    List<Word> words = c.words;
    int start = 0;
    while (start < words.size() && ShellLexer.isAssignment(words.get(start))) {
      start++;
    }
    boolean anyPosition = false;
    for (int i = start; i < words.size(); i++) {
      String v = words.get(i).value();
      if (v == null) {
        if (i == start) {
          anyPosition = true; // a command known at run time, e.g. {{ as_web_user }}
        }
        continue;
      }
      String name = ShellLexer.commandName(v);
      int next = program(c, i, name);
      if (next == DONE) {
        return;
      }
      if (next == PLAIN) {
        if (WRAPPERS.contains(name)) {
          anyPosition = true;
        } else if (!anyPosition) {
          return; // an ordinary command: its arguments are data
        }
      } else {
        anyPosition = true;
        i = next - 1;
      }
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
  private static int program(Command c, int i, String name) {
    List<Word> w = c.words;
    if (SHELLS.contains(name)) {
      Parsed p = parse(w, i, SHELL_OPTIONS);
      String what = "`" + name + " -c`, which parses its command string again as shell code";
      if (p.special) {
        code(w, p.firstOperand, what, SHELL_HINT);
      } else if (p.stdin || p.firstOperand < 0 || "-".equals(w.get(p.firstOperand).value())) {
        stdin(c, "`" + name + "`, which reads its commands from standard input", STDIN_HINT);
      }
      return DONE;
    }
    switch (name) {
      case "su", "runuser" -> {
        Parsed p = parse(w, i, SU_OPTIONS);
        if (name.equals("runuser") && p.special) {
          return PLAIN; // runuser -u USER -- CMD runs CMD itself
        }
        String what = "`" + name + " -c`, which runs its command through a shell";
        if (!p.code.isEmpty()) {
          p.code.forEach(k -> code(w, k, what, SU_HINT));
        } else {
          stdin(c, "`" + name + "`, which reads shell commands from standard input", SU_HINT);
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
          stdin(c, what, SUDO_SHELL_HINT);
        }
        for (int k = Math.max(p.firstOperand, 0); p.firstOperand >= 0 && k < w.size(); k++) {
          code(w, k, what, SUDO_SHELL_HINT);
        }
        return DONE;
      }
      case "eval" -> {
        for (int k = i + 1; k < w.size(); k++) {
          code(w, k, "`eval`, which parses its arguments as shell code", EVAL_HINT);
        }
        return DONE;
      }
      case "trap" -> {
        int k = i + 1;
        if (k < w.size() && "--".equals(w.get(k).value())) {
          k++;
        }
        code(w, k, "`trap`, whose action is shell code", TRAP_HINT);
        return DONE;
      }
      case "ssh" -> {
        Parsed p = parse(w, i, SSH_OPTIONS);
        if (p.firstOperand < 0) {
          return DONE;
        }
        if (p.firstOperand + 1 >= w.size()) {
          stdin(c, "`ssh HOST`, whose remote shell reads commands from standard input", SSH_HINT);
          return DONE;
        }
        for (int k = p.firstOperand + 1; k < w.size(); k++) {
          code(w, k, "`ssh`, whose remote shell parses the command again", SSH_HINT);
        }
        return p.firstOperand + 1; // `ssh host sh` reads its stdin as code too
      }
      case "watch" -> {
        Parsed p = parse(w, i, WATCH_OPTIONS);
        if (p.special || p.firstOperand < 0) {
          return p.firstOperand < 0 ? DONE : p.firstOperand;
        }
        for (int k = p.firstOperand; k < w.size(); k++) {
          code(w, k, "`watch`, which runs its command through sh -c", WATCH_HINT);
        }
        return DONE;
      }
      case "flock", "script" -> {
        Parsed p = parse(w, i, C_OPTIONS);
        if (p.code.isEmpty()) {
          return PLAIN;
        }
        p.code.forEach(
            k ->
                code(
                    w, k, "`" + name + " -c`, which runs its command through a shell", SHELL_HINT));
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
        p.code.forEach(k -> code(w, k, what, INTERPRETER_HINT));
      } else if (!p.special
          && !p.file
          && (p.firstOperand < 0 || "-".equals(w.get(p.firstOperand).value()))) {
        stdin(c, "`" + name + "`, which reads its program from standard input", INTERPRETER_HINT);
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
      p.code.forEach(k -> code(w, k, what, hint));
      if (p.code.isEmpty() && !p.file) {
        code(w, p.firstOperand, what, hint);
      }
      return DONE;
    }
    return PLAIN;
  }

  private static void code(List<Word> words, int index, String what, String hint) {
    if (index < 0 || index >= words.size()) {
      return;
    }
    mark(words.get(index).sites, what, hint);
  }

  private static void stdin(Command c, String what, String hint) {
    mark(c.stdinSites, what, hint);
    for (Command from = c.pipedFrom; from != null; from = from.pipedFrom) {
      mark(from.allSites(), what + " (through the pipe)", hint);
    }
  }

  private static void mark(List<Site> sites, String what, String hint) {
    for (Site site : sites) {
      if (site.codeReason == null) {
        site.codeReason = "it would reach " + what;
        site.codeHint = hint;
      }
    }
  }
}
