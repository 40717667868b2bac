package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.playbook.StepBecome;
import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.template.TemplateEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BecomeTest {
  @TempDir Path dir;
  private final TemplateEngine templates = new TemplateEngine();

  private String build(Become become, String secretValue, boolean masked) {
    ShellTemplate t =
        new ShellTemplate("printf '[%s]' \"${__ORCH_1}\"", Map.of("__ORCH_1", secretValue));
    return CommandBuilder.build(BecomeStandIn.step(StepBecome.NONE), t, Map.of(), become, masked);
  }

  @Test
  void theInventorysBecomeVariablesOverrideTheStepsKeywordsAsInAnsible() {
    // given: a step that says su as www-data, an inventory that says sudo as deploy
    var step =
        BecomeStandIn.step(new StepBecome(Optional.of("su"), Optional.of("-l"), Optional.empty()));
    Map<String, Object> vars =
        Map.of(
            "ansible_become_method", "sudo",
            "ansible_become_user", "deploy",
            "ansible_become_pass", "s3cret");

    // when
    Become b = Become.of(step, vars, templates);

    // then
    assertEquals("sudo", b.method());
    assertEquals("deploy", b.user());
    assertEquals(List.of("-l"), b.flags());
    assertEquals(Optional.of("s3cret"), b.password());
  }

  @Test
  void becomingTheConnectingUserRunsTheCommandAsItIsAsAnsibleSkipsBecomeThen() {
    // given: a step that becomes deploy, on hosts reached as deploy and as admin
    var step = BecomeStandIn.step(StepBecome.NONE);
    ShellTemplate t = new ShellTemplate("id -un", Map.of());

    // when
    Become same =
        Become.of(
            step, Map.of("ansible_user", "deploy", "ansible_become_user", "deploy"), templates);
    Become other =
        Become.of(
            step, Map.of("ansible_user", "admin", "ansible_become_user", "deploy"), templates);
    Become unknown = Become.of(step, Map.of("ansible_become_user", "deploy"), templates);

    // then: the same user runs the command without sudo (become_allow_same_user is false by
    // default); another or an unknown connecting user goes through sudo
    assertTrue(same.skipped());
    assertEquals("id -un", CommandBuilder.build(step, t, Map.of(), same, false));
    assertFalse(other.skipped());
    assertTrue(CommandBuilder.build(step, t, Map.of(), other, false).contains("sudo"));
    assertFalse(unknown.skipped());
  }

  @Test
  void suWithAPasswordRunsOnATerminalAndSuWithoutOneWrapsInSuWithoutSudosFlags() {
    // given
    var su =
        BecomeStandIn.step(new StepBecome(Optional.of("su"), Optional.empty(), Optional.empty()));

    // when
    Become withPassword = Become.of(su, Map.of("ansible_become_password", "pw"), templates);
    Become without = Become.of(su, Map.of(), templates);

    // then: su with a password is for SuCommand (never wrapped to run without a terminal), and
    // su's default flags are none, as in Ansible's su plugin (su -H is an error)
    assertTrue(withPassword.needsTerminal());
    Become.Refused e = assertThrows(Become.Refused.class, () -> build(withPassword, "v", false));
    assertTrue(e.getMessage().contains("terminal"), e.getMessage());
    assertFalse(build(withPassword, "v", true).contains("pw"));
    assertEquals(List.of(), without.flags());
    String built = build(without, "v", false);
    assertTrue(built.startsWith("su www-data -c '/bin/sh -s' <<'"), built);
  }

  @Test
  void aPasswordNoTerminalLineCanCarryIsRefusedWithoutShowingIt() {
    // given
    var su =
        BecomeStandIn.step(new StepBecome(Optional.of("su"), Optional.empty(), Optional.empty()));

    // when / then
    for (String bad : List.of("sec\nret", "sec\rret", "sec\0ret", "x".repeat(4001))) {
      Become.Refused e =
          assertThrows(
              Become.Refused.class,
              () -> Become.of(su, Map.of("ansible_become_password", bad), templates));
      assertFalse(e.getMessage().contains("sec"), e.getMessage());
      assertFalse(e.getMessage().contains("xxxx"), e.getMessage());
    }
  }

  @Test
  void sudoWithAPasswordDropsTheNonInteractiveFlagAsAnsiblesSudoPluginDoes() {
    // given: Ansible's own default flags written out
    var sudo =
        BecomeStandIn.step(
            new StepBecome(Optional.of("sudo"), Optional.of("-H -S -n"), Optional.empty()));

    // when
    Become withPassword = Become.of(sudo, Map.of("ansible_become_password", "pw"), templates);
    Become without = Become.of(sudo, Map.of(), templates);

    // then
    assertEquals(List.of("-H", "-S"), withPassword.flags());
    assertEquals(List.of("-H", "-S", "-n"), without.flags());
    assertEquals(
        List.of("-H", "-E", "--preserve-env"),
        Become.interactive(List.of("-Hn", "-E", "--non-interactive", "--preserve-env")));
  }

  @Test
  void theSuPromptWordsComeFromAnsibleSuPromptL10n() {
    // given
    var su =
        BecomeStandIn.step(new StepBecome(Optional.of("su"), Optional.empty(), Optional.empty()));

    // when
    Become listed =
        Become.of(su, Map.of("ansible_su_prompt_l10n", List.of("Kennwort", " Clave ")), templates);
    Become text = Become.of(su, Map.of("ansible_su_prompt_l10n", "Kennwort,Clave"), templates);

    // then
    assertEquals(List.of("Kennwort", "Clave"), listed.prompts());
    assertEquals(List.of("Kennwort", "Clave"), text.prompts());
    assertEquals(List.of(), Become.of(su, Map.of(), templates).prompts());
  }

  @Test
  void thePasswordReachesSudoOnStdinAndTheLogShowsItMasked() throws Exception {
    // given
    BecomeStandIn sudo = new BecomeStandIn(dir);
    sudo.password("pw-right one");
    Map<String, Object> vars =
        Map.of(
            "ansible_become_exe", sudo.exe.toString(), "ansible_become_password", "pw-right one");
    Become become = Become.of(BecomeStandIn.step(StepBecome.NONE), vars, templates);

    // when
    BecomeStandIn.Result r = BecomeStandIn.run(build(become, "value", false), dir);

    // then
    assertEquals(new BecomeStandIn.Result(0, "[value]", ""), r);
    assertFalse(sudo.args().contains("pw-right"), sudo.args());
    String logged = build(become, "value", true);
    assertFalse(logged.contains("pw-right"), logged);
    assertTrue(logged.contains("********"), logged);
  }

  @Test
  void aWrongPasswordFailsWithoutSudoEverReadingTheScriptAsAPassword() throws Exception {
    // given
    BecomeStandIn sudo = new BecomeStandIn(dir);
    sudo.password("pw-right");
    Map<String, Object> vars =
        Map.of("ansible_become_exe", sudo.exe.toString(), "ansible_become_password", "pw-wrong");
    Become become = Become.of(BecomeStandIn.step(StepBecome.NONE), vars, templates);

    // when
    BecomeStandIn.Result r = BecomeStandIn.run(build(become, "step-secret", false), dir);

    // then
    assertEquals(1, r.rc());
    assertTrue(r.stderr().contains("incorrect password"), r.stderr());
    assertEquals("pw-wrong\n:\n:\n", sudo.tries());
  }

  @Test
  void aPasswordSudoDoesNotAskForIsNeverRunAsACommand() throws Exception {
    // given: sudo needs no password here (NOPASSWD), and the password is a command
    BecomeStandIn sudo = new BecomeStandIn(dir);
    Files.writeString(dir.resolve("nopasswd"), "");
    Map<String, Object> vars =
        Map.of("ansible_become_exe", sudo.exe.toString(), "ansible_become_password", "touch pwned");
    Become become = Become.of(BecomeStandIn.step(StepBecome.NONE), vars, templates);

    // when
    BecomeStandIn.Result r = BecomeStandIn.run(build(become, "value", false), dir);

    // then
    assertEquals(new BecomeStandIn.Result(0, "[value]", ""), r);
    assertFalse(Files.exists(dir.resolve("pwned")));
  }
}
