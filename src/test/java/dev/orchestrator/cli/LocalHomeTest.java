package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Local hosts live where the shell's {@code ~} is: {@code $HOME}, else the account's home. */
class LocalHomeTest {
  @Test
  void homeIsHonouredWhenSet() {
    // given HOME set to another folder than the account's; when the local home is chosen
    Path home = Main.localHome(Map.of("HOME", "/srv/deploy"), "/root");
    // then it is $HOME, as the shell's ~
    assertEquals(Path.of("/srv/deploy"), home);
  }

  @Test
  void theAccountsHomeServesWhenHomeIsUnsetEmptyOrRelative() {
    // given no usable HOME; when the local home is chosen; then it is the account's home
    assertEquals(Path.of("/root"), Main.localHome(Map.of(), "/root"));
    assertEquals(Path.of("/root"), Main.localHome(Map.of("HOME", " "), "/root"));
    assertEquals(Path.of("/root"), Main.localHome(Map.of("HOME", "relative"), "/root"));
  }
}
