package dev.orchestrator.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.common.Secrets;
import dev.orchestrator.inventory.Host;
import dev.orchestrator.inventory.Inventory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

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
  @Mixin CommonOptions.Target target = new CommonOptions.Target();

  @Mixin CommonOptions.Output output = new CommonOptions.Output();

  @ParentCommand OrchestratorCommand top;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    var found = top.service().inventory(target.inventories(), Optional.ofNullable(target.limit));
    Inventory inv = found.inventory();
    List<Host> hosts = found.hosts();
    java.io.PrintWriter out = spec.commandLine().getOut();
    inv.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
    if (output.json()) {
      ObjectNode root = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      ObjectNode hs = root.putObject("hosts");
      for (Host h : hosts) {
        ObjectNode n = hs.putObject(h.name());
        n.putPOJO("groups", h.groups());
        n.put("connection", h.connection().toString());
        n.putPOJO("vars", Secrets.mask(h.vars()));
      }
      root.putPOJO("groups", inv.groups());
      out.println(dev.orchestrator.state.Json.pretty(root));
      return 0;
    }
    out.printf("%d host(s) in %s%n", hosts.size(), target.describe());
    for (Host h : hosts) {
      out.printf(
          "%n%s  %s%n  groups: %s%n", h.name(), h.connection(), String.join(", ", h.groups()));
      for (Map.Entry<String, Object> v : Secrets.mask(h.vars()).entrySet()) {
        out.printf("  %s: %s%n", v.getKey(), v.getValue());
      }
    }
    return 0;
  }
}
