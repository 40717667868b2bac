package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.orchestrator.playbook.StepBecome;
import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.template.TemplateEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

class BecomePasswordProperties {
  /**
   * Whatever the password holds (quotes, {@code $( )}, here-document delimiters, spaces, any
   * character but a line break), sudo reads exactly it from stdin, it is on no process's command
   * line, and the command as logged shows it masked.
   */
  @Property(tries = 40)
  void thePasswordReachesSudoOnlyOnStdinAndNeverALogOrACommandLine(
      @ForAll @StringLength(max = 30) String any) throws Exception {
    // given
    String password = "pw-" + any.replaceAll("[\\r\\n\\u0000]", "_");
    Path dir = Files.createTempDirectory("become-prop");
    BecomeStandIn sudo = new BecomeStandIn(dir);
    sudo.password(password);
    Map<String, Object> vars =
        Map.of("ansible_become_exe", sudo.exe.toString(), "ansible_become_password", password);
    Become become = Become.of(BecomeStandIn.step(StepBecome.NONE), vars, new TemplateEngine());
    ShellTemplate t = new ShellTemplate("printf ok", Map.of());
    var step = BecomeStandIn.step(StepBecome.NONE);

    // when
    BecomeStandIn.Result r =
        BecomeStandIn.run(CommandBuilder.build(step, t, Map.of(), become, false), dir);
    String logged = CommandBuilder.build(step, t, Map.of(), become, true);

    // then
    assertEquals(new BecomeStandIn.Result(0, "ok", ""), r, password);
    assertEquals(password + "\n", sudo.tries());
    assertFalse(sudo.args().contains(password), sudo.args());
    assertFalse(logged.contains(password), logged);
  }
}
