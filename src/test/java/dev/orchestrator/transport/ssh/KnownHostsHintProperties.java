package dev.orchestrator.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The hint of an unknown host key is a command to copy and paste: whatever the {@code
 * --known-hosts} path holds (spaces, {@code ;}, {@code $(id)}, quotes), {@code /bin/sh} reads the
 * hint's {@code ssh-keyscan -p PORT HOST >> PATH} as exactly those words, appending to exactly that
 * file, and runs nothing the path holds.
 */
class KnownHostsHintProperties {
  private static final PublicKey KEY = key();

  private static PublicKey key() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair().getPublic();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Provide
  Arbitrary<String> folderNames() {
    return Arbitraries.oneOf(
        Arbitraries.strings()
            .withChars(" ;$()'\"`&|<>*?\\!#~{}=ab\t")
            .ofMinLength(1)
            .ofMaxLength(16)
            .filter(s -> !s.equals(".") && !s.equals("..")),
        Arbitraries.of("dir with space;$(id)", "it's", "a'b\"c`d`"));
  }

  @Property(tries = 40)
  void theKeyscanHintIsTheCommandForExactlyThatFile(@ForAll("folderNames") String folder)
      throws Exception {
    Path root = Files.createTempDirectory("hint");
    try {
      // given a known_hosts file in a folder named like that, and a host it does not know
      Path file = Files.createDirectory(root.resolve(folder)).resolve("kh");
      Files.writeString(file, "");
      KnownHostsVerifier verifier = KnownHostsVerifier.read(file, false);
      verifier.hostKeyUnverifiableAction("[127.0.0.1]:22725", KEY);
      String hint = verifier.refusal("127.0.0.1", 22725);
      // when /bin/sh runs the hint's command, with ssh-keyscan standing for printf of its words
      int from = hint.indexOf("ssh-keyscan ");
      int to = hint.indexOf(" (or rerun");
      assertTrue(from >= 0 && to > from, hint);
      String command = hint.substring(from + "ssh-keyscan ".length(), to);
      Process sh =
          new ProcessBuilder(
                  "/bin/sh", "-c", "keyscan() { printf '%s|' \"$@\"; }; keyscan " + command)
              .directory(root.toFile())
              .redirectErrorStream(true)
              .start();
      String said = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(sh.waitFor(10, TimeUnit.SECONDS));
      // then it wrote the arguments into exactly that file, and ran nothing else
      assertEquals(0, sh.exitValue(), said);
      assertEquals("", said);
      assertEquals("-p|22725|127.0.0.1|", Files.readString(file), hint);
    } finally {
      try (var files = Files.walk(root)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
