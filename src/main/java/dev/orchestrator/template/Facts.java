package dev.orchestrator.template;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The facts a host's {@code gather_facts} provides, with Ansible's names (README "Playbook
 * reference", gather_facts): each fact {@code NAME} is the template variable {@code ansible_NAME}
 * and the key {@code NAME} of {@code ansible_facts}, as Ansible's {@code setup} module gives them
 * (https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_vars_facts.html; the values
 * follow {@code ansible/module_utils/facts/}). Before the run, planning uses {@link #unknown}:
 * facts of the same shape whose values are known at run time only, as a registered result's are.
 */
public final class Facts {
  private Facts() {}

  /**
   * The top-level facts gathered, without the {@code ansible_} prefix, with their value's class.
   */
  public static final Map<String, Class<?>> NAMES = names();

  /** The keys of {@code ansible_default_ipv4}. */
  public static final List<String> DEFAULT_IPV4_KEYS = List.of("address", "interface", "gateway");

  /** The keys of {@code ansible_date_time}. */
  public static final List<String> DATE_TIME_KEYS = List.of("epoch", "iso8601", "date");

  private static Map<String, Class<?>> names() {
    Map<String, Class<?>> n = new LinkedHashMap<>();
    n.put("hostname", String.class);
    n.put("fqdn", String.class);
    n.put("nodename", String.class);
    n.put("default_ipv4", Map.class);
    n.put("all_ipv4_addresses", List.class);
    n.put("distribution", String.class);
    n.put("distribution_version", String.class);
    n.put("distribution_major_version", String.class);
    n.put("distribution_release", String.class);
    n.put("os_family", String.class);
    n.put("system", String.class);
    n.put("kernel", String.class);
    n.put("architecture", String.class);
    n.put("machine", String.class);
    n.put("memtotal_mb", Integer.class);
    n.put("processor_vcpus", Integer.class);
    n.put("processor_nproc", Integer.class);
    n.put("date_time", Map.class);
    n.put("user_id", String.class);
    n.put("pkg_mgr", String.class);
    return java.util.Collections.unmodifiableMap(n);
  }

  /**
   * Returns the template variables of gathered facts: {@code ansible_NAME} for each fact and {@code
   * ansible_facts} holding them all without the prefix.
   *
   * @param facts fact name (without prefix) to value, as gathered
   */
  public static Map<String, Object> vars(Map<String, Object> facts) {
    Map<String, Object> out = new LinkedHashMap<>();
    facts.forEach((k, v) -> out.put("ansible_" + k, v));
    out.put("ansible_facts", java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts)));
    return out;
  }

  /**
   * Returns facts of the gathered shape whose every value is known at run time only ({@code plan}
   * without {@code --check}): a template that reads one is decided when the step runs, a name that
   * is not a fact ({@code ansible_hostnme}) stays an error.
   */
  public static Map<String, Object> unknown() {
    Map<String, Object> facts = new LinkedHashMap<>();
    NAMES.forEach(
        (name, type) -> {
          String path = "ansible_" + name;
          if (name.equals("default_ipv4")) {
            facts.put(name, unknownMap(path, DEFAULT_IPV4_KEYS));
          } else if (name.equals("date_time")) {
            facts.put(name, unknownMap(path, DATE_TIME_KEYS));
          } else {
            facts.put(name, Undefined.knownAtRunTime(path, type));
          }
        });
    return vars(facts);
  }

  private static Map<String, Object> unknownMap(String path, List<String> keys) {
    Map<String, Object> m = new LinkedHashMap<>();
    keys.forEach(k -> m.put(k, Undefined.knownAtRunTime(path + "." + k, String.class)));
    return java.util.Collections.unmodifiableMap(m);
  }

  /**
   * Returns whether a template text reads facts: it names {@code ansible_facts}, {@code hostvars}
   * (another host's facts) or one of {@link #NAMES} as {@code ansible_NAME}. A playbook whose
   * templates read none gathers none unless it says {@code gather_facts: true}.
   */
  public static boolean mentioned(String text) {
    if (!text.contains("ansible_") && !text.contains("hostvars")) {
      return false;
    }
    if (text.contains("ansible_facts") || text.contains("hostvars")) {
      return true;
    }
    for (String name : NAMES.keySet()) {
      if (text.contains("ansible_" + name)) {
        return true;
      }
    }
    return false;
  }
}
