/* lokalkomp: the recommendation workspace. Sums the typed amounts into the totals against the frames at once,
   saves a line when a field is left (or a preset is pressed) with the line's version, and shows what the
   server said: the new totals, the line's problems, or another person's change (409) to keep or overwrite.
   Without this script every row is a form of its own that posts and comes back to the page. */
(function () {
  "use strict";
  var NBSP = "\u00a0";
  var texts = {};

  function parse(text) {
    var clean = String(text || "").replace(/[\s\u00a0\u202f]/g, "").replace(/^kr/i, "").replace(/,-$/, "");
    return /^\d{1,15}$/.test(clean) ? parseInt(clean, 10) : 0;
  }
  function spaced(n) {
    return String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
  }
  function kroner(n) {
    return "kr" + NBSP + (n < 0 ? "\u2212" : "") + spaced(n);
  }
  function plain(n) {
    return n === null || n === undefined ? "" : spaced(n);
  }
  function rowOf(el) { return el.closest("tr[data-line]"); }
  function formOf(row) { return document.getElementById("form-" + row.dataset.line); }
  function statusOf(row) { return document.getElementById("status-" + row.dataset.line); }
  function input(row, side) { return document.getElementById(side + "-" + row.dataset.line); }

  function recount() {
    var sums = {};
    document.querySelectorAll("tr[data-line]").forEach(function (row) {
      var total = parse(input(row, "owner").value) + parse(input(row, "partner").value);
      row.dataset.frames.split(" ").forEach(function (key) { sums[key] = (sums[key] || 0) + total; });
    });
    var status = document.getElementById("frame-status");
    var over = [];
    document.querySelectorAll("#totals-table tr[data-frame]").forEach(function (tr) {
      var total = (parseInt(tr.dataset.fixed || "0", 10) || 0) + (sums[tr.dataset.frame] || 0);
      tr.querySelector("[data-total]").textContent = kroner(total);
      if (tr.dataset.amount === "") { return; }
      var remaining = parseInt(tr.dataset.amount, 10) - total;
      tr.querySelector("[data-remaining]").textContent = kroner(remaining);
      tr.classList.toggle("lk-exceeded", remaining < 0);
      if (remaining < 0) { over.push([tr.querySelector("th").textContent.trim(), kroner(remaining)]); }
    });
    if (!status) { return; }
    var html = document.createDocumentFragment();
    over.forEach(function (item) {
      var p = document.createElement("p");
      p.className = "ds-validation-message lk-exceeded-message";
      p.setAttribute("data-field", "validation");
      p.textContent = status.dataset.exceededText.replace("{frame}", item[0]).replace("{over}", item[1]);
      html.appendChild(p);
    });
    if (over.length) {
      var blocked = document.createElement("p"), strong = document.createElement("strong");
      blocked.className = "ds-paragraph";
      strong.textContent = status.dataset.blockedText;
      blocked.appendChild(strong);
      html.appendChild(blocked);
    }
    var before = status.textContent.replace(/\s+/g, " ").trim();
    var wrapper = document.createElement("div");
    wrapper.appendChild(html.cloneNode(true));
    if (before !== wrapper.textContent.replace(/\s+/g, " ").trim()) {
      status.replaceChildren(html);
    }
  }

  function say(row, message, kind) {
    var box = statusOf(row);
    box.replaceChildren();
    (Array.isArray(message) ? message : [message]).forEach(function (text) {
      if (!text) { return; }
      var p = document.createElement("p");
      p.className = kind === "ok" ? "ds-paragraph lk-muted" : "ds-validation-message";
      if (kind !== "ok") { p.setAttribute("data-field", "validation"); }
      p.textContent = text;
      box.appendChild(p);
    });
  }

  function showTotals(html) {
    var old = document.getElementById("totals");
    if (!old || !html) { return; }
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.querySelector("#totals");
    if (fresh) { old.replaceWith(fresh); }
    recount();
  }

  function fields(row) {
    return [input(row, "owner"), input(row, "partner"), document.getElementById("reason-" + row.dataset.line)];
  }

  function fill(row, data, sent) {
    // What the person typed while the save was on its way is kept (and saved next); the rest shows the server's.
    var values = [plain(data.owner), plain(data.partner), data.reason || ""];
    fields(row).forEach(function (field, i) {
      if (!sent || field.value === sent[i]) { field.value = values[i]; }
    });
    formOf(row).querySelector("input[name=base]").value = data.version;
  }

  function stale(row, data) {
    var box = statusOf(row);
    var node = document.getElementById("stale-template").content.cloneNode(true);
    node.querySelector(".lk-stale-text").textContent = texts.theirs
      .replace("{owner}", data.owner === null ? texts.undecided : kroner(data.owner))
      .replace("{partner}", data.partner === null ? texts.undecided : kroner(data.partner));
    box.replaceChildren(node);
    formOf(row).querySelector("input[name=base]").value = data.version;
    box.querySelector("[data-choice=theirs]").addEventListener("click", function () {
      fill(row, data);
      say(row, data.problems || [], "problem");
      showTotals(data.totals);
    });
    box.querySelector("[data-choice=mine]").addEventListener("click", function () { save(row, null); });
  }

  function save(row, button) {
    var form = formOf(row);
    if (!form) { return; }
    if (row.dataset.busy) {  // one save per row at a time: the next one goes on the version the first returns
      row.dataset.again = button && button.dataset.preset ? button.dataset.preset : "line";
      return;
    }
    row.dataset.busy = "1";
    var body = new FormData(form);
    var sent = fields(row).map(function (field) { return field.value; });
    var url = button && button.getAttribute("formaction") ? button.getAttribute("formaction") : form.action;
    row.classList.add("lk-saving");
    say(row, texts.saving, "ok");
    fetch(url, { method: "POST", body: body, headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (data) { return [response.status, data]; });
      })
      .then(function (answer) {
        var status = answer[0], data = answer[1];
        done(row);
        if (status === 200) {
          fill(row, data, button ? null : sent);
          say(row, [texts.saved].concat(data.problems || []), (data.problems || []).length ? "problem" : "ok");
          showTotals(data.totals);
        } else if (status === 409 && data.stale) {
          stale(row, data);
        } else {
          say(row, data.error || texts.offline, "problem");
        }
      })
      .catch(function () {
        done(row);
        say(row, texts.offline, "problem");
      });
  }

  function done(row) {
    row.classList.remove("lk-saving");
    delete row.dataset.busy;
    var again = row.dataset.again;
    if (!again) { return; }
    delete row.dataset.again;
    setTimeout(function () {
      save(row, again === "line" ? null : row.querySelector("button[data-preset=" + again + "]"));
    }, 0);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("recommend-texts");
    if (!box) { return; }
    texts = box.dataset;
    var lines = document.getElementById("lines");
    lines.addEventListener("input", function (e) {
      if (e.target.classList.contains("lk-amount")) { recount(); }
    });
    lines.addEventListener("change", function (e) {
      var row = rowOf(e.target);
      if (row && (e.target.classList.contains("lk-amount") || e.target.classList.contains("lk-reason"))) { save(row, null); }
    });
    lines.addEventListener("click", function (e) {
      var button = e.target.closest("button[type=submit]");
      var row = button && rowOf(button);
      if (!row) { return; }
      e.preventDefault();
      save(row, button.dataset.preset ? button : null);
    });
  });
})();
