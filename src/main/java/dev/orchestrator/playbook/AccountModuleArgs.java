package dev.orchestrator.playbook;

import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads the arguments of {@code group} as ansible-core 2.14's module declares them ({@code
 * lib/ansible/modules/group.py}, its {@code argument_spec}: {@code name} required, {@code state}
 * {@code present}/{@code absent}, {@code gid}, {@code system}, {@code non_unique} requiring {@code
 * gid}); a part of {@link StepModules}. {@code local} (libuser's {@code lgroupadd}) is refused. And
 * those of {@code user} ({@code lib/ansible/modules/user.py}: {@code name} (alias {@code user})
 * required, {@code state}, {@code uid}, {@code non_unique}, {@code group}, {@code groups} (a list
 * or a comma-separated text), {@code append}, {@code comment}, {@code home}, {@code shell}, {@code
 * password}, {@code create_home} (alias {@code createhome}), {@code move_home}, {@code system},
 * {@code update_password} ({@code always}, {@code on_create}), {@code remove}, {@code force}); its
 * other arguments (ssh keys, expiry, locking, libuser, non-Linux ones) are refused by name.
 */
final class AccountModuleArgs {
  private static final Set<String> GROUP = Set.of("name", "state", "gid", "system", "non_unique");

  /** The arguments of {@code user} we run (aliases {@code user}, {@code createhome} read too). */
  private static final Set<String> USER =
      Set.of(
          "name",
          "state",
          "uid",
          "non_unique",
          "group",
          "groups",
          "append",
          "comment",
          "home",
          "shell",
          "password",
          "create_home",
          "move_home",
          "system",
          "update_password",
          "remove",
          "force");

  /** The arguments of {@code user} we do not run, refused by name. */
  private static final Set<String> USER_REFUSED =
      Set.of(
          "login_class",
          "password_expire_max",
          "password_expire_min",
          "hidden",
          "seuser",
          "skeleton",
          "generate_ssh_key",
          "ssh_key_bits",
          "ssh_key_type",
          "ssh_key_file",
          "ssh_key_comment",
          "ssh_key_passphrase",
          "expires",
          "password_lock",
          "local",
          "profile",
          "authorization",
          "role",
          "umask");

  private final ModuleArgReader reader;

  AccountModuleArgs(ModuleArgReader reader) {
    this.reader = reader;
  }

  /** {@code group}. */
  Map<String, Object> group(YamlNode node, String where) {
    YamlMap m = ModuleArgReader.map(node, "group", "write e.g. group: {name: app, gid: 990}");
    m.entry("local")
        .ifPresent(
            e -> {
              throw e.key()
                  .error(
                      where + ": 'local' of group is not supported",
                      "remove it: groupadd manages the groups of /etc/group");
            });
    m.allowOnly(GROUP);
    Map<String, Object> args = new LinkedHashMap<>();
    if (m.get("name").isEmpty()) {
      throw node.error(where + " has no 'name'", "name the group: name: app");
    }
    args.put("name", reader.templated(m.get("name").get(), where, "name"));
    m.get("state")
        .ifPresent(
            v -> {
              String state = v.asString("state");
              if (!state.equals("present") && !state.equals("absent")) {
                throw v.error(
                    where + ": unknown state '" + state + "'", "write one of: absent, present");
              }
              args.put("state", state);
            });
    m.get("gid").ifPresent(v -> args.put("gid", reader.number(v, where, "gid", 0, 2_147_483_647)));
    m.get("system").ifPresent(v -> args.put("system", reader.bool(v, where, "system")));
    m.get("non_unique").ifPresent(v -> args.put("non_unique", reader.bool(v, where, "non_unique")));
    if (Boolean.TRUE.equals(args.get("non_unique")) && !args.containsKey("gid")) {
      throw m.entry("non_unique")
          .orElseThrow()
          .key()
          .error(where + ": 'non_unique' needs 'gid'", "give the gid to share: gid: 990");
    }
    return args;
  }

  /** {@code user}. */
  Map<String, Object> user(YamlNode node, String where) {
    YamlMap m =
        ModuleArgReader.map(node, "user", "write e.g. user: {name: deploy, groups: [www-data]}");
    for (YamlMap.Entry e : m.entries()) {
      if (USER_REFUSED.contains(e.name())) {
        throw e.key()
            .error(
                where + ": '" + e.name() + "' of user is not supported",
                "supported: " + String.join(", ", new java.util.TreeSet<>(USER)));
      }
    }
    Set<String> allowed = new java.util.HashSet<>(USER);
    allowed.addAll(Set.of("user", "createhome"));
    m.allowOnly(allowed);
    Map<String, Object> args = new LinkedHashMap<>();
    for (YamlMap.Entry e : m.entries()) {
      String key =
          switch (e.name()) {
            case "user" -> "name";
            case "createhome" -> "create_home";
            default -> e.name();
          };
      if (args.containsKey(key)) {
        throw e.key().error(where + " has both '" + key + "' and '" + e.name() + "'", "write one");
      }
      switch (key) {
        case "state" -> {}
        case "update_password" -> {}
        case "uid" -> args.put(key, reader.number(e.value(), where, key, 0, 2_147_483_647));
        case "non_unique", "append", "create_home", "move_home", "system", "remove", "force" ->
            args.put(key, reader.bool(e.value(), where, key));
        default -> args.put(key, reader.templated(e.value(), where, key));
      }
    }
    if (!args.containsKey("name")) {
      throw node.error(where + " has no 'name'", "name the user: name: deploy");
    }
    reader.choice(m, node, where, "state", java.util.List.of("present", "absent"), args, false);
    reader.choice(
        m, node, where, "update_password", java.util.List.of("always", "on_create"), args, false);
    return args;
  }
}
