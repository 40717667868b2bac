package dev.orchestrator.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orchestrator.corpus.Census.Playbook;
import dev.orchestrator.inventory.AnsibleForkServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oracle for the play reader: what real {@code ansible-playbook} (Debian's ansible-core 2.14
 * with its collections, as {@code .ci/run} installs it) makes of each playbook of the corpus,
 * recorded in {@link #EXPECTED}. Each playbook is listed with {@code --list-tasks} against an
 * inventory naming the groups its plays target, from the playbook's folder (so an {@code
 * ansible.cfg} there is read, as upstream runs it). A listing does what {@code --syntax-check} does
 * and more: both load the playbook with its roles and task files and post-validate each play, then
 * the syntax check stops and the listing compiles the plays' blocks ({@code
 * ansible/executor/playbook_executor.py}, {@code ansible/cli/playbook.py}); so a playbook that
 * lists passes the syntax check, and one recorded as failing is run with {@code --syntax-check}
 * too, which must fail with the same message. One {@code ansible-playbook} per playbook, forked
 * from a Python that imported Ansible once ({@link AnsibleForkServer}) unless its folder has an
 * {@code ansible.cfg} (read at import, so those run as their own process).
 */
class CorpusOracleIT {
  /** What ansible-playbook does with a playbook: lists it, or fails with this message. */
  record Expected(boolean lists, String error) {
    static Expected listing() {
      return new Expected(true, "");
    }

    static Expected failing(String error) {
      return new Expected(false, error);
    }
  }

  /** How many ansible-playbook commands run at once. */
  private static final int PARALLEL = 2;

  private static final String NOT_IN_2_14 =
      "couldn't resolve module/action 'ansible.builtin.deb822_repository'";

  /**
   * Each playbook of the corpus and what ansible-core 2.14 does with it. The failures: Galaxy roles
   * the corpus does not hold ({@code REJECTED.md} says why), and {@code deb822_repository}, a
   * module of ansible-core 2.15 that the current geerlingguy.nodejs role uses.
   */
  static final Map<String, Expected> EXPECTED =
      Map.ofEntries(
          Map.entry("ansible-examples-jboss-standalone/site.yml", Expected.listing()),
          Map.entry("ansible-examples-jboss-standalone/deploy-application.yml", Expected.listing()),
          Map.entry("ansible-examples-lamp_haproxy/site.yml", Expected.listing()),
          Map.entry("ansible-examples-lamp_haproxy/rolling_update.yml", Expected.listing()),
          Map.entry("ansible-examples-lamp_simple/site.yml", Expected.listing()),
          Map.entry("ansible-examples-lamp_simple_rhel7/site.yml", Expected.listing()),
          Map.entry("ansible-examples-mongodb/site.yml", Expected.listing()),
          Map.entry("ansible-examples-mongodb/playbooks/testsharding.yml", Expected.listing()),
          Map.entry("ansible-examples-tomcat-memcached-failover/site.yml", Expected.listing()),
          Map.entry("ansible-examples-tomcat-standalone/site.yml", Expected.listing()),
          Map.entry("ansible-examples-wordpress-nginx/site.yml", Expected.listing()),
          Map.entry("ansible-examples-wordpress-nginx_rhel7/site.yml", Expected.listing()),
          Map.entry(
              "ansible-for-devops-deployments-balancer/playbooks/provision.yml",
              Expected.listing()),
          Map.entry(
              "ansible-for-devops-deployments-balancer/playbooks/deploy.yml", Expected.listing()),
          Map.entry(
              "ansible-for-devops-deployments-rolling/playbooks/main.yml",
              Expected.failing(NOT_IN_2_14)),
          Map.entry(
              "ansible-for-devops-deployments-rolling/playbooks/provision.yml",
              Expected.failing(NOT_IN_2_14)),
          Map.entry(
              "ansible-for-devops-deployments-rolling/playbooks/deploy.yml", Expected.listing()),
          Map.entry(
              "ansible-for-devops-deployments/playbooks/main.yml",
              Expected.failing("the role 'geerlingguy.git' was not found")),
          Map.entry(
              "ansible-for-devops-deployments/playbooks/provision.yml",
              Expected.failing("the role 'geerlingguy.git' was not found")),
          Map.entry(
              "ansible-for-devops-deployments/playbooks/deploy.yml",
              Expected.failing("the role 'geerlingguy.passenger' was not found")),
          Map.entry("ansible-for-devops-drupal/provisioning/playbook.yml", Expected.listing()),
          Map.entry("ansible-for-devops-first-ansible-playbook/playbook.yml", Expected.listing()),
          Map.entry("ansible-for-devops-includes/provisioning/playbook.yml", Expected.listing()),
          Map.entry("ansible-for-devops-molecule/main.yml", Expected.listing()),
          Map.entry(
              "ansible-for-devops-molecule/molecule/default/converge.yml", Expected.listing()),
          Map.entry("ansible-for-devops-molecule/molecule/default/verify.yml", Expected.listing()),
          Map.entry("ansible-for-devops-nodejs-role/playbook.yml", Expected.listing()),
          Map.entry("ansible-for-devops-nodejs/provisioning/playbook.yml", Expected.listing()),
          Map.entry("ansible-for-devops-security/main.yml", Expected.listing()),
          Map.entry("ansible-for-devops-solr/provisioning/playbook.yml", Expected.listing()),
          Map.entry("geerlingguy-role-firewall/converge.yml", Expected.listing()),
          Map.entry("geerlingguy-role-apache/converge.yml", Expected.listing()),
          Map.entry("geerlingguy-role-git/converge.yml", Expected.listing()),
          Map.entry("geerlingguy-role-haproxy/converge.yml", Expected.listing()),
          Map.entry("geerlingguy-role-nodejs/converge.yml", Expected.failing(NOT_IN_2_14)));

