package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuCommandTest {
  @Test
  void theTerminalsProgramCarriesNoSecretAndHandsTheScriptOverAsADescriptor() {
    // given
    Become su =
        new Become("su", "www-data", List.of("-l"), Optional.of("s3cret"), "su", List.of(), false);

    // when
    String command =
        SuCommand.terminalCommand(su, "/tmp/orch-su.AbC123", "__ORCH_SU_1", Optional.empty());
    String limited =
        SuCommand.terminalCommand(
            su, "/tmp/orch-su.AbC123", "__ORCH_SU_1", Optional.of(Duration.ofMillis(2500)));

    // then
    assertFalse(command.contains("s3cret"), command);
    assertEquals(
        "exec 3</tmp/orch-su.AbC123/s 5>/tmp/orch-su.AbC123/e && rm -f"
            + " /tmp/orch-su.AbC123/s && exec su -l www-data -c 'printf '\\''%s\\n'\\''"
            + " __ORCH_SU_1; exec /bin/sh -s <&3 2>&5 3<&- 5>&-'",
        command);
    assertTrue(limited.contains("exec timeout -k 5 3 /bin/sh -s <&3"), limited);
  }
}
