package dev.orchestrator.common;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * "Did you mean" for names users type (keys, filters, tags, steps): the known names nearest to a
 * word by edit distance.
 */
public final class Suggestions {
  private Suggestions() {}

  /**
   * Returns the known names near {@code word}, nearest first: within an edit distance of {@code
   * max(1, (length + 1) / 3)}, or starting with it.
   *
   * @param word what the user typed
   * @param known the valid names
   * @param limit the most names returned
   */
  public static List<String> near(String word, Collection<String> known, int limit) {
    int within = Math.max(1, (word.length() + 1) / 3);
    return known.stream()
        .distinct()
        .filter(k -> distance(k, word) <= within || !word.isEmpty() && k.startsWith(word))
        .sorted(Comparator.comparingInt((String k) -> distance(k, word)).thenComparing(k -> k))
        .limit(limit)
        .toList();
  }

  /**
   * Edit distance with adjacent transpositions (optimal string alignment): insertions, deletions,
   * substitutions and swaps of two neighbours ({@code rnu} → {@code run}) cost one each.
   */
  public static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
