package dev.orchestrator.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.orchestrator.app.Actor;
import dev.orchestrator.app.ConnectionSettings;
import dev.orchestrator.app.GateChoice;
import dev.orchestrator.app.Orchestrator;
import dev.orchestrator.app.Outcome;
import dev.orchestrator.app.ResumeRequest;
import dev.orchestrator.app.StepDecision;
import dev.orchestrator.app.StoredRunRequest;
import dev.orchestrator.app.VarsInput;
import dev.orchestrator.common.ErrorKind;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.rollout.ApprovalPolicy;
import dev.orchestrator.state.RunInfo;
import dev.orchestrator.state.RunState;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The console's JSON API under {@code /api/v1/}; the pages ({@link PageRoutes}) render the same
 * data ({@link RunJson}) and act through it. Actions go through {@link Orchestrator} as the CLI's
 * do; those that execute (resume, approve then continue, abort with rollback) run on a background
 * thread of this process, one at a time per run, while the pages follow them live.
 */
final class Api implements AutoCloseable {
  static final String USER = "orchestrator.user";
  static final String CSRF = "orchestrator.csrf";

  /** How many of the newest runs the runs list shows with their progress. */
  static final int PROGRESS_RUNS = 50;

  /** How many bytes of a log one request returns at most. */
  static final int LOG_CHUNK = 256 * 1024;

