package dev.orchestrator.execute;

import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.ExecResult;
import dev.orchestrator.transport.OutputListener;
import dev.orchestrator.transport.TransportException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * A {@link Connection} that answers from a script: no process, no network, no clock. Each rule
 * matches commands by a predicate and answers with its replies in turn (the last one repeats); a
 * command no rule matches fails the test. Every command and {@code put} is recorded, in order.
 */
final class ScriptedConnection implements Connection {
  /** An answer to a command: a result, or a broken connection. */
  @FunctionalInterface
  interface Reply {
    ExecResult answer(String command) throws TransportException;
  }

  private record Rule(String name, Predicate<String> matches, Deque<Reply> replies) {}

  private final List<Rule> rules = new ArrayList<>();
  private Optional<Reply> onPut = Optional.empty();

  /** What was sent, in order: a rule's name per command, {@code put DEST} per upload. */
  final List<String> sent = new CopyOnWriteArrayList<>();

  /** A result with an exit code and stdout. */
  static Reply exit(int code, String stdout) {
    return c -> new ExecResult(code, stdout, "", Duration.ofMillis(5), false);
  }

  /** A result with an exit code and stderr. */
  static Reply fail(int code, String stderr) {
    return c -> new ExecResult(code, "", stderr, Duration.ofMillis(5), false);
  }

  /** The connection breaks. */
  static Reply broken(String why) {
    return c -> {
      throw new TransportException(TransportException.Kind.LOST, why, null);
    };
  }

  /** Answers the commands {@code matches} accepts, recorded as {@code name}. */
  ScriptedConnection on(String name, Predicate<String> matches, Reply... replies) {
    rules.add(new Rule(name, matches, new ArrayDeque<>(List.of(replies))));
    return this;
  }

  /** Answers the commands that contain {@code text}, recorded as {@code name}. */
  ScriptedConnection on(String name, String text, Reply... replies) {
    return on(name, c -> c.contains(text), replies);
  }

  /** Runs {@code reply} for every {@code put} (its command is {@code put DEST}). */
  ScriptedConnection onPut(Reply reply) {
    onPut = Optional.of(reply);
    return this;
  }

  @Override
  public ExecResult exec(String command, Optional<Duration> timeout, OutputListener listener)
      throws TransportException {
    for (Rule rule : rules) {
      if (rule.matches().test(command)) {
        sent.add(rule.name());
        Reply reply = rule.replies().size() > 1 ? rule.replies().poll() : rule.replies().peek();
        ExecResult result = reply.answer(command);
        result.stdout().lines().forEach(l -> listener.line(OutputListener.Stream.STDOUT, l));
        result.stderr().lines().forEach(l -> listener.line(OutputListener.Stream.STDERR, l));
        return result;
      }
    }
    throw new AssertionError("unexpected command: " + command);
  }

  @Override
  public void put(Path local, String remote, LongConsumer progress) throws TransportException {
    sent.add("put " + remote);
    if (onPut.isPresent()) {
      onPut.get().answer("put " + remote);
    }
    progress.accept(local.toFile().length());
  }

  @Override
  public void close() {}
}
