package dev.orchestrator.execute;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a text-editing module ({@code lineinfile}, {@code blockinfile}, {@code replace}) computed
 * from a file's content, before anything is written: the new content (empty: nothing to write),
 * Ansible's {@code msg} and the module's other result keys, or the failure Ansible's module would
 * report.
 *
 * @param content the new content as bytes in ISO-8859-1 text (one character per byte), empty when
 *     the file is to stay as it is
 * @param msg Ansible's {@code msg}
 * @param fields the module's other result keys ({@code found}, {@code rc}, ...)
 * @param failure the module's failure message, when it fails
 */
record TextEdit(
    Optional<String> content, String msg, Map<String, Object> fields, Optional<String> failure) {
  /** Validates the fields. */
  TextEdit {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(msg, "msg");
    fields = Map.copyOf(fields);
    Objects.requireNonNull(failure, "failure");
  }

  /** A change to {@code content}. */
  static TextEdit changed(String content, String msg, Map<String, Object> fields) {
    return new TextEdit(Optional.of(content), msg, fields, Optional.empty());
  }

  /** Nothing to change. */
  static TextEdit unchanged(String msg, Map<String, Object> fields) {
    return new TextEdit(Optional.empty(), msg, fields, Optional.empty());
  }

  /** The module fails with {@code msg}. */
  static TextEdit failed(String msg, Map<String, Object> fields) {
    return new TextEdit(Optional.empty(), msg, fields, Optional.of(msg));
  }

  /** Whether the content changes. */
  boolean changed() {
    return content.isPresent();
  }
}
