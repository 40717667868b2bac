package dev.orchestrator.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The failures the field knows, injected into a sandbox host for the operator to meet. */
final class SandboxFailures {
  private final SandboxFleet fleet;

  SandboxFailures(SandboxFleet fleet) {
    this.fleet = fleet;
  }

  /**
   * Injects a failure the field knows into a host.
   *
   * @param kind {@code upgrade-fails} (occ upgrade exits 5, maintenance stays on), {@code
   *     low-memory} (memory_limit 128M), {@code stale-step} (a {@code .step} left by a killed
   *     updater, with its downloaded archive), {@code oom-step} (the same left by PHP running out
   *     of memory, named in PHP's error log), {@code stray-file} (an unknown file in the web root)
   * @param host the host
   * @return the file that makes the failure; fixing it is the operator's job
   * @throws IllegalArgumentException for an unknown host or kind
   */
  Path inject(String kind, String host) throws IOException {
    Path root = fleet.nextcloudRoot(host);
    switch (kind) {
      case "upgrade-fails" -> {
        return fleet.injectFailure(host);
      }
      case "low-memory" -> {
        Path ini = fleet.home(host).resolve("php.ini");
        Files.writeString(ini, "; simulated php.ini of " + host + "\nmemory_limit = 128M\n");
        return ini;
      }
      case "stale-step" -> {
        String id = "oc" + Integer.toHexString(host.hashCode() & 0xfffffff);
        Path updater = root.resolve("data").resolve("updater-" + id);
        Files.createDirectories(updater.resolve("downloads"));
        Files.writeString(
            updater.resolve("downloads/nextcloud-" + fleet.layout().toVersion() + ".zip"),
            "a complete archive from the killed run\n");
        Path step = updater.resolve(".step");
        Files.writeString(step, "{\"state\":\"start\",\"step\":5}");
        step.toFile().setLastModified(System.currentTimeMillis() - 3 * 3600_000L);
        return step;
      }
      case "oom-step" -> {
        // what the stable33 updater leaves when PHP runs out of memory at "Verify integrity"
        // (it loads the whole archive, Updater.php verifyIntegrity()): state start 5, the fatal
        // error in PHP's error log (here the error_log of the host's php.ini)
        Path step = inject("stale-step", host);
        Path errors = fleet.home(host).resolve("php-errors.log");
        Files.writeString(
            errors,
            "PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate"
                + " 155248904 bytes) in phar://"
                + root.resolve("updater/updater.phar")
                + "/lib/Updater.php on line 874\n");
        Files.writeString(
            fleet.home(host).resolve("php.ini"),
            "; simulated php.ini of "
                + host
                + "\nmemory_limit = 512M\nerror_log = "
                + errors
                + "\n");
        return step;
      }
      case "stray-file" -> {
        Path stray = root.resolve("nextcloud-backup-old.tar.gz");
        Files.writeString(stray, "an old backup someone left in the web root\n");
        return stray;
      }
      default ->
          throw new IllegalArgumentException(
              "unknown failure '"
                  + kind
                  + "'; use upgrade-fails, low-memory, stale-step, oom-step or stray-file");
    }
  }
}
