package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.sun.net.httpserver.HttpServer;
import dev.orchestrator.template.ShellTemplate;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code uri}'s header values and URL reach curl through a config file, never on its command line,
 * where any user of the host could read them ({@code ps}).
 */
class UriCommandLineTest {
  @TempDir Path dir;

  @Test
  void headersAndUrlAreNotOnCurlsCommandLine() throws Exception {
    // given a server that records the Authorization header, and a curl that records its arguments
    AtomicReference<String> seen = new AtomicReference<>("");
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        x -> {
          seen.set(
              x.getRequestHeaders().getFirst("Authorization") + " " + x.getRequestURI().getQuery());
          x.sendResponseHeaders(200, -1);
          x.close();
        });
    server.start();
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path args = dir.resolve("args");
    Path curl = bin.resolve("curl");
    Files.writeString(
        curl, "#!/bin/sh\nprintf '%s\\n' \"$@\" >> " + args + "\nexec /usr/bin/curl \"$@\"\n");
    curl.toFile().setExecutable(true);
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/p?key=urlsecret";
      Uri uri =
          new Uri(
              url,
              "GET",
              "",
              Map.of("Authorization", "Bearer tok\"en\\secret"),
              List.of(200),
              false,
              10,
              true);
      // when the request runs
      int status = (Integer) uri.outcome(run(uri.script(), bin)).fields().get("status");
      // then the server got the header and URL exactly, and neither was among curl's arguments
      assertEquals(200, status);
      assertEquals("Bearer tok\"en\\secret key=urlsecret", seen.get());
      String argv = Files.readString(args);
      assertFalse(argv.contains("secret"), argv);
      try (var left = Files.list(dir)) {
        assertEquals(
            List.of("args", "bin"), left.map(p -> p.getFileName().toString()).sorted().toList());
      }
    } finally {
      server.stop(0);
    }
  }

  @Test
  void theServersReasonAndContentTypeCannotForgeTheResult() throws Exception {
    // given a server whose content type carries a tab and a fake URL
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        x -> {
          x.getResponseHeaders().add("Content-Type", "text/plain\thttp://forged/");
          x.sendResponseHeaders(200, -1);
          x.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/p";
      Uri uri = new Uri(url, "GET", "", Map.of(), List.of(200), false, 10, true);
      // when the request runs, and when a 404's reason phrase carries a terminal escape
      Map<String, Object> fields = uri.outcome(run(uri.script(), Path.of("/usr/bin"))).fields();
      String msg =
          (String)
              uri.outcome(
                      new dev.orchestrator.transport.ExecResult(
                          0,
                          "404\t" + url + "\ttext/plain\nNot \u001b[31mFound\n",
                          "",
                          java.time.Duration.ZERO,
                          false))
                  .fields()
                  .get("msg");
      // then the URL and redirected are curl's, and the reason is shown escaped
      assertEquals(url, fields.get("url"));
      assertEquals(false, fields.get("redirected"));
      assertFalse(msg.contains("\u001b"), msg);
    } finally {
      server.stop(0);
    }
  }

  private dev.orchestrator.transport.ExecResult run(ShellTemplate script, Path bin)
      throws Exception {
    ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-s").directory(dir.toFile());
    pb.environment().put("PATH", bin + ":/usr/bin:/bin");
    pb.environment().put("TMPDIR", dir.toString());
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    p.getOutputStream()
        .write(
            (CommandBuilder.exports(script.values()) + script.text())
                .getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return new dev.orchestrator.transport.ExecResult(
        p.exitValue(), out, "", java.time.Duration.ZERO, false);
  }
}
