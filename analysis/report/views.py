"""The briefing's tables as DataFrames: computed from the analysis, not yet formatted.

Each function takes the analysis (and what it needs besides) and returns the rows a
reader sees; report/briefing.py turns them into pandoc markdown.
"""
from __future__ import annotations

import pandas as pd

from analysis.inputs.actors import OUTLET_ACTOR, UNLISTED
from analysis.pipeline import Analysis
from analysis.results.evaluate import POOLED, Evaluation
from analysis.results.evidence import evidence_table
from analysis.results.tables import outlet_frame_table

STANCE_ORDER = ("asserted", "reported", "denied")


def counts(a: Analysis) -> pd.DataFrame:
    return outlet_frame_table(a.corpus, a.codebook, a.segments_frame(), a.mentions)


def evidence(a: Analysis, translations: dict) -> pd.DataFrame:
    return evidence_table(a, translations)


def speaker_names(a: Analysis) -> dict[str, str]:
    return ({k: x.name_en for k, x in a.actors.items()} | {OUTLET_ACTOR.id: OUTLET_ACTOR.name_en}
            | {UNLISTED: "a speaker not in the gazetteer"})


def outlets_with(c: pd.DataFrame, frame: str) -> list[str]:
    """Outlets with at least one sentence carrying ``frame``, by name."""
    return sorted(c[(c.frame == frame) & (c.sentences > 0)].outlet)


def overview(a: Analysis) -> pd.DataFrame:
    """One row per article: outlet, date, and how each was established."""
    per = a.article_sizes()
    words, sentences = per.words.to_dict(), per.sentences.to_dict()  # .loc per article took a minute at 100,000
    rows = []
    for art in a.corpus.articles:
        rows.append({"Article": art.id, "Outlet": art.outlet.name_en, "Arabic name": art.outlet.name_ar,
                     "Country": art.outlet.country, "Outlet attribution": f"{art.outlet_basis}, {art.outlet_confidence}",
                     "Date": f"{art.date:%d %b %Y}" if art.date else "unknown",
                     "Date basis": f"{art.date_basis}, {art.date_confidence}",
                     "Words": int(words.get(art.id, 0)), "Sentences": int(sentences.get(art.id, 0))})
    return pd.DataFrame(rows)


def frame_outlet_cells(c: pd.DataFrame, frame_ids: list[str], label) -> pd.DataFrame:
    """Frame × outlet: "n (share%)" or "–"."""
    cell = c.apply(lambda r: f"{r.sentences} ({100 * r.share:.0f}%)" if r.sentences else "–", axis=1)
    t = c.assign(cell=cell).pivot(index="frame", columns="outlet", values="cell")
    t = t.reindex(frame_ids)
    t.insert(0, "Frame", [label(f) for f in t.index])
    return t.reset_index(drop=True)


def who_says_what(st: pd.DataFrame, label) -> pd.DataFrame:
    """Speaker × stance counts, with the frames each speaker voiced, most active first."""
    rows = []
    for (speaker, kind), g in st.groupby(["speaker_name", "speaker_kind"], sort=False):
        by_frame = g.groupby("frame", sort=False).stance.agg(lambda x: ", ".join(
            f"{n} {s}" for s, n in x.value_counts().reindex(STANCE_ORDER).dropna().astype(int).items()))
        rows.append({"Speaker": speaker, "Kind": "own voice" if kind == "outlet" else kind,
                     **{s.capitalize(): int((g.stance == s).sum()) for s in STANCE_ORDER},
                     "Frames voiced": "; ".join(f"{label(f)} ({v})" for f, v in by_frame.items())})
    t = pd.DataFrame(rows)
    return t.assign(_n=t[[s.capitalize() for s in STANCE_ORDER]].sum(axis=1)).sort_values(
        ["_n", "Speaker"], ascending=[False, True], kind="stable").drop(columns="_n")


def by_stance(df: pd.DataFrame, index: str, values: str) -> pd.DataFrame:
    """Rows of ``index`` × stance columns (in STANCE_ORDER), counts."""
    c = df.pivot_table(index=index, columns="stance", values=values, aggfunc="count", fill_value=0)
    return c.reindex(columns=[s for s in STANCE_ORDER if s in c.columns])


