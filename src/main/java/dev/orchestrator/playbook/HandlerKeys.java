package dev.orchestrator.playbook;

import dev.orchestrator.common.InputException;
import dev.orchestrator.common.Suggestions;
import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and checks Ansible's handler keywords for {@link PlaybookLoader}: the top-level {@code
 * handlers:} list, a step's {@code notify:}, a handler's {@code listen:} and the {@code meta:
 * flush_handlers} step
 * (https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_handlers.html). A {@code
 * notify} that names no handler (by name, id or {@code listen} topic) is an error at load time, as
 * {@code ansible-playbook} reports it when the task is parsed, with the nearest names.
 *
 * <p>Where we differ from Ansible, on purpose (README "Handlers"): a handler may notify only
 * handlers defined after it (Ansible runs a handler notified by a later one again, in another pass
 * over the handlers; our handler runs are planned and checkpointed ahead, one pass per flush
 * point); handler names are unique; {@code deferred} and {@code rollback} steps cannot notify (they
 * run after the host's flush points); handlers have no {@code tags} (as in Ansible, {@code --tags}
 * selects the notifying steps, and a notified handler runs whatever the tags).
 */
final class HandlerKeys {
  /** The keys of a {@code meta:} step. */
  private static final Set<String> META_KEYS = Set.of("meta", "id", "name");

  /** Step keys a handler may not have: it runs when notified, at its flush point. */
  private static final List<String> NOT_FOR_HANDLERS =
      List.of("tags", "deferred", "expensive", "rollback_from");

  private HandlerKeys() {}

  /** Returns whether {@code n} is a {@code meta:} step (read by {@link #flushStep}). */
  static boolean isMeta(YamlNode n) {
    return n.isMapping() && n.asMap("a step").has("meta");
  }

  /**
   * Reads a {@code meta: flush_handlers} step: an optional {@code id} (default {@code
   * flush-handlers-N}, N counting the flush steps from 1) and {@code name}.
   *
   * @param section the list it is in: only {@code steps} may flush handlers
   * @param number its 1-based number among the list's flush steps
   */
  static Step flushStep(YamlNode n, String section, int number) {
    YamlMap m = n.asMap("a meta step").allowOnly(META_KEYS);
    YamlNode meta = m.require("meta");
    if (!meta.isScalar() || !"flush_handlers".equals(meta.asString("meta"))) {
      throw meta.error(
          "unsupported meta action '" + (meta.isScalar() ? meta.asString("meta") : "") + "'",
          "orchestrator supports 'meta: flush_handlers' (run the handlers notified so far)");
    }
    if (!section.equals("steps")) {
      throw meta.error(
          "'meta: flush_handlers' in '" + section + "'",
          "flush handlers in 'steps'; handlers run at flush points of the pipeline only");
    }
    String id = m.string("id").orElse("flush-handlers-" + number);
    if (!Step.ID.matcher(id).matches()) {
      throw m.require("id")
          .error(
              "invalid step id '" + id + "'",
              "a step id is 1-64 lower-case letters, digits, '-', '_' or '.'");
    }
    return new Step(
        id,
        m.string("name").orElse("flush handlers"),
        "",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        0,
        java.time.Duration.ZERO,
        Optional.empty(),
        false,
        "root",
        Map.of(),
        StepTraits.NONE,
        StepExtras.NONE.withHandling(List.of(), List.of(), false, true),
        n.location());
  }

  /**
   * Reads a step's {@code notify} (a name or a list of names) and, for a handler, its {@code
   * listen} (a topic or a list of topics).
   *
   * @param section {@code steps}, {@code rollback} or {@code handlers}
   * @param deferred whether the step is {@code deferred}
   */
  static StepExtras extras(YamlMap m, String section, boolean deferred) {
    boolean handler = section.equals("handlers");
    if (handler) {
      for (String key : NOT_FOR_HANDLERS) {
        if (m.has(key)) {
          throw m.entry(key)
              .orElseThrow()
              .key()
              .error(
                  "a handler has no '" + key + "'",
                  "a handler runs when a step notifies it, at the next flush point (as in"
                      + " Ansible, whatever --tags says); put '"
                      + key
                      + "' on the notifying step");
        }
      }
    } else if (m.has("listen")) {
      throw m.entry("listen")
          .orElseThrow()
          .key()
          .error(
              "'listen' is a handler's key",
              "move the step under 'handlers:', or notify the handler by its name");
    }
    if (m.has("notify") && (deferred || section.equals("rollback"))) {
      throw m.entry("notify")
          .orElseThrow()
          .key()
          .error(
              (deferred ? "a deferred step" : "a rollback step") + " cannot notify handlers",
              "it runs after the host's flush points; notify from a step of the pipeline, or"
                  + " run the command in this step");
    }
    List<String> notifies = names(m, "notify");
    List<String> listen = handler ? names(m, "listen") : List.of();
    if (!handler && notifies.isEmpty()) {
      return StepExtras.NONE;
    }
    return StepExtras.NONE.withHandling(notifies, listen, handler, false);
  }

