package dev.orchestrator.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.common.InputException;
import dev.orchestrator.playbook.PlaybookLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * What {@code orchestrator} makes of each playbook of the corpus ({@code
 * src/test/resources/corpus/}, README "Ansible playbook corpus"), unchanged: read, or refused
 * before anything runs with the first reason (a play count, a module, a keyword), recorded here so
 * that the figure the README quotes (how many read unchanged, and what stops the others) is
 * measured, and moves only with a change of this table.
 */
class CorpusReadTest {
  /** Each corpus playbook: READS, or the start of the message that refuses it. */
  static final Map<String, String> EXPECTED =
      Map.ofEntries(
          Map.entry(
              "ansible-examples-jboss-standalone/deploy-application.yml",
              "the module 'jboss' is not supported"),
          Map.entry(
              "ansible-examples-jboss-standalone/site.yml",
              "the module 'firewalld' is not supported"),
          Map.entry("ansible-examples-lamp_haproxy/rolling_update.yml", "READS"),
          Map.entry(
              "ansible-examples-lamp_haproxy/site.yml", "the module 'mysql_db' is not supported"),
          Map.entry(
              "ansible-examples-lamp_simple/site.yml", "the module 'mysql_db' is not supported"),
          Map.entry(
              "ansible-examples-lamp_simple_rhel7/site.yml",
              "the module 'firewalld' is not supported"),
          Map.entry(
              "ansible-examples-mongodb/playbooks/testsharding.yml",
              "the module 'mongodb_user' is not supported"),
          Map.entry("ansible-examples-mongodb/site.yml", "the module 'pip' is not supported"),
          Map.entry(
              "ansible-examples-tomcat-memcached-failover/site.yml",
              "step 'deploy-sample-app': copy source 'msm-sample-webapp-1.0-SNAPSHOT.war' not found"),
          Map.entry(
              "ansible-examples-tomcat-standalone/site.yml",
              "the module 'firewalld' is not supported"),
          Map.entry(
              "ansible-examples-wordpress-nginx/site.yml",
              "the module 'mysql_db' is not supported"),
          Map.entry(
              "ansible-examples-wordpress-nginx_rhel7/site.yml",
              "the module 'firewalld' is not supported"),
          Map.entry("ansible-for-devops-deployments-balancer/playbooks/deploy.yml", "READS"),
          Map.entry(
              "ansible-for-devops-deployments-balancer/playbooks/provision.yml",
              "unknown key 'validate' in 'template'"),
          Map.entry("ansible-for-devops-deployments-rolling/playbooks/deploy.yml", "READS"),
          Map.entry(
              "ansible-for-devops-deployments-rolling/playbooks/main.yml",
              "role 'geerlingguy.firewall' not found"),
          Map.entry(
              "ansible-for-devops-deployments-rolling/playbooks/provision.yml",
              "role 'geerlingguy.firewall' not found"),
          Map.entry(
              "ansible-for-devops-deployments/playbooks/deploy.yml",
              "role 'geerlingguy.passenger' not found"),
          Map.entry(
              "ansible-for-devops-deployments/playbooks/main.yml",
              "role 'geerlingguy.git' not found"),
          Map.entry(
              "ansible-for-devops-deployments/playbooks/provision.yml",
              "role 'geerlingguy.git' not found"),
          Map.entry(
              "ansible-for-devops-drupal/provisioning/playbook.yml",
              "the module 'apt_repository' is not supported"),
          Map.entry("ansible-for-devops-first-ansible-playbook/playbook.yml", "READS"),
          Map.entry(
              "ansible-for-devops-includes/provisioning/playbook.yml",
              "the module 'apt_repository' is not supported"),
          Map.entry("ansible-for-devops-molecule/main.yml", "READS"),
          Map.entry("ansible-for-devops-molecule/molecule/default/converge.yml", "READS"),
          Map.entry("ansible-for-devops-molecule/molecule/default/verify.yml", "READS"),
          Map.entry(
              "ansible-for-devops-nodejs-role/playbook.yml",
              "the module 'rpm_key' is not supported"),
          Map.entry(
              "ansible-for-devops-nodejs/provisioning/playbook.yml",
              "the module 'rpm_key' is not supported"),
          Map.entry("ansible-for-devops-security/main.yml", "the module 'seport' is not supported"),
          Map.entry("ansible-for-devops-solr/provisioning/playbook.yml", "READS"),
          Map.entry(
              "geerlingguy-role-apache/converge.yml",
              "'include_steps': undefined variable 'ansible_os_family'"),
          Map.entry("geerlingguy-role-firewall/converge.yml", "READS"),
          Map.entry(
              "geerlingguy-role-git/converge.yml",
              "step 'force-git-install-if-the-version-numbers-do-not-match', 'when': template error: Error parsing"),
          Map.entry(
              "geerlingguy-role-haproxy/converge.yml", "unknown key 'validate' in 'template'"),
          Map.entry(
              "geerlingguy-role-nodejs/converge.yml", "the module 'rpm_key' is not supported"));

  @Test
  void eachCorpusPlaybookIsReadOrRefusedAsRecorded() {
    // given every corpus playbook the oracle lists
    assertEquals(
        new java.util.TreeSet<>(CorpusOracleIT.EXPECTED.keySet()),
        new java.util.TreeSet<>(EXPECTED.keySet()),
        "the same playbooks as CorpusOracleIT");
    Map<String, String> actual = new TreeMap<>();
    for (String playbook : EXPECTED.keySet()) {
      // when our loader reads it
      Path file = Path.of("src/test/resources/corpus").resolve(playbook);
      String result;
      try {
        new PlaybookLoader().load(file);
        result = "READS";
      } catch (InputException e) {
        String message = e.getMessage().replaceFirst("^[^ ]+:\\d+:\\d+: ", "");
        String expected = EXPECTED.get(playbook);
        result = message.startsWith(expected) ? expected : message;
      }
      actual.put(playbook, result);
    }
    // then each is as recorded
    assertEquals(new TreeMap<>(EXPECTED), actual);
  }

  @Test
  void theMigrationReportAgreesWithTheLoadOnEveryCorpusPlaybook() {
    for (String playbook : EXPECTED.keySet()) {
      // given a corpus playbook and what the load makes of it
      Path file = Path.of("src/test/resources/corpus").resolve(playbook);
      String expected = EXPECTED.get(playbook);
      // when its migration report is built
      dev.orchestrator.playbook.MigrationReport report =
          dev.orchestrator.playbook.AnsibleMigration.of(file, java.util.List.of());
      // then it says "runs unchanged" exactly when the load reads it, and names the load's refusal
      assertEquals(expected.equals("READS"), report.runsUnchanged(), playbook);
      if (!expected.equals("READS")) {
        org.junit.jupiter.api.Assertions.assertTrue(
            report.items().stream()
                .anyMatch(
                    i ->
                        i.support() == dev.orchestrator.playbook.MigrationReport.Support.UNSUPPORTED
                            && i.reason().contains(expected)),
            playbook + ": no unsupported part says " + expected);
      }
    }
  }
}
