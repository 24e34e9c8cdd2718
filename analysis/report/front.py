"""Page 1 for the policy reader: what happened, each outlet's position, how sure to be; and voices by camp.

All of it is computed from the same inputs as the other views (the analysis, the outlet × frame counts,
the events, the evaluation); briefing.py formats it.
"""
from __future__ import annotations

import pandas as pd

from analysis.coding.speakers import OUTLET_ACTOR
from analysis.report import markdown as md
from analysis.results.evaluate import POOLED

MAX_ROWS = 12          # past this many outlets, the outlet table shows groups of outlets
MIN_SHARE_BASE = 10    # sentences: a share of fewer is not ranked ("2 of 6" is no finding)
UNLISTED_CAMP = "Not in the gazetteer"
OWN_VOICE = "Own voice"


def events_in_window(events: pd.DataFrame, first, last) -> pd.DataFrame:
    """The events dated inside the corpus window, or, if none is, the last one before it."""
    if events.empty or first is None:
        return events.head(0)
    days = pd.to_datetime(events.date).dt.date
    inside = events[(days >= first) & (days <= last)]
    return inside if len(inside) else events[days < first].tail(1)


def camp_of(analysis):
    """speaker id → camp (the actor's side in actors.yaml)."""
    sides = {k: a.side or "Unassigned" for k, a in analysis.actors.items()}
    return lambda speaker: sides.get(speaker, OWN_VOICE if speaker == OUTLET_ACTOR.id else UNLISTED_CAMP)


def voices(analysis) -> pd.DataFrame:
    """One row per (frame sentence, speaker): outlet, speaker, camp, stance — a sentence counted once per voice."""
    st = analysis.stances
    camp = camp_of(analysis)
    v = st.drop_duplicates(["sentence_id", "speaker"])[["outlet", "sentence_id", "speaker", "speaker_name", "stance"]]
    return v.assign(camp=v.speaker.map(camp))


def outlet_sentences(analysis) -> pd.Series:
    """Cleaned sentences per outlet name."""
    sizes = analysis.article_sizes()  # per article: sentences and words (read from the tables, not held)
    outlet = {a.id: a.outlet.name_en for a in analysis.corpus.articles}
    return sizes.sentences.groupby(sizes.index.map(outlet)).sum()


def _identity(o) -> str:
    parts = [p for p in (o.ownership, o.alignment) if p]
    if not parts:
        return "not recorded"
    sure = "" if o.identity_basis == "stated" else f" ({o.identity_basis}, {o.identity_confidence})"
    return "; ".join(parts) + sure


def _unnamed(sourcing: pd.DataFrame, sentences: pd.Series, names: list[str]) -> tuple[int, int]:
    anon = sourcing[(sourcing.measure == "anonymous sources") & sourcing.outlet.isin(names)].sentences.sum()
    return int(anon), int(sentences.reindex(names).fillna(0).sum())


def plain(text, **_filters) -> str:
    """A number with no link (the default of ``positions``: its cells are markdown)."""
    return md.escape(text if isinstance(text, str) else format(text, ","))


def _main_frame(counts: pd.DataFrame, names: list[str], order: list[str], label, link, where: dict) -> str:
    c = counts[counts.outlet.isin(names)].groupby("frame").sentences.sum().reindex(order).fillna(0)
    if not len(c) or c.max() == 0:
        return "none of the codebook's"
    top = c.idxmax()  # ties: the codebook's order
    return f"{md.mixed(label(top))} ({link(int(c[top]), frame=top, **where)})"


def _leading(v: pd.DataFrame, names: list[str], link, where: dict, n: int = 2) -> str:
    sub = v[v.outlet.isin(names) & (v.camp != OWN_VOICE)]
    if sub.empty:
        return "only its own voice"
    top = sub.groupby("camp").sentence_id.nunique().sort_index().sort_values(ascending=False, kind="stable").head(n)
    return ", ".join(f"{md.mixed(camp)} ({link(k, camp=camp, **where)})" for camp, k in top.items())


def grouped(analysis) -> bool:
    """Whether the briefing shows groups of outlets (past MAX_ROWS outlets): its tables, figures and links."""
    return len({a.outlet.name_en for a in analysis.corpus.articles}) > MAX_ROWS


def group_of(analysis) -> dict[str, str]:
    """{outlet name: its group} when the briefing groups outlets, else {}."""
    return {n: k for k, names in groups(analysis).items() for n in names} if grouped(analysis) else {}


def n_outlets(n: int) -> str:
    return f"{n:,} outlet" + ("" if n == 1 else "s")


def groups(analysis) -> dict[str, list[str]]:
    """Outlet name lists in table order: one per outlet, or per alignment (else base) past MAX_ROWS outlets."""
    outlets = {a.outlet.name_en: a.outlet for a in analysis.corpus.articles}
    if not grouped(analysis):
        return {name: [name] for name in sorted(outlets)}
    key = "alignment" if all(o.alignment for o in outlets.values()) else "country"
    out: dict[str, list[str]] = {}
    for name in sorted(outlets):
        out.setdefault(getattr(outlets[name], key) or "not recorded", []).append(name)
    return dict(sorted(out.items()))


