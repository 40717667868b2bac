package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrator.template.PythonPattern;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * {@code lineinfile}, {@code blockinfile} and {@code replace} computed on the controller ({@link
 * LineInFile}, {@link BlockInFile}, {@link ReplaceInFile}) give, on generated files and arguments,
 * the file content, {@code changed}, {@code msg} and failure that Ansible's own module code gives
 * ({@link TextModuleOracle}).
 */
class TextEditsProperties {
  private static TextModuleOracle oracle;

  @BeforeContainer
  static void start() throws Exception {
    oracle = TextModuleOracle.start();
  }

  @AfterContainer
  static void stop() {
    if (oracle != null) {
      oracle.close();
    }
  }

  private static final List<String> LINES =
      List.of(
          "a=1\n",
          "b=1\n",
          "b=2\n",
          "# b\n",
          "\n",
          " c = 3\n",
          "é=ü\n",
          "x\r\n",
          "end",
          "b=1",
          "tab\there\n",
          "[s]\n",
          "\r");

  private static final List<String> PATTERNS =
      List.of(
          "^b=",
          "b",
          "^#",
          "=(\\d)",
          "(?P<k>\\w+)=(?P<v>.*)$",
          "x{2",
          "\\bb\\b",
          "^$",
          "^\\s*c",
          "[^=]+=1",
          "(a|b)=(\\d)",
          "é",
          "\\w+$",
          "c\\Z",
          "(?i)B=",
          ".",
          "=[12]{1,}",
          "(?m)^b",
          "\\d{,2}",
          "[]x]");

  private static final List<String> TEXTS =
      List.of("b=2", "b=1", "# b", "a=1", "z=\\1", "new line", "é=ü", "", "end", "\\g<1>x");

  @Provide
  Arbitrary<List<String>> files() {
    return Arbitraries.of(LINES).list().ofMaxSize(7);
  }

  @Provide
  Arbitrary<Optional<String>> patterns() {
    return Arbitraries.of(PATTERNS).optional(0.7);
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.of(TEXTS);
  }

  @Provide
  Arbitrary<Optional<String>> anchors() {
    return Arbitraries.of(List.of("EOF", "BOF", "^b", "^#", "=1$", "(?m)^b=1\\n", "nomatch"))
        .optional(0.5);
  }

  private static Optional<String> content(List<String> lines, boolean exists) {
    return exists
        ? Optional.of(PythonPattern.latin1(String.join("", lines).getBytes(StandardCharsets.UTF_8)))
        : Optional.empty();
  }

  private static void compare(
      TextModuleOracle.Answer theirs, Optional<String> before, TextEdit ours) {
    JsonNode r = theirs.result();
    boolean failed = r.path("failed").asBoolean(false) || r.has("exception");
    assertEquals(failed, ours.failure().isPresent(), r + " vs " + ours);
    if (failed) {
      if (!r.has("exception")) {
        assertEquals(r.get("msg").asText(), ours.msg());
      }
      return;
    }
    assertEquals(r.get("changed").asBoolean(), ours.changed(), r + " vs " + ours);
    assertEquals(r.path("msg").asText(""), ours.msg(), r.toString());
    for (Map.Entry<String, Object> f : ours.fields().entrySet()) {
      assertEquals(String.valueOf(f.getValue()), r.path(f.getKey()).asText(), f.getKey());
    }
    Optional<String> after = ours.content().or(() -> before);
    assertEquals(theirs.content().isPresent(), after.isPresent(), "file exists after");
    if (after.isPresent()) {
      assertArrayEquals(
          theirs.content().get(),
          PythonPattern.bytes(after.get()),
          () ->
              "theirs "
                  + new String(theirs.content().get(), StandardCharsets.UTF_8)
                  + " ours "
                  + new String(PythonPattern.bytes(after.get()), StandardCharsets.UTF_8));
    }
  }

