package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Modules and result keywords as the loader reads them (issue 24, slice "modules"). */
class StepModulesTest {
  @TempDir Path dir;

  private Playbook load(String steps) throws IOException {
    Path file = dir.resolve("pb.yml");
    Files.writeString(file, "steps:\n" + steps);
    return new PlaybookLoader().load(file);
  }

  private InputException error(String steps) {
    return assertThrows(InputException.class, () -> load(steps));
  }

  @Test
  void readsEveryModuleWithItsArguments() throws IOException {
    // given one step per module
    Playbook pb =
        load(
            """
              - id: d
                debug: {msg: "v {{ x }}"}
              - id: s
                set_fact: {release: "{{ x }}", n: 3}
              - id: f
                fail: {msg: no}
                when: x == 'old'
              - id: a
                assert: {that: ["x != ''"], fail_msg: bad, quiet: true}
              - id: p
                pause: {seconds: 2}
              - id: w
                wait_for: {port: 8080, timeout: 60, delay: 1}
              - id: u
                uri: {url: "http://localhost/{{ x }}", status_code: [200, 204], body_format: json, body: {a: 1}}
            """);
    // then each step calls its module, arguments as written (defaults filled where Ansible has
    // them)
    Map<String, ModuleCall> calls = new java.util.LinkedHashMap<>();
    pb.steps().forEach(s -> calls.put(s.id(), s.extras().module().orElseThrow()));
    assertEquals(Map.of("msg", "v {{ x }}"), calls.get("d").args());
    assertEquals(Map.of("release", "{{ x }}", "n", 3L), calls.get("s").args());
    assertEquals(List.of("x != ''"), calls.get("a").args().get("that"));
    assertEquals(Map.of("seconds", 2), calls.get("p").args());
    assertEquals("started", calls.get("w").args().get("state"));
    assertEquals(List.of(200, 204), calls.get("u").args().get("status_code"));
    assertEquals("GET", calls.get("u").args().get("method"));
    assertEquals("", pb.steps().get(0).shell());
  }

  @Test
  void aStepWithoutTheNewKeywordsKeepsItsHash() throws IOException {
    // given a plain shell step
    Step plain = load("  - id: a\n    shell: echo hi\n").steps().get(0);
    // then it has no extras, and a module or keyword changes the hash
    assertEquals(StepExtras.NONE, plain.extras());
    Step ignoring = load("  - id: a\n    shell: echo hi\n    ignore_errors: true\n").steps().get(0);
    assertTrue(!plain.definitionHash().equals(ignoring.definitionHash()));
  }

  @Test
  void resultKeywordsAreRead() throws IOException {
    // given failed_when (a list), until without retries, ignore_errors
    Step s =
        load("""
              - id: a
                shell: curl -s localhost
                register: r
                failed_when: ["r.rc != 0", "'ERROR' in r.stdout"]
                until: r.rc == 0
                ignore_errors: true
            """)
            .steps()
            .get(0);
    // then they are bound, and retries is Ansible's default with until: 3
    assertEquals(List.of("r.rc != 0", "'ERROR' in r.stdout"), s.extras().failedWhen());
    assertEquals(Optional.of("r.rc == 0"), s.extras().until());
    assertTrue(s.extras().ignoreErrors());
    assertEquals(3, s.retries());
  }

  @Test
  void invalidArgumentsAreErrorsAtTheirPlace() {
    // when arguments are wrong, then each error names the place and what to write
    InputException both = error("  - id: a\n    shell: x\n    debug: {msg: hi}\n");
    assertTrue(both.getMessage().contains("pb.yml:4:5"), both.getMessage());
    assertTrue(both.getMessage().contains("both 'shell' and 'debug'"), both.getMessage());
    InputException unknown = error("  - id: a\n    wait_for: {prot: 80}\n");
    assertTrue(unknown.getMessage().contains("pb.yml:3:16"), unknown.getMessage());
    assertTrue(unknown.hint().contains("did you mean 'port'"), unknown.hint());
    InputException prompt = error("  - id: a\n    pause: {prompt: go?}\n");
    assertTrue(prompt.getMessage().contains("not interactive"), prompt.getMessage());
    assertTrue(prompt.hint().contains("approval"), prompt.hint());
    InputException port = error("  - id: a\n    wait_for: {port: 70000}\n");
    assertTrue(port.getMessage().contains("1 to 65535"), port.getMessage());
    InputException that = error("  - id: a\n    assert: {msg: x}\n");
    assertTrue(that.getMessage().contains("has no 'that'"), that.getMessage());
    InputException syntax = error("  - id: a\n    assert: {that: [\"x ==\"]}\n");
    assertTrue(syntax.getMessage().contains("pb.yml:3:21"), syntax.getMessage());
    InputException drained = error("  - id: a\n    wait_for: {port: 80, state: drained}\n");
    assertTrue(drained.getMessage().contains("not supported"), drained.getMessage());
    InputException kv = error("  - id: a\n    debug: msg=hi\n");
    assertTrue(kv.getMessage().contains("must be a mapping"), kv.getMessage());
    InputException fact = error("  - id: a\n    set_fact: {1x: a}\n");
    assertTrue(fact.getMessage().contains("invalid fact name"), fact.getMessage());
    InputException uri = error("  - id: a\n    uri: {method: GET}\n");
    assertTrue(uri.getMessage().contains("no 'url'"), uri.getMessage());
    InputException two = error("  - id: a\n    debug: {}\n    fail: {}\n");
    assertTrue(two.getMessage().contains("both 'debug' and 'fail'"), two.getMessage());
    InputException detached = error("  - id: a\n    uri: {url: x}\n    detached: true\n");
    assertTrue(detached.getMessage().contains("cannot be 'detached'"), detached.getMessage());
  }
}
