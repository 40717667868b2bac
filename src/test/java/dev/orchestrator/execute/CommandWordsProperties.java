package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * {@code command}'s words against Python itself (the reference Ansible runs): {@link
 * CommandWords#split} gives {@code shlex.split}'s words or its error, and a word run through the
 * module's script reaches the command as {@code os.path.expanduser(os.path.expandvars(word))} in
 * the same environment, never running anything a hostile word holds.
 */
class CommandWordsProperties {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Python PYTHON = new Python();

  @AfterContainer
  static void stopPython() throws InterruptedException {
    PYTHON.stop();
  }

  @Provide
  Arbitrary<String> lines() {
    Arbitrary<String> pieces =
        Arbitraries.of(
            " ",
            "  ",
            "\t",
            "'",
            "\"",
            "\\",
            "a",
            "b c",
            "$HOME",
            "${HOME}",
            "~",
            "~/x",
            "~root",
            "$(touch PWNED)",
            "`touch PWNED`",
            ";",
            "|",
            "&&",
            "*",
            "#",
            "\\\"",
            "''",
            "\"\"",
            "$NOPE",
            "${a-b}",
            "$1",
            "é",
            "\n",
            "x=y",
            ">out");
    return pieces.list().ofMaxSize(8).map(l -> String.join("", l));
  }

  @Property(tries = 40)
  void splitsAsPythonsShlex(@ForAll("lines") String line) throws Exception {
    // given what Python's shlex.split makes of the line (its words, or its error)
    Object python = PYTHON.ask("split", line, Map.of());
    // when ours splits it
    Object ours;
    try {
      ours = CommandWords.split(line);
    } catch (CommandWords.SplitException e) {
      ours = e.getMessage();
    }
    // then both agree
    assertEquals(python, ours, line);
  }

  @Example
  void endsOfTextInsideQuotesFailAsPythonsShlex() throws Exception {
    // given texts that end in the middle of a quote or of an escape (a CI run's random input
    // found the first one: shlex names the escape, not the quote)
    for (String line : List.of("\"\\", "\"\\a", "\"\\\"", "\\", "'", "\"", "'\\", "a\"b\\")) {
      // when both split it, then they agree
      splitsAsPythonsShlex(line);
    }
  }

  @Property(tries = 25)
  void wordsReachTheCommandExpandedAsPythonExpandsThem(@ForAll("lines") String word)
      throws Exception {
    // given a word, and what Python's expanduser(expandvars(word)) makes of it in an environment
    Path dir = Files.createTempDirectory("cw");
    try {
      Map<String, String> env = new LinkedHashMap<>();
      env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
      env.put("HOME", dir.toString());
      Object expected = PYTHON.ask("expand", word, env);
      // when the module runs printf with it as one argv word
      CommandModule c =
          new CommandModule(
              "command",
              List.of("printf", "%s", word),
              Optional.empty(),
              "",
              "",
              "",
              "",
              Optional.empty(),
              false);
      var result = HostShell.run(c.script(), dir, env);
      // then printf got exactly that, and nothing ran
      assertEquals(0, result.exitCode(), result.stderr());
      assertEquals(expected, result.stdout(), word);
      assertFalse(Files.exists(dir.resolve("PWNED")), word);
    } finally {
      delete(dir);
    }
  }

  @Property(tries = 25)
  void hostilePathsInChdirCreatesAndRemovesAreData(@ForAll("lines") String name) throws Exception {
    // given a folder whose name is hostile, holding a file
    Path dir = Files.createTempDirectory("cp");
    try {
      String safe = name.replace("/", "_").replace("\u0000", "_");
      Path sub = Files.createDirectories(dir.resolve("d" + safe));
      Files.writeString(sub.resolve("f" + safe), "");
      Map<String, String> env =
          Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", "/nonexistent");
      // when commands run there, guarded by globs of hostile names
      CommandModule there =
          new CommandModule(
              "command",
              List.of("touch", "ran"),
              Optional.empty(),
              "",
              sub.toString(),
              "",
              sub + "/f" + safe,
              Optional.empty(),
              false);
      CommandModule skipped =
          new CommandModule(
              "command",
              List.of("touch", "never"),
              Optional.empty(),
              "",
              sub.toString(),
              sub + "/f" + safe,
              "",
              Optional.empty(),
              false);
      var ran = HostShell.run(there.script(), dir, env);
      var skip = HostShell.run(skipped.script(), dir, env);
      // then the first ran in that folder, the second was skipped, and nothing else ran
      boolean literal = !safe.contains("$") && !safe.startsWith("~"); // else expanded, as Python
      if (literal) {
        assertEquals(0, ran.exitCode(), ran.stderr());
        assertTrue(Files.exists(sub.resolve("ran")), name);
        assertTrue(skip.stdout().contains(CommandModule.SKIPPED), name);
        assertFalse(Files.exists(sub.resolve("never")), name);
      }
      try (var all = Files.walk(dir)) {
        assertFalse(all.anyMatch(p -> p.getFileName().toString().equals("PWNED")), name);
      }
    } finally {
      delete(dir);
    }
  }

  private static void delete(Path dir) throws java.io.IOException {
    try (var files = Files.walk(dir)) {
      List<Path> all = new ArrayList<>(files.toList());
      java.util.Collections.reverse(all);
      for (Path p : all) {
        Files.delete(p);
      }
    }
  }

  /**
   * One Python process for the whole class, answering one JSON line per question: {@code split}
   * gives {@code shlex.split}'s words or its error's message; {@code expand} sets the process's
   * environment to exactly the given one, then gives {@code
   * os.path.expanduser(os.path.expandvars(text))}. A Python per try cost about a third of a second
   * each on CI (35 s for the class); the answers are the same functions' on the same input.
   */
  private static final class Python {
    private static final String PROGRAM =
        String.join(
            "\n",
            "import json, os, shlex, sys",
            "for line in sys.stdin:",
            "    q = json.loads(line)",
            "    if q['op'] == 'split':",
            "        try:",
            "            a = shlex.split(q['text'])",
            "        except ValueError as e:",
            "            a = str(e)",
            "    else:",
            "        os.environ.clear()",
            "        os.environ.update(q['env'])",
            "        a = os.path.expanduser(os.path.expandvars(q['text']))",
            "    sys.stdout.write(json.dumps(a) + '\\n')",
            "    sys.stdout.flush()",
            "");

    private Process process;
    private java.io.PrintWriter in;
    private java.io.BufferedReader out;

    synchronized Object ask(String op, String text, Map<String, String> env) throws Exception {
      if (process == null || !process.isAlive()) {
        // UTF-8 both ways whatever the locale (the JSON lines themselves are ASCII)
        ProcessBuilder pb =
            new ProcessBuilder("python3", "-c", PROGRAM)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("PYTHONIOENCODING", "utf-8");
        process = pb.start();
        in =
            new java.io.PrintWriter(
                new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8),
                true);
        out =
            new java.io.BufferedReader(
                new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      }
      Map<String, Object> question = new LinkedHashMap<>();
      question.put("op", op);
      question.put("text", text);
      question.put("env", env);
      in.println(JSON.writeValueAsString(question));
      String answer = out.readLine();
      if (answer == null) {
        throw new AssertionError("python3 ended without answering " + question);
      }
      return JSON.readValue(answer, Object.class);
    }

    synchronized void stop() throws InterruptedException {
      if (process != null) {
        in.close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    }
  }
}
