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
   * max(2, length / 3)}, or starting with it.
   *
   * @param word what the user typed
   * @param known the valid names
   * @param limit the most names returned
   */
  public static List<String> near(String word, Collection<String> known, int limit) {
    int within = Math.max(2, word.length() / 3);
    return known.stream()
        .distinct()
        .filter(k -> distance(k, word) <= within || !word.isEmpty() && k.startsWith(word))
        .sorted(Comparator.comparingInt((String k) -> distance(k, word)).thenComparing(k -> k))
        .limit(limit)
        .toList();
  }

  /** Levenshtein distance: insertions, deletions and substitutions of one character. */
  public static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
