package dev.orchestrator.state.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class PostgresUrlTest {
  @Test
  void aUrlNamesUserHostPortDatabaseAndTlsOptions() {
    PostgresUrl url =
        PostgresUrl.parse("postgresql://ops@db.example.org:6543/orchestrator?sslmode=verify-full");
    assertEquals(Optional.of("ops"), url.user());
    assertEquals("db.example.org", url.host());
    assertEquals(6543, url.port());
    assertEquals("orchestrator", url.database());
    assertEquals(Map.of("sslmode", "verify-full"), url.parameters());
    assertEquals("jdbc:postgresql://db.example.org:6543/orchestrator", url.jdbcUrl());
    assertEquals(
        "postgresql://ops@db.example.org:6543/orchestrator?sslmode=verify-full", url.toString());
    // the default port, no user, an IPv6 address, the short scheme
    PostgresUrl plain = PostgresUrl.parse("postgres://[::1]/state");
    assertEquals(Optional.empty(), plain.user());
    assertEquals(5432, plain.port());
    assertEquals("jdbc:postgresql://[::1]:5432/state", plain.jdbcUrl());
  }

  @Property(tries = 100)
  void aPasswordInTheUrlIsRefusedAndNeverShown(
      @ForAll @StringLength(min = 1, max = 40) String password) {
    String encoded = URLEncoder.encode(password, StandardCharsets.UTF_8);
    InputException e =
        assertThrows(
            InputException.class,
            () -> PostgresUrl.parse("postgresql://ops:" + encoded + "@db:5432/orchestrator"));
    assertTrue(e.getMessage().contains("holds a password"), e.getMessage());
    assertTrue(e.hint().contains("PGPASSWORD or ~/.pgpass"), e.hint());
    assertFalse((e.getMessage() + e.hint()).contains(":" + encoded + "@"), e.getMessage());
    InputException param =
        assertThrows(
            InputException.class,
            () -> PostgresUrl.parse("postgresql://ops@db/orchestrator?password=" + encoded));
    assertFalse((param.getMessage() + param.hint()).contains("=" + encoded), param.getMessage());
  }

  @Test
  void propertiesThatLoadClassesAndMalformedUrlsAreInputErrors() {
    for (String bad :
        new String[] {
          "postgresql://db/orchestrator?socketFactory=x.Y",
          "postgresql://db/orchestrator?sslfactory=x.Y",
          "postgresql:///orchestrator",
          "postgresql://db",
          "postgresql://db/a/b",
          "postgresql://db:99999/x",
          "mysql://db/x"
        }) {
      InputException e = assertThrows(InputException.class, () -> PostgresUrl.parse(bad), bad);
      assertTrue(e.getMessage().contains("is not a PostgreSQL state URL"), e.getMessage());
      assertTrue(e.hint().contains("postgresql://USER@HOST:PORT/DATABASE"), e.hint());
    }
  }
}
