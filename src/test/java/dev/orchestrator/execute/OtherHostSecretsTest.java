package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.orchestrator.common.Redactor;
import dev.orchestrator.plan.HostVars;
import dev.orchestrator.template.TemplateEngine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a template derives from another host's secret, read through {@code hostvars}, is masked. */
class OtherHostSecretsTest {
  @Test
  void anotherHostsTransformedSecretReadThroughHostvarsIsMasked() {
    // given host h, whose hostvars hold g's api_token
    TemplateEngine templates = new TemplateEngine();
    Redactor redactor = new Redactor();
    DerivedSecrets secrets = new DerivedSecrets(templates, Set.of(), redactor);
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("api_token", "bbbbsecretb");
    vars.put(
        "hostvars",
        new HostVars(
            List.of("g", "h"),
            n -> Map.of("api_token", n.equals("g") ? "aaaasecreta" : "bbbbsecretb"),
            "plan"));
    String template =
        "up={{ hostvars['g'].api_token | upper }} b64={{ hostvars['g'].api_token | b64encode }}";
    // when h's step learns what its template derives from secrets
    secrets.learn(template, vars);
    // then g's transformed token is masked in what h logs and stores
    String shown = redactor.redact(templates.render(template, vars));
    assertFalse(shown.contains("AAAASECRETA"), shown);
    assertFalse(shown.contains("YWFhYXNlY3JldGE="), shown);
  }
}
