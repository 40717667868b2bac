package dev.orchestrator.web;

import dev.orchestrator.app.ConnectionSettings;
import dev.orchestrator.app.Orchestrator;
import dev.orchestrator.app.VarsInput;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.rollout.ApprovalPolicy;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The console's pages: runs, a run's live view, a step log, the HTML report and the plan view,
 * rendered by {@link Pages} (autoescaped) from the data the API gives ({@link Api#run}); their
 * buttons call the API ({@code console.js}).
 */
final class PageRoutes {
  private final Api api;
  private final Orchestrator service;
  private final WebConsole.Settings settings;
  private final Pages pages;

  PageRoutes(Api api, Orchestrator service, WebConsole.Settings settings, Pages pages) {
    this.api = api;
    this.service = service;
    this.settings = settings;
    this.pages = pages;
  }

  void routes(RoutesConfig r) {
    r.get("/", this::runsPage);
    r.get("/runs/{id}", this::runPage);
    r.get("/runs/{id}/log", this::logPage);
    r.get("/runs/{id}/report", this::report);
    r.get("/plan", ctx -> WebConsole.html(ctx, pages.render("plan", planModel(ctx, "", "", ""))));
    r.post("/plan", this::planPage);
  }

  private Map<String, Object> base(Context ctx, String title) {
    Map<String, Object> m = new LinkedHashMap<>();
    User u = ctx.attribute(Api.USER);
    m.put("title", title);
    m.put("user", u == null ? "" : u.name());
    m.put("role", u == null ? "" : u.role().label());
    String csrf = ctx.attribute(Api.CSRF);
    m.put("csrf", csrf == null ? "" : csrf);
    m.put("operator", u != null && u.role().mayOperate());
    return m;
  }

  Map<String, Object> errorModel(Context ctx, String message, String hint) {
    Map<String, Object> m = base(ctx, "Error");
    m.put("message", message);
    m.put("hint", hint);
    return m;
  }

  private void runsPage(Context ctx) {
    Map<String, Object> m = base(ctx, "Runs");
    m.put("runs", api.runs());
    m.put("store", settings.state().describe());
    WebConsole.html(ctx, pages.render("runs", m));
  }

  private void runPage(Context ctx) {
    String runId = ctx.pathParam("id");
    Map<String, Object> m = base(ctx, "Run " + runId);
    m.put("run", api.run(ctx, runId));
    WebConsole.html(ctx, pages.render("run", m));
  }

  private void logPage(Context ctx) {
    String runId = ctx.pathParam("id");
    String name = Inputs.required(ctx.queryParam("name"), "name");
    Map<String, Object> m = base(ctx, "Log " + name);
    m.put("run_id", runId);
    m.put("name", name);
    WebConsole.html(ctx, pages.render("log", m));
  }

  private void report(Context ctx) throws IOException {
    var file = service.report(settings.state(), ctx.pathParam("id"));
    // the report is a standalone page with inline styles: sandboxed, no scripts
    ctx.header(
        "Content-Security-Policy",
        "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    ctx.contentType("text/html; charset=utf-8").result(Files.readAllBytes(file));
  }

  private Map<String, Object> planModel(
      Context ctx, String playbook, String inventory, String text) {
    Map<String, Object> m = base(ctx, "Plan");
    m.put("playbook", playbook);
    m.put("inventory", inventory);
    m.put("plan", text);
    return m;
  }

  private void planPage(Context ctx) {
    Api.requireOperator(ctx);
    String playbook = Inputs.required(ctx.formParam("playbook"), "playbook");
    String inventory = Inputs.required(ctx.formParam("inventory"), "inventory");
    boolean check = "on".equals(ctx.formParam("check"));
    var request =
        new dev.orchestrator.app.RunRequest(
            java.nio.file.Path.of(playbook),
            List.of(java.nio.file.Path.of(inventory)),
            Optional.empty(),
            VarsInput.none(),
            dev.orchestrator.app.Selection.all(),
            ConnectionSettings.none(),
            5,
            settings.state(),
            false,
            ApprovalPolicy.WAIT_FOR_PERSON,
            settings.hints());
    StringWriter text = new StringWriter();
    try (PrintWriter out = new PrintWriter(text)) {
      var result =
          service.plan(new dev.orchestrator.app.PlanRequest(request, Optional.empty(), check));
      result.warnings().forEach(w -> out.println("warning: " + w));
      result
          .unreachable()
          .forEach((h, why) -> out.println("plan --check: " + h + " could not be probed: " + why));
      dev.orchestrator.report.PlanRenderer.text(result.plan(), result.probed(), out);
    } catch (OrchestratorException e) {
      text.write("error: " + e.getMessage() + "\n" + e.hint() + "\n");
    }
    WebConsole.html(
        ctx, pages.render("plan", planModel(ctx, playbook, inventory, text.toString())));
  }
}
