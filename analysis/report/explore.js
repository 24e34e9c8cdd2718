/* The explore app's page (analysis/report/explore.py): the briefing's explorer, fed by the
   server's /api/rows a page at a time.  DOM built with textContent only (article text is data).
   Routes: #o=…&f=…&s=…&sp=…&q=… (filters, as the briefing's counts link here) and #ev-<evidence id>. */
(function () {
  "use strict";
  var root = document.getElementById("explorer");
  var q = function (sel) { return root.querySelector(sel); };
  var controls = {};
  root.querySelectorAll("[data-k]").forEach(function (el) { controls[el.dataset.k] = el; });
  var tbody = q(".ev-table tbody"), more = q(".ev-more");
  var state = { id: null, page: 0, total: 0, shown: 0 }, seq = 0;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function option(select, value, text) { var o = el("option", null, text); o.value = value; select.appendChild(o); }
  function cell(tr, label, child) {
    var td = el("td"); td.setAttribute("data-label", label); td.appendChild(child); tr.appendChild(td);
  }
  function stack(parts) { var box = el("div"); parts.forEach(function (p) { box.appendChild(p); }); return box; }
  var RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;  // Hebrew, Arabic, Syriac, Thaana, N'Ko
  function quote(r) {
    // direction from the quote's own script: an English article's sentence is its own English
    var rtl = RTL.test(r.ar), box = el("div"), ar = el("div", rtl ? "ev-ar" : "ev-ltr"), pos = 0;
    ar.setAttribute("dir", rtl ? "rtl" : "ltr");
    if (rtl) ar.setAttribute("lang", "ar");
    r.h.forEach(function (h) {
      if (h[0] < pos) return;
      ar.appendChild(document.createTextNode(r.ar.slice(pos, h[0])));
      ar.appendChild(el("mark", null, r.ar.slice(h[0], h[1])));
      pos = h[1];
    });
    ar.appendChild(document.createTextNode(r.ar.slice(pos)));
    box.appendChild(ar);
    if (r.en) box.appendChild(el("div", "ev-en", r.en));
    else if (rtl) box.appendChild(el("div", "ev-en ev-missing", "[translation missing]"));
    return box;
  }
  function row(r) {
    var tr = el("tr"); tr.setAttribute("data-ev", r.id);
    cell(tr, "Quote", quote(r));
    cell(tr, "Coded", stack([el("div", "ev-frame", r.fl), el("div", "ev-stance ev-" + r.s, r.s), el("div", "ev-speaker", r.sp)]));
    var a = el("a", "ev-id", r.id); a.href = "#ev-" + r.id; a.title = "Link to this sentence";
    cell(tr, "Source", stack([el("div", "ev-outlet", r.o), el("div", "ev-date", r.d || "undated"), a,
                              el("div", "ev-file", r.file + " [" + r.a + ":" + r.b + "]")]));
    return tr;
  }
  function params(page) {
    var p = new URLSearchParams();
    Object.keys(controls).forEach(function (k) { if (controls[k].value) p.set(k, controls[k].value); });
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
      d.rows.forEach(function (r) { frag.appendChild(row(r)); });
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
    Object.keys(controls).forEach(function (k) { controls[k].value = filters[k] || ""; });
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
    option(controls.o, "", "All outlets"); o.outlets.forEach(function (v) { option(controls.o, v, v); });
    option(controls.f, "", "All frames"); o.frames.forEach(function (f) { option(controls.f, f[0], f[1]); });
    option(controls.s, "", "All stances"); o.stances.forEach(function (s) { option(controls.s, s, s); });
    option(controls.sp, "", "All speakers"); o.speakers.forEach(function (v) { option(controls.sp, v, v); });
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
