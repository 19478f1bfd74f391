// Ferrodesk agent workspace: keyboard shortcuts, help overlay, live updates, presence.
(function () {
  "use strict";
  var body = document.body;
  var csrf = body.getAttribute("data-csrf") || "";
  function $(s, r) { return (r || document).querySelector(s); }
  function $$(s, r) { return Array.prototype.slice.call((r || document).querySelectorAll(s)); }
  function help() { var h = $("#help"); if (h) h.hidden = !h.hidden; }
  document.addEventListener("click", function (e) {
    if (e.target.closest("[data-help]")) { e.preventDefault(); help(); }
    var all = e.target.closest("[data-check-all]");
    if (all) $$("input[name=ids]").forEach(function (c) { c.checked = all.checked; });
  });
  function rows() { return $$("table.q tbody tr[data-href]"); }
  var cur = -1;
  function select(i) {
    var r = rows(); if (!r.length) return;
    cur = Math.max(0, Math.min(r.length - 1, i));
    r.forEach(function (x) { x.classList.remove("sel"); });
    r[cur].classList.add("sel"); r[cur].scrollIntoView({ block: "nearest" });
  }
  function remember() {
    var r = rows(); if (!r.length) return;
    try { sessionStorage.setItem("fd-queue", JSON.stringify(r.map(function (x) { return x.getAttribute("data-href"); }))); } catch (e) {}
  }
  function neighbour(d) {
    try {
      var list = JSON.parse(sessionStorage.getItem("fd-queue") || "[]");
      var i = list.indexOf(location.pathname);
      if (i >= 0 && list[i + d]) location.href = list[i + d];
    } catch (e) {}
  }
  function mode(internal) {
    var box = $("#reply-body"); if (!box) return;
    var radio = $(internal ? "#kind-note" : "#kind-reply"); if (radio) radio.checked = true;
    box.focus();
  }
  var pendingG = false;
  document.addEventListener("keydown", function (e) {
    var t = e.target, typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
    if (typing) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && t.form) { e.preventDefault(); t.form.requestSubmit(); }
      if (e.key === "Escape") t.blur();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (pendingG) { pendingG = false; if (e.key === "q") { location.href = "/"; } return; }
    switch (e.key) {
      case "?": help(); break;
      case "Escape": var h = $("#help"); if (h) h.hidden = true; break;
      case "j": select(cur + 1); break;
      case "k": select(cur - 1); break;
      case "Enter": var r = rows()[cur]; if (r) location.href = r.getAttribute("data-href"); else return; break;
      case "]": neighbour(1); break;
      case "[": neighbour(-1); break;
      case "r": mode(false); break;
      case "n": mode(true); break;
      case "a": var b = $("#assign-me"); if (b) b.click(); else return; break;
      case "m": var mc = $("#macro"); if (mc) mc.focus(); else return; break;
      case "c": if (!insertCanned()) return; break;
      case "g": pendingG = true; break;
      case "/": var f = $("#filter-tag"); if (f) f.focus(); else return; break;
      default: return;
    }
    e.preventDefault();
  });
  remember();
  // Canned responses: the selected macro's reply goes into the reply box, to edit before sending.
  function insertCanned() {
    var mc = $("#macro"), box = $("#reply-body");
    if (!mc || !box) return false;
    var opt = mc.options[mc.selectedIndex];
    var text = opt && opt.getAttribute("data-text");
    if (!text) return false;
    var at = box.selectionStart || 0;
    box.value = box.value.slice(0, at) + text + box.value.slice(box.selectionEnd || at);
    box.focus();
    box.selectionStart = box.selectionEnd = at + text.length;
    return true;
  }
  var ic = $("#insert-canned");
  if (ic) ic.addEventListener("click", insertCanned);
  // Files dropped on a form with a file input join it (reply box, portal).
  document.addEventListener("dragover", function (e) {
    if (e.target.closest && e.target.closest("form") && $("input[type=file]", e.target.closest("form"))) e.preventDefault();
  });
  document.addEventListener("drop", function (e) {
    var form = e.target.closest && e.target.closest("form");
    var input = form && $("input[type=file]", form);
    if (!input || !e.dataTransfer || !e.dataTransfer.files.length) return;
    e.preventDefault();
    try {
      var all = new DataTransfer();
      Array.prototype.forEach.call(input.files, function (f) { all.items.add(f); });
      Array.prototype.forEach.call(e.dataTransfer.files, function (f) { all.items.add(f); });
      input.files = all.files;
    } catch (err) { input.files = e.dataTransfer.files; }
  });
  // Forms that undo a lot ask first (the question is the form's data-confirm).
  document.addEventListener("submit", function (e) {
    var q = e.target.getAttribute && e.target.getAttribute("data-confirm");
    if (q && !window.confirm(q)) e.preventDefault();
  });
  // Agents signing in: the browser's zone, adopted while theirs is the default.
  $$("[data-browser-tz]").forEach(function (i) { try { i.value = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) {} });
  // Portal visitors: dates in their own time zone.
  if (body.classList.contains("area-portal") && document.cookie.indexOf("ferrodesk_tz=") < 0 && window.Intl) {
    try {
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      document.cookie = "ferrodesk_tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";
      // This first page was drawn in UTC: draw it again in the visitor's zone (once: only
      // when the cookie took, so a browser refusing cookies does not loop).
      if (zone && zone !== "UTC" && document.cookie.indexOf("ferrodesk_tz=") >= 0 && $("time")) location.reload();
    } catch (e) {}
  }
  // Live updates: the server pushes ids of changed tickets.
  var live = body.getAttribute("data-live") !== null || $("[data-live]");
  if (live && window.EventSource) {
    var es = new EventSource("/live");
    es.addEventListener("ticket", function (ev) {
      var id = ev.data.split(" ")[0];
      var q = $("#queue"), th = $("#thread");
      if (q && window.htmx) htmx.ajax("GET", location.pathname + location.search, { target: "#queue", select: "#queue", swap: "outerHTML" }).then(remember);
      if (th && th.getAttribute("data-ticket") === id && window.htmx) htmx.ajax("GET", location.pathname + "/thread", { target: "#thread", swap: "outerHTML" });
      var ind = $("#live-ind"); if (ind) ind.hidden = false;
    });
  }
  // Presence: tell the server we are here (and typing), show who else is.
  var pres = $("#collision");
  if (pres) {
    var url = pres.getAttribute("data-url"), typingUntil = 0;
    var ping = function () {
      var st = Date.now() < typingUntil ? "typing" : "viewing";
      fetch(url, { method: "POST", headers: { "X-CSRF-Token": csrf, "Content-Type": "application/x-www-form-urlencoded" }, body: "state=" + st, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; }).then(function (h) { pres.innerHTML = h; }).catch(function () {});
    };
    var box = $("#reply-body");
    if (box) box.addEventListener("input", function () { var was = Date.now() < typingUntil; typingUntil = Date.now() + 6000; if (!was) ping(); });
    ping(); setInterval(ping, 3000);
  }
})();
