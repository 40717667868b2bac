package dev.orchestrator.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * A conversation with a program that asks for input on a terminal before it starts the real
 * command, for {@link Connection#execInTerminal}: {@code su} asking for a password (Ansible's
 * {@code su} become plugin answers the same prompt,
 * https://github.com/ansible/ansible/blob/v2.14.0/lib/ansible/plugins/become/su.py). The transport
 * shows the dialog what the terminal printed so far and does what it answers; nothing the terminal
 * printed before {@link Started} reaches the command's output, its listener or a log. Until it
 * started, the dialog's {@link #startWithin} bounds the conversation (Ansible: "Timeout waiting for
 * privilege escalation prompt", after its {@code timeout} setting).
 *
 * <p>Called on a reader thread: implementations keep their state thread-safe.
 */
public interface TerminalDialog {
  /**
   * Decides what to do next.
   *
   * @param transcript everything the terminal printed so far (decoded as UTF-8)
   * @return what to do
   */
  Reply next(String transcript);

  /**
   * How long the program may talk before it starts the command ({@link Started}): a prompt the
   * dialog does not recognise would otherwise wait for an answer forever. When it passes, the
   * transport closes the terminal (its program gets a hang-up) and returns a result that says timed
   * out.
   *
   * @return the deadline, counted from the exec request; positive
   */
  Duration startWithin();

  /** What the dialog answers. */
  sealed interface Reply permits Wait, Answer, Started, Abandon {}

  /** Nothing yet: read more. */
  record Wait() implements Reply {}

  /**
   * Type {@code text} on the terminal (a secret: {@link #toString} never shows it).
   *
   * @param text the bytes to type, UTF-8
   */
  record Answer(String text) implements Reply {
    /** Validates the field. */
    public Answer {
      Objects.requireNonNull(text, "text");
    }

    @Override
    public String toString() {
      return "Answer[****]";
    }
  }

  /**
   * The command started: what the terminal prints from {@code outputFrom} on (a char index in the
   * transcript) is the command's output.
   *
   * @param outputFrom where the command's output starts in the transcript
   */
  record Started(int outputFrom) implements Reply {
    /** Validates the field. */
    public Started {
      if (outputFrom < 0) {
        throw new IllegalArgumentException("outputFrom must be >= 0");
      }
    }
  }

  /**
   * Give up: the transport closes the terminal (its program gets a hang-up) and returns.
   *
   * @param reason why, for the dialog's own record
   */
  record Abandon(String reason) implements Reply {
    /** Validates the field. */
    public Abandon {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
