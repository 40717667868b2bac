package dev.orchestrator.cli;

import picocli.CommandLine.Option;

/**
 * {@code --list-hosts}, {@code --list-tasks}, {@code --list-tags} of {@code run} and {@code plan}:
 * print the playbook's plays, hosts, tasks or tags as ansible-playbook does, run nothing.
 */
final class ListingOptions {
  @Option(
      names = "--list-hosts",
      description = "List each stage's hosts (as ansible-playbook --list-hosts); run nothing.")
  boolean hosts;

  @Option(
      names = "--list-tasks",
      description =
          "List the steps with their tags (as ansible-playbook --list-tasks); run nothing.")
  boolean tasks;

  @Option(
      names = "--list-tags",
      description = "List the steps' tags (as ansible-playbook --list-tags); run nothing.")
  boolean tags;

  /** What was asked for. */
  dev.orchestrator.report.PlaybookListing.What what() {
    return new dev.orchestrator.report.PlaybookListing.What(hosts, tasks, tags);
  }

  /**
   * Prints the listing when one was asked for.
   *
   * @return whether it was (the command then ends with 0)
   */
  boolean print(dev.orchestrator.app.RunRequest request, java.io.PrintWriter out) {
    if (!what().any()) {
      return false;
    }
    out.print(dev.orchestrator.app.Listing.of(request, what()));
    out.flush();
    return true;
  }
}
