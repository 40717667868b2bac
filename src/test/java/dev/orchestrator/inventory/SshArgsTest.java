package dev.orchestrator.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A host's ansible_ssh_common_args/ansible_ssh_extra_args read for what orchestrator honours. */
class SshArgsTest {
  @Test
  void strictCheckingIsHonouredEveryOtherOptionNamed() {
    // given the test fleet's arguments and extra ones
    Map<String, Object> vars =
        Map.of(
            "ansible_ssh_common_args",
            "-o UserKnownHostsFile=/k/known -o StrictHostKeyChecking=yes",
            "ansible_ssh_extra_args",
            "-o ControlMaster=auto -C");
    // when read; then StrictHostKeyChecking=yes is ours, the others are named with what to do
    assertEquals(
        List.of(
            "-o UserKnownHostsFile=/k/known (give --known-hosts /k/known: orchestrator reads one)",
            "-o ControlMaster=auto",
            "-C"),
        SshArgs.ignored(vars));
  }

  @Test
  void relaxedHostKeyCheckingIsNamedWithTheFlagThatDoesIt() {
    // given StrictHostKeyChecking=no; when read; then it is named with --accept-new-host-keys
    List<String> ignored =
        SshArgs.ignored(Map.of("ansible_ssh_common_args", "-o StrictHostKeyChecking=no"));
    assertEquals(1, ignored.size());
    assertEquals(true, ignored.get(0).contains("--accept-new-host-keys"), ignored.get(0));
  }

  @Test
  void aJumpHostIsFoundInEitherForm() {
    // given -J and -o ProxyJump=; when read; then the jump host is found
    assertEquals(
        Optional.of("ops@bastion:2222"),
        SshArgs.jumpHost(Map.of("ansible_ssh_common_args", "-J ops@bastion:2222")));
    assertEquals(
        Optional.of("bastion"),
        SshArgs.jumpHost(Map.of("ansible_ssh_extra_args", "-C -o ProxyJump=bastion")));
    assertEquals(Optional.empty(), SshArgs.jumpHost(Map.of("ansible_ssh_common_args", "-C")));
  }

  @Test
  void theInventoryWarnsOncePerHostAtItsLine(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
    // given two hosts sharing ignored options through [all:vars], and one with its own
    java.nio.file.Path ini = dir.resolve("hosts");
    java.nio.file.Files.writeString(
        ini,
        "[web]\nw1\nw2 ansible_ssh_extra_args='-C'\n[all:vars]\n"
            + "ansible_ssh_common_args='-o ControlPersist=60s -o ServerAliveInterval=5'\n");
    // when loaded
    List<InventoryWarning> w = InventoryLoader.load(ini).warnings();
    // then each host has one warning, at its line, naming every ignored option
    assertEquals(2, w.size(), w.toString());
    assertEquals(2, w.get(0).location().line());
    assertEquals(
        "host 'w1': SSH options orchestrator ignores (it connects with its own SSH client):"
            + " -o ControlPersist=60s, -o ServerAliveInterval=5",
        w.get(0).message());
    assertEquals(
        true, w.get(1).message().endsWith("ServerAliveInterval=5, -C"), w.get(1).message());
  }

  @Test
  void aLineThatCannotBeSplitIsNamed() {
    // given an unclosed quote; when read; then it is named, not guessed
    List<String> ignored =
        SshArgs.ignored(Map.of("ansible_ssh_common_args", "-o ProxyCommand=\"ssh -W"));
    assertEquals(1, ignored.size());
    assertEquals(true, ignored.get(0).contains("cannot be split"), ignored.get(0));
  }
}
