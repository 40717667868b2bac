package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code get_url} ({@link GetUrl}) with the machine's real {@code curl} against a loopback HTTP
 * server the test starts: Ansible's {@code changed} rules ({@code get_url.py}: If-Modified-Since,
 * checksum, content), result keys and failures.
 */
class GetUrlTest {
  private HttpServer server;
  private volatile String body = "v1\n";
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/app.tgz",
        ex -> {
          String ims = ex.getRequestHeaders().getFirst("If-Modified-Since");
          String auth = ex.getRequestHeaders().getFirst("Authorization");
          requests.add((ims == null ? "GET" : "IMS") + (auth == null ? "" : " " + auth));
          if (ims != null) {
            reply(ex, 304, "");
          } else {
            reply(ex, 200, body);
          }
        });
    server.createContext(
        "/dl",
        ex -> {
          ex.getResponseHeaders().add("Content-Disposition", "attachment; filename=\"../r.txt\"");
          reply(ex, 200, "named\n");
        });
    server.createContext("/missing", ex -> reply(ex, 404, "no\n"));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static void reply(HttpExchange ex, int status, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, status == 304 ? -1 : b.length);
    if (status != 304) {
      ex.getResponseBody().write(b);
    }
    ex.close();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private static GetUrl get(String url, String dest, String checksum, boolean force, String mode)
      throws Exception {
    String algorithm = checksum.isEmpty() ? "" : "sha256";
    return new GetUrl(
        url,
        dest,
        algorithm,
        checksum,
        force,
        10,
        Map.of(),
        "",
        "",
        false,
        true,
        "ansible-httpget",
        mode,
        "",
        "");
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static ModuleOutcome run(StandInHost host, GetUrl m) throws Exception {
    return m.outcome(host.run(m.script()));
  }

  @Test
  void downloadsOnceThenAsksIfModifiedSinceAndReplacesOnlyDifferentContent() throws Exception {
    try (StandInHost host = StandInHost.with()) {
      String dest = host.home().resolve("app.tgz").toString();
      // when the file is downloaded, asked for again, then forced after the server's changed
      ModuleOutcome first = run(host, get(url("/app.tgz"), dest, "", false, "0600"));
      ModuleOutcome again = run(host, get(url("/app.tgz"), dest, "", false, "0600"));
      body = "v2\n";
      ModuleOutcome forced = run(host, get(url("/app.tgz"), dest, "", true, ""));
      ModuleOutcome same = run(host, get(url("/app.tgz"), dest, "", true, ""));
      // then the first writes it with Ansible's keys
      assertEquals(true, first.fields().get("changed"), first.result().stderr());
      assertEquals("OK (3 bytes)", first.fields().get("msg"));
      assertEquals(200, first.fields().get("status_code"));
      assertNull(first.fields().get("checksum_dest"));
      assertEquals("0600", first.fields().get("mode"));
      assertEquals(dest, first.fields().get("dest"));
      // the second is a 304, the third replaces, the fourth finds the same content
      assertEquals(false, again.fields().get("changed"), again.result().stderr());
      assertEquals("HTTP Error 304: Not Modified", again.fields().get("msg"));
      assertEquals(true, forced.fields().get("changed"));
      assertEquals(first.fields().get("checksum_src"), forced.fields().get("checksum_dest"));
      assertEquals("0600", forced.fields().get("mode"), "a replaced file keeps its mode");
      assertEquals(false, same.fields().get("changed"));
      assertEquals("v2\n", Files.readString(Path.of(dest)));
      assertEquals(List.of("GET", "IMS", "GET", "GET"), requests);
    }
  }

  @Test
  void aMatchingChecksumSkipsTheDownloadAndAWrongOneFailsAndRemovesTheFile() throws Exception {
    try (StandInHost host = StandInHost.with()) {
      String dest = host.home().resolve("app.tgz").toString();
      // when the file is downloaded with its checksum, then again, then with a wrong checksum
      ModuleOutcome first = run(host, get(url("/app.tgz"), dest, sha256("v1\n"), false, ""));
      ModuleOutcome again = run(host, get(url("/app.tgz"), dest, sha256("v1\n"), false, ""));
      String wrong = sha256("other");
      ModuleOutcome bad = run(host, get(url("/app.tgz"), dest, wrong, false, ""));
      // then the second sends no request, and the third downloads, fails and removes the file
      assertEquals(true, first.fields().get("changed"), first.result().stderr());
      assertEquals("file already exists", again.fields().get("msg"));
      assertEquals(false, again.fields().get("changed"));
      assertFalse(bad.result().succeeded());
      assertEquals(
          "The checksum for "
              + dest
              + " did not match "
              + wrong
              + "; it was "
              + sha256("v1\n")
              + ".",
          bad.fields().get("msg"));
      assertFalse(Files.exists(Path.of(dest)));
      assertEquals(List.of("GET", "GET"), requests);
    }
  }

  @Test
  void aFolderGetsTheServersFileNameWithoutItsPathAndAFailedStatusFails() throws Exception {
    try (StandInHost host = StandInHost.with()) {
      Path folder = Files.createDirectories(host.home().resolve("in"));
      // when a URL whose Content-Disposition names ../r.txt is saved into a folder, and a 404
      ModuleOutcome named = run(host, get(url("/dl"), folder.toString(), "", false, ""));
      ModuleOutcome missing = run(host, get(url("/missing"), folder + "/m", "", false, ""));
      // then the file is the folder's (basename, as Ansible's), and the 404 is Ansible's failure
      assertEquals(folder.resolve("r.txt").toString(), named.fields().get("dest"));
      assertEquals("named\n", Files.readString(folder.resolve("r.txt")));
      assertFalse(Files.exists(host.home().resolve("r.txt")));
      assertFalse(missing.result().succeeded());
      assertEquals("Request failed", missing.fields().get("msg"));
      assertEquals(404, missing.fields().get("status_code"));
      assertEquals("HTTP Error 404: Not Found", missing.fields().get("response"));
    }
  }

  @Test
  void credentialsReachTheServerButNotTheScriptsText() throws Exception {
    try (StandInHost host = StandInHost.with()) {
      // given a user and a password
      GetUrl m =
          new GetUrl(
              url("/app.tgz"),
              host.home().resolve("a").toString(),
              "",
              "",
              false,
              10,
              Map.of(),
              "deploy",
              "s3cr3t-pw",
              true,
              true,
              "ansible-httpget",
              "",
              "",
              "");
      // when it downloads
      ModuleOutcome o = run(host, m);
      // then the server got basic credentials, and the password is only an exported value
      assertTrue(o.result().succeeded(), o.result().stderr());
      assertTrue(requests.get(0).startsWith("GET Basic "), requests.toString());
      assertFalse(m.script().text().contains("s3cr3t-pw"));
      assertFalse(o.fields().toString().contains("s3cr3t-pw"));
    }
  }
}
