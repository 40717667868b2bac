package dev.orchestrator.common;

/**
 * A template value that every host's variables share and that computes its entries when they are
 * read ({@code hostvars}: each host's variables): code that walks a host's variables ({@link
 * Secrets#values}, the template bounds) does not descend into it, as walking it for each of N hosts
 * would cost N times N; {@link Secrets#perturbed} changes it lazily ({@link #transformed}).
 */
public interface SharedVars {
  /**
   * The same view with {@code each} applied to every entry when it is read (lazily, one entry at a
   * time): {@link Secrets#perturbed} changes the secrets of every host this way, so that what a
   * template derives from another host's secret is found too.
   */
  default SharedVars transformed(
      java.util.function.UnaryOperator<java.util.Map<String, Object>> each) {
    return this;
  }
}
