package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.transport.TerminalDialog;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuDialogTest {
  private static final String MARK = "__ORCH_SU_abc";

  @Test
  void thePasswordIsTypedOnceAtSusPromptAndTheOutputStartsAfterTheMarker() {
    // given
    SuDialog dialog = new SuDialog("s3cret", MARK, List.of());

    // when
    TerminalDialog.Reply first = dialog.next("Password: ");
    TerminalDialog.Reply meanwhile = dialog.next("Password: \n");
    TerminalDialog.Reply started = dialog.next("Password: \n" + MARK + "\nhello\n");

    // then
    assertEquals(new TerminalDialog.Answer("s3cret\n"), first);
    assertFalse(first.toString().contains("s3cret"), first.toString());
    assertInstanceOf(TerminalDialog.Wait.class, meanwhile);
    assertEquals(new TerminalDialog.Started(("Password: \n" + MARK + "\n").length()), started);
    assertTrue(dialog.started());
    assertFalse(dialog.toString().contains("s3cret"));
  }

  @Test
  void susLocalizedPromptsMatchAsInAnsiblesSuPlugin() {
    // when / then: Ansible's check_password_prompt: optional "USER's ", a prompt word, a colon
    for (String prompt :
        List.of(
            "Password: ",
            "password:",
            "root's Password: ",
            "Passwort: ",
            "Mot de passe : ",
            "密码：",
            "Пароль: ")) {
      TerminalDialog.Reply r = new SuDialog("pw", MARK, List.of()).next("banner\n" + prompt);
      assertInstanceOf(TerminalDialog.Answer.class, r, prompt);
    }
    assertInstanceOf(
        TerminalDialog.Wait.class, new SuDialog("pw", MARK, List.of()).next("Passage: "));
    assertInstanceOf(
        TerminalDialog.Answer.class,
        new SuDialog("pw", MARK, List.of("Kennwort")).next("Kennwort: "));
    assertInstanceOf(
        TerminalDialog.Wait.class,
        new SuDialog("pw", MARK, List.of("Kennwort")).next("Password: "));
  }

  @Test
  void aSecondPromptGivesUpAtOnceAndWhatSuSaidNeverShowsThePassword() {
    // given
    SuDialog dialog = new SuDialog("s3cret", MARK, List.of());
    dialog.next("Password: ");

    // when: su asks again (PAM wants something else, or echoed the password back)
    TerminalDialog.Reply again = dialog.next("Password: \ns3cret refused\nPassword: ");

    // then
    assertInstanceOf(TerminalDialog.Abandon.class, again);
    assertFalse(dialog.started());
    assertTrue(dialog.asked());
    assertFalse(dialog.suSaid().contains("s3cret"), dialog.suSaid());
    assertTrue(dialog.suSaid().contains("asked for a password again"), dialog.suSaid());
  }

  @Test
  void aFailureIsWhatSuPrintedAfterThePrompt() {
    // given
    SuDialog dialog = new SuDialog("pw", MARK, List.of());
    dialog.next("Password: ");

    // when
    TerminalDialog.Reply r = dialog.next("Password: \nsu: Authentication failure\n");

    // then
    assertInstanceOf(TerminalDialog.Wait.class, r);
    assertEquals("su: Authentication failure", dialog.suSaid());
  }

  @Test
  void theMarkerCountsOnlyAsAWholeLine() {
    // given
    SuDialog dialog = new SuDialog("pw", MARK, List.of());

    // when / then
    assertInstanceOf(TerminalDialog.Wait.class, dialog.next("x" + MARK + "\n"));
    assertInstanceOf(TerminalDialog.Started.class, dialog.next("x" + MARK + "\n" + MARK + "\n"));
  }
}
