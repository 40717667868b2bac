package dev.orchestrator.playbook;

import dev.orchestrator.common.SourceLocation;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One step of the pipeline: a shell command run on each host, with its conditions and policies.
 * Text fields may hold {@code {{ }}} templates, rendered per host.
 *
 * @param id unique, stable id (the checkpoint key): lower-case letters, digits, {@code - _ .}
 * @param name human-readable name
 * @param shell the command, run by {@code /bin/sh -c}
 * @param when optional condition (Ansible's {@code when}); the step is skipped when false
 * @param creates optional path; the step is skipped when it exists on the host
 * @param timeout optional limit for one attempt; the attempt fails when exceeded
 * @param retries additional attempts after a failure (0 = run once)
 * @param delay wait between attempts
 * @param register optional variable name that receives {@code rc}, {@code stdout}, {@code stderr}
 * @param become whether to run through {@code sudo}
 * @param becomeUser the user {@code sudo} switches to (default {@code root})
 * @param environment environment variables exported for the command
 * @param traits tags, lifecycle ({@code deferred}, {@code expensive}), rollback mark and probe
 * @param extras Ansible's task keywords beyond these (loops, handlers, delegation, modules)
 * @param location where the step is defined
 */
public record Step(
    String id,
    String name,
    String shell,
    Optional<String> when,
    Optional<String> creates,
    Optional<Duration> timeout,
    int retries,
    Duration delay,
    Optional<String> register,
    boolean become,
    String becomeUser,
    Map<String, String> environment,
    StepTraits traits,
    StepExtras extras,
    SourceLocation location) {

  /** The allowed form of a step id. */
  public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

  /**
   * The longest id of a step with its prefixes: a role's name ({@code web.disable-lb}) and the ids
   * of the includes it came through ({@link #FULL_ID}).
   */
  public static final int MAX_FULL_ID = 128;

  /** The allowed form of a step id with its role and include prefixes. */
  public static final Pattern FULL_ID =
      Pattern.compile("[a-z0-9][a-z0-9_.-]{0," + (MAX_FULL_ID - 1) + "}");

  /**
   * A step id as the engine uses it: a full id, with {@code @HOP} when hops repeat it, and {@code
   * [LABEL]} for one item of a loop ({@link #forItem}).
   */
  public static final Pattern ENGINE_ID =
      Pattern.compile(
          "[a-z0-9][a-z0-9_.-]{0,"
              + (MAX_FULL_ID - 1)
              + "}(@[A-Za-z0-9_.-]{1,64})?(\\[[A-Za-z0-9_.~-]{1,64}])?");

  /** The allowed form of a loop item's label, the {@code LABEL} of {@code ID[LABEL]}. */
  public static final Pattern ITEM_LABEL = Pattern.compile("[A-Za-z0-9_.~-]{1,64}");

  /** The most extra attempts a step may have: 100 (with a delay of up to 30 days each). */
  public static final int MAX_RETRIES = 100;

  /** The allowed form of a {@code register} name. */
  public static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** Validates the fields. */
  public Step {
    Objects.requireNonNull(id, "id");
    if (!ENGINE_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("invalid step id '" + id + "'");
    }
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(shell, "shell");
    Objects.requireNonNull(when, "when");
    Objects.requireNonNull(creates, "creates");
    Objects.requireNonNull(timeout, "timeout");
    if (retries < 0 || retries > MAX_RETRIES) {
      throw new IllegalArgumentException("retries must be 0 to " + MAX_RETRIES);
    }
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(register, "register");
    register.ifPresent(
        r -> {
          if (!IDENTIFIER.matcher(r).matches()) {
            throw new IllegalArgumentException("invalid register name '" + r + "'");
          }
        });
    Objects.requireNonNull(becomeUser, "becomeUser");
    environment = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(environment));
    Objects.requireNonNull(traits, "traits");
    Objects.requireNonNull(extras, "extras");
    Objects.requireNonNull(location, "location");
  }

  /**
   * Returns a hash of what the step does (SHA-256, hex): its command or upload (artifact and
   * destination), conditions and policies, not its name, tags or position. Stored in checkpoints,
   * so that an edit to a step that already ran is noticed on resume.
   */
  public String definitionHash() {
    return hash(
        canonical()
            + traits
                .upload()
                .map(u -> "\u0000upload\u0000" + u.artifact() + "\u0000" + u.dest())
                .orElse(""));
  }

  /**
   * Returns whether a checkpoint's {@code stepHash} describes this step as it is now: its {@link
   * #definitionHash()}, or for an upload step the hash that versions before the upload was part of
   * the hash recorded (so that their runs still resume; an edit to such a run's upload is not
   * noticed).
   */
  public boolean matchesDefinition(String stepHash) {
    return stepHash.equals(definitionHash())
        || (traits.upload().isPresent() && stepHash.equals(hash(canonical())));
  }

  private String canonical() {
    return String.join(
            "\u0000",
            id,
            shell,
            when.orElse(""),
            creates.orElse(""),
            timeout.map(Duration::toString).orElse(""),
            Integer.toString(retries),
            delay.toString(),
            register.orElse(""),
            Boolean.toString(become),
            becomeUser,
            environment.toString(),
            Boolean.toString(traits.deferred()))
        + extras.canonical();
  }

  private static String hash(String canonical) {
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  /**
   * Returns this step as repeated for one hop: the id gets {@code @hop} (a separate checkpoint),
   * everything else stays.
   */
  public Step forHop(String hop) {
    return new Step(
        id + "@" + hop,
        name,
        shell,
        when,
        creates,
        timeout,
        retries,
        delay,
        register,
        become,
        becomeUser,
        environment,
        traits,
        extras,
        location);
  }

  /**
   * Returns this step as run for one item of its loop: the id gets {@code [LABEL]} (a separate
   * checkpoint), the loop is replaced by the item, everything else stays.
   *
   * @param item the item, its label of the form {@link #ITEM_LABEL}
   */
  public Step forItem(Loop.Item item) {
    return new Step(
        id + "[" + item.label() + "]",
        name,
        shell,
        when,
        creates,
        timeout,
        retries,
        delay,
        register,
        become,
        becomeUser,
        environment,
        traits,
        extras.forItem(item),
        location);
  }

  /** Returns the playbook id, without a hop suffix or an item label. */
  public String baseId() {
    return baseIdOf(id);
  }

  /** Returns the playbook id of an engine step id ({@code ID@HOP[LABEL]} → {@code ID}). */
  public static String baseIdOf(String engineId) {
    int end = engineId.length();
    int at = engineId.indexOf('@');
    int bracket = engineId.indexOf('[');
    if (at >= 0) {
      end = at;
    }
    if (bracket >= 0 && bracket < end) {
      end = bracket;
    }
    return engineId.substring(0, end);
  }
}
