package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code haproxy} ({@link HaproxyModule}) against the stand-in stats socket ({@code
 * src/test/resources/standins/haproxy-stats}): community.general's {@code haproxy.py} commands,
 * result keys and {@code changed} rule (rows before and after differ).
 */
class HaproxyModuleTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HaproxyModule.Flags NONE =
      new HaproxyModule.Flags(false, false, false, false, false, false);

  @TempDir Path dir;
  private StandInDaemon server;

  @BeforeEach
  void serve() throws Exception {
    Files.writeString(
        dir.resolve("state.json"),
        "{\"version\": \"2.6.12\", \"backends\": {"
            + "\"myapplb\": {\"web1\": {\"status\": \"UP\", \"weight\": 1, \"scur\": 0},"
            + " \"web2\": {\"status\": \"UP\", \"weight\": 1, \"scur\": 0}},"
            + " \"other\": {\"web1\": {\"status\": \"UP\", \"weight\": 3, \"scur\": 0}}}}");
    server =
        StandInDaemon.start(
            dir,
            "haproxy-stats",
            dir.resolve("stats").toString(),
            dir.resolve("state.json").toString());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HaproxyModule module(String state, String host, String backend, HaproxyModule.Flags f) {
    return new HaproxyModule(
        state,
        host,
        Optional.ofNullable(backend),
        Optional.empty(),
        dir.resolve("stats").toString(),
        f,
        25,
        0);
  }

  private ModuleOutcome run(HaproxyModule m) throws Exception {
    try (StandInHost host = StandInHost.with()) {
      return m.outcome(host.run(m.script()));
    }
  }

  @SuppressWarnings("unchecked")
  private String status(String backend, String server) throws Exception {
    Map<String, Object> state = JSON.readValue(dir.resolve("state.json").toFile(), Map.class);
    Map<String, Map<String, Map<String, Object>>> b =
        (Map<String, Map<String, Map<String, Object>>>) state.get("backends");
    return String.valueOf(b.get(backend).get(server).get("status"));
  }

  @Test
  void disabledSendsGetWeightAndDisableServerOnceThenChangesNothing() throws Exception {
    // given web1 UP in myapplb
    HaproxyModule disable = module("disabled", "web1", "myapplb", NONE);
    // when it is disabled twice
    ModuleOutcome first = run(disable);
    ModuleOutcome again = run(disable);
    // then the first sent the module's command line and changed the rows; the second did not
    assertTrue(first.result().succeeded(), first.result().stderr());
    assertEquals(true, first.fields().get("changed"));
    assertEquals(
        List.of("get weight myapplb/web1; disable server myapplb/web1"),
        first.fields().get("command"));
    assertEquals(List.of("1 (initial 1)"), first.fields().get("output"));
    assertEquals(
        List.of(Map.of("status", "UP", "weight", "1", "scur", "0")),
        first.fields().get("state_before"));
    assertEquals(
        List.of(Map.of("status", "MAINT", "weight", "1", "scur", "0")),
        first.fields().get("state_after"));
    assertEquals(false, again.fields().get("changed"));
    assertEquals("MAINT", status("myapplb", "web1"));
    assertEquals("UP", status("other", "web1"), "only the backend given");
  }

  @Test
  void enabledWithWaitAndWeightBringsTheServerBackUp() throws Exception {
    // given web2 disabled
    run(module("disabled", "web2", "myapplb", NONE));
    // when it is enabled with wait and a weight
    HaproxyModule enable =
        new HaproxyModule(
            "enabled",
            "web2",
            Optional.of("myapplb"),
            Optional.of("5"),
            dir.resolve("stats").toString(),
            new HaproxyModule.Flags(false, false, false, false, true, false),
            3,
            0);
    ModuleOutcome o = run(enable);
    // then it is UP with weight 5, changed
    assertTrue(o.result().succeeded(), o.result().stderr());
    assertEquals(
        List.of("get weight myapplb/web2; enable server myapplb/web2; set weight myapplb/web2 5"),
        o.fields().get("command"));
    assertEquals(true, o.fields().get("changed"));
    assertEquals("UP", status("myapplb", "web2"));
  }

  @Test
  void withoutABackendEveryBackendHoldingTheServerIsChanged() throws Exception {
    // given web1 in two backends, when it is drained without naming one
    ModuleOutcome o = run(module("drain", "web1", null, NONE));
    // then both are drained (show info's version is 1.5 or later), one command line each
    assertTrue(o.result().succeeded(), o.result().stderr());
    assertEquals(
        List.of("set server myapplb/web1 state drain", "set server other/web1 state drain"),
        o.fields().get("command"));
    assertEquals("DRAIN", status("myapplb", "web1"));
    assertEquals("DRAIN", status("other", "web1"));
    assertEquals(2, ((List<?>) o.fields().get("state_after")).size());
  }

  @Test
  void anUnknownServerChangesNothingOrFailsWithFailOnNotFound() throws Exception {
    // given no server web9
    ModuleOutcome quiet = run(module("disabled", "web9", "myapplb", NONE));
    ModuleOutcome loud =
        run(
            module(
                "disabled",
                "web9",
                "myapplb",
                new HaproxyModule.Flags(false, true, false, false, false, false)));
    // then without fail_on_not_found nothing is sent; with it, the module's message
    assertTrue(quiet.result().succeeded());
    assertEquals(false, quiet.fields().get("changed"));
    assertNull(quiet.fields().get("state_before"));
    assertFalse(quiet.fields().containsKey("command"));
    assertFalse(loud.result().succeeded());
    assertEquals("The specified backend 'myapplb/web9' was not found!", loud.fields().get("msg"));
  }

  @Test
  void aSocketThatIsNotThereFailsSayingSo() throws Exception {
    // given a socket path where nothing listens
    HaproxyModule m =
        new HaproxyModule(
            "enabled",
            "web1",
            Optional.of("myapplb"),
            Optional.empty(),
            dir.resolve("nope").toString(),
            NONE,
            25,
            0);
    // when it runs, then it fails naming the socket
    ModuleOutcome o = run(m);
    assertFalse(o.result().succeeded());
    assertTrue(
        String.valueOf(o.fields().get("msg"))
            .startsWith("cannot reach the haproxy socket " + dir.resolve("nope")),
        String.valueOf(o.fields().get("msg")));
  }

  @Test
  void namesThatWouldAddCommandsAreRefused() {
    // given names holding HAProxy's command separator or spaces, then they are refused
    assertThrows(
        IllegalArgumentException.class,
        () -> module("disabled", "web1; shutdown sessions server x/y", "myapplb", NONE));
    assertThrows(IllegalArgumentException.class, () -> module("disabled", "web1", "my app", NONE));
    assertThrows(IllegalArgumentException.class, () -> module("stopped", "web1", null, NONE));
  }
}
