package dev.orchestrator.playbook;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a step has of Ansible's task keywords beyond a shell command and its policies ({@link Step},
 * {@link StepTraits}): loops, handlers, delegation, modules and the like, each with Ansible's name
 * and semantics (issue 24; README "Playbook reference"). A step that uses none of them has {@link
 * #NONE}, and its {@link Step#definitionHash()} is what it was before these keywords existed, so
 * that runs started by earlier versions still resume. Each keyword's part of {@link #canonical()}
 * is empty when it is not set, so adding a keyword to the format changes no other step's hash.
 *
 * @param notifies the handler names, ids or {@code listen} topics this step notifies when it
 *     changes the host (Ansible's {@code notify}); empty when none
 * @param loop the step's {@code loop:} / {@code with_items:} with its {@code loop_control}; empty
 *     without one, and empty on the steps that run its items
 * @param item on a step that runs one item of a loop ({@link Step#forItem}): which item; not part
 *     of the definition hash (the item's id is)
 * @param delegateTo the host the step runs on instead of its target ({@code delegate_to}, or {@code
 *     localhost} for {@code local_action}), a template rendered with the target's vars; empty: the
 *     target itself (<a
 *     href="https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_delegation.html">Ansible:
 *     delegation</a>)
 * @param delegateFacts whether facts the step sets go to the delegate's hostvars rather than the
 *     target's ({@code delegate_facts}); only meaningful with {@code delegateTo}
 * @param runOnce whether the step runs on one host of the batch only, its result given to the
 *     others ({@code run_once})
 * @param listen a handler's {@code listen} topics (Ansible's {@code listen}); empty for a step
 * @param handler whether this is a handler (an entry of the playbook's {@code handlers:}, or one of
 *     its runs at a flush point): it runs only when notified
 * @param flushHandlers whether this is a {@code meta: flush_handlers} step: a place where the
 *     handlers notified so far run, not a command
 * @param module the Ansible module the step calls instead of {@code shell} or {@code upload}
 *     ({@link ModuleCall}); empty for a shell, upload or file step
 * @param failedWhen Ansible's {@code failed_when}: conditions (all must hold) evaluated after each
 *     attempt with the {@code register} variable set, deciding whether it failed in place of the
 *     exit code; empty when absent
 * @param until Ansible's {@code until}: a condition evaluated after each attempt; while false the
 *     step runs again (its {@code retries}, 3 when not given, and {@code delay}); empty when absent
 * @param ignoreErrors Ansible's {@code ignore_errors}: a failure is recorded (the registered result
 *     says {@code failed: true}) and the host goes on with its next step
 * @param file the step's {@code template:} or {@code copy:} module (a file written on the host;
 *     {@link FileModule}), empty when it has none
 * @param fact {@code fact: true}: the step reads the host's state, so it runs again on every resume
 *     even when it succeeded, its registered value replaced (a resume never acts on what it read
 *     before the pause)
 * @param become how {@code become} switches user ({@code become_method}, {@code become_flags},
 *     {@code become_password}); {@link StepBecome#NONE} for sudo without a password
 * @param blocks the {@code block:}s the step is in, outermost first, each with the section ({@code
 *     block}, {@code rescue}, {@code always}) it is in ({@link BlockFrame}); empty outside blocks.
 *     Not part of the definition hash: where a step stands is not what it does
 */
public record StepExtras(
    List<String> notifies,
    Optional<Loop> loop,
    Optional<Loop.Item> item,
    Optional<String> delegateTo,
    boolean delegateFacts,
    boolean runOnce,
    List<String> listen,
    boolean handler,
    boolean flushHandlers,
    Optional<ModuleCall> module,
    List<String> failedWhen,
    Optional<String> until,
    boolean ignoreErrors,
    Optional<FileModule> file,
    boolean fact,
    StepBecome become,
    List<BlockFrame> blocks) {
  /** A step that uses none of these keywords. */
  public static final StepExtras NONE = new StepExtras(List.of());

  /** Validates the fields. */
  public StepExtras {
    notifies = List.copyOf(Objects.requireNonNull(notifies, "notifies"));
    Objects.requireNonNull(loop, "loop");
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(delegateTo, "delegateTo");
    if (delegateFacts && delegateTo.isEmpty()) {
      throw new IllegalArgumentException("delegate_facts needs delegate_to");
    }
    listen = List.copyOf(Objects.requireNonNull(listen, "listen"));
    if (flushHandlers && (handler || !notifies.isEmpty() || !listen.isEmpty())) {
      throw new IllegalArgumentException("a meta: flush_handlers step has no other keyword");
    }
    Objects.requireNonNull(module, "module");
    failedWhen = List.copyOf(Objects.requireNonNull(failedWhen, "failedWhen"));
    Objects.requireNonNull(until, "until");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(become, "become");
    blocks = List.copyOf(Objects.requireNonNull(blocks, "blocks"));
  }

  /** Keywords of a step that notifies {@code notifies} and uses no other keyword. */
  public StepExtras(List<String> notifies) {
    this(
        notifies,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false,
        false,
        List.of(),
        false,
        false,
        Optional.empty(),
        List.of(),
        Optional.empty(),
        false,
        Optional.empty(),
        false,
        StepBecome.NONE,
        List.of());
  }

  /** Returns these extras with a loop. */
  public StepExtras withLoop(Optional<Loop> newLoop) {
    return new StepExtras(
        notifies,
        newLoop,
        item,
        delegateTo,
        delegateFacts,
        runOnce,
        listen,
        handler,
        flushHandlers,
        module,
        failedWhen,
        until,
        ignoreErrors,
        file,
        fact,
        become,
        blocks);
  }

  /** Returns these extras for the step that runs one item: without the loop, with the item. */
  StepExtras forItem(Loop.Item newItem) {
    return new StepExtras(
        notifies,
        Optional.empty(),
        Optional.of(newItem),
        delegateTo,
        delegateFacts,
        runOnce,
        listen,
        handler,
        flushHandlers,
        module,
        failedWhen,
        until,
        ignoreErrors,
        file,
        fact,
        become,
        blocks);
  }

  /** These extras with the delegation keywords ({@code delegate_to}, ...) set. */
  public StepExtras withDelegation(
      Optional<String> newDelegateTo, boolean newDelegateFacts, boolean newRunOnce) {
    return new StepExtras(
        notifies,
        loop,
        item,
        newDelegateTo,
        newDelegateFacts,
        newRunOnce,
        listen,
        handler,
        flushHandlers,
        module,
        failedWhen,
        until,
        ignoreErrors,
        file,
        fact,
        become,
        blocks);
  }

  /** These extras with the handler keywords ({@code notify}, {@code listen}, ...) set. */
  public StepExtras withHandling(
      List<String> newNotifies, List<String> newListen, boolean newHandler, boolean newFlush) {
    return new StepExtras(
        newNotifies,
        loop,
        item,
        delegateTo,
        delegateFacts,
        runOnce,
        newListen,
        newHandler,
        newFlush,
        module,
        failedWhen,
        until,
        ignoreErrors,
        file,
        fact,
        become,
        blocks);
  }

  /**
   * Returns a copy with the result keywords and module of the step (module, failed_when, until,
   * ignore_errors) replaced.
   */
  public StepExtras withResults(
      Optional<ModuleCall> newModule,
      List<String> newFailedWhen,
      Optional<String> newUntil,
      boolean newIgnoreErrors) {
    return new StepExtras(
        notifies,
        loop,
        item,
        delegateTo,
        delegateFacts,
        runOnce,
        listen,
        handler,
        flushHandlers,
        newModule,
        newFailedWhen,
        newUntil,
        newIgnoreErrors,
        file,
        fact,
        become,
        blocks);
  }

  /** Returns a copy with this {@code template:} or {@code copy:} module. */
  public StepExtras withFile(FileModule newFile) {
    return new StepExtras(
        notifies,
        loop,
        item,
        delegateTo,
        delegateFacts,
        runOnce,
        listen,
        handler,
        flushHandlers,
        module,
        failedWhen,
        until,
        ignoreErrors,
        Optional.of(newFile),
        fact,
        become,
        blocks);
  }

  /** Returns a copy with {@code fact:} and the {@code become} method set. */
  public StepExtras withFacts(boolean newFact, StepBecome newBecome) {
    return new StepExtras(
        notifies,
        loop,
        item,
        delegateTo,
        delegateFacts,
        runOnce,
        listen,
        handler,
        flushHandlers,
        module,
        failedWhen,
        until,
        ignoreErrors,
        file,
        newFact,
        newBecome,
        blocks);
  }

  /** Returns a copy in these blocks (outermost first). */
  public StepExtras withBlocks(List<BlockFrame> newBlocks) {
    return new StepExtras(
        notifies,
        loop,
        item,
        delegateTo,
        delegateFacts,
        runOnce,
        listen,
        handler,
        flushHandlers,
        module,
        failedWhen,
        until,
        ignoreErrors,
        file,
        fact,
        become,
        newBlocks);
  }

  /**
   * The block whose {@code rescue:} runs when this step fails: the innermost block the step is in
   * the {@code block:} section of that has a {@code rescue:}, as ansible-core's {@code
   * PlayIterator} looks for one; empty when a failure pauses the host ({@link BlockFrame}).
   */
  public Optional<BlockFrame> rescuer() {
    for (int i = blocks.size() - 1; i >= 0; i--) {
      BlockFrame f = blocks.get(i);
      if (f.section() == BlockFrame.Section.BLOCK && f.hasRescue()) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns what these keywords add to the step's definition hash: empty for {@link #NONE}, so that
   * the hash of a step without them does not change. An item's position is not part of it: an
   * item's checkpoint id names it.
   */
  public String canonical() {
    if (!blocks.isEmpty()) {
      return withBlocks(List.of()).canonical();
    }
    if (item.isEmpty() ? equals(NONE) : forItemless().equals(NONE)) {
      return "";
    }
    return "\u0000extras\u0000"
        + notifies
        + loop.map(l -> "\u0000loop\u0000" + l.canonical()).orElse("")
        + delegationCanonical()
        + (listen.isEmpty() && !handler && !flushHandlers
            ? ""
            : "\u0000" + listen + "\u0000" + handler + flushHandlers)
        + module.map(m -> "\u0000module\u0000" + m.canonical()).orElse("")
        + (failedWhen.isEmpty() ? "" : "\u0000failed_when\u0000" + failedWhen)
        + until.map(u -> "\u0000until\u0000" + u).orElse("")
        + (ignoreErrors ? "\u0000ignore_errors" : "")
        + file.map(f -> "\u0000file\u0000" + f.canonical()).orElse("")
        + (fact ? "\u0000fact" : "")
        + become.canonical();
  }

  private StepExtras forItemless() {
    return new StepExtras(
        notifies,
        loop,
        Optional.empty(),
        delegateTo,
        delegateFacts,
        runOnce,
        listen,
        handler,
        flushHandlers,
        module,
        failedWhen,
        until,
        ignoreErrors,
        file,
        fact,
        become,
        blocks);
  }

  /** The delegation keywords' part of {@link #canonical()}: empty when none is set. */
  private String delegationCanonical() {
    if (delegateTo.isEmpty() && !runOnce) {
      return "";
    }
    return "\u0000delegate\u0000" + delegateTo.orElse("") + "\u0000" + delegateFacts + runOnce;
  }
}
