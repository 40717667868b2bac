package dev.orchestrator.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How {@link ShellTemplate} refers to a value in each shell context ({@link ShellLexer}), and which
 * templates it refuses because a value would be parsed again as code ({@link NestedCode}).
 */
class ShellTemplateTest {
  private final TemplateEngine engine = new TemplateEngine();
  private static final String R1 = "${__ORCH_1}";
  private static final String R2 = "${__ORCH_2}";
  private static final String R3 = "${__ORCH_3}";

  private String text(String template, Map<String, Object> vars) {
    return engine.renderShell(template, vars).text();
  }

  private String text(String template) {
    return text(template, Map.of("v", "x", "w", "y", "n", 3));
  }

  @Test
  void quoteIsOneReferenceInEveryQuotingContext() {
    // given a value that escapes any pasted quoting, when it is written with | quote, then
    // the command refers to it, as one word outside quotes and as the text itself inside them
    Map<String, Object> vars = Map.of("v", "'; touch /tmp/x; '\"$(touch /tmp/y)\"");
    ShellTemplate unquoted = engine.renderShell("echo {{ v | quote }}", vars);
    assertEquals("echo \"" + R1 + "\"", unquoted.text());
    assertEquals(Map.of("__ORCH_1", vars.get("v")), unquoted.values());
    assertEquals("echo \"" + R1 + "\"", text("echo \"{{ v | quote }}\"", vars));
    assertEquals("echo ''\"" + R1 + "\"''", text("echo '{{ v | quote }}'", vars));
    assertEquals("echo $'a'\"" + R1 + "\"$''", text("echo $'a{{ v | quote }}'", vars));
  }

  @Test
  void anUnquotedValueIsOneQuotedReferencePerWord() {
    // given a command prefix, when it stands unquoted, then each of its words is a reference
    Map<String, Object> vars = Map.of("occ", "php\t/srv/occ\n", "blank", "", "glob", "*");
    ShellTemplate t = engine.renderShell("{{ occ }}status {{ blank }}{{ glob }}", vars);
    assertEquals("\"" + R1 + "\" \"" + R2 + "\" status \"" + R3 + "\"", t.text());
    assertEquals(
        List.of("php", "/srv/occ", "*"), List.copyOf(t.values().values()), "no separators");
    assertEquals("x \"" + R1 + "\"y", text("x{{ v }}y", Map.of("v", " a")));
    assertEquals("x\"" + R1 + "\" y", text("x{{ v }}y", Map.of("v", "a\n")));
    assertEquals("x y", text("x{{ v }}y", Map.of("v", " \t ")));
  }

  @Test
  void whereTheShellDoesNotSplitTheValueStaysOneWord() {
    assertEquals("x=\"" + R1 + "\"; export y=\"" + R2 + "\"", text("x={{ v }}; export y={{ w }}"));
    assertEquals("cmd > \"" + R1 + "\" 2>>\"" + R2 + "\"", text("cmd > {{ v }} 2>>{{ w }}"));
    assertEquals(
        "case \"" + R1 + "\" in \"" + R2 + "\"|b) echo \"" + R3 + "\";; esac",
        text("case {{ v }} in {{ w }}|b) echo {{ v }};; esac"));
    assertEquals("[[ \"" + R1 + "\" == b ]]", text("[[ {{ v }} == b ]]"));
  }

  @Test
  void commandSubstitutionAndBackquotesStartAnUnquotedContextInsideDoubleQuotes() {
    Map<String, Object> vars = Map.of("v", "a b");
    assertEquals(
        "echo \"$(printf %s \"" + R1 + "\" \"" + R2 + "\")\"",
        text("echo \"$(printf %s {{ v }})\"", vars));
    assertEquals(
        "echo \"`printf %s \"" + R1 + "\" \"" + R2 + "\"`\"",
        text("echo \"`printf %s {{ v }}`\"", vars));
    assertEquals(
        "echo \"$(printf '%s' ''\"" + R1 + "\"'')\"",
        text("echo \"$(printf '%s' '{{ v }}')\"", vars));
    assertEquals("echo \"${x:-" + R1 + "}\"", text("echo \"${x:-{{ v }}}\"", vars));
  }

