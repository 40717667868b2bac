package dev.orchestrator.transport.ssh;

import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.Connector;
import dev.orchestrator.transport.Endpoint;
import dev.orchestrator.transport.TransportException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.userauth.UserAuthException;

/**
 * {@code connection: ssh} through sshj: one SSH connection per host, public-key authentication,
 * host keys checked against known_hosts, keep-alives every 15 s. A host's commands run one after
 * another in one long-lived shell on that connection ({@link RemoteShell}); with {@code
 * persistentShell} off, or where the server gives no usable shell, each {@link Connection#exec}
 * opens a session channel of its own.
 *
 * <p>This class configures sshj and opens the connection (host key checking, key loading and their
 * error messages for the operator, keep-alives); {@link SshConnection} runs commands on it.
 */
public final class SshConnector implements Connector {
  /** TCP connect and SSH handshake timeout: 20 s. */
  public static final int CONNECT_TIMEOUT_MS = 20_000;

  private final DefaultConfig config = new DefaultConfig();
  private final KnownHostsVerifier verifier;
  private final Path knownHosts;
  private final boolean persistentShell;

  /**
   * Creates a connector.
   *
   * @param knownHosts the known_hosts file (it need not exist yet)
   * @param acceptNewHostKeys whether to record unknown host keys instead of refusing them
   * @throws IOException if the known_hosts file exists but cannot be read
   */
  public SshConnector(Path knownHosts, boolean acceptNewHostKeys) throws IOException {
    this(knownHosts, acceptNewHostKeys, true);
  }

  /**
   * Creates a connector.
   *
   * @param knownHosts the known_hosts file (it need not exist yet)
   * @param acceptNewHostKeys whether to record unknown host keys instead of refusing them
   * @param persistentShell true: a host's commands run one after another in one long-lived shell
   *     ({@link RemoteShell}); false: each command opens its own exec channel (slower by a channel,
   *     a process and an rc file per command; {@code --ssh-exec-per-step})
   * @throws IOException if the known_hosts file exists but cannot be read, is not a regular file
   *     ({@link SshFiles}) or is not a known_hosts file; the message never quotes its content
   */
  public SshConnector(Path knownHosts, boolean acceptNewHostKeys, boolean persistentShell)
      throws IOException {
    this.persistentShell = persistentShell;
    this.knownHosts = knownHosts;
    this.verifier = KnownHostsVerifier.read(knownHosts, acceptNewHostKeys);
    config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
    // AES-GCM first: the JDK's AES and GHASH run on CPU instructions, while sshj's
    // chacha20-poly1305 is pure Java (issue #6; both are among OpenSSH's default ciphers).
    java.util.List<net.schmizz.sshj.common.Factory.Named<net.schmizz.sshj.transport.cipher.Cipher>>
        ciphers = new java.util.ArrayList<>(config.getCipherFactories());
    ciphers.sort(java.util.Comparator.comparingInt(f -> f.getName().contains("-gcm") ? 0 : 1));
    config.setCipherFactories(ciphers);
  }

  /**
   * Connection setup is tried this often, with a doubling pause from 500 ms (not step commands).
   */
  public static final int CONNECT_ATTEMPTS = 3;

  @Override
  public Connection open(String host, Endpoint spec) throws TransportException {
    TransportException last = null;
    for (int attempt = 1; attempt <= CONNECT_ATTEMPTS; attempt++) {
      try {
        return openOnce(host, spec);
      } catch (TransportException e) {
        if (e.kind() != TransportException.Kind.CONNECT) {
          throw e; // a refused host key or login does not get better by retrying
        }
        last = e;
        if (attempt < CONNECT_ATTEMPTS) {
          try {
            Thread.sleep(500L << (attempt - 1));
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw e;
          }
        }
      }
    }
    throw new TransportException(
        TransportException.Kind.CONNECT,
        last.getMessage() + " (tried " + CONNECT_ATTEMPTS + " times)",
        last);
  }

