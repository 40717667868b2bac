package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What {@code script}'s arguments, file name, {@code chdir} and {@code creates} carry reaches the
 * host's shell as data ({@link ScriptModule#script}, run by {@code /bin/sh}, dash): each argument
 * arrives as exactly one word, unchanged, and no value ever runs as code (the {@code PWNED} file
 * hostile values try to create never appears).
 */
class ScriptArgumentsProperties {
  @Provide
  net.jqwik.api.Arbitrary<String> values() {
    return HostileNames.names().filter(s -> s.indexOf('\0') < 0);
  }

  @Property(tries = 40)
  void hostileValuesAreOnlyData(
      @ForAll("values") String a, @ForAll("values") String b, @ForAll("values") String name)
      throws Exception {
    Path dir = Files.createTempDirectory("script-src");
    try (StandInHost host = StandInHost.with()) {
      // given a script under a hostile name that writes each argument on its own line, hex-coded
      String file = name.replace("/", "_").replace("\n", "_");
      Path src = dir.resolve(file.equals(".") || file.equals("..") ? "x" : file);
      Files.writeString(
          src,
          "#!/bin/sh\nfor w in \"$@\"; do printf '%s' \"$w\" | od -An -tx1 | tr -d ' \\n'; echo; done\n");
      ScriptModule m =
          new ScriptModule(
              src,
              FileWrite.digest("SHA-256", Files.readAllBytes(src)),
              List.of(a, b),
              "",
              host.home() + "/" + b.replace("/", "_"),
              "",
              List.of());
      // when it runs
      ModuleOutcome o = m.outcome(host.run(m.script()));
      // then nothing ran as code, and the script saw exactly the two arguments
      assertFalse(host.contains("PWNED"), "a value ran as code");
      List<String> seen = new ArrayList<>();
      for (String line : String.valueOf(o.fields().get("stdout")).lines().toList()) {
        seen.add(new String(java.util.HexFormat.of().parseHex(line), StandardCharsets.UTF_8));
      }
      assertEquals(List.of(a, b), seen, o.toString());
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
