/* lokalkomp: ordering the network's compilation.

   - Drag a row of a scheme's list (HTML5 drag and drop) to its place: the row moves as it is dragged,
     and on release its hidden «place» form is sent (htmx), which answers with the list as it is now.
     A drop outside the list puts the row back. The buttons «Flytt opp» / «Flytt ned» do the same
     from the keyboard and without JavaScript.
   - After the list is swapped in, focus goes back where the person was: the element named by the
     list's data-focus (the button pressed; if it is now disabled, the row's other button, else the row).
   No inline script (CSP); the texts are in the template. */
(function () {
  "use strict";

  // The element a swapped-in part names in data-focus (once): the button pressed, a field, a row.
  function focusAfterSwap(root) {
    var part = root && root.closest ? root.closest("[data-focus]") || root.querySelector("[data-focus]") : null;
    if (!part) { return; }
    var id = part.getAttribute("data-focus");
    part.removeAttribute("data-focus");
    var target = id && document.getElementById(id);
    if (!target) { return; }
    if (target.disabled) {
      var row = target.closest("tr");
      var other = row && row.querySelector("button[id^=move-]:not([disabled])");
      target = other || row || target;
    }
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("htmx:afterSettle", function (e) {
    var swapped = document.getElementById("compilation-list");
    var comment = document.getElementById("compilation-comment");
    [swapped, comment].forEach(function (part) {
      if (part && part.hasAttribute("data-focus") && part.getAttribute("data-focus")) { focusAfterSwap(part); }
    });
  });

  var dragged = null;
  var origin = null;
  var dropped = false;

  function rowsOf(tbody) {
    return Array.prototype.filter.call(tbody.children, function (el) { return el.tagName === "TR"; });
  }

  document.addEventListener("dragstart", function (e) {
    var row = e.target.closest && e.target.closest("tbody[data-sortable] > tr[draggable='true']");
    if (!row) { return; }
    dragged = row;
    dropped = false;
    origin = { tbody: row.parentNode, next: row.nextElementSibling, index: rowsOf(row.parentNode).indexOf(row) };
    row.classList.add("lk-dragging");
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", row.getAttribute("data-entry") || "");
  });

  document.addEventListener("dragover", function (e) {
    if (!dragged) { return; }
    var row = e.target.closest && e.target.closest("tr");
    if (!row || row.parentNode !== origin.tbody) { return; }
    e.preventDefault();
    e.dataTransfer.dropEffect = "move";
    if (row === dragged) { return; }
    var box = row.getBoundingClientRect();
    var after = e.clientY > box.top + box.height / 2;
    origin.tbody.insertBefore(dragged, after ? row.nextElementSibling : row);
  });

  document.addEventListener("drop", function (e) {
    if (!dragged) { return; }
    var row = e.target.closest && e.target.closest("tr");
    if (row && row.parentNode === origin.tbody) {
      e.preventDefault();
      dropped = true;
    }
  });

  document.addEventListener("dragend", function () {
    if (!dragged) { return; }
    var row = dragged, start = origin;
    dragged = null;
    row.classList.remove("lk-dragging");
    if (!dropped) {
      start.tbody.insertBefore(row, start.next);
      return;
    }
    var index = rowsOf(start.tbody).indexOf(row);
    if (index === start.index) { return; }
    var form = row.querySelector("form[data-place-form]");
    if (!form) { return; }
    form.querySelector("input[name=place]").value = String(index + 1);
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  });
})();
