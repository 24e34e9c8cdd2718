/* What the briefing's explorer (explorer.js) and the explore app (explore.js) share: building a row
   of the evidence table, the filter controls' options, and the status line.  DOM built with
   textContent only, never innerHTML: every string here is article text or analyst data. */
window.EvUI = (function () {
  "use strict";
  var RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;  // Hebrew, Arabic, Syriac, Thaana, N'Ko
  var RTL_LANG = /^(ar|fa|ur|he|yi|ps|ckb|ku-arab|sd|ug|dv|syr)\b/i;
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function option(select, value, text) { var o = el("option", null, text); o.value = value; select.appendChild(o); }
  function options(select, all, values) {
    option(select, "", all);
    values.forEach(function (v) { if (Array.isArray(v)) option(select, v[0], v[1]); else option(select, v, v); });
  }
  function cell(tr, label, child) {
    var td = el("td"); td.setAttribute("data-label", label); td.appendChild(child); tr.appendChild(td);
  }
  function stack(parts) { var box = el("div"); parts.forEach(function (p) { box.appendChild(p); }); return box; }
  // Direction and the need for a translation come from the article's language (r.lang, a BCP 47 tag),
  // else from the quote's script: an English sentence is its own English, a French one needs translating.
  function direction(r) {
    var rtl = r.lang ? RTL_LANG.test(r.lang) : RTL.test(r.ar);
    var english = r.lang ? /^en\b/i.test(r.lang) : !rtl;
    return { rtl: rtl, english: english };
  }
  function quote(r) {
    var d = direction(r), box = el("div"), ar = el("div", d.rtl ? "ev-ar" : "ev-ltr"), pos = 0;
    ar.setAttribute("dir", d.rtl ? "rtl" : "ltr");
    if (r.lang) ar.setAttribute("lang", r.lang); else if (d.rtl) ar.setAttribute("lang", "ar");
    (r.h || []).forEach(function (h) {
      if (h[0] < pos) return;
      ar.appendChild(document.createTextNode(r.ar.slice(pos, h[0])));
      ar.appendChild(el("mark", null, r.ar.slice(h[0], h[1])));
      pos = h[1];
    });
    ar.appendChild(document.createTextNode(r.ar.slice(pos)));
    box.appendChild(ar);
    if (r.en) box.appendChild(el("div", "ev-en", r.en));
    else if (!d.english) box.appendChild(el("div", "ev-en ev-missing", "[translation missing]"));
    return box;
  }
  function row(r) {
    var tr = el("tr"); tr.setAttribute("data-ev", r.id);
    cell(tr, "Quote", quote(r));
    var coded = [el("div", "ev-frame", r.fl), el("div", "ev-stance ev-" + r.s, r.s), el("div", "ev-speaker", r.sp)];
    if (r.c) coded.push(el("div", "ev-camp", r.c + (r.u ? " · unnamed source" : "")));
    cell(tr, "Coded", stack(coded));
    var a = el("a", "ev-id", r.id); a.href = "#ev-" + r.id; a.title = "Link to this sentence";
    cell(tr, "Source", stack([el("div", "ev-outlet", r.o), el("div", "ev-date", r.d || "undated"), a,
                              el("div", "ev-file", r.file + " [" + r.a + ":" + r.b + "]")]));
    return tr;
  }
  // "12 sentences in 3 articles from 2 outlets": what a count of the briefing counts, beside the rows.
  function distinct(rows) {
    var s = {}, a = {}, o = {}, ns = 0, na = 0, no = 0;
    rows.forEach(function (r) {
      if (!(r.id in s)) { s[r.id] = 1; ns++; }
      var art = r.file; if (!(art in a)) { a[art] = 1; na++; }
      if (!(r.o in o)) { o[r.o] = 1; no++; }
    });
    function n(k, one, many) { return k.toLocaleString("en") + " " + (k === 1 ? one : many); }
    return " · " + n(ns, "sentence", "sentences") + " in " + n(na, "article", "articles") + " from " + n(no, "outlet", "outlets");
  }
  // The keys a filter link may carry (#o=…&f=…): outlet, outlet group, frame, stance, speaker, camp, unnamed.
  var KEYS = ["o", "g", "f", "s", "sp", "c", "u"];
  function match(r, v) {
    if (v.o && r.o !== v.o) return false;
    if (v.g && r.g !== v.g) return false;
    if (v.f && r.f !== v.f) return false;
    if (v.s && r.s !== v.s) return false;
    if (v.sp && r.sp !== v.sp) return false;
    if (v.c && r.c !== v.c) return false;
    if (v.u && !r.u) return false;
    if (v.from && (!r.d || r.d < v.from)) return false;
    if (v.to && (!r.d || r.d > v.to)) return false;
    return true;
  }
  function fold(s) {  // search folds what Arabic spelling varies on: diacritics, tatweel, alef/yeh/teh marbuta
    return (s || "").toLowerCase()
      .replace(/[\u064B-\u065F\u0670\u0640]/g, "")
      .replace(/[\u0622\u0623\u0625\u0671]/g, "\u0627")
      .replace(/\u0649/g, "\u064A").replace(/\u0629/g, "\u0647");
  }
  return { el: el, option: option, options: options, cell: cell, stack: stack, quote: quote, row: row,
           direction: direction, distinct: distinct, match: match, fold: fold, KEYS: KEYS };
})();
