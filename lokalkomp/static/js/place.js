/* lokalkomp: the person never loses their place in the needs report form.

   - A link to #some-id (the checklist, a redirect after «Lagre» or «Legg til») focuses that field,
     or the first field inside the element with that id, and scrolls it into view.
   - A form with data-return-focus sends the id of the last field the person was in (input "focus"),
     so the server can send them back to it after the save.
   - A form with data-confirm-dialog="ID" opens that <dialog> (Designsystemet) before it is sent;
     without JavaScript the form is sent as it is. */
(function () {
  "use strict";

  function focusTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) { return; }
    var focusable = target.matches("input, select, textarea, button, a[href], [tabindex]") ? target
      : target.querySelector("input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea, button:not([disabled]), a[href]");
    if (focusable) { focusable.focus({ preventScroll: true }); }
    target.scrollIntoView({ block: "center" });
  }

  var lastField = null;
  document.addEventListener("focusin", function (e) {
    var el = e.target;
    if (el.id && el.closest && el.closest("form[data-return-focus]")) { lastField = el.id; }
  });
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.hasAttribute("data-return-focus") && lastField) {
      var input = form.querySelector("input[name=focus]");
      if (!input) { input = document.createElement("input"); input.type = "hidden"; input.name = "focus"; form.appendChild(input); }
      input.value = lastField;
    }
    var dialogId = form.getAttribute("data-confirm-dialog");
    if (!dialogId || form.dataset.confirmed) { return; }
    var dialog = document.getElementById(dialogId);
    if (!dialog || typeof dialog.showModal !== "function") { return; }
    e.preventDefault();
    var name = dialog.querySelector("[data-name]");
    if (name) { name.textContent = form.dataset.name || ""; }
    dialog.returnTo = e.submitter || form.querySelector("button");
    dialog.pending = form;
    dialog.showModal();
    var cancel = dialog.querySelector("[data-cancel]");
    if (cancel) { cancel.focus(); }
  });
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("dialog [data-confirm], dialog [data-cancel]");
    if (!button) { return; }
    var dialog = button.closest("dialog");
    if (button.hasAttribute("data-confirm") && dialog.pending) {
      dialog.pending.dataset.confirmed = "1";
      dialog.pending.requestSubmit ? dialog.pending.requestSubmit() : dialog.pending.submit();
    }
    dialog.close();
  });
  document.addEventListener("close", function (e) {
    var dialog = e.target;
    if (dialog.tagName === "DIALOG" && dialog.returnTo && !(dialog.pending && dialog.pending.dataset.confirmed)) {
      dialog.returnTo.focus();
    }
  }, true);

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", focusTarget); } else { focusTarget(); }
  window.addEventListener("hashchange", focusTarget);
})();
