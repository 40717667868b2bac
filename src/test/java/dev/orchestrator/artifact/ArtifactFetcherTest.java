package dev.orchestrator.artifact;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.orchestrator.common.ErrorKind;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.common.SourceLocation;
import dev.orchestrator.playbook.Artifact;
import dev.orchestrator.report.Event;
import dev.orchestrator.template.TemplateEngine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The controller-side release fetch against WireMock as update server and download host. */
class ArtifactFetcherTest {
  @TempDir Path dir;
  private WireMockServer http;
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private ArtifactFetcher fetcher;
  private byte[] release;
  private KeyPair signer;

  @BeforeEach
  void start() throws Exception {
    http =
        new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    http.start();
    fetcher = new ArtifactFetcher(dir.resolve("cache"), events::add, new TemplateEngine());
    release = archive("28.0.14");
    http.stubFor(
        get(urlEqualTo("/server/releases/nextcloud-28.0.14.tar.bz2"))
            .willReturn(aResponse().withBody(release)));
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    signer = gen.generateKeyPair();
    Files.writeString(
        dir.resolve("key.pem"),
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(signer.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n");
  }

  @AfterEach
  void stop() {
    http.stop();
  }

  private static byte[] archive(String version) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new BZip2CompressorOutputStream(bytes))) {
      byte[] content =
          ("<?php\n$OC_VersionString = '" + version + "';\n").getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry e = new TarArchiveEntry("nextcloud/version.php");
      e.setSize(content.length);
      tar.putArchiveEntry(e);
      tar.write(content);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private String sign(byte[] b) throws Exception {
    Signature s = Signature.getInstance("SHA512withRSA");
    s.initSign(signer.getPrivate());
    s.update(b);
    return Base64.getEncoder().encodeToString(s.sign());
  }

  private Artifact pinned(String sha) {
    return new Artifact(
        "release",
        "http://127.0.0.1:" + http.port() + "/server/releases/nextcloud-{{ v }}.tar.bz2",
        Optional.of(sha),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of("nextcloud/version.php"),
        Optional.of("OC_VersionString = '{{ v }}'"),
        new SourceLocation(Path.of("pb.yml"), 1, 1));
  }

  @Test
  void aPinnedReleaseIsDownloadedVerifiedInspectedAndCached() throws Exception {
    FetchedArtifact a = fetcher.fetch(pinned(sha256(release)), Map.of("v", "28.0.14"));
    assertEquals(sha256(release), a.sha256());
    assertEquals(release.length, a.size());
    assertTrue(
        events.stream()
            .anyMatch(e -> e instanceof Event.ArtifactProgress p && p.bytes() == release.length));
    FetchedArtifact again = fetcher.fetch(pinned(sha256(release)), Map.of("v", "28.0.14"));
    assertEquals(a.file(), again.file());
    http.verify(1, getRequestedFor(urlEqualTo("/server/releases/nextcloud-28.0.14.tar.bz2")));
  }

  @Test
  void aWrongChecksumPausesWithBothSums() {
    OrchestratorException e =
        assertThrows(
            OrchestratorException.class,
            () -> fetcher.fetch(pinned("00ff".repeat(16)), Map.of("v", "28.0.14")));
    assertEquals(ErrorKind.UPSTREAM_FAILED, e.kind());
    assertTrue(e.getMessage().contains("expected " + "00ff".repeat(16)), e.getMessage());
  }

  @Test
  void aSha256UrlServingAPathNeverReachesTheFileSystem() throws Exception {
    // given a sums file whose first word is a path out of the cache, and a file there
    http.stubFor(
        get(urlEqualTo("/server/releases/sums"))
            .willReturn(aResponse().withBody("../secret  nextcloud-28.0.14.tar.bz2\n")));
    Files.writeString(dir.resolve("secret"), "not a release");
    Artifact viaUrl =
        new Artifact(
            "release",
            "http://127.0.0.1:" + http.port() + "/server/releases/nextcloud-{{ v }}.tar.bz2",
            Optional.empty(),
            Optional.of("http://127.0.0.1:" + http.port() + "/server/releases/sums"),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            new SourceLocation(Path.of("pb.yml"), 1, 1));

    // when the artifact is fetched
    OrchestratorException e =
        assertThrows(
            OrchestratorException.class, () -> fetcher.fetch(viaUrl, Map.of("v", "28.0.14")));

    // then it pauses saying the sum is not one, before downloading or caching anything
    assertEquals(ErrorKind.UPSTREAM_FAILED, e.kind());
    assertTrue(e.getMessage().contains("'../secret' is not 64 hexadecimal digits"), e.getMessage());
    assertEquals("not a release", Files.readString(dir.resolve("secret")));
    assertFalse(Files.exists(dir.resolve("cache")), "nothing cached");
    http.verify(0, getRequestedFor(urlEqualTo("/server/releases/nextcloud-28.0.14.tar.bz2")));
  }

  @Test
  void anArchiveOfAnotherVersionIsRefused() throws Exception {
    byte[] other = archive("27.1.11");
    http.stubFor(
        get(urlEqualTo("/server/releases/nextcloud-28.0.14.tar.bz2"))
            .willReturn(aResponse().withBody(other)));
    OrchestratorException e =
        assertThrows(
            OrchestratorException.class,
            () -> fetcher.fetch(pinned(sha256(other)), Map.of("v", "28.0.14")));
    assertTrue(
        e.getMessage()
            .contains(
                "nextcloud/version.php in the archive does not contain \"OC_VersionString = '28.0.14'\""),
        e.getMessage());
  }

  private Artifact fromUpdateServer() {
    return new Artifact(
        "release",
        "",
        Optional.empty(),
        Optional.empty(),
        Optional.of(
            new Artifact.UpdateServer(
                "http://127.0.0.1:" + http.port() + "/updater_server/",
                "27.1.11.0",
                "stable",
                "8.2.20")),
        Optional.of(dir.resolve("key.pem").toString()),
        Optional.of("nextcloud/version.php"),
        Optional.empty(),
        new SourceLocation(Path.of("pb.yml"), 1, 1));
  }

  private void offer(String signature) {
    http.stubFor(
        get(urlPathEqualTo("/updater_server/"))
            .willReturn(
                aResponse()
                    .withBody(
                        "<?xml version=\"1.0\"?>\n<nextcloud><version>28.0.14.1</version><versionstring>Nextcloud 28.0.14</versionstring>"
                            + "<url>http://127.0.0.1:"
                            + http.port()
                            + "/server/releases/nextcloud-28.0.14.tar.bz2</url>"
                            + "<web>https://docs.nextcloud.com/</web><changes>https://updates.nextcloud.com/changelog_server/</changes>"
                            + "<autoupdater>1</autoupdater><eol>0</eol><signature>"
                            + signature
                            + "</signature></nextcloud>")));
  }

  @Test
  void theUpdateServerIsAskedInTheUpdatersFormatAndItsSignatureChecked() throws Exception {
    offer(sign(release));
    FetchedArtifact a = fetcher.fetch(fromUpdateServer(), Map.of());
    assertEquals(sha256(release), a.sha256());
    // lib/Updater.php: version=27x1x11x0xxxstablexx<build>x8x2x20
    http.verify(
        getRequestedFor(urlEqualTo("/updater_server/?version=27x1x11x0xxxstablexxx8x2x20")));
  }

  @Test
  void aBadSignatureIsRefused() throws Exception {
    offer(sign("something else".getBytes(StandardCharsets.UTF_8)));
    OrchestratorException e =
        assertThrows(
            OrchestratorException.class, () -> fetcher.fetch(fromUpdateServer(), Map.of()));
    assertTrue(e.getMessage().contains("Signature of update is not valid"), e.getMessage());
  }

  @Test
  void noUpdateOnOfferIsExplained() {
    http.stubFor(get(urlPathEqualTo("/updater_server/")).willReturn(aResponse().withBody("")));
    OrchestratorException e =
        assertThrows(
            OrchestratorException.class, () -> fetcher.fetch(fromUpdateServer(), Map.of()));
    assertTrue(
        e.getMessage().contains("offers no update for 27.1.11.0 (channel stable)"), e.getMessage());
  }
}
