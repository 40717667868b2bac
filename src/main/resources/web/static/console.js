// orchestrator web console: live updates of a run's page and the log viewer.
// Everything shown comes from the JSON API and is put in the page with textContent, never as HTML:
// host names, step output and messages are attacker-controlled text.
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf"]') || {}).content || "";

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body || {})
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (!r.ok) { throw new Error((j.error || r.statusText) + (j.hint ? " (" + j.hint + ")" : "")); }
        return j;
      });
    });
  }

  var runEl = document.getElementById("run");
  if (runEl) { runPage(runEl.getAttribute("data-run-id")); }
  var logEl = document.getElementById("log");
  if (logEl) { followLog(logEl); }
  var runsEl = document.getElementById("runs");
  if (runsEl) { setInterval(function () { refreshRuns(runsEl); }, 5000); }

  // the runs list, looked at again every 5 s: statuses and progress change while runs run
  function refreshRuns(table) {
    fetch("/api/v1/runs", { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(function (body) {
        var tbody = el("tbody");
        body.runs.forEach(function (r) {
          var tr = el("tr");
          var id = el("td");
          id.appendChild(el("a", { href: "/runs/" + encodeURIComponent(r.id) }, r.id));
          tr.appendChild(id);
          var st = el("td");
          st.appendChild(el("span", { "class": "status s-" + r.status.replace(/ /g, "-") }, r.status));
          if (r.reason) { st.appendChild(el("div", { "class": "reason" }, r.reason)); }
          tr.appendChild(st);
          tr.appendChild(el("td", { "class": "progress" },
            r.hosts_done === undefined ? "" : r.hosts_done + " of " + r.hosts_started + " hosts done"));
          tr.appendChild(el("td", {}, r.playbook));
          tr.appendChild(el("td", {}, r.started_by));
          var t = el("td");
          t.appendChild(el("time", { datetime: r.updated_at }, r.updated));
          tr.appendChild(t);
          tbody.appendChild(tr);
        });
        var old = table.querySelector("tbody");
        table.replaceChild(tbody, old);
        table.setAttribute("data-rendered", String(Number(table.getAttribute("data-rendered") || 0) + 1));
      }).catch(function () { /* the next look tries again */ });
  }

  function runPage(id) {
    var base = "/api/v1/runs/" + encodeURIComponent(id);
    // at most one look at a time, and at most two a second while events pour in
    var busy = false;
    var again = false;

    function showError(msg) { document.getElementById("last-error").textContent = msg; }

    function refresh() {
      if (busy) { again = true; return; }
      busy = true;
      setTimeout(function () {
        fetch(base, { credentials: "same-origin" }).then(function (r) { return r.json(); })
          .then(render).catch(function (e) { showError(String(e)); })
          .finally(function () {
            setTimeout(function () {
              busy = false;
              if (again) { again = false; refresh(); }
            }, 500);
          });
      }, 150);
    }

    function act(path, body) {
      post(base + "/" + path, body).then(refresh).catch(function (e) { showError(e.message); });
    }

    function bind() {
      var a = document.getElementById("approve");
      var c = document.getElementById("comment");
      if (a) { a.onclick = function () { a.disabled = true; act("approve", { comment: c ? c.value : "" }); }; }
      var rj = document.getElementById("reject");
      if (rj) { rj.onclick = function () { rj.disabled = true; act("reject", { comment: c ? c.value : "" }); }; }
      var rs = document.getElementById("resume");
      if (rs) {
        rs.onclick = function () {
          var body = { retry_failed: document.getElementById("retry-failed").checked };
          var d = document.getElementById("decision").value;
          if (d) {
            body.decision = d;
            body.step = document.getElementById("decision-step").value;
            body.host = document.getElementById("decision-host").value;
          }
          rs.disabled = true;
          act("resume", body);
        };
      }
      var ab = document.getElementById("abort");
      if (ab) { ab.onclick = function () { if (confirm("Abort this run?")) { act("abort", {}); } }; }
      var ar = document.getElementById("abort-rollback");
      if (ar) { ar.onclick = function () { if (confirm("Abort and run the rollback steps?")) { act("abort", { rollback: true }); } }; }
    }

    // each section is rebuilt only when its data changed: a comment being typed is not wiped
    var shown = {};
    function changed(section, data) {
      var key = JSON.stringify(data);
      if (shown[section] === key) { return false; }
      shown[section] = key;
      return true;
    }

    function render(run) {
      renderSections(run);
      rendered++;
      runEl.setAttribute("data-rendered", String(rendered));
      runEl.setAttribute("data-status", run.status);
    }
    var rendered = 0;

    function renderSections(run) {
      var st = document.getElementById("status");
      st.textContent = run.status;
      st.className = "status s-" + run.status.replace(/ /g, "-");
      document.getElementById("reason").textContent = run.reason;
      document.getElementById("last-error").textContent = run.last_error;
      document.getElementById("action").textContent = run.action ? run.action + " under way…" : "";

      var ap = document.getElementById("approvals");
      if (changed("approvals", [run.waiting_approvals, run.started_by])) {
      ap.textContent = "";
      run.waiting_approvals.forEach(function (g) {
        var d = el("div", { "class": "gate waiting" });
        var h = el("h2", {}, "Waiting for approval ");
        h.appendChild(el("span", { "class": "key" }, g.key));
        d.appendChild(h);
        d.appendChild(el("p", { "class": "question" }, g.question));
        d.appendChild(el("p", { "class": "muted" }, "needs role " + g.role +
          (g.distinct_from_starter ? ", someone other than " + run.started_by : "")));
        if (g.may_approve || g.may_reject) {
          var l = el("label", {}, "Comment ");
          l.appendChild(el("input", { "class": "comment", id: "comment" }));
          d.appendChild(l);
          if (g.may_approve) { d.appendChild(el("button", { type: "button", "class": "approve", id: "approve" }, "Approve")); }
          if (g.may_reject) { d.appendChild(el("button", { type: "button", "class": "reject danger", id: "reject" }, "Reject")); }
        }
        if (g.why_not) { d.appendChild(el("p", { "class": "why-not" }, g.why_not)); }
        ap.appendChild(d);
      });
      }

      var op = document.getElementById("operate");
      op.querySelectorAll("button").forEach(function (b) { b.disabled = run.action_running; });
      var rs = document.getElementById("resume");
      if (rs && !run.may.resume) { rs.parentNode.style.display = "none"; }
      if (rs && run.may.resume) { rs.parentNode.style.display = ""; }
      var ab = document.getElementById("abort");
      if (ab) { ab.parentNode.style.display = run.may.abort ? "" : "none"; }

      var stages = document.getElementById("stages");
      if (changed("stages", run.stages)) {
      stages.textContent = "";
      run.stages.forEach(function (s) {
        var sd = el("div", { "class": "stage" });
        sd.appendChild(el("h2", {}, "Stage " + s.name));
        sd.appendChild(gateList(s.gates));
        s.batches.forEach(function (b) {
          var bd = el("div", { "class": "batch" }, "batch " + b.number + ": ");
          b.hosts.forEach(function (h) { bd.appendChild(el("span", { "class": "host" }, h)); bd.appendChild(document.createTextNode(" ")); });
          bd.appendChild(gateList(b.gates));
          sd.appendChild(bd);
        });
        stages.appendChild(sd);
      });
      }

      if (!changed("matrix", [run.steps, run.hosts])) { bind(); return; }
      var table = document.getElementById("matrix");
      var head = el("tr");
      head.appendChild(el("th", {}, "host"));
      run.steps.forEach(function (s) { head.appendChild(el("th", {}, s)); });
      var thead = el("thead"); thead.appendChild(head);
      var tbody = el("tbody");
      run.hosts.forEach(function (h) {
        var tr = el("tr");
        tr.appendChild(el("th", { "class": "host" }, h.name));
        run.steps.forEach(function (s) {
          var c = h.steps[s];
          if (!c) { tr.appendChild(el("td", { "class": "c-none" }, "·")); return; }
          var td = el("td", { "class": "c-" + c.status, title: c.message || "" });
          if (c.log) {
            td.appendChild(el("a", { href: "/runs/" + encodeURIComponent(run.id) + "/log?name=" + encodeURIComponent(c.log) }, c.status));
          } else { td.textContent = c.status; }
          tr.appendChild(td);
        });
        tbody.appendChild(tr);
      });
      table.textContent = "";
      table.appendChild(thead);
      table.appendChild(tbody);
      bind();
    }

    function gateList(gates) {
      var ul = el("ul", { "class": "gates" });
      gates.forEach(function (g) {
        var said = g.message && g.message !== g.question ? " — " + g.message : "";
        ul.appendChild(el("li", { "class": "g-" + g.state }, g.description + ": " + g.state + said));
      });
      return ul;
    }

    bind();
    runEl.setAttribute("data-status", document.getElementById("status").textContent);
    var events = new EventSource(base + "/events");
    events.addEventListener("run-event", refresh);
    events.onopen = refresh;
    // a slow look as well, for changes that are not events (a decision recorded by another console)
    setInterval(refresh, 5000);
  }

  function followLog(pre) {
    var id = pre.getAttribute("data-run-id");
    var name = pre.getAttribute("data-log-name");
    var offset = 0;
    function more() {
      fetch("/api/v1/runs/" + encodeURIComponent(id) + "/log?name=" + encodeURIComponent(name) + "&offset=" + offset,
        { credentials: "same-origin" })
        .then(function (r) {
          if (!r.ok) { return ""; }
          offset = parseInt(r.headers.get("X-Next-Offset") || offset, 10);
          return r.text();
        })
        .then(function (t) { if (t) { pre.appendChild(document.createTextNode(t)); } })
        .finally(function () { setTimeout(more, 1000); });
    }
    more();
  }
})();