def positions(analysis, counts: pd.DataFrame, label, link=plain) -> tuple[pd.DataFrame, bool]:
    """Each outlet's (or group's) position: base, identity, articles, main frame, leading voices, unnamed share.

    Cells are markdown; ``link(number, **filters)`` makes a number a link to its evidence (filters:
    outlet or group, and frame, camp or unnamed).  Returns the table and whether its rows are groups.
    """
    outlets = {a.outlet.name_en: a.outlet for a in analysis.corpus.articles}
    n_articles = pd.Series([a.outlet.name_en for a in analysis.corpus.articles]).value_counts()
    sentences = outlet_sentences(analysis)
    v = voices(analysis)
    order = list(analysis.codebook.frame_ids)
    is_grouped = grouped(analysis)
    rows = []
    for key, names in groups(analysis).items():
        anon, total = _unnamed(analysis.sourcing, sentences, names)
        first = outlets[names[0]]
        where = {"group": key} if is_grouped else {"outlet": key}
        row = {"Outlet": md.mixed(key if not is_grouped else f"{key} ({n_outlets(len(names))})")}
        if not is_grouped:
            row |= {"Base": md.mixed(first.country), "Ownership, alignment": md.mixed(_identity(first))}
        else:
            bases = sorted({outlets[x].country for x in names})
            row |= {"Base": md.mixed(bases[0] if len(bases) == 1 else f"{len(bases)} bases")}
        row |= {"Articles": link(int(n_articles.reindex(names).fillna(0).sum()), **where),
                "Main frame (sentences)": _main_frame(counts, names, order, label, link, where),
                "Leading voices (sentences)": _leading(v, names, link, where),
                "Unnamed sources": f"{round(100 * anon / total) if total else 0} % "
                                   f"({link(anon, unnamed='1', **where) if anon else 0} of {total:,})"}
        rows.append(row)
    return pd.DataFrame(rows), is_grouped


def camp_grid(analysis) -> pd.DataFrame:
    """Camp × outlet (or outlet group): frame sentences each camp voices; the outlet's own voice last."""
    v = voices(analysis)
    if v.empty:
        return pd.DataFrame()
    g = groups(analysis)
    where = {name: key for key, names in g.items() for name in names}
    v = v.assign(column=v.outlet.map(where))
    t = v.groupby(["camp", "column"]).sentence_id.nunique().unstack(fill_value=0).reindex(columns=list(g), fill_value=0)
    t["All"] = v.groupby("camp").sentence_id.nunique()
    camps = [c for c in t.sort_values("All", ascending=False, kind="stable").index if c != OWN_VOICE]
    t = t.reindex(camps + ([OWN_VOICE] if OWN_VOICE in t.index else []))
    denied = v[v.stance == "denied"].groupby("camp").sentence_id.nunique()
    t["Of which denials"] = denied.reindex(t.index).fillna(0).astype(int)
    t.index.name = "Camp"
    return t.reset_index()


def how_sure(evaluation, n_reviews: int, shown_translators: pd.Series) -> list[str]:
    """Plain sentences: who checked the coding, how often they agreed, what review changed, translations."""
    out = []
    if evaluation is None:
        out.append("No second coder has checked this corpus: every count is the tool's alone, "
                   "so read them as pointers to the quoted evidence rather than as measurements.")
    else:
        s = evaluation.sentence.set_index("frame").loc[POOLED]
        calls = int(s.tp + s.fp + s.fn)
        st = evaluation.stance.iloc[-1]
        out.append(f"A second coder checked {evaluation.coded_sentences} sentences by hand; the tool agreed on "
                   f"{int(s.tp)} of the {calls} frame calls either of them made ({pct(s.tp, calls)}) and on who "
                   f"was asserting, relaying or denying in {pct(st.accuracy * st.n, st.n)} of the {int(st.n)} "
                   f"mentions both found.")
    if n_reviews:
        out.append(f"An analyst corrected the coding of {n_reviews} {'sentence' if n_reviews == 1 else 'sentences'} "
                   "on review; the body uses the corrected coding (quotes say *reviewed*).")
    drafts = int(shown_translators.astype(str).str.contains("not yet reviewed", case=False, na=False).sum())
    if drafts:
        share = "All" if drafts == len(shown_translators) else f"{drafts} of the"
        out.append(f"{share} {len(shown_translators)} English translations of the evidence are drafts that no "
                   "human translator has checked yet.")
    return out


def pct(part, whole) -> str:
    return f"{round(100 * part / whole)} %" if whole else "–"


def unnamed_shares(analysis) -> dict[str, tuple[int, int, str]]:
    """{the outlet table's row: (sentences on unnamed sources, all sentences, the filter key)}: one row per
    outlet, or per group of outlets past MAX_ROWS (filter key "outlet" or "group"), as the table shows them."""
    sentences = outlet_sentences(analysis)
    key = "group" if grouped(analysis) else "outlet"
    return {name: (*_unnamed(analysis.sourcing, sentences, names), key) for name, names in groups(analysis).items()}


def sourcing_leaders(rows: dict[str, tuple], min_base: int = MIN_SHARE_BASE) -> tuple[str | None, str | None]:
    """(the row with the largest unnamed share among those with ``min_base`` sentences or more, the row with
    the most unnamed sentences); None where no row qualifies.  Ties go to the larger count, then the name."""
    with_any = {k: v for k, v in rows.items() if v[0]}
    based = {k: v for k, v in with_any.items() if v[1] >= min_base}
    by_share = min(based, key=lambda k: (-based[k][0] / based[k][1], -based[k][0], k)) if based else None
    by_count = min(with_any, key=lambda k: (-with_any[k][0], k)) if with_any else None
    return by_share, by_count


def unnamed_share(analysis, outlet_names) -> tuple[int, int]:
    """(sentences on unnamed sources, all sentences) of one outlet (a name) or a group (a list of names)."""
    names = [outlet_names] if isinstance(outlet_names, str) else list(outlet_names)
    return _unnamed(analysis.sourcing, outlet_sentences(analysis), names)

