package dev.orchestrator.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Hostile input is normal input: whatever text a host name, step id, message, playbook name, user
 * name or gate question holds, the console's pages (Pebble, autoescaped) add no markup and no
 * attribute break-out for it: a page rendered with the text has exactly as many {@code <}, {@code
 * "} and {@code '} characters as the same page rendered with a harmless {@code x}.
 */
class PagesEscapingProperties {
  static final Pages PAGES = new Pages();

  @Provide
  Arbitrary<String> hostile() {
    return Arbitraries.oneOf(
        Arbitraries.strings()
            .withChars("<>&\"'`/=;:()[]{}\\ \t\nabcxyz012!?%#")
            .ofMinLength(1)
            .ofMaxLength(40),
        Arbitraries.strings().all().ofMinLength(1).ofMaxLength(20),
        Arbitraries.of(
            "<img src=x onerror=alert(1)>",
            "<img/src=x/onerror=alert(1)>",
            "<script>alert(document.cookie)</script>",
            "\"><svg onload=alert(1)>",
            "' onmouseover='alert(1)",
            "javascript:alert(1)",
            "{{ 7*7 }}",
            "{% raw %}",
            "</textarea></pre><script>x</script>"));
  }

  private static Map<String, Object> base(String s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("title", s);
    m.put("user", s);
    m.put("role", s);
    m.put("csrf", s);
    m.put("operator", true);
    return m;
  }

  private static String runsPage(String s) {
    Map<String, Object> m = base(s);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", s);
    r.put("playbook", s);
    r.put("status", s);
    r.put("reason", s);
    r.put("started_by", s);
    r.put("updated_at", s);
    r.put("updated", s);
    r.put("hosts_started", 1);
    r.put("hosts_done", 0);
    m.put("runs", List.of(r));
    m.put("store", s);
    return PAGES.render("runs", m);
  }

  private static String runPage(String s) {
    Map<String, Object> gate = new LinkedHashMap<>();
    gate.put("key", s);
    gate.put("description", s);
    gate.put("state", s);
    gate.put("message", s + "!");
    gate.put("question", s);
    gate.put("role", s);
    gate.put("distinct_from_starter", true);
    gate.put("may_approve", true);
    gate.put("may_reject", true);
    gate.put("why_not", s);
    Map<String, Object> cell = new LinkedHashMap<>();
    cell.put("status", s);
    cell.put("message", s);
    cell.put("log", s);
    Map<String, Object> host = new LinkedHashMap<>();
    host.put("name", s);
    host.put("steps", Map.of(s, cell));
    Map<String, Object> batch = new LinkedHashMap<>();
    batch.put("number", 1);
    batch.put("hosts", List.of(s));
    batch.put("gates", List.of(gate));
    Map<String, Object> stage = new LinkedHashMap<>();
    stage.put("name", s);
    stage.put("gates", List.of(gate));
    stage.put("batches", List.of(batch));
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("id", s);
    run.put("playbook", s);
    run.put("status", s);
    run.put("reason", s);
    run.put("started_by", s);
    run.put("last_error", s);
    run.put("action", s);
    run.put("plan_error", s);
    run.put("waiting_approvals", List.of(gate));
    run.put("may", Map.of("resume", true, "abort", true, "rollback", true));
    run.put("stages", List.of(stage));
    run.put("steps", List.of(s));
    run.put("hosts", List.of(host));
    Map<String, Object> m = base(s);
    m.put("run", run);
    return PAGES.render("run", m);
  }

  private static String otherPages(String s) {
    Map<String, Object> log = base(s);
    log.put("run_id", s);
    log.put("name", s);
    Map<String, Object> plan = base(s);
    plan.put("playbook", s);
    plan.put("inventory", s);
    plan.put("run", s);
    plan.put("playbooks", List.of(s));
    plan.put("inventories", List.of(s));
    plan.put("runs", List.of(s));
    plan.put("nothing", true);
    plan.put("plan", s);
    Map<String, Object> error = base(s);
    error.put("message", s);
    error.put("hint", s);
    Map<String, Object> login = base(s);
    login.put("error", s);
    return PAGES.render("log", log)
        + PAGES.render("plan", plan)
        + PAGES.render("error", error)
        + PAGES.render("login", login);
  }

  private static void sameMarkup(String page, String benign) {
    for (char c : new char[] {'<', '"', '\''}) {
      assertEquals(
          benign.chars().filter(x -> x == c).count(),
          page.chars().filter(x -> x == c).count(),
          "the text added '" + c + "' to the page");
    }
  }

  @Property(tries = 300)
  void theRunsPageAddsNoMarkup(@ForAll("hostile") String s) {
    sameMarkup(runsPage(s), runsPage("x"));
  }

  @Property(tries = 300)
  void theRunPageAddsNoMarkup(@ForAll("hostile") String s) {
    sameMarkup(runPage(s), runPage("x"));
  }

  @Property(tries = 200)
  void theOtherPagesAddNoMarkup(@ForAll("hostile") String s) {
    sameMarkup(otherPages(s), otherPages("x"));
  }
}
