package dev.orchestrator.common;

/**
 * A template value that every host's variables share and that computes its entries when they are
 * read ({@code hostvars}: each host's variables): code that walks a host's variables ({@link
 * Secrets#values}, {@link Secrets#perturbed}, the template bounds) does not descend into it, as
 * walking it for each of N hosts would cost N times N.
 */
public interface SharedVars {}
