/* lokalkomp autosave: htmx sends each field as it is typed (see needs/_field.html).
   This file adds what htmx does not: a copy of unsaved text in this browser (so a closed
   tab, an expired session or a lost connection loses nothing), retries, the invalid state
   on the field, and the "use theirs" button of a conflict. */
(function () {
  "use strict";
  var PREFIX = "lokalkomp:unsaved:";
  function storeKey(el) { return PREFIX + el.dataset.autosave + ":" + el.name; }

  document.addEventListener("input", function (e) {
    var el = e.target;
    if (el.dataset && el.dataset.autosave) {
      try { localStorage.setItem(storeKey(el), el.value); } catch (err) { /* storage full or off */ }
    }
  });

  document.addEventListener("htmx:afterRequest", function (e) {
    var el = e.detail.elt, xhr = e.detail.xhr;
    if (!el || !el.dataset || !el.dataset.autosave || !xhr) { return; }
    if (xhr.status === 200) {
      try { localStorage.removeItem(storeKey(el)); } catch (err) { /* ignore */ }
      el.removeAttribute("aria-invalid");
    } else if (xhr.status === 422) {
      el.setAttribute("aria-invalid", "true");
    }
  });

  // No connection: say so, keep the text, and try again in a few seconds.
  document.addEventListener("htmx:sendError", function (e) {
    var el = e.detail.elt;
    if (!el || !el.dataset || !el.dataset.autosave) { return; }
    var msg = document.getElementById("msg-" + el.id);
    if (msg) { msg.innerHTML = '<p class="ds-validation-message" data-color="warning" data-field="validation">' + (document.body.dataset.offline || "Not saved yet: no connection. Trying again.") + "</p>"; }
    setTimeout(function () { htmx.trigger(el, "change"); }, 4000);
  });

  document.addEventListener("click", function (e) {
    var button = e.target.closest ? e.target.closest("[data-use-theirs]") : null;
    if (!button) { return; }
    var id = button.dataset.useTheirs, field = document.getElementById(id);
    var theirs = document.getElementById("theirs-" + id), base = document.getElementById("base-" + id);
    if (field && theirs) {
      field.value = theirs.textContent === "–" ? "" : theirs.textContent;
      if (base) { base.value = field.value; }
      try { localStorage.removeItem(storeKey(field)); } catch (err) { /* ignore */ }
      document.getElementById("msg-" + id).innerHTML = "";
    }
  });

  // Back on the page: put back what was typed but never saved, and send it again.
  function restore() {
    document.querySelectorAll("[data-autosave]").forEach(function (el) {
      var kept = null;
      try { kept = localStorage.getItem(storeKey(el)); } catch (err) { return; }
      if (kept !== null && kept !== el.value) {
        el.value = kept;
        htmx.trigger(el, "change");
      } else if (kept !== null) {
        localStorage.removeItem(storeKey(el));
      }
    });
  }
  // After htmx has wired the fields (both scripts are deferred), or the restored text would go nowhere.
  htmx.onLoad(function (elt) { if (elt === document.body) { restore(); } });
})();