def timeline_claims(tl: pd.DataFrame, names: dict) -> pd.DataFrame:
    """One row per claim, with every outlet and voice making it (offsets: claims.csv and the HTML)."""
    tl = tl.assign(voice=tl.speaker.map(names) + " (" + tl.role + ", " + tl.stance + ")")
    rows = []
    for claim, g in tl.groupby("content", sort=False):
        outs = sorted(set(g.outlet))
        rows.append({"Claim": claim, "Times": len(g),
                     "Outlets": ", ".join(outs) if len(outs) <= 4 else f"{len(outs)} outlets",
                     "Voiced by": _most(g.voice, 2), "Words in the text": " · ".join(g["match"].value_counts().index[:2])})
    return drop_empty(pd.DataFrame(rows).sort_values("Times", ascending=False, kind="stable"))


def _most(values: pd.Series, n: int) -> str:
    """The n most frequent values, "and k more" for the rest."""
    counts = values.value_counts()
    out = "; ".join(counts.index[:n])
    return out + (f"; and {len(counts) - n} more" if len(counts) > n else "")


def drop_empty(t: pd.DataFrame) -> pd.DataFrame:
    """Without the columns no row fills (every cell empty or "–"): a rule field nothing matched, say."""
    empty = [c for c in t.columns if t[c].map(lambda v: isinstance(v, str) and v.strip() in ("", "–")).all()]
    return t.drop(columns=empty) if len(t) else t


def details(d: pd.DataFrame, rule, names: dict, label, translate) -> pd.DataFrame:
    """Per sentence: each detail column (Arabic cue words through ``translate``), the linked frame, the voice."""
    out = {"Outlet": d.outlet, "Sentence": d.sentence_id}
    for column, (how, _) in rule.fields.items():
        cells = d[column].replace("", "–")
        out[column.replace("_", " ").capitalize()] = cells if how == "all" else cells.map(translate)
    if rule.linked:
        out[f"Also: {label(rule.linked)}"] = (d.linked != "").map({True: "yes", False: "no"})
    out["Voiced by"] = d.speaker.map(names)
    return drop_empty(pd.DataFrame(out))


def details_summary(d: pd.DataFrame, rule, names: dict, label, translate, max_names: int = 4) -> pd.DataFrame:
    """One row per value named by the rule's first list field (e.g. each target), busiest first: sentences,
    outlets, what the other fields name there, sentences tied to the linked frame, and the voices."""
    key = next((c for c, (how, _) in rule.fields.items() if how == "all"), None)
    if key is None:
        return details(d, rule, names, label, translate)
    rows = []
    x = d.assign(_k=d[key].str.split("; ")).explode("_k")
    x["_k"] = x["_k"].fillna("").replace("", "none named")
    for value, g in x.groupby("_k", sort=False):
        outs = sorted(set(g.outlet))
        row = {key.replace("_", " ").capitalize(): value, "Sentences": g.sentence_id.nunique(),
               "Outlets": ", ".join(outs) if len(outs) <= max_names else f"{len(outs)} outlets"}
        for column, (how, _) in rule.fields.items():
            if how != "all":
                vals = [v for v in dict.fromkeys(g[column]) if v]
                row[column.replace("_", " ").capitalize()] = "; ".join(translate(v) for v in vals[:3]) or "–"
        if rule.linked:
            row[f"Also: {label(rule.linked)}"] = int((g.linked != "").sum())
        row["Voiced most by"] = _most(g.speaker.map(names), 2)
        rows.append(row)
    return drop_empty(pd.DataFrame(rows).sort_values("Sentences", ascending=False, kind="stable"))


def sourcing(src: pd.DataFrame) -> pd.DataFrame:
    s = src.pivot(index="outlet", columns="measure", values="sentences")
    return s[[c for c in ("anonymous sources", "named officials", "other media", "exclusivity claims") if c in s]]


def validation(e: Evaluation, label) -> pd.DataFrame:
    """Per frame at the gold's own level, with stance and speaker accuracy (and article F1 for sentence gold)."""
    s = e.main.merge(e.stance[["frame", "accuracy", "n"]].rename(columns={"accuracy": "stance acc.", "n": "matched"}), on="frame")
    s = s.merge(e.speaker[["frame", "accuracy"]].rename(columns={"accuracy": "speaker acc."}), on="frame")
    s = s.merge(e.article[["frame", "f1"]].rename(columns={"f1": "article F1"}), on="frame", suffixes=("", "_article"))
    s["frame"] = s.frame.map(lambda f: label(f) if f != POOLED else "All frames (pooled)")
    s = s[["frame", "tp", "fp", "fn", "precision", "recall", "f1", "alpha", "article F1", "matched", "stance acc.", "speaker acc."]]
    s.columns = ["Frame", "TP", "FP", "FN", "P", "R", "F1", "α", "Art. F1", "n", "Stance", "Speaker"]
    return s if e.level == "sentence" else s.drop(columns="Art. F1")


