package dev.orchestrator.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * The fleet's web server on loopback: the release archives (with {@code Range} requests answered as
 * a web server does) and each instance's {@code status.php}.
 */
final class SandboxWebServer {
  private SandboxWebServer() {}

  /**
   * Serves each instance's {@code GET /HOST/status.php} on loopback, answering what {@code occ
   * status --output=json} answers, as Nextcloud's status.php does.
   */
  static com.sun.net.httpserver.HttpServer start(SandboxFleet fleet) throws IOException {
    com.sun.net.httpserver.HttpServer web =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    web.createContext(
        "/",
        exchange -> {
          String[] parts = exchange.getRequestURI().getPath().split("/");
          int status = 404;
          byte[] body = "Not Found\n".getBytes(StandardCharsets.UTF_8);
          if (parts.length == 3
              && parts[1].equals("releases")
              && Files.isRegularFile(fleet.dir().resolve("releases").resolve(parts[2]))) {
            status = 200;
            body = Files.readAllBytes(fleet.dir().resolve("releases").resolve(parts[2]));
            // "Range: bytes=N-" as a web server answers it: 206 with the rest, 416 when N is the
            // whole file (the updater's resumed download of a complete archive, Updater.php
            // downloadArchive())
            String range = exchange.getRequestHeaders().getFirst("Range");
            if (range != null && range.matches("bytes=\\d{1,18}-")) {
              long from = Long.parseLong(range.substring(6, range.length() - 1));
              if (from >= body.length) {
                status = 416;
                body = new byte[0];
              } else {
                status = 206;
                body = java.util.Arrays.copyOfRange(body, (int) from, body.length);
              }
            }
          } else if (parts.length == 3
              && parts[2].equals("status.php")
              && fleet.hosts().stream().anyMatch(h -> h.name().equals(parts[1]))) {
            ProcessBuilder pb =
                new ProcessBuilder(
                    "/bin/sh",
                    fleet.home(parts[1]).resolve("bin/php").toString(),
                    fleet.nextcloudRoot(parts[1]).resolve("occ").toString(),
                    "status",
                    "--output=json");
            pb.environment().put("HOME", fleet.home(parts[1]).toString());
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            body = p.getInputStream().readAllBytes();
            try {
              status = p.waitFor() == 0 ? 200 : 500;
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              status = 500;
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
          }
          exchange.sendResponseHeaders(status, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    web.start();
    return web;
  }
}
