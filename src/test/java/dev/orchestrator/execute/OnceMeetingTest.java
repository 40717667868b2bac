package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where the host that runs a run_once step is, as the waiting hosts of its batch ask. */
class OnceMeetingTest {
  @Test
  void aBatchsHostsAreUnderWayUntilTheyEndAndOthersAreAbsent() {
    // given a meeting told its batch
    OnceMeeting meeting = new OnceMeeting();
    meeting.batch(List.of("web1", "web2"));
    // then its hosts are under way, a host outside it is absent
    assertEquals(OnceMeeting.Whereabouts.UNDER_WAY, meeting.of("web1"));
    assertEquals(OnceMeeting.Whereabouts.ABSENT, meeting.of("web3"));
    // when web1 ends, then it has ended, with how
    meeting.ended("web1", "paused at step build");
    assertEquals(OnceMeeting.Whereabouts.ENDED, meeting.of("web1"));
    assertEquals(Optional.of("paused at step build"), meeting.how("web1"));
    // when the next batch (web1 again: a deferred phase, a new pass) starts, web1 is under way
    meeting.batch(List.of("web1"));
    assertEquals(OnceMeeting.Whereabouts.UNDER_WAY, meeting.of("web1"));
  }

  @Test
  void aMeetingNeverToldItsBatchCannotTell() {
    // given a batch shared with other controllers: never told which hosts run here
    OnceMeeting meeting = new OnceMeeting();
    // then every host's whereabouts are unknown (OnceSteps pauses rather than wait across
    // controllers)
    assertEquals(OnceMeeting.Whereabouts.UNKNOWN, meeting.of("web1"));
  }
}
