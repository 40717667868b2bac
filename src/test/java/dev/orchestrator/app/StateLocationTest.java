package dev.orchestrator.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --state}: a PostgreSQL URL or a folder; any other {@code SCHEME:} is a mistyped URL and is
 * refused with the accepted forms instead of becoming a folder named like it.
 */
class StateLocationTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "jdbc:postgresql://db.example.org:5432/orchestrator",
        "mysql://ops@db.example.org/orchestrator",
        "file:///var/lib/orchestrator",
        "postgresq://ops@db.example.org/orchestrator",
        "a:b"
      })
  void aValueWithAnotherSchemeIsRefusedWithTheAcceptedForms(String state) {
    // given a --state that starts with a scheme other than postgresql: or postgres:
    // when it is read
    InputException e =
        assertThrows(
            InputException.class, () -> StateLocation.of(Path.of("state"), Optional.of(state)));
    // then it is refused, naming it and the accepted forms
    assertTrue(e.getMessage().contains(state), e.getMessage());
    assertTrue(e.hint().contains("postgresql://USER@HOST:PORT/DB"), e.hint());
    assertTrue(e.hint().contains("./"), e.hint());
  }

  @org.junit.jupiter.api.Test
  void aRefusedUrlNeverShowsItsPassword() {
    // given a mistyped URL with a password; when it is read
    InputException e =
        assertThrows(
            InputException.class,
            () ->
                StateLocation.of(
                    Path.of("state"), Optional.of("jdbc:postgresql://ops:s3cret@db/orchestrator")));
    // then the message names it without the password
    assertTrue(
        e.getMessage().contains("jdbc:postgresql://ops:***@db/orchestrator"), e.getMessage());
    assertTrue(!(e.getMessage() + e.hint()).contains("s3cret"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"runs", "./a:b", "/var/lib/orchestrator", "../other/state"})
  void aPathWithoutSchemeIsAFolder(String state) {
    // given a --state that is a path; when it is read; then it is that folder
    StateLocation location = StateLocation.of(Path.of("state"), Optional.of(state));
    assertEquals(Path.of(state), location.folder());
    assertTrue(location.database().isEmpty());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "postgresql://ops@db.example.org:5432/orchestrator",
        "postgres://ops@db.example.org/orchestrator",
        "PostgreSQL://ops@db.example.org/orchestrator"
      })
  void aPostgresUrlIsTheDatabase(String state) {
    // given a PostgreSQL URL; when it is read; then it is the database, the folder the local cache
    StateLocation location = StateLocation.of(Path.of("state"), Optional.of(state));
    assertTrue(location.database().isPresent());
    assertEquals(Path.of("state"), location.folder());
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql:ops@db/orchestrator", "postgres:/db/orchestrator"})
  void aPostgresSchemeWithoutSlashesIsRefused(String state) {
    // given a postgresql: scheme missing its //; when it is read; then it is refused, not a folder
    assertThrows(
        InputException.class, () -> StateLocation.of(Path.of("state"), Optional.of(state)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  "})
  void aBlankStateIsRefusedNotTakenAsUnset(String state) {
    // given --state "" (a variable that expanded to nothing); when it is read
    InputException e =
        assertThrows(
            InputException.class, () -> StateLocation.of(Path.of("state"), Optional.of(state)));
    // then it is refused, saying what to give instead, rather than keeping the runs in the folder
    assertTrue(e.getMessage().contains("--state is empty"), e.getMessage());
    assertTrue(e.hint().contains("postgresql://USER@HOST:PORT/DB"), e.hint());
    assertTrue(e.hint().contains("leave --state out"), e.hint());
  }
}
