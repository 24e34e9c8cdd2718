"""What report.qmd displays: computed values, tables, quotes and figures.

report.qmd holds the prose and calls these for the values it cannot type: inline
`{python} B.x` for numbers and conditional wording, one-line cells for tables and
figures.  The story (title, focus sections, events) comes from data/report.yaml
(report/story.py), never from here; every quote is a slice of an article's text.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import yaml

from analysis.inputs.corpus import load_events
from analysis.io.errors import Problems
from analysis.pipeline import DEDUPE_ENV, Analysis, analyse
from analysis.report import figures, views
from analysis.report import markdown as md
from analysis.report import provenance as prov
from analysis.report import wording as w
from analysis.report.story import Story, dedupe_wanted, load_story
from analysis.report.wording import Md
from analysis.results.evaluate import GOLD, POOLED, Evaluation, evaluate
from analysis.results.evidence import MISSING, TRANSLATIONS, load_translations
from analysis.results.glossary import GLOSSARY, load_glossary
from analysis.results.tables import frame_totals, wide

DATA_ENV, CACHE_ENV, FIGURES_ENV = "FRAMING_DATA", "FRAMING_CACHE", "FRAMING_FIGURES"
STANCE_ORDER = views.STANCE_ORDER
WEEKLY_AFTER_DAYS = 21   # coverage per week once the corpus spans more than three weeks
TABLE_ROWS = 20          # speaker and extraction tables: the busiest rows, the rest in _output/tables/
UNTRANSLATED = "untranslated"
ALPHA = SimpleNamespace(rely=0.8, tentative=0.667)  # Krippendorff's conventional thresholds


@dataclass
class Briefing:
    analysis: Analysis
    data_dir: Path
    figures_dir: Path = Path("figures")
    translations: dict = field(default_factory=dict)
    evaluation: Evaluation | None = None
    story: Story = field(default_factory=Story)
    glossary: dict = field(default_factory=dict)

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

    # ---- values for the prose (inline `{python}`) ------------------------
    @cached_property
    def n_articles(self) -> int:
        return len(self.analysis.corpus.articles)

    @cached_property
    def n_outlets(self) -> int:
        return len({a.outlet.id for a in self.analysis.corpus.articles})

    @property
    def articles(self) -> str:
        return w.plural(self.n_articles, "article")

    @property
    def outlets(self) -> str:
        return w.plural(self.n_outlets, "outlet")

    @property
    def copies(self) -> Md:
        """One sentence on near-copies (manifest.csv's duplicate_of): set aside, or counted as they appear."""
        aside = len(self.analysis.corpus.set_aside)
        if aside:
            return Md(f"{w.plural(aside, 'near-copy', 'near-copies')} of other articles set aside: each story counts once.")
        marked = sum(bool(a.duplicate_of) for a in self.analysis.corpus.articles)
        if marked:
            return Md(f"{w.plural(marked, 'article')} {'is a near-copy' if marked == 1 else 'are near-copies'} of "
                      "others, counted as they appear (`dedupe: true` in report.yaml counts each story once).")
        return Md(" ")  # nothing to say; an empty value would be left as written (Quarto's rule)

    @property
    def window(self) -> str:
        dates = [a.date for a in self.analysis.corpus.articles if a.date]
        return f"{min(dates):%d %B %Y} – {max(dates):%d %B %Y}" if dates else "undated"

    @property
    def span(self) -> str:
        """How long the corpus runs, in words: "one week", "11 weeks", "one day"."""
        days = views.span_days(self.analysis) + 1
        return w.of(days, "day") if days < 7 else w.of(round(days / 7), "week")

    @property
    def articles_in_words(self) -> str:
        return w.of(self.n_articles, "article")

    @property
    def removed_lines(self) -> str:
        return w.plural(len(self.analysis.removed), "line")

    @property
    def n_frames(self) -> str:
        return w.plural(len(self.analysis.codebook.frames), "frame")

    @property
    def n_actors(self) -> str:
        return w.plural(len(self.analysis.actors), "actor")

    @property
    def indicators(self) -> SimpleNamespace:
        f = prov.codebook_facts(self.analysis.codebook)
        return SimpleNamespace(ar=f["indicators"]["ar"], en=f["indicators"]["en"], sets_ar=f["sets"]["ar"],
                               sets_en=f["sets"]["en"])

    def ar(self, text: str) -> Md:
        """Arabic inside English prose, isolated right to left."""
        return Md(md.arabic_inline(text))

    def title_block(self) -> str:
        """The story's title and subtitle as a pandoc metadata block (both routes merge it)."""
        meta = {"title": md.escape(self.story.title)}
        if self.story.subtitle:
            meta["subtitle"] = md.escape(self.story.subtitle)
        return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000) + "---\n"

    # ---- key judgments ----------------------------------------------------
    def focus_judgments(self) -> str:
        """One bullet per focus frame: who carries it, denials against the rest, its extractions."""
        items = []
        for f in self.story.focus:
            st = self.analysis.stances[self.analysis.stances.frame == f.frame]
            outs = self._outlets_with(f.frame)
            deny, acc = st[st.stance == "denied"], st[st.stance != "denied"]
            text = (f"**{md.escape(f.short)}.** {len(outs)} of {self.n_outlets} outlets carry the frame"
                    f"{' (' + w.names_or(outs) + ')' if outs else ''}")
            if len(st) and len(deny):
                text += (f". {len(deny)} of its {w.plural(len(st), 'sentence')} "
                         f"{w.verb(len(deny), 'is a denial', 'are denials')}, voiced by "
                         f"{w.names_or(list(deny.speaker_name))}; {w.plural(len(acc), 'sentence')} "
                         f"{w.verb(len(acc), 'asserts or relays', 'assert or relay')} it, voiced by "
                         f"{w.names_or(list(acc.speaker_name))}")
            elif len(st):
                text += f", in {w.plural(len(st), 'sentence')}; none denies it"
            text += "."
            if "claims" in f.show and f.frame in self.analysis.rules.claims:
                text += " " + self._claims_judgment(f.frame)
            if "details" in f.show and f.frame in self.analysis.rules.details:
                text += " " + self._details_judgment(f.frame)
            items.append(text)
        return md.bullets(items) if items else ""

    def _claims_judgment(self, frame: str) -> str:
        rule = self.analysis.rules.claims[frame]
        cl = self.analysis.claims[self.analysis.claims.frame == frame]
        concrete = cl[cl.kind.isin(rule.concrete)] if rule.concrete else cl
        outs = sorted(set(concrete.outlet))
        what = "concrete figures" if rule.concrete else "claims"
        if concrete.empty:
            return f"No outlet reports {what}."
        return (f"{w.only(outs, 'reports', 'report')} {what} ({w.plural(len(concrete), 'claim')}: "
                f"{w.names_or(list(dict.fromkeys(concrete.content)))}).")

    def _details_judgment(self, frame: str) -> str:
        rule = self.analysis.rules.details[frame]
        d = self.analysis.details[self.analysis.details.frame == frame]
        parts = []
        for column, (how, _) in rule.fields.items():
            if how == "all":
                names = [t for ts in d[column] for t in ts.split("; ") if t]
                parts.append(f"{column.replace('_', ' ')} named: {w.names_or(list(dict.fromkeys(names)), 'none')}")
        out = ("; ".join(parts) + ".") if parts else ""
        out = out[:1].upper() + out[1:]
        if rule.linked:
            linked = int((d.linked != "").sum())
            out += (f" {w.plural(linked, 'sentence')} {w.verb(linked, 'ties', 'tie')} it to "
                    f"{md.escape(self.label(rule.linked).lower())}.")
        return out.strip()

    def top_frame(self) -> Md:
        tot = frame_totals(self.counts)
        if not len(tot) or tot.sentences.iloc[0] == 0:
            return Md("No frame of the codebook occurs in this corpus.")
        top = tot.iloc[0]
        return Md(f"{md.escape(top.label)}: {w.plural(int(top.sentences), 'sentence')} "
                  f"across {w.plural(int(top.outlets), 'outlet')}.")

    def anonymous_sourcing(self) -> Md:
        src = self.analysis.sourcing
        anon = src[src.measure == "anonymous sources"].sort_values(["sentences", "outlet"], ascending=[False, True])
        if not len(anon) or anon.sentences.iloc[0] == 0:
            return Md("No sentence rests on unnamed sources.")
        n = int(anon.sentences.iloc[0])
        return Md(f"{md.escape(anon.outlet.iloc[0])} leans most on unnamed sources: "
                  f"{w.plural(n, 'sentence')} {w.verb(n, 'rests', 'rest')} on them, which a reader cannot check.")

    def trust(self) -> Md:
        if self.evaluation is None:
            return Md(f"Not measured: the data folder has no hand coding (`{GOLD}`), so no figure here "
                      f"says how often the automated coder is right.")
        s = self.evaluation.sentence.set_index("frame").loc[POOLED]
        stance = self.evaluation.stance.iloc[-1].accuracy
        return Md(f"Against independent hand coding of {self.evaluation.coded_sentences} sentences, "
                  f"the automated coder reaches F1 {md.fmt(s.f1)} and Krippendorff's α {md.fmt(s.alpha)} (pooled), "
                  f"stance accuracy {md.fmt(stance)}; see Validation.")

    def translation_note(self) -> Md:
        """Who translated the quotes shown, from the translator column of data/translations.csv."""
        shown = self.shown_evidence()
        by = shown.translator[shown.english.notna()].value_counts()
        parts = [f"{n} — {md.escape(t or 'translator not recorded')}" for t, n in by.items()]
        missing = int(shown.english.isna().sum())
        return Md(f"Translations of the {w.plural(len(shown), 'quoted sentence')}: {'; '.join(parts) or 'none yet'}"
                  + (f"; {missing} missing and flagged" if missing else "") + ".")

    # ---- corpus overview ----------------------------------------------
    @property
    def per_article(self) -> bool:
        return self.n_articles <= self.story.overview_articles

    def overview_table(self) -> str:
        if self.per_article:
            return md.table(views.overview(self.analysis), "Articles, outlets and dates, with how each attribution "
                            "was established. Words and sentences count cleaned content only.", "tbl-corpus",
                            arabic_columns=("Arabic name",))
        return md.table(views.outlet_overview(self.analysis), "Outlets: articles, words of cleaned content, date "
                        "range, and how the outlet and the date of their articles were established (per article: "
                        "_output/tables/articles.csv).", "tbl-corpus", arabic_columns=("Arabic name",))

    def attribution_notes(self) -> str:
        if not self.per_article:
            return ""
        items = [f"**{md.escape(a.id)} · {md.escape(a.outlet.name_en)}** — outlet: {md.mixed(a.outlet_evidence) or 'no cue recorded'} "
                 f"Date: {md.mixed(a.date_evidence) or 'no cue recorded'}" for a in self.analysis.corpus.articles]
        return "How each outlet and date was attributed:\n\n" + md.bullets(items)

    def _figure(self, name, draw, *args):
        return figures.figure(name, draw, *args, out_dir=self.figures_dir)

    def _events(self) -> pd.DataFrame:
        ev = load_events(self.data_dir)
        return ev if self.story.events is None else ev[ev.id.isin(self.story.events)]

    def fig_timeline(self):
        """Publication dates against key events; per week by outlet once the corpus spans more than three
        weeks and is too large to show article by article (story.overview_articles)."""
        if views.span_days(self.analysis) > WEEKLY_AFTER_DAYS and not self.per_article:
            return self._figure("timeline", figures.weekly, views.weekly(self.analysis), self._events(),
                                "Articles and frame sentences per week, by outlet")
        arts = self.analysis.corpus.frame()[["article_id", "outlet", "date", "date_confidence"]]
        return self._figure("timeline", figures.timeline, arts, self._events(), "Publication dates against key events")

    # ---- frames by outlet ---------------------------------------------
    def fig_heatmap(self):
        wd = wide(self.counts, "sentences")
        outlets = {a.outlet.name_en: a.outlet.name_ar for a in self.analysis.corpus.articles}
        rows = [figures.outlet_label(o, outlets.get(o, "")) for o in wd.index]
        cols = [self.label(f) for f in wd.columns]
        return self._figure("heatmap", figures.heatmap, wd, rows, cols, "Sentences carrying each frame, by outlet")

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
        cite += f" · {md.code(row.file)} \\[{row.start}:{row.end}\\]"
        return (f"::: {{.quote}}\n{md.arabic_block(arabic)}\n{english}\n\n[{cite}]{{.cite}}\n:::\n\n")

    def quotes(self, frame: str, stance: str | None = None, limit: int | None = None) -> str:
        ev = self.evidence[self.evidence.frame == frame]
        if stance:
            ev = ev[ev.stance.isin([stance] if isinstance(stance, str) else stance)]
        ev = ev.sort_values(["date", "article_id", "start"], kind="stable")
        if limit:
            ev = ev.head(limit)
        return "".join(self.quote(r) for r in ev.itertuples()) or "_No sentence in the corpus carries this._\n\n"

    def selection(self, frame: str, n: int | None = None) -> pd.DataFrame:
        return views.representative(self.evidence[self.evidence.frame == frame], self.story.quotes if n is None else n)

    def shown_evidence(self) -> pd.DataFrame:
        """The sentences the briefing quotes: each focus frame's selection, one per other frame, the appendix."""
        focus = {f.frame for f in self.story.focus}
        parts = [self.selection(f) for f in focus]
        parts += [self.selection(f.id, 1) for f in self.analysis.codebook.frames if f.id not in focus]
        parts.append(self._appendix_rows())
        shown = pd.concat([p for p in parts if len(p)] or [self.evidence.head(0)])
        return shown.drop_duplicates("evidence_id")

    def representative_quotes(self, frame: str) -> str:
        """About story.quotes quotes, denials beside accusations, then how many more there are."""
        ev = self.evidence[self.evidence.frame == frame].drop_duplicates("evidence_id")
        if ev.empty:
            return "_No sentence in the corpus carries this frame._\n\n"
        sel = self.selection(frame)
        deny = sel[sel.stance == "denied"]
        other = sel[sel.stance != "denied"]
        n_deny, n_other = int((ev.stance == "denied").sum()), int((ev.stance != "denied").sum())
        out = ""
        if n_deny:
            out += (f"**Denials ({n_deny})**, by {w.names_or(list(dict.fromkeys(ev[ev.stance == 'denied'].speaker)))}:\n\n"
                    + "".join(self.quote(r) for r in deny.itertuples()))
            out += (f"**Accusations and relayed claims ({n_other})**, by "
                    f"{w.names_or(list(dict.fromkeys(ev[ev.stance != 'denied'].speaker)))}:\n\n"
                    + ("".join(self.quote(r) for r in other.itertuples()) or "_None._\n\n"))
        else:
            out += "".join(self.quote(r) for r in other.itertuples())
        more = len(ev) - len(sel)
        if more:
            out += (f"{w.plural(more, 'more sentence')} carrying this frame {w.verb(more, 'is', 'are')} in the "
                    f"evidence table (Appendix A, the HTML briefing and `_output/tables/frame_sentences.csv`).\n\n")
        return out

    # ---- focus sections ----------------------------------------------------
    def focus_sections(self):
        """Each focus frame of data/report.yaml: heading, a computed opening, then what `show:` lists."""
        from IPython.display import display
        for f in self.story.focus:
            print(f"## {md.escape(f.heading)}\n")
            print(self.focus_opening(f.frame))
            for item in f.show:
                if item == "quotes":
                    print(self.representative_quotes(f.frame))
                elif item == "claims":
                    print(self.claims_table(f.frame))
                elif item == "claims_figure" and len(self._claims(f.frame)):
                    display(self.fig_claims(f.frame))
                    print()
                elif item == "details":
                    print(self.details_table(f.frame))

    def focus_opening(self, frame: str) -> str:
        st = self.analysis.stances[self.analysis.stances.frame == frame]
        outs = self._outlets_with(frame)
        cb = {f.id: f for f in self.analysis.codebook.frames}[frame]
        counts = ", ".join(f"{int((st.stance == s).sum())} {s}" for s in STANCE_ORDER)
        return (f"*{md.escape(cb.label_en)}*: {md.escape(cb.definition)}\n\n"
                f"The frame appears in {w.plural(len(st), 'sentence')} in {w.plural(len(outs), 'outlet')} "
                f"of {self.n_outlets}{' (' + w.names_or(outs) + ')' if outs else ''}"
                f"{': ' + counts if len(st) else ''}.\n\n")

    def _claims(self, frame: str) -> pd.DataFrame:
        return self.analysis.claims[self.analysis.claims.frame == frame]

    def claims_table(self, frame: str) -> str:
        tl = self._claims(frame)
        if tl.empty:
            return "_No claims of this kind found._\n\n"
        t = views.timeline_claims(tl, self.speaker_names)
        return md.table(t.head(TABLE_ROWS), f"{self.label(frame)}: claims, each traceable to its words in the article"
                        + self._more(len(t), "claims.csv") + ".", f"tbl-claims-{frame}".replace("_", "-"),
                        arabic_columns=("Words in the text",))

    def fig_claims(self, frame: str):
        tl = self._claims(frame)
        c = views.by_stance(tl.assign(who=tl.speaker.map(self.speaker_names)), "who", "kind")
        return self._figure(f"claims_{frame}", figures.stacked_by_stance, c,
                            f"{self.label(frame)}: claims by who voices them", "claims")

    def details_table(self, frame: str) -> str:
        d = self.analysis.details[self.analysis.details.frame == frame]
        if d.empty:
            return "_No sentence of this frame found._\n\n"
        rule = self.analysis.rules.details[frame]
        t = views.details(d, rule, self.speaker_names, self.label, self._translate)
        return md.table(t.head(TABLE_ROWS), f"{self.label(frame)}: what each sentence names"
                        + self._more(len(t), "details.csv") + ". Arabic words carry their translation from "
                        f"{GLOSSARY} in brackets, or are marked {UNTRANSLATED}.",
                        f"tbl-details-{frame}".replace("_", "-"))

    def shown_arabic_words(self) -> set[str]:
        """Arabic cue words the details tables show (their translation comes from the glossary)."""
        out = set()
        for f in self.story.focus:
            if "details" in f.show and f.frame in self.analysis.rules.details:
                d = self.analysis.details[self.analysis.details.frame == f.frame].head(TABLE_ROWS)
                for column, (how, _) in self.analysis.rules.details[f.frame].fields.items():
                    if how == "first":
                        out |= {v.strip() for v in d[column] if v and any("\u0600" <= ch <= "\u06ff" for ch in v)}
        return out

    def _translate(self, arabic: str) -> str:
        if not arabic or not any("\u0600" <= ch <= "\u06ff" for ch in arabic):
            return arabic or "–"
        english = self.glossary.get(arabic.strip())
        return f"{arabic} ({english})" if english else f"{arabic} ({UNTRANSLATED})"

    @staticmethod
    def _more(n: int, table: str) -> str:
        return f"; the first {TABLE_ROWS} of {n}, all in _output/tables/{table}" if n > TABLE_ROWS else ""

    # ---- who says what ----------------------------------------------------
    def who_says_what(self) -> str:
        st = self.analysis.stances
        if st.empty:
            return "_No frame mentions._\n\n"
        t = views.who_says_what(st, self.label)
        more = f" The {TABLE_ROWS} busiest of {len(t)} speakers; all in _output/tables/frame_sentences.csv." \
            if len(t) > TABLE_ROWS else ""
        return md.table(t.head(TABLE_ROWS), "Who says what: frame sentences by speaker and stance." + more, "tbl-who")

    def fig_who_says(self):
        c = views.by_stance(self.analysis.stances, "speaker_name", "sentence_id")
        c = c.loc[c.sum(axis=1).sort_values(ascending=False).index].head(TABLE_ROWS)
        return self._figure("speakers", figures.stacked_by_stance, c, "Frame sentences by speaker and stance", "sentences")

    def fig_sourcing(self):
        return self._figure("sourcing", figures.grouped_bars, views.sourcing(self.analysis.sourcing),
                            "Sourcing profile by outlet", "sentences")

    def other_frames(self) -> str:
        out = []
        focus = {f.frame for f in self.story.focus}
        for f in self.analysis.codebook.frames:
            if f.id in focus:
                continue
            ev = self.evidence[self.evidence.frame == f.id].drop_duplicates("evidence_id")
            outs = sorted(set(ev.outlet))
            out.append(f"#### {md.escape(f.label_en)}\n\n{md.escape(f.definition)} "
                       f"— {w.plural(len(ev), 'sentence')} in {w.plural(len(outs), 'outlet')}"
                       f"{' (' + w.names_or(outs) + ')' if outs else ''}.\n\n")
            out += [self.quote(r) for r in self.selection(f.id, 1).itertuples()]
        return "".join(out) or "_Every frame of the codebook has its own section above._\n\n"

    # ---- validation -------------------------------------------------------
    alpha = ALPHA

    @property
    def gold_sentences(self) -> str:
        return w.plural(self.evaluation.coded_sentences if self.evaluation else 0, "sentence")

    def validation_table(self) -> str:
        if self.evaluation is None:
            return f"_No gold file (`{GOLD}`) in the data folder: the coder is not validated for this corpus._\n\n"
        return md.table(views.validation(self.evaluation, self.label), "Automated coding against hand coding, per "
                        "frame. TP/FP/FN, precision (P), recall (R), F1 and Krippendorff's α (nominal; – where "
                        "undefined) are at sentence level; Art. F1 at article level; Stance and Speaker are "
                        "accuracies over the n mentions both coders found.", "tbl-validation")

    def disagreements(self) -> str:
        if self.evaluation is None or self.evaluation.disagreements.empty:
            return "_No disagreements._\n\n"
        d = self.evaluation.disagreements
        by_id = {s.sentence_id: s for s in self.analysis.segments}
        out = ["Every disagreement, with its sentence:\n\n"]
        for (kind), g in d.groupby("kind", sort=True):
            out.append(f"**{md.escape(kind).capitalize()} ({len(g)})**\n\n")
            for r in g.itertuples():
                seg = by_id[r.sentence_id]
                gold, system = md.escape(r.gold) or "—", md.escape(r.system) or "—"
                amb = " · *ambiguous in gold*" if r.ambiguous_in_gold else ""
                out.append(f"- {md.code(r.sentence_id)} · {md.escape(self.label(r.frame))} · gold: {gold} · coder: {system}{amb}\n\n"
                           f"  {md.arabic_inline(seg.text)}\n")
            out.append("\n")
        return "".join(out)

    # ---- appendices -----------------------------------------------------
    def _appendix_rows(self) -> pd.DataFrame:
        ev = self.evidence.drop_duplicates("evidence_id").sort_values(["article_id", "start"], kind="stable")
        return ev.head(self.story.appendix_quotes)

    def evidence_appendix(self) -> str:
        """Sentences counted for any frame, once, in reading order, with all their frames (capped)."""
        ev = self.evidence
        if ev.empty:
            return "_No sentence carries a frame._\n\n"
        total = ev.evidence_id.nunique()
        missing = int(ev.drop_duplicates("evidence_id").english.isna().sum())
        keep = set(self._appendix_rows().evidence_id)
        out = [f"{w.plural(total, 'sentence')} carry at least one frame; "
               + (f"{w.plural(missing, 'has', 'have')} no translation yet (flagged)." if missing
                  else "every one has a translation.")
               + (f" The first {len(keep)} in reading order are printed here; all are in the HTML briefing's "
                  f"evidence table and in `_output/tables/frame_sentences.csv`." if len(keep) < total else "")
               + "\n\n"]
        shown = ev[ev.evidence_id.isin(keep)].sort_values(["article_id", "start", "frame"], kind="stable")
        for eid, g in shown.groupby("evidence_id", sort=False):
            spans = sorted({h for hs in g.highlights for h in hs})
            r = SimpleNamespace(**{**g.iloc[0].to_dict(), "highlights": spans})
            frames = "; ".join(f"{self.label(x.frame)} ({x.stance}, {x.speaker})" for x in g.itertuples())
            # the anchor #ev-<evidence id> is the link an analyst sends for one sentence
            out.append(f"[**{md.escape(eid)}**]{{#ev-{eid}}} · {md.escape(frames)}\n\n" + self.quote(r, cite_stance=False))
        return "".join(out)

    def codebook_table(self) -> str:
        return md.table(views.codebook(self.analysis.codebook), "The codebook (data/codebook.yaml): indicators per "
                        "frame and language.", "tbl-codebook")

    def provenance(self) -> str:
        files = [a.file for a in self.analysis.corpus.articles]
        if len(files) > self.story.overview_articles:  # one hash for the corpus, not a page of them
            return prov.provenance(self.data_dir, [], corpus_files=files)
        return prov.provenance(self.data_dir, files)


def load(data_dir: Path | str | None = None, figures_dir: Path | str | None = None) -> Briefing:
    """The briefing for a data folder: ``data_dir``, else $FRAMING_DATA (set by `render --data`), else data/.

    Figures are saved under ``figures_dir``, else $FRAMING_FIGURES (`render --out`/figures), else figures/.
    """
    data_dir = Path(data_dir or os.environ.get(DATA_ENV, "data"))
    figures_dir = figures_dir or os.environ.get(FIGURES_ENV, "figures")
    dedupe = os.environ.get(DEDUPE_ENV) == "1" or dedupe_wanted(data_dir)
    a = analyse(data_dir, cache_dir=Path(os.environ.get(CACHE_ENV, "_output/.cache")), dedupe=dedupe)
    translations = load_translations(data_dir / TRANSLATIONS, a) if (data_dir / TRANSLATIONS).exists() else {}
    ev = evaluate(a, data_dir / GOLD) if (data_dir / GOLD).exists() else None
    problems = Problems()
    story = load_story(data_dir, a.codebook.labels(), list(load_events(data_dir).id), problems)
    glossary = load_glossary(data_dir, problems)
    problems.raise_if_any()
    return Briefing(a, data_dir, Path(figures_dir), translations, ev, story, glossary)
