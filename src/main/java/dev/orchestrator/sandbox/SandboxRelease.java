package dev.orchestrator.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

/**
 * A simulated Nextcloud release: its code files (version.php, occ, the updater stand-in...), which
 * must agree with one another, and its archives as download.nextcloud.com publishes them.
 */
final class SandboxRelease {
  private SandboxRelease() {}

  /** Writes a release's tar.bz2 and zip archives with their .sha256 files into {@code releases}. */
  static void write(Path releases, String version) throws IOException {
    Path archive = releases.resolve("nextcloud-" + version + ".tar.bz2");
    try (OutputStream file = Files.newOutputStream(archive);
        BZip2CompressorOutputStream bz = new BZip2CompressorOutputStream(file);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(bz)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, String> f : codeFiles(version).entrySet()) {
        byte[] content = f.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry("nextcloud/" + f.getKey());
        entry.setSize(content.length);
        entry.setModTime(java.nio.file.attribute.FileTime.from(SandboxFleet.CODE_MTIME));
        entry.setMode(f.getKey().equals("occ") ? 0100755 : 0100644);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    Files.writeString(
        archive.resolveSibling(archive.getFileName() + ".sha256"),
        sha256(archive) + "  " + archive.getFileName() + "\n");
    // the zip beside it, as download.nextcloud.com publishes both: the updater takes only zip
    Path zip = releases.resolve("nextcloud-" + version + ".zip");
    try (java.util.zip.ZipOutputStream out =
        new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
      for (Map.Entry<String, String> f : codeFiles(version).entrySet()) {
        java.util.zip.ZipEntry entry = new java.util.zip.ZipEntry("nextcloud/" + f.getKey());
        entry.setLastModifiedTime(java.nio.file.attribute.FileTime.from(SandboxFleet.CODE_MTIME));
        out.putNextEntry(entry);
        out.write(f.getValue().getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    Files.writeString(
        zip.resolveSibling(zip.getFileName() + ".sha256"),
        sha256(zip) + "  " + zip.getFileName() + "\n");
  }

  /** The code files of a simulated release: what the updater and occ look at. */
  static Map<String, String> codeFiles(String version) throws IOException {
    String[] v = (version + ".0.0").split("\\.");
    int major = Integer.parseInt(v[0]);
    StringBuilder from = new StringBuilder();
    for (int m = major - 1; m <= major; m++) {
      for (int minor = 0; minor <= 9; minor++) {
        from.append("'").append(m).append('.').append(minor).append("' => true, ");
      }
    }
    Map<String, String> files = new LinkedHashMap<>();
    files.put(
        "version.php",
        String.join(
            "\n",
            "<?php",
            "$OC_Version = array(" + v[0] + "," + v[1] + "," + v[2] + ",0);",
            "$OC_VersionString = '" + version + "';",
            "$OC_Edition = '';",
            "$OC_Channel = 'stable';",
            "$OC_VersionCanBeUpgradedFrom = array ('nextcloud' => array ("
                + from
                + "), 'owncloud' => array ());",
            "$OC_Build = 'sandbox';",
            "$vendor = 'nextcloud';",
            ""));
    files.put("occ", resource("/sandbox/occ"));
    files.put(
        "index.php",
        "<?php\n// Nextcloud " + version + " (sandbox)\nrequire_once __DIR__ . '/lib/base.php';\n");
    files.put("status.php", "<?php\n// Nextcloud " + version + " status endpoint (sandbox)\n");
    files.put(
        "cron.php",
        "#!/bin/sh\n# Nextcloud "
            + version
            + " background jobs (sandbox)\necho \"ran background jobs\"\n");
    files.put("lib/base.php", "<?php\n// Nextcloud " + version + " core (sandbox)\n");
    // each major ships its own front-end bundle: an update adds one file and drops another
    files.put("dist/core-main-" + major + ".js", "// Nextcloud " + version + " front end\n");
    files.put("core/shipped.json", "{\"shippedApps\":[\"files\"],\"alwaysEnabled\":[\"files\"]}\n");
    files.put(
        "config/config.sample.php",
        "<?php\n// sample configuration of Nextcloud " + version + "\n");
    files.put(
        "apps/files/appinfo/info.xml",
        "<info><id>files</id><version>" + version + "</version></info>\n");
    // the rest of a real release's top level (nextcloud-28 and later archives), small
    files.put(".htaccess", "# Nextcloud " + version + " (sandbox)\n");
    files.put(".user.ini", "upload_max_filesize=511M\n");
    files.put("AUTHORS", "Nextcloud contributors\n");
    files.put("COPYING", "GNU AFFERO GENERAL PUBLIC LICENSE (sandbox)\n");
    files.put("LICENSES/AGPL-3.0-or-later.txt", "GNU AFFERO GENERAL PUBLIC LICENSE (sandbox)\n");
    files.put("REUSE.toml", "version = 1\n");
    files.put("robots.txt", "User-agent: *\nDisallow: /\n");
    files.put("console.php", "<?php\n// Nextcloud " + version + " console (sandbox)\n");
    files.put("public.php", "<?php\n// Nextcloud " + version + " public entry point (sandbox)\n");
    files.put("remote.php", "<?php\n// Nextcloud " + version + " remote entry point (sandbox)\n");
    files.put("ocs/v1.php", "<?php\n// Nextcloud " + version + " OCS v1 (sandbox)\n");
    files.put("ocs/v2.php", "<?php\n// Nextcloud " + version + " OCS v2 (sandbox)\n");
    files.put("3rdparty/autoload.php", "<?php\n// Nextcloud " + version + " libraries (sandbox)\n");
    files.put("resources/config/mimetypemapping.dist.json", "{}\n");
    // the built-in updater every release ships: a stand-in run by the sandbox's php (see the file)
    files.put("updater/updater.phar", resource("/sandbox/updater.phar"));
    return files;
  }

  /** Reads a file the sandbox ships in the jar ({@code /sandbox/...}). */
  static String resource(String name) throws IOException {
    try (InputStream in = SandboxRelease.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("the sandbox file " + name + " is missing from the installation");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String sha256(Path file) throws IOException {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
