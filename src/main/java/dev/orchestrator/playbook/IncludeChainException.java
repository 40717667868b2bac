package dev.orchestrator.playbook;

import dev.orchestrator.common.InputException;
import dev.orchestrator.common.SourceLocation;
import java.util.ArrayList;
import java.util.List;

/**
 * An error in a step file, with the includes it was read through: the error's own message, then the
 * include nearest to it and the outermost one, with a bounded number between ({@code … 95 more …}),
 * so that an error 100 includes deep is one short line, not 100 repeated clauses.
 */
final class IncludeChainException extends InputException {
  /** How many includes nearest to the error are named before the rest are counted. */
  static final int NEAREST = 3;

  private final String error;
  private final List<SourceLocation> includes;

  private IncludeChainException(String error, String hint, List<SourceLocation> includes) {
    super(describe(error, includes), hint);
    this.error = error;
    this.includes = List.copyOf(includes);
  }

  /** Returns {@code e} as read through one more include, at {@code at} (outside the others). */
  static IncludeChainException through(InputException e, SourceLocation at) {
    if (e instanceof IncludeChainException chain) {
      List<SourceLocation> more = new ArrayList<>(chain.includes);
      more.add(at);
      return new IncludeChainException(chain.error, chain.hint(), more);
    }
    return new IncludeChainException(e.getMessage(), e.hint(), List.of(at));
  }

  private static String describe(String error, List<SourceLocation> includes) {
    StringBuilder out = new StringBuilder(error).append(" (read from the include at ");
    out.append(includes.get(0));
    int shown = Math.min(NEAREST, includes.size() - 1);
    for (int i = 1; i <= shown; i++) {
      out.append(i == 1 ? ", included at " : ", ").append(includes.get(i));
    }
    int rest = includes.size() - 1 - shown;
    if (rest > 1) {
      out.append(", … ").append(rest - 1).append(" more …, ");
      out.append(includes.get(includes.size() - 1));
    } else if (rest == 1) {
      out.append(", ").append(includes.get(includes.size() - 1));
    }
    return out.append(')').toString();
  }
}
