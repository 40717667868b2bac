package dev.orchestrator.template;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FileTemplatesTest {

  @Test
  void aTemplateSeesAnsiblesTemplateVarsAndTheyWinOverTheHostsOwn() {
    // given: a template naming ansible_managed and template_destpath, and a host var of that name
    Map<String, Object> vars = Map.of("ansible_managed", "set by the playbook", "port", 80);
    Map<String, Object> all =
        FileTemplates.withTemplateVars(vars, Path.of("templates/ntp.conf.j2"), "/etc/ntp.conf");

    // when
    String text =
        FileTemplates.render(
            "# {{ ansible_managed }}\n# {{ template_path }} -> {{ template_destpath }}\nport {{ port }}\n",
            all,
            Set.of());

    // then: Ansible's default text, as its template module puts it over task vars; the host's other
    // vars are there, and the map given is unchanged
    assertEquals("# Ansible managed\n# templates/ntp.conf.j2 -> /etc/ntp.conf\nport 80\n", text);
    assertEquals("set by the playbook", vars.get("ansible_managed"));
    assertEquals(
        Path.of("templates/ntp.conf.j2").toAbsolutePath().normalize().toString(),
        all.get("template_fullpath"));
  }
}
