package dev.orchestrator.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The CLI's identity is the process's real user, not a property anyone can set. */
class ActorTest {
  @Test
  void theCliUserIsTheRealUserEvenWhenUserNameIsForged() throws Exception {
    // given: the user.name property set as ORCHESTRATOR_JAVA_OPTS=-Duser.name=... would
    String before = System.getProperty("user.name");
    System.setProperty("user.name", "forged-approver");
    try {
      // when
      Actor actor = Actor.local();
      // then: the name is the real user id's, as id(1) says
      Process id = new ProcessBuilder("id", "-un").redirectErrorStream(true).start();
      String real = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertEquals(0, id.waitFor());
      assertNotEquals("forged-approver", actor.name());
      assertEquals(real, actor.name());
    } finally {
      System.setProperty("user.name", before);
    }
  }

  @Test
  void withoutTheJdksUserModuleTheCliRefusesToGuessWhoItIs() {
    // given a JVM started with --limit-modules leaving jdk.security.auth out (the property forged)
    java.util.function.Supplier<String[]> missing =
        () -> {
          throw new NoClassDefFoundError("com/sun/security/auth/module/UnixSystem");
        };
    // when the CLI's user is asked for on a Unix system, then it is refused, not user.name
    dev.orchestrator.common.InputException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            dev.orchestrator.common.InputException.class, () -> Actor.osUser(missing, true));
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage().contains("jdk.security.auth"), e.getMessage());
    // and the real source gives the real name
    assertEquals("alice", Actor.osUser(() -> new String[] {"alice", "1000"}, true));
    assertEquals("uid-1234", Actor.osUser(() -> new String[] {null, "1234"}, true));
  }
}