  @Test
  void backslashesEscape() {
    // an escaped quote opens nothing; a quote escaped inside double quotes closes nothing
    assertEquals("echo \\'\"" + R1 + "\"", text("echo \\'{{ v }}"));
    assertEquals(
        "echo \"a\\\"" + R1 + "\" ''\"" + R2 + "\"''", text("echo \"a\\\"{{ v }}\" '{{ w }}'"));
    assertEquals("echo 'a\\'\"" + R1 + "\"'", text("echo 'a\\'{{ v }}'"));
  }

  @Test
  void anApostropheInACommentDoesNotOpenAQuote() {
    assertEquals(
        "# it's " + R1 + "\necho ''\"" + R2 + "\"''", text("# it's {{ v }}\necho '{{ w }}'"));
    assertEquals("echo a#''\"" + R1 + "\"''", text("echo a#'{{ v }}'"), "# inside a word");
  }

  @Test
  void anUnquotedHereDocumentReadsLikeDoubleQuotes() {
    assertEquals(
        "cat <<EOF\n'" + R1 + "' \"" + R2 + "\"\nEOF\necho ''\"" + R3 + "\"''",
        text("cat <<EOF\n'{{ v }}' \"{{ w }}\"\nEOF\necho '{{ v }}'"));
    assertEquals(
        "cat <<-EOF >f\n\t" + R1 + "\n\tEOF\necho \"" + R2 + "\"",
        text("cat <<-EOF >f\n\t{{ v }}\n\tEOF\necho {{ w }}"));
  }

  @Test
  void aQuotedHereDocumentIsRefusedUnlessRaw() {
    for (String delimiter : List.of("'EOF'", "\"EOF\"", "\\EOF", "E\"O\"F")) {
      TemplateException e =
          assertThrows(
              TemplateException.class,
              () -> engine.checkShell("cat <<" + delimiter + "\na {{ v }}\nEOF"),
              delimiter);
      assertTrue(e.getMessage().contains("{{ v }} (line 2 of the command)"), e.getMessage());
      assertTrue(e.hint().orElseThrow().contains("<<EOF"), e.hint().orElseThrow());
    }
    assertEquals(
        "cat <<'EOF'\na x\nEOF", text("cat <<'EOF'\na {{ v | raw }}\nEOF"), "| raw opts out");
  }

  @Test
  void arithmeticTakesIntegersOnly() {
    assertEquals("echo $(( " + R1 + " + 1 ))", text("echo $(( {{ n }} + 1 ))"));
    assertEquals("(( " + R1 + " > 1 ))", text("(( {{ n }} > 1 ))"));
    for (String t :
        List.of(
            "echo $(( {{ v }} + 1 ))",
            "(( {{ v }} ))",
            "let x={{ v }}",
            "[[ {{ v }} -gt 1 ]]",
            "[[ 1 -lt \"{{ v }}\" ]]",
            "echo \"${a[{{ v }}]}\"",
            "a[{{ v }}]=1")) {
      TemplateException e =
          assertThrows(
              TemplateException.class,
              () -> engine.renderShell(t, Map.of("v", "a[$(touch /tmp/x)]")),
              t);
      assertTrue(e.getMessage().contains("must be an integer"), e.getMessage());
      assertTrue(!e.getMessage().contains("touch"), "the value is not shown: " + e.getMessage());
    }
  }

