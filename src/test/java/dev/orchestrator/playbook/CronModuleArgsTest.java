package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The arguments of {@code cron} as the loader reads them ({@link CronModuleArgs}). */
class CronModuleArgsTest {
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
  void readsCronWithAnsiblesArgumentsAndAliases() throws IOException {
    // given a cron step with aliases (value, dom, dow) and a YAML number as a time field
    Playbook pb =
        load(
            "  - id: c\n    cron: {name: backup, value: run.sh, minute: 0, dom: '1', dow: '*',"
                + " disabled: 'yes', special_time: '{{ when }}', state: present}\n");
    // then the step calls cron with Ansible's names
    ModuleCall call = pb.steps().get(0).extras().module().orElseThrow();
    assertEquals("cron", call.name());
    assertEquals(
        Map.of(
            "name", "backup",
            "job", "run.sh",
            "minute", 0L,
            "day", "1",
            "weekday", "*",
            "disabled", true,
            "special_time", "{{ when }}",
            "state", "present"),
        call.args());
  }

  @Test
  void invalidArgumentsAreErrorsAtTheirPlace() {
    // given each invalid use
    InputException unknown = error("  - id: c\n    cron: {name: j, job: x, hours: '2'}\n");
    InputException backup = error("  - id: c\n    cron: {name: j, job: x, backup: true}\n");
    InputException special = error("  - id: c\n    cron: {name: j, special_time: often}\n");
    InputException nameless = error("  - id: c\n    cron: {job: x}\n");
    InputException both =
        error(
            "  - id: c\n    cron: {name: A, env: true, job: x, insertafter: B, insertbefore: C}\n");
    InputException alias = error("  - id: c\n    cron: {name: j, job: x, value: y}\n");
    // then each says what is wrong, where, and what to write
    assertTrue(unknown.getMessage().contains("pb.yml:3:29"), unknown.getMessage());
    assertTrue(unknown.hint().contains("did you mean 'hour'?"), unknown.hint());
    assertTrue(backup.getMessage().contains("'backup' of cron is not supported"));
    assertTrue(special.getMessage().contains("unknown special_time 'often'"));
    assertTrue(special.hint().contains("reboot, yearly"), special.hint());
    assertTrue(nameless.getMessage().contains("has no 'name'"));
    assertTrue(both.getMessage().contains("mutually exclusive: insertafter|insertbefore"));
    assertTrue(alias.getMessage().contains("has both 'job' and its alias 'value'"));
  }
}
