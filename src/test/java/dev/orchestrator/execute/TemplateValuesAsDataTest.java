package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.SourceLocation;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.playbook.StepTraits;
import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.template.TemplateException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Hostile template values, in every quoting context and every nested-shell form, run by a real
 * {@code /bin/sh} (and {@code bash} when present) exactly as a step's command is built ({@link
 * CommandBuilder#build}: the values exported, then the rendered text): the command receives the
 * value byte for byte, and nothing else runs (a canary file that every payload tries to create
 * never appears). Issue 11, item 2.
 */
class TemplateValuesAsDataTest {
  private static final TemplateEngine ENGINE = new TemplateEngine();
  private static final Path BASE = tempDir();
  private static final Path CANARY = BASE.resolve("canary");
  private static final List<String> SHELLS =
      Stream.of("/bin/sh", "/bin/bash", "/usr/bin/bash")
          .filter(s -> Files.isExecutable(Path.of(s)))
          .map(s -> s.endsWith("bash") ? "bash" : s)
          .distinct()
          .toList();

  private static final boolean SH_HAS_ANSI_C = ansiC();

  private static boolean ansiC() {
    try {
      Process p = new ProcessBuilder("/bin/sh", "-c", "printf %s $'\\x41'").start();
      boolean yes =
          new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).equals("A");
      p.waitFor();
      return yes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("orch-inject");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterContainer
  static void removeBase() throws IOException {
    try (Stream<Path> files = Files.walk(BASE)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Where the value stands; each template writes what the command received to {@code out}. */
  enum Context {
    UNQUOTED_QUOTE("printf '%s' {{ v | quote }} > out"),
    DOUBLE("printf '%s' \"{{ v }}\" > out"),
    SINGLE("printf '%s' '{{ v }}' > out"),
    DOUBLE_QUOTE("printf '%s' \"{{ v | quote }}\" > out"),
    SINGLE_QUOTE("printf '%s' '<{{ v | quote }}>' > out", "<", ">"),
    MIXED("printf '%s' \"a'\"'{{ v }}'\"'b\" > out", "a'", "'b"),
    ANSI_C("printf '%s' $'a\\t{{ v }}' > out", "a\t", ""),
    COMMAND_SUBSTITUTION("x=\"$(printf '%s.' \"{{ v }}\")\"; printf '%s' \"${x%.}\" > out"),
    COMMAND_SUBSTITUTION_QUOTE(
        "x=\"$(printf '%s.' {{ v | quote }})\"; printf '%s' \"${x%.}\" > out"),
    BACKQUOTES("x=\"`printf '%s.' {{ v | quote }}`\"; printf '%s' \"${x%.}\" > out"),
    HEREDOC("cat > out <<EOF\n{{ v }}\nEOF", "", "\n"),
    HEREDOC_AFTER_COMMENT("# it's a comment\ncat > out <<-EOF\n\t{{ v }}\n\tEOF", "", "\n"),
    ASSIGNMENT("x={{ v }}; printf '%s' \"$x\" > out"),
    PARAMETER_DEFAULT("printf '%s' \"${unset_var:-{{ v }}}\" > out"),
    CASE_WORD("case {{ v }} in *) printf '%s' {{ v | quote }} > out;; esac"),
    REDIRECT("printf '%s' {{ v | quote }} > {{ name }}; cat -- {{ name }} > out"),
    POSITIONAL_SH("sh -c 'printf \"%s\" \"$1\" > out' _ {{ v | quote }}"),
    POSITIONAL_BASH_THROUGH_ENV("env bash -c 'printf \"%s\" \"$1\" > out' _ {{ v | quote }}"),
    POSITIONAL_STDIN("sh -s -- {{ v | quote }} <<'EOF'\nprintf '%s' \"$1\" > out\nEOF");

    final String template;
    final String before;
    final String after;

    Context(String template) {
      this(template, "", "");
    }

    Context(String template, String before, String after) {
      this.template = template;
      this.before = before;
      this.after = after;
    }
  }

  /** Templates that hand the value to a second parse: all refused, whatever the value. */
  static final List<String> NESTED =
      List.of(
          "sh -c 'printf %s {{ v }} > out'",
          "sh -c \"printf %s '{{ v | quote }}' > out\"",
          "bash -c 'printf %s \"{{ v }}\" > out'",
          "bash -lc 'printf %s {{ v }}'",
          "su -c 'printf %s {{ v }}'",
          "su root -c 'printf %s {{ v }}'",
          "sudo sh -c 'printf %s {{ v }}'",
          "sudo -u root bash -c 'printf %s {{ v }}'",
          "runuser -l root -c 'printf %s {{ v }}'",
          "eval printf %s {{ v }}",
          "eval \"printf %s '{{ v }}'\"",
          "ssh localhost 'printf %s {{ v }}'",
          "find . -exec sh -c 'printf %s {{ v }}' \\;",
          "xargs sh -c 'printf %s {{ v }}'",
          "sh <<EOF\nprintf %s {{ v }}\nEOF",
          "printf '%s' {{ v | quote }} | sh",
          "cat <<'EOF'\n{{ v }}\nEOF");

  @Provide
  Arbitrary<String> hostile() {
    String touch = "touch " + CANARY;
    Arbitrary<String> token =
        Arbitraries.of(
            "'",
            "\"",
            "$(" + touch + ")",
            "`" + touch + "`",
            "\n",
            ";",
            "; " + touch + "; ",
            "&&",
            "&& " + touch,
            "|",
            "| " + touch,
            "*",
            "?",
            "[",
            "]",
            "[a-z]",
            "\\",
            "\\'",
            "\\\"",
            "${x}",
            "$x",
            "$1",
            "$@",
            "${IFS}",
            "-",
            "-n",
            "--",
            " ",
            "\t",
            "  ",
            "#",
            "~",
            "!",
            "{a,b}",
            "%s",
            "%",
            "\r",
            "EOF",
            "\nEOF\n" + touch + "\n",
            "'\"",
            "\"'",
            "'; " + touch + "; '",
            "\"; " + touch + "; \"",
            "a[$(" + touch + ")]",
            "}",
            "{",
            "=",
            "x=",
            "$'\\x41'",
            ")",
            "(",
            "<",
            ">",
            "&",
            "*/*",
            "..",
            "/",
            " * ",
            " a* ",
            " ?-file ",
            " [ab]-file ",
            "\u00e9",
            "\u20ac",
            "\ud83d\ude00",
            "\u0081",
            "\u00ff",
            "\u0001",
            "\u001b[31m",
            "\u007f");
    Arbitrary<String> codePoint =
        Arbitraries.integers()
            .between(1, 0x10FFFF)
            .filter(c -> c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE)
            .map(Character::toString);
    Arbitrary<String> piece = Arbitraries.frequencyOf(Tuple.of(6, token), Tuple.of(2, codePoint));
    // a variable whose value is itself a template ({{ or {%) is rendered first, by design
    // (Ansible's recursive templating of vars; registered results are not): not data
    return piece
        .list()
        .ofMaxSize(12)
        .map(l -> String.join("", l))
        .filter(v -> !TemplateEngine.isTemplate(v));
  }

  @Property(tries = 120)
  void aValueArrivesByteForByteInEveryContext(
      @ForAll("hostile") String value, @ForAll Context context) throws Exception {
    Map<String, Object> vars = Map.of("v", value, "name", "f-" + value.hashCode());
    String command = command(context.template, vars);
    String expected = context.before + value + context.after;
    for (String shell : SHELLS) {
      if (context == Context.ANSI_C && shell.equals("/bin/sh") && !SH_HAS_ANSI_C) {
        continue; // $'...' is bash's (POSIX.1-2024 adds it; older dash lacks it)
      }
      Path dir = run(shell, command);
      assertNothingRan(shell, command);
      assertArrayEquals(
          expected.getBytes(StandardCharsets.UTF_8),
          Files.readAllBytes(dir.resolve("out")),
          shell + " " + context + ": " + command);
    }
  }

  @Property(tries = 60)
  void anUnquotedValueArrivesAsItsWordsAndNeverAsAGlob(@ForAll("hostile") String value)
      throws Exception {
    String command = command("printf '%s\\0' START {{ v }} > out", Map.of("v", value));
    StringBuilder expected = new StringBuilder("START\0");
    for (String word : value.split("[ \t\n]+")) {
      if (!word.isEmpty()) {
        expected.append(word).append('\0');
      }
    }
    for (String shell : SHELLS) {
      Path dir = run(shell, command);
      assertNothingRan(shell, command);
      assertEquals(
          expected.toString(),
          Files.readString(dir.resolve("out"), StandardCharsets.UTF_8),
          shell + ": " + command);
    }
  }

  @Property(tries = 40)
  void aNestedShellIsRefusedWhateverTheValue(
      @ForAll("hostile") String value, @ForAll("nested") String template) {
    TemplateException e =
        assertThrows(
            TemplateException.class, () -> ENGINE.renderShell(template, Map.of("v", value)));
    assertTrue(e.hint().isPresent(), "a refusal says what to do instead: " + e.getMessage());
    assertThrows(TemplateException.class, () -> ENGINE.checkShell(template));
  }

  /**
   * {@code environment} values are exported shell-quoted, and {@code become} wraps the whole
   * command in one shell-quoted word for {@code sudo ... /bin/sh -c}: both carry any value.
   */
  @Property(tries = 40)
  void environmentValuesAndTheBecomeWrapperCarryAnyValue(@ForAll("hostile") String value)
      throws Exception {
    ShellTemplate shell =
        ENGINE.renderShell(
            "printf '%s' \"$X\" > out; printf '%s' {{ v | quote }} > out2", Map.of("v", value));
    String command = CommandBuilder.build(becomeRoot(), shell, Map.of("X", value));
    String sudo = "sudo -n -H -u root -- ";
    assertTrue(command.startsWith(sudo), command);
    String wrapped = command.substring(sudo.length()); // /bin/sh -c '...': sudo itself aside
    for (String shellPath : SHELLS) {
      Path dir = run(shellPath, wrapped);
      assertNothingRan(shellPath, wrapped);
      byte[] expected = value.getBytes(StandardCharsets.UTF_8);
      assertArrayEquals(expected, Files.readAllBytes(dir.resolve("out")), wrapped);
      assertArrayEquals(expected, Files.readAllBytes(dir.resolve("out2")), wrapped);
    }
  }

  private static Step becomeRoot() {
    return new Step(
        "s",
        "s",
        "x",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        0,
        Duration.ZERO,
        Optional.empty(),
        true,
        "root",
        Map.of(),
        StepTraits.NONE,
        dev.orchestrator.playbook.StepExtras.NONE,
        new SourceLocation(Path.of("pb.yml"), 1, 1));
  }

  @Provide
  Arbitrary<String> nested() {
    return Arbitraries.of(NESTED);
  }

  /** Renders and builds the command as a step would run it (become off). */
  private static String command(String template, Map<String, Object> vars) {
    ShellTemplate shell = ENGINE.renderShell(template, vars);
    return CommandBuilder.build(STEP, shell, Map.of());
  }

  private static final Step STEP =
      new Step(
          "s",
          "s",
          "x",
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          0,
          Duration.ZERO,
          Optional.empty(),
          false,
          "root",
          Map.of(),
          StepTraits.NONE,
          dev.orchestrator.playbook.StepExtras.NONE,
          new SourceLocation(Path.of("pb.yml"), 1, 1));

  /**
   * Runs the command with {@code shell} in a fresh directory that holds files any glob would match.
   * The command is passed in a file, so its bytes are exactly its UTF-8 encoding whatever the JVM's
   * locale.
   */
  private static Path run(String shell, String command) throws Exception {
    Path dir = Files.createTempDirectory(BASE, "try");
    Files.writeString(dir.resolve("a-file"), "");
    Files.writeString(dir.resolve("b-file"), "");
    Path script = Files.createTempFile(BASE, "cmd", ".sh");
    Files.writeString(script, command, StandardCharsets.UTF_8);
    List<String> argv = new ArrayList<>(List.of(shell, script.toString()));
    ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
    pb.environment().put("LC_ALL", "C");
    Process p =
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    p.getInputStream().transferTo(output);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "finished");
    assertNothingRan(shell, command);
    assertEquals(
        0,
        p.exitValue(),
        shell + " failed: " + output.toString(StandardCharsets.UTF_8) + "\ncommand: " + command);
    return dir;
  }

  private static void assertNothingRan(String shell, String command) {
    assertTrue(!Files.exists(CANARY), shell + " ran a payload: " + command);
  }

  /** The issue's reproductions: | quote inside quotes used to close them and run the payload. */
  @net.jqwik.api.Example
  void quoteInsideQuotesNoLongerRunsThePayload() throws Exception {
    for (String template :
        List.of("printf '%s' '{{ v | quote }}' > out", "printf '%s' \"{{ v | quote }}\" > out")) {
      for (String value : List.of("; touch " + CANARY, "$(touch " + CANARY + ")")) {
        String command = command(template, Map.of("v", value));
        for (String shell : SHELLS) {
          Path dir = run(shell, command);
          assertEquals(value, Files.readString(dir.resolve("out")), command);
        }
      }
    }
  }

  /** The canary works: the same payload, written as code, does create the file. */
  @net.jqwik.api.Example
  void theCanaryDetectsAPayloadThatRuns() throws Exception {
    Path canary = BASE.resolve("canary-check");
    run("/bin/sh", "true; touch " + canary);
    assertTrue(Files.exists(canary));
  }
}
