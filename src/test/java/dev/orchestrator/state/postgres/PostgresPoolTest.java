package dev.orchestrator.state.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The store skips Flyway when the schema is current: "current" must mean the newest migration. */
class PostgresPoolTest {
  @Test
  void theSchemaVersionIsTheNewestMigration() throws IOException, URISyntaxException {
    Path folder = Path.of(getClass().getResource("/db/migration").toURI());
    try (Stream<Path> files = Files.list(folder)) {
      int newest =
          files
              .map(f -> f.getFileName().toString())
              .filter(n -> n.matches("V\\d+__.*\\.sql"))
              .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
              .max()
              .orElseThrow();
      assertEquals(newest, PostgresPool.SCHEMA_VERSION);
    }
  }
}
