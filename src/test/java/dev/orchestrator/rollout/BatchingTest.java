package dev.orchestrator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.playbook.BatchSize;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchingTest {
  private static List<Integer> hosts(int n) {
    return IntStream.rangeClosed(1, n).boxed().toList();
  }

  private static List<Integer> sizes(int hosts, BatchSize... serial) {
    return Batching.split(hosts(hosts), List.of(serial)).stream().map(List::size).toList();
  }

  @Test
  void aNumberMakesEqualBatchesAndARemainder() {
    assertEquals(List.of(2, 2, 1), sizes(5, new BatchSize(2, false)));
  }

  @Test
  void aListUsesEachValueThenRepeatsTheLast() {
    // Ansible: serial [1, "10%", "50%"] over 20 hosts -> 1, 2, 10, 7
    assertEquals(
        List.of(1, 2, 10, 7),
        sizes(20, new BatchSize(1, false), new BatchSize(10, true), new BatchSize(50, true)));
  }

  @Test
  void percentagesRoundDownButNeverBelowOneHost() {
    assertEquals(List.of(1, 1, 1), sizes(3, new BatchSize(10, true)));
    assertEquals(List.of(3, 3, 1), sizes(7, new BatchSize(50, true)));
  }

  @Test
  void allHostsAtOnceByDefault() {
    assertEquals(List.of(6), sizes(6, BatchSize.ALL));
    assertEquals(List.of(), sizes(0, BatchSize.ALL));
  }

  @Test
  void batchesKeepHostOrder() {
    assertEquals(
        List.of(List.of(1, 2), List.of(3)),
        Batching.split(hosts(3), List.of(new BatchSize(2, false))));
  }

  @Test
  void failureBudgetMustBeExceeded() {
    assertTrue(FailureBudget.exceeded(1, 4, 0));
    assertFalse(FailureBudget.exceeded(0, 4, 0));
    assertFalse(FailureBudget.exceeded(1, 4, 25), "25% is not above 25%");
    assertTrue(FailureBudget.exceeded(2, 4, 25));
    assertFalse(FailureBudget.exceeded(4, 4, 100));
  }

  @Test
  void ansibleDocumentedSerialList() {
    // Ansible docs ("Setting the batch size with serial"): serial [1, 5, 10] runs 1 host, then 5,
    // then batches of 10 until none are left.
    assertEquals(
        List.of(1, 5, 10, 10, 4),
        sizes(30, new BatchSize(1, false), new BatchSize(5, false), new BatchSize(10, false)));
  }

  @Test
  void ansibleDocumentedPercentageList() {
    // serial ["10%", "20%", "100%"] over 20 hosts: 2, then 4, then the 14 left.
    assertEquals(
        List.of(2, 4, 14),
        sizes(20, new BatchSize(10, true), new BatchSize(20, true), new BatchSize(100, true)));
    // the canary list [1, "10%", "50%", "100%"] over 50 hosts
    assertEquals(
        List.of(1, 5, 25, 19),
        sizes(
            50,
            new BatchSize(1, false),
            new BatchSize(10, true),
            new BatchSize(50, true),
            BatchSize.ALL));
  }
}