  private final Orchestrator service;
  private final WebConsole.Settings settings;
  private final Pages pages;
  private final ExecutorService actions =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "console-action");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, String> running = new ConcurrentHashMap<>();
  private final Map<String, String> lastError = new ConcurrentHashMap<>();

  private final PageRoutes pageRoutes;
  private final RunPlans plans;
  private final LiveEvents live;

  Api(Orchestrator service, WebConsole.Settings settings, Pages pages) {
    this.service = service;
    this.settings = settings;
    this.pages = pages;
    this.pageRoutes = new PageRoutes(this, service, settings, pages);
    this.plans = new RunPlans(service, settings.state());
    this.live = new LiveEvents(service, settings);
  }

  void routes(RoutesConfig r) {
    pageRoutes.routes(r);
    r.get("/api/v1/me", ctx -> json(ctx, me(ctx)));
    r.get("/api/v1/runs", ctx -> json(ctx, Map.of("runs", runs())));
    r.get("/api/v1/runs/{id}", ctx -> json(ctx, run(ctx, ctx.pathParam("id"))));
    r.get("/api/v1/runs/{id}/log", this::log);
    // an unknown run is a 404 before the stream starts (its status line is sent with the headers)
    r.before(
        "/api/v1/runs/{id}/events",
        ctx -> {
          Inputs.eventId(ctx.header("Last-Event-ID"));
          service.status(settings.state(), ctx.pathParam("id"));
        });
    r.sse("/api/v1/runs/{id}/events", live::follow);
    r.post("/api/v1/runs/{id}/approve", ctx -> decide(ctx, true));
    r.post("/api/v1/runs/{id}/reject", ctx -> decide(ctx, false));
    r.post("/api/v1/runs/{id}/resume", this::resume);
    r.post("/api/v1/runs/{id}/abort", this::abort);
  }

  PageRoutes pageRoutes() {
    return pageRoutes;
  }

  @Override
  public void close() {
    live.close();
  }

  static User user(Context ctx) {
    User u = ctx.attribute(USER);
    if (u == null) {
      throw new io.javalin.http.UnauthorizedResponse("log in first");
    }
    return u;
  }

  static void json(Context ctx, Object body) {
    try {
      ctx.contentType("application/json; charset=utf-8")
          .result(WebConsole.JSON.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> me(Context ctx) {
    User u = user(ctx);
    return Map.of("name", u.name(), "role", u.role().label());
  }

  // ---- reading

  List<Map<String, Object>> runs() {
    List<Map<String, Object>> out = new ArrayList<>();
    List<RunInfo> infos = new ArrayList<>(service.status(settings.state()).runs());
    java.util.Collections.reverse(infos); // newest first
    for (RunInfo info : infos) {
      // progress (hosts started and finished) for the newest runs: each needs its journal read
      out.add(
          out.size() < PROGRESS_RUNS
              ? RunJson.summary(service.status(settings.state(), info.id()).state())
              : RunJson.summary(info));
    }
    return out;
  }

  Map<String, Object> run(Context ctx, String runId) {
    RunState state = service.status(settings.state(), runId).state();
    RunPlans.Planned planned = plans.of(state);
    Optional<Plan> plan = planned.plan();
    String planError = planned.error();
    List<String> steps;
    if (plan.isPresent()) {
      steps = new ArrayList<>();
      for (var s : plan.get().playbook().steps()) {
        steps.add(s.id());
      }
    } else {
      steps = new ArrayList<>();
      state
          .checkpoints()
          .values()
          .forEach(
              m ->
                  m.keySet()
                      .forEach(
                          k -> {
                            if (!steps.contains(k)) {
                              steps.add(k);
                            }
                          }));
    }
    Map<String, Object> m =
        RunJson.full(state, plan, planError, steps, user(ctx), running.containsKey(runId));
    m.put("action", running.getOrDefault(runId, ""));
    m.put("last_error", lastError.getOrDefault(runId, ""));
    return m;
  }

  private void log(Context ctx) {
    String runId = ctx.pathParam("id");
    String name = Inputs.required(ctx.queryParam("name"), "name");
    long offset = Inputs.parseLong(ctx.queryParam("offset"));
    byte[] bytes;
    try (InputStream in = service.readLog(settings.state(), runId, name, offset)) {
      bytes = in.readNBytes(LOG_CHUNK);
    } catch (IOException e) {
      throw new io.javalin.http.NotFoundResponse(
          "no such log yet: " + dev.orchestrator.common.Echo.quote(name));
    }
    ctx.header("X-Next-Offset", Long.toString(offset + bytes.length));
    ctx.contentType("text/plain; charset=utf-8").result(bytes);
  }

  // ---- acting

  private StoredRunRequest request(Context ctx, String runId) {
    return new StoredRunRequest(
        runId,
        settings.state(),
        VarsInput.none(),
        ConnectionSettings.none(),
        settings.hints(),
        Actor.web(user(ctx).name(), WebConsole.clientAddress(ctx, settings.trustedProxies())));
  }

  private void decide(Context ctx, boolean approve) {
    String runId = ctx.pathParam("id");
    User u = user(ctx);
    if (u.role() == dev.orchestrator.playbook.Role.VIEWER) {
      throw new ForbiddenResponse("a viewer cannot approve or reject");
    }
    // a reject takes only a comment: approve's fields there are refused, not ignored
    Bodies.Approve body =
        approve
            ? Inputs.bind(ctx, Bodies.Approve.class)
            : new Bodies.Approve(Inputs.bind(ctx, Bodies.Reject.class).comment(), "", true);
    String comment = Inputs.comment(body.comment());
    StoredRunRequest request = request(ctx, runId);
    refuseWhileRunning(runId);
    var decided =
        service.decide(
            request,
            approve
                ? new GateChoice.Approve(
                    Optional.ofNullable(Inputs.emptyToNull(body.stage())), comment)
                : new GateChoice.Reject(comment),
            request.actor(),
            Optional.of(u.role()));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("run", runId);
    out.put("action", approve ? "approve" : "reject");
    out.put("gates", decided.gates().stream().map(g -> g.key()).toList());
    if (approve && !body.noResume()) {
      background(
          runId,
          "resume",
          () -> service.resume(ResumeRequest.plain(request), e -> {}, settings.console()));
      out.put("resuming", true);
    }
    ctx.status(HttpStatus.ACCEPTED);
    json(ctx, out);
  }

  private void resume(Context ctx) {
    String runId = ctx.pathParam("id");
    requireOperator(ctx);
    Bodies.Resume body = Inputs.bind(ctx, Bodies.Resume.class);
    Optional<StepDecision> decision = Optional.empty();
    String kind = body.decision();
    if (!kind.isEmpty()) {
      StepDecision.Kind k =
          switch (kind) {
            case "skip" -> StepDecision.Kind.SKIP;
            case "assume_done" -> StepDecision.Kind.ASSUME_DONE;
            case "rerun" -> StepDecision.Kind.RERUN;
            default ->
                throw new BadRequestResponse(
                    "decision must be skip, assume_done or rerun, found "
                        + dev.orchestrator.common.Echo.quote(kind));
          };
      decision =
          Optional.of(
              new StepDecision(
                  k, Inputs.required(body.step(), "step"), Inputs.required(body.host(), "host")));
    }
    ResumeRequest request =
        new ResumeRequest(
            request(ctx, runId),
            body.retryFailed(),
            decision,
            body.rerunSteps(),
            false,
            ApprovalPolicy.WAIT_FOR_PERSON);
    refuseWhileRunning(runId);
    // what resume refuses at once is said now (404, 400), not later in the background
    service.checkResumable(settings.state(), runId, settings.hints());
    background(runId, "resume", () -> service.resume(request, e -> {}, settings.console()));
    ctx.status(HttpStatus.ACCEPTED);
    json(ctx, Map.of("run", runId, "action", "resume"));
  }

  private void abort(Context ctx) {
    String runId = ctx.pathParam("id");
    requireOperator(ctx);
    boolean rollback = Inputs.bind(ctx, Bodies.Abort.class).rollback();
    StoredRunRequest request = request(ctx, runId);
    refuseWhileRunning(runId);
    if (rollback) {
      service.status(settings.state(), runId);
      background(
          runId,
          "abort --rollback",
          () -> service.abort(request, true, e -> {}, settings.console()));
      ctx.status(HttpStatus.ACCEPTED);
    } else {
      service.abort(request, false, e -> {}, settings.console());
    }
    json(ctx, Map.of("run", runId, "action", rollback ? "abort --rollback" : "abort"));
  }

  static void requireOperator(Context ctx) {
    if (!user(ctx).role().mayOperate()) {
      throw new ForbiddenResponse(
          "resume and abort need role operator or admin; "
              + user(ctx).name()
              + " is "
              + user(ctx).role().label());
    }
  }

  private void refuseWhileRunning(String runId) {
    String action = running.get(runId);
    if (action != null) {
      throw new ConflictResponse(
          "this console is already running '"
              + action
              + "' on run "
              + runId
              + ": wait for it to pause or finish");
    }
  }

  private void background(
      String runId, String action, java.util.concurrent.Callable<Outcome> work) {
    if (running.putIfAbsent(runId, action) != null) {
      throw new ConflictResponse(
          "an action is already under way on run " + runId + ": wait for it to pause or finish");
    }
    lastError.remove(runId);
    PrintWriter err = settings.console().err();
    actions.submit(
        () -> {
          try {
            Outcome o = work.call();
            err.println("orchestrator serve: " + action + " of run " + runId + ": " + o);
          } catch (OrchestratorException e) {
            lastError.put(runId, e.getMessage() + " (" + e.hint() + ")");
            err.println(
                "orchestrator serve: " + action + " of run " + runId + ": " + e.getMessage());
          } catch (Exception e) {
            lastError.put(runId, "internal error (a bug): " + e);
            err.println("orchestrator serve: " + action + " of run " + runId + " failed: " + e);
          } finally {
            running.remove(runId);
            err.flush();
          }
          return null;
        });
  }

  /**
   * The HTTP status of a failure of a kind, the web console's one mapping of {@link ErrorKind}: 400
   * input, 404 a run that does not exist, 403 who asks, 409 busy elsewhere or a run whose state
   * does not allow it, 502 a host or download, 503 the state store, 500 a bug.
   */
  static int status(ErrorKind kind) {
    return switch (kind) {
      case INVALID_INPUT -> 400;
      case NOT_FOUND -> 404;
      case NOT_ALLOWED -> 403;
      case CONFLICT, RUN_ABORTED -> 409;
      case UPSTREAM_FAILED -> 502;
      case STATE_UNAVAILABLE -> 503;
      case BUG -> 500;
    };
  }

  /** Answers a service's error with its status ({@link #status(ErrorKind)}), message and hint. */
  void serviceError(OrchestratorException e, Context ctx) {
    int status = status(e.kind());
    ctx.status(status);
    String message = e.getMessage();
    String hint = e.hint();
    if (e.kind() == ErrorKind.NOT_FOUND) {
      // the store's message names its folder (an absolute path) and suggests other runs' ids
      String id = ctx.pathParamMap().getOrDefault("id", "");
      message = "there is no run " + dev.orchestrator.common.Echo.quote(id);
      hint =
          ctx.path().startsWith("/api/")
              ? "list the runs with GET /api/v1/runs"
              : "the runs page lists the runs";
    }
    if (ctx.path().startsWith("/api/")) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("error", message);
      m.put("hint", hint);
      m.put("status", status);
      json(ctx, m);
    } else {
      WebConsole.html(ctx, pages.render("error", pageRoutes.errorModel(ctx, message, hint)));
    }
  }
}
