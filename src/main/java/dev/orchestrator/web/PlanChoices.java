package dev.orchestrator.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The playbooks and inventories the plan form offers: files under the folders the admin named at
 * start ({@code serve --playbooks DIR}, {@code --inventories DIR}; or single files, as {@code
 * sandbox --serve} names its own). A request carries a choice (a key of {@link #playbooks} or
 * {@link #inventories}, built here), never a path: a key not in the list is refused, and the file
 * is looked at again when it is used ({@link #resolve}), so that a symbolic link swapped in since
 * the list was made cannot lead out of its folder.
 *
 * <p>Listed ({@link Files#walk} never follows a link to a folder): regular files (or links to files
 * inside the same folder), at most {@link #MAX_DEPTH} folders deep, none hidden (no part of the
 * path starts with {@code .}: {@code .env}, {@code .ssh/}, {@code .git/}) nor in {@code
 * group_vars/} or {@code host_vars/}, named {@code *.yml} or {@code *.yaml} (playbooks) and also
 * {@code *.ini} or {@code hosts} (inventories); at most {@link #MAX_FILES} of each; never the
 * console's users file.
 *
 * @param playbooks the playbooks offered: the choice's key (the file's path in its folder, with the
 *     folder's number when there are several) to the file's real path
 * @param inventories the inventories offered, likewise
 */
record PlanChoices(Map<String, Choice> playbooks, Map<String, Choice> inventories) {
  /** How many folders deep files are listed. */
  static final int MAX_DEPTH = 4;

  /** How many files of each kind are listed at most. */
  static final int MAX_FILES = 500;

  /** Ansible's folders of variables (often secrets, e.g. vault files): never offered. */
  private static final Set<String> VARS_FOLDERS = Set.of("group_vars", "host_vars");

  private static final Set<String> PLAYBOOK_SUFFIXES = Set.of(".yml", ".yaml");
  private static final Set<String> INVENTORY_SUFFIXES = Set.of(".yml", ".yaml", ".ini");

  /**
   * One file offered.
   *
   * @param root the folder (real path) it was listed under, or the file itself when the admin named
   *     a file
   * @param file the file's real path when it was listed
   */
  record Choice(Path root, Path file) {}

  /** Copies the maps. */
  PlanChoices {
    playbooks = Collections.unmodifiableMap(new LinkedHashMap<>(playbooks));
    inventories = Collections.unmodifiableMap(new LinkedHashMap<>(inventories));
  }

  /**
   * Lists the files now.
   *
   * @param playbookSources the playbook folders (or files) the admin named
   * @param inventorySources the inventory folders (or files)
   * @param usersFile the console's users file, never offered (were it under a folder named)
   */
  static PlanChoices scan(List<Path> playbookSources, List<Path> inventorySources, Path usersFile) {
    Path users;
    try {
      users = usersFile.toRealPath();
    } catch (IOException e) {
      users = usersFile.toAbsolutePath();
    }
    return new PlanChoices(
        list(playbookSources, PLAYBOOK_SUFFIXES, false, users),
        list(inventorySources, INVENTORY_SUFFIXES, true, users));
  }

  /**
   * The file of a choice as it is now: its real path, if it is still a regular file inside the
   * folder it was listed under.
   */
  static Optional<Path> resolve(Choice c) {
    try {
      Path real = c.file().toRealPath();
      boolean inside = real.equals(c.root()) || real.startsWith(c.root());
      return inside && Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)
          ? Optional.of(real)
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Map<String, Choice> list(
      List<Path> sources, Set<String> suffixes, boolean hostsFile, Path users) {
    Map<String, Choice> out = new LinkedHashMap<>();
    for (int i = 0; i < sources.size(); i++) {
      Path root;
      try {
        root = sources.get(i).toRealPath();
      } catch (IOException e) {
        continue; // gone since the start: nothing to offer from it
      }
      String prefix = sources.size() > 1 ? (i + 1) + ":" : "";
      if (root.equals(users)) {
        continue;
      }
      if (Files.isRegularFile(root)) {
        out.putIfAbsent(prefix + root.getFileName(), new Choice(root, root));
        continue;
      }
      List<String> names = new ArrayList<>();
      try (Stream<Path> files = Files.walk(root, MAX_DEPTH)) {
        Path r = root;
        files
            .filter(p -> !p.equals(r))
            .filter(p -> offered(r, p, suffixes, hostsFile, users))
            .limit(MAX_FILES)
            .forEach(p -> names.add(r.relativize(p).toString()));
      } catch (IOException | java.io.UncheckedIOException e) {
        continue; // unreadable folder: nothing to offer from it
      }
      Collections.sort(names);
      for (String n : names) {
        if (out.size() < MAX_FILES) {
          out.putIfAbsent(prefix + n, new Choice(root, root.resolve(n)));
        }
      }
    }
    return out;
  }

  private static boolean offered(
      Path root, Path p, Set<String> suffixes, boolean hostsFile, Path users) {
    for (Path part : root.relativize(p)) {
      if (part.toString().startsWith(".") || VARS_FOLDERS.contains(part.toString())) {
        return false;
      }
    }
    String name = p.getFileName().toString();
    boolean named =
        suffixes.stream().anyMatch(name::endsWith) || (hostsFile && name.equals("hosts"));
    return named && resolve(new Choice(root, p)).filter(real -> !real.equals(users)).isPresent();
  }

  /** Whether the form cannot plan anything: no playbook or no inventory is offered. */
  boolean empty() {
    return playbooks.isEmpty() || inventories.isEmpty();
  }
}
