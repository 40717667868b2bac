package dev.orchestrator.report;

import dev.orchestrator.common.InputException;
import dev.orchestrator.inventory.Host;
import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.Stage;
import dev.orchestrator.playbook.Step;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code --list-hosts}, {@code --list-tasks}, {@code --list-tags}: a loaded playbook and its
 * inventory listed as {@code ansible-playbook} lists them ({@code lib/ansible/cli/playbook.py}),
 * nothing run: {@code playbook: FILE}, then per play (our stage) {@code play #N (PATTERN): NAME
 * TAGS: [...]}, its {@code pattern} and {@code hosts (N)}, its {@code tasks} with their tags, and
 * {@code TASK TAGS}.
 *
 * <p>Where we differ: hosts are listed in inventory order and tags sorted (Ansible prints Python
 * sets, in no fixed order); in our own format a host already in an earlier stage is not listed
 * again, as our stages split the hosts between them, and a stage's tasks are the playbook's steps
 * (every stage runs them); an Ansible playbook of several plays lists each play's hosts and tasks,
 * those {@code --tags}/{@code --skip-tags} leave out are not listed, as Ansible filters them;
 * handlers are not listed (Ansible lists none either).
 */
public final class PlaybookListing {
  /**
   * What to list.
   *
   * @param hosts {@code --list-hosts}
   * @param tasks {@code --list-tasks}
   * @param tags {@code --list-tags}
   */
  public record What(boolean hosts, boolean tasks, boolean tags) {
    /** Whether anything is to be listed. */
    public boolean any() {
      return hosts || tasks || tags;
    }
  }

  private PlaybookListing() {}

  /**
   * Lists a playbook.
   *
   * @param playbook the loaded playbook
   * @param inventory its inventory
   * @param limit {@code --limit}, if given
   * @param onlyTags {@code --tags}
   * @param skipTags {@code --skip-tags}
   * @param what what to list
   * @return the listing, lines ending in {@code \n}, as ansible-playbook prints it
   * @throws InputException for a stage pattern or limit that cannot be read, or a limit that
   *     matches no host
   */
  public static String text(
      Playbook playbook,
      Inventory inventory,
      Optional<String> limit,
      List<String> onlyTags,
      List<String> skipTags,
      What what) {
    Objects.requireNonNull(what, "what");
    Set<String> limited = dev.orchestrator.plan.LimitedHosts.of(inventory, limit).orElse(null);
    Set<String> taken = new HashSet<>();
    StringBuilder out =
        new StringBuilder("\nplaybook: ").append(shown(playbook.file().toString())).append('\n');
    int n = 0;
    for (Playbook play : playbook.playsInOrder()) {
      if (!playbook.plays().isEmpty()) {
        taken.clear(); // a host may be in several plays
      }
      List<Step> steps =
          play.steps().stream().filter(s -> s.traits().selected(onlyTags, skipTags)).toList();
      n = stages(out, play, n, inventory, limited, taken, steps, what);
    }
    return out.toString();
  }

  private static int stages(
      StringBuilder out,
      Playbook play,
      int n,
      Inventory inventory,
      Set<String> limited,
      Set<String> taken,
      List<Step> steps,
      What what) {
    for (Stage stage : play.stages()) {
      n++;
      out.append("\n  play #")
          .append(n)
          .append(" (")
          .append(shown(stage.hosts()))
          .append("): ")
          .append(shown(stage.name()))
          .append("\tTAGS: []\n");
      List<Host> hosts =
          inventory.select(stage.hosts()).stream()
              .filter(h -> limited == null || limited.contains(h.name()))
              .filter(h -> taken.add(h.name()))
              .toList();
      if (what.hosts()) {
        out.append("    pattern: ['").append(shown(stage.hosts())).append("']\n");
        out.append("    hosts (").append(hosts.size()).append("):\n");
        hosts.forEach(h -> out.append("      ").append(shown(h.name())).append('\n'));
      }
      if (what.tasks() || what.tags()) {
        tasks(out, steps, what);
      }
    }
    return n;
  }

  private static void tasks(StringBuilder out, List<Step> steps, What what) {
    Set<String> all = new TreeSet<>();
    if (what.tasks()) {
      out.append("    tasks:\n");
    }
    for (Step s : steps) {
      Set<String> tags = new TreeSet<>(s.traits().tags());
      all.addAll(tags);
      if (what.tasks()) {
        out.append("      ")
            .append(shown(s.name().isBlank() ? s.id() : s.name()))
            .append("\tTAGS: [")
            .append(shown(String.join(", ", tags)))
            .append("]\n");
      }
    }
    if (what.tags()) {
      out.append("      TASK TAGS: [").append(shown(String.join(", ", all))).append("]\n");
    }
  }

  /**
   * A value from the playbook or the inventory as the listing prints it: control characters escaped
   * ({@link dev.orchestrator.common.Echo#escaped}), so that a play, task or tag name cannot drive
   * the terminal (ansible-playbook prints them raw).
   */
  private static String shown(String value) {
    return dev.orchestrator.common.Echo.escaped(value);
  }
}
