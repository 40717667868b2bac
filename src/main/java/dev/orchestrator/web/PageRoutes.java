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
import java.nio.file.Path;
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
    r.get("/plan", this::planForm);
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

  private Map<String, Object> planModel(Context ctx, PlanChoices choices, String text) {
    Map<String, Object> m = base(ctx, "Plan");
    m.put("playbooks", List.copyOf(choices.playbooks().keySet()));
    m.put("inventories", List.copyOf(choices.inventories().keySet()));
    m.put("runs", storedRuns());
    m.put("playbook", Optional.ofNullable(ctx.formParam("playbook")).orElse(""));
    m.put("inventory", Optional.ofNullable(ctx.formParam("inventory")).orElse(""));
    m.put("run", Optional.ofNullable(ctx.formParam("run")).orElse(""));
    m.put("nothing", choices.empty());
    m.put("plan", text);
    return m;
  }

  /** The newest stored runs' ids, which the form offers to plan (what is left of each). */
  private List<String> storedRuns() {
    List<String> ids = new java.util.ArrayList<>();
    var runs = service.status(settings.state()).runs();
    for (int i = runs.size() - 1; i >= 0 && ids.size() < Api.PROGRESS_RUNS; i--) {
      ids.add(runs.get(i).id());
    }
    return ids;
  }

  private PlanChoices choices() {
    return PlanChoices.scan(settings.playbooks(), settings.inventories(), settings.usersFile());
  }

  private void planForm(Context ctx) {
    Api.requireOperator(ctx);
    WebConsole.html(ctx, pages.render("plan", planModel(ctx, choices(), "")));
  }

  /**
   * Plans a choice of the form: a stored run (what is left of it), or a playbook and an inventory
   * of the lists the console made ({@link PlanChoices}); a choice not in them is a 400. Errors show
   * where (the choice's name, line and column), never the files' text: the whole message goes to
   * the console's terminal.
   */
  private void planPage(Context ctx) {
    Api.requireOperator(ctx);
    PlanChoices choices = choices();
    String runId = Optional.ofNullable(ctx.formParam("run")).orElse("");
    StringWriter text = new StringWriter();
    try (PrintWriter out = new PrintWriter(text)) {
      if (!runId.isEmpty()) {
        if (!storedRuns().contains(runId)) {
          throw new io.javalin.http.BadRequestResponse(
              "that run is not one the console offers: choose one from the list");
        }
        planStored(runId, out);
      } else {
        planFiles(ctx, choices, out);
      }
    }
    WebConsole.html(ctx, pages.render("plan", planModel(ctx, choices, text.toString())));
  }

  private void planStored(String runId, PrintWriter out) {
    try {
      out.println("what is left of run " + runId + ":");
      dev.orchestrator.report.PlanRenderer.text(
          service.plannedRest(settings.state(), runId), false, out);
    } catch (OrchestratorException e) {
      out.println(withheld("run " + runId, e, Map.of()));
    }
  }

  private void planFiles(Context ctx, PlanChoices choices, PrintWriter out) {
    String pKey = Inputs.required(ctx.formParam("playbook"), "playbook");
    String iKey = Inputs.required(ctx.formParam("inventory"), "inventory");
    Path playbook = chosen(choices.playbooks(), pKey, "playbook");
    Path inventory = chosen(choices.inventories(), iKey, "inventory");
    boolean check = "on".equals(ctx.formParam("check"));
    var request =
        new dev.orchestrator.app.RunRequest(
            playbook,
            List.of(inventory),
            Optional.empty(),
            VarsInput.none(),
            dev.orchestrator.app.Selection.all(),
            ConnectionSettings.none(),
            5,
            settings.state(),
            false,
            ApprovalPolicy.WAIT_FOR_PERSON,
            settings.hints());
    try {
      var result =
          service.plan(new dev.orchestrator.app.PlanRequest(request, Optional.empty(), check));
      Map<String, String> names = Map.of(playbook.toString(), pKey, inventory.toString(), iKey);
      result.warnings().forEach(w -> out.println(withheldWarning(w, names)));
      result
          .unreachable()
          .forEach((h, why) -> out.println("plan --check: " + h + " could not be probed: " + why));
      dev.orchestrator.report.PlanRenderer.text(result.plan(), result.probed(), out);
    } catch (OrchestratorException e) {
      out.println(
          withheld(
              "playbook " + pKey + " with inventory " + iKey,
              e,
              Map.of(playbook.toString(), pKey, inventory.toString(), iKey)));
    }
  }

  /** The file of a choice, looked up in the list the console made: never a path from a request. */
  private static Path chosen(Map<String, PlanChoices.Choice> offered, String key, String what) {
    PlanChoices.Choice c = offered.get(key);
    if (c == null) {
      throw new io.javalin.http.BadRequestResponse(
          "that "
              + what
              + " is not one the console offers: choose one from the list (the admin names the"
              + " folders with serve --playbooks DIR and --inventories DIR)");
    }
    return PlanChoices.resolve(c)
        .orElseThrow(
            () ->
                new io.javalin.http.BadRequestResponse(
                    "the " + what + " " + key + " is gone or now leads out of its folder: reload"));
  }

  private static final java.util.regex.Pattern AT =
      java.util.regex.Pattern.compile("^(.+?):(\\d+):(\\d+): ");

  /** A warning as the page shows it: where, never its text (which may quote the files). */
  private String withheldWarning(String warning, Map<String, String> names) {
    settings.console().err().println("orchestrator serve: plan warning: " + warning);
    settings.console().err().flush();
    return "warning" + where(warning, names) + ": see the console's terminal";
  }

  private static String where(String message, Map<String, String> names) {
    java.util.regex.Matcher m = AT.matcher(message);
    return m.find() && names.containsKey(m.group(1))
        ? " (at " + names.get(m.group(1)) + " line " + m.group(2) + ", column " + m.group(3) + ")"
        : "";
  }

  /**
   * What the page says of a failed plan: which choice and where (line and column of a file), never
   * the error's text, which may quote the files; that goes to the console's terminal.
   */
  private String withheld(String what, OrchestratorException e, Map<String, String> names) {
    settings.console().err().println("orchestrator serve: plan of " + what + ": " + e.getMessage());
    settings.console().err().flush();
    return "error: cannot plan "
        + what
        + where(e.getMessage(), names)
        + ".\nThe reason is in the console's terminal (it may quote the files, so the page does"
        + " not): ask an admin, or run 'orchestrator plan' on the controller.";
  }
}
