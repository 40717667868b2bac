package dev.orchestrator.execute;

import dev.orchestrator.playbook.Step;
import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.transport.ExecResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The package modules' actions: {@code apt} ({@link AptModule}), {@code yum} and {@code dnf}
 * ({@link RpmModule}), and {@code package}, which runs the one of the host's manager as
 * ansible-core 2.14's {@code lib/ansible/plugins/action/package.py} does: {@code use} when given
 * (not {@code auto}), else the {@code ansible_pkg_mgr} fact when the host's vars have it, else the
 * fact gathered now ({@link FactGatherer}, {@link PkgMgr}); its arguments go to that module
 * unchanged, and one the module does not take fails the step with Ansible's "Unsupported
 * parameters" message.
 */
final class PackageModule {
  private PackageModule() {}

  /** A module run on the host: its log line, script, limit and judge. */
  private record Backend(
      String description,
      ShellTemplate script,
      Duration limit,
      Function<ExecResult, ModuleOutcome> judge) {}

  /** The action of an {@code apt}, {@code yum} or {@code dnf} step. */
  static StepAction.Module action(
      Step step, String module, ModuleArgs args, Map<String, String> env) {
    Backend b = backend(module, args);
    return Modules.onHost(step, b.description(), b.script(), env, b.limit(), b.judge());
  }

  /** The action of a {@code package} step. */
  static StepAction.Module forHost(
      Step step, ModuleArgs args, Map<String, Object> vars, Map<String, String> env) {
    String use = args.text("use").orElse("auto");
    Optional<String> known = use.equals("auto") ? fact(vars) : Optional.of(use);
    if (known.isPresent()) { // its errors now, before the step runs, as the modules' are
      Optional<String> refused = refused(known.get(), args);
      if (refused.isEmpty()) {
        return action(step, known.get(), args, env);
      }
    }
    return new StepAction.Module(
        "package " + args.text("name").orElse(""),
        (connection, attempt) -> {
          String manager =
              known.isPresent()
                  ? known.get()
                  : String.valueOf(
                      FactGatherer.gather(connection).getOrDefault("pkg_mgr", "unknown"));
          Optional<String> refused = refused(manager, args);
          if (refused.isPresent()) {
            String msg = refused.get();
            attempt.log().line(dev.orchestrator.transport.OutputListener.Stream.STDERR, msg);
            return new ModuleOutcome(
                new ExecResult(1, "", msg + "\n", Duration.ZERO, false),
                Map.of("msg", msg, "changed", false));
          }
          return action(step, manager, args, env).invocation().run(connection, attempt);
        });
  }

  /** Why {@code package} cannot run {@code manager} with these arguments, empty if it can. */
  private static Optional<String> refused(String manager, ModuleArgs args) {
    if (manager.equals("unknown")) {
      return Optional.of(
          "Could not detect which package manager to use. Try gathering facts or setting the"
              + " \"use\" option.");
    }
    if (!NAMES.subList(1, NAMES.size()).contains(manager)) {
      return Optional.of(
          "Could not find a module for "
              + manager
              + ": the package module runs apt, dnf or yum here (use: apt, dnf or yum)");
    }
    Set<String> takes = dev.orchestrator.playbook.PackageModuleArgs.arguments(manager);
    Set<String> unsupported = new TreeSet<>();
    for (String name : args.names()) {
      if (!name.equals("use") && !takes.contains(name)) {
        unsupported.add(name);
      }
    }
    if (!unsupported.isEmpty()) {
      return Optional.of(
          "Unsupported parameters for (ansible.legacy."
              + manager
              + ") module: "
              + String.join(", ", unsupported)
              + ". Supported parameters include: "
              + String.join(", ", new TreeSet<>(takes))
              + ".");
    }
    try {
      backend(manager, args);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  private static Backend backend(String module, ModuleArgs args) {
    if (module.equals("apt")) {
      AptModule a = AptModule.of(args);
      return new Backend(a.description(), a.script(), a.limit(), a::outcome);
    }
    RpmModule r = RpmModule.of(module, args);
    return new Backend(r.description(), r.script(), r.limit(), r::outcome);
  }

  /** The host's {@code ansible_pkg_mgr}, as a var or in {@code ansible_facts}. */
  private static Optional<String> fact(Map<String, Object> vars) {
    Object v = vars.get("ansible_pkg_mgr");
    if (v == null && vars.get("ansible_facts") instanceof Map<?, ?> facts) {
      v = facts.get("pkg_mgr");
    }
    return v == null ? Optional.empty() : Optional.of(String.valueOf(v));
  }

  /** The modules whose names are read here. */
  static final List<String> NAMES = List.of("package", "apt", "yum", "dnf");
}
