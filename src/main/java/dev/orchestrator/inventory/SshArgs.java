package dev.orchestrator.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A host's {@code ansible_ssh_common_args} and {@code ansible_ssh_extra_args}: the OpenSSH options
 * Ansible's ssh plugin adds to its {@code ssh} command line
 * (https://docs.ansible.com/ansible/latest/collections/ansible/builtin/ssh_connection.html), read
 * for what they mean to orchestrator, which connects with its own SSH client (sshj). {@code -o
 * StrictHostKeyChecking=yes} is what orchestrator does anyway; every other option is named in one
 * warning per host ({@code -o UserKnownHostsFile=F}: give {@code --known-hosts F}); a jump host
 * ({@code -J}, {@code -o ProxyJump=}) is refused by a run, since orchestrator cannot reach a host
 * through another yet.
 */
public final class SshArgs {
  /** The variables read, in the order Ansible adds them to the command line. */
  public static final List<String> VARS =
      List.of("ansible_ssh_common_args", "ansible_ssh_extra_args");

  private SshArgs() {}

  /**
   * What orchestrator does not honour in a host's SSH arguments, one phrase per option, in order.
   *
   * @param vars the host's merged vars
   */
  static List<String> ignored(Map<String, Object> vars) {
    List<String> out = new ArrayList<>();
    for (String var : VARS) {
      Object v = vars.get(var);
      if (v == null || String.valueOf(v).isBlank()) {
        continue;
      }
      List<String> words;
      try {
        words = Shlex.split(String.valueOf(v));
      } catch (Shlex.SplitException e) {
        out.add(var + " cannot be split as a shell line (" + e.getMessage() + ")");
        continue;
      }
      for (int i = 0; i < words.size(); i++) {
        String w = words.get(i);
        String option = w;
        if (w.equals("-o") && i + 1 < words.size()) {
          option = "-o " + words.get(++i);
        } else if ((w.equals("-J") || w.equals("-i") || w.equals("-F")) && i + 1 < words.size()) {
          option = w + " " + words.get(++i);
        }
        if (!honoured(option)) {
          out.add(option + why(option));
        }
      }
    }
    return out;
  }

  /**
   * The jump host a host's SSH arguments name ({@code -J HOST} or {@code -o ProxyJump=HOST}), if
   * any.
   *
   * @param vars the host's merged vars
   */
  public static Optional<String> jumpHost(Map<String, Object> vars) {
    for (String var : VARS) {
      Object v = vars.get(var);
      if (v == null) {
        continue;
      }
      List<String> words;
      try {
        words = Shlex.split(String.valueOf(v));
      } catch (Shlex.SplitException e) {
        continue;
      }
      for (int i = 0; i + 1 < words.size(); i++) {
        if (words.get(i).equals("-J")) {
          return Optional.of(words.get(i + 1));
        }
        if (words.get(i).equals("-o") && key(words.get(i + 1)).equals("proxyjump")) {
          return Optional.of(value(words.get(i + 1)));
        }
      }
    }
    return Optional.empty();
  }

  private static boolean honoured(String option) {
    if (!option.startsWith("-o ")) {
      return false;
    }
    String o = option.substring(3);
    return key(o).equals("stricthostkeychecking")
        && value(o).toLowerCase(Locale.ROOT).equals("yes");
  }

  private static String why(String option) {
    String key = option.startsWith("-o ") ? key(option.substring(3)) : "";
    return switch (key) {
      case "userknownhostsfile" ->
          " (give --known-hosts " + value(option.substring(3)) + ": orchestrator reads one)";
      case "stricthostkeychecking" ->
          " (orchestrator refuses unknown host keys unless --accept-new-host-keys, changed ones"
              + " always)";
      default -> "";
    };
  }

  private static String key(String option) {
    int eq = option.indexOf('=');
    int sp = option.indexOf(' ');
    int end = eq < 0 ? sp : (sp < 0 ? eq : Math.min(eq, sp));
    return (end < 0 ? option : option.substring(0, end)).strip().toLowerCase(Locale.ROOT);
  }

  private static String value(String option) {
    int eq = option.indexOf('=');
    int sp = option.indexOf(' ');
    int end = eq < 0 ? sp : (sp < 0 ? eq : Math.min(eq, sp));
    return end < 0 ? "" : option.substring(end + 1).strip();
  }
}
