package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What {@code get_url}'s arguments carry reaches the host's shell and curl as data: the script
 * {@link GetUrl#script} builds, run with {@code /bin/sh} (dash) and the real {@code curl} against a
 * closed loopback port, never creates the {@code PWNED} file a hostile URL, destination, header,
 * user, password or owner tries to create, and the password is never part of the script's text.
 */
class GetUrlValueProperties {
  @Provide
  net.jqwik.api.Arbitrary<String> values() {
    return HostileNames.names();
  }

  @Property(tries = 30)
  void hostileValuesAreOnlyData(
      @ForAll("values") String path,
      @ForAll("values") String dest,
      @ForAll("values") String header,
      @ForAll("values") String secret)
      throws Exception {
    try (StandInHost host = StandInHost.with()) {
      // given values that try to run code, and a URL on a port nobody listens on
      GetUrl m =
          new GetUrl(
              "http://127.0.0.1:9/" + path,
              "sub/" + dest.replace("/", "_"),
              "",
              "",
              false,
              2,
              Map.of("X-Probe", header),
              secret,
              secret,
              false,
              true,
              "ansible-httpget",
              "",
              secret,
              secret);
      // when it runs
      ModuleOutcome o = m.outcome(host.run(m.script()));
      // then nothing ran as code, the request failed, and the secret is in no text
      assertFalse(host.contains("PWNED"), "a value ran as code");
      assertFalse(o.result().succeeded());
      assertFalse(m.script().text().contains("s3cr3t" + secret));
    }
  }
}
