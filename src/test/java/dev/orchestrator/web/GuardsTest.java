package dev.orchestrator.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Which logins count as sent from another site ({@link Guards#foreign}), as browsers send their
 * headers. The console's own form in Chromium came with {@code Origin: null} while the console
 * asked for no referrers, and was refused (found by WebConsoleBrowserIT): a same-origin fetch
 * passes whatever its {@code Origin} says.
 */
class GuardsTest {
  private static final String HOST = "127.0.0.1:8080";

  @Test
  void theConsolesOwnPageLogsIn() {
    assertFalse(Guards.foreign("same-origin", "http://127.0.0.1:8080", HOST));
    assertFalse(Guards.foreign("same-origin", "null", HOST), "Chromium under no-referrer");
    assertFalse(Guards.foreign("none", null, HOST), "typed or bookmarked");
    assertFalse(Guards.foreign(null, "http://127.0.0.1:8080", HOST), "no Sec-Fetch-Site");
  }

  @Test
  void clientsThatAreNoBrowsersLogIn() {
    assertFalse(Guards.foreign(null, null, HOST), "curl, scripts");
  }

  @Test
  void anotherSitesPageIsRefused() {
    assertTrue(Guards.foreign("cross-site", "https://evil.example", HOST));
    assertTrue(Guards.foreign(null, "https://evil.example", HOST), "no Sec-Fetch-Site");
    assertTrue(Guards.foreign("same-site", "http://127.0.0.1:9999", HOST), "another port");
    assertTrue(Guards.foreign(null, "http://127.0.0.1:9999", HOST), "another port, old browser");
    assertTrue(Guards.foreign("cross-site", "null", HOST), "a sandboxed frame");
    assertTrue(Guards.foreign(null, "null", HOST), "an opaque origin without Sec-Fetch-Site");
    assertTrue(Guards.foreign("same-origin", "https://evil.example", HOST), "headers disagree");
  }
}
