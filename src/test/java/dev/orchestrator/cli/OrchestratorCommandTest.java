package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --no-progress} is state of one command line (no static field): given before or after the
 * subcommand it turns the live view off for that invocation only.
 */
class OrchestratorCommandTest {
  @TempDir Path home;

  private boolean progressOff(String... args) {
    CommandLine cl = Main.commandLine(Terminal.CAPTURED, home);
    cl.parseArgs(args);
    return ((OrchestratorCommand) cl.getCommand()).progressOff();
  }

  @Test
  void noProgressAfterTheSubcommandReachesTheTopCommand() {
    // given --no-progress after the subcommand (the README's spelling)
    // when it is parsed
    // then the top command, which builds the event renderer, has it
    assertTrue(progressOff("status", "--no-progress"));
  }

  @Test
  void noProgressBeforeTheSubcommandReachesTheTopCommand() {
    assertTrue(progressOff("--no-progress", "status"));
  }

  @Test
  void anotherCommandLineIsNotAffected() {
    // given one invocation with --no-progress
    assertTrue(progressOff("status", "--no-progress"));
    // when another command line is built and parsed without it
    // then the live view is allowed there (before: a static field kept the last value)
    assertFalse(progressOff("status"));
  }
}
