package dev.orchestrator.app;

import dev.orchestrator.report.PlaybookListing;

/**
 * {@code run}/{@code plan} with {@code --list-hosts}, {@code --list-tasks} or {@code --list-tags}:
 * the playbook and inventory loaded and checked as for a run, then listed ({@link
 * PlaybookListing}); nothing is planned against the hosts, connected to, run or written.
 */
public final class Listing {
  private Listing() {}

  /**
   * The listing of a run as asked for.
   *
   * @param request the run (its playbook, inventory, limit and tag selection)
   * @param what what to list
   * @return the text ansible-playbook would print
   * @throws dev.orchestrator.common.InputException on bad input, as a run would refuse it
   */
  public static String of(RunRequest request, PlaybookListing.What what) {
    RequestedRun run = RequestedRun.load(request, pb -> "(list)");
    return PlaybookListing.text(
        run.playbook,
        run.inventory,
        run.limit,
        request.selection().tags(),
        request.selection().skipTags(),
        what);
  }
}
