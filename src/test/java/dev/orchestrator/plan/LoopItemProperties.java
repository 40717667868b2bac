package dev.orchestrator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.FileNames;
import dev.orchestrator.common.SourceLocation;
import dev.orchestrator.playbook.Loop;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.playbook.StepExtras;
import dev.orchestrator.playbook.StepTraits;
import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.template.TemplateEngine;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Hostile loop items (any text: path separators, quotes, shell code, control characters, very long,
 * duplicates) never reach a checkpoint id, a path or a shell as code: every item gets a distinct id
 * of the engine's form, whose file name stays one segment, and {@code echo {{ item }}} prints the
 * item as it is.
 */
class LoopItemProperties {
  private static final TemplateEngine TEMPLATES = new TemplateEngine();

  @Provide
  Arbitrary<List<String>> items() {
    Arbitrary<String> hostile =
        Arbitraries.of(
            "$(touch PWNED)",
            "`touch PWNED`",
            ";touch PWNED",
            "';touch PWNED;'",
            "../../etc/passwd",
            "]",
            "[x]",
            "a]@b[",
            "lb1",
            "lb1~2",
            "x~deadbeef",
            "");
    Arbitrary<String> any = Arbitraries.strings().ofMinLength(0).ofMaxLength(300);
    return Arbitraries.oneOf(hostile, any, any.map(s -> s + "\n;touch PWNED"))
        .list()
        .ofMinSize(1)
        .ofMaxSize(8);
  }

  private static Step looped(List<String> items) {
    Loop loop =
        new Loop(
            Loop.Kind.LOOP,
            Optional.of(new ArrayList<>(items)),
            Optional.empty(),
            "item",
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    return new Step(
        "disable-lb",
        "disable",
        "printf '%s' {{ item | quote }} > out",
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
        StepExtras.NONE.withLoop(Optional.of(loop)),
        new SourceLocation(Path.of("pb.yml"), 1, 1));
  }

  @Property(tries = 200)
  void everyItemGetsADistinctSafeIdWhoseFileNameIsOneSegment(@ForAll("items") List<String> items) {
    // given a loop over hostile items; when expanded
    List<LoopItems.Item> expanded = LoopItems.expand(TEMPLATES, looped(items), Map.of());

    // then every id has the engine's form, is distinct, and is one path segment
    Set<String> ids = new HashSet<>();
    for (LoopItems.Item item : expanded) {
      String id = item.step().id();
      assertTrue(Step.ENGINE_ID.matcher(id).matches(), id);
      assertTrue(ids.add(id), "duplicate id " + id);
      String segment = FileNames.segment(id);
      assertFalse(segment.contains("/") || segment.startsWith("."), segment);
      assertEquals("disable-lb", item.step().baseId());
      assertEquals(Optional.of(id.substring(11, id.length() - 1)), LoopItems.labelOf(id));
    }
    // and the labels depend on the items only: expanding again gives the same ids
    assertEquals(
        expanded.stream().map(i -> i.step().id()).toList(),
        LoopItems.expand(TEMPLATES, looped(items), Map.of()).stream()
            .map(i -> i.step().id())
            .toList());
  }

  @Property(tries = 30)
  void anItemReachesTheShellAsData(@ForAll("items") List<String> items) throws Exception {
    // given the first item, hostile, without NUL (no shell variable can hold one)
    String value = items.get(0).replace("\0", "");
    LoopItems.Item item = LoopItems.expand(TEMPLATES, looped(List.of(value)), Map.of()).get(0);

    // when its command runs with /bin/sh as the engine runs it (values exported)
    ShellTemplate rendered = TEMPLATES.renderShell(item.step().shell(), item.overrides());
    Path dir = Files.createTempDirectory("orch-loop");
    ProcessBuilder pb =
        new ProcessBuilder("/bin/sh", "-c", rendered.text()).directory(dir.toFile());
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/bin:/bin");
    pb.environment().put("LC_ALL", "C.UTF-8");
    pb.environment().putAll(rendered.values());
    pb.redirectInput(new File("/dev/null"));
    Process p = pb.start();
    assertTrue(p.waitFor(20, TimeUnit.SECONDS));

    // then it wrote the item as it is, and nothing ran
    try (Stream<Path> files = Files.walk(dir)) {
      assertFalse(files.anyMatch(f -> f.getFileName().toString().equals("PWNED")));
    }
    String wanted = new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    assertEquals(wanted, Files.readString(dir.resolve("out"), StandardCharsets.UTF_8));
  }
}
