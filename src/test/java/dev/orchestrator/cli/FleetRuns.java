package dev.orchestrator.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** A fleet that a playbook runs on, wiped between runs and read back as a snapshot. */
interface FleetRuns {
  /** Puts every host back to its start. */
  void wipe() throws IOException, InterruptedException;

  /** A folder for logs and state stores. */
  Path work();

  /** The inventory file both tools read. */
  Path inventory();

  /** The arguments of {@code orchestrator run PLAYBOOK} on this fleet. */
  String[] runArgs(Path playbook, Path state);

  /** The hosts' files, as the runs are compared. */
  Map<String, String> snapshot() throws IOException;
}
