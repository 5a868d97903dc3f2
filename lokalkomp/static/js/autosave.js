/* lokalkomp autosave: each field of the needs report form (and of the report on the use of funds) is saved as it is typed.

   htmx sends the request (the field's hx-post, on the custom event "lk:save"); this file decides
   when: 800 ms after typing stops, at most 2.5 s after the first unsaved keystroke, and at once when
   the person leaves the field. It compares with the last value the server acknowledged (not the
   value the page was loaded with), so retyping an old value after someone else changed it is sent.
   A choice or a text made before the scripts ran (a slow phone) is sent once they have.
   It also keeps a copy of unsaved text in this browser (a closed tab, an expired session or a lost
   connection loses nothing), says «Ikke lagret» with what to do on every failed save, retries when
   the connection or the server failed, shows a co-author's new amounts, and polls who else has the
   report open. No inline script: the page's translated texts come from data-* attributes of #lk-autosave-text. */
(function () {
  "use strict";
  var PREFIX = "lokalkomp:unsaved:";
  var DELAY = 800, MAX_WAIT = 2500, POLL = 20000;
  var TEXT = {};
  var state = new WeakMap();
  // Counts every request of the form (saves, choices, «Keep mine»), started or answered: a poll's
  // amounts are shown only if nothing was sent or answered while it was on its way, since they were
  // read before that save and would put the sums back to what they were.
  var traffic = 0;

  function t(name) { return TEXT[name] || name; }
  function storeKey(el) { return PREFIX + el.dataset.autosave + ":" + el.name; }
  function keep(el) { try { localStorage.setItem(storeKey(el), el.value); } catch (err) { /* storage off */ } }
  function forget(el) { try { localStorage.removeItem(storeKey(el)); } catch (err) { /* ignore */ } }
  function isText(el) { return el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && el.type !== "checkbox" && el.type !== "radio"); }
  function st(el) {
    var s = state.get(el);
    if (!s) { s = { acked: el.defaultValue, inflight: null, conflicted: null, timer: null, first: 0, retries: 0 }; state.set(el, s); }
    return s;
  }
  function field(el) { return el && el.dataset && el.dataset.autosave && isText(el) ? el : null; }
  function messageOf(el) { return document.getElementById("msg-" + el.id); }

  function send(el) {
    var s = st(el);
    clearTimeout(s.timer); s.timer = null; s.first = 0;
    // not again what the server has, what is on its way, or what is waiting for «Keep mine» / «Use theirs»
    if (el.value === s.acked || el.value === s.inflight || el.value === s.conflicted) { return; }
    htmx.trigger(el, "lk:save");
  }
  function schedule(el) {
    var s = st(el), now = Date.now();
    if (!s.first) { s.first = now; }
    clearTimeout(s.timer);
    s.timer = setTimeout(function () { send(el); }, Math.max(0, Math.min(DELAY, s.first + MAX_WAIT - now)));
  }

  document.addEventListener("input", function (e) {
    var el = field(e.target);
    if (!el) { return; }
    keep(el);
    schedule(el);
  });
  document.addEventListener("change", function (e) {
    var el = field(e.target);
    if (el) { send(el); }
  });

  // The value that goes out is the one to acknowledge when the answer is 2xx.
  document.addEventListener("htmx:configRequest", function (e) {
    var el = field(e.detail.elt), msg = e.detail.target;
    if (el) { st(el).inflight = el.value; }
    if (msg && msg.classList && msg.classList.contains("lk-msg")) {  // no stale «Lagret» while this one is on its way
      msg.querySelectorAll(".lk-saved, .lk-not-saved").forEach(function (p) { p.remove(); });
    }
  });

  document.addEventListener("htmx:beforeRequest", function () { traffic += 1; });
  document.addEventListener("htmx:afterRequest", function (e) {
    traffic += 1;
    var xhr = e.detail.xhr, status = xhr ? xhr.status : 0, ok = status >= 200 && status < 300;
    var el = field(e.detail.elt);
    if (!el) {  // a choice (select, checkboxes, yes/no) or «Keep mine»: no retry, but the same message
      var target = e.detail.target;
      if (!target || !target.classList || !target.classList.contains("lk-msg")) { return; }
      if (ok) {
        // «Keep mine» sends the field it includes: that value is now the one the server has. Its answer
        // replaces the button, and htmx then tells it from a parent: the message's id names the field too.
        var include = e.detail.elt.getAttribute && e.detail.elt.getAttribute("hx-include");
        var id = include && include.charAt(0) === "#" ? include.slice(1) : target.id.replace(/^msg-/, "");
        var kept = field(document.getElementById(id));
        if (kept) { st(kept).acked = kept.value; st(kept).conflicted = null; forget(kept); }
        applySync(document.getElementById("lk-sync"));
      } else if (status !== 422) { notSaved(target, status); }
      return;
    }
    var s = st(el), sent = s.inflight;
    s.inflight = null;
    if (ok) {
      s.acked = sent; s.retries = 0;
      if (el.value === sent) { forget(el); }
      el.removeAttribute("aria-invalid");
      applySync(document.getElementById("lk-sync"));
      if (el.value !== s.acked) { schedule(el); }
      return;
    }
    if (status === 422) {  // refused with a message by the field; the server keeps what was typed
      s.acked = sent;
      el.setAttribute("aria-invalid", "true");
      return;
    }
    keep(el);  // the text stays in the field and in this browser
    if (status === 409) { s.conflicted = sent; }
    if (notSaved(messageOf(el), status) && s.retries < 6) {
      s.retries += 1;
      setTimeout(function () { send(el); }, 3000 * s.retries);
    }
  });

  // «Ikke lagret» and what to do, in the field's message; true when trying again may help.
  function notSaved(msg, status) {
    var advice, retry = false, reload = false;
    if (status === 0) { advice = t("offline"); retry = true; }
    else if (status === 409) { advice = t("conflict"); }
    else if (status === 401) { advice = t("signedOut"); }
    else if (status === 423) { advice = t("locked"); }
    else if (status === 403) { advice = t("forbidden"); reload = true; }
    else if (status === 404) { advice = t("gone"); reload = true; }
    else { advice = t("server"); retry = true; }
    if (!msg) { return retry; }
    if (status !== 401 && status !== 409 && status !== 423) { msg.innerHTML = ""; }  // else the server's message stays
    var p = document.createElement("p");
    p.className = "ds-validation-message lk-not-saved";
    p.setAttribute("data-field", "validation");
    p.setAttribute("data-color", "danger");
    var strong = document.createElement("strong");
    strong.textContent = t("notSaved");
    p.appendChild(strong);
    p.appendChild(document.createTextNode(" " + advice));
    if (reload) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "ds-button";
      button.setAttribute("data-size", "sm");
      button.setAttribute("data-variant", "secondary");
      button.setAttribute("data-reload", "");
      button.textContent = t("reload");
      p.appendChild(document.createTextNode(" "));
      p.appendChild(button);
    }
    msg.insertBefore(p, msg.firstChild);
    return retry;
  }

  document.addEventListener("click", function (e) {
    if (!e.target.closest) { return; }
    if (e.target.closest("[data-reload]")) { window.location.reload(); return; }
    var button = e.target.closest("[data-use-theirs]");
    if (!button) { return; }
    var id = button.dataset.useTheirs, el = document.getElementById(id);
    var theirs = document.getElementById("theirs-" + id), base = document.getElementById("base-" + id);
    if (el && theirs) {
      // data-value where what a person reads differs from the field's value (a choice's label, not its code)
      el.value = "value" in theirs.dataset ? theirs.dataset.value : theirs.textContent === "–" ? "" : theirs.textContent;
      if (base) { base.value = el.value; }
      st(el).acked = el.value; st(el).conflicted = null;
      forget(el);
      messageOf(el).innerHTML = "";
    }
  });

  // What the server holds now (after a save, or from the poll): amounts someone else changed are shown
  // in every field that the person is not in and has no unsaved change in, with the sums beside them.
  function apply(data) {
    if (!data) { return; }
    Object.keys(data.fields || {}).forEach(function (key) {
      var el = document.getElementById(key.replace(/:/g, "-")), value = data.fields[key];
      if (!field(el) || el === document.activeElement) { return; }
      var s = st(el);
      if (s.inflight !== null || el.value !== s.acked || el.value === value) { return; }
      el.value = value; s.acked = value;
      var base = document.getElementById("base-" + el.id);
      if (base) { base.value = value; }
    });
    Object.keys(data.texts || {}).forEach(function (id) {
      var target = document.getElementById(id);
      if (target) { target.textContent = data.texts[id]; }
    });
    if (data.totals) {
      var totals = document.getElementById("totals"), fresh = document.createElement("template");
      fresh.innerHTML = data.totals.trim();
      // only when a sum changed: the same table put in anew would be read out again and lose its place
      if (totals && fresh.content.firstElementChild && fresh.content.textContent !== totals.textContent) {
        totals.replaceWith(fresh.content.firstElementChild);
      }
    }
  }
  function applySync(holder) {
    if (!holder || !holder.dataset.sync) { return; }
    try { apply(JSON.parse(holder.dataset.sync)); } catch (err) { /* ignore */ }
    holder.dataset.sync = "";
  }

  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function poll() {
    var box = document.getElementById("lk-presence");
    if (!box || !window.fetch) { return; }
    var sentAt = traffic;
    fetch(box.dataset.url, { method: "POST", headers: { "X-CSRFToken": csrf(), "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        var others = data.others || [];
        box.hidden = !others.length;
        box.querySelector("[data-names]").textContent = others.join(", ");
        if (traffic === sentAt) { apply(data); }  // else a newer answer of a save holds the amounts
      })
      .catch(function () { /* offline: try again at the next tick */ });
  }

  // Back on the page: put back what was typed but never saved, and send it again.
  function restore() {
    document.querySelectorAll("[data-autosave]").forEach(function (el) {
      if (!field(el)) { return; }
      var kept = null;
      try { kept = localStorage.getItem(storeKey(el)); } catch (err) { return; }
      if (kept !== null && kept !== el.value) {
        el.value = kept;
      } else if (kept !== null) {
        forget(el);
      }
      // typed before the scripts ran (a slow machine), or put back from this browser: send it now
      if (el.value !== st(el).acked) { send(el); }
    });
  }

  // A choice (select, checkboxes, yes/no) is sent by htmx on "change", which goes nowhere before htmx has
  // wired it: on a slow phone the box shows the choice and the server never hears of it. Once wired, send
  // every choice whose state is not the one the page was served with.
  function changedFromServed(control) {
    if (control.tagName === "SELECT") {
      var options = Array.prototype.slice.call(control.options);
      var served = options.filter(function (o) { return o.defaultSelected; });
      if (!served.length) { return control.selectedIndex > 0; }  // served with none marked: the first is shown
      return options.some(function (o) { return o.selected !== o.defaultSelected; });
    }
    return (control.type === "checkbox" || control.type === "radio") && control.checked !== control.defaultChecked;
  }
  function sendUnsentChoices() {
    // A page come back to with Back or Forward may show the person's earlier choices over what is served
    // (the choices have autocomplete="off", which keeps browsers from doing so): never send those.
    var nav = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
    if (nav && nav.type === "back_forward") { return; }
    document.querySelectorAll("[hx-trigger^='change']").forEach(function (holder) {
      var from = /^change from:(#[\w-]+)/.exec(holder.getAttribute("hx-trigger"));
      var source = from ? document.querySelector(from[1]) : holder;
      if (!source) { return; }
      var controls = source.matches("select, input") ? [source] : source.querySelectorAll("select, input[type=checkbox], input[type=radio]");
      if (Array.prototype.some.call(controls, changedFromServed)) { htmx.trigger(source, "change"); }
    });
  }

  function start() {
    var texts = document.getElementById("lk-autosave-text");  // translated texts in data-* attributes
    if (texts) { TEXT = texts.dataset; }
    restore();
    sendUnsentChoices();
    if (document.getElementById("lk-presence")) { poll(); setInterval(poll, POLL); }
  }
  // After htmx has wired the fields (both scripts are deferred), or the restored text would go nowhere.
  htmx.onLoad(function (elt) { if (elt === document.body) { start(); } });
})();
