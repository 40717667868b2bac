package dev.orchestrator.web;

import dev.orchestrator.common.InputException;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import java.util.List;

/**
 * Checks at the console's edges: a login must come from the console's own page (not another site),
 * and an address that cannot be bound is told apart by why.
 */
final class Guards {
  private Guards() {}

  /**
   * Refuses a login posted from another site (login CSRF: a foreign page logging the victim in as
   * the attacker): the login form carries no CSRF token, as there is no session yet, so the
   * browser's {@code Origin} (and {@code Sec-Fetch-Site}) must be this console's (OWASP CSRF
   * Prevention Cheat Sheet: verifying origin with standard headers). A client that sends neither
   * (curl, scripts) is no browser carrying a victim's cookies, and may log in.
   */
  static void refuseForeignOrigin(Context ctx, List<String> trustedProxies) {
    String site = ctx.header("Sec-Fetch-Site");
    String origin = ctx.header("Origin");
    boolean foreign = site != null && site.equalsIgnoreCase("cross-site");
    if (origin != null) {
      String host = ctx.header("Host");
      if (trustedProxies.contains(ctx.ip()) && ctx.header("X-Forwarded-Host") != null) {
        host = ctx.header("X-Forwarded-Host").split(",")[0].strip();
      }
      foreign |= host == null || !originHost(origin).equalsIgnoreCase(host);
    }
    if (foreign) {
      throw new ForbiddenResponse(
          "this login was sent from another site (its Origin is not this console's), so it is"
              + " refused: log in on the console's own login page");
    }
  }

  /** The {@code host[:port]} of an {@code Origin} header; empty for {@code null} or a bad one. */
  static String originHost(String origin) {
    try {
      java.net.URI u = new java.net.URI(origin.strip());
      if (u.getHost() == null) {
        return "";
      }
      return u.getPort() < 0 ? u.getRawAuthority() : u.getHost() + ":" + u.getPort();
    } catch (java.net.URISyntaxException e) {
      return "";
    }
  }

  /**
   * Why the address cannot be bound, told apart: an address this machine does not have ({@code
   * Cannot assign requested address}, EADDRNOTAVAIL) or a port another program holds ({@code
   * Address already in use}, EADDRINUSE).
   */
  static InputException bindError(String host, int port, java.net.BindException b) {
    String where = host + ":" + port;
    String why = String.valueOf(b.getMessage());
    if (why.contains("assign requested address")) {
      return new InputException(
          "cannot listen on " + where + ": this machine has no address " + host,
          "listen on one of its addresses (ip -brief address lists them), e.g. --listen"
              + " 127.0.0.1:"
              + Integer.toString(port));
    }
    if (why.contains("already in use")) {
      return new InputException(
          "cannot listen on " + where + ": the port is already in use",
          "another program (or another 'orchestrator serve') uses it: choose another port with"
              + " --listen HOST:PORT (ss -ltnp shows who listens)");
    }
    return new InputException(
        "cannot listen on " + where + ": " + why,
        "choose another address or port with --listen HOST:PORT");
  }
}
