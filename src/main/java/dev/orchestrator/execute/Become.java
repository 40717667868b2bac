package dev.orchestrator.execute;

import dev.orchestrator.playbook.Step;
import dev.orchestrator.playbook.StepBecome;
import dev.orchestrator.template.ShellQuote;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.template.TemplateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How one step switches user on one host ({@code become: true}), resolved from the step's keys and
 * the host's variables as Ansible resolves them: the connection variables {@code
 * ansible_become_method}, {@code ansible_become_user}, {@code ansible_become_flags} override the
 * step's keywords
 * (https://docs.ansible.com/ansible/latest/reference_appendices/general_precedence.html), and the
 * password is the step's {@code become_password}, else {@code ansible_become_password}, else {@code
 * ansible_become_pass}.
 *
 * <p>How the password reaches {@code sudo}: it is part of the command's text, which the transport
 * sends through the remote shell's stdin (never a process argument, {@link CommandBuilder}); there
 * {@code printf}, a shell builtin (no process, no {@code argv}), writes it as the first line of
 * {@code sudo -S}'s stdin, and the step's script follows, which {@code sudo} hands on to the {@code
 * /bin/sh -s} it starts. The step's own command never reads that stdin: it runs with {@code
 * </dev/null} ({@link dev.orchestrator.transport.StdinScript#line}). The password line is written
 * only when {@code sudo -n} says a password is needed (else the shell would run it as a command),
 * and nine {@code :} lines follow it: after a wrong password {@code sudo} reads them as its further
 * tries and gives up, so that it never reads the script as a password; after a right one the shell
 * runs them as no-ops.
 *
 * <p>{@code su} with a password runs on a pseudo-terminal, where the password is typed at su's
 * prompt ({@link SuCommand}); {@link #wrap} does not build it. The flags default to none for {@code
 * su} and {@code -H} for {@code sudo} (Ansible's su plugin has no default flags; {@code su -H} is
 * an error).
 *
 * @param method {@code sudo} or {@code su}
 * @param user the user to become
 * @param flags extra words for {@code sudo} or {@code su}, each passed as one word
 * @param password the password, or empty
 * @param exe the program: {@code ansible_become_exe}, else the method's name (found on the host's
 *     {@code PATH})
 * @param prompts su's prompt words from {@code ansible_su_prompt_l10n}; empty for Ansible's list
 *     ({@link SuDialog#PROMPTS})
 * @param skipped the user to become is the connecting user ({@code ansible_user}): the command runs
 *     as it is, without sudo or su, as Ansible skips become then (ansible-core 2.14 {@code
 *     plugins/action/__init__.py} {@code _low_level_execute_command}, setting {@code
 *     become_allow_same_user}, false by default)
 * @param promptTimeout how long su may take to start the command ({@code ansible_timeout}, else
 *     {@link #PROMPT_TIMEOUT})
 */
record Become(
    String method,
    String user,
    List<String> flags,
    Optional<String> password,
    String exe,
    List<String> prompts,
    boolean skipped,
    java.time.Duration promptTimeout) {
  /** Validates the fields. */
  Become {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(user, "user");
    flags = List.copyOf(flags);
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(exe, "exe");
    prompts = List.copyOf(prompts);
    Objects.requireNonNull(promptTimeout, "promptTimeout");
    if (promptTimeout.isNegative() || promptTimeout.isZero()) {
      throw new IllegalArgumentException("promptTimeout must be positive: " + promptTimeout);
    }
  }

  /**
   * How long su may take to start the command when {@code ansible_timeout} is not set: 10 s,
   * Ansible's {@code timeout} setting's default (DEFAULT_TIMEOUT,
   * https://docs.ansible.com/ansible/latest/reference_appendices/config.html#default-timeout).
   */
  static final java.time.Duration PROMPT_TIMEOUT = java.time.Duration.ofSeconds(10);

  /** For a step without {@code become}: never used to wrap a command. */
  static final Become NOT_USED =
      new Become(
          "sudo",
          "root",
          List.of("-H"),
          Optional.empty(),
          "sudo",
          List.of(),
          false,
          PROMPT_TIMEOUT);

  /** A become that cannot be carried out as configured (su with a password, a bad value). */
  static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message);
    }
  }

  /**
   * Resolves the become of {@code step} with the host's {@code vars}.
   *
   * @throws TemplateException if the password template cannot be rendered
   * @throws Refused when the resolved settings cannot be carried out
   */
  static Become of(Step step, Map<String, Object> vars, TemplateEngine templates) {
    StepBecome keys = step.extras().become();
    String method = text(vars, "ansible_become_method").or(keys::method).orElse("sudo");
    if (!StepBecome.METHODS.contains(method)) {
      throw new Refused(
          "become method '"
              + method
              + "' (ansible_become_method) is not supported: use sudo or su");
    }
    String user = text(vars, "ansible_become_user").orElse(step.becomeUser());
    String flagText =
        text(vars, "ansible_become_flags").or(keys::flags).orElse(method.equals("su") ? "" : "-H");
    List<String> flags = new ArrayList<>();
    for (String word : flagText.trim().split("\\s+")) {
      if (!word.isEmpty()) {
        flags.add(word);
      }
    }
    Optional<String> password =
        keys.password().isPresent()
            ? Optional.of(templates.render(keys.password().get(), vars))
            : text(vars, "ansible_become_password").or(() -> text(vars, "ansible_become_pass"));
    if (password.isPresent() && (password.get().contains("\n") || password.get().contains("\r"))) {
      throw new Refused(
          "the become password holds a line break, which "
              + method
              + " cannot read (it reads one line): change the password on the host and in the"
              + " variable");
    }
    if (password.isPresent() && password.get().indexOf('\0') >= 0) {
      throw new Refused(
          "the become password holds a NUL character, which no password can: check the variable");
    }
    if (password.isPresent()
        && password.get().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
            > MAX_PASSWORD_BYTES) {
      throw new Refused(
          "the become password is longer than "
              + MAX_PASSWORD_BYTES
              + " bytes, more than a terminal reads as one line: check the variable");
    }
    if (password.isPresent() && method.equals("sudo")) {
      flags = interactive(flags);
    }
    return new Become(
        method,
        user,
        flags,
        password,
        text(vars, "ansible_become_exe").orElse(method),
        SuDialog.prompts(Optional.ofNullable(vars.get("ansible_su_prompt_l10n"))),
        remoteUser(vars).filter(user::equals).isPresent(),
        method.equals("su") ? promptTimeout(vars) : PROMPT_TIMEOUT);
  }

  /**
   * {@code ansible_timeout} in seconds (Ansible's connection timeout, which also bounds the wait
   * for the privilege escalation prompt), else {@link #PROMPT_TIMEOUT}.
   *
   * @throws Refused if it is not a positive whole number
   */
  static java.time.Duration promptTimeout(Map<String, Object> vars) {
    Optional<String> set = text(vars, "ansible_timeout").map(String::strip);
    if (set.isEmpty()) {
      return PROMPT_TIMEOUT;
    }
    try {
      long seconds = Long.parseLong(set.get());
      if (seconds > 0 && seconds <= 86_400) {
        return java.time.Duration.ofSeconds(seconds);
      }
    } catch (NumberFormatException notANumber) {
      // refused below
    }
    throw new Refused(
        "ansible_timeout is "
            + dev.orchestrator.common.Echo.quote(set.get())
            + ", not a whole number of seconds from 1 to 86400: fix the variable");
  }

  /** The connecting user as the inventory names it, the way the connection reads it. */
  private static Optional<String> remoteUser(Map<String, Object> vars) {
    return text(vars, "ansible_ssh_user")
        .or(() -> text(vars, "ansible_user"))
        .or(() -> text(vars, "user"))
        .filter(u -> !u.isBlank());
  }

  /**
   * sudo's flags without {@code -n} ({@code --non-interactive}), which would forbid the password:
   * as Ansible's sudo plugin drops it when a password is set (ansible-core {@code
   * plugins/become/sudo.py}, {@code build_become_command}), also from a cluster ({@code -Hn} gives
   * {@code -H}).
   */
  static List<String> interactive(List<String> flags) {
    List<String> out = new ArrayList<>();
    for (String flag : flags) {
      if (flag.equals("-n") || flag.equals("--non-interactive")) {
        continue;
      }
      out.add(flag.startsWith("--") ? flag : flag.replaceFirst("^(-\\w*)n(\\w*.*)", "$1$2"));
    }
    return out;
  }

  /** The longest password: a terminal's line holds at most 4095 bytes (Linux's N_TTY). */
  static final int MAX_PASSWORD_BYTES = 4000;

  /** Whether this runs on a terminal ({@link SuCommand}): su with a password. */
  boolean needsTerminal() {
    return !skipped && method.equals("su") && password.isPresent();
  }

  private static Optional<String> text(Map<String, Object> vars, String name) {
    Object v = vars.get(name);
    return v == null ? Optional.empty() : Optional.of(String.valueOf(v));
  }

  /**
   * Wraps {@code script} (a {@link dev.orchestrator.transport.StdinScript} line) to run as {@link
   * #user}.
   *
   * @param masked whether to write the password as {@link dev.orchestrator.common.Secrets#MASK}
   *     (the text for logs) instead of itself (the text sent)
   */
  String wrap(String script, boolean masked) {
    if (needsTerminal() && !masked) {
      throw new Refused(
          "su with a password needs a terminal, which a wrapped command does not get; this step"
              + " cannot be previewed or run this way");
    }
    String words = flags.stream().map(ShellQuote::quote).reduce("", (a, b) -> a + " " + b);
    String u = ShellQuote.quote(user);
    String program = ShellQuote.quote(exe);
    if (method.equals("su")) {
      // su USER -c 'CMD' runs CMD with USER's shell, as Ansible's su plugin does (masked: the log's
      // text of a SuCommand, whose password is typed at su's prompt)
      return CommandBuilder.hereDocument(
          program + words + " " + u + " -c '/bin/sh -s'", "", script);
    }
    if (password.isEmpty()) {
      return CommandBuilder.hereDocument(
          program + " -n" + words + " -u " + u + " -- /bin/sh -s", "", script);
    }
    String secret =
        masked ? dev.orchestrator.common.Secrets.MASK : ShellQuote.quote(password.get());
    return "if "
        + program
        + " -n -u "
        + u
        + " -- /bin/sh -c : >/dev/null 2>&1; then __orch_pw=; else __orch_pw=1; fi\n"
        + "{ if [ -n \"$__orch_pw\" ]; then printf '%s\\n' "
        + secret
        + "; printf ':\\n:\\n:\\n:\\n:\\n:\\n:\\n:\\n:\\n'; fi; "
        + CommandBuilder.hereDocument("cat", "", script)
        + "} | "
        + program
        + " -S -p ''"
        + words
        + " -u "
        + u
        + " -- /bin/sh -s\n";
  }
}
