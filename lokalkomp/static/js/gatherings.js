/* lokalkomp gatherings: the I-G-P countdown on the phone and the projector, and htmx answers.

   An element with data-countdown="SECONDS" counts down once a second from the time the page (or the
   swapped part) arrived; at zero it shows its data-done text. The server sends the phase and the seconds
   left, and the poll redraws at the next phase, so the browser's clock only runs the seconds between.
   A 429 (too many answers at once) is swapped in like a 422, so the phone shows the server's message.
   No inline script: the texts come from data-* attributes. */
(function () {
  "use strict";

  function show(el, left) {
    if (left <= 0) { el.textContent = el.dataset.done || "0:00"; return; }
    var m = Math.floor(left / 60), s = left % 60;
    el.textContent = m + ":" + (s < 10 ? "0" : "") + s;
  }

  function start(root) {
    (root || document).querySelectorAll("[data-countdown]").forEach(function (el) {
      if (el.dataset.started) { return; }
      el.dataset.started = "1";
      var ends = Date.now() + parseInt(el.dataset.countdown, 10) * 1000;
      var tick = function () {
        if (!el.isConnected) { return; }
        var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
        show(el, left);
        if (left > 0) { setTimeout(tick, 1000); }
      };
      tick();
    });
  }

  document.addEventListener("DOMContentLoaded", function () { start(document); });
  document.addEventListener("htmx:afterSwap", function (e) { start(e.detail.target && e.detail.target.parentNode); });
  document.addEventListener("htmx:load", function (e) { start(e.detail.elt); });
  document.addEventListener("htmx:beforeSwap", function (e) {
    if (e.detail.xhr && e.detail.xhr.status === 429) { e.detail.shouldSwap = true; e.detail.isError = false; }
  });
})();
