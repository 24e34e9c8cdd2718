/* The explore app's page (analysis/report/explore.py): the briefing's explorer, fed by the
   server's /api/rows a page at a time.  DOM built with textContent only (article text is data).
   Rows are drawn by evrow.js (shared with the briefing's explorer).
   Routes: #o=…&g=…&f=…&s=…&sp=…&c=…&u=1&q=… (filters, as the briefing's counts link here) and #ev-<evidence id>. */
(function () {
  "use strict";
  var root = document.getElementById("explorer");
  var q = function (sel) { return root.querySelector(sel); };
  var controls = {};
  root.querySelectorAll("[data-k]").forEach(function (el) { controls[el.dataset.k] = el; });
  var tbody = q(".ev-table tbody"), more = q(".ev-more");
  var state = { id: null, page: 0, total: 0, shown: 0 }, seq = 0;

  var U = window.EvUI;
  function value(k) { var c = controls[k]; return c.type === "checkbox" ? (c.checked ? "1" : "") : c.value; }
  function params(page) {
    var p = new URLSearchParams();
    Object.keys(controls).forEach(function (k) {  // a filter the server does not offer is not sent
      if (value(k) && !controls[k].parentNode.hidden) p.set(k, value(k));
    });
    if (state.id) p.set("id", state.id);
    p.set("page", page);
    return p;
  }
  function load(page) {
    var mine = ++seq;
    q(".ev-note").textContent = " · loading…";
    return fetch("api/rows?" + params(page)).then(function (r) {
      if (!r.ok) return r.text().then(function (t) { throw new Error(t); });
      return r.json();
    }).then(function (d) {
      if (mine !== seq) return;  // a later request replaced this one
      if (page === 0) { tbody.textContent = ""; state.shown = 0; }
      var frag = document.createDocumentFragment();
      d.rows.forEach(function (r) { frag.appendChild(U.row(r)); });
      tbody.appendChild(frag);
      state.page = page; state.total = d.total; state.shown += d.rows.length;
      q(".ev-count").textContent = d.total.toLocaleString("en");
      q(".ev-note").textContent = state.id ? " · one sentence: " + state.id : "";
      more.hidden = state.shown >= d.total;
      more.textContent = "Show more (" + (d.total - state.shown).toLocaleString("en") + " left)";
    }).catch(function (e) { if (mine === seq) q(".ev-note").textContent = " · " + e.message; });
  }
  function set(filters) {
    state.id = filters.id || null;
    Object.keys(controls).forEach(function (k) {
      if (controls[k].type === "checkbox") controls[k].checked = !!filters[k]; else controls[k].value = filters[k] || "";
    });
    return load(0);
  }
  function route() {
    var h = location.hash.replace(/^#/, "");
    if (h.indexOf("ev-") === 0) {
      var id = h.slice(3);
      try { id = decodeURIComponent(id); } catch (e) { /* keep it as written */ }
      return set({ id: id });
    }
    var f = {};
    new URLSearchParams(h).forEach(function (v, k) { f[k] = v; });
    return set(f);
  }

  fetch("api/options").then(function (r) { return r.json(); }).then(function (o) {
    U.options(controls.o, "All outlets", o.outlets);
    U.options(controls.f, "All frames", o.frames);
    U.options(controls.s, "All stances", o.stances);
    U.options(controls.sp, "All speakers", o.speakers);
    // camps, outlet groups and the unnamed-source flag: offered when the server's evidence has them
    U.options(controls.c, "All camps", o.camps || []);
    U.options(controls.g, "All outlet groups", o.groups || []);
    if (!(o.camps || []).length) controls.c.parentNode.hidden = true;
    if (!(o.groups || []).length) controls.g.parentNode.hidden = true;
    if (!o.unnamed) controls.u.parentNode.hidden = true;
    q(".ev-total").textContent = o.total.toLocaleString("en");
    var timer;
    Object.keys(controls).forEach(function (k) {
      controls[k].addEventListener(k === "q" ? "input" : "change", function () {
        state.id = null; clearTimeout(timer); timer = setTimeout(function () { load(0); }, k === "q" ? 200 : 0);
      });
    });
    more.addEventListener("click", function () { load(state.page + 1); });
    q(".ev-reset").addEventListener("click", function () { history.pushState(null, "", "#"); set({}); });
    document.addEventListener("click", function (e) {
      var a = e.target.closest && e.target.closest('a[href^="#ev-"]');
      if (!a) return;
      e.preventDefault(); history.pushState(null, "", a.getAttribute("href")); route();
    });
    window.addEventListener("popstate", route);
    route();
  });
})();
