package dev.orchestrator.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.app.CommandHints;
import dev.orchestrator.app.Console;
import dev.orchestrator.app.Orchestrator;
import dev.orchestrator.app.StateLocation;
import dev.orchestrator.common.OrchestratorException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.http.staticfiles.Location;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code orchestrator serve}: the web console and its JSON API ({@code /api/v1/}), on Javalin
 * (Jetty). Every action goes through the application service as the CLI's commands do, with the web
 * user as the actor ({@link dev.orchestrator.app.Actor#web}).
 *
 * <p>Security: pages need a session (cookie {@code orchestrator_session}: HttpOnly,
 * SameSite=Strict, Secure unless the console listens on loopback); API calls a session or a bearer
 * token ({@code Authorization: Bearer NAME.SECRET}), else 401. Every POST with a session carries
 * the session's CSRF token ({@code X-CSRF-Token} header or {@code csrf} form field), else 403
 * (OWASP CSRF Prevention Cheat Sheet: synchronizer token). Logins are limited to 10 a minute per
 * address ({@link LoginLimits}: Bucket4j), then 429. Pages are served with a
 * Content-Security-Policy allowing only the console's own scripts and styles.
 */
public final class WebConsole implements AutoCloseable {
  /** The session cookie's name. */
  static final String COOKIE = "orchestrator_session";

  static final ObjectMapper JSON = new ObjectMapper();

  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  /**
   * What the console serves and how.
   *
   * @param state the state store (folder or PostgreSQL)
   * @param usersFile the users file (read again when it changes)
   * @param host the address to listen on: loopback by default
   * @param port the port; 0 picks a free one ({@link #port()} tells which)
   * @param hints the commands messages show
   * @param console where actions' messages go (the server's terminal)
   * @param trustedProxies the addresses of reverse proxies whose {@code X-Forwarded-For} tells the
   *     client's address (for records and the login limit); from any other peer the header is
   *     ignored, as anyone can send it
   * @param playbooks the folders (or single files) whose playbooks the plan form offers; the
   *     console never takes a path from a request
   * @param inventories the folders (or single files) whose inventories the plan form offers
   */
  public record Settings(
      StateLocation state,
      Path usersFile,
      String host,
      int port,
      CommandHints hints,
      Console console,
      java.util.List<String> trustedProxies,
      java.util.List<Path> playbooks,
      java.util.List<Path> inventories) {
    /** Validates the fields. */
    public Settings {
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(usersFile, "usersFile");
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(hints, "hints");
      Objects.requireNonNull(console, "console");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("a port is 0 to 65535");
      }
      trustedProxies = java.util.List.copyOf(trustedProxies);
      playbooks = java.util.List.copyOf(playbooks);
      inventories = java.util.List.copyOf(inventories);
    }

    /** Settings whose plan form offers nothing. */
    public Settings(
        StateLocation state,
        Path usersFile,
        String host,
        int port,
        CommandHints hints,
        Console console,
        java.util.List<String> trustedProxies) {
      this(
          state,
          usersFile,
          host,
          port,
          hints,
          console,
          trustedProxies,
          java.util.List.of(),
          java.util.List.of());
    }

    /** Settings without a trusted reverse proxy. */
    public Settings(
        StateLocation state,
        Path usersFile,
        String host,
        int port,
        CommandHints hints,
        Console console) {
      this(state, usersFile, host, port, hints, console, java.util.List.of());
    }
  }

  private final Settings settings;
  private final Sessions sessions = new Sessions(Clock.systemUTC());
  private final LoginLimits loginLimits = new LoginLimits();
  private final UsersFile users;
  private final Api api;
  private final Pages pages = new Pages();
  private final boolean secureCookies;
  private final Javalin app;

  private WebConsole(Orchestrator service, Settings settings) {
    this.settings = settings;
    this.users = new UsersFile(settings.usersFile());
    this.secureCookies = !loopbackAddress(settings.host());
    this.api = new Api(service, settings, pages);
    this.app =
        Javalin.create(
            config -> {
              config.jetty.host = settings.host();
              config.jetty.port = settings.port();
              config.startup.showJavalinBanner = false;
              config.staticFiles.add(
                  s -> {
                    s.hostedPath = "/static";
                    s.directory = "/web/static";
                    s.location = Location.CLASSPATH;
                  });
              config.routes.before(this::authenticate);
              config.routes.get("/login", ctx -> html(ctx, pages.render("login", loginModel(""))));
              config.routes.post("/login", this::login);
              config.routes.post("/logout", this::logout);
              api.routes(config.routes);
              config.routes.exception(HttpResponseException.class, this::httpError);
              config.routes.exception(OrchestratorException.class, api::serviceError);
              config.routes.exception(Exception.class, this::internalError);
            });
  }

  /**
   * Starts the console.
   *
   * @throws OrchestratorException when the users file is invalid or the address cannot be bound
   */
  public static WebConsole start(Orchestrator service, Settings settings) {
    WebConsole c = new WebConsole(service, settings);
    // an invalid users file is reported now, not at the first login
    List<String> old = c.users.current().oldTokens();
    if (!old.isEmpty()) {
      settings
          .console()
          .err()
          .println(
              "orchestrator serve: the API tokens of "
                  + String.join(", ", old)
                  + " are stored as Argon2 hashes by an earlier version and no longer accepted:"
                  + " give each a new one with 'orchestrator users token NAME'");
      settings.console().err().flush();
    }
    try {
      c.app.start();
    } catch (RuntimeException e) {
      c.api.close();
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof java.net.BindException b) {
          throw Guards.bindError(settings.host(), settings.port(), b);
        }
      }
      throw e;
    }
    return c;
  }

  /** The port the console listens on. */
  public int port() {
    return app.port();
  }

  /** The console's address, e.g. {@code http://127.0.0.1:8080/}. */
  public String url() {
    String h = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
    return "http://" + h + ":" + port() + "/";
  }

  /** Stops serving; actions under way go on until they end or the process exits. */
  @Override
  public void close() {
    api.close();
    app.stop();
  }

  /**
   * Whether an address (name or literal) is a loopback address, where cookies need not be Secure.
   */
  public static boolean loopbackAddress(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private void authenticate(Context ctx) {
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "same-origin");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Cache-Control", "no-store");
    if (!ctx.path().startsWith("/runs/") || !ctx.path().endsWith("/report")) {
      ctx.header("Content-Security-Policy", CSP);
    }
    String path = ctx.path();
    if (path.startsWith("/static/") || path.equals("/login")) {
      return;
    }
    boolean isApi = path.startsWith("/api/");
    String auth = ctx.header("Authorization");
    if (isApi && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String from = clientAddress(ctx, settings.trustedProxies());
      if (!loginLimits.allows(from)) {
        throw new io.javalin.http.TooManyRequestsResponse(
            "too many wrong logins or API tokens from this address: wait a minute");
      }
      Optional<User> u = users.current().byToken(auth.substring(7).trim());
      if (u.isEmpty()) {
        loginLimits.countFailure(from);
        throw new UnauthorizedResponse(
            "the API token is not valid: ask an admin for a new one (orchestrator users token"
                + " NAME); tokens made before tokens were SHA-256 hashes must be made again");
      }
      ctx.attribute(Api.USER, u.get());
      return;
    }
    Optional<Sessions.Session> session = sessions.get(ctx.cookie(COOKIE));
    if (session.isEmpty()) {
      if (isApi) {
        ctx.header("WWW-Authenticate", "Bearer");
        throw new UnauthorizedResponse(
            "log in first: a session cookie or 'Authorization: Bearer NAME.SECRET'");
      }
      ctx.redirect("/login");
      ctx.skipRemainingHandlers();
      return;
    }
    Sessions.Session s = session.get();
    // the users file may have changed since login: a removed user or a changed role counts now
    User now =
        users
            .current()
            .find(s.user().name())
            .orElseThrow(
                () ->
                    new UnauthorizedResponse(
                        "user "
                            + s.user().name()
                            + " is no longer in the users file: ask an admin"));
    if (!"GET".equals(ctx.method().name()) && !"HEAD".equals(ctx.method().name())) {
      String token = ctx.header("X-CSRF-Token");
      if (token == null && isForm(ctx)) {
        token = ctx.formParam("csrf");
      }
      if (!s.csrfMatches(token)) {
        throw new ForbiddenResponse("missing or wrong CSRF token: reload the page and try again");
      }
    }
    ctx.attribute(Api.USER, now);
    ctx.attribute(Api.CSRF, s.csrf());
  }

  /**
   * The client's address: the peer's, or, when the peer is a trusted reverse proxy, the last
   * address of {@code X-Forwarded-For} that is not a trusted proxy itself (MDN X-Forwarded-For:
   * only the entries added by trusted proxies are reliable, from the right).
   */
  static String clientAddress(Context ctx, java.util.List<String> trusted) {
    String peer = ctx.ip();
    String forwarded = ctx.header("X-Forwarded-For");
    if (!trusted.contains(peer) || forwarded == null || forwarded.isBlank()) {
      return peer;
    }
    String[] hops = forwarded.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].strip();
      if (!hop.isEmpty() && !trusted.contains(hop)) {
        return hop.replaceAll("[^0-9A-Fa-f.:\\[\\]]", "?");
      }
    }
    return peer;
  }

  private static boolean isForm(Context ctx) {
    String ct = ctx.contentType();
    return ct != null && ct.startsWith("application/x-www-form-urlencoded");
  }

  private void login(Context ctx) {
    Guards.refuseForeignOrigin(ctx, settings.trustedProxies());
    if (!loginLimits.tryAttempt(clientAddress(ctx, settings.trustedProxies()))) {
      throw new io.javalin.http.TooManyRequestsResponse(
          "too many logins from this address: wait a minute");
    }
    String name = ctx.formParam("name");
    String password = ctx.formParam("password");
    Optional<User> user = users.current().login(name, password);
    if (user.isEmpty()) {
      ctx.status(HttpStatus.UNAUTHORIZED);
      html(ctx, pages.render("login", loginModel("wrong user name or password")));
      return;
    }
    String id = sessions.start(user.get());
    ctx.cookie(new Cookie(COOKIE, id, "/", -1, secureCookies, true, null, SameSite.STRICT));
    settings
        .console()
        .err()
        .println(
            "orchestrator serve: "
                + user.get().name()
                + " logged in from "
                + clientAddress(ctx, settings.trustedProxies()));
    settings.console().err().flush();
    ctx.redirect("/");
  }

  private void logout(Context ctx) {
    sessions.end(ctx.cookie(COOKIE));
    ctx.removeCookie(COOKIE, "/");
    ctx.redirect("/login");
  }

  private static Map<String, Object> loginModel(String error) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", error);
    m.put("title", "Log in");
    m.put("user", "");
    m.put("role", "");
    m.put("operator", false);
    m.put("csrf", "");
    return m;
  }

  private void httpError(HttpResponseException e, Context ctx) {
    ctx.status(e.getStatus());
    if (ctx.path().startsWith("/api/")) {
      Api.json(ctx, Map.of("error", e.getMessage(), "status", e.getStatus()));
    } else {
      html(ctx, pages.render("error", api.pageRoutes().errorModel(ctx, e.getMessage(), "")));
    }
  }

  private void internalError(Exception e, Context ctx) {
    settings
        .console()
        .err()
        .println("orchestrator serve: internal error on " + ctx.path() + ": " + e);
    settings.console().err().flush();
    ctx.status(HttpStatus.INTERNAL_SERVER_ERROR);
    String msg = "internal error (a bug): see the console's terminal";
    if (ctx.path().startsWith("/api/")) {
      Api.json(ctx, Map.of("error", msg, "status", 500));
    } else {
      html(ctx, pages.render("error", api.pageRoutes().errorModel(ctx, msg, "")));
    }
  }

  static void html(Context ctx, String body) {
    ctx.contentType("text/html; charset=utf-8").result(body);
  }
}
