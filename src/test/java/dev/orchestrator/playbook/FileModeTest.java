package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FileModeTest {
  @Test
  void octalStringsAreReadAsAnsibleReadsThem() {
    // given octal strings with and without the leading 0
    // then they give the same bits, whatever the file has now
    assertEquals(0644, new FileMode("0644").apply(0777));
    assertEquals(0644, new FileMode("644").apply(0));
    assertEquals(04755, new FileMode("4755").apply(0));
    assertEquals("0640", FileMode.format(0640));
  }

  @Test
  void aYamlIntegerWithALeadingZeroIsOctalAndADecimalOneIsRefused() {
    // given YAML integers as written (YAML 1.1 reads 0644 as octal, as Ansible sees it)
    assertEquals("644", FileMode.ofYamlInt("0644").text());
    assertEquals("755", FileMode.ofYamlInt("0o755").text());
    // when a decimal integer is given (Ansible would apply 644 as 01204)
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FileMode.ofYamlInt("644"));
    // then it is refused, naming what Ansible would do and what to write
    assertTrue(e.getMessage().contains("01204"), e.getMessage());
    assertTrue(e.getMessage().contains("\"0644\""), e.getMessage());
  }

  @Test
  void symbolicModesApplyAsChmodDoes() {
    assertEquals(0644, new FileMode("u=rw,g=r,o=r").apply(0777));
    assertEquals(0755, new FileMode("u+x,g+x,o+x").apply(0644));
    assertEquals(0600, new FileMode("go-rwx").apply(0644));
    assertEquals(0755, new FileMode("a+X").apply(0744)); // X: some execute bit is set
    assertEquals(0644, new FileMode("a+X").apply(0644));
    assertEquals(0664, new FileMode("g=u").apply(0644));
    assertEquals(0444, new FileMode("-w").apply(0666));
  }

  @Test
  void anythingElseIsRefusedBeforeItCanReachAShell() {
    for (String bad :
        new String[] {"", "0999", "rw", "u=rw;reboot", "$(id)", "0644 x", "u=rw,", "12345"}) {
      assertThrows(IllegalArgumentException.class, () -> new FileMode(bad), bad);
    }
  }
}
