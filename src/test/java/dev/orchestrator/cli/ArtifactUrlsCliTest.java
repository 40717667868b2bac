package dev.orchestrator.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Where an artifact comes from, through the CLI (issue 12, "Bugs found"): the update-server route
 * of the Nextcloud playbook ({@code release_url: ""}, {@code release_sha256_url} defaulting to
 * {@code "{{ release_url }}.sha256"}) fetches from the update server, and an artifact URL that is
 * not an absolute http(s) or file URL is an input error before anything runs, never exit 1.
 */
class ArtifactUrlsCliTest {
  /** The CLI under test; its local hosts live in the test's home folder (set per test). */
  private Cli.Session cli =
      Cli.withLocalHome(java.nio.file.Path.of(System.getProperty("user.home")));

  @TempDir Path dir;
  private WireMockServer http;
  private byte[] release;

  @BeforeEach
  void start(@TempDir Path home) throws Exception {
    cli = Cli.withLocalHome(home);
    http =
        new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    http.start();
    release = archive("28.0.14");
    http.stubFor(
        get(urlEqualTo("/server/releases/nextcloud-28.0.14.tar.bz2"))
            .willReturn(aResponse().withBody(release)));
    // as updates.nextcloud.com answers (nextcloud-releases/updater_server BaseResponse)
    http.stubFor(
        get(urlPathEqualTo("/updater_server/"))
            .willReturn(
                aResponse()
                    .withBody(
                        "<?xml version=\"1.0\"?>\n<nextcloud><version>28.0.14.1</version>"
                            + "<versionstring>Nextcloud 28.0.14</versionstring><url>"
                            + base()
                            + "/server/releases/nextcloud-28.0.14.tar.bz2</url>"
                            + "<autoupdater>1</autoupdater><eol>0</eol></nextcloud>")));
  }

  @AfterEach
  void stop() {
    http.stop();
  }

  private String base() {
    return "http://127.0.0.1:" + http.port();
  }

