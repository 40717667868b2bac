package dev.orchestrator.inventory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An inline host list given with {@code -i}: {@code -i 'web1,web2:2222,'}, as Ansible's {@code
 * host_list} inventory plugin reads it (ansible-core 2.14 {@code
 * lib/ansible/plugins/inventory/host_list.py},
 * https://docs.ansible.com/ansible/latest/collections/ansible/builtin/host_list_inventory.html): a
 * source that is not an existing file or folder and holds a comma is a list of hosts, split on
 * commas, each stripped, empty ones skipped ({@code -i web1,} is one host), each with an optional
 * {@code :port} ({@code parse_address}; a text that is no address, a range included, is the host
 * name as written), all in the group {@code ungrouped}. A host the inventory already has keeps its
 * first listing. A host list has no {@code group_vars/} or {@code host_vars/} folder.
 */
public final class HostList {
  private HostList() {}

  /**
   * One host of the list.
   *
   * @param name the host's name
   * @param port the port given with it, if any
   */
  public record Entry(String name, Optional<Long> port) {}

  /**
   * Whether {@code -i SOURCE} is a host list: it is not an existing file or folder and holds a
   * comma (Ansible's {@code verify_file}).
   */
  public static boolean is(Path source) {
    return source.toString().contains(",") && !Files.exists(source);
  }

  /**
   * Whether the text of a stored or given {@code -i} is a host list ({@link #is(Path)}).
   *
   * @param source the {@code -i} text
   */
  public static boolean is(String source) {
    return source.contains(",") && !Files.exists(Path.of(source));
  }

  private static long port(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new dev.orchestrator.common.InputException(
          "the port " + digits + " in -i is not a port", "a port is a number from 1 to 65535");
    }
  }

  /**
   * The hosts of a list, in order.
   *
   * @param source the {@code -i} text
   * @return the hosts, duplicates kept (the inventory keeps the first)
   */
  public static List<Entry> entries(String source) {
    List<Entry> out = new ArrayList<>();
    for (String part : source.split(",", -1)) {
      String h = KeyValues.strip(part);
      if (h.isEmpty()) {
        continue;
      }
      String[] address = h.contains("[") && !h.startsWith("[") ? null : HostPatterns.address(h);
      if (address == null) {
        out.add(new Entry(h, Optional.empty()));
      } else {
        out.add(new Entry(address[0], Optional.ofNullable(address[1]).map(HostList::port)));
      }
    }
    return out;
  }
}
