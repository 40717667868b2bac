package dev.orchestrator.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code ansible.cfg} found and read as Ansible finds and reads it
 * (https://docs.ansible.com/ansible/latest/reference_appendices/config.html).
 */
class AnsibleConfigReaderTest {
  @TempDir Path tmp;
  Path cwd;
  Path home;
  Path system;

  @BeforeEach
  void folders() throws IOException {
    cwd = Files.createDirectories(tmp.resolve("project"));
    Files.setPosixFilePermissions(cwd, PosixFilePermissions.fromString("rwxr-xr-x"));
    home = Files.createDirectories(tmp.resolve("home"));
    system = tmp.resolve("etc-ansible.cfg");
  }

  private AnsibleConfig read(Map<String, String> env) {
    return AnsibleConfigReader.read(env, cwd, home, system);
  }

  @Test
  void theFirstFileFoundWinsAlone() throws IOException {
    // given a file in the home folder, the system folder and the current folder
    Files.writeString(
        home.resolve(".ansible.cfg"), "[defaults]\nremote_user = fromhome\nforks=3\n");
    Files.writeString(system, "[defaults]\nremote_user = fromsystem\ntimeout = 30\n");
    Files.writeString(cwd.resolve("ansible.cfg"), "[defaults]\nremote_user = fromcwd\n");
    // when the configuration is read
    AnsibleConfig c = read(Map.of());
    // then the current folder's file is read, and only it (no merging)
    assertEquals(Optional.of(cwd.resolve("ansible.cfg")), c.file());
    assertEquals(Optional.of("fromcwd"), c.remoteUser());
    assertEquals(OptionalInt.empty(), c.forks());
    assertEquals(OptionalInt.empty(), c.timeout());
  }

  @Test
  void ansibleConfigComesFirstAndMayNameAFolder() throws IOException {
    // given ANSIBLE_CONFIG naming a folder with an ansible.cfg, and a file in the current folder
    Path other = Files.createDirectories(tmp.resolve("other"));
    Files.writeString(other.resolve("ansible.cfg"), "[defaults]\nremote_user = fromenv\n");
    Files.writeString(cwd.resolve("ansible.cfg"), "[defaults]\nremote_user = fromcwd\n");
    // when read; then the folder's ansible.cfg wins
    AnsibleConfig c = read(Map.of("ANSIBLE_CONFIG", other.toString()));
    assertEquals(Optional.of("fromenv"), c.remoteUser());
  }

  @Test
  void homeThenSystemWhenTheCurrentFolderHasNone() throws IOException {
    // given only the system file; when read; then it is used
    Files.writeString(system, "[defaults]\nremote_user = fromsystem\n");
    assertEquals(Optional.of("fromsystem"), read(Map.of()).remoteUser());
    // given also the home file; then the home file wins
    Files.writeString(home.resolve(".ansible.cfg"), "[defaults]\nremote_user = fromhome\n");
    assertEquals(Optional.of("fromhome"), read(Map.of()).remoteUser());
  }

  @Test
  void aWorldWritableCurrentFolderIsSkippedWithAnsiblesWarning() throws IOException {
    // given an ansible.cfg in a world-writable current folder and one in the home folder
    Files.writeString(cwd.resolve("ansible.cfg"), "[defaults]\nremote_user = planted\n");
    Files.writeString(home.resolve(".ansible.cfg"), "[defaults]\nremote_user = fromhome\n");
    Files.setPosixFilePermissions(cwd, PosixFilePermissions.fromString("rwxrwxrwx"));
    // when read
    AnsibleConfig c = read(Map.of());
    // then the current folder's file is ignored, with Ansible's warning
    assertEquals(Optional.of("fromhome"), c.remoteUser());
    assertTrue(
        c.warnings().stream().anyMatch(w -> w.contains("world writable directory (" + cwd)),
        c.warnings().toString());
  }

  @Test
  void theEnvironmentWinsOverTheFile() throws IOException {
    // given a file setting every honoured key, and the environment setting some of them
    Files.writeString(
        cwd.resolve("ansible.cfg"),
        String.join(
            "\n",
            "[defaults]",
            "inventory = hosts.ini",
            "remote_user = deploy",
            "forks = 7",
            "private_key_file = keys/id",
            "host_key_checking = True",
            "roles_path = roles-a:roles-b",
            "timeout = 20",
            ""));
    Map<String, String> env =
        Map.of(
            "ANSIBLE_REMOTE_USER", "ops",
            "ANSIBLE_FORKS", "2",
            "ANSIBLE_HOST_KEY_CHECKING", "no",
            "ANSIBLE_INVENTORY", "a.yml,b.yml");
    // when read
    AnsibleConfig c = read(env);
    // then each variable wins over its key; relative paths of the file are the file's folder's,
    // the variables' the current folder's
    assertEquals(Optional.of("ops"), c.remoteUser());
    assertEquals(OptionalInt.of(2), c.forks());
    assertEquals(Optional.of(false), c.hostKeyChecking());
    assertTrue(c.acceptNewHostKeys());
    assertEquals(List.of(cwd.resolve("a.yml"), cwd.resolve("b.yml")), c.inventories());
    assertEquals(Optional.of(cwd.resolve("keys/id")), c.privateKeyFile());
    assertEquals(List.of(cwd.resolve("roles-a"), cwd.resolve("roles-b")), c.rolesPath());
    assertEquals(OptionalInt.of(20), c.timeout());
  }

  @Test
  void relativePathsAreTheFilesFolders() throws IOException {
    // given ANSIBLE_CONFIG naming a file elsewhere with relative paths and ~
    Path other = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.writeString(
        other.resolve("my.cfg"),
        "[defaults]\ninventory = inv/hosts, ~/more.yml ,\nprivate_key_file = ~/.ssh/id\n");
    // when read
    AnsibleConfig c = read(Map.of("ANSIBLE_CONFIG", other.resolve("my.cfg").toString()));
    // then relative paths are resolved against its folder, ~ is the home folder, the list is
    // split on commas with blanks dropped
    assertEquals(List.of(other.resolve("inv/hosts"), home.resolve("more.yml")), c.inventories());
    assertEquals(Optional.of(home.resolve(".ssh/id")), c.privateKeyFile());
  }

  @ParameterizedTest
  @CsvSource({
    "yes,true",
    "Yes,true",
    "TRUE,true",
    "on,true",
    "1,true",
    "t,true",
    "y,true",
    "no,false",
    "False,false",
    "OFF,false",
    "0,false",
    "f,false",
    "n,false"
  })
  void booleansAreReadWithAnsiblesWords(String word, boolean expected) throws IOException {
    // given host_key_checking written as one of Ansible's boolean words
    Files.writeString(cwd.resolve("ansible.cfg"), "[defaults]\nhost_key_checking = " + word + "\n");
    // when read; then it is that boolean
    assertEquals(Optional.of(expected), read(Map.of()).hostKeyChecking());
  }

  @Test
  void anUnknownBooleanIsRefusedNamingFileAndLine() throws IOException {
    // given host_key_checking = maybe on line 3
    Files.writeString(cwd.resolve("ansible.cfg"), "[defaults]\n# c\nhost_key_checking = maybe\n");
    // when read; then exit 2's error names the file and line
    InputException e = assertThrows(InputException.class, () -> read(Map.of()));
    assertTrue(e.getMessage().contains(cwd.resolve("ansible.cfg") + ":3"), e.getMessage());
    assertTrue(e.getMessage().contains("maybe"), e.getMessage());
  }

  @Test
  void commentsQuotesAndContinuationsAreConfigparsers() throws IOException {
    // given inline ';' comments, quotes, ':' as separator, upper-case keys and a continued value
    Files.writeString(
        cwd.resolve("ansible.cfg"),
        String.join(
            "\n",
            "# a comment",
            "; another",
            "[defaults]",
            "REMOTE_USER: \"deploy\" ; who logs in",
            "inventory = a.yml,",
            "    b.yml",
            "forks = 4;not a comment without a space before it",
            ""));
    // when read; then the values are configparser's
    InputException e = assertThrows(InputException.class, () -> read(Map.of()));
    assertTrue(e.getMessage().contains(":7"), e.getMessage());
    Files.writeString(
        cwd.resolve("ansible.cfg"),
        "[defaults]\nREMOTE_USER: \"deploy\" ; who logs in\ninventory = a.yml,\n    b.yml\n");
    AnsibleConfig c = read(Map.of());
    assertEquals(Optional.of("deploy"), c.remoteUser());
    assertEquals(List.of(cwd.resolve("a.yml"), cwd.resolve("b.yml")), c.inventories());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "remote_user = x|1|before any section",
        "[defaults]\\nthis line has no separator|2|not 'key = value'",
        "[defaults]\\nforks = 1\\nforks = 2|3|given twice",
        "[defaults]\\n[defaults]|2|given twice",
        "[defaults\\nforks=1|1|not a section header",
        "[defaults]\\nforks = zero|2|whole number",
        "[defaults]\\ntimeout = 0|2|whole number"
      })
  void aMalformedFileIsRefusedNamingFileAndLine(String text, int line, String why)
      throws IOException {
    // given a malformed ansible.cfg
    Files.writeString(cwd.resolve("ansible.cfg"), text.replace("\\n", "\n"));
    // when read; then the error names file:line and what is wrong
    InputException e = assertThrows(InputException.class, () -> read(Map.of()));
    assertTrue(e.getMessage().contains(cwd.resolve("ansible.cfg") + ":" + line), e.getMessage());
    assertTrue(e.getMessage().contains(why), e.getMessage());
  }

  @Test
  void everyIgnoredKeyIsWarnedOnceNamingWhy() throws IOException {
    // given honoured keys, an unknown [defaults] key and [ssh_connection] settings
    Files.writeString(
        cwd.resolve("ansible.cfg"),
        String.join(
            "\n",
            "[defaults]",
            "forks = 5",
            "stdout_callback = yaml",
            "[ssh_connection]",
            "ssh_args = -o ControlMaster=auto",
            "pipelining = True",
            "[privilege_escalation]",
            "become_ask_pass = False",
            ""));
    // when read
    List<String> w = read(Map.of()).warnings();
    // then each ignored key is one warning with its line and why; honoured keys none
    assertEquals(4, w.size(), w.toString());
    assertTrue(w.get(0).contains(":3:1: [defaults] stdout_callback is ignored"), w.get(0));
    assertTrue(w.get(1).contains(":5:1: [ssh_connection] ssh_args is ignored"), w.get(1));
    assertTrue(w.get(1).contains("sshj"), w.get(1));
    assertTrue(w.get(2).contains("pipelining"), w.get(2));
    assertFalse(w.stream().anyMatch(x -> x.contains("] forks ")), w.toString());
  }

  @Test
  void noFileAndNoEnvironmentSetNothing() {
    // given no file anywhere; when read; then nothing is set
    AnsibleConfig c = read(Map.of());
    assertEquals(AnsibleConfig.none(), c);
  }

  @Test
  void hostKeyCheckingOffIsAWarningNamingItsLine() throws IOException {
    // given host_key_checking = False on line 3 of ansible.cfg
    Files.writeString(cwd.resolve("ansible.cfg"), "[defaults]\n# c\nhost_key_checking = False\n");
    // when read
    AnsibleConfig c = read(Map.of());
    // then it accepts new keys, and a warning says so, where, and that it is not stored
    assertTrue(c.acceptNewHostKeys());
    assertEquals(1, c.warnings().size(), c.warnings()::toString);
    String w = c.warnings().get(0);
    assertTrue(w.startsWith(cwd.resolve("ansible.cfg") + ":3:"), w);
    assertTrue(w.contains("host_key_checking = False"), w);
    assertTrue(w.contains("--accept-new-host-keys") && w.contains("never stored"), w);
  }

  @Test
  void hostKeyCheckingOffFromTheVariableNamesTheVariable() {
    // given ANSIBLE_HOST_KEY_CHECKING=no, and no file
    AnsibleConfig c = read(Map.of("ANSIBLE_HOST_KEY_CHECKING", "no"));
    // then the warning names the variable
    assertEquals(
        List.of(),
        c.warnings().stream()
            .filter(w -> !w.startsWith("ANSIBLE_HOST_KEY_CHECKING = no: "))
            .toList());
    assertEquals(1, c.warnings().size());
  }

  @Test
  void hostKeyCheckingOnIsNoWarning() throws IOException {
    Files.writeString(cwd.resolve("ansible.cfg"), "[defaults]\nhost_key_checking = True\n");
    assertEquals(List.of(), read(Map.of()).warnings());
  }

  @Test
  void aConfigurationThatIsNoRegularFileIsRefusedWithoutReadingIt() throws Exception {
    // given ANSIBLE_CONFIG naming the process's environment, then a FIFO nobody writes to
    for (Path bad : java.util.List.of(Path.of("/proc/self/environ"), fifo("ansible.cfg"))) {
      // when the configuration is read, then it is refused at once, nothing of it quoted
      InputException e =
          assertThrows(InputException.class, () -> read(Map.of("ANSIBLE_CONFIG", bad.toString())));
      assertTrue(e.getMessage().contains("is not a regular file"), e.getMessage());
      assertFalse(e.getMessage().contains("PATH="), e.getMessage());
    }
  }

  private Path fifo(String name) throws Exception {
    Path f = tmp.resolve(name);
    Process p = new ProcessBuilder("mkfifo", f.toString()).start();
    assertEquals(0, p.waitFor());
    return f;
  }
}