  private Connection openOnce(String host, Endpoint spec) throws TransportException {
    SSHClient client = new SSHClient(config);
    client.addHostKeyVerifier(verifier);
    client.setConnectTimeout(CONNECT_TIMEOUT_MS);
    client.setTimeout(0);
    String where = host + " (" + spec + ")";
    try {
      client.connect(spec.address(), spec.port());
    } catch (UnknownHostException e) {
      closeQuietly(client);
      throw new TransportException(
          TransportException.Kind.CONNECT,
          "cannot resolve "
              + spec.address()
              + " for "
              + where
              + ": check ansible_host in the inventory",
          e);
    } catch (ConnectException | SocketTimeoutException e) {
      closeQuietly(client);
      throw new TransportException(
          TransportException.Kind.CONNECT,
          "cannot connect to "
              + where
              + ": "
              + e.getMessage()
              + "; check that sshd runs there and the port is right",
          e);
    } catch (IOException e) {
      closeQuietly(client);
      String refusal = verifier.refusal(spec.address(), spec.port());
      if (refusal != null) {
        throw new TransportException(
            TransportException.Kind.HOST_KEY, "refused to connect to " + where + ": " + refusal, e);
      }
      throw new TransportException(
          TransportException.Kind.CONNECT,
          "SSH handshake with " + where + " failed: " + e.getMessage(),
          e);
    }
    try {
      if (spec.privateKeyFile().isPresent()) {
        Path key = spec.privateKeyFile().get();
        java.util.Optional<String> notAKey =
            Files.exists(key)
                ? SshFiles.problem(key, SshFiles.MAX_KEY_BYTES)
                : java.util.Optional.empty();
        if (notAKey.isPresent()) {
          throw new TransportException(
              TransportException.Kind.AUTH,
              "the private key file "
                  + key
                  + " for "
                  + where
                  + " is refused: "
                  + notAKey.get()
                  + "; fix private_key_file in the inventory",
              null);
        }
        if (!Files.isReadable(key)) {
          throw new TransportException(
              TransportException.Kind.AUTH,
              "the private key file "
                  + key
                  + " for "
                  + where
                  + " does not exist or is not readable; fix private_key_file in the inventory",
              null);
        }
        client.authPublickey(spec.user(), keyOf(client, key));
      } else {
        client.authPublickey(spec.user());
      }
      client.getConnection().getKeepAlive().setKeepAliveInterval(15);
    } catch (UserAuthException e) {
      closeQuietly(client);
      throw new TransportException(
          TransportException.Kind.AUTH,
          "authentication as '"
              + spec.user()
              + "' on "
              + where
              + " was refused: "
              + e.getMessage()
              + "; check the user and that the public key of "
              + spec.privateKeyFile().map(Path::toString).orElse("~/.ssh/id_*")
              + " is in its ~/.ssh/authorized_keys",
          e);
    } catch (IOException e) {
      closeQuietly(client);
      throw new TransportException(
          TransportException.Kind.AUTH,
          "cannot authenticate on " + where + ": " + e.getMessage(),
          e);
    } catch (TransportException e) {
      closeQuietly(client);
      throw e;
    }
    return new SshConnection(client, where, persistentShell);
  }

  private final java.util.Map<Path, net.schmizz.sshj.userauth.keyprovider.KeyProvider> keys =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** A private key file is read and parsed once per run, not once per host. */
  private net.schmizz.sshj.userauth.keyprovider.KeyProvider keyOf(SSHClient client, Path file)
      throws IOException {
    net.schmizz.sshj.userauth.keyprovider.KeyProvider known = keys.get(file);
    if (known != null) {
      return known;
    }
    synchronized (keys) {
      known = keys.get(file);
      if (known == null) {
        known = client.loadKeys(file.toString());
        known.getPrivate(); // parse now, while the lock is held
        keys.put(file, known);
      }
      return known;
    }
  }

  /**
   * Loads and initializes sshj's algorithms (and the BouncyCastle provider) on a background thread,
   * so that this start-up cost (about 0.2 s) overlaps the loading and planning that come before the
   * first connection (issue #6). Optional: a connector works the same without it.
   */
  public static void warmUpInBackground() {
    Thread t =
        new Thread(
            () -> {
              try {
                new SSHClient(new DefaultConfig()).close();
              } catch (IOException | RuntimeException | LinkageError e) {
                // the real connection reports any problem
              }
            },
            "ssh-warm-up");
    t.setDaemon(true);
    t.start();
  }

  /** Returns the known_hosts file in use. */
  public Path knownHosts() {
    return knownHosts;
  }

  /** Closes a client whose connection is being given up, ignoring a failure to. */
  static void closeQuietly(SSHClient client) {
    try {
      client.close();
    } catch (IOException e) {
      // Nothing to do: the connection is gone either way.
    }
  }
}
