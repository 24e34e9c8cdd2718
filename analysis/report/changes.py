"""The "Changes since the last render" box: results/changes.py's comparison as markdown."""
from __future__ import annotations

import os
from pathlib import Path

from analysis.report import markdown as md
from analysis.report.store import Coded
from analysis.results import changes as ch

OUT_ENV = "FRAMING_OUT"  # set by `render --out`; the kernel finds the render history there
LIMIT = 6                # quotes and counts listed per kind; `python -m analysis diff` lists all


def since_last_render(analysis, translations: dict, out_dir: Path | str | None = None) -> ch.Changes:
    """Compare this render with the last one, and stage this one's tables for the next."""
    out = Path(out_dir or os.environ.get(OUT_ENV, "_output"))
    if isinstance(analysis, Coded):  # from the tables, by DuckDB: the corpus's mentions are never held
        pending = ch.stage_from_tables(out, analysis.corpus, analysis.counts(), analysis.store.dir, translations)
        return ch.compare_dirs(ch.latest_dir(out), pending)
    new = ch.snapshot(analysis, translations)
    try:
        old = ch.read_snapshot(ch.latest_dir(out))
    except ValueError:  # an unreadable history is no reason to stop a render: start afresh
        old = None
    ch.stage(out, new)
    return ch.compare(old, new)


def _more(n: int, limit: int) -> list[str]:
    return [f"… and {n - limit} more (`python -m analysis diff` lists them all)."] if n > limit else []


def _mention(r) -> str:
    en = f" — {md.mixed(r.english)}" if r.english else ""
    return (f"`{r.evidence_id}` · {md.escape(r.outlet)} · {md.escape(r.label)} · {md.escape(r.stance)} · "
            f"{md.escape(r.speaker)}: {md.arabic_inline(r.arabic)}{en}")


def box(c: ch.Changes, limit: int = LIMIT) -> str:
    """A callout for report.qmd, in both formats."""
    head = "::: {.callout-note}\n## Changes since the last render\n\n"
    if c.first:
        return head + "This is the first render into this output folder: there is nothing to compare with yet.\n:::\n\n"
    if c.nothing:
        return head + "Nothing changed since the last render: the same articles, counts and mentions.\n:::\n\n"
    arts = [f"{md.escape(r.article_id)} ({md.escape(r.outlet)}, {md.escape(r.date or 'undated')})" for r in c.added.itertuples()]
    gone = [f"{md.escape(r.article_id)} ({md.escape(r.outlet)}, {md.escape(r.date or 'undated')})" for r in c.removed.itertuples()]
    items = [f"**Articles:** {len(c.added)} added{': ' + '; '.join(arts) if arts else ''}; "
             f"{len(c.removed)} removed{': ' + '; '.join(gone) if gone else ''}"
             + (f"; {len(c.edited)} edited: {md.escape(', '.join(c.edited.article_id))}" if len(c.edited) else "") + "."]
    if len(c.counts):
        moved = [f"{md.escape(r.outlet)} · {md.escape(r.label)} {r.before} → {r.after} ({r.change:+d})"
                 for r in c.counts.head(limit).itertuples()]
        items.append(f"**Counts that moved ({len(c.counts)}):** " + "; ".join(moved) + "." +
                     "".join(" " + m for m in _more(len(c.counts), limit)))
    else:
        items.append("**Counts:** no outlet × frame count moved.")
    out = head + md.bullets(items)
    for title, df in (("Mentions gained", c.gained), ("Mentions lost", c.lost)):
        if len(df):
            out += f"**{title} ({len(df)}):**\n\n" + md.bullets([_mention(r) for r in df.head(limit).itertuples()]
                                                                + _more(len(df), limit))
    if len(c.recoded):
        rec = [f"`{r.evidence_id}` · {md.escape(r.label)}: {md.escape(r.stance_before)} ({md.escape(r.speaker_before)}) → "
               f"{md.escape(r.stance)} ({md.escape(r.speaker)})" for r in c.recoded.head(limit).itertuples()]
        out += f"**Stance or speaker changed ({len(c.recoded)}):**\n\n" + md.bullets(rec + _more(len(c.recoded), limit))
    return out + ":::\n\n"
