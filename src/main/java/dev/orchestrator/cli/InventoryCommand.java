package dev.orchestrator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.common.Secrets;
import dev.orchestrator.inventory.Host;
import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.inventory.InventoryLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code orchestrator inventory -i FILE}: the hosts, their groups and merged vars, secrets masked.
 */
@Command(
    name = "inventory",
    description =
        "List the inventory's hosts with their groups, connection and merged vars (secrets masked).",
    footer = {
      "%nExamples:%n  orchestrator inventory -i inventory/example-production.yml%n  orchestrator inventory -i hosts.ini --limit 'production:!cloud2.example.org' --output json"
    })
final class InventoryCommand implements Callable<Integer> {
  @Option(
      names = {"-i", "--inventory"},
      required = true,
      paramLabel = "FILE",
      description = "The inventory file.")
  Path inventory;

  @Option(
      names = {"-l", "--limit"},
      paramLabel = "PATTERN",
      description = "Only hosts matching this pattern.")
  String limit;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "text",
      paramLabel = "FORMAT",
      description = "text or json.")
  CommonOptions.Format output;

  @Override
  public Integer call() throws Exception {
    Inventory inv = InventoryLoader.load(inventory);
    List<Host> hosts = limit == null ? List.copyOf(inv.hosts().values()) : inv.select(limit);
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    if (output == CommonOptions.Format.json) {
      ObjectNode root = mapper.createObjectNode();
      ObjectNode hs = root.putObject("hosts");
      for (Host h : hosts) {
        ObjectNode n = hs.putObject(h.name());
        n.putPOJO("groups", h.groups());
        n.put("connection", h.connection().toString());
        n.putPOJO("vars", Secrets.mask(h.vars()));
      }
      root.putPOJO("groups", inv.groups());
      System.out.println(mapper.writeValueAsString(root));
      return 0;
    }
    System.out.printf("%d host(s) in %s%n", hosts.size(), inventory);
    for (Host h : hosts) {
      System.out.printf(
          "%n%s  %s%n  groups: %s%n", h.name(), h.connection(), String.join(", ", h.groups()));
      for (Map.Entry<String, Object> v : Secrets.mask(h.vars()).entrySet()) {
        System.out.printf("  %s: %s%n", v.getKey(), v.getValue());
      }
    }
    return 0;
  }
}
