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
   * browser's {@code Sec-Fetch-Site} and {@code Origin} must say this console's own page (OWASP
   * CSRF Prevention Cheat Sheet: verifying origin with standard headers). A client that sends
   * neither (curl, scripts) is no browser carrying a victim's cookies, and may log in.
   */
  static void refuseForeignOrigin(Context ctx, List<String> trustedProxies) {
    String host = ctx.header("Host");
    if (trustedProxies.contains(ctx.ip()) && ctx.header("X-Forwarded-Host") != null) {
      host = ctx.header("X-Forwarded-Host").split(",")[0].strip();
    }
    if (foreign(ctx.header("Sec-Fetch-Site"), ctx.header("Origin"), host)) {
      throw new ForbiddenResponse(
          "this login was sent from another site (its Origin is not this console's), so it is"
              + " refused: log in on the console's own login page");
    }
  }

  /**
   * Whether a login's headers say it was sent from another site's page.
   *
   * <ul>
   *   <li>{@code Sec-Fetch-Site}, when the browser sends it, decides: only {@code same-origin} (the
   *       console's own page) and {@code none} (typed or bookmarked) pass; {@code same-site} is
   *       refused too, as another port of the same host is the same site.
   *   <li>An {@code Origin} that names a site must be this console's {@code Host}. {@code Origin:
   *       null} (an opaque origin: a sandboxed frame, a {@code data:} page, or a browser told not
   *       to send referrers) passes only with {@code Sec-Fetch-Site: same-origin}: Chromium sends
   *       {@code null} for the console's own form under {@code Referrer-Policy: no-referrer} (found
   *       by WebConsoleBrowserIT), which is why the console now sends {@code same-origin}.
   * </ul>
   *
   * @param site the {@code Sec-Fetch-Site} header, or null
   * @param origin the {@code Origin} header, or null
   * @param host the console's {@code Host} as the client addressed it, or null
   */
  static boolean foreign(String site, String origin, String host) {
    if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
      return true;
    }
    if (origin == null) {
      return false;
    }
    if (origin.strip().equals("null")) {
      return site == null || !site.equalsIgnoreCase("same-origin");
    }
    return host == null || !originHost(origin).equalsIgnoreCase(host);
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
