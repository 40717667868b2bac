package dev.orchestrator.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The Nextcloud playbook and the sandbox's occ compute names and folders in the shell where they
 * ran {@code basename}, {@code dirname} and a {@code tr} per process (issue 24: the sandbox tests
 * are bound by process starts): the new snippet, read from the file that ships it, must give what
 * the old one gave for any name, run side by side in /bin/sh.
 */
class NextcloudShellProperties {
  private static final Path PLAYBOOK = Path.of("playbooks/nextcloud-update.yml");
  private static final Path OCC = Path.of("src/main/resources/sandbox/occ");

  /** File names as they come: spaces, newlines (trailing too), leading dashes, globs, quotes. */
  @Provide
  Arbitrary<List<String>> names() {
    Arbitrary<String> pieces =
        Arbitraries.of(
            "a", "-", "--", "-n", " ", "\n", "\t", "*", "?", "[", "\\", "'", "\"", "$x", ".", "..",
            "é", "\u00ff", "%s", "\r");
    Arbitrary<String> name =
        Arbitraries.oneOf(
                pieces.list().ofMinSize(1).ofMaxSize(5).map(l -> String.join("", l)),
                Arbitraries.strings()
                    .withCharRange('\u0001', '\u00ff')
                    .ofMinLength(1)
                    .ofMaxLength(12))
            .filter(n -> n.indexOf('/') < 0);
    return name.list().ofMinSize(1).ofMaxSize(20);
  }

  @Property(tries = 100)
  void baseNameIsWhatBasenameGave(@ForAll("names") List<String> names) throws Exception {
    // given the playbook's base_name and entries DIR/NAME as a glob gives them (DIR absolute)
    String script =
        baseNameDefinition()
            + "for entry do old=$(basename \"$entry\"); base_name \"$entry\";"
            + " printf '%s\\0%s\\0' \"$old\" \"$name\"; done";
    List<String> args = new ArrayList<>();
    for (String n : names) {
      args.add("/srv/next cloud/" + n);
      args.add("/srv/-x\n/" + n);
    }

    // when both run in /bin/sh
    String[] out = ok(sh(script, "sh", args)).split("\0", -1);

    // then each new name is the old one, byte for byte
    assertEquals(2 * args.size() + 1, out.length);
    for (int i = 0; i < args.size(); i++) {
      assertEquals(out[2 * i], out[2 * i + 1], "for " + args.get(i));
    }
  }

  @Property(tries = 25)
  void occFindsTheFolderDirnameFound(@ForAll("names") List<String> names) throws Exception {
    // given folders with hostile names, and occ invoked by absolute, relative and bare paths
    Path base = Files.createTempDirectory("occ-dir");
    try {
      String snippet = occRootSnippet();
      for (String n : names.subList(0, Math.min(3, names.size()))) {
        if (n.equals(".") || n.equals("..")) {
          continue; // not a name a folder can have: p/.. is base, and p was never made
        }
        Path d;
        try {
          d = Files.createDirectories(base.resolve("p").resolve(n));
        } catch (java.nio.file.InvalidPathException | IOException e) {
          continue;
        }
        for (String zero :
            List.of(
                d.resolve("occ").toString(),
                "p/" + n + "/occ",
                "./p/" + n + "//occ",
                "occ",
                "/occ")) {
          Path cwd = zero.equals("occ") ? d : base;
          // when the old and the new lines run with that $0
          String old =
              sh("root=$(cd \"$(dirname \"$0\")\" && pwd); printf '%s' \"$root\"", zero, cwd);
          String now = sh(snippet + "printf '%s' \"$root\"", zero, cwd);

          // then they find the same folder (or fail alike)
          // (a failing cd's message names the script's line: 1 in the old one-liner)
          assertEquals(old, now.replaceAll(": \\d+: cd: ", ": 1: cd: "), "$0=" + zero);
        }
      }
    } finally {
      try (var all = Files.walk(base)) {
        for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  @Example
  void theUpdaterScanListsWhatTheTrPerProcessScanListed() throws Exception {
    // given two shells of ours waiting on their stdin (a builtin: no child), one with updater.phar
    // among its arguments (and a newline,
    // spaces, a leading dash), one without
    Process with =
        new ProcessBuilder("sh", "-c", "read -r line", "-x y\nz", "/srv/nc/updater/updater.phar")
            .start();
    Process without = new ProcessBuilder("sh", "-c", "read -r line", "updater-phar").start();
    try {
      String newHead = "for p in $(LC_ALL=C grep -ls 'updater[.]phar' /proc/[0-9]*/cmdline); do";
      assertTrue(
          Files.readString(PLAYBOOK).contains("      " + newHead + "\n"), "the shipped loop");
      String body =
          " cmd=$(tr '\\0' ' ' < \"$p/cmdline\" 2>/dev/null) || continue;"
              + " case \"$cmd\" in *live-updater-scan*) continue ;; *updater.phar*) ;; *) continue ;; esac;"
              + " case \" $mine \" in *\" ${p#/proc/} \"*) printf '%s\\n' \"${p#/proc/}\" ;; esac; done"
              // processes of others that ended since the glob: "cannot open", nondeterministic
              + " 2>/dev/null";
      String mine = "mine='" + with.pid() + " " + without.pid() + "'; ";

      // when the old scan (a tr per process) and the new one (one grep) run
      String old = ok(sh(mine + "for p in /proc/[0-9]*; do" + body, "sh", List.of()));
      String now = ok(sh(mine + newHead + " p=${p%/cmdline};" + body, "sh", List.of()));

      // then both list exactly the process with updater.phar
      assertEquals(with.pid() + "\n", old);
      assertEquals(old, now);
    } finally {
      with.destroy();
      without.destroy();
    }
  }

  /** The lines of the playbook from nl=' to base_name's definition, as the shell sees them. */
  private static String baseNameDefinition() throws IOException {
    String text = Files.readString(PLAYBOOK);
    int start = text.indexOf("      nl='\n");
    int end = text.indexOf('\n', text.indexOf("      base_name() {", start));
    return text.substring(start, end + 1).replace("\n      ", "\n").substring(6);
  }

  /** occ's lines from nl=' to root=. */
  private static String occRootSnippet() throws IOException {
    String text = Files.readString(OCC);
    int start = text.indexOf("nl='\n");
    int end = text.indexOf('\n', text.indexOf("root=$(cd \"$here\" && pwd)", start));
    assertTrue(start >= 0 && end > start, "occ's root lines");
    return text.substring(start, end + 1);
  }

  private static String sh(String script, String zero, List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", script, zero));
    cmd.addAll(args);
    return run(new ProcessBuilder(cmd));
  }

  private static String sh(String script, String zero, Path cwd) throws Exception {
    return run(new ProcessBuilder("/bin/sh", "-c", script, zero).directory(cwd.toFile()));
  }

  /** The output of a run that exited 0. */
  private static String ok(String run) {
    assertTrue(run.startsWith("0:"), run);
    return run.substring(2);
  }

  /** {@code EXIT:OUTPUT} (stdout and stderr) of a process. */
  private static String run(ProcessBuilder pb) throws Exception {
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return p.waitFor() + ":" + out;
  }
}
