package dev.orchestrator.inventory;

/** How the controller reaches a host: Ansible's {@code ansible_connection}. */
public enum ConnectionType {
  /** Over SSH (the default). */
  SSH,
  /** On the controller itself, without SSH. */
  LOCAL
}
