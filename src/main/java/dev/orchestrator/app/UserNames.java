package dev.orchestrator.app;

import java.text.Normalizer;
import java.util.Locale;

/**
 * When two user names name the same person: compared after Unicode NFKC normalisation and case
 * folding, so that {@code Root}, {@code ROOT} and {@code ｒｏｏｔ} (full width) are all {@code root}
 * for {@code distinct_from_starter} gates and for the users file (UTS #39 / RFC 8265 compare names
 * this way: what looks alike to people is the same name).
 *
 * <p>The JDK's {@link Normalizer} does NFKC; Java has no full case-folding API, so folding is upper
 * case then lower case in {@link Locale#ROOT} (which maps {@code ß} to {@code ss}, the final sigma
 * and the Kelvin sign as case folding does), then NFKC again, until nothing changes.
 */
public final class UserNames {
  private UserNames() {}

  /**
   * The form names are compared in.
   *
   * @param name a user name
   * @return its NFKC, case-folded form
   */
  public static String normalise(String name) {
    String s = Normalizer.normalize(name, Normalizer.Form.NFKC);
    for (int i = 0; i < 4; i++) {
      String folded =
          Normalizer.normalize(
              s.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT), Normalizer.Form.NFKC);
      if (folded.equals(s)) {
        break;
      }
      s = folded;
    }
    return s;
  }

  /**
   * Whether two names name the same person ({@link #normalise} equal).
   *
   * @param a a name
   * @param b another name
   * @return true when their normalised forms are equal
   */
  public static boolean same(String a, String b) {
    return normalise(a).equals(normalise(b));
  }
}
