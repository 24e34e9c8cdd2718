/* Evidence explorer for the HTML briefing (analysis/report/explorer.py).
   Data comes from the JSON blob #ev-data; the DOM is built with textContent only,
   never innerHTML, because every string in it is article text or analyst data.
   Routes: #cell-<key> filters to a table cell, #ev-<evidence id> to one quote. */
(function () {
  "use strict";
  var blob = document.getElementById("ev-data");
  var root = document.getElementById("explorer");
  if (!blob || !root) return;
  var data = JSON.parse(blob.textContent);
  var page = data.page || 50, labels = {};
  data.frames.forEach(function (f) { labels[f[0]] = f[1]; });
  var rows = data.rows.map(function (x) {
    var t = data.sentences[x[0]];
    return { id: x[0], f: x[1], fl: labels[x[1]] || x[1], s: x[2], sp: x[3], h: x[4],
             o: t[0], d: t[1], file: t[2], a: t[3], b: t[4], ar: t[5], en: t[6] };
  });
  document.documentElement.classList.add("ev-js");
  root.hidden = false;

  // Search folds what Arabic spelling varies on: diacritics, tatweel, alef/yeh/teh marbuta forms.
  function fold(s) {
    return (s || "").toLowerCase()
      .replace(/[\u064B-\u065F\u0670\u0640]/g, "")
      .replace(/[\u0622\u0623\u0625\u0671]/g, "\u0627")
      .replace(/\u0649/g, "\u064A").replace(/\u0629/g, "\u0647");
  }
  rows.forEach(function (r) {
    r.hay = fold([r.ar, r.en, r.sp, r.o, r.fl, r.id, r.file].join("\u0001"));
  });

  var q = function (sel) { return root.querySelector(sel); };
  var controls = {};
  root.querySelectorAll("[data-k]").forEach(function (el) { controls[el.dataset.k] = el; });
  var tbody = q(".ev-table tbody"), more = q(".ev-more");
  var state = { id: null, n: null, key: null }, shown = 0, matches = [];

  function option(select, value, text) {
    var o = document.createElement("option");
    o.value = value; o.textContent = text; select.appendChild(o);
  }
  function uniq(key) {
    var seen = {}, out = [];
    rows.forEach(function (r) { if (!(r[key] in seen)) { seen[r[key]] = 1; out.push(r[key]); } });
    return out.sort();
  }
  option(controls.o, "", "All outlets"); uniq("o").forEach(function (v) { option(controls.o, v, v); });
  option(controls.f, "", "All frames"); data.frames.forEach(function (f) { option(controls.f, f[0], f[1]); });
  option(controls.s, "", "All stances"); data.stances.forEach(function (s) { option(controls.s, s, s); });
  option(controls.sp, "", "All speakers"); uniq("sp").forEach(function (v) { option(controls.sp, v, v); });
  var total = data.total == null ? rows.length : data.total, sampled = rows.length < total;
  // Is `python -m analysis explore` answering on 127.0.0.1?  Asked once, and only when a count has more
  // rows than the page holds (a page that embeds everything never touches the network).
  var live = null;
  function probe(then) {
    if (live !== null || !data.explore || !window.fetch || !window.AbortController) { then(); return; }
    var ctl = new AbortController(), t = setTimeout(function () { ctl.abort(); }, 800);
    fetch(data.explore + "api/ping", { signal: ctl.signal }).then(function (r) { live = r.ok; })
      .catch(function () { live = false; }).then(function () { clearTimeout(t); then(); });
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function cell(tr, label, child) {
    var td = el("td"); td.setAttribute("data-label", label);
    if (typeof child === "string") td.textContent = child; else td.appendChild(child);
    tr.appendChild(td); return td;
  }
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
  function stack(parts) {
    var box = el("div");
    parts.forEach(function (p) { box.appendChild(p); });
    return box;
  }
  function row(r) {
    var tr = el("tr"); tr.setAttribute("data-ev", r.id);
    cell(tr, "Quote", quote(r));
    cell(tr, "Coded", stack([el("div", "ev-frame", r.fl), el("div", "ev-stance ev-" + r.s, r.s),
                             el("div", "ev-speaker", r.sp)]));
    var a = el("a", "ev-id", r.id);
    a.href = "#ev-" + r.id; a.title = "Link to this sentence";
    cell(tr, "Source", stack([el("div", "ev-outlet", r.o), el("div", "ev-date", r.d || "undated"), a,
                              el("div", "ev-file", r.file + " [" + r.a + ":" + r.b + "]")]));
    return tr;
  }

  function filter() {
    var v = {}; Object.keys(controls).forEach(function (k) { v[k] = controls[k].value; });
    var words = fold(v.q).split(/\s+/).filter(Boolean);
    matches = rows.filter(function (r) {
      if (state.id && r.id !== state.id) return false;
      if (v.o && r.o !== v.o) return false;
      if (v.f && r.f !== v.f) return false;
      if (v.s && r.s !== v.s) return false;
      if (v.sp && r.sp !== v.sp) return false;
      if (v.from && (!r.d || r.d < v.from)) return false;
      if (v.to && (!r.d || r.d > v.to)) return false;
      for (var i = 0; i < words.length; i++) if (r.hay.indexOf(words[i]) < 0) return false;
      return true;
    });
    tbody.textContent = ""; shown = 0; draw();
    q(".ev-count").textContent = matches.length.toLocaleString("en");
    var note = state.id ? " · one sentence: " + state.id : "";
    var partial = state.n != null && state.n > matches.length;
    q(".ev-total").textContent = (partial ? state.n : rows.length).toLocaleString("en");
    if (partial)
      note += " · this page holds a selection of this cell's rows; all of them: " + data.where.replace(/^the whole evidence: /, "");
    else if (sampled && !state.id)
      note += " · a selection of the study's " + total.toLocaleString("en") + " (every outlet × frame cell, evenly spread); " + data.where;
    var box = q(".ev-note"), key = state.key;
    box.textContent = note;
    if (partial) probe(function () {
      if (!live || state.key !== key) return;
      var a = el("a", "ev-app", "open all " + state.n.toLocaleString("en") + " in the explore app");
      a.href = data.explore + served(key); a.target = "_blank"; a.rel = "noopener";
      box.appendChild(document.createTextNode(" · ")); box.appendChild(a);
    });
  }
  function draw() {
    var frag = document.createDocumentFragment(), end = Math.min(matches.length, shown + page);
    for (; shown < end; shown++) frag.appendChild(row(matches[shown]));
    tbody.appendChild(frag);
    more.hidden = shown >= matches.length;
    more.textContent = "Show more (" + (matches.length - shown) + " left)";
  }
  function current() {
    var v = { id: state.id }; Object.keys(controls).forEach(function (k) { v[k] = controls[k].value; });
    return v;
  }
  function set(filters) {
    state.id = filters.id || null;
    state.n = filters.n == null ? null : filters.n;
    state.key = filters.key || null;
    Object.keys(controls).forEach(function (k) { controls[k].value = filters[k] || ""; });
    filter();
  }

  // The same filter as a link into the explore app: #o=…&f=… (a cell) or #ev-… (one sentence).
  function served(key) {
    var c = data.cells[key];
    if (!c) return "#" + key;
    return "#" + ["o", "f", "s", "sp"].filter(function (k) { return c[k]; })
      .map(function (k) { return k + "=" + encodeURIComponent(c[k]); }).join("&");
  }

  function route(hash, scroll) {
    var h;
    try { h = decodeURIComponent(hash || "").replace(/^#/, ""); }
    catch (e) { return false; }  // a malformed link (#%, a cut-off %E0%A4): not ours, keep the table whole
    if (h.indexOf("cell-") === 0 && data.cells[h]) set(Object.assign({ key: h }, data.cells[h]));
    else if (h.indexOf("ev-") === 0) set({ id: h.slice(3) });
    else return false;
    if (scroll) root.scrollIntoView();
    return true;
  }
  var timer;
  Object.keys(controls).forEach(function (k) {
    controls[k].addEventListener(k === "q" ? "input" : "change", function () {
      state.id = null; state.n = null; state.key = null; clearTimeout(timer); timer = setTimeout(filter, k === "q" ? 120 : 0);
    });
  });
  more.addEventListener("click", draw);
  q(".ev-reset").addEventListener("click", function () { set({}); });
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest('a[href^="#cell-"], a[href^="#ev-"]');
    if (!a) return;
    var href = a.getAttribute("href");
    // Back returns to where the reader clicked, with the explorer's filter as it was then.
    history.replaceState({ y: window.scrollY, filters: current() }, "");
    if (route(href, true)) { e.preventDefault(); history.pushState({ filters: current() }, "", href); }
  });
  if ("scrollRestoration" in history) history.scrollRestoration = "manual";  // popstate puts the reader back
  window.addEventListener("popstate", function (e) {
    var st = e.state;
    if (!st || !st.filters) { route(location.hash, true) || set({}); return; }
    set(st.filters);
    if (typeof st.y === "number") window.scrollTo(0, st.y); else root.scrollIntoView();
  });
  if (!route(location.hash, true)) filter();
})();