  /** Each of these hands the value to a second parse as code. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "sh -c 'echo {{ v }}'",
        "bash -c \"echo {{ v }}\"",
        "/bin/bash -lc 'x {{ v }}'",
        "sh -ec 'x' -- && sh -xc 'y {{ v }}'",
        "bash -o pipefail -c 'x {{ v }}'",
        "su -c 'x {{ v }}'",
        "su postgres -c \"x {{ v }}\"",
        "su - postgres -c 'x {{ v }}'",
        "su --command='x {{ v }}' postgres",
        "sudo sh -c 'x {{ v }}'",
        "sudo -n -u www-data bash -c 'x {{ v }}'",
        "{{ w }} sh -c 'x {{ v }}'",
        "runuser -l app -c 'x {{ v }}'",
        "sudo -s x {{ v }}",
        "sudo -iu app x {{ v }}",
        "eval {{ v }}",
        "eval \"x {{ v }}\"",
        "ssh host 'x {{ v }}'",
        "ssh -p 22 -o BatchMode=yes host x {{ v }}",
        "find . -name '*.log' -exec sh -c 'x {{ v }}' \\;",
        "xargs -0 sh -c 'x {{ v }}'",
        "env X=1 sh -c 'echo {{ v }}'",
        "timeout 5 bash -c '{{ v }}'",
        "nohup sh -c '{{ v }}' >/dev/null 2>&1 &",
        "flock /tmp/l -c 'x {{ v }}'",
        "watch -n 5 'x {{ v }}'",
        "trap 'echo {{ v }}' EXIT",
        "sh -c \"echo $(echo {{ v }})\"",
        "sh <<EOF\necho {{ v }}\nEOF",
        "sudo -u app bash -s <<EOF\necho \"{{ v }}\"\nEOF",
        "ssh host <<EOF\n{{ v }}\nEOF",
        "bash <<< \"echo {{ v }}\"",
        "echo {{ v }} | sh",
        "printf '%s' {{ v }} | tr a b | sudo -u x bash",
        "x=$(echo {{ v }} | sh)",
        "python3 -c 'print(\"{{ v }}\")'",
        "perl -ne 'print \"{{ v }}\"'",
        "ruby -e 'puts \"{{ v }}\"'",
        "php -r 'echo \"{{ v }}\";'",
        "node -e 'console.log(\"{{ v }}\")'",
        "awk '{ print \"{{ v }}\" }' f",
        "awk -F: -v a=1 'NR==1 { print \"{{ v }}\" }'",
        "sed \"s/a/{{ v }}/\" f",
        "sed -i -e 's/x/y/' -e \"s/a/{{ v }}/\" f",
      })
  void aValueThatWouldBeParsedAgainIsRefusedWithAHint(String template) {
    TemplateException e =
        assertThrows(TemplateException.class, () -> engine.checkShell(template), template);
    assertTrue(e.getMessage().startsWith("{{ v }}"), e.getMessage());
    assertTrue(e.getMessage().contains("would be parsed again as code"), e.getMessage());
    assertTrue(e.hint().orElseThrow().contains("{{ v | raw }}"), e.hint().orElseThrow());
    assertThrows(
        TemplateException.class, () -> engine.renderShell(template, Map.of("v", "x", "w", "y")));
    // the author may opt out knowingly
    engine.checkShell(template.replace("{{ v }}", "{{ v | raw }}"));
  }

  /**
   * Issue 22's eight reproductions, each of which passed validate and ran {@code $(touch ...)} from
   * the value: a command word only known at run time, a variable assigned from a value and
   * evaluated later, a file written from a value and run, a shell behind an unknown wrapper, and
   * make's and git's own code arguments.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "$SHELL -c \"echo {{ v }}\"",
        "S=sh; $S -c \"echo {{ v }}\"",
        "x=\"echo {{ v }}\"; eval \"$x\"",
        "echo \"echo {{ v }}\" > f; sh f",
        "echo {{ v }} | tee f; . f",
        "ssh-agent sh -c \"echo {{ v }}\"",
        "make --eval='x: ; echo {{ v }}'",
        "git -c alias.x='!echo {{ v }}' x",
      })
  void issue22ReproductionsAreRefused(String template) {
    TemplateException e =
        assertThrows(TemplateException.class, () -> engine.checkShell(template), template);
    assertTrue(e.getMessage().startsWith("{{ v }}"), e.getMessage());
    assertTrue(e.getMessage().contains("would be parsed again as code"), e.getMessage());
    assertTrue(e.hint().orElseThrow().contains("{{ v | raw }}"), e.hint().orElseThrow());
  }

  /** The families of issue 22's reproductions: each reaches a second parse indirectly. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        // a command word that is an expansion may be any program: a shell, eval, a wrapper
        "${S:-sh} -c \"{{ v }}\"",
        "`command -v sh` -c \"{{ v }}\"",
        "$(command -v sh) -c '{{ v }}'",
        "nice $SHELL -c \"{{ v }}\"",
        "echo {{ v }} | $SHELL",
        "\"$SHELL\" <<EOF\n{{ v }}\nEOF",
        "E=eval; $E {{ v }}",
        "alias e=eval\ne {{ v }}",
        "x=$(echo {{ v }}); $x",
        // a variable assigned from a value, later evaluated
        "x={{ v }}; y=\"a $x\"; eval \"$y\"",
        "export x={{ v }}; sh -c \"$x\"",
        "declare -a a=(1 {{ v }}); eval \"${a[1]}\"",
        ": \"${x:={{ v }}}\"; eval \"$x\"",
        "read -r x <<< {{ v }}; sh -c \"$x\"",
        "echo {{ v }} | { read -r x; eval \"$x\"; }",
        "printf -v x %s {{ v }}; eval \"$x\"",
        "mapfile -t a <<< {{ v }}; eval \"${a[0]}\"",
        "getopts a: o -a {{ v }}; eval \"$OPTARG\"",
        "local x={{ v }}; readonly y=\"$x\"; typeset z=\"$y\"; eval \"$z\"",
        "env x={{ v }} sh -c 'eval \"$x\"'",
        "alias x='echo {{ v }}'",
        "for x in {{ v }}; do eval \"$x\"; done",
        "set -- {{ v }}; eval \"$1\"",
        "f() { eval \"$1\"; }; f {{ v }}",
        "as() { \"$@\"; }; as eval {{ v }}",
        "x={{ v }}; trap \"$x\" EXIT",
        "x={{ v }}; sh <<EOF\n$x\nEOF",
        "x={{ v }}; echo \"$x\" | sh",
        "{ echo {{ v }}; } | sh",
        "( echo {{ v }} ) | bash",
        "x={{ v }}; PS4=\"$x\" bash -x f",
        "export BASH_ENV={{ v }}",
        "GIT_SSH_COMMAND={{ v }} git fetch",
        // a literal command string that parses a value given to it
        "sh -c 'eval \"$1\"' _ {{ v }}",
        "sudo -u app sh -c 'sh -c \"$1\"' _ {{ v }}",
        "export x={{ v }}; sh -c 'eval \"$x\"'",
        "x={{ v }}; trap 'eval \"$x\"' EXIT",
        "f() { bash -c \"$1\"; }; f {{ v }}",
        // a file written from a value and run
        "cat > f <<EOF\n{{ v }}\nEOF\nsh f",
        "printf '%s\\n' {{ v }} >> f; . ./f",
        "echo {{ v }} > f; chmod +x f; ./f",
        "echo {{ v }} > /tmp/f; chmod +x /tmp/f; /tmp/f",
        "echo {{ v }} | tee f.py >/dev/null; python3 f.py",
        "{ echo {{ v }}; } > f; bash < f",
        ". <(echo {{ v }})",
        "echo {{ v }} > Makefile; make",
        "echo {{ v }} > \"$f\"; sh \"$f\"",
        "echo {{ v }} > lib.sh; source lib.sh",
        "printf %s {{ v }} | dd of=f; sh f",
        "source /dev/stdin <<< {{ v }}",
        // a shell behind an unknown wrapper
        "fakeroot sh -c \"echo {{ v }}\"",
        "dbus-run-session bash -c 'echo {{ v }}'",
        "ssh-agent python3 -c 'print(\"{{ v }}\")'",
        "printf '%s' {{ v }} | xargs -0 sh -c",
        "env -S \"sh -c {{ v }}\"",
        // make's and git's own code arguments
        "make -E 'x: ; echo {{ v }}'",
        "make DESTDIR={{ v }} install",
        "git -c core.pager={{ v }} log",
        "git -c 'core.sshCommand={{ v }}' fetch",
        "X={{ v }} git --config-env=core.pager=X log",
        "git config alias.x {{ v }}",
        "git config --global core.editor {{ v }}",
        // ssh's options name commands (an attack on the merged build ran each)
        "ssh -o ProxyCommand=\"{{ v }}\" h",
        "ssh -oProxyCommand={{ v }} h true",
        "scp -o ProxyCommand={{ v }} a b:",
        "sftp -o \"ProxyCommand={{ v }}\" h",
        "P=\"{{ v }}\"; ssh -o ProxyCommand=\"$P\" x",
        // a shell reading its input inside a subshell, a compound command or a function
        "echo \"{{ v }}\" | (sh)",
        "echo \"{{ v }}\" | ( exec sh )",
        "echo \"{{ v }}\" | if true; then sh; fi",
        "echo \"{{ v }}\" | while true; do sh; break; done",
        "echo \"{{ v }}\" | for i in 1; do sh; done",
        "echo \"{{ v }}\" | case x in x) sh;; esac",
        "echo \"{{ v }}\" | { true; bash; }",
        "echo \"{{ v }}\" | { cat; } | sh",
        "f() { sh; }; echo \"{{ v }}\" | f",
        "echo \"{{ v }}\" | eval \"$(cat)\"",
        "f() { eval \"$(cat)\"; }; echo \"{{ v }}\" | f",
        "( sh ) <<< \"{{ v }}\"",
        "f() { bash -s; }; f <<< \"{{ v }}\"",
        // xargs writes its input into the command string; script starts a shell on stdin
        "echo \"{{ v }}\" | xargs -I{} sh -c '{}'",
        "echo \"{{ v }}\" | xargs -I% bash -c %",
        "echo \"{{ v }}\" | xargs -0 -I{} sh -c {}",
        "echo \"{{ v }}\" | script -q /dev/null",
      })
  void secondParsesThroughVariablesFilesAndWrappersAreRefused(String template) {
    TemplateException e =
        assertThrows(TemplateException.class, () -> engine.checkShell(template), template);
    assertTrue(e.getMessage().startsWith("{{ v }}"), e.getMessage());
    assertTrue(e.getMessage().contains("would be parsed again as code"), e.getMessage());
    assertTrue(e.hint().orElseThrow().contains("{{ v | raw }}"), e.hint().orElseThrow());
  }

  /** Ordinary uses of the same constructs, with values as data, pass. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "x={{ v }}; printf '%s\\n' \"$x\"",
        "x={{ v }}; sh -c 'printf %s \"$1\"' _ \"$x\"",
        "echo {{ v }} > out.log; /usr/bin/php occ status",
        "echo {{ v }} > f; cat f",
        "sh ./script.sh {{ v | quote }}",
        "for x in {{ v }}; do echo \"$x\"; done",
        "as() { \"$@\"; }; as ls {{ v }}",
        "git config user.email {{ v }}",
        "git commit -m {{ v }}",
        "V={{ v }} make install",
        "\"$PHP\" occ status",
        "env ls \"$x\" {{ v }}",
        "find \"$dir\" -name {{ v }}",
        "ssh-agent ssh -T git@example.org {{ v | quote }}",
        "f() { printf '%s' \"$1\"; }; f {{ v }}",
        "{ echo {{ v }}; } > out.log",
        "client() { mysql \"$@\"; }; echo {{ v }} | client -N",
        "sh -c 'rm -rf -- \"$1\"/cache' _ {{ v }}",
        "echo {{ v }} > out.log; make",
      })
  void valuesUsedAsDataAroundThoseConstructsPass(String template) {
    engine.checkShell(template);
    engine.renderShell(template, Map.of("v", "x", "w", "y"));
  }

  @Test
  void aCommandWordFromAValueIsCheckedWithItsValuePerHost() {
    // given a command word that is a template value, when it names eval on this host
    TemplateException e =
        assertThrows(
            TemplateException.class,
            () -> engine.renderShell("{{ w }} {{ v }}", Map.of("w", "eval", "v", "x")));
    // then it is refused like eval {{ v }}, naming the value that would be parsed
    assertTrue(e.getMessage().startsWith("{{ v }} would be parsed again as code"), e.getMessage());
    assertTrue(e.getMessage().contains("on this host"), e.getMessage());
    assertThrows(
        TemplateException.class,
        () ->
            engine.checkShellValues("{{ w }} -c {{ v }}", Map.of("w", "sudo -u app sh", "v", "x")),
        "plan checks it too");
    // and the Nextcloud forms keep working
    assertEquals(
        "\"" + R1 + "\" \"" + R2 + "\" status",
        text("{{ occ }} status", Map.of("occ", "php /srv/occ")));
    engine.checkShellValues("{{ occ }} status {{ v }}", Map.of("occ", "php /srv/occ", "v", "x"));
    engine.checkShellValues(
        "cnf=$(mktemp); printf '%s' {{ v }} > \"$cnf\"; echo {{ v }} > log; {{ occ }} status",
        Map.of("occ", "sudo -u www-data php /srv/occ", "v", "x"));
    assertThrows(
        TemplateException.class,
        () ->
            engine.checkShellValues(
                "echo {{ v }} > occ; {{ occ }} status", Map.of("occ", "php occ", "v", "x")),
        "the value written to the file that php runs");
    engine.renderShell(
        "sudo -u www-data sh -c 'rm -rf -- \"$1\"/cache' _ {{ nextcloud_root | quote }}",
        Map.of("nextcloud_root", "/srv/nc"));
    engine.renderShell(
        "{{ as_web_user }} sh -c 'echo \"$1\"' _ {{ v | quote }}",
        Map.of("as_web_user", "sudo -u www-data", "v", "$(id)"));
  }

  @Test
  void theShellHintShowsThePositionalParameterIdiom() {
    TemplateException e =
        assertThrows(
            TemplateException.class, () -> engine.checkShell("sudo sh -c 'rm {{ path }}'"));
    assertEquals(
        "pass the value to the inner shell as a positional parameter: sh -c 'echo \"$1\"' _ {{ path"
            + " | quote }} (works through sudo too: sudo -u USER sh -c '...\"$1\"...' _ {{ path |"
            + " quote }}), or write {{ path | raw }} if the value is meant to be shell code",
        e.hint().orElseThrow());
  }

  /** The safe idioms, and ordinary commands that merely mention a shell, pass. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "sh -c 'echo \"$1\"' _ {{ v }}",
        "sudo -u www-data sh -c 'rm -rf -- \"$1\"/cache' _ {{ v | quote }}",
        "sh -s -- {{ v | quote }} <<'EOF'\necho \"hello $1\"\nEOF",
        "sudo -n -u www-data sh -c 'echo \"$1\"' _ {{ v }}",
        "{{ w }} bash -lc 'printf %s \"$1\"' sh {{ v | quote }}",
        "find {{ v }} -exec sh -c 'echo \"$1\"' _ {} \\;",
        "sh -s -- {{ v }} <<'EOF'\necho \"$1\"\nEOF",
        "sh {{ v }}",
        "bash /srv/script.sh {{ v }}",
        "ssh {{ v }} uptime",
        "printf '%s' {{ v }} | ssh host 'cat > f'",
        "su {{ v }} -c 'id'",
        "runuser -u {{ v }} -- id",
        "sudo -u {{ v }} id",
        "V={{ v }} awk '{ print ENVIRON[\"V\"] }' f",
        "awk -f prog.awk {{ v }}",
        "printf '%s' {{ v }} | sed -n p",
        "sed -n p {{ v }}",
        "grep -c sh {{ v }}",
        "echo {{ v }} | grep sh",
        "python3 script.py {{ v }}",
        "php -f {{ v }}/cron.php",
        "{{ w }} {{ v }} -r 'echo 1;'",
        "cat <<EOF\n{{ v }}\nEOF",
        "watch -x ls {{ v }}",
        "echo '{{ v }}' # sh -c '{{ w }}'",
      })
  void safeIdiomsPass(String template) {
    engine.checkShell(template);
    engine.renderShell(template, Map.of("v", "x", "w", "y"));
  }

  @Test
  void thePositionalParameterIdiomDeliversTheValue() {
    ShellTemplate t =
        engine.renderShell("sh -c 'printf %s \"$1\"' _ {{ v }}", Map.of("v", "$(id)"));
    assertEquals("sh -c 'printf %s \"$1\"' _ \"" + R1 + "\"", t.text());
  }

  @Test
  void jinjaTagsDoNotChangeTheContext() {
    assertEquals(
        "echo ''\"" + R1 + "\"''\"" + R2 + "\"''",
        text("echo '{% for x in [1, 2] %}{{ x }}{% endfor %}'{# it's #}"));
  }

  @Test
  void absurdNestingIsAnErrorNotACrash() {
    String deep = "$(".repeat(ShellLexer.MAX_NESTING + 5) + "{{ v }}";
    TemplateException e = assertThrows(TemplateException.class, () -> engine.checkShell(deep));
    assertTrue(e.getMessage().contains("levels deep"), e.getMessage());
  }
}
