package dev.orchestrator.app;

import dev.orchestrator.common.InputException;
import dev.orchestrator.common.InputFiles;
import dev.orchestrator.common.SourceLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;

/**
 * Finds and reads Ansible's configuration as ansible-core 2.14 does ({@code
 * lib/ansible/config/manager.py}, {@code find_ini_config_file}; {@code lib/ansible/config/base.yml}
 * for each setting's key, environment variable and type;
 * https://docs.ansible.com/ansible/latest/reference_appendices/config.html).
 *
 * <p>The file: {@code ANSIBLE_CONFIG} (a folder means its {@code ansible.cfg}), then {@code
 * ./ansible.cfg} unless the current folder is world-writable (then it is skipped with Ansible's
 * warning), then {@code ~/.ansible.cfg}, then {@code /etc/ansible/ansible.cfg}; the first that
 * exists is read, alone. Each setting's environment variable wins over the file.
 *
 * <p>Values by type as Ansible's {@code ensure_type}: booleans {@code y/yes/on/1/true/t} and {@code
 * n/no/off/0/false/f} in any case; integers; {@code inventory} a comma list, {@code roles_path} a
 * {@code :} list; paths with {@code ~} expanded and relative ones resolved against the file's
 * folder (the current folder for an environment variable); surrounding quotes removed.
 *
 * <p>Where we differ: a boolean that is none of those words, or a file that exists but cannot be
 * read, is an error (exit 2 naming {@code file:line}) where Ansible reads the boolean as false and
 * skips the file; every key we do not honour is warned about once.
 */
final class AnsibleConfigReader {
  private static final Set<String> TRUE = Set.of("y", "yes", "on", "1", "true", "t");
  private static final Set<String> FALSE = Set.of("n", "no", "off", "0", "false", "f");
  private static final Set<String> HONOURED =
      Set.of(
          "inventory",
          "remote_user",
          "forks",
          "private_key_file",
          "host_key_checking",
          "roles_path",
          "timeout");

  private final Map<String, String> env;
  private final Path cwd;
  private final Path home;
  private final Optional<Path> file;
  private final Map<String, Map<String, AnsibleIni.Entry>> sections;

  private AnsibleConfigReader(
      Map<String, String> env,
      Path cwd,
      Path home,
      Optional<Path> file,
      Map<String, Map<String, AnsibleIni.Entry>> sections) {
    this.env = env;
    this.cwd = cwd;
    this.home = home;
    this.file = file;
    this.sections = sections;
  }

  /**
   * Finds and reads the configuration.
   *
   * @param env the environment ({@code ANSIBLE_CONFIG} and each setting's variable)
   * @param cwd the current folder, absolute
   * @param home the user's home folder ({@code ~})
   * @param system the system-wide file, {@code /etc/ansible/ansible.cfg}
   * @return the settings, with the warnings to show
   * @throws InputException for a file that cannot be read, a malformed line or a bad value, naming
   *     {@code file:line}
   */
  static AnsibleConfig read(Map<String, String> env, Path cwd, Path home, Path system) {
    List<String> warnings = new ArrayList<>();
    Optional<Path> found = find(env, cwd, home, system, warnings);
    Map<String, Map<String, AnsibleIni.Entry>> sections = Map.of();
    if (found.isPresent()) {
      if (!Files.isRegularFile(found.get()) || InputFiles.isKernelFile(found.get())) {
        // a FIFO would hang every command; /proc/self/environ would print the environment
        throw new InputException(
            found.get() + ":1: ansible.cfg is not a regular file",
            "point ANSIBLE_CONFIG at an ansible.cfg file, or remove it");
      }
      String text = InputFiles.readText(found.get(), "ansible.cfg");
      sections = AnsibleIni.parse(found.get(), text);
    }
    return new AnsibleConfigReader(env, cwd, home, found, sections).settings(warnings);
  }

  private static Optional<Path> find(
      Map<String, String> env, Path cwd, Path home, Path system, List<String> warnings) {
    List<Path> candidates = new ArrayList<>();
    Optional<Path> fromEnv =
        Optional.ofNullable(env.get("ANSIBLE_CONFIG")).map(p -> expand(p, home, cwd));
    fromEnv
        .map(p -> Files.isDirectory(p) ? p.resolve("ansible.cfg") : p)
        .ifPresent(candidates::add);
    Path local = cwd.resolve("ansible.cfg");
    boolean skippedLocal = false;
    if (worldWritable(cwd)) {
      skippedLocal = Files.exists(local);
    } else {
      candidates.add(local);
    }
    candidates.add(home.resolve(".ansible.cfg"));
    candidates.add(system);
    Optional<Path> found = candidates.stream().filter(Files::exists).findFirst();
    if (skippedLocal && (fromEnv.isEmpty() || !found.equals(fromEnv))) {
      warnings.add(
          "Ansible is being run in a world writable directory ("
              + cwd
              + "), ignoring it as an ansible.cfg source (as Ansible does: "
              + "https://docs.ansible.com/ansible/devel/reference_appendices/config.html"
              + "#cfg-in-world-writable-dir)");
    }
    return found;
  }

