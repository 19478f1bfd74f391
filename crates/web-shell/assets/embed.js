// Ferrodesk web form: <script src="https://desk.example.com/assets/embed.js" async></script>
// inserts the request form (an iframe of /portal/form) where the script tag stands.
(function () {
  var s = document.currentScript; if (!s) return;
  var base = s.src.replace(/\/assets\/embed\.js.*$/, "");
  var f = document.createElement("iframe");
  f.src = base + "/portal/form" + (s.getAttribute("data-lang") ? "?lang=" + encodeURIComponent(s.getAttribute("data-lang")) : "");
  f.title = s.getAttribute("data-title") || "Support";
  f.style.cssText = "width:100%;max-width:560px;height:640px;border:1px solid #ddd;border-radius:8px";
  s.parentNode.insertBefore(f, s.nextSibling);
})();
