// Search as you type: asks /api/v1/kb/search (public, published articles) after a short pause.
(function () {
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  if (!input || !list) return;
  // The results come as you type; the form itself never submits.
  var form = input.form;
  if (form) form.addEventListener("submit", function (e) { e.preventDefault(); });
  var timer = null, seq = 0;
  function show(items) {
    list.innerHTML = "";
    items.forEach(function (hit) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "/help/" + input.dataset.locale + "/articles/" + hit.id;
      a.textContent = hit.title;
      var s = document.createElement("small");
      s.innerHTML = hit.snippet; // server-escaped, with <b> around matches
      a.appendChild(s);
      li.appendChild(a);
      list.appendChild(li);
    });
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (!q) { show([]); return; }
    timer = setTimeout(function () {
      var mine = ++seq;
      fetch("/api/v1/kb/search?limit=8&locale=" + encodeURIComponent(input.dataset.locale) +
            "&q=" + encodeURIComponent(q))
        .then(function (r) { return r.json(); })
        .then(function (body) { if (mine === seq) show(body.items || []); })
        .catch(function () {});
    }, 150);
  });
})();
