package dev.orchestrator.artifact;

import dev.orchestrator.common.ErrorKind;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.playbook.Artifact;
import dev.orchestrator.report.Event;
import dev.orchestrator.report.EventSink;
import dev.orchestrator.template.TemplateEngine;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.ArchiveStreamFactory;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/**
 * Fetches an {@link Artifact} once on the controller: asks Nextcloud's update server when no URL is
 * pinned, downloads (reporting progress), checks the SHA-256 and, when a public key is given, the
 * RSA-SHA512 signature, and inspects the archive with commons-compress. Verified files are cached
 * under the state folder by checksum, so a resume does not download again.
 *
 * <p>Why one class of over 400 lines: fetching an artifact is one verified sequence (update server,
 * download with progress, SHA-256, signature, archive inspection, cache) whose error messages name
 * each check; each check is a short method.
 */
public final class ArtifactFetcher {
  private final Path cache;
  private final EventSink events;
  private final TemplateEngine templates;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();

  /**
   * Creates a fetcher.
   *
   * @param cache the folder for downloaded artifacts (e.g. {@code .orchestrator/artifacts})
   * @param events receives progress events
   * @param templates renders the artifact's fields
   */
  public ArtifactFetcher(Path cache, EventSink events, TemplateEngine templates) {
    this.cache = cache;
    this.events = events;
    this.templates = templates;
  }

  /**
   * Fetches and verifies an artifact.
   *
   * @param artifact the declaration
   * @param vars the vars its templates render with
   * @return the verified local file
   * @throws OrchestratorException (exit 3, paused) when it cannot be fetched or fails a check: the
   *     message says which and what to do
   * @throws dev.orchestrator.common.InputException (exit 2) when a URL it would use is not an
   *     absolute http(s) or file URL ({@link ArtifactSource#resolve}; checked before a run starts)
   */
  public FetchedArtifact fetch(Artifact artifact, Map<String, Object> vars) {
    String where = "artifact '" + artifact.id() + "' (" + artifact.location() + ")";
    ArtifactSource source = ArtifactSource.resolve(artifact, vars, templates);
    try {
      String url;
      Optional<String> signature = Optional.empty();
      if (source.url().isPresent()) {
        url = source.url().get().toString();
      } else {
        UpdateOffer offer = ask(artifact.updateServer().orElseThrow(), source, vars, where);
        url = offer.url();
        signature = offer.signature();
      }
      Optional<String> expected = source.sha256();
      if (expected.isEmpty() && source.sha256Url().isPresent()) {
        String text = get(source.sha256Url().get().toString(), where);
        expected = Optional.of(text.trim().split("\\s+")[0].toLowerCase(Locale.ROOT));
      }
      if (expected.isPresent() && !expected.get().matches("[0-9a-f]{64}")) {
        // it names the cached file: text from a sha256_url never becomes a path
        String shown =
            expected.get().length() > 80 ? expected.get().substring(0, 80) + "…" : expected.get();
        throw fail(
            where + ": the expected SHA-256 '" + shown + "' is not 64 hexadecimal digits",
            "check 'sha256' (or what 'sha256_url' serves: its first word must be the SHA-256), then resume");
      }
      if (expected.isPresent()) {
        Path cached = cache.resolve(expected.get());
        if (Files.isRegularFile(cached) && sha256(cached).equals(expected.get())) {
          events.emit(
              new Event.ArtifactReady(
                  Instant.now(), artifact.id(), url, Files.size(cached), expected.get(), true));
          return new FetchedArtifact(
              artifact.id(), cached, expected.get(), Files.size(cached), url);
        }
      }
      Path tmp = download(artifact.id(), url, where);
      String actual = sha256(tmp);
      if (expected.isPresent() && !expected.get().equals(actual)) {
        Files.deleteIfExists(tmp);
        throw fail(
            where + ": the SHA-256 of " + url + " is " + actual + ", expected " + expected.get(),
            "the download is corrupt or not the release you pinned: check sha256/sha256_url, then resume");
      }
      String publicKey = artifact.publicKey().map(k -> templates.render(k, vars).trim()).orElse("");
      if (signature.isPresent() && !publicKey.isEmpty()) {
        verifySignature(tmp, signature.get(), publicKey, where);
      }
      inspect(tmp, artifact, vars, where);
      dev.orchestrator.state.PrivateFiles.directories(cache); // 0700, as the state folder
      Path file = cache.resolve(actual);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      events.emit(
          new Event.ArtifactReady(
              Instant.now(), artifact.id(), url, Files.size(file), actual, false));
      return new FetchedArtifact(artifact.id(), file, actual, Files.size(file), url);
    } catch (IOException e) {
      throw fail(
          where + ": " + e.getMessage(), "check the URL and the controller's network, then resume");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw fail(where + ": interrupted", "resume the run");
    }
  }

