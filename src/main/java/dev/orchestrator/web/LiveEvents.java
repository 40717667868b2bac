package dev.orchestrator.web;

import dev.orchestrator.app.Orchestrator;
import io.javalin.http.sse.SseClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A run's events as server-sent events ({@code GET /api/v1/runs/{id}/events}, event {@code
 * run-event}, data: one JSON event as {@code --output json} writes it, id: how many events the
 * stream has sent, so that a reconnecting browser's {@code Last-Event-ID} resumes where it was).
 * The events come from the state store, whichever controller records them: one thread looks for new
 * ones every {@link #POLL_MS} ms for every follower.
 */
final class LiveEvents implements AutoCloseable {
  /** How often followers' runs are looked at for new events (ms). */
  static final long POLL_MS = 250;

  private final Orchestrator service;
  private final WebConsole.Settings settings;
  private final Map<SseClient, int[]> followers = new ConcurrentHashMap<>();
  private final ScheduledExecutorService poller =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "console-events");
            t.setDaemon(true);
            return t;
          });

  LiveEvents(Orchestrator service, WebConsole.Settings settings) {
    this.service = service;
    this.settings = settings;
    poller.scheduleWithFixedDelay(this::pushEvents, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
  }

  void follow(SseClient client) {
    int from = Inputs.eventId(client.ctx().header("Last-Event-ID"));
    client.keepAlive();
    followers.put(client, new int[] {from});
    client.onClose(() -> followers.remove(client));
  }

  /** Sends each follower the events stored since its last look (event id: the events' count). */
  private void pushEvents() {
    // the followers of one run share one read of its events per look
    Map<String, List<Map.Entry<SseClient, int[]>>> byRun = new java.util.HashMap<>();
    for (Map.Entry<SseClient, int[]> f : followers.entrySet()) {
      if (f.getKey().terminated()) {
        followers.remove(f.getKey());
      } else {
        byRun
            .computeIfAbsent(f.getKey().ctx().pathParam("id"), k -> new java.util.ArrayList<>())
            .add(f);
      }
    }
    byRun.forEach(
        (runId, fs) -> {
          int from = fs.stream().mapToInt(f -> f.getValue()[0]).min().orElse(0);
          List<String> fresh;
          try {
            fresh = service.events(settings.state(), runId, from);
          } catch (RuntimeException e) {
            return; // the store is unreachable for now: the next look tries again
          }
          for (Map.Entry<SseClient, int[]> f : fs) {
            send(f.getKey(), f.getValue(), fresh, from);
          }
        });
  }

  private void send(SseClient c, int[] seen, List<String> fresh, int from) {
    try {
      for (int i = seen[0] - from; i < fresh.size(); i++) {
        seen[0]++;
        c.sendEvent("run-event", fresh.get(i), Integer.toString(seen[0]));
      }
    } catch (RuntimeException e) {
      followers.remove(c);
      c.close();
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
    followers.keySet().forEach(SseClient::close);
  }
}
