// The citizens' panel: while a draw runs, poll its progress from the JSON API and update the
// line in place; once it is done, go to the draw page. Without JavaScript, the "Refresh" link does
// the same. No other behaviour depends on this file.
(function () {
  "use strict";
  var box = document.querySelector("[data-panel-progress]");
  if (!box || !window.fetch) { return; }
  var text = box.querySelector("[data-progress-text]");
  var url = box.getAttribute("data-panel-progress");
  var done = box.getAttribute("data-done-url");
  var lang = document.documentElement.lang || "fr";
  var words = lang.indexOf("en") === 0
    ? { step: "Step: ", iteration: "iteration ", of: " of " }
    : { step: "Étape : ", iteration: "itération ", of: " sur " };

  function show(progress) {
    if (!text || !progress || !progress.phase) { return; }
    var line = words.step + progress.phase;
    if (progress.current !== null && progress.current !== undefined) {
      line += " · " + words.iteration + progress.current;
      if (progress.total) { line += words.of + progress.total; }
    }
    text.textContent = line;
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "omit" })
      .then(function (response) {
        if (response.status === 200) { window.location.assign(done); return null; }
        if (response.status !== 202) { return null; }
        return response.json();
      })
      .then(function (body) {
        if (body) { show(body.progress); window.setTimeout(poll, 3000); }
      })
      .catch(function () { /* the Refresh link still works */ });
  }
  window.setTimeout(poll, 3000);
})();
