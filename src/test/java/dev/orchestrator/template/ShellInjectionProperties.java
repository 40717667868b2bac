package dev.orchestrator.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Issue 22: "template values cannot inject shell code", checked against real shells. Commands are
 * generated from a grammar of the ways a value can reach a second parse (a nested shell whose
 * command word is an expansion, a variable assigned from the value and evaluated, a file written
 * from it and run, a shell behind an unknown wrapper, make's and git's code arguments), in several
 * quoting variants and surrounding constructs. The oracle: {@code validate}/{@code plan} refuse the
 * command ({@link TemplateEngine#checkShell}, {@link TemplateEngine#renderShell}), or running the
 * rendered command with {@code /bin/sh} (dash on Debian) and {@code bash}, with a hostile value,
 * creates no {@code PWNED} file. Each run is harmless: a fresh temporary folder as working
 * directory and {@code HOME}, a cleared environment, stdin from {@code /dev/null}, and a timeout.
 *
 * <p>The forms that must keep working (quoted, unquoted with {@code | quote}, the positional
 * parameter idiom, a variable used as data, a here-document to a program that is not a shell) are
 * accepted and print any value verbatim.
 */
class ShellInjectionProperties {
  private static final TemplateEngine ENGINE = new TemplateEngine();
  private static final List<String> SHELLS =
      Stream.of("/bin/sh", "/bin/bash").filter(s -> new File(s).canExecute()).toList();
  private static final boolean MAKE = onPath("make");
  private static final boolean GIT = onPath("git");

  /** Where the value reaches a second parse; CODE is a shell command string holding it. */
  private static final List<String> SINKS =
      List.of(
          // a command word that is an expansion: any program, here a shell
          "$SHELL -c CODE",
          "S=sh; $S -c CODE",
          "S=sh; \"$S\" -c CODE",
          "${S:-sh} -c CODE",
          "$(command -v sh) -c CODE",
          "`command -v sh` -c CODE",
          "nice $SHELL -c CODE",
          "E=eval; $E CODE",
          // a variable assigned from the value, evaluated later
          "x=CODE; eval \"$x\"",
          "x=CODE; eval $x",
          "export x=CODE; eval \"$x\"",
          "x=CODE; y=\"$x\"; eval \"$y\"",
          "x=CODE; sh -c \"$x\"",
          "x=CODE; echo \"$x\" | sh",
          "x=CODE; trap \"$x\" EXIT",
          "x=CODE; E=eval; $E \"$x\"",
          "x=CODE; sh <<EOF\n$x\nEOF",
          "read -r x <<EOF\nCODE\nEOF\neval \"$x\"",
          "for x in CODE; do eval \"$x\"; done",
          "set -- CODE; eval \"$1\"",
          "run() { eval \"$1\"; }; run CODE",
          "as() { \"$@\"; }; as eval CODE",
          // a file written from the value, then run
          "echo CODE > f; sh f",
          "echo CODE > f; . ./f",
          "echo CODE | tee f >/dev/null; . ./f",
          "echo CODE > f; chmod +x f; ./f",
          "{ echo CODE; } > f.sh; sh < f.sh",
          "printf '%s\\n' CODE >> f; bash f",
          // a literal command string that parses the value it is given
          "sh -c 'eval \"$1\"' _ CODE",
          "sh -c 'sh -c \"$1\"' _ CODE",
          "export x=CODE; sh -c 'eval \"$x\"'",
          "x=CODE; trap 'eval \"$x\"' EXIT",
          // a shell behind a wrapper
          "./wrap sh -c CODE",
          "env sh -c CODE",
          "timeout 5 sh -c CODE");

  /** The command string that holds the value, in several quoting variants. */
  private static final List<String> CODES =
      List.of(
          "\"echo {{ v }}\"",
          "'echo {{ v }}'",
          "\"echo '{{ v }}'\"",
          "'echo \"{{ v }}\"'",
          "\"echo {{ v | quote }}\"",
          "\"{{ v }}\"",
          "{{ v | quote }}");

  /** Programs that run their own arguments as code (only when installed). */
  private static final List<String> PROGRAMS =
      List.of(
          "make -s -f /dev/null --eval='x: ; echo {{ v }}' x",
          "make -s -f /dev/null --eval=\"x: ; echo {{ v }}\" x",
          "make -s -f /dev/null -E 'x: ; echo {{ v | quote }}' x",
          "git -c alias.x='!echo {{ v }}' x",
          "git -c \"alias.x=!echo {{ v }}\" x");

  /** What surrounds the command. */
  private static final List<String> CONTEXTS =
      List.of("%s", "true && %s", "if true; then\n%s\nfi", "(\n%s\n)", "g() {\n%s\n}\ng");

  @Provide
  Arbitrary<String> hostile() {
    return Arbitraries.of(
        "$(touch PWNED)",
        "`touch PWNED`",
        ";touch PWNED",
        "';touch PWNED;'",
        "\";touch PWNED;\"",
        "\ntouch PWNED\n",
        "x && touch PWNED #",
        "$(shell touch PWNED)",
        "'\"$(touch PWNED)\"';touch PWNED");
  }

  @Provide
  Arbitrary<String> secondParses() {
    Arbitrary<String> sinks =
        Combinators.combine(Arbitraries.of(SINKS), Arbitraries.of(CODES))
            .as((sink, code) -> sink.replace("CODE", code));
    List<String> programs =
        PROGRAMS.stream()
            .filter(p -> (p.startsWith("make") && MAKE) || (p.startsWith("git") && GIT))
            .toList();
    Arbitrary<String> forms =
        programs.isEmpty()
            ? sinks
            : Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, sinks),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(programs)));
    return Combinators.combine(Arbitraries.of(CONTEXTS), forms)
        .as((context, form) -> String.format(context, form));
  }

  @Property(tries = 250)
  void noValueReachesASecondParse(
      @ForAll("secondParses") String template, @ForAll("hostile") String value) throws Exception {
    ShellTemplate rendered;
    try {
      ENGINE.checkShell(template);
      rendered = ENGINE.renderShell(template, Map.of("v", value));
    } catch (TemplateException refused) {
      return; // validate/plan/run refuse it: exit 2, nothing runs
    }
    for (String shell : SHELLS) {
      Run run = run(shell, rendered);
      assertFalse(
          run.pwned(),
          shell
              + " ran the value as code.\ntemplate:\n"
              + template
              + "\nrendered:\n"
              + rendered.text()
              + "\nvalue: "
              + value);
    }
  }

  /** The oracle is real: the same kind of command with {@code | raw} (the opt-out) is caught. */
  @Example
  void theOracleSeesAnInjectionWhenTheAuthorOptsOut() throws Exception {
    ShellTemplate rendered =
        ENGINE.renderShell("x=\"echo {{ v | raw }}\"; eval \"$x\"", Map.of("v", "$(touch PWNED)"));
    for (String shell : SHELLS) {
      assertTrue(run(shell, rendered).pwned(), shell);
    }
  }

  /** Forms that must keep working, {@code {{ v }}} standing for the value. */
  private static final List<String> SAFE =
      List.of(
          "printf '%s\\n' {{ v | quote }}",
          "printf '%s\\n' \"{{ v }}\"",
          "printf '%s\\n' '{{ v }}'",
          "x=\"$(printf '%s' {{ v | quote }}; echo .)\"; printf '%s\\n' \"${x%.}\"",
          "sh -c 'printf \"%s\\n\" \"$1\"' _ {{ v | quote }}",
          "x={{ v }}; printf '%s\\n' \"$x\"",
          "export x={{ v }}; sh -c 'printf \"%s\\n\" \"$x\"'",
          "set -- {{ v | quote }}; printf '%s\\n' \"$1\"",
          "show() { printf '%s\\n' \"$1\"; }; show {{ v | quote }}",
          "cat <<EOF\n{{ v }}\nEOF",
          "printf '%s\\n' {{ v | quote }} > out; cat out",
          "if true; then\nprintf '%s\\n' \"{{ v }}\"\nfi");

  @Provide
  Arbitrary<String> values() {
    return Arbitraries.oneOf(
        Arbitraries.strings()
            .withChars("$`'\"\\;&|<>(){}[]*?~#!=%\n\t -_abcxyz019é")
            .ofMaxLength(30)
            // a value with {{, {% or {# is itself a template (variables may refer to variables)
            .filter(v -> !v.matches("(?s).*\\{[{%#].*")),
        hostile());
  }

  @Property(tries = 80)
  void theSafeFormsPrintAnyValueVerbatim(
      @ForAll("safeForms") String template, @ForAll("values") String value) throws Exception {
    ENGINE.checkShell(template);
    ShellTemplate rendered = ENGINE.renderShell(template, Map.of("v", value));
    for (String shell : SHELLS) {
      Run run = run(shell, rendered);
      assertEquals(value + "\n", run.stdout(), shell + " with " + template);
      assertFalse(run.pwned(), shell + " with " + template);
    }
  }

  @Provide
  Arbitrary<String> safeForms() {
    return Arbitraries.of(SAFE);
  }

  private record Run(boolean pwned, String stdout) {}

  /** Runs a rendered command as the orchestrator does (its values exported) in a fresh folder. */
  private static Run run(String shell, ShellTemplate rendered) throws Exception {
    Path dir = Files.createTempDirectory("orch-inject");
    try {
      Path wrap = dir.resolve("wrap");
      Files.writeString(wrap, "#!/bin/sh\nexec \"$@\"\n");
      Files.setPosixFilePermissions(wrap, PosixFilePermissions.fromString("rwx------"));
      ProcessBuilder pb = new ProcessBuilder(shell, "-c", rendered.text()).directory(dir.toFile());
      Map<String, String> env = pb.environment();
      env.clear();
      env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
      env.put("HOME", dir.toString());
      env.put("SHELL", "/bin/sh");
      env.put("LC_ALL", "C.UTF-8");
      env.put("GIT_CONFIG_NOSYSTEM", "1");
      env.putAll(rendered.values());
      pb.redirectInput(new File("/dev/null"));
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
      Path out = dir.resolve(".stdout");
      pb.redirectOutput(out.toFile());
      Process p = pb.start();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("the command did not end: " + rendered.text());
      }
      boolean pwned;
      try (Stream<Path> files = Files.walk(dir)) {
        pwned = files.anyMatch(f -> f.getFileName().toString().equals("PWNED"));
      }
      return new Run(pwned, Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      delete(dir);
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> all = new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList());
      for (Path f : all) {
        Files.deleteIfExists(f);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static boolean onPath(String program) {
    return Stream.of("/usr/local/bin", "/usr/bin", "/bin")
        .anyMatch(d -> new File(d, program).canExecute());
  }
}
