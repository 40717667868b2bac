package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.common.SourceLocation;
import dev.orchestrator.playbook.Step;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandBuilderTest {
  private static Step step(boolean become, String user) {
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
        become,
        user,
        Map.of(),
        dev.orchestrator.playbook.StepTraits.NONE,
        new SourceLocation(Path.of("pb.yml"), 1, 1));
  }

  @Test
  void exportsEnvironmentQuoted() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("LANG", "C");
    env.put("MSG", "it's $HOME");
    assertEquals(
        "export LANG=C; export MSG='it'\\''s $HOME'; echo hi",
        CommandBuilder.build(step(false, "root"), "echo hi", env));
  }

  @Test
  void becomeWrapsEverythingInSudo() {
    assertEquals(
        "sudo -n -H -u www-data -- /bin/sh -c 'export A=1; php occ status'",
        CommandBuilder.build(step(true, "www-data"), "php occ status", Map.of("A", "1")));
  }
}
