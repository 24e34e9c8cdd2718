"""The HTML briefing's evidence explorer, and the clickable tables that open it.

Everything here is HTML for ```{=html} blocks (the PDF never sees it):

* ``explorer``: every evidence row as a JSON blob in ``<script type="application/json">``
  plus a small script (explorer.js, shipped with the package) that builds the table with
  ``textContent`` only, filters it and draws it page by page, so 10,000 rows stay quick.
* ``heatmap`` and ``who_matrix``: outlet × frame and speaker × frame × stance tables whose
  every non-zero cell links to ``#cell-<key>``.  With scripts the explorer filters to that
  cell; without, the link lands on a static list of the cell's evidence ids (``static_lists``).
* Every quote's anchor is its evidence id: ``#ev-<article>:<start>-<end>``.

Data strings are untrusted: every one goes through ``html.escape`` (text and attributes),
and the JSON blob has ``<``, ``>`` and ``&`` as ``\\u`` escapes so it cannot close its tag.
"""
from __future__ import annotations

import hashlib
import json
import re
from html import escape as _html_escape
from importlib import resources

import pandas as pd

from analysis.io.untrusted import balance_bidi, has_bidi_control

STANCES = ("asserted", "reported", "denied")
PAGE = 50  # rows drawn at a time; explorer.js reads it from the blob
EMBED_ROWS = 6000  # sentence × frame rows embedded at most (about 1.5 KB each with their quote): report.html stays mailable
PER_CELL = 40      # rows per outlet × frame cell once the evidence is larger than EMBED_ROWS
EXPLORE_PORT = 8765  # where `python -m analysis explore` listens (127.0.0.1 only); the page probes it
WHERE = ("the whole evidence: python -m analysis explore (a local web app on 127.0.0.1), "
         "or _output/tables/frame_sentences.csv")


def escape(text, quote: bool = True) -> str:
    """HTML text or attribute: escaped, bidi controls only in matched pairs (a name cannot reorder what follows)."""
    return _html_escape(balance_bidi(str(text)), quote)


def anchor(evidence_id: str) -> str:
    """The stable anchor of one quote: ``ev-`` + its evidence id."""
    return f"ev-{evidence_id}"


def cell_key(**filters: str) -> str:
    """A stable anchor for a table cell, from what it filters on."""
    canon = json.dumps(sorted(filters.items()), ensure_ascii=False)
    return "cell-" + hashlib.sha1(canon.encode()).hexdigest()[:12]


def _asset(name: str) -> str:
    return resources.files("analysis.report").joinpath(name).read_text(encoding="utf-8")


def json_for_script(value) -> str:
    """JSON that is inert inside a <script> element, whatever strings it holds."""
    s = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if has_bidi_control(s):  # the table the script builds shows names as the static HTML does
        s = re.sub(r'"(?:[^"\\]|\\.)*"', lambda m: balance_bidi(m.group()), s)
    for ch, esc in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        s = s.replace(ch, esc)
    return s


