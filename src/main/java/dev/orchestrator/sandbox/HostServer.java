package dev.orchestrator.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.KeySetPublickeyAuthenticator;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;

/**
 * One simulated host: an in-process SSH server (Apache MINA SSHD) on loopback that runs every
 * {@code exec} request as a real {@code /bin/sh} process in the host's folder. Public-key auth
 * only, with its own persistent host key. Used by the sandbox fleet and by the integration tests.
 */
public final class HostServer implements AutoCloseable {
  private final SshServer server;
  private final PublicKey hostKey;

  private HostServer(SshServer server, PublicKey hostKey) {
    this.server = server;
    this.hostKey = hostKey;
  }

  /**
   * Starts a server.
   *
   * @param port the port on 127.0.0.1, or 0 for any free port
   * @param home the host's folder: commands run there, with {@code HOME} set to it
   * @param hostKeyFile where the host key is kept (generated on first use, EC P-256)
   * @param authorizedKey the only client key allowed in
   * @return the running server
   * @throws IOException if it cannot listen (e.g. the port is taken)
   */
  public static HostServer start(int port, Path home, Path hostKeyFile, PublicKey authorizedKey)
      throws IOException {
    java.nio.file.Files.createDirectories(hostKeyFile.toAbsolutePath().getParent());
    SshServer sshd = SshServer.setUpDefaultServer();
    sshd.setHost("127.0.0.1");
    sshd.setPort(port);
    SimpleGeneratorHostKeyProvider keys = new SimpleGeneratorHostKeyProvider(hostKeyFile);
    keys.setAlgorithm(KeyUtils.EC_ALGORITHM);
    keys.setKeySize(256);
    sshd.setKeyPairProvider(keys);
    sshd.setPublickeyAuthenticator(
        new KeySetPublickeyAuthenticator("sandbox", List.of(authorizedKey)));
    sshd.setCommandFactory((channel, command) -> new ShellCommand(command, home));
    sshd.setSubsystemFactories(List.of(new org.apache.sshd.sftp.server.SftpSubsystemFactory()));
    sshd.setFileSystemFactory(
        org.apache.sshd.common.file.nativefs.NativeFileSystemFactory.INSTANCE);
    sshd.start();
    PublicKey hostKey;
    try {
      KeyPair pair = keys.loadKey(null, KeyPairProvider.ECDSA_SHA2_NISTP256);
      hostKey = pair.getPublic();
    } catch (GeneralSecurityException e) {
      sshd.stop(true);
      throw new IOException(
          "cannot load the sandbox host key " + hostKeyFile + ": " + e.getMessage(), e);
    }
    return new HostServer(sshd, hostKey);
  }

  /** Returns the port it listens on. */
  public int port() {
    return server.getPort();
  }

  /** Returns its known_hosts line, e.g. {@code [127.0.0.1]:2222 ecdsa-sha2-nistp256 AAAA...}. */
  public String knownHostsLine() {
    return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(hostKey);
  }

  /** Stops it at once, closing open sessions (as a host that goes down). */
  @Override
  public void close() throws IOException {
    server.stop(true);
  }
}