  /** Reads one name or a list of names, none blank. */
  private static List<String> names(YamlMap m, String key) {
    Optional<YamlNode> node = m.get(key);
    if (node.isEmpty()) {
      return List.of();
    }
    List<YamlNode> items = node.get().isSequence() ? node.get().asList(key) : List.of(node.get());
    List<String> out = new ArrayList<>();
    for (YamlNode item : items) {
      String name = item.isScalar() ? item.asString(key).strip() : "";
      if (name.isEmpty()) {
        throw item.error(
            "'" + key + "' has an empty or non-text entry",
            "write a handler name, or a list of them, e.g. " + key + ": restart web");
      }
      out.add(name);
    }
    return out;
  }

  /**
   * Checks the handlers against the steps once all are read: names unique, every {@code notify}
   * resolves (else an error at the name's file:line:column with the nearest names), a handler
   * notifies only handlers defined after it, and the ids of the handlers' runs at each flush point
   * ({@link Handlers#runId}) are free.
   *
   * @param top the playbook's top level (for the locations of {@code notify} entries)
   */
  static void check(YamlMap top, List<Step> steps, List<Step> rollback, List<Step> handlers) {
    Map<String, Step> byName = new LinkedHashMap<>();
    for (Step h : handlers) {
      Step earlier = byName.put(h.name(), h);
      if (earlier != null) {
        throw new InputException(
            h.location(),
            "duplicate handler name '" + h.name() + "' (first at " + earlier.location() + ")",
            "give every handler a unique name; steps notify handlers by name");
      }
    }
    Set<String> known = new LinkedHashSet<>();
    handlers.forEach(
        h -> {
          known.add(h.name());
          known.add(h.id());
          known.addAll(h.extras().listen());
        });
    checkNotify(top, "steps", steps, handlers, known, -1);
    checkNotify(top, "handlers", handlers, handlers, known, 0);
    Set<String> ids = new LinkedHashSet<>();
    for (List<Step> list : List.of(steps, rollback, handlers)) {
      list.forEach(s -> ids.add(s.id()));
    }
    for (Step flush : steps) {
      if (!flush.extras().flushHandlers()) {
        continue;
      }
      if (steps.stream().filter(s -> s.id().equals(flush.id())).count() > 1
          || rollback.stream().anyMatch(s -> s.id().equals(flush.id()))
          || handlers.stream().anyMatch(s -> s.id().equals(flush.id()))) {
        throw new InputException(
            flush.location(),
            "duplicate step id '" + flush.id() + "'",
            "step ids are checkpoint keys: give this meta step a unique 'id:'");
      }
      for (Step h : handlers) {
        String run = Handlers.runId(h.id(), Optional.of(flush.id()));
        if (!Step.ID.matcher(run).matches() || ids.contains(run)) {
          throw new InputException(
              flush.location(),
              "handler '"
                  + h.id()
                  + "' runs here as '"
                  + run
                  + "', which "
                  + (ids.contains(run) ? "is another step's id" : "is longer than 64 characters"),
              "give this meta step a short, unique 'id:'");
        }
      }
    }
  }

  /**
   * Checks the {@code notify} entries of one list.
   *
   * @param firstHandler -1 for steps; 0 for handlers (each may notify only later ones)
   */
  private static void checkNotify(
      YamlMap top,
      String section,
      List<Step> list,
      List<Step> handlers,
      Set<String> known,
      int firstHandler) {
    for (int i = 0; i < list.size(); i++) {
      Step s = list.get(i);
      for (String name : s.extras().notifies()) {
        // the step's own node (steps come from roles and step files too, not only from 'section')
        Place where = new Place(s.location());
        if (!known.contains(name)) {
          List<String> near = Suggestions.near(name, known, 3);
          throw where.error(
              "step '"
                  + s.id()
                  + "' notifies '"
                  + name
                  + "', which no handler has as its name,"
                  + " id or listen topic",
              (near.isEmpty() ? "" : "did you mean " + String.join(", ", near) + "? ")
                  + (known.isEmpty()
                      ? "the playbook has no 'handlers:'"
                      : "handlers: " + String.join(", ", known)));
        }
        if (firstHandler >= 0) {
          for (int j = 0; j <= i; j++) {
            Step h = handlers.get(j);
            if (Handlers.names(name, h)) {
              throw where.error(
                  "handler '"
                      + s.id()
                      + "' notifies '"
                      + name
                      + "', handler '"
                      + h.id()
                      + "' defined "
                      + (j == i ? "as itself" : "before it"),
                  "handlers run once per flush point in the order they are defined: move '"
                      + h.id()
                      + "' after '"
                      + s.id()
                      + "' (Ansible would run it again in a second pass; orchestrator plans"
                      + " one)");
            }
          }
        }
      }
    }
  }

  /** Where a step stands, for errors about it (its {@code file:line:column}). */
  private record Place(dev.orchestrator.common.SourceLocation location) {
    InputException error(String message, String hint) {
      return new InputException(location, message, hint);
    }
  }
}
