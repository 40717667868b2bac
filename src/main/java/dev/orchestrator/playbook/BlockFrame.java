package dev.orchestrator.playbook;

import dev.orchestrator.common.Echo;
import java.util.Objects;

/**
 * One {@code block:} a step stands in, and in which of its sections (README "Blocks"; <a
 * href="https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_blocks.html">Ansible:
 * blocks</a>). Blocks are expanded when the playbook loads, as step files are: each step keeps the
 * frames of the blocks around it, outermost first, and the engine decides from them and from the
 * checkpoints which section runs ({@code plan.BlockStates}).
 *
 * @param block the block's number in the playbook, in the order blocks are read (1, 2, ...): tells
 *     blocks apart within one loaded playbook; never stored (checkpoints name steps, not blocks)
 * @param name the block's {@code name:}, or its {@code id:}, or empty: for messages only
 * @param section the section the step is in
 * @param hasRescue whether the block has a {@code rescue:} section
 */
public record BlockFrame(int block, String name, Section section, boolean hasRescue) {
  /** The three sections of a block, in the order they stand. */
  public enum Section {
    /** {@code block:}: the steps that run first. */
    BLOCK,
    /** {@code rescue:}: runs only when a step of {@code block:} failed. */
    RESCUE,
    /** {@code always:}: runs whether {@code block:} and {@code rescue:} failed or not. */
    ALWAYS
  }

  /** Validates the fields. */
  public BlockFrame {
    if (block < 1) {
      throw new IllegalArgumentException("block numbers start at 1");
    }
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(section, "section");
  }

  /** How messages name the block: {@code block 'NAME'} or {@code block #N}. */
  public String label() {
    return name.isEmpty() ? "block #" + block : "block " + Echo.quote(name);
  }
}