def raw_html(html: str) -> str:
    """A pandoc raw HTML block, fenced longer than any backtick run inside it."""
    longest = max((len(m) for m in re.findall(r"`+", html)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{{=html}}\n{html}\n{fence}\n\n"


# ---- the rows ----------------------------------------------------------------
def records(evidence: pd.DataFrame) -> dict:
    """The evidence as JSON-ready data, each sentence's text stored once however many frames it carries.

    ``sentences``: evidence id -> [outlet, date, file, start, end, original, English or None, language];
    ``rows``: one [evidence id, frame, stance, speaker, highlights, camp, unnamed] per sentence × frame,
    highlights as offsets into the quote (camp, unnamed and language when the evidence has them).
    """
    sentences, rows = {}, []
    for r in evidence.itertuples(index=False):
        if r.evidence_id not in sentences:
            date = r.date.isoformat() if hasattr(r.date, "isoformat") and not pd.isna(r.date) else ""
            sentences[r.evidence_id] = [r.outlet, date, r.file, int(r.start), int(r.end), r.arabic,
                                        r.english if isinstance(r.english, str) else None,
                                        getattr(r, "language", "") or ""]
        rows.append([r.evidence_id, r.frame, r.stance, r.speaker,
                     [[int(s) - int(r.start), int(e) - int(r.start)] for s, e in r.highlights if r.start <= s < e <= r.end],
                     getattr(r, "camp", "") or "", int(bool(getattr(r, "unnamed", False)))])
    return {"sentences": sentences, "rows": rows}


def _sorted(evidence: pd.DataFrame) -> pd.DataFrame:
    return evidence.sort_values(["article_id", "start", "frame"], kind="stable")


# ---- cells -------------------------------------------------------------------
def outlet_frame_cells(evidence: pd.DataFrame) -> dict[tuple[str, str], list[str]]:
    """(outlet, frame) -> evidence ids, in reading order."""
    if evidence.empty:
        return {}
    ev = _sorted(evidence)
    return {k: list(g.evidence_id) for k, g in ev.groupby(["outlet", "frame"], sort=False)}


def speaker_cells(evidence: pd.DataFrame) -> dict[tuple[str, str, str], list[str]]:
    """(speaker, frame, stance) -> evidence ids."""
    ev = _sorted(evidence)
    return {k: list(g.evidence_id) for k, g in ev.groupby(["speaker", "frame", "stance"], sort=False)}


def _link(n: int, key: str, title: str) -> str:
    return f'<a class="ev-cell" href="#{escape(key)}" title="{escape(title)}">{n}</a>'


def _caption(text: str) -> str:
    return f'<p class="ev-caption">{escape(text)}</p>' if text else ""


def _colour(n: int, top: int) -> str:
    """White to dark blue by n / top; dark cells get white text."""
    t = n / top if top else 0.0
    lo, hi = (255, 255, 255), (33, 90, 160)
    rgb = "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(lo, hi))
    return f"background:#{rgb};color:{'#fff' if t > 0.55 else '#111'}"


def heatmap(counts: pd.DataFrame, evidence: pd.DataFrame, frame_ids: list[str], label,
            outlet_ar: dict[str, str] | None = None, caption: str = "") -> str:
    """Frame × outlet as a coloured HTML table: 'n' and the outlet's share, each count a link."""
    outlet_ar = outlet_ar or {}
    cells = evidence.groupby(["outlet", "frame"]).size().to_dict() if len(evidence) else {}  # counts, not id lists
    c = counts.set_index(["outlet", "frame"])
    outlets = sorted(counts.outlet.unique())
    top = int(counts.sentences.max()) if len(counts) else 0
    head = "".join(f'<th scope="col">{escape(o)}' + (f'<span class="ev-arname" dir="rtl" lang="ar">{escape(outlet_ar[o])}</span>'
                                                       if outlet_ar.get(o) else "") + "</th>" for o in outlets)
    rows = []
    for f in frame_ids:
        tds = []
        for o in outlets:
            n = int(c.loc[(o, f), "sentences"]) if (o, f) in c.index else 0
            share = float(c.loc[(o, f), "share"]) if (o, f) in c.index else 0.0
            if n:
                assert n == cells.get((o, f), 0), (o, f)  # the count is its evidence
                key = cell_key(outlet=o, frame=f)
                body = _link(n, key, f"{o} · {label(f)}: open the {n} sentence(s)") + f'<small>{100 * share:.0f}%</small>'
            else:
                body = '<span class="ev-zero">–</span>'
            tds.append(f'<td style="{_colour(n, top)}">{body}</td>')
        rows.append(f'<tr><th scope="row">{escape(label(f))}</th>{"".join(tds)}</tr>')
    return raw_html(f'<div class="ev-wrap"><table data-quarto-disable-processing="true" class="ev-heatmap"><thead><tr><th>Frame</th>{head}</tr></thead>'
                    f'<tbody>{"".join(rows)}</tbody></table></div>' + _caption(caption))


def who_matrix(evidence: pd.DataFrame, frame_ids: list[str], label, caption: str = "") -> str:
    """Speaker × frame, each cell its counts by stance; every count a link to its sentences."""
    if evidence.empty:
        return ""
    cells = evidence.groupby(["speaker", "frame", "stance"]).size().to_dict()  # counts, not id lists
    by_stance = evidence.groupby(["speaker", "stance"]).size().to_dict()
    present = set(evidence.frame.unique())  # once, not per frame id (a set of every row each time)
    frames = [f for f in frame_ids if f in present]
    totals = evidence.groupby("speaker").size()
    speakers = sorted(totals.index, key=lambda s: (-int(totals[s]), s))
    head = "".join(f'<th scope="col">{escape(s.capitalize())}</th>' for s in STANCES)
    head += "".join(f'<th scope="col">{escape(label(f))}</th>' for f in frames)
    rows = []
    for sp in speakers:
        tds = []
        for st in STANCES:
            n = int(by_stance.get((sp, st), 0))
            tds.append(f'<td class="num">{_link(n, cell_key(speaker=sp, stance=st), f"{sp} · {st}") if n else "–"}</td>')
        for f in frames:
            parts = [f'{_link(k, cell_key(speaker=sp, frame=f, stance=st), f"{sp} · {label(f)} · {st}")} {st}'
                     for st in STANCES if (k := int(cells.get((sp, f, st), 0)))]
            tds.append(f'<td>{"<br>".join(parts) or "–"}</td>')
        rows.append(f'<tr><th scope="row">{escape(sp)}</th>{"".join(tds)}</tr>')
    return raw_html(f'<div class="ev-wrap"><table data-quarto-disable-processing="true" class="ev-who"><thead><tr><th>Speaker</th>{head}</tr></thead>'
                    f'<tbody>{"".join(rows)}</tbody></table></div>' + _caption(caption))


def cell_filters(evidence: pd.DataFrame) -> dict[str, dict]:
    """Every clickable cell's key -> the filter it opens (what explorer.js applies), with ``n``: its
    true number of rows, however many the page embeds."""
    out = {}
    for (o, f), n in evidence.groupby(["outlet", "frame"]).size().items():
        out[cell_key(outlet=o, frame=f)] = {"o": o, "f": f, "n": int(n)}
    for (sp, f, st), n in evidence.groupby(["speaker", "frame", "stance"]).size().items():
        out[cell_key(speaker=sp, frame=f, stance=st)] = {"sp": sp, "f": f, "s": st, "n": int(n)}
    for (sp, st), n in evidence.groupby(["speaker", "stance"]).size().items():
        out[cell_key(speaker=sp, stance=st)] = {"sp": sp, "s": st, "n": int(n)}
    out |= _page_one_cells(evidence)
    by_frame = evidence.groupby(["frame", "stance"]).size()
    for f in evidence.frame.unique():  # the key judgments' numbers (briefing.evidence_link)
        out[cell_key(frame=f)] = {"f": f, "n": int(by_frame.loc[f].sum())}
        for st in STANCES:
            out[cell_key(frame=f, stance=st)] = {"f": f, "s": st, "n": int(by_frame.get((f, st), 0))}
    return out


def _page_one_cells(evidence: pd.DataFrame) -> dict[str, dict]:
    """The outlet table's numbers (briefing.outlet_table): an outlet's (or outlet group's) rows, those of
    one camp, those resting on unnamed sources."""
    out = {}
    for col, k in (("outlet", "o"), ("group", "g")):
        if col not in evidence or not evidence[col].astype(bool).any():
            continue
        for v, n in evidence.groupby(col).size().items():
            out[cell_key(**{col: v})] = {k: v, "n": int(n)}
        for (v, f), n in evidence.groupby([col, "frame"]).size().items():
            out.setdefault(cell_key(**{col: v, "frame": f}), {k: v, "f": f, "n": int(n)})
        if "camp" in evidence:
            for (v, c), n in evidence.groupby([col, "camp"]).size().items():
                out[cell_key(**{col: v, "camp": c})] = {k: v, "c": c, "n": int(n)}
        if "unnamed" in evidence:  # every outlet: one with no unnamed frame sentence opens an empty list
            n_un = evidence[evidence.unnamed.astype(bool)].groupby(col).size()
            for v in set(evidence[col]) - {""}:
                out[cell_key(**{col: v, "unnamed": "1"})] = {k: v, "u": "1", "n": int(n_un.get(v, 0))}
    return out


def stratified(evidence: pd.DataFrame, limit: int = EMBED_ROWS, per_cell: int = PER_CELL) -> pd.DataFrame:
    """The rows the page embeds: all of them up to ``limit``; past it, from every outlet × frame cell
    the same number (``per_cell``, fewer if the cells are many), spread evenly over the cell in reading
    order, so that each cell, its start and its end are shown.  Deterministic."""
    if len(evidence) <= limit:
        return evidence
    ev = _sorted(evidence).reset_index(drop=True)
    cells = ev.groupby(["outlet", "frame"], sort=False)
    k = max(1, min(per_cell, limit // max(1, cells.ngroups)))
    pos, size = cells.cumcount(), cells["frame"].transform("size")
    # positions round(i * (size - 1) / (k - 1)) for i < k: evenly spaced, first and last included
    step = (size - 1) / max(1, k - 1)
    wanted = pd.Series(False, index=ev.index)
    for i in range(k):
        wanted |= (size > k) & (pos == (i * step).round().astype(int))
    return ev[wanted | (size <= k)]


LINKED_LIST = 50  # ids listed (no script) under a page-1 number's anchor; the explorer has them all

COLUMN_OF = {"outlet": "outlet", "group": "group", "frame": "frame", "stance": "stance", "camp": "camp",
             "speaker": "speaker"}


def _matching(evidence: pd.DataFrame, filters: dict) -> pd.DataFrame:
    """The rows a link's filters select (``unnamed``: the rows resting on unnamed sources)."""
    keep = pd.Series(True, index=evidence.index)
    for k, v in filters.items():
        if k == "unnamed":
            keep &= evidence["unnamed"].astype(bool) if "unnamed" in evidence else False
        elif COLUMN_OF.get(k) in evidence:
            keep &= evidence[COLUMN_OF[k]] == v
    return evidence[keep]


def linked_lists(evidence: pd.DataFrame, linked: dict[str, dict], totals: dict[str, dict], skip: set[str]) -> list[str]:
    """Plain lists (no script) under the anchors of the body's other numbers (key judgments, outlet table):
    the first LINKED_LIST ids of each, with the count."""
    parts = []
    for key, filters in linked.items():
        if key in skip:
            continue
        g = _matching(_sorted(evidence), filters).drop_duplicates("evidence_id")
        n = totals.get(key, {}).get("n", len(g))
        title = " · ".join(f"{k}: {v}" if k != "unnamed" else "unnamed sources" for k, v in filters.items())
        items = "".join(f'<li><a href="#{escape(anchor(e))}">{escape(e)}</a></li>' for e in g.evidence_id.head(LINKED_LIST))
        count = f"{n:,} row{'' if n == 1 else 's'}" + (f", the first {LINKED_LIST} sentences listed ({WHERE})" if len(g) > LINKED_LIST else "")
        parts.append(f'<section id="{escape(key)}" class="ev-list"><p class="ev-list-title">{escape(title)}: '
                     f'{escape(count)}</p><ol>{items}</ol></section>')
    return parts


def static_lists(evidence: pd.DataFrame, label, totals: dict[str, dict] | None = None,
                 linked: dict[str, dict] | None = None) -> str:
    """Each cell's evidence ids as a plain list under the cell's anchor: links that need no script.
    ``totals`` (``cell_filters`` of the whole evidence) gives each cell's true count when ``evidence``
    is the embedded selection."""
    if evidence.empty:
        return ""
    totals = totals or {}
    ev = _sorted(evidence)
    groups = [(cell_key(outlet=o, frame=f), f"{o} · {label(f)}", g) for (o, f), g in ev.groupby(["outlet", "frame"], sort=True)]
    groups += [(cell_key(speaker=sp, frame=f, stance=st), f"{sp} · {label(f)} · {st}", g)
               for (sp, f, st), g in ev.groupby(["speaker", "frame", "stance"], sort=True)]
    groups += [(cell_key(speaker=sp, stance=st), f"{sp} · {st}, all frames", g)
               for (sp, st), g in ev.groupby(["speaker", "stance"], sort=True)]
    parts = []
    for key, title, g in groups:
        items = "".join(f'<li><a href="#{escape(anchor(e))}">{escape(e)}</a></li>' for e in g.evidence_id)
        n = totals.get(key, {}).get("n", len(g))
        count = f"{len(g)}" if n == len(g) else f"showing {len(g):,} of {n:,} ({WHERE})"
        parts.append(f'<section id="{escape(key)}" class="ev-list"><p class="ev-list-title">{escape(title)}: {escape(count)}</p><ol>{items}</ol></section>')
    parts += linked_lists(evidence, linked or {}, totals, {key for key, _, _ in groups})
    return raw_html('<div class="ev-static"><p>The sentences behind each count, by evidence id '
                    '(the file and offsets of the quote).</p>' + "".join(parts) + "</div>")


# ---- the explorer --------------------------------------------------------------
def widget() -> tuple[str, str]:
    """The explorer's fixed markup, before and after its data blob: no data string ever goes in here."""
    head = (f"<style>{_asset('explorer.css')}</style><script>{_asset('evrow.js')}</script>"
            '<section id="explorer" class="ev-explorer" hidden aria-label="Evidence explorer">'
            '<div class="ev-controls">'
            '<label class="ev-q">Search <input type="search" data-k="q" placeholder="Arabic or English words, an evidence id…"></label>'
            '<label>Outlet <select data-k="o"></select></label>'
            '<label>Frame <select data-k="f"></select></label>'
            '<label>Stance <select data-k="s"></select></label>'
            '<label>Speaker <select data-k="sp"></select></label>'
            '<label>Camp <select data-k="c"></select></label>'
            '<label>Outlet group <select data-k="g"></select></label>'
            '<label class="ev-check"><input type="checkbox" data-k="u"> Unnamed sources only</label>'
            '<label>From <input type="date" data-k="from"></label>'
            '<label>To <input type="date" data-k="to"></label>'
            '<button type="button" class="ev-reset">Show all</button></div>'
            '<p class="ev-status" aria-live="polite"><span class="ev-count">0</span> of <span class="ev-total">0</span> '
            'sentence–frame rows<span class="ev-note"></span></p>'
            '<table data-quarto-disable-processing="true" class="ev-table"><thead><tr><th>Quote: original and translation</th>'
            '<th>Frame, stance, speaker</th><th>Outlet, date, source</th></tr></thead><tbody></tbody></table>'
            '<button type="button" class="ev-more" hidden>Show more</button></section>')
    return head, f"<script>{_asset('explorer.js')}</script>"



def explorer(evidence: pd.DataFrame, label, frame_ids: list[str], whole: pd.DataFrame | None = None,
             port: int = EXPLORE_PORT, notes: dict[str, str] | None = None) -> str:
    """The filterable, searchable table of the embedded evidence rows, self-contained.

    ``whole``: all the evidence when ``evidence`` is a selection of it (``stratified``); the cells
    then carry their true counts and the page says where the rest is."""
    whole = evidence if whole is None else whole
    present = set(whole.frame.unique()) if len(whole) else set()  # once, not per frame id
    frames = [f for f in frame_ids if f in present]
    cells = cell_filters(whole) if len(whole) else {}
    for key, why in (notes or {}).items():  # a number that counts more than the rows it opens says so
        if key in cells:
            cells[key]["why"] = why
    pairs = whole[["outlet", "group"]].drop_duplicates() if "group" in whole and len(whole) else None
    groups = dict(zip(pairs.outlet, pairs.group)) if pairs is not None else {}
    blob = {**(records(_sorted(evidence)) if len(evidence) else {"sentences": {}, "rows": []}),
            "cells": cells, "total": len(whole), "where": WHERE, "groups": {k: v for k, v in groups.items() if v},
            "explore": f"http://127.0.0.1:{int(port)}/",
            "frames": [[f, label(f)] for f in frames], "stances": list(STANCES), "page": PAGE}
    head, tail = widget()
    html = head + f'<script type="application/json" id="ev-data">{json_for_script(blob)}</script>' + tail
    return raw_html(html)


# ---- for report.qmd ------------------------------------------------------------
class View:
    """The explorer's pieces for one briefing (anything with .analysis, .counts, .evidence, .label)."""

    def __init__(self, briefing):
        self.b = briefing

    def _frames(self) -> list[str]:
        return self.b.analysis.codebook.frame_ids

    def heatmap(self) -> str:
        outlet_ar = {a.outlet.name_en: a.outlet.name_ar for a in self.b.analysis.corpus.articles}
        return heatmap(self.b.counts, self.b.evidence, self._frames(), self.b.label, outlet_ar,
                       "Sentences carrying each frame, by outlet, and their share of the outlet's sentences. "
                       "Click a count to open its sentences in the evidence explorer (Appendix A).")

    def who(self) -> str:
        return who_matrix(self.b.evidence, self._frames(), self.b.label,
                          "Who says what: frame sentences by speaker, frame and stance. Click a count to open its sentences.")

    def table(self) -> str:
        whole = self.b.evidence
        shown = self.b.with_text(stratified(whole))  # only the embedded rows carry their quotes
        notes = self.b.cell_notes() if hasattr(self.b, "cell_notes") else {}
        return (explorer(shown, self.b.label, self._frames(), whole, notes=notes)
                + static_lists(shown, self.b.label, cell_filters(whole) if len(whole) else {},
                               getattr(self.b, "linked", {})))


def view(briefing) -> View:
    return View(briefing)
