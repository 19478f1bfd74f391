// Knowledge base in the pages: the ticket's suggested articles (insert a link or the text into
// the reply), articles suggested while a customer types a subject (portal and web form; each
// step is recorded for the deflection report), and file uploads in the article editor.
(function () {
  "use strict";
  var csrf = document.body.getAttribute("data-csrf") || "";
  function $(s, r) { return (r || document).querySelector(s); }
  // Puts text at the cursor of a textarea and lets listeners (presence, preview) know.
  function insertAt(box, text, block) {
    if (!box) return;
    var start = box.selectionStart, end = box.selectionEnd, before = box.value.slice(0, start);
    var sep = block ? (before && !/\n\n$/.test(before) ? (/\n$/.test(before) ? "\n" : "\n\n") : "")
                    : (before && !/\s$/.test(before) ? " " : "");
    box.setRangeText(sep + text + (block ? "\n" : ""), start, end, "end");
    box.dispatchEvent(new Event("input", { bubbles: true }));
    box.focus();
  }
  // "s" jumps to the workspace's search box.
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.key !== "s" || e.ctrlKey || e.metaKey || e.altKey || !t ||
        /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) || t.isContentEditable) return;
    var box = $("#top-search");
    if (box) { e.preventDefault(); box.focus(); box.select(); }
  });
  // The header's search box: the best hits as you type (arrows move, Escape closes, Enter on
  // the box opens the full results page).
  var top = $("#top-search");
  if (top && window.fetch) {
    var drop = document.createElement("ul"), tseq = 0, ttimer = null;
    drop.id = "top-search-results"; drop.className = "top-drop"; drop.hidden = true;
    top.parentNode.appendChild(drop);
    var hrefOf = function (h) {
      return h.type === "ticket" ? "/tickets/" + h.id : h.type === "customer" ? "/?view=all&customer=" + h.id :
        h.type === "article" ? "/admin/kb/articles/" + h.id : null;
    };
    var links = function () { return Array.prototype.slice.call(drop.querySelectorAll("a")); };
    top.addEventListener("input", function () {
      clearTimeout(ttimer);
      var q = top.value.trim();
      if (q.length < 2) { drop.hidden = true; return; }
      ttimer = setTimeout(function () {
        var mine = ++tseq;
        fetch("/api/v1/search?limit=8&q=" + encodeURIComponent(q), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (body) {
            if (mine !== tseq) return;
            drop.innerHTML = "";
            (body.items || []).forEach(function (h) {
              var href = hrefOf(h); if (!href) return;
              var li = document.createElement("li"), a = document.createElement("a"), s = document.createElement("small");
              a.href = href; a.className = "t-" + h.type; a.textContent = h.title;
              s.innerHTML = h.snippet; // escaped by the server, <b> around matches
              a.appendChild(s); li.appendChild(a); drop.appendChild(li);
            });
            drop.hidden = !drop.children.length;
          })
          .catch(function () {});
      }, 200);
    });
    top.form.addEventListener("keydown", function (e) {
      var all = links(), i = all.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && all.length) { e.preventDefault(); all[Math.min(i + 1, all.length - 1)].focus(); }
      else if (e.key === "ArrowUp" && i >= 0) { e.preventDefault(); (i === 0 ? top : all[i - 1]).focus(); }
      else if (e.key === "Escape") { drop.hidden = true; top.focus(); }
    });
    document.addEventListener("click", function (e) { if (!top.form.contains(e.target)) drop.hidden = true; });
  }
  document.addEventListener("click", function (e) {
    var link = e.target.closest("[data-insert-link]");
    if (link) { e.preventDefault(); insertAt($("#reply-body"), link.getAttribute("data-insert-link"), false); return; }
    var text = e.target.closest("[data-insert-text]");
    if (text) {
      e.preventDefault();
      fetch("/api/v1/kb/articles/" + encodeURIComponent(text.getAttribute("data-insert-text")), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        // Links to our own files become absolute: the customer reads them in a mail.
        .then(function (a) { insertAt($("#reply-body"), a.body.replace(/\]\(\//g, "](" + location.origin + "/"), true); })
        .catch(function () {});
    }
  });

  // Self-service: public articles matching the subject, shown while the customer types.
  var panel = $("[data-deflect]"), subject = $("#subject");
  if (panel && subject) {
    var list = $("ul", panel), seq = 0, timer = null, shown = false, KEY = "fd-kb-visit", sid = null;
    // One id per visit: kept in the tab until the request is submitted, so a form shown again
    // after an error continues the same visit.
    try { sid = sessionStorage.getItem(KEY); } catch (e) {}
    if (!sid) {
      var bytes = new Uint8Array(16);
      window.crypto.getRandomValues(bytes);
      sid = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
      try { sessionStorage.setItem(KEY, sid); } catch (e) {}
    }
    var track = function (action, articleId) {
      // No cookies: the endpoint is anonymous, and this keeps it out of the CSRF check.
      return fetch("/api/v1/kb/deflections", {
        method: "POST", credentials: "omit", keepalive: true,
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ session: sid, action: action, article_id: articleId || null })
      }).catch(function () {});
    };
    var show = function (items) {
      list.innerHTML = "";
      items.forEach(function (hit) {
        var li = document.createElement("li"), a = document.createElement("a"), s = document.createElement("small");
        a.href = "/help/" + panel.getAttribute("data-locale") + "/articles/" + hit.id;
        a.target = "_blank"; a.rel = "noopener";
        a.setAttribute("data-article", hit.id);
        a.textContent = hit.title;
        s.innerHTML = hit.snippet; // escaped by the server, <b> around matches
        li.appendChild(a); li.appendChild(s); list.appendChild(li);
      });
      panel.hidden = items.length === 0;
      if (items.length && !shown) {
        shown = true;
        track("shown");
      }
    };
    panel.addEventListener("click", function (e) {
      var a = e.target.closest("a[data-article]");
      if (a) track("article_opened", parseInt(a.getAttribute("data-article"), 10));
    });
    var lookup = function () {
      clearTimeout(timer);
      var q = subject.value.trim();
      if (q.length < 3) { show([]); return; }
      // Articles in the page's language first; any language when none match (the words typed
      // decide: a Russian subject on an English page still finds Russian articles).
      var find = function (locale) {
        return fetch("/api/v1/kb/search?limit=5" + (locale ? "&locale=" + encodeURIComponent(locale) : "") +
                     "&q=" + encodeURIComponent(q), { credentials: "omit" })
          .then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (body) { return body.items || []; });
      };
      timer = setTimeout(function () {
        var mine = ++seq;
        find(panel.getAttribute("data-locale"))
          .then(function (items) { return items.length ? items : find(null); })
          .then(function (items) { if (mine === seq) show(items); })
          .catch(function () {});
      }, 300);
    };
    // Sending the request after articles were suggested: not deflected. (The browser's own
    // checks run before "submit", so an incomplete form does not count.)
    if (subject.form) subject.form.addEventListener("submit", function () {
      if (shown) track("submitted");
      try { sessionStorage.removeItem(KEY); } catch (e) {}
    });
    subject.addEventListener("input", lookup);
    if (subject.value) lookup();
  }

  // Article editor: upload a file, then put a Markdown link (an image for images) at the cursor.
  var up = $("#kb-upload");
  if (up) {
    var status = $("#kb-upload-status");
    up.addEventListener("change", function () {
      var f = up.files && up.files[0];
      if (!f) return;
      status.textContent = "…";
      fetch(up.getAttribute("data-url") + "?filename=" + encodeURIComponent(f.name), {
        method: "POST", credentials: "same-origin", body: f,
        headers: { "X-CSRF-Token": csrf, "Content-Type": f.type || "application/octet-stream" }
      })
        .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, j: j }; }); })
        .then(function (res) {
          if (!res.ok) { status.textContent = (res.j.error && res.j.error.message) || up.getAttribute("data-error"); return; }
          var file = res.j, name = file.filename.replace(/[\[\]]/g, "");
          var md = (/^image\//.test(file.content_type) ? "!" : "") + "[" + name + "](" + file.url + ")";
          insertAt($("#body"), md, /^image\//.test(file.content_type));
          status.textContent = up.getAttribute("data-done") + " " + file.filename;
          var files = $("#kb-files");
          if (files) {
            var li = document.createElement("li"), a = document.createElement("a");
            a.href = file.url; a.textContent = file.filename; li.appendChild(a); files.appendChild(li);
          }
          up.value = "";
        })
        .catch(function () { status.textContent = up.getAttribute("data-error"); });
    });
  }
})();
