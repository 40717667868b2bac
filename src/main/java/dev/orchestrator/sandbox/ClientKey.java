package dev.orchestrator.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Map;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;

/** The SSH client key of a simulated fleet: EC P-256, OpenSSH format, mode 600. */
public final class ClientKey {
  private ClientKey() {}

  /**
   * Generates a key pair and writes {@code file} (private) and {@code file.pub} (public).
   *
   * @return the public key
   * @throws IOException if the files cannot be written
   */
  public static PublicKey generate(Path file) throws IOException {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = gen.generateKeyPair();
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (OutputStream out = Files.newOutputStream(file)) {
        OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(
            pair, "orchestrator-sandbox", null, out);
      }
      Files.writeString(
          publicFile(file), PublicKeyEntry.toString(pair.getPublic()) + " orchestrator-sandbox\n");
      return pair.getPublic();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot generate an SSH client key: " + e.getMessage(), e);
    }
  }

  /**
   * Reads the public key written by {@link #generate}.
   *
   * @throws IOException if it is missing or unreadable
   */
  public static PublicKey readPublic(Path file) throws IOException {
    String line = Files.readString(publicFile(file)).trim();
    try {
      return PublicKeyEntry.parsePublicKeyEntry(line).resolvePublicKey(null, Map.of(), null);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException(
          "cannot read the public key " + publicFile(file) + ": " + e.getMessage(), e);
    }
  }

  private static Path publicFile(Path file) {
    return file.resolveSibling(file.getFileName() + ".pub");
  }
}