  @Property(tries = 400)
  void lineinfileIsAnsibles(
      @ForAll("files") List<String> lines,
      @ForAll boolean exists,
      @ForAll("patterns") Optional<String> regexp,
      @ForAll("texts") String line,
      @ForAll("anchors") Optional<String> after,
      @ForAll("anchors") Optional<String> before,
      @ForAll boolean absent,
      @ForAll boolean backrefs,
      @ForAll boolean firstmatch,
      @ForAll boolean create)
      throws Exception {
    // given a file and arguments the module accepts
    Optional<String> ins = after.isPresent() ? Optional.empty() : before;
    boolean refs = backrefs && regexp.isPresent() && !absent;
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("state", absent ? "absent" : "present");
    regexp.ifPresent(r -> args.put("regexp", r));
    args.put("line", line);
    after.ifPresent(a -> args.put("insertafter", a));
    ins.ifPresent(b -> args.put("insertbefore", b));
    args.put("backrefs", refs);
    args.put("firstmatch", firstmatch);
    args.put("create", create);
    Optional<String> before0 = content(lines, exists);
    // when both run
    TextModuleOracle.Answer theirs =
        oracle.ask(
            "lineinfile",
            args,
            exists
                ? Optional.of(String.join("", lines).getBytes(StandardCharsets.UTF_8))
                : Optional.empty());
    TextEdit ours;
    try {
      ours =
          new LineInFile(
                  absent ? "absent" : "present",
                  regexp,
                  Optional.empty(),
                  Optional.of(line),
                  after,
                  ins,
                  refs,
                  create,
                  firstmatch)
              .apply("PATH", before0);
    } catch (IllegalArgumentException e) {
      ours = TextEdit.failed(e.getMessage(), Map.of());
    }
    // then the results are Ansible's
    compare(theirs, before0, ours);
  }

  @Property(tries = 300)
  void blockinfileIsAnsibles(
      @ForAll("files") List<String> lines,
      @ForAll boolean exists,
      @ForAll("files") List<String> block,
      @ForAll("anchors") Optional<String> after,
      @ForAll("anchors") Optional<String> before,
      @ForAll boolean absent,
      @ForAll boolean create,
      @ForAll boolean markersInFile)
      throws Exception {
    // given a file, perhaps holding a block already, and a block
    Optional<String> ins = after.isPresent() ? Optional.empty() : before;
    List<String> file = new java.util.ArrayList<>(lines);
    if (markersInFile) {
      file.add(Math.min(1, file.size()), "# BEGIN ANSIBLE MANAGED BLOCK\n");
      file.add("old\n");
      file.add("# END ANSIBLE MANAGED BLOCK\n");
    }
    String blk = String.join("", block);
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("state", absent ? "absent" : "present");
    args.put("block", blk);
    after.ifPresent(a -> args.put("insertafter", a));
    ins.ifPresent(b -> args.put("insertbefore", b));
    args.put("create", create);
    Optional<String> before0 = content(file, exists);
    // when both run
    TextModuleOracle.Answer theirs =
        oracle.ask(
            "blockinfile",
            args,
            exists
                ? Optional.of(String.join("", file).getBytes(StandardCharsets.UTF_8))
                : Optional.empty());
    TextEdit ours;
    try {
      ours =
          new BlockInFile(
                  !absent,
                  blk,
                  "# {mark} ANSIBLE MANAGED BLOCK",
                  "BEGIN",
                  "END",
                  after,
                  ins,
                  create)
              .apply("PATH", before0);
    } catch (IllegalArgumentException e) {
      ours = TextEdit.failed(e.getMessage(), Map.of());
    }
    // then the results are Ansible's
    compare(theirs, before0, ours);
  }

  @Property(tries = 400)
  void replaceIsAnsibles(
      @ForAll("files") List<String> lines,
      @ForAll("patterns") Optional<String> regexp,
      @ForAll("texts") String replace,
      @ForAll("patterns") Optional<String> after,
      @ForAll("patterns") Optional<String> before)
      throws Exception {
    // given a file and a pattern
    String re = regexp.orElse("b");
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("regexp", re);
    args.put("replace", replace);
    after.ifPresent(a -> args.put("after", a));
    before.ifPresent(b -> args.put("before", b));
    Optional<String> before0 = content(lines, true);
    // when both run
    TextModuleOracle.Answer theirs =
        oracle.ask(
            "replace", args, Optional.of(String.join("", lines).getBytes(StandardCharsets.UTF_8)));
    TextEdit ours;
    try {
      ours = new ReplaceInFile(re, replace, after, before).apply("PATH", before0);
    } catch (IllegalArgumentException e) {
      ours = TextEdit.failed(e.getMessage(), Map.of());
    }
    // then the results are Ansible's
    compare(theirs, before0, ours);
  }
}
