package dev.orchestrator.execute;

import dev.orchestrator.playbook.ModuleCall;
import dev.orchestrator.playbook.Step;
import java.util.Map;

/**
 * The actions of community.general's {@code haproxy} ({@link HaproxyModule}), {@code nagios}
 * ({@link NagiosModule}), {@code npm} ({@link NpmModule}) and ansible.posix's {@code seboolean}
 * ({@link SebooleanModule}): each a script run on the host (or on its delegate); a part of {@link
 * Modules}.
 */
final class LampModules {
  private LampModules() {}

  /**
   * The action of {@code step}, which calls {@code call}.
   *
   * @throws IllegalArgumentException if a rendered argument is not one the module accepts
   */
  static StepAction.Module action(
      Step step, ModuleCall call, ModuleArgs args, Map<String, String> env) {
    return switch (call.name()) {
      case "haproxy" -> {
        HaproxyModule h = HaproxyModule.of(args);
        yield Modules.onHost(step, h.description(), h.script(), env, h.limit(), h::outcome);
      }
      case "nagios" -> {
        NagiosModule n = NagiosModule.of(args);
        yield Modules.onHost(step, n.description(), n.script(), env, n.limit(), n::outcome);
      }
      case "npm" -> {
        NpmModule n = NpmModule.of(args);
        yield Modules.onHost(step, n.description(), n.script(), env, n.limit(), n::outcome);
      }
      default -> {
        SebooleanModule s = SebooleanModule.of(args);
        yield Modules.onHost(step, s.description(), s.script(), env, s.limit(), s::outcome);
      }
    };
  }
}
