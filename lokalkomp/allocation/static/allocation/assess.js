/* lokalkomp: the assessment form's save state. htmx sends the whole form (hx-trigger on the form) and
   swaps the server's answer into #assess-status: «Lagret», or why not (422, 409 with the saved values,
   423 when it is shared). This file only says «Ikke lagret» when no answer came (no connection) or the
   answer was an error htmx does not swap; the texts come from the status element's data-* attributes. */
(function () {
  "use strict";
  function answered(e) {
    var form = e.detail.elt;
    if (!form || form.id !== "assess-form") { return; }
    var xhr = e.detail.xhr, status = e.type === "htmx:sendError" || !xhr ? 0 : xhr.status;
    if ((status >= 200 && status < 300) || status === 409 || status === 422 || status === 423) { return; }
    var box = document.getElementById("assess-status");
    if (!box) { return; }
    var advice = status === 0 ? box.dataset.offline : (status === 403 || status === 404) ? box.dataset.forbidden : box.dataset.server;
    var p = document.createElement("p"), strong = document.createElement("strong");
    p.className = "ds-validation-message lk-not-saved";
    p.setAttribute("data-field", "validation");
    strong.textContent = box.dataset.notSaved;
    p.appendChild(strong);
    p.appendChild(document.createTextNode(" " + advice));
    box.innerHTML = "";
    box.appendChild(p);
  }
  document.addEventListener("htmx:afterRequest", answered);
  document.addEventListener("htmx:sendError", answered);
})();
