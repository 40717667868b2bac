package dev.orchestrator.playbook;

import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the arguments of {@code cron} as ansible-core 2.14's module declares them ({@code
 * lib/ansible/modules/cron.py}, its {@code argument_spec}: {@code name} required, {@code job}
 * (alias {@code value}), {@code user}, {@code cron_file}, {@code state} {@code present}/{@code
 * absent}, {@code minute}, {@code hour}, {@code day} ({@code dom}), {@code month}, {@code weekday}
 * ({@code dow}), {@code special_time} with its choices, {@code disabled}, {@code env}, {@code
 * insertafter} and {@code insertbefore} mutually exclusive); aliases are read as the names they
 * stand for. {@code backup} is refused (its copy would be a temporary file left on the host). A
 * part of {@link StepModules}.
 */
final class CronModuleArgs {
  /** {@code special_time}'s choices. */
  static final List<String> SPECIAL =
      List.of("reboot", "yearly", "annually", "monthly", "weekly", "daily", "hourly");

  private static final Map<String, String> ALIASES =
      Map.of("value", "job", "dom", "day", "dow", "weekday");

  private static final Set<String> TEXTS =
      Set.of(
          "name",
          "job",
          "user",
          "cron_file",
          "minute",
          "hour",
          "day",
          "month",
          "weekday",
          "insertafter",
          "insertbefore");

  private final ModuleArgReader reader;

  CronModuleArgs(ModuleArgReader reader) {
    this.reader = reader;
  }

  /** {@code cron}. */
  Map<String, Object> cron(YamlNode node, String where) {
    YamlMap m =
        ModuleArgReader.map(
            node, "cron", "write e.g. cron: {name: backup, hour: '2', job: /usr/local/bin/backup}");
    m.entry("backup")
        .ifPresent(
            e -> {
              throw e.key()
                  .error(
                      where + ": 'backup' of cron is not supported",
                      "remove it, or save the crontab first: shell: crontab -l > FILE");
            });
    Set<String> allowed = new java.util.HashSet<>(TEXTS);
    allowed.addAll(ALIASES.keySet());
    allowed.addAll(Set.of("state", "special_time", "disabled", "env"));
    m.allowOnly(allowed);
    if (m.get("name").isEmpty()) {
      throw node.error(where + " has no 'name'", "name the job: name: nightly backup");
    }
    Map<String, Object> args = new LinkedHashMap<>();
    for (YamlMap.Entry e : m.entries()) {
      String key = ALIASES.getOrDefault(e.name(), e.name());
      if (!TEXTS.contains(key)) {
        continue;
      }
      if (args.containsKey(key)) {
        throw e.key()
            .error(
                where + " has both '" + key + "' and its alias '" + e.name() + "'",
                "write one of them");
      }
      args.put(key, reader.templated(e.value(), where, key));
    }
    reader.choice(m, node, where, "state", List.of("present", "absent"), args, false);
    reader.choice(m, node, where, "special_time", SPECIAL, args, false);
    for (String flag : List.of("disabled", "env")) {
      m.get(flag).ifPresent(v -> args.put(flag, reader.bool(v, where, flag)));
    }
    if (m.has("insertafter") && m.has("insertbefore")) {
      throw m.entry("insertbefore")
          .orElseThrow()
          .key()
          .error(
              where + ": parameters are mutually exclusive: insertafter|insertbefore",
              "keep one of them");
    }
    return args;
  }
}
