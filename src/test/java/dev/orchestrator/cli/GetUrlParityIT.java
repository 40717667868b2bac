package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.orchestrator.sandbox.OpenSshFleet;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code get_url} module on real OpenSSH hosts ({@link OpenSshFleet}), compared with real
 * Ansible's ({@code ansible-playbook}, ansible-core's {@code lib/ansible/modules/get_url.py})
 * running the same tasks on the same hosts against a loopback HTTP server the test starts (the
 * JDK's; it answers {@code If-Modified-Since} with 304): a download with a mode, again (304), a
 * matching checksum, a forced download of the same content, a folder with the server's file name, a
 * 404 and a wrong checksum. The registered keys and the files' contents and modes are Ansible's.
 */
class GetUrlParityIT {
  /** Keys compared with Ansible's, where Ansible has them. */
  private static final Set<String> COMPARED =
      Set.of(
          "changed",
          "failed",
          "msg",
          "status_code",
          "dest",
          "checksum_src",
          "checksum_dest",
          "md5sum",
          "response",
          "mode",
          "size",
          "state");

  @TempDir Path dir;

  private static void reply(HttpExchange ex, int status, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, status == 304 ? -1 : b.length);
    if (status != 304) {
      ex.getResponseBody().write(b);
    }
    ex.close();
  }

  private static Map<String, String> tasks(String base, String root, String sum) {
    String d = root + "/{{ inventory_hostname }}";
    Map<String, String> t = new LinkedHashMap<>();
    t.put("folder", "shell: mkdir -p '" + d + "/in'");
    t.put(
        "first", "get_url: {url: '" + base + "/app.tgz', dest: '" + d + "/app.tgz', mode: '0640'}");
    t.put("again", "get_url: {url: '" + base + "/app.tgz', dest: '" + d + "/app.tgz'}");
    t.put(
        "summed",
        "get_url: {url: '"
            + base
            + "/app.tgz', dest: '"
            + d
            + "/app.tgz', checksum: 'sha256:"
            + sum
            + "'}");
    t.put(
        "forced", "get_url: {url: '" + base + "/app.tgz', dest: '" + d + "/app.tgz', force: true}");
    t.put("named", "get_url: {url: '" + base + "/dl', dest: '" + d + "/in/'}");
    t.put("missing", "get_url: {url: '" + base + "/missing', dest: '" + d + "/m'}");
    t.put(
        "wrong",
        "get_url: {url: '"
            + base
            + "/app.tgz', dest: '"
            + d
            + "/w', checksum: 'sha256:"
            + "0".repeat(64)
            + "'}");
    return t;
  }

  private static Map<String, String> files(Path root, List<String> hosts) throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (String host : hosts) {
      for (String f : List.of("app.tgz", "in/r.txt", "m", "w")) {
        Path p = root.resolve(host).resolve(f);
        out.put(
            host + " " + f,
            Files.exists(p)
                ? Files.readString(p) + " " + Files.getPosixFilePermissions(p)
                : "absent");
      }
    }
    return out;
  }

  @Test
  void getUrlResultsAndFilesMatchAnsiblesOnTheSameHosts() throws Exception {
    OpenSshFleet.requireAvailable();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/app.tgz",
        ex ->
            reply(ex, ex.getRequestHeaders().containsKey("If-Modified-Since") ? 304 : 200, "v1\n"));
    server.createContext(
        "/dl",
        ex -> {
          ex.getResponseHeaders().add("Content-Disposition", "attachment; filename=\"r.txt\"");
          reply(ex, 200, "named\n");
        });
    server.createContext("/missing", ex -> reply(ex, 404, "no\n"));
    server.start();
    try (OpenSshFleet fleet = OpenSshFleet.start(dir, Map.of("web", List.of("web1")))) {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      String sum =
          HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-256")
                      .digest("v1\n".getBytes(StandardCharsets.UTF_8)));
      Path theirs = Files.createDirectories(dir.resolve("theirs"));
      Path ours = Files.createDirectories(dir.resolve("ours"));
      // when Ansible runs the tasks in one folder, and ours in another
      Map<String, String> ourTasks = tasks(base, dir + "/o", sum);
      ParityPlays.ansible(fleet, dir, tasks(base, dir + "/a", sum), theirs);
      ParityPlays.ours(fleet, dir, ourTasks, ours);
      // then the files are the same, with the same modes
      assertEquals(files(dir.resolve("a"), fleet.hosts()), files(dir.resolve("o"), fleet.hosts()));
      // and each registered result has Ansible's keys, the folder's name the only difference
      ParityPlays.compare(
          fleet.hosts(),
          ourTasks,
          COMPARED,
          theirs,
          ours,
          v -> v.replace(dir + "/a/", dir + "/o/"),
          // README: a download whose checksum fails is removed and reported changed: false
          // (Ansible's says true: it replaced the file before checking it)
          Set.of("wrong.changed"));
    } finally {
      server.stop(0);
    }
  }
}
