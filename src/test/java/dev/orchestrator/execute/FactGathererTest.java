package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.template.Facts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FactGathererTest {
  /** Runs the gathering script here, as a host's shell would. */
  static String runScript() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("/bin/sh", "-s").redirectErrorStream(false).start();
    try (var in = p.getOutputStream()) {
      in.write(FactGatherer.SCRIPT.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  @Test
  void theScriptsOutputBecomesAnsiblesNamesAndTypes() {
    // given: what the script prints on a Debian 12 host
    String out =
        """
        system=Linux
        kernel=6.1.0-18-amd64
        nodename=web1.example.org
        machine=x86_64
        fqdn=web1.example.org
        memtotal_kb=2048000
        cpus_online=0-3
        cpus_allowed=0-1
        date=1700000000 2023-11-14
        user=deploy
        os_ID=debian
        os_VERSION_ID=12
        os_VERSION_CODENAME=bookworm
        debian_version=12.5
        route=eth0 00000000 0101A8C0 00000000
        route=eth0 0001A8C0 00000000 00FFFFFF
        local=127.0.0.1
        local=192.168.1.20
        local=192.168.1.20
        """;

    // when
    Map<String, Object> f = FactGatherer.parse(out);

    // then
    assertEquals("web1", f.get("hostname"));
    assertEquals("web1.example.org", f.get("nodename"));
    assertEquals("web1.example.org", f.get("fqdn"));
    assertEquals("Debian", f.get("distribution"));
    assertEquals("12.5", f.get("distribution_version"));
    assertEquals("12", f.get("distribution_major_version"));
    assertEquals("bookworm", f.get("distribution_release"));
    assertEquals("Debian", f.get("os_family"));
    assertEquals(2000, f.get("memtotal_mb"));
    assertEquals(4, f.get("processor_vcpus"));
    assertEquals(2, f.get("processor_nproc"));
    assertEquals(List.of("192.168.1.20"), f.get("all_ipv4_addresses"));
    assertEquals(
        Map.of("interface", "eth0", "gateway", "192.168.1.1", "address", "192.168.1.20"),
        f.get("default_ipv4"));
    assertEquals(
        Map.of("epoch", "1700000000", "iso8601", "2023-11-14T22:13:20Z", "date", "2023-11-14"),
        f.get("date_time"));
    assertEquals("deploy", f.get("user_id"));
    assertEquals("x86_64", f.get("architecture"));
    Map<String, Object> vars = Facts.vars(f);
    assertEquals("web1", vars.get("ansible_hostname"));
    assertEquals("web1", ((Map<?, ?>) vars.get("ansible_facts")).get("hostname"));
  }

  @Test
  void aHostWithoutTheSourcesGivesEmptyFactsNotAnError() {
    // given: a host where every source was missing
    Map<String, Object> f = FactGatherer.parse("garbage\n=x\ndate=\n");

    // then
    assertEquals("", f.get("hostname"));
    assertEquals(List.of(), f.get("all_ipv4_addresses"));
    assertEquals(Map.of(), f.get("default_ipv4"));
    assertFalse(f.containsKey("date_time"));
    assertFalse(f.containsKey("memtotal_mb"));
  }

  @Test
  void anUbuntuHostIsOfTheDebianFamilyWithItsOwnVersion() {
    // when
    Map<String, Object> f =
        FactGatherer.parse(
            "os_ID=ubuntu\nos_VERSION_ID=22.04\nos_VERSION_CODENAME=jammy\n"
                + "debian_version=bookworm/sid\n");

    // then
    assertEquals("Ubuntu", f.get("distribution"));
    assertEquals("22.04", f.get("distribution_version"));
    assertEquals("22", f.get("distribution_major_version"));
    assertEquals("Debian", f.get("os_family"));
  }

  @Test
  void theScriptRunsOnThisMachineAndGivesEveryDocumentedFact() throws Exception {
    // when
    Map<String, Object> f = FactGatherer.parse(runScript());

    // then
    for (String name : Facts.NAMES.keySet()) {
      assertTrue(f.containsKey(name), name + " in " + f);
    }
    assertEquals("Linux", f.get("system"));
  }
}