  /** What the update server offered. */
  record UpdateOffer(String versionstring, String url, Optional<String> signature) {}

  private UpdateOffer ask(
      Artifact.UpdateServer server, ArtifactSource source, Map<String, Object> vars, String where)
      throws IOException, InterruptedException {
    String installed = templates.render(server.installedVersion(), vars).trim();
    String[] php = templates.render(server.phpVersion(), vars).trim().split("\\.");
    String channel = templates.render(server.channel(), vars).trim();
    // lib/Updater.php: version=<installed with '.'→'x'>xxx<channel>xx<build>x<php
    // major>x<minor>x<release>
    String query =
        installed.replace('.', 'x')
            + "xxx"
            + channel
            + "xx"
            + "x"
            + php[0]
            + "x"
            + (php.length > 1 ? php[1] : "0")
            + "x"
            + (php.length > 2 ? php[2] : "0");
    String base = source.updateServer().orElseThrow().toString();
    String body =
        get(
            base
                + (base.contains("?") ? "&" : "?")
                + "version="
                + URLEncoder.encode(query, StandardCharsets.UTF_8),
            where);
    if (body.isBlank()) {
      throw fail(
          where
              + ": the update server "
              + base
              + " offers no update for "
              + installed
              + " (channel "
              + channel
              + ")",
          "pin the release with url and sha256, or check installed_version and channel");
    }
    try {
      var factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Document doc = factory.newDocumentBuilder().parse(new InputSource(new StringReader(body)));
      String versionstring = text(doc, "versionstring");
      String url = text(doc, "url");
      if (text(doc, "autoupdater").equals("0")) {
        throw fail(
            where + ": the update server says the updater is disabled for " + versionstring,
            "update manually, or pin the release with url and sha256");
      }
      if (url.isEmpty()) {
        throw fail(
            where + ": the update server's answer has no <url>",
            "pin the release with url and sha256");
      }
      if (!offeredUrl(url)) {
        throw fail(
            where
                + ": the update server "
                + base
                + " offers \""
                + url
                + "\", which is not an absolute http(s) URL",
            "check the update_server url, or pin the release with url and sha256");
      }
      String sig = text(doc, "signature").replaceAll("\\s", "");
      return new UpdateOffer(
          versionstring, url, sig.isEmpty() ? Optional.empty() : Optional.of(sig));
    } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
      throw fail(
          where + ": the update server's answer is not the expected XML: " + e.getMessage(),
          "check the update_server url");
    }
  }

  private static String text(Document doc, String tag) {
    var nodes = doc.getElementsByTagName(tag);
    return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
  }

  /** Whether the update server's url is one to download: absolute http(s), never a local file. */
  private static boolean offeredUrl(String url) {
    try {
      URI uri = new URI(url);
      return ArtifactSource.fetchable(uri) && !"file".equalsIgnoreCase(uri.getScheme());
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** Reads a file: URL's file, as a missing or unreadable download pauses the run. */
  private static Path localFile(URI uri, String where) {
    Path file = Path.of(uri);
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw fail(
          where + ": " + uri + " is not a readable file on the controller",
          "check the path, then resume");
    }
    return file;
  }

  private String get(String url, String where) throws IOException, InterruptedException {
    URI uri = URI.create(url);
    if ("file".equalsIgnoreCase(uri.getScheme())) {
      return Files.readString(localFile(uri, where), StandardCharsets.UTF_8);
    }
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200 && r.statusCode() != 204) {
      throw fail(
          where + ": GET " + url + " returned HTTP " + r.statusCode(),
          "check the URL, then resume");
    }
    return r.body();
  }

  private Path download(String id, String url, String where)
      throws IOException, InterruptedException {
    URI uri = URI.create(url);
    InputStream body;
    long total;
    if ("file".equalsIgnoreCase(uri.getScheme())) {
      Path file = localFile(uri, where);
      total = Files.size(file);
      body = Files.newInputStream(file);
    } else {
      HttpResponse<InputStream> r =
          http.send(
              HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      if (r.statusCode() != 200) {
        r.body().close();
        throw fail(
            where + ": GET " + url + " returned HTTP " + r.statusCode(),
            "check the URL, then resume");
      }
      total = r.headers().firstValueAsLong("Content-Length").orElse(-1);
      body = r.body();
    }
    dev.orchestrator.state.PrivateFiles.directories(cache); // 0700, as the state folder
    Path tmp = Files.createTempFile(cache, id + "-", ".part");
    long done = 0;
    int reported = -1;
    try (InputStream in = body;
        OutputStream out = Files.newOutputStream(tmp)) {
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        done += n;
        int pct = total > 0 ? (int) (done * 100 / total) : -1;
        if (pct / 10 != reported / 10 || (total <= 0 && done % (8L << 20) < n)) {
          reported = pct;
          events.emit(new Event.ArtifactProgress(Instant.now(), id, done, total));
        }
      }
    }
    if (reported != 100) {
      events.emit(new Event.ArtifactProgress(Instant.now(), id, done, total));
    }
    return tmp;
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) >= 0) {
        digest.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  /** Nextcloud's check (lib/Updater.php verifyIntegrity): RSA-SHA512 over the whole archive. */
  private static void verifySignature(Path file, String signature, String keyFile, String where)
      throws IOException {
    try {
      String pem = Files.readString(Path.of(keyFile));
      PublicKey key;
      if (pem.contains("BEGIN CERTIFICATE")) {
        key =
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                .getPublicKey();
      } else {
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        key =
            KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
      }
      Signature verifier = Signature.getInstance("SHA512withRSA");
      verifier.initVerify(key);
      try (InputStream in = Files.newInputStream(file)) {
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
          verifier.update(buf, 0, n);
        }
      }
      if (!verifier.verify(Base64.getDecoder().decode(signature))) {
        throw fail(
            where
                + ": the signature of the download does not verify against "
                + keyFile
                + " ('Signature of update is not valid')",
            "do not install it: check the update server and the public key");
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw fail(
          where + ": cannot verify the signature with " + keyFile + ": " + e.getMessage(),
          "check public_key (a PEM public key or certificate)");
    }
  }

  /** Checks that the archive holds the expected entry, containing the expected text. */
  private void inspect(Path file, Artifact artifact, Map<String, Object> vars, String where)
      throws IOException {
    if (artifact.expectEntry().isEmpty()) {
      return;
    }
    String entryName = templates.render(artifact.expectEntry().get(), vars);
    Optional<String> contains = artifact.expectContains().map(c -> templates.render(c, vars));
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
      InputStream in = raw;
      try {
        in =
            new BufferedInputStream(new CompressorStreamFactory().createCompressorInputStream(raw));
      } catch (org.apache.commons.compress.compressors.CompressorException e) {
        // not compressed as a whole (e.g. a zip): read the archive directly
      }
      try (ArchiveInputStream<? extends ArchiveEntry> archive =
          new ArchiveStreamFactory().createArchiveInputStream(in)) {
        ArchiveEntry entry;
        while ((entry = archive.getNextEntry()) != null) {
          if (entry.getName().equals(entryName)) {
            String content = new String(archive.readAllBytes(), StandardCharsets.UTF_8);
            if (contains.isPresent() && !content.contains(contains.get())) {
              throw fail(
                  where
                      + ": "
                      + entryName
                      + " in the archive does not contain \""
                      + contains.get()
                      + "\"",
                  "the archive is not the release you expect: check the url and target version");
            }
            return;
          }
        }
      } catch (org.apache.commons.compress.archivers.ArchiveException e) {
        throw fail(
            where + ": the download is not an archive commons-compress can read: " + e.getMessage(),
            "check the url");
      }
    }
    throw fail(
        where + ": the archive has no " + entryName,
        "the archive is not the release you expect: check the url");
  }

  private static OrchestratorException fail(String message, String hint) {
    return new OrchestratorException(ErrorKind.UPSTREAM_FAILED, message, hint);
  }
}