  @Test
  void everyCorpusPlaybookIsRecorded() {
    // given the corpus's playbooks
    Set<String> ids =
        Census.read(Census.CORPUS).stream().map(Playbook::id).collect(Collectors.toSet());
    // then the table records each of them, and nothing else
    assertEquals(new TreeSet<>(ids), new TreeSet<>(EXPECTED.keySet()));
  }

  @Test
  void ansiblePlaybookReadsEachPlaybookAsRecorded(@TempDir Path scratch) throws Exception {
    Path command = requireAnsiblePlaybook().orElseThrow();
    // those run as their own process (an ansible.cfg in their folder) first: they take longest
    List<Playbook> playbooks =
        Census.read(Census.CORPUS).stream()
            .sorted(
                java.util.Comparator.comparing(
                    (Playbook p) ->
                        !Files.exists(Census.CORPUS.resolve(p.tree()).resolve("ansible.cfg"))))
            .toList();
    // a few commands at once, each forked from its own server (the machine is shared: not more)
    BlockingQueue<AnsibleForkServer> servers = new LinkedBlockingQueue<>();
    for (int i = 0; i < PARALLEL; i++) {
      servers.add(AnsibleForkServer.startWarmed(command));
    }
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
    Map<String, String> listings = new java.util.concurrent.ConcurrentSkipListMap<>();
    try {
      List<Future<List<String>>> checks = new ArrayList<>();
      for (Playbook playbook : playbooks) {
        checks.add(
            pool.submit(
                () -> {
                  AnsibleForkServer server = servers.take();
                  try {
                    return check(playbook, new Runner(command, server, scratch), listings);
                  } finally {
                    servers.add(server);
                  }
                }));
      }
      List<String> mismatches = new ArrayList<>();
      for (Future<List<String>> check : checks) {
        mismatches.addAll(check.get(10, TimeUnit.MINUTES));
      }
      // then each playbook lists, or fails as recorded (and so does its syntax check)
      assertEquals(List.of(), mismatches);
    } finally {
      pool.shutdownNow();
    }
    // and the listings are those recorded, for the play reader's --list-tasks to compare with
    String fresh = listingsMarkdown(listings);
    if (Boolean.getBoolean("corpus.record")) {
      Files.writeString(LISTINGS, fresh, StandardCharsets.UTF_8);
    }
    assertEquals(
        fresh,
        Files.exists(LISTINGS) ? Files.readString(LISTINGS, StandardCharsets.UTF_8) : "",
        LISTINGS
            + " is stale: rewrite it with mvn -o -q -B verify -Dtest=none"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=CorpusOracleIT"
            + " -Dcorpus.record=true");
  }

  /** Where ansible-playbook's listings of the corpus are recorded. */
  static final Path LISTINGS = Census.CORPUS.resolve("ANSIBLE-LIST-TASKS.md");

  /**
   * The listings as Markdown, by playbook. A play's tags are sorted: Ansible prints them from a set
   * ({@code ansible/cli/playbook.py}), in an order that changes with Python's hash seed.
   */
  static String listingsMarkdown(Map<String, String> listings) {
    StringBuilder md =
        new StringBuilder(
            "# ansible-playbook --list-tasks on the corpus\n\n"
                + "Recorded by `CorpusOracleIT` (ansible-core 2.14, Debian's collections), with an"
                + " inventory naming one host per group the plays target; play tags sorted. Rewrite"
                + " with `mvn -o -q -B verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false"
                + " -Dit.test=CorpusOracleIT -Dcorpus.record=true`.\n");
    listings.forEach(
        (id, out) ->
            md.append("\n## `").append(id).append("`\n\n```\n").append(out).append("```\n"));
    return md.toString();
  }

