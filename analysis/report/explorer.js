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
  var U = window.EvUI, el = U.el, fold = U.fold;
  var rows = data.rows.map(function (x) {
    var t = data.sentences[x[0]];
    return { id: x[0], f: x[1], fl: labels[x[1]] || x[1], s: x[2], sp: x[3], h: x[4], c: x[5] || "", u: !!x[6],
             o: t[0], d: t[1], file: t[2], a: t[3], b: t[4], ar: t[5], en: t[6], lang: t[7] || "",
             g: (data.groups || {})[t[0]] || "" };
  });
  document.documentElement.classList.add("ev-js");
  root.hidden = false;

  rows.forEach(function (r) {
    r.hay = fold([r.ar, r.en, r.sp, r.c, r.o, r.fl, r.id, r.file].join("\u0001"));
  });

  var q = function (sel) { return root.querySelector(sel); };
  var controls = {};
  root.querySelectorAll("[data-k]").forEach(function (el) { controls[el.dataset.k] = el; });
  var tbody = q(".ev-table tbody"), more = q(".ev-more");
  var state = { id: null, n: null, key: null, why: "" }, shown = 0, matches = [];

  function uniq(key) {
    var seen = {}, out = [];
    rows.forEach(function (r) { if (!(r[key] in seen)) { seen[r[key]] = 1; out.push(r[key]); } });
    return out.sort();
  }
  U.options(controls.o, "All outlets", uniq("o"));
  U.options(controls.f, "All frames", data.frames);
  U.options(controls.s, "All stances", data.stances);
  U.options(controls.sp, "All speakers", uniq("sp"));
  U.options(controls.c, "All camps", uniq("c").filter(Boolean));
  var groups = uniq("g").filter(Boolean);
  U.options(controls.g, "All outlet groups", groups);
  if (!groups.length) controls.g.parentNode.hidden = true;
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

  function value(k) { var c = controls[k]; return c.type === "checkbox" ? (c.checked ? "1" : "") : c.value; }
  function filter() {
    var v = {}; Object.keys(controls).forEach(function (k) { v[k] = value(k); });
    var words = fold(v.q).split(/\s+/).filter(Boolean);
    matches = rows.filter(function (r) {
      if (state.id && r.id !== state.id) return false;
      if (!U.match(r, v)) return false;
      for (var i = 0; i < words.length; i++) if (r.hay.indexOf(words[i]) < 0) return false;
      return true;
    });
    tbody.textContent = ""; shown = 0; draw();
    q(".ev-count").textContent = matches.length.toLocaleString("en");
    var note = (matches.length ? U.distinct(matches) : "") + (state.id ? " · one sentence: " + state.id : "");
    if (state.why) note += " · " + state.why;
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
    for (; shown < end; shown++) frag.appendChild(U.row(matches[shown]));
    tbody.appendChild(frag);
    more.hidden = shown >= matches.length;
    more.textContent = "Show more (" + (matches.length - shown) + " left)";
  }
  function current() {
    var v = { id: state.id, n: state.n, key: state.key, why: state.why };
    Object.keys(controls).forEach(function (k) { v[k] = value(k); });
    return v;
  }
  function set(filters) {
    state.id = filters.id || null;
    state.n = filters.n == null ? null : filters.n;
    state.key = filters.key || null;
    state.why = filters.why || "";
    Object.keys(controls).forEach(function (k) {
      if (controls[k].type === "checkbox") controls[k].checked = !!filters[k]; else controls[k].value = filters[k] || "";
    });
    filter();
  }

  // The same filter as a link into the explore app: #o=…&f=… (a cell) or #ev-… (one sentence).
  function served(key) {
    var c = data.cells[key];
    if (!c) return "#" + key;
    return "#" + U.KEYS.filter(function (k) { return c[k]; })
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
      state.id = null; state.n = null; state.key = null; state.why = ""; clearTimeout(timer); timer = setTimeout(filter, k === "q" ? 120 : 0);
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
