package dev.orchestrator.inventory;

/** How the controller reaches a host: Ansible's {@code ansible_connection}. */
public enum ConnectionType {
  /** Over SSH (the default). */
  SSH,
  /** On the controller itself, without SSH. */
  LOCAL,
  /**
   * A connection plugin orchestrator does not implement ({@code docker}, {@code winrm}, a custom
   * plugin): the inventory is valid, as in Ansible; a run refuses a host with work that has it.
   */
  UNSUPPORTED
}
