// Refreshes the "What is happening" part of the order page without a reload. The page works
// without this script: the same part is rendered in the HTML, and every form posts normally.
(function () {
  "use strict";
  const box = document.getElementById("status");
  if (box) {
    const refresh = () => {
      if (document.hidden || box.contains(document.activeElement)) return; // never yank focus from the reader
      fetch(box.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : null))
        .then((body) => {
          if (body && typeof body.html === "string" && body.html !== box.dataset.last) {
            box.dataset.last = body.html;
            box.innerHTML = body.html; // rendered and escaped by the server
          }
        })
        .catch(() => {});
    };
    box.dataset.last = "";
    setInterval(refresh, 10000);
    document.addEventListener("visibilitychange", refresh);
  }
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