  private static String normalised(String listing) {
    StringBuilder out = new StringBuilder();
    for (String line : listing.strip().split("\n")) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("^(  play #\\d+ .*\tTAGS: \\[)([^\\]]*)(\\].*)$")
              .matcher(line);
      if (m.matches()) {
        line =
            m.group(1)
                + String.join(",", new TreeSet<>(List.of(m.group(2).split(","))))
                + m.group(3);
      }
      out.append(line.stripTrailing()).append('\n');
    }
    return out.toString();
  }

  /** What differs from the record for one playbook (nothing: an empty list). */
  private static List<String> check(Playbook playbook, Runner ansible, Map<String, String> listings)
      throws IOException, InterruptedException {
    // given an inventory naming the groups the playbook targets
    Path inventory = ansible.scratch().resolve(playbook.id().replace('/', '_') + ".ini");
    Files.writeString(inventory, inventory(playbook.hostPatterns()));
    Path tree = Census.CORPUS.resolve(playbook.tree()).toAbsolutePath();
    Expected expected = EXPECTED.get(playbook.id());
    // when ansible-playbook lists its tasks
    Output listing = ansible.run(tree, inventory, "--list-tasks", playbook.path());
    String what = playbook.id() + ": ";
    List<String> mismatches = new ArrayList<>();
    if (expected.lists()) {
      if (listing.rc() != 0 || !listing.out().contains("playbook: ")) {
        mismatches.add(what + "does not list: " + listing.text().strip());
      } else {
        listings.put(playbook.id(), normalised(listing.out()));
      }
      return mismatches;
    }
    if (listing.rc() == 0 || !listing.text().contains(expected.error())) {
      mismatches.add(what + "expected \"" + expected.error() + "\", got " + listing);
    }
    Output syntax = ansible.run(tree, inventory, "--syntax-check", playbook.path());
    if (syntax.rc() == 0 || !syntax.text().contains(expected.error())) {
      mismatches.add(what + "--syntax-check: expected the same failure, got " + syntax);
    }
    return mismatches;
  }

  /**
   * One host per group a play names; {@code all}, {@code localhost} and templated names skipped.
   */
  static String inventory(Set<String> patterns) {
    Set<String> groups = new TreeSet<>();
    for (String pattern : patterns) {
      for (String part : pattern.split("[:,]")) {
        String name = part.strip().replaceFirst("^[!&]", "");
        if (name.matches("[A-Za-z0-9_.-]+") && !Set.of("all", "localhost").contains(name)) {
          groups.add(name);
        }
      }
    }
    StringBuilder ini = new StringBuilder("localhost ansible_connection=local\n");
    for (String group : groups) {
      ini.append('[').append(group).append("]\n").append(group).append("-host\n");
    }
    return ini.toString();
  }

  /** What a command did: its exit code, standard output and standard error. */
  private record Output(int rc, String out, String err) {
    String text() {
      return out + err;
    }
  }

  /** Runs ansible-playbook from a folder: forked from a server, or alone where ansible.cfg is. */
  private record Runner(Path script, AnsibleForkServer server, Path scratch) {
    Output run(Path tree, Path inventory, String mode, String playbook)
        throws IOException, InterruptedException {
      List<String> args = List.of("ansible-playbook", "-i", inventory.toString(), mode, playbook);
      if (!Files.exists(tree.resolve("ansible.cfg"))) {
        Map.Entry<Integer, String[]> r = server.run(tree, args, script);
        return new Output(r.getKey(), r.getValue()[0], r.getValue()[1]);
      }
      Path out = Files.createTempFile(scratch, "ansible-playbook", ".out");
      Path err = Files.createTempFile(scratch, "ansible-playbook", ".err");
      Process p =
          new ProcessBuilder(args)
              .directory(tree.toFile())
              .redirectError(err.toFile())
              .redirectOutput(out.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", args) + " did not finish in 120 s");
      }
      return new Output(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    }
  }

  /** ansible-playbook's script; the test is skipped without it, except under {@code CI=true}. */
  private static Optional<Path> requireAnsiblePlaybook() {
    Optional<Path> found = Optional.empty();
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, "ansible-playbook");
      if (found.isEmpty() && Files.isExecutable(p)) {
        found = Optional.of(p);
      }
    }
    String why = "ansible-playbook is not installed (apt-get install ansible; .ci/run installs it)";
    if ("true".equals(System.getenv("CI")) && found.isEmpty()) {
      throw new AssertionError(why + ", and CI=true: the corpus oracle must run");
    }
    assumeTrue(found.isPresent(), why);
    return found;
  }
}
