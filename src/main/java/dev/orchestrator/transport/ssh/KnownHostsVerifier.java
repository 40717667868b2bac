package dev.orchestrator.transport.ssh;

import dev.orchestrator.template.ShellQuote;
import java.io.File;
import java.io.IOException;
import java.security.PublicKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * Checks host keys against an OpenSSH known_hosts file. An unknown key is refused, or recorded when
 * new keys are accepted ({@code --accept-new-host-keys}, OpenSSH's {@code
 * StrictHostKeyChecking=accept-new}); a changed key is always refused. The reason of the last
 * refusal per host is kept for the error message. Shared by all connections of a run.
 */
final class KnownHostsVerifier extends OpenSSHKnownHosts {
  private final boolean acceptNew;
  private final Map<String, String> refusals = new ConcurrentHashMap<>();

  private KnownHostsVerifier(File file, boolean acceptNew) throws IOException {
    // sshj logs a line it cannot parse with its content: a wrong file (~/.pgpass) must not be shown
    super(file, QUIET);
    this.acceptNew = acceptNew;
  }

  /** sshj's loggers for the known_hosts file: none (the content of a wrong file is never shown). */
  private static final net.schmizz.sshj.common.LoggerFactory QUIET =
      new net.schmizz.sshj.common.LoggerFactory() {
        @Override
        public org.slf4j.Logger getLogger(String name) {
          return org.slf4j.helpers.NOPLogger.NOP_LOGGER;
        }

        @Override
        public org.slf4j.Logger getLogger(Class<?> clazz) {
          return org.slf4j.helpers.NOPLogger.NOP_LOGGER;
        }
      };

  /**
   * Reads a known_hosts file (that need not exist yet).
   *
   * @throws IOException when it is not a regular file of at most {@link
   *     SshFiles#MAX_KNOWN_HOSTS_BYTES} ({@code /dev/zero}, {@code /proc/self/environ}, a folder),
   *     cannot be read, or is not a known_hosts file; the message never quotes its content
   */
  static KnownHostsVerifier read(java.nio.file.Path file, boolean acceptNew) throws IOException {
    if (java.nio.file.Files.exists(file)) {
      java.util.Optional<String> problem = SshFiles.problem(file, SshFiles.MAX_KNOWN_HOSTS_BYTES);
      if (problem.isPresent()) {
        throw new IOException(problem.get());
      }
    }
    try {
      return new KnownHostsVerifier(file.toFile(), acceptNew);
    } catch (RuntimeException e) {
      // sshj's parser fails on some bytes with unchecked exceptions (NumberFormatException, ...)
      // whose messages quote the file: only the kind is named
      throw new IOException(
          "it is not an OpenSSH known_hosts file (" + e.getClass().getSimpleName() + ")");
    }
  }

  @Override
  public synchronized boolean verify(String hostname, int port, PublicKey key) {
    return super.verify(hostname, port, key);
  }

  @Override
  protected boolean hostKeyUnverifiableAction(String hostname, PublicKey key) {
    if (acceptNew) {
      try {
        File parent = getFile().getAbsoluteFile().getParentFile();
        if (parent != null) {
          parent.mkdirs();
        }
        write(new HostEntry(null, hostname, KeyType.fromKey(key), key));
        return true;
      } catch (IOException e) {
        refusals.put(
            hostname, "its key could not be recorded in " + getFile() + ": " + e.getMessage());
        return false;
      }
    }
    refusals.put(
        hostname,
        "its host key ("
            + KeyType.fromKey(key)
            + " "
            + fingerprint(key)
            + ") is not in "
            + getFile()
            + ". Verify the fingerprint with the host's administrator, then add it: ssh-keyscan "
            + keyscanArgs(hostname)
            + " >> "
            + ShellQuote.quote(getFile().toString())
            + " (or rerun with --accept-new-host-keys to record new keys automatically)");
    return false;
  }

  @Override
  protected boolean hostKeyChangedAction(String hostname, PublicKey key) {
    refusals.put(
        hostname,
        "ITS HOST KEY HAS CHANGED: the key offered ("
            + KeyType.fromKey(key)
            + " "
            + fingerprint(key)
            + ") differs from the one in "
            + getFile()
            + ". This may be an attack, or the host was reinstalled. If you are sure it is legitimate, remove the old key with: ssh-keygen -R "
            + ShellQuote.quote(hostname)
            + " -f "
            + ShellQuote.quote(getFile().toString())
            + " (--accept-new-host-keys never replaces a changed key)");
    return false;
  }

  /**
   * Returns and forgets why {@code hostname} (as {@code [host]:port} for ports other than 22) was
   * refused.
   */
  String refusal(String address, int port) {
    String key = port == 22 ? address : "[" + address + "]:" + port;
    return refusals.remove(key);
  }

  /**
   * A host key's fingerprint as {@code ssh-keygen -l} prints it (OpenSSH's default since 6.8):
   * {@code SHA256:} and the unpadded base64 of the SHA-256 of the key's SSH wire encoding (RFC 4253
   * section 6.6), the form an administrator compares with.
   *
   * @param key the host's public key
   * @return e.g. {@code SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8}
   */
  static String fingerprint(PublicKey key) {
    byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    try {
      byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(blob);
      return "SHA256:" + java.util.Base64.getEncoder().withoutPadding().encodeToString(hash);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /**
   * {@code ssh-keyscan}'s arguments for {@code hostname} ({@code [host]:port} for another port),
   * each quoted for the shell ({@link ShellQuote}): the hint is copied and pasted.
   */
  static String keyscanArgs(String hostname) {
    if (hostname.startsWith("[")) {
      int close = hostname.indexOf("]:");
      return "-p "
          + ShellQuote.quote(hostname.substring(close + 2))
          + " "
          + ShellQuote.quote(hostname.substring(1, close));
    }
    return ShellQuote.quote(hostname);
  }
}
