package dev.orchestrator.state.postgres;

import dev.orchestrator.common.InputException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a PostgreSQL state store is: {@code postgresql://USER@HOST:PORT/DB?sslmode=verify-full}, as
 * {@code --state} and {@code ORCHESTRATOR_STATE} take it (libpq's URI form, {@code postgres://}
 * too). Never holds a password: one in the URL is refused, since the URL is shown in messages and
 * process lists; the password comes from {@code PGPASSWORD} or {@code ~/.pgpass} ({@link
 * PostgresStateStore#open}). The query parameters are pgjdbc connection properties, limited to
 * {@link #PARAMETERS} (TLS, timeouts, schema): properties that load classes or files of pgjdbc's
 * choosing are refused.
 *
 * @param user the role to log in as, or empty for {@code PGUSER} or the system user
 * @param host the server's host name or address (an IPv6 address without brackets)
 * @param port the server's TCP port, 1 to 65535 (5432 when the URL has none)
 * @param database the database's name
 * @param parameters pgjdbc connection properties, each one of {@link #PARAMETERS}
 */
public record PostgresUrl(
    Optional<String> user, String host, int port, String database, Map<String, String> parameters) {

  /**
   * The connection properties a URL may set (pgjdbc's names): TLS ({@code sslmode} and the key,
   * certificate and root certificate files), timeouts, the schema and the application name.
   */
  public static final Set<String> PARAMETERS =
      Set.of(
          "ssl",
          "sslmode",
          "sslrootcert",
          "sslcert",
          "sslkey",
          "sslnegotiation",
          "channelBinding",
          "gssEncMode",
          "connectTimeout",
          "socketTimeout",
          "loginTimeout",
          "tcpKeepAlive",
          "currentSchema",
          "ApplicationName",
          "targetServerType");

  private static final String FORM = "postgresql://USER@HOST:PORT/DATABASE[?sslmode=verify-full]";

  /** Validates the fields; the parameters are copied, in order. */
  public PostgresUrl {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(database, "database");
    if (host.isEmpty() || database.isEmpty()) {
      throw new IllegalArgumentException("host and database must not be empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1 to 65535: " + port);
    }
    user.ifPresent(
        u -> {
          if (u.isEmpty()) {
            throw new IllegalArgumentException("an empty user is no user");
          }
        });
    parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    for (String key : parameters.keySet()) {
      if (!PARAMETERS.contains(key)) {
        throw new IllegalArgumentException("not a connection property a URL may set: " + key);
      }
    }
  }

  /** Whether a {@code --state} value names a PostgreSQL database rather than a folder. */
  public static boolean isUrl(String value) {
    String v = value.toLowerCase(Locale.ROOT);
    return v.startsWith("postgresql://") || v.startsWith("postgres://");
  }

  /**
   * Parses a URL.
   *
   * @param text e.g. {@code postgresql://orchestrator@db.example.org:5432/orchestrator}
   * @return the URL
   * @throws InputException when it is not such a URL, holds a password, or sets a property that is
   *     not one of {@link #PARAMETERS}; the message never repeats a password
   */
  public static PostgresUrl parse(String text) {
    Objects.requireNonNull(text, "text");
    if (!isUrl(text)) {
      throw invalid(text, "it does not start with postgresql://");
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw invalid(withoutUserInfo(text), e.getReason());
    }
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null && userInfo.contains(":")) {
      throw new InputException(
          "the state URL "
              + withoutUserInfo(text)
              + " holds a password: it would be shown in messages and process lists",
          "remove it from the URL and give it in PGPASSWORD or ~/.pgpass"
              + " (HOST:PORT:DATABASE:USER:PASSWORD, mode 0600)");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw invalid(text, "it names no host");
    }
    if (uri.getPort() == 0 || uri.getPort() > 65535) {
      throw invalid(text, "its port is not 1 to 65535");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (!path.startsWith("/") || path.length() < 2 || path.indexOf('/', 1) >= 0) {
      throw invalid(text, "it names no database (or more than a database) after the host");
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    String query = uri.getRawQuery();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        if (key.toLowerCase(Locale.ROOT).contains("password")) {
          throw new InputException(
              "the state URL sets '" + key + "': a password is never given in the URL",
              "give it in PGPASSWORD or ~/.pgpass instead");
        }
        if (!PARAMETERS.contains(key)) {
          throw invalid(
              withoutQuery(text),
              "'"
                  + key
                  + "' is not a connection property it may set; these are: "
                  + String.join(", ", new TreeSet<>(PARAMETERS)));
        }
        parameters.put(key, value);
      }
    }
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new PostgresUrl(
        Optional.ofNullable(userInfo).map(PostgresUrl::decode).filter(u -> !u.isEmpty()),
        host,
        uri.getPort() < 0 ? 5432 : uri.getPort(),
        decode(path.substring(1)),
        parameters);
  }

  /** The pgjdbc URL, without user, password or properties (they are passed as properties). */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + hostForUrl() + ":" + port + "/" + encode(database);
  }

  /** The URL as a user writes it, e.g. in messages and next-step hints; never a password. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("postgresql://");
    user.ifPresent(u -> out.append(encode(u)).append('@'));
    out.append(hostForUrl()).append(':').append(port).append('/').append(encode(database));
    String sep = "?";
    for (Map.Entry<String, String> p : parameters.entrySet()) {
      out.append(sep).append(p.getKey()).append('=').append(encode(p.getValue()));
      sep = "&";
    }
    return out.toString();
  }

  private String hostForUrl() {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  private static InputException invalid(String shown, String why) {
    return new InputException(
        "'" + shown + "' is not a PostgreSQL state URL: " + why,
        "write it as " + FORM + ", or give a folder");
  }

  /** The text with anything between {@code //} and {@code @} hidden: it may hold a password. */
  private static String withoutUserInfo(String text) {
    int start = text.indexOf("//");
    int at = text.indexOf('@', start + 2);
    int slash = text.indexOf('/', start + 2);
    if (start < 0 || at < 0 || (slash >= 0 && slash < at)) {
      return text;
    }
    return text.substring(0, start + 2) + "***" + text.substring(at);
  }

  private static String withoutQuery(String text) {
    int q = text.indexOf('?');
    return q < 0 ? text : text.substring(0, q);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
