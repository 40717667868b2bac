package dev.orchestrator.execute;

import dev.orchestrator.playbook.ModuleCall;
import dev.orchestrator.playbook.Step;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The actions of the modules that run a command on the host or look at it: {@code command} and
 * {@code raw} ({@link CommandModule}), {@code ping}, {@code stat} ({@link StatModule}); a part of
 * {@link Modules}.
 */
final class HostCommands {
  private HostCommands() {}

  /**
   * The action of {@code step}, which calls {@code call} (one of {@code command}, {@code raw},
   * {@code ping}, {@code stat}).
   *
   * @throws dev.orchestrator.template.TemplateException if an argument cannot be rendered
   */
  static StepAction.Module action(
      StepContext context,
      Step step,
      ModuleCall call,
      ModuleArgs args,
      Map<String, Object> vars,
      Map<String, String> env) {
    switch (call.name()) {
      case "command" -> {
        CommandModule c = CommandModule.of(args);
        return Modules.onHost(step, c.description(), c.script(), env, c.limit(), c::outcome);
      }
      case "shell" -> {
        // the mapping form: the text rendered as a shell step's (values as data), run after
        // command's chdir, creates, removes, with its stdin
        CommandModule c =
            CommandModule.shell(
                args,
                context.templates().renderShell(String.valueOf(call.args().get("cmd")), vars));
        return Modules.onHost(step, c.description(), c.script(), env, c.limit(), c::outcome);
      }
      case "raw" -> {
        // rendered as a shell step's command: template values reach the shell as data
        CommandModule c =
            CommandModule.raw(
                context.templates().renderShell(String.valueOf(call.args().get("cmd")), vars));
        return Modules.onHost(step, c.description(), c.script(), env, c.limit(), c::outcome);
      }
      case "ping" -> {
        Object data = args.rendered("data").orElse("pong");
        if ("crash".equals(data)) {
          throw new IllegalArgumentException("ping: boom (data=crash, as Ansible's ping raises)");
        }
        return Modules.onHost(
            step,
            "ping",
            new dev.orchestrator.template.ShellTemplate(":", Map.of()),
            env,
            java.time.Duration.ofSeconds(60),
            r -> {
              Map<String, Object> fields = new LinkedHashMap<>();
              fields.put("ping", data);
              return new ModuleOutcome(r, fields);
            });
      }
      default -> {
        StatModule s = StatModule.of(args);
        return Modules.onHost(step, s.description(), s.script(), env, s.limit(), s::outcome);
      }
    }
  }
}
