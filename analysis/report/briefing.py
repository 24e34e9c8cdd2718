"""What report.qmd displays: computed sentences, tables and figures.

The report's cells stay one line each; every number they show is computed here
from the analysis, and every quote is a slice of an article's original text.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from analysis.report import figures, provenance as prov, views
from analysis.report import markdown as md
from analysis.report import wording as w
from analysis.inputs.corpus import load_events
from analysis.results.evaluate import GOLD, POOLED, Evaluation, evaluate
from analysis.results.evidence import MISSING, TRANSLATIONS, load_translations
from analysis.pipeline import Analysis, analyse
from analysis.results.tables import frame_totals, wide

DATA_ENV, CACHE_ENV, FIGURES_ENV = "FRAMING_DATA", "FRAMING_CACHE", "FRAMING_FIGURES"
FOCUS = ("postman", "withdrawal_timeline", "rocket_attacks")
STANCE_ORDER = views.STANCE_ORDER


@dataclass
class Briefing:
    analysis: Analysis
    data_dir: Path
    figures_dir: Path = Path("figures")
    translations: dict = field(default_factory=dict)
    evaluation: Evaluation | None = None

    # ---- shared views -------------------------------------------------
    @cached_property
    def counts(self) -> pd.DataFrame:
        return views.counts(self.analysis)

    @cached_property
    def evidence(self) -> pd.DataFrame:
        return views.evidence(self.analysis, self.translations)

    @cached_property
    def speaker_names(self) -> dict[str, str]:
        return views.speaker_names(self.analysis)

    def label(self, frame: str) -> str:
        return self.analysis.codebook.labels().get(frame, frame)

    def _outlets_with(self, frame: str) -> list[str]:
        return views.outlets_with(self.counts, frame)

    # ---- title block and key judgments --------------------------------
    def corpus_window(self) -> str:
        dates = [a.date for a in self.analysis.corpus.articles if a.date]
        n = len(self.analysis.corpus.articles)
        outlets = len({a.outlet.id for a in self.analysis.corpus.articles})
        window = f"{min(dates):%d %B %Y} – {max(dates):%d %B %Y}" if dates else "undated"
        return f"**Corpus:** {w.plural(n, 'article')} from {w.plural(outlets, 'outlet')}, published {window}.\n\n"

    def key_judgments(self) -> str:
        st = self.analysis.stances
        items = []
        n_out = len({a.outlet.id for a in self.analysis.corpus.articles})
        post = st[st.frame == "postman"]
        if len(post):
            outlets = self._outlets_with("postman")
            deny = post[post.stance == "denied"]
            acc = post[post.stance != "denied"]
            items.append(
                f"**Postman.** {len(outlets)} of {n_out} outlets invoke the postman frame ({w.join_names(outlets)}). "
                f"{len(deny)} of its {len(post)} sentences are denials, voiced by {w.join_names(list(deny.speaker_name)) if len(deny) else 'nobody'}; "
                f"{w.plural(len(acc), 'sentence')} assert{'s' if len(acc) == 1 else ''} or relay{'s' if len(acc) == 1 else ''} it, voiced by {w.join_names(list(acc.speaker_name)) if len(acc) else 'nobody'}.")
        tl = self.analysis.timelines
        concrete = tl[tl.kind.isin(["reduction", "within", "anniversary deadline"])]
        if len(tl):
            outs = sorted(set(concrete.outlet))
            only = "Only " if len(outs) == 1 else ""
            items.append(
                f"**Withdrawal timelines.** {only}{w.join_names(outs) if outs else 'No outlet'} report{'s' if len(outs) == 1 else ''} "
                f"concrete timeline figures ({w.plural(len(concrete), 'claim')}: {w.join_names(list(dict.fromkeys(concrete.content)))}); "
                f"withdrawal itself appears in {w.plural(len(self._outlets_with('withdrawal_timeline')), 'outlet')}.")
        att = self.analysis.attacks
        if len(att):
            targets = [t for ts in att.targets for t in ts.split("; ") if t]
            linked = int(att.linked_to_withdrawal.sum())
            items.append(
                f"**Rocket attacks.** They appear in {w.plural(len(set(att.outlet)), 'outlet')} ({w.join_names(sorted(set(att.outlet)))}), "
                f"in {w.plural(len(att), 'sentence')}; targets named: {w.join_names(list(dict.fromkeys(targets)))}. "
                f"{w.plural(linked, 'sentence')} tie{'s' if linked == 1 else ''} the attacks to the withdrawal bargain.")
        tot = frame_totals(self.counts)
        if len(tot) and tot.sentences.iloc[0] > 0:
            top = tot.iloc[0]
            items.append(f"**Most widespread frame.** {md.escape(top.label)}: {w.plural(int(top.sentences), 'sentence')} "
                         f"across {w.plural(int(top.outlets), 'outlet')}.")
        src = self.analysis.sourcing
        anon = src[src.measure == "anonymous sources"].sort_values(["sentences", "outlet"], ascending=[False, True])
        if len(anon) and anon.sentences.iloc[0] > 0:
            items.append(f"**Sourcing.** {anon.outlet.iloc[0]} leans most on unnamed sources: "
                         f"{w.plural(int(anon.sentences.iloc[0]), 'sentence')} rest on them, which a reader cannot check.")
        if self.evaluation is not None:
            s = self.evaluation.sentence.set_index("frame").loc[POOLED]
            stance = self.evaluation.stance.iloc[-1].accuracy
            items.append(f"**Trust in these counts.** Against independent hand coding of {self.evaluation.coded_sentences} sentences, "
                         f"the automated coder reaches F1 {md.fmt(s.f1)} and Krippendorff's α {md.fmt(s.alpha)} (pooled), "
                         f"stance accuracy {md.fmt(stance)}; see Validation.")
        return md.bullets(items)

    def translation_note(self) -> str:
        """Who translated the quotes, from the translator column of data/translations.csv."""
        shown = self.evidence.drop_duplicates("evidence_id")
        by = shown.translator[shown.english.notna()].value_counts()
        parts = [f"{n} — {md.escape(t or 'translator not recorded')}" for t, n in by.items()]
        missing = int(shown.english.isna().sum())
        return (f"Translations of the {w.plural(len(shown), 'quoted sentence')}: {'; '.join(parts) or 'none yet'}"
                + (f"; {missing} missing and flagged" if missing else "") + ".\n\n")

    # ---- corpus overview ----------------------------------------------
    def overview_table(self) -> str:
        rows = views.overview(self.analysis)
        removed = len(self.analysis.removed)
        return (md.table(rows, "Articles, outlets and dates, with how each attribution was established. "
                         "Words and sentences count cleaned content only.", "tbl-corpus", arabic_columns=("Arabic name",))
                + f"Cleaning removed {w.plural(removed, 'line')} of page furniture (related links, stamps, captions, repeated lines); "
                  f"all are listed in `_output/tables/removed.csv`.\n\n")

    def attribution_notes(self) -> str:
        items = [f"**{a.id} · {md.escape(a.outlet.name_en)}** — outlet: {md.mixed(a.outlet_evidence) or 'no cue recorded'} "
                 f"Date: {md.mixed(a.date_evidence) or 'no cue recorded'}" for a in self.analysis.corpus.articles]
        return md.bullets(items)

    def _figure(self, name, draw, *args):
        return figures.figure(name, draw, *args, out_dir=self.figures_dir)

    def fig_timeline(self):
        arts = self.analysis.corpus.frame()[["article_id", "outlet", "date", "date_confidence"]]
        return self._figure("timeline", figures.timeline, arts, load_events(self.data_dir), "Publication dates against key events")

    # ---- frames by outlet ---------------------------------------------
    def fig_heatmap(self):
        w = wide(self.counts, "sentences")
        outlets = {a.outlet.name_en: a.outlet.name_ar for a in self.analysis.corpus.articles}
        rows = [figures.outlet_label(o, outlets.get(o, "")) for o in w.index]
        cols = [self.label(f) for f in w.columns]
        return self._figure("heatmap", figures.heatmap, w, rows, cols, "Sentences carrying each frame, by outlet")

    def fig_ranked(self):
        return self._figure("ranked", figures.ranked_bars, frame_totals(self.counts), "Frames ranked by sentences")

    def counts_table(self) -> str:
        t = views.frame_outlet_cells(self.counts, self.analysis.codebook.frame_ids, self.label)
        return md.table(t, "Sentences carrying each frame, and their share of the outlet's "
                        "sentences. Rates per 1,000 words are in _output/tables/outlet_frame.csv.", "tbl-counts")

    # ---- evidence -------------------------------------------------------
    def quote(self, row, cite_stance: bool = True) -> str:
        art = self.analysis.corpus.article(row.article_id)
        arabic = md.highlighted(art.text, row.start, row.end, row.highlights)
        english = md.mixed(row.english) if isinstance(row.english, str) else f"**{md.escape(MISSING)}**"
        cite = (f"{md.escape(row.outlet)}, {row.date:%d %b %Y}" if row.date else md.escape(row.outlet))
        if cite_stance:
            cite += f" · {md.escape(row.stance)} · speaker: {md.escape(row.speaker)}"
        cite += f" · `{row.file}` \\[{row.start}:{row.end}\\]"
        return (f"::: {{.quote}}\n{md.arabic_block(arabic)}\n{english}\n\n[{cite}]{{.cite}}\n:::\n\n")

    def quotes(self, frame: str, stance: str | None = None, limit: int | None = None) -> str:
        ev = self.evidence[self.evidence.frame == frame]
        if stance:
            ev = ev[ev.stance.isin([stance] if isinstance(stance, str) else stance)]
        ev = ev.sort_values(["date", "article_id", "start"], kind="stable")
        if limit:
            ev = ev.head(limit)
        return "".join(self.quote(r) for r in ev.itertuples()) or "_No sentence in the corpus carries this.\\_\n\n"

    def postman(self) -> str:
        st = self.analysis.stances[self.analysis.stances.frame == "postman"]
        deny, other = st[st.stance == "denied"], st[st.stance != "denied"]
        out = (f"The frame appears in {w.plural(len(st), 'sentence')}. "
               f"**Denials ({len(deny)})**, by {w.join_names(list(deny.speaker_name))}:\n\n" + self.quotes("postman", "denied"))
        out += (f"**Accusations and relayed claims ({len(other)})**, by {w.join_names(list(other.speaker_name))}:\n\n"
                + self.quotes("postman", ["asserted", "reported"]))
        return out

    # ---- who says what ----------------------------------------------------
    def who_says_what(self) -> str:
        st = self.analysis.stances
        if st.empty:
            return "_No frame mentions._\n\n"
        t = views.who_says_what(st, self.label)
        return md.table(t, "Who says what: every frame sentence by speaker and stance. The full speaker × frame × stance "
                        "rows, each with its sentence, are in Appendix A.", "tbl-who")

    def fig_who_says(self):
        c = views.by_stance(self.analysis.stances, "speaker_name", "sentence_id")
        c = c.loc[c.sum(axis=1).sort_values(ascending=False).index]
        return self._figure("speakers", figures.stacked_by_stance, c, "Frame sentences by speaker and stance", "sentences")

    # ---- withdrawal and attacks -----------------------------------------
    def timeline_claims(self) -> str:
        tl = self.analysis.timelines
        if tl.empty:
            return "_No timeline claims found._\n\n"
        t = views.timeline_claims(tl, self.speaker_names)
        return md.table(t, "Withdrawal-timeline claims, each traceable to its words in the article.", "tbl-timelines",
                        arabic_columns=("Words in the text",))

    def fig_timeline_claims(self):
        tl = self.analysis.timelines
        c = views.by_stance(tl.assign(who=tl.speaker.map(self.speaker_names)), "who", "kind")
        return self._figure("timeline_claims", figures.stacked_by_stance, c, "Withdrawal-timeline claims by who voices them", "claims")

    def attacks_table(self) -> str:
        a = self.analysis.attacks
        if a.empty:
            return "_No rocket-attack sentences found._\n\n"
        t = views.attacks(a, self.speaker_names)
        return md.table(t, "Rocket-attack mentions: target, frequency wording, attributed perpetrator, link to withdrawal.",
                        "tbl-attacks", arabic_columns=("Frequency", "Attributed to"))

    def fig_sourcing(self):
        s = views.sourcing(self.analysis.sourcing)
        return self._figure("sourcing", figures.grouped_bars, s, "Sourcing profile by outlet", "sentences")

    def other_frames(self) -> str:
        out = []
        for f in self.analysis.codebook.frames:
            if f.id in FOCUS:
                continue
            ev = self.evidence[self.evidence.frame == f.id]
            outs = sorted(set(ev.outlet))
            out.append(f"#### {md.escape(f.label_en)}\n\n{md.escape(f.definition)} "
                       f"— {w.plural(len(ev), 'sentence')} in {w.plural(len(outs), 'outlet')}"
                       f"{' (' + w.join_names(outs) + ')' if outs else ''}.\n\n")
            if len(ev):
                out.append(self.quotes(f.id, limit=1))
        return "".join(out)

    # ---- validation -------------------------------------------------------
    def validation_intro(self) -> str:
        if self.evaluation is None:
            return ""
        e = self.evaluation
        return (f"How far can the coder be trusted? {w.plural(e.coded_sentences, 'sentence')} of this corpus were "
                f"coded one by one, from the frame definitions alone, by an independent coder who never saw the "
                f"codebook's indicators (who coded, and how: `docs/coding-instructions.md`; gold file: `{GOLD}`). "
                f"@tbl-validation compares the automated coding "
                f"with that gold standard. By convention Krippendorff's α of 0.8 or more supports relying on a measure, "
                f"0.667 or more only tentative conclusions. Sentences the hand coder marked ambiguous stay in the "
                f"comparison and are flagged in the list of disagreements.\n\n")

    def validation_table(self) -> str:
        if self.evaluation is None:
            return f"_No gold file (`{GOLD}`) in the data folder: the coder is not validated for this corpus._\n\n"
        s = views.validation(self.evaluation, self.label)
        return md.table(s, "Automated coding against hand coding, per frame. TP/FP/FN, precision (P), recall (R), F1 and "
                        "Krippendorff's α (nominal; – where undefined) are at sentence level; Art. F1 at article level; "
                        "Stance and Speaker are accuracies over the n mentions both coders found.", "tbl-validation")

    def disagreements(self) -> str:
        if self.evaluation is None or self.evaluation.disagreements.empty:
            return "_No disagreements._\n\n"
        d = self.evaluation.disagreements
        by_id = {s.sentence_id: s for s in self.analysis.segments}
        out = []
        for (kind), g in d.groupby("kind", sort=True):
            out.append(f"**{md.escape(kind).capitalize()} ({len(g)})**\n\n")
            for r in g.itertuples():
                seg = by_id[r.sentence_id]
                gold, system = md.escape(r.gold) or "—", md.escape(r.system) or "—"
                amb = " · *ambiguous in gold*" if r.ambiguous_in_gold else ""
                out.append(f"- `{r.sentence_id}` · {md.escape(self.label(r.frame))} · gold: {gold} · coder: {system}{amb}\n\n"
                           f"  {md.arabic_inline(seg.text)}\n")
            out.append("\n")
        return "".join(out)

    # ---- methods ----------------------------------------------------------
    def methods(self) -> str:
        ar = md.arabic_inline
        cb = self.analysis.codebook
        facts = prov.codebook_facts(cb)
        n_ind, n_sets = facts["indicators"], facts["sets"]
        items = [
            f"**Codebook.** {w.plural(len(cb.frames), 'frame')} with {n_ind['ar']} Arabic and {n_ind['en']} English "
            f"indicators built on {n_sets['ar']} + {n_sets['en']} named word sets (Appendix B, `data/codebook.yaml`); "
            f"each article is coded with the indicators of its language. Phrases, proximity (A within N words of B), "
            f"exclusions and RE2 regular expressions are available.",
            "**Counting unit.** The sentence: a frame counts once per sentence however many indicators fire. Sentences "
            f"are split at {ar('.')} {ar('؟')} {ar('!')} {ar('؛')} and line breaks, never inside {ar('«…»')} quotations. "
            "Page furniture (related links, stamps, captions, repeated titles and leads) is removed first and listed "
            "for audit; it is never counted.",
            f"**Normalization (matching only, never for display).** Diacritics and tatweel removed; {ar('أ إ آ ٱ')} → "
            f"{ar('ا')}, {ar('ى')} → {ar('ي')}, {ar('ة')} → {ar('ه')}; Persian {ar('ک')} and {ar('ی')} folded; "
            f"Arabic-Indic and Persian digits → 0–9; presentation forms via NFKC. Indicators tolerate the clitics "
            f"{ar('و ف ب ك ل لل ال')} and enclitic pronouns, and the accusative alef.",
            f"**Stance and speaker** come from negation inside the clause ({ar('لن')}, {ar('لا')}, {ar('ليس')} … "
            f"except {ar('لا بد')}-type phrases and {ar('إلا')}/{ar('دون')} conditions), denial verbs "
            f"({ar('نفى')}), quotation marks and attribution ({ar('قال')}، {ar('أكد')}، {ar('بحسب')} …) with an "
            f"actors gazetteer of {w.plural(len(self.analysis.actors), 'actor')} (`data/actors.yaml`). The speaker "
            f"of a sentence is the source that told the outlet; a quotation keeps its own speaker.",
            "**What five articles can and cannot support.** They show how these outlets framed one week of one story; "
            "they cannot show an outlet's general line, trends over time, or how common a frame is in Arabic media at "
            "large. Outlet and date attributions that rest on inference are marked as such in @tbl-corpus. Counts this "
            "small move a lot with one sentence: read them as a map of where the evidence is, not as rates.",
        ]
        return md.bullets(items)

    # ---- appendices -----------------------------------------------------
    def evidence_appendix(self) -> str:
        """Every sentence counted for any frame, once, in reading order, with all its frames."""
        ev = self.evidence
        missing = int(ev.drop_duplicates("evidence_id").english.isna().sum())
        out = [f"{w.plural(ev.evidence_id.nunique(), 'sentence')} carry at least one frame; "
               + (f"{w.plural(missing, 'has', 'have')} no translation yet (flagged).\n\n" if missing
                  else "every one has a translation.\n\n")]
        for eid, g in ev.sort_values(["article_id", "start", "frame"], kind="stable").groupby("evidence_id", sort=False):
            spans = sorted({h for hs in g.highlights for h in hs})
            r = SimpleNamespace(**{**g.iloc[0].to_dict(), "highlights": spans})
            frames = "; ".join(f"{self.label(x.frame)} ({x.stance}, {x.speaker})" for x in g.itertuples())
            out.append(f"**{md.escape(eid)}** · {md.escape(frames)}\n\n" + self.quote(r, cite_stance=False))
        return "".join(out)

    def codebook_table(self) -> str:
        return md.table(views.codebook(self.analysis.codebook), "The codebook (data/codebook.yaml): indicators per frame and language.", "tbl-codebook")

    def provenance(self) -> str:
        return prov.provenance(self.data_dir, [a.file for a in self.analysis.corpus.articles])


def load(data_dir: Path | str | None = None, figures_dir: Path | str | None = None) -> Briefing:
    """The briefing for a data folder: ``data_dir``, else $FRAMING_DATA (set by `render --data`), else data/.

    Figures are saved under ``figures_dir``, else $FRAMING_FIGURES (`render --out`/figures), else figures/.
    """
    data_dir = Path(data_dir or os.environ.get(DATA_ENV, "data"))
    figures_dir = figures_dir or os.environ.get(FIGURES_ENV, "figures")
    a = analyse(data_dir, cache_dir=Path(os.environ.get(CACHE_ENV, "_output/.cache")))
    translations = load_translations(data_dir / TRANSLATIONS, a) if (data_dir / TRANSLATIONS).exists() else {}
    ev = evaluate(a, data_dir / GOLD) if (data_dir / GOLD).exists() else None
    return Briefing(a, data_dir, Path(figures_dir), translations, ev)
