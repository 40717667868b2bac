package dev.orchestrator.transport.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.ExecResult;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local hosts' home folder is a constructor parameter, not a system property. */
class LocalConnectorTest {
  @TempDir Path home;

  @Test
  void commandsRunInTheHomeGiven() throws Exception {
    // given a connector with its own home folder
    LocalConnector connector = new LocalConnector(home);
    // when a command prints its working folder and HOME
    ExecResult r;
    try (Connection c = connector.open("h1", null)) { // a local host has no settings to use
      r = c.exec("pwd -P; echo \"$HOME\"", Optional.empty());
    }
    // then both are the folder given
    String real = home.toRealPath().toString();
    assertEquals(0, r.exitCode(), r.stderr());
    assertEquals(real + "\n" + home + "\n", r.stdout());
  }
}