def validation_articles(e: Evaluation, label) -> pd.DataFrame:
    """Per frame at article level: a frame is in an article when one of its sentences carries it."""
    s = e.article.copy()
    s["frame"] = s.frame.map(lambda f: label(f) if f != POOLED else "All frames (pooled)")
    s = s[["frame", "tp", "fp", "fn", "precision", "recall", "f1", "alpha"]]
    s.columns = ["Frame", "TP", "FP", "FN", "P", "R", "F1", "α"]
    return s


def codebook(cb) -> pd.DataFrame:
    rows = []
    for f in cb.frames:
        for lang in ("ar", "en"):
            inds = f.indicators.get(lang, [])
            if inds:
                rows.append({"Frame": f.label_en, "Language": lang, "Indicators": len(inds),
                             "Examples": " · ".join(i.label for i in inds[:6])})
    return pd.DataFrame(rows)


def outlet_overview(a: Analysis) -> pd.DataFrame:
    """One row per outlet: articles, words, date range, and how outlet and date were established."""
    ov = overview(a).assign(date=[art.date for art in a.corpus.articles],
                            ob=[art.outlet_basis for art in a.corpus.articles],
                            db=[art.date_basis for art in a.corpus.articles])
    rows = []
    for outlet, g in ov.groupby("Outlet", sort=True):
        dates = g.date.dropna()
        span = (f"{min(dates):%d %b %Y} – {max(dates):%d %b %Y}" if len(dates) else "undated")
        rows.append({"Outlet": outlet, "Arabic name": g["Arabic name"].iloc[0], "Articles": len(g),
                     "Words": int(g.Words.sum()), "Dates": span,
                     "Outlet attribution": _basis(g.ob), "Date basis": _basis(g.db)})
    return pd.DataFrame(rows)


def _basis(values: pd.Series) -> str:
    """e.g. "12 stated, 3 inferred"."""
    return ", ".join(f"{n} {b}" for b, n in values.value_counts().sort_index().items())


def weekly(a: Analysis) -> pd.DataFrame:
    """Articles and frame sentences per week (weeks starting Monday), by outlet."""
    arts = a.corpus.frame()[["article_id", "outlet", "date"]].dropna(subset=["date"])
    arts = arts.assign(week=pd.to_datetime(arts.date).dt.to_period("W-SUN").dt.start_time)
    sents = a.stances.drop_duplicates("sentence_id").merge(arts[["article_id", "week"]], on="article_id")
    per = arts.groupby(["week", "outlet"]).size().rename("articles").to_frame()
    per = per.join(sents.groupby(["week", "outlet"]).size().rename("sentences"), how="left")
    return per.fillna(0).astype(int).reset_index()


def span_days(a: Analysis) -> int:
    dates = [art.date for art in a.corpus.articles if art.date]
    return (max(dates) - min(dates)).days if dates else 0


def representative(ev: pd.DataFrame, n: int) -> pd.DataFrame:
    """A deterministic choice of about ``n`` quotes covering outlets and stances.

    Denials and non-denials take turns (so denials sit beside accusations); within a
    stance, outlets take turns, busiest outlet first, each giving its earliest
    not-yet-shown sentence, translated ones before untranslated.
    """
    ev = ev.drop_duplicates("evidence_id")
    if ev.empty or n <= 0:
        return ev.head(0)
    ev = ev.assign(_untranslated=ev.english.isna()).sort_values(
        ["_untranslated", "date", "article_id", "start"], kind="stable", na_position="last")
    groups = [g for g in (ev[ev.stance == "denied"], ev[ev.stance != "denied"]) if len(g)]
    queues = []
    for g in groups:
        order = g.outlet.value_counts().sort_index().sort_values(ascending=False, kind="stable").index
        per = [list(g.index[(g.outlet == o).to_numpy()][:n]) for o in order]  # no outlet gives more than n
        q = []
        while any(per):
            q += [p.pop(0) for p in per if p]
        queues.append(q)
    chosen = []
    while len(chosen) < n and any(queues):
        for q in queues:
            if q and len(chosen) < n:
                chosen.append(q.pop(0))
    return ev.loc[chosen].drop(columns="_untranslated")
