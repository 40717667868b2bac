package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuCommandTest {
  @Test
  void theTerminalsProgramCarriesNoSecretAndHandsTheScriptOverAsADescriptor() {
    // given
    Become su = new Become("su", "www-data", List.of("-l"), Optional.of("s3cret"), "su", List.of());

    // when
    String command = SuCommand.terminalCommand(su, "/tmp/orch-su.AbC123", "__ORCH_SU_1");

    // then
    assertFalse(command.contains("s3cret"), command);
    assertEquals(
        "exec 3</tmp/orch-su.AbC123/s 5>/tmp/orch-su.AbC123/e && rm -f"
            + " /tmp/orch-su.AbC123/s && exec su -l www-data -c 'printf '\\''%s\\n'\\''"
            + " __ORCH_SU_1; exec /bin/sh -s <&3 2>&5 3<&- 5>&-'",
        command);
  }
}
