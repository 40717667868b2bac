package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code copy: src=FILE dest=FOLDER} writes {@code FOLDER/FILE}, as Ansible's copy action does
 * (ansible-core 2.14 {@code plugins/action/copy.py}: a destination that is a folder gets the
 * source's name): ansible-examples' {@code lamp_haproxy} role common copies {@code
 * RPM-GPG-KEY-EPEL-6} to {@code /etc/pki/rpm-gpg}, which we refused as "not a regular file".
 */
class CopyIntoFolderCliTest {
  @TempDir Path dir;

  @Test
  void aSourceCopiedToAFolderLandsInItUnderItsNameOnceAsAnsibleDoes(@TempDir Path home)
      throws Exception {
    // given a file and an existing folder as the destination
    Path folder = Files.createDirectories(dir.resolve("rpm-gpg"));
    Files.writeString(dir.resolve("KEY"), "key\n");
    Files.writeString(
        dir.resolve("pb.yml"),
        "- hosts: all\n  gather_facts: false\n  tasks:\n    - name: key\n"
            + "      copy: src=KEY dest="
            + folder
            + "\n");
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1:\n      connection: local\n");
    Cli.Session cli = Cli.withLocalHome(home);
    String pb = dir.resolve("pb.yml").toString();
    String inv = dir.resolve("inv.yml").toString();
    // when it runs twice
    Cli.Result first = cli.run("run", pb, "-i", inv, "--state-dir", dir.resolve("s1").toString());
    Cli.Result again = cli.run("run", pb, "-i", inv, "--state-dir", dir.resolve("s2").toString());
    // then the file is in the folder under the source's name, changed once
    assertEquals(0, first.exitCode(), first.out() + first.err());
    assertEquals(0, again.exitCode(), again.out() + again.err());
    assertEquals("key\n", Files.readString(folder.resolve("KEY")));
    assertTrue(first.out().contains("changed=1"), first.out());
    assertTrue(again.out().contains("changed=0"), again.out());
  }
}