  private static boolean worldWritable(Path dir) {
    try {
      return Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_WRITE);
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private AnsibleConfig settings(List<String> warnings) {
    warnIgnored(warnings);
    return new AnsibleConfig(
        file,
        value("inventory", "ANSIBLE_INVENTORY")
            .map(v -> split(v, ",", this::path))
            .orElse(List.of()),
        value("remote_user", "ANSIBLE_REMOTE_USER").map(Setting::text).filter(s -> !s.isEmpty()),
        positive(value("forks", "ANSIBLE_FORKS")),
        value("private_key_file", "ANSIBLE_PRIVATE_KEY_FILE")
            .filter(s -> !s.text().isEmpty())
            .map(this::path),
        hostKeyChecking(warnings),
        value("roles_path", "ANSIBLE_ROLES_PATH")
            .map(v -> split(v, ":", this::path))
            .orElse(List.of()),
        positive(value("timeout", "ANSIBLE_TIMEOUT")),
        warnings);
  }

  private void warnIgnored(List<String> warnings) {
    sections.forEach(
        (section, keys) ->
            keys.forEach(
                (key, entry) -> {
                  if (section.equals("defaults") && HONOURED.contains(key)) {
                    return;
                  }
                  warnings.add(
                      entry.at() + ": [" + section + "] " + key + " is ignored: " + why(section));
                }));
  }

  private static String why(String section) {
    return switch (section) {
      case "ssh_connection" ->
          "orchestrator connects with its own SSH client (sshj), not OpenSSH's ssh, so OpenSSH's"
              + " options, pipelining, scp/sftp and ControlPath do not apply";
      case "privilege_escalation" ->
          "set become: on the stage or step (README \"Playbook reference\")";
      case "defaults" ->
          "orchestrator honours inventory, remote_user, forks, private_key_file,"
              + " host_key_checking, roles_path and timeout of [defaults]";
      default -> "orchestrator reads [defaults] only";
    };
  }

  /**
   * One setting's value and where it comes from.
   *
   * @param text the value, surrounding quotes removed
   * @param at where it was read; {@code null} line for an environment variable
   * @param origin the file's folder, or the current folder for an environment variable
   * @param name the key or variable, for messages
   */
  private record Setting(String text, Optional<SourceLocation> at, Path origin, String name) {
    String where() {
      return at.map(a -> a + ": ").orElse("") + name;
    }
  }

  private Optional<Setting> value(String key, String variable) {
    String fromEnv = env.get(variable);
    if (fromEnv != null) {
      return Optional.of(new Setting(unquote(fromEnv.strip()), Optional.empty(), cwd, variable));
    }
    return Optional.ofNullable(sections.getOrDefault("defaults", Map.of()).get(key))
        .map(
            e ->
                new Setting(
                    unquote(e.value()),
                    Optional.of(e.at()),
                    file.orElseThrow().toAbsolutePath().getParent(),
                    key));
  }

  private static List<Path> split(Setting s, String separator, Function<Setting, Path> path) {
    return Arrays.stream(s.text().split(separator))
        .map(String::strip)
        .filter(x -> !x.isEmpty())
        .map(x -> path.apply(new Setting(unquote(x), s.at(), s.origin(), s.name())))
        .toList();
  }

  private Path path(Setting s) {
    return expand(s.text(), home, s.origin());
  }

  private static Path expand(String value, Path home, Path base) {
    String v = value;
    if (v.equals("~")) {
      return home;
    }
    if (v.startsWith("~/")) {
      return home.resolve(v.substring(2)).normalize();
    }
    v = v.replace("{{CWD}}", Path.of("").toAbsolutePath().toString());
    return base.resolve(v).normalize();
  }

  /**
   * {@code host_key_checking}, with a warning naming where a {@code False} came from ({@code
   * file:line} or the variable): it turns on {@code --accept-new-host-keys} for this command only
   * (not stored with the run: a resume reads the configuration again).
   */
  private Optional<Boolean> hostKeyChecking(List<String> warnings) {
    Optional<Setting> s = value("host_key_checking", "ANSIBLE_HOST_KEY_CHECKING");
    Optional<Boolean> checking = s.map(AnsibleConfigReader::bool);
    if (checking.equals(Optional.of(false))) {
      warnings.add(
          s.get().where()
              + " = "
              + dev.orchestrator.common.Echo.bounded(s.get().text())
              + ": the keys of hosts not yet in known_hosts are accepted and recorded, as with"
              + " --accept-new-host-keys (a changed key is still refused); this is read again on"
              + " every command, never stored with the run");
    }
    return checking;
  }

  private static boolean bool(Setting s) {
    String v = s.text().toLowerCase(Locale.ROOT);
    if (TRUE.contains(v)) {
      return true;
    }
    if (FALSE.contains(v)) {
      return false;
    }
    throw new InputException(
        s.where() + " = '" + s.text() + "' is not a boolean",
        "write yes/no, true/false, on/off or 1/0");
  }

  private static OptionalInt positive(Optional<Setting> setting) {
    if (setting.isEmpty()) {
      return OptionalInt.empty();
    }
    Setting s = setting.get();
    try {
      int n = Integer.parseInt(s.text());
      if (n >= 1) {
        return OptionalInt.of(n);
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new InputException(
        s.where() + " = '" + s.text() + "' is not a whole number of at least 1",
        "write e.g. " + s.name() + " = 10");
  }

  private static String unquote(String v) {
    if (v.length() >= 2
        && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
      return v.substring(1, v.length() - 1);
    }
    return v;
  }
}
