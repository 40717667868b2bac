package dev.orchestrator.execute;

import dev.orchestrator.playbook.ModuleCall;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.template.TemplateException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Makes the {@link StepAction.Module} of a step that calls a module, its arguments rendered with
 * the host's vars: the controller's modules ({@link ControllerModules}) send nothing to the host;
 * {@code wait_for} ({@link WaitFor}) and {@code uri} ({@link Uri}) run a command on the host, built
 * as a shell step's is ({@link CommandBuilder#build}: exported values, {@code environment}, {@code
 * become}). A seam for delegation: {@link #onHost} is where a delegated step would be sent
 * elsewhere.
 */
final class Modules {
  private Modules() {}

  /**
   * The action of {@code step}, which calls {@code call}.
   *
   * @param vars the host's vars, read by {@code debug}'s {@code var} and {@code assert} when the
   *     attempt runs
   * @param env the rendered environment (host modules)
   * @throws TemplateException if an argument cannot be rendered
   */
  static StepAction.Module action(
      StepContext context,
      Step step,
      ModuleCall call,
      Map<String, Object> vars,
      Map<String, String> env) {
    ModuleArgs args = new ModuleArgs(context.templates(), call.args(), vars);
    ControllerModules controller = new ControllerModules(context.templates(), context.sleeper());
    return switch (call.name()) {
      case "debug" -> {
        ModuleOutcome outcome = controller.debug(args); // rendered now: a template error fails
        yield replayed("debug", (c, a) -> outcome); // this step on this host, not the run
      }
      case "set_fact" -> {
        ModuleOutcome outcome = controller.setFact(args); // rendered now: errors before RUNNING
        yield replayed("set_fact " + String.join(", ", call.args().keySet()), (c, a) -> outcome);
      }
      case "include_vars" -> {
        ModuleOutcome outcome = IncludeVars.outcome(args, call.args()); // read now, per host
        if (outcome.fields().get("ansible_facts") instanceof Map<?, ?> facts) {
          @SuppressWarnings("unchecked")
          Map<String, Object> included = (Map<String, Object>) facts;
          context.secrets().addSecretsOf(included); // a secret-looking name is masked from now
        }
        yield replayed("include_vars " + call.args().get("file"), (c, a) -> outcome);
      }
      case "fail" -> {
        ModuleOutcome outcome = controller.fail(args);
        yield replayed("fail", (c, a) -> outcome);
      }
      case "assert" -> {
        args.text("fail_msg"); // rendered now: an error before RUNNING, not one escaping the run
        args.text("success_msg");
        yield replayed(
            "assert " + call.args().get("that"), (c, a) -> controller.assertThat(args, vars));
      }
      case "pause" -> {
        args.number("seconds", 0); // rendered now: an error before RUNNING
        args.number("minutes", 0);
        yield replayed("pause", (c, a) -> controller.pause(args));
      }
      case "wait_for" -> {
        WaitFor w = WaitFor.of(args);
        yield onHost(step, w.description(), w.script(), env, w.limit(), w::outcome);
      }
      case "command", "shell", "raw", "ping", "stat" ->
          HostCommands.action(context, step, call, args, vars, env);
      case "service", "systemd", "systemd_service" -> {
        ServiceModule s = ServiceModule.of(call.name(), args);
        yield onHost(step, s.description(), s.script(), env, s.limit(), s::outcome);
      }
      case "lineinfile", "blockinfile", "replace" -> {
        TextFileModule t = TextFileModule.of(call.name(), step, args);
        yield new StepAction.Module(t.description(), t::run);
      }
      case "file" -> {
        FileStateModule f = FileStateModule.of(args);
        yield onHost(step, f.description(), f.script(), env, f.limit(), f::outcome);
      }
      case "group" -> {
        GroupModule g = GroupModule.of(args);
        yield onHost(step, g.description(), g.script(), env, g.limit(), g::outcome);
      }
      case "user" -> {
        UserModule u = UserModule.of(args);
        yield onHost(step, u.description(), u.script(), env, u.limit(), u::outcome);
      }
      case "setup" -> {
        SetupModule s = SetupModule.of(args);
        yield new StepAction.Module(s.description(), s::run);
      }
      case "cron" -> {
        CronModule c = CronModule.of(step, args, env);
        yield new StepAction.Module(c.description(), c::run);
      }
      case "haproxy", "nagios", "npm", "seboolean" -> LampModules.action(step, call, args, env);
      case "package" -> PackageModule.forHost(step, args, vars, env);
      case "apt", "yum", "dnf" -> PackageModule.action(step, call.name(), args, env);
      case "git" -> {
        GitModule g = GitModule.of(args);
        yield onHost(step, g.description(), g.script(), env, g.limit(), g::outcome);
      }
      case "get_url" -> {
        GetUrl g = GetUrl.of(args);
        yield onHost(step, g.description(), g.script(), env, g.limit(), g::outcome);
      }
      case "unarchive" -> {
        Unarchive u = Unarchive.of(args);
        yield onHost(step, u.description(), u.script(), env, u.limit(), u::outcome);
      }
      case "script" -> {
        ScriptModule s = ScriptModule.of(args);
        yield onHost(step, s.description(), s.script(), env, s.limit(), s::outcome);
      }
      default -> {
        Uri u = Uri.of(args);
        yield onHost(step, u.description(), u.script(), env, u.limit(), u::outcome);
      }
    };
  }

  /** A controller module whose output is written to the step's log. */
  private static StepAction.Module replayed(String description, ModuleOutcome.Invocation run) {
    return new StepAction.Module(
        description,
        (connection, attempt) -> {
          ModuleOutcome outcome = run.run(connection, attempt);
          attempt.log().replay(outcome.result());
          return outcome;
        });
  }

  /**
   * A module that runs a command on the host over the step's connection; its output streams to the
   * log, and {@code judge} turns the command's result into the module's outcome.
   */
  static StepAction.Module onHost(
      Step step,
      String description,
      ShellTemplate script,
      Map<String, String> env,
      Duration limit,
      java.util.function.Function<dev.orchestrator.transport.ExecResult, ModuleOutcome> judge) {
    String command = CommandBuilder.build(step, script, env);
    Optional<Duration> timeout = step.timeout().isPresent() ? step.timeout() : Optional.of(limit);
    return new StepAction.Module(
        description,
        (connection, attempt) -> {
          ModuleOutcome outcome = judge.apply(connection.exec(command, timeout, attempt.log()));
          if (!outcome.result().succeeded()) {
            attempt
                .log()
                .line(
                    dev.orchestrator.transport.OutputListener.Stream.STDERR,
                    outcome.result().stderr().strip());
          }
          return outcome;
        });
  }
}