  private static byte[] archive(String version) throws Exception {
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

  /** The Nextcloud playbook's artifact declaration and defaults, with these vars on top. */
  private void playbook(String releaseUrl, String sha256Url, String updateServer) throws Exception {
    Files.writeString(
        dir.resolve("pb.yml"),
        "vars:\n"
            + "  target_version: \"28.0.14\"\n"
            + "  release_url: \""
            + releaseUrl
            + "\"\n"
            + "  release_sha256: \"\"\n"
            + "  release_sha256_url: \""
            + sha256Url
            + "\"\n"
            + "  update_server: \""
            + updateServer
            + "\"\n"
            + "artifacts:\n"
            + "  - id: release\n"
            + "    url: \"{{ release_url }}\"\n"
            + "    sha256: \"{{ release_sha256 }}\"\n"
            + "    sha256_url: \"{{ release_sha256_url }}\"\n"
            + "    update_server:\n"
            + "      url: \"{{ update_server }}\"\n"
            + "      installed_version: \"27.1.11.0\"\n"
            + "    expect:\n"
            + "      entry: nextcloud/version.php\n"
            + "      contains: \"OC_VersionString = '{{ target_version }}'\"\n"
            + "steps:\n"
            + "  - id: upload-release\n"
            + "    upload: {artifact: release, dest: \""
            + dir.resolve("host/release.tar.bz2")
            + "\"}\n");
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1:\n      connection: local\n");
  }

  private Cli.Result cli(String command) {
    return command.equals("run")
        ? cli.run(
            "run",
            dir.resolve("pb.yml").toString(),
            "-i",
            dir.resolve("inv.yml").toString(),
            "--state-dir",
            dir.resolve("state").toString())
        : cli.run(
            command, dir.resolve("pb.yml").toString(), "-i", dir.resolve("inv.yml").toString());
  }

  @Test
  void theUpdateServerRouteWithTheDefaultSha256UrlFetchesTheOfferedRelease() throws Exception {
    // given the playbook's update-server route: release_url empty, sha256_url its default
    playbook("", "{{ release_url }}.sha256", base() + "/updater_server/");
    Files.createDirectories(dir.resolve("host"));
    // when it runs
    Cli.Result r = cli("run");
    // then the update server is asked, its offer downloaded and uploaded, and the run succeeds
    assertEquals(0, r.exitCode(), r.out() + r.err());
    http.verify(getRequestedFor(urlPathEqualTo("/updater_server/")));
    assertArrayEquals(release, Files.readAllBytes(dir.resolve("host/release.tar.bz2")));
    Cli.Result status =
        cli.run("status", r.runId(), "--state-dir", dir.resolve("state").toString());
    assertTrue(status.out().contains("succeeded"), status.out() + status.err());
  }

  @Test
  void aPinnedFileUrlWithItsSha256FileBesideItIsFetched() throws Exception {
    // given a release on the controller's disk, with its .sha256 beside it (file: URLs)
    Path local = dir.resolve("mirror/nextcloud-28.0.14.tar.bz2");
    Files.createDirectories(local.getParent());
    Files.write(local, release);
    Files.writeString(
        dir.resolve("mirror/nextcloud-28.0.14.tar.bz2.sha256"),
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(release))
            + "  nextcloud-28.0.14.tar.bz2\n");
    playbook(local.toUri().toString(), "{{ release_url }}.sha256", "");
    Files.createDirectories(dir.resolve("host"));
    // when it runs
    Cli.Result r = cli("run");
    // then it is read from disk, checked and uploaded
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertArrayEquals(release, Files.readAllBytes(dir.resolve("host/release.tar.bz2")));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // case | release_url | release_sha256_url | update_server | the field named in the error
        "relative url | downloads/nextcloud.tar.bz2 | '' | '' | 'url' ({{ release_url }}) renders to"
            + " \"downloads/nextcloud.tar.bz2\"",
        "ftp url | ftp://mirror.example.org/nextcloud.tar.bz2 | '' | '' | 'url' ({{ release_url }})"
            + " renders to \"ftp://mirror.example.org/nextcloud.tar.bz2\"",
        "url with a space | http://mirror.example.org/next cloud.tar.bz2 | '' | '' | 'url'"
            + " ({{ release_url }}) renders to \"http://mirror.example.org/next cloud.tar.bz2\","
            + " which is not a URL",
        "relative sha256_url | http://127.0.0.1:1/nextcloud.tar.bz2 | sums/nextcloud.sha256 | '' |"
            + " 'sha256_url' ({{ release_sha256_url }}) renders to \"sums/nextcloud.sha256\"",
        "no url and no update server url | '' | '{{ release_url }}.sha256' | '' | 'url' renders"
            + " empty, so the update server is asked, but 'update_server.url' ({{ update_server }})"
            + " renders empty too",
        "relative update server | '' | '{{ release_url }}.sha256' | updater_server/ |"
            + " 'update_server.url' ({{ update_server }}) renders to \"updater_server/\"",
      })
  void anArtifactUrlThatIsNotAbsoluteIsAnInputErrorBeforeAnythingRuns(
      String name, String releaseUrl, String sha256Url, String updateServer, String expected)
      throws Exception {
    // given an artifact whose URL renders to something the fetcher cannot use
    playbook(releaseUrl, sha256Url, updateServer);
    for (String command : new String[] {"validate", "plan", "run"}) {
      // when it is validated, planned or run
      Cli.Result r = cli(command);
      // then: exit 2, where, the artifact, the field and its template, what it rendered to
      assertEquals(2, r.exitCode(), command + ": " + r.out() + r.err());
      assertTrue(r.err().contains(dir.resolve("pb.yml") + ":"), r.err());
      assertTrue(r.err().contains("artifact 'release': " + expected), r.err());
      assertTrue(r.err().contains("hint: "), r.err());
      assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }
    // and nothing was written or fetched
    assertFalse(Files.exists(dir.resolve("state")), "nothing written");
    assertFalse(Files.exists(dir.resolve("host")), "nothing uploaded");
    assertEquals(0, http.getAllServeEvents().size(), "nothing fetched");
  }
}
