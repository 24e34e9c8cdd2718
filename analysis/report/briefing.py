"""What report.qmd displays: computed values, tables, quotes and figures.

report.qmd holds the prose and calls these for the values it cannot type: inline
`{python} B.x` for numbers and conditional wording, one-line cells for tables and
figures.  The story (title, focus sections, events) comes from data/report.yaml
(report/story.py), never from here; every quote is a slice of an article's text.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import yaml

from analysis.inputs.corpus import load_events
from analysis.io.errors import Problems
from analysis.pipeline import DEDUPE_ENV
from analysis.report import figures, front, views
from analysis.report import markdown as md
from analysis.report import provenance as prov
from analysis.report import quotes as q
from analysis.report import wording as w
from analysis.report.store import CACHE_ENV, DATA_ENV, FIGURES_ENV, TABLES_ENV, Coded, open_coded
from analysis.report.story import Story, dedupe_wanted, load_story
from analysis.report.wording import Md
from analysis.results.evaluate import GOLD, POOLED, Evaluation, evaluate, gold_articles
from analysis.results.evidence import TRANSLATIONS, load_translations
from analysis.results.glossary import load_glossary
from analysis.results.reviews import REVIEWS, load_reviews, reviewed
from analysis.results.tables import frame_totals, wide

STANCE_ORDER = views.STANCE_ORDER
WEEKLY_AFTER_DAYS = 21   # coverage per week once the corpus spans more than three weeks
TABLE_ROWS = 20          # speaker and extraction tables: the busiest rows, the rest in _output/tables/
UNTRANSLATED = "untranslated"
# page 1's outlet table: room for the identity, little for the article count (relative widths)
OUTLET_TABLE_WIDTHS = {"Outlet": 17, "Base": 16, "Ownership, alignment": 35, "Articles": 12,
                       "Main frame (sentences)": 22, "Leading voices (sentences)": 24, "Unnamed sources": 19}
GROUP_TABLE_WIDTHS = {"Outlet": 28, "Base": 11, "Articles": 12, "Main frame (sentences)": 24,
                      "Leading voices (sentences)": 30, "Unnamed sources": 19}
ALPHA = SimpleNamespace(rely=0.8, tentative=0.667)  # Krippendorff's conventional thresholds


@dataclass
class Briefing:
    analysis: Coded            # the study's inputs and the tables `code` wrote (report/store.py)
    data_dir: Path
    figures_dir: Path = Path("figures")
    translations: dict = field(default_factory=dict)
    evaluation: Evaluation | None = None
    story: Story = field(default_factory=Story)
    glossary: dict = field(default_factory=dict)

    def __post_init__(self):
        # Human review wins in the body; the evaluation was computed on the machine's coding before this.
        self.machine = self.analysis
        self._anchored: set[str] = set()  # evidence ids whose #ev- anchor the body has placed
        self.linked: dict[str, dict] = {}  # cell key -> filters of every number the body made a link
        path = Path(self.data_dir) / REVIEWS
        view = self.analysis.gold_view(gold_articles(path)) if hasattr(self.analysis, "gold_view") else self.analysis
        self.reviews = load_reviews(path, view)  # the reviewed articles' sentences only: a render holds no others
        self.analysis = reviewed(self.analysis, self.reviews)

    # ---- shared views -------------------------------------------------
    @cached_property
    def counts(self) -> pd.DataFrame:
        return self.analysis.counts()

    @cached_property
    def evidence(self) -> pd.DataFrame:
        """Every (sentence, frame) without its text (``with_text`` adds it to the rows shown); ``heading``
        marks headlines and subheadings, which are never the representative quote."""
        ev = self.analysis.evidence(self.translations)
        arts = {a.id: a for a in self.analysis.corpus.articles}
        if hasattr(self.analysis, "headings"):  # from the tables: only the articles of possible headings are read
            heading = self.analysis.headings(ev)
        else:
            heading = [q.is_heading(arts[r.article_id].text, r.start, r.end, arts[r.article_id].title)
                       for r in ev.itertuples()]
        st = self.analysis.stances  # ev is built row for row from the stances
        camp = front.camp_of(self.analysis)
        group = front.group_of(self.analysis)
        return ev.assign(heading=pd.Series(heading, index=ev.index, dtype=bool),
                         camp=[camp(x) for x in st.speaker], unnamed=(st.speaker_kind == "anonymous").values,
                         language=[arts[a].language for a in ev.article_id],
                         group=ev.outlet.map(group).fillna("") if group else "")

    def with_text(self, ev: pd.DataFrame) -> pd.DataFrame:
        return self.analysis.with_text(ev)

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
        return w.plural(self.analysis.removed_count, "line")

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
        meta["study"] = md.escape(self.story.study)  # study.lua keeps only this study's written prose,
        meta["corpus"] = self.corpus_id                # and only for the corpus it was written about
        return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000) + "---\n"

    @cached_property
    def corpus_id(self) -> str:
        """The corpus's fingerprint (its article files, names and contents, in manifest order): prose
        written for one corpus names it (report.qmd's ::: {corpus="…"}), so a resampled or edited corpus
        does not print another's judgments with its own numbers."""
        return self.corpus_hash.rstrip("…")

    @cached_property
    def corpus_hash(self) -> str:
        """One SHA-256 over the article files (read once: the title block and the provenance both show it)."""
        return prov.corpus_hash(self.data_dir, [a.file for a in self.analysis.corpus.articles])

    # ---- page 1: what happened, the outlets' positions, how sure to be ----------
    def what_happened(self) -> Md:
        """The key events inside the corpus window, in one line."""
        dates = [a.date for a in self.analysis.corpus.articles if a.date]
        ev = front.events_in_window(self._events(), min(dates, default=None), max(dates, default=None))
        items = [f"{pd.Timestamp(r.date):%-d %b %Y}: {md.mixed(r.label)}" for r in ev.itertuples()]
        return Md(" · ".join(items) if items else "No key event of the study's timeline falls within these articles' dates")

    def outlet_table(self, label: bool = True) -> str:
        t, grouped = front.positions(self.analysis, self.counts, self.label, self._ev)
        what = "Outlet groups (by alignment, else base)" if grouped else "Each outlet"
        return md.table(t, f"{what}: owner and line (how it is known and how sure, unless the outlet states it); "
                        "its main frame and most quoted camps (its own voice aside), in sentences; its sentences "
                        "resting on unnamed sources.", "tbl-outlets" if label else "", markdown=True,
                        widths=GROUP_TABLE_WIDTHS if grouped else OUTLET_TABLE_WIDTHS)

    def cell_notes(self) -> dict[str, str]:
        """What the explorer says under an outlet table link whose number counts more than frame sentences:
        the unnamed-source count is of all the outlet's sentences, the explorer holds those carrying a frame."""
        from analysis.report.explorer import cell_key
        out = {}
        g = front.groups(self.analysis)
        cells = [("outlet", name, [name]) for name in sorted(set(self.evidence.outlet) | {n for v in g.values() for n in v})]
        if front.grouped(self.analysis):
            cells += [("group", key, names) for key, names in g.items()]
        ev = self.evidence[self.evidence.unnamed]
        for col, key, names in cells:
            anon, _ = front.unnamed_share(self.analysis, names)
            framed = ev[ev.outlet.isin(names)].evidence_id.nunique()
            out[cell_key(**{col: key, "unnamed": "1"})] = (
                f"{key}: {w.plural(anon, 'sentence')} on unnamed sources, " + (
                    "each carrying a frame" if framed == anon else
                    f"{framed} of them carrying a frame (listed here); the others carry none, so the evidence has "
                    "no row for them"))
        return out

    def how_sure(self) -> Md:
        shown = self.evidence.drop_duplicates("evidence_id")
        return Md(" ".join(front.how_sure(self.evaluation, len(self.reviews), shown.translator[shown.english.notna()])))

    def validation_intro(self) -> Md:
        if self.evaluation is None:
            return Md(f"No second coder has checked this corpus: the data folder has no hand coding ({md.code(GOLD)}), "
                      "so nothing here measures how often the automated coder is right.")
        return Md(f"An independent coder, who never saw the codebook's indicators, coded "
                  f"{self.gold_sentences} of this corpus one by one from the frame definitions alone (who coded, "
                  f"and how: {md.code('docs/coding-instructions.md')}; gold file: {md.code(GOLD)} in the data folder). "
                  f"The table compares the automated coding with that gold standard; by convention Krippendorff's α of "
                  f"{self.alpha.rely} or more supports relying on a measure, {self.alpha.tentative} or more only "
                  f"tentative conclusions. Reviews by the analyst ({md.code(REVIEWS)}) are not counted here: the "
                  f"figures are the machine's.")

    def camp_table(self) -> str:
        t = front.camp_grid(self.analysis)
        if t.empty:
            return "_No frame sentence has a speaker._\n\n"
        return md.table(t, "Frame sentences voiced by each camp (the side each speaker is listed under), by outlet; a sentence "
                        "counts once per voice. Who the speakers are: Appendix B.", "tbl-camps")

    def frame(self, frame: str) -> SimpleNamespace:
        """Counts of one frame for the analyst's prose: sentences, outlets, articles, by stance, linked."""
        st = self.analysis.stances[self.analysis.stances.frame == frame]
        d = self.analysis.details[self.analysis.details.frame == frame]
        deny = st[st.stance == "denied"]
        other = st[st.stance != "denied"]
        return SimpleNamespace(sentences=len(st), outlets=len(self._outlets_with(frame)),
                               deniers=Md(w.most(deny.speaker_name)),
                               others=Md(w.most(other.speaker_name)),
                               not_denied=len(other),
                               articles=st.article_id.nunique(), linked=int((d.linked != "").sum()) if len(d) else 0,
                               **{s: int((st.stance == s).sum()) for s in STANCE_ORDER})

    def concrete(self, frame: str) -> SimpleNamespace:
        """The claims rules.yaml calls concrete: how many, from which outlets, voiced by whom."""
        rule = self.analysis.extraction_rules.claims.get(frame)
        cl = self._claims(frame)
        cl = cl[cl.kind.isin(rule.concrete)] if rule and rule.concrete else cl
        outs = sorted(set(cl.outlet))
        return SimpleNamespace(n=len(cl), outlets=Md(w.outlet_names(outs, "no outlet")), n_outlets=len(outs),
                               voices=Md(w.most(cl.speaker.map(self.speaker_names), 3)))

    def unnamed(self, outlet_id: str) -> SimpleNamespace:
        """One outlet's sentences on unnamed sources (zero for an outlet not in this corpus)."""
        o = self.analysis.corpus.outlets.get(outlet_id)
        name = o.name_en if o else outlet_id
        anon, total = front.unnamed_share(self.analysis, name)
        return SimpleNamespace(name=Md(md.escape(name)), sentences=anon, of=total,
                               pct=f"{round(100 * anon / total) if total else 0} %")

    # ---- key judgments ----------------------------------------------------
    def _ev(self, text, **filters) -> str:
        """A number that opens its sentences in the HTML's evidence explorer (plain text in the PDF); the
        links made are remembered (``linked``): without scripts each lands on a plain list of its ids."""
        from analysis.report.explorer import cell_key
        key = cell_key(**filters)
        self.linked[key] = filters
        return f"[{text if isinstance(text, str) else format(text, ',')}](#{key}){{.evidence-link}}"

    def focus_judgments(self) -> str:
        """One bullet per focus frame: who carries it, denials against the rest, its extractions."""
        items = []
        for f in self.story.focus:
            st = self.analysis.stances[self.analysis.stances.frame == f.frame]
            outs = self._outlets_with(f.frame)
            deny, acc = st[st.stance == "denied"], st[st.stance != "denied"]
            n_art = st.article_id.nunique()
            n_outs = self._ev(len(outs), frame=f.frame) if len(outs) else 0
            n_art = self._ev(n_art, frame=f.frame) if n_art else 0
            named = 0 < len(outs) <= w.MAX_NAMES and len(outs) < self.n_outlets  # "5 of 5" needs no list
            text = (f"**{md.escape(f.short)}.** {n_outs} of {self.n_outlets} outlets carry the frame"
                    f"{' (' + w.names_or(outs) + ')' if named else ''}, in {n_art} of {w.plural(self.n_articles, 'article')}")
            if len(st) and len(deny):
                text += (f"; {self._ev(len(deny), frame=f.frame, stance='denied')} of its "
                         f"{self._ev(w.plural(len(st), 'sentence'), frame=f.frame)} "
                         f"{w.verb(len(deny), 'is a denial', 'are denials')}, voiced by "
                         f"{w.most(deny.speaker_name)}; {w.plural(len(acc), 'sentence')} "
                         f"{w.verb(len(acc), 'asserts or relays', 'assert or relay')} it, voiced by "
                         f"{w.most(acc.speaker_name)}")
            elif len(st):
                text += f" and {self._ev(w.plural(len(st), 'sentence'), frame=f.frame)}; none denies it"
            text += "."
            if "claims" in f.show and f.frame in self.analysis.extraction_rules.claims:
                text += " " + self._claims_judgment(f.frame)
            if "details" in f.show and f.frame in self.analysis.extraction_rules.details:
                text += " " + self._details_judgment(f.frame)
            items.append(text)
        return md.bullets(items) if items else ""

    def _claims_judgment(self, frame: str) -> str:
        """Computed from the claims table it summarises: concrete kinds (rules.yaml) first, then the rest."""
        rule = self.analysis.extraction_rules.claims[frame]
        cl = self._claims(frame)
        concrete = cl[cl.kind.isin(rule.concrete)] if rule.concrete else cl
        rest = cl.drop(concrete.index)
        outs = sorted(set(concrete.outlet))
        what = "concrete claims" if rule.concrete else "claims"
        if concrete.empty:
            out = f"No outlet reports {what}."
        else:
            out = (f"{w.only(outs, 'reports', 'report')} {what} ({len(concrete):,}: "
                   f"{w.names_or(list(dict.fromkeys(concrete.content)))}).")
        if len(rest):  # the kinds are in the section's claims table: the judgment stays short
            n_outs = len(set(rest.outlet))
            out += (f" {w.plural(len(rest), 'other claim')} from {w.plural(n_outs, 'outlet')}: see "
                    f"{md.escape(next(f.heading for f in self.story.focus if f.frame == frame))}.")
        return out

    def _details_judgment(self, frame: str) -> str:
        rule = self.analysis.extraction_rules.details[frame]
        d = self.analysis.details[self.analysis.details.frame == frame]
        parts = []
        for column, (how, _) in rule.fields.items():
            if how == "all":
                names = [t for ts in d[column] for t in ts.split("; ") if t]
                parts.append(f"{column.replace('_', ' ')} named: {w.names_or(list(dict.fromkeys(names)), 'none')}")
        out = ("; ".join(parts) + ".") if parts else ""
        out = out[:1].upper() + out[1:]  # "targets named: …" opens the sentence
        if rule.linked:
            linked = int((d.linked != "").sum())
            out += (f" {w.plural(linked, 'sentence')} {w.verb(linked, 'ties', 'tie')} it to "
                    f"{md.escape(self.label(rule.linked))}.")
        return out.strip()

    def other_judgments(self) -> str:
        """The key judgments after the focus frames': the most widespread frame (unless it is a focus frame,
        whose judgment above has its counts) and the sourcing."""
        tot = frame_totals(self.counts)
        top = tot.frame.iloc[0] if len(tot) and tot.sentences.iloc[0] else None
        items = [] if top in {f.frame for f in self.story.focus} else [f"**Most widespread frame.** {self.top_frame()}"]
        return md.bullets(items + [f"**Sourcing.** {self.anonymous_sourcing()}"])

    def key_judgments(self) -> str:
        """One tight list: the focus frames' judgments, then the others."""
        return (self.focus_judgments().rstrip("\n") + "\n" + self.other_judgments()).lstrip("\n")

    def top_frame(self) -> Md:
        tot = frame_totals(self.counts)
        if not len(tot) or tot.sentences.iloc[0] == 0:
            return Md("No frame of the codebook occurs in this corpus.")
        top = tot.iloc[0]
        fid = top.frame if "frame" in tot else tot.index[0]
        return Md(f"{md.escape(top.label)}: {self._ev(w.plural(int(top.sentences), 'sentence'), frame=fid)} "
                  f"across {self._ev(w.plural(int(top.outlets), 'outlet'), frame=fid)}.")

    def anonymous_sourcing(self) -> Md:
        """Which row of the outlet table (an outlet, or a group past front.MAX_ROWS outlets) rests the largest
        share, and which the most sentences, on unnamed sources: the table's own figures, so the two agree.
        A share is ranked only on front.MIN_SHARE_BASE sentences or more."""
        rows = front.unnamed_shares(self.analysis)
        by_share, by_count = front.sourcing_leaders(rows)
        if by_count is None:
            return Md("No sentence rests on unnamed sources.")

        def name(row: str, first: bool = False) -> str:
            if rows[row][2] == "outlet":
                return md.escape(row)
            return f"{'The' if first else 'the'} {md.escape(row)} group ({front.n_outlets(len(front.groups(self.analysis)[row]))})"

        def link(row: str, text: str) -> str:
            return self._ev(text, unnamed="1", **{rows[row][2]: row})

        n, of, _ = rows[by_count]
        if by_share is None:
            return Md(f"No {rows[by_count][2]} with sentences on unnamed sources has {front.MIN_SHARE_BASE} sentences "
                      f"or more, too few to compare shares; {name(by_count)} has the most on unnamed sources "
                      f"({link(by_count, f'{n:,} of {of:,}')}).")
        anon, total, _ = rows[by_share]
        out = f"{name(by_share, first=True)} rests most on unnamed sources ({link(by_share, f'{front.pct(anon, total)}, {anon:,} of {total:,}')})"
        if by_count != by_share:
            out += f"; {name(by_count)} most by count ({link(by_count, f'{n:,} of {of:,}')})"
        return Md(out + ".")

    def trust(self) -> Md:
        if self.evaluation is None:
            return Md(f"Not measured: the data folder has no hand coding (`{GOLD}`), so no figure here "
                      f"says how often the automated coder is right.")
        s = self.evaluation.main.set_index("frame").loc[POOLED]
        stance = self.evaluation.stance.iloc[-1].accuracy
        return Md(f"Against independent hand coding of {self.gold_sentences}, "
                  f"the automated coder reaches F1 {md.fmt(s.f1)} and Krippendorff's α {md.fmt(s.alpha)} (pooled), "
                  f"stance accuracy {md.fmt(stance)}; see Validation.")

    def translation_note(self) -> Md:
        """Who translated the quotes shown, from the translator column of data/translations.csv."""
        shown = self.shown_evidence()
        lang = {a.id: a.language.split("-")[0] for a in self.analysis.corpus.articles}
        shown = shown[shown.article_id.map(lang) != "en"]  # an English sentence is its own English
        by = shown.translator[shown.english.notna()].value_counts()
        parts = [f"{n} translated by “{md.escape(t or 'translator not recorded')}”" for t, n in by.items()]
        missing = int(shown.english.isna().sum())
        return Md(f"Of the {w.plural(len(shown), 'quoted sentence')} not in English, {'; '.join(parts) or 'none is translated yet'}"
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

    @property
    def _weekly(self) -> bool:
        return views.span_days(self.analysis) > WEEKLY_AFTER_DAYS and not self.per_article

    def timeline_caption(self) -> Md:
        """The caption of the figure fig_timeline draws (one chart, one caption)."""
        if self._weekly:
            return Md("The corpus window, week by week: articles (top) and frame sentences (bottom) per week, by "
                      "outlet; the busiest outlets are drawn one by one, the rest as *other outlets*; key events are "
                      "dashed grey lines.")
        return Md("The corpus window. Grey ticks: key events, one labelled row each. Blue markers: the articles, "
                  "by outlet (shape: how sure the date is; circle high, square medium, diamond low), "
                  "with a faint line down each publication day.")

    def fig_timeline(self):
        """Publication dates against key events; per week by outlet once the corpus spans more than three
        weeks and is too large to show article by article (story.overview_articles)."""
        if self._weekly:
            return self._figure("timeline", figures.weekly, views.weekly(self.analysis), self._events(),
                                "Articles and frame sentences per week, by outlet")
        arts = self.analysis.corpus.frame()[["article_id", "outlet", "date", "date_confidence"]]
        dates = arts.date.dropna()
        ev = front.events_in_window(self._events(), min(dates, default=None), max(dates, default=None))
        return self._figure("timeline", figures.timeline, arts, ev, "Publication dates against key events")

    # ---- frames by outlet ---------------------------------------------
    def fig_heatmap(self):
        """Outlet × frame; by the outlet table's groups when there are many outlets (one figure, one page)."""
        wd = wide(self.counts, "sentences")
        outlets = {a.outlet.name_en: a.outlet.name_ar for a in self.analysis.corpus.articles}
        g = front.groups(self.analysis)
        rows = [figures.outlet_label(o, outlets.get(o, "")) for o in wd.index]
        if front.grouped(self.analysis):
            where = {name: key for key, names in g.items() for name in names}
            wd = wd.groupby(wd.index.map(where)).sum().reindex(list(g))
            rows = [f"{k} ({front.n_outlets(len(v))})" for k, v in g.items()]
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
        text = md.highlighted(art.text, row.start, row.end, row.highlights)
        who = f" · {md.escape(row.stance)} · speaker: {md.escape(row.speaker)}" if cite_stance else ""
        anchor = cite_stance and row.evidence_id not in self._anchored  # the appendix sets its own anchors
        self._anchored.add(row.evidence_id)
        return q.block(row, art, text, who, heading=bool(getattr(row, "heading", False)), anchor=anchor)

    def quotes(self, frame: str, stance: str | None = None, limit: int | None = None) -> str:
        ev = self.evidence[self.evidence.frame == frame]
        if stance:
            ev = ev[ev.stance.isin([stance] if isinstance(stance, str) else stance)]
        ev = ev.sort_values(["date", "article_id", "start"], kind="stable")
        if limit:
            ev = ev.head(limit)
        ev = self.with_text(ev)
        return "".join(self.quote(r) for r in ev.itertuples()) or "_No sentence in the corpus carries this._\n\n"

    def selection(self, frame: str, n: int | None = None) -> pd.DataFrame:
        """Representative quotes: never a headline or subheading."""
        ev = self.evidence[(self.evidence.frame == frame) & ~self.evidence.heading]
        return self.with_text(views.representative(ev, self.story.quotes if n is None else n))

    @cached_property
    def body_evidence_ids(self) -> set[str]:
        """The sentences the body quotes: each focus frame's selection and one per other frame."""
        focus = {f.frame for f in self.story.focus}
        parts = [self.selection(f) for f in focus]
        parts += [self.selection(f.id, 1) for f in self.analysis.codebook.frames if f.id not in focus]
        return {e for p in parts for e in p.evidence_id}

    def shown_evidence(self) -> pd.DataFrame:
        """The sentences the briefing quotes: the body's, then the appendix's."""
        ids = self.body_evidence_ids
        parts = [self.with_text(self.evidence[self.evidence.evidence_id.isin(ids)]), self._appendix_rows()]
        shown = pd.concat([p for p in parts if len(p)] or [self.with_text(self.evidence.head(0))])
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
            out += (f"**Denials ({n_deny})**, by {w.most(ev[ev.stance == 'denied'].speaker)}:\n\n"
                    + "".join(self.quote(r) for r in deny.itertuples()))
            out += (f"**Accusations and relayed claims ({n_other})**, by "
                    f"{w.most(ev[ev.stance != 'denied'].speaker)}:\n\n"
                    + ("".join(self.quote(r) for r in other.itertuples()) or "_None._\n\n"))
        else:
            out += "".join(self.quote(r) for r in other.itertuples())
        more = len(ev) - len(sel)
        if more:
            out += (f"{w.plural(more, 'more sentence')} carrying this frame {w.verb(more, 'is', 'are')} in the "
                    f"evidence table (Appendix A and the HTML briefing).\n\n")
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
        gist = re.split(r"(?<=[.:;])\s", cb.definition.strip(), maxsplit=1)[0]  # the whole is in Appendix E
        return (f"*{md.escape(cb.label_en)}*: {md.escape(gist)}\n\n"
                f"The frame appears in {w.plural(len(st), 'sentence')} in {w.plural(len(outs), 'outlet')} "
                f"of {self.n_outlets}{' (' + w.names_or(outs) + ')' if 0 < len(outs) <= w.MAX_NAMES else ''}"
                f"{': ' + counts if len(st) else ''}.\n\n")

    def _claims(self, frame: str) -> pd.DataFrame:
        return self.analysis.claims[self.analysis.claims.frame == frame]

    def claims_table(self, frame: str) -> str:
        tl = self._claims(frame)
        if tl.empty:
            return "_No claims of this kind found._\n\n"
        t = views.timeline_claims(tl, self.speaker_names)
        return md.table(t.head(TABLE_ROWS), f"{self.label(frame)}: each distinct claim, how often and by whom it "
                        "is made, with the words in the text" + self._more(len(t), "claims.csv") + ".", f"tbl-claims-{frame}".replace("_", "-"),
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
        rule = self.analysis.extraction_rules.details[frame]
        rendered = self._rendered_in(d, rule)
        t = views.details_summary(d, rule, self.speaker_names, self.label, lambda a: self._translate(a, rendered))
        t = t.head(TABLE_ROWS).map(lambda v: self._pointers(md.mixed(v)) if isinstance(v, str) else md.fmt(v))
        return md.table(t, f"{self.label(frame)}: what its sentences name, with how many "
                        "sentences and outlets name each" + self._more(len(t), "details.csv") + ". Words in "
                        "another language than English carry their English in brackets: the analyst's gloss, else "
                        "the translated quote that renders them; a word neither renders is marked "
                        f"{UNTRANSLATED}.", f"tbl-details-{frame}".replace("_", "-"), markdown=True)

    def _rendered_in(self, d: pd.DataFrame, rule) -> dict[str, str]:
        """Each cue word a details table shows -> the evidence id of a translated sentence it was read from
        (its first in reading order): that translation renders it, so the word is not untranslated."""
        ev = self.evidence[self.evidence.english.notna()].drop_duplicates("sentence_id")
        eid = dict(zip(ev.sentence_id, ev.evidence_id))
        out: dict[str, str] = {}
        for column, (how, _) in rule.fields.items():
            if how == "first":
                for value, sid in zip(d[column], d.sentence_id):
                    if value and sid in eid:
                        out.setdefault(value.strip(), eid[sid])
        return out

    def _pointers(self, cell: str) -> str:
        """A rendered word's pointer (``_translate``'s private-use marks, kept through escaping) as a link
        to the quote whose translation renders it: its outlet and date, the quote's anchor in the HTML."""
        def link(m):
            eid = m.group(1).replace("\\", "")  # as escaped by md.mixed
            e = self.evidence[self.evidence.evidence_id == eid].iloc[0]
            when = f", {pd.Timestamp(e.date):%-d %b %Y}" if e.date is not None and not pd.isna(e.date) else ""
            return f"[see the translated quote, {md.escape(e.outlet)}{when}](#ev-{eid})"
        return re.sub("\ue000([^\ue001]*)\ue001", link, cell)

    def shown_arabic_words(self) -> set[str]:
        """Arabic cue words the details tables show (their translation comes from the glossary)."""
        out = set()
        for f in self.story.focus:
            if "details" in f.show and f.frame in self.analysis.extraction_rules.details:
                d = self.analysis.details[self.analysis.details.frame == f.frame].head(TABLE_ROWS)
                for column, (how, _) in self.analysis.extraction_rules.details[f.frame].fields.items():
                    if how == "first":
                        out |= {v.strip() for v in d[column] if v and any("\u0600" <= ch <= "\u06ff" for ch in v)}
        return out

    def _translate(self, arabic: str, rendered: dict[str, str] | None = None) -> str:
        """A cue word with its English: the glossary's, else a pointer to the translated quote that renders
        it (``rendered``: word -> evidence id; made a link by ``_pointers``), else marked untranslated."""
        if not arabic or not any("\u0600" <= ch <= "\u06ff" for ch in arabic):
            return arabic or "–"
        english = self.glossary.get(arabic.strip())
        if english:
            return f"{arabic} ({english})"
        eid = (rendered or {}).get(arabic.strip())
        return f"{arabic} (\ue000{eid}\ue001)" if eid else f"{arabic} ({UNTRANSLATED})"

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
        """By outlet, or by the outlet table's groups when there are many outlets (a figure fits a page)."""
        t = views.sourcing(self.analysis.sourcing)
        g = front.groups(self.analysis)
        title = "Sourcing profile by outlet"
        if front.grouped(self.analysis):
            where = {name: key for key, names in g.items() for name in names}
            t = t.groupby(t.index.map(where)).sum().reindex(list(g))
            title += " group"
        return self._figure("sourcing", figures.grouped_bars, t, title, "sentences")

    def other_frames(self) -> str:
        out = []
        focus = {f.frame for f in self.story.focus}
        for f in self.analysis.codebook.frames:
            if f.id in focus:
                continue
            ev = self.evidence[self.evidence.frame == f.id].drop_duplicates("evidence_id")
            outs = sorted(set(ev.outlet))
            out.append(f"#### {md.escape(f.label_en)}\n\n{w.plural(len(ev), 'sentence')} in {w.plural(len(outs), 'outlet')}"
                       f"{' (' + w.names_or(outs) + ')' if 0 < len(outs) <= w.MAX_NAMES else ''}.\n\n")
            out += [self.quote(r) for r in self.selection(f.id, 1).itertuples()]
        return "".join(out) or "_Every frame of the codebook has its own section above._\n\n"

    # ---- validation -------------------------------------------------------
    alpha = ALPHA

    @property
    def gold_sentences(self) -> str:
        """The units the gold codes: "96 sentences", or "10 articles" for article-level gold."""
        e = self.evaluation
        if e is not None and e.level == "article":
            return w.plural(e.coded_articles, "article")
        return w.plural(e.coded_sentences if e else 0, "sentence")

    def validation_table(self) -> str:
        if self.evaluation is None:
            return f"_No gold file (`{GOLD}`) in the data folder: the coder is not validated for this corpus._\n\n"
        return md.table(views.validation(self.evaluation, self.label), "Automated coding against hand coding, per "
                        "frame. TP/FP/FN, precision (P), recall (R), F1 and Krippendorff's α (nominal; – where "
                        f"undefined) are at {self.evaluation.level} level" + ("; Art. F1 at article level"
                        if self.evaluation.level == "sentence" else "") + "; Stance and Speaker are "
                        "accuracies over the n units both coders found where the gold gives them.", "tbl-validation")

    def validation_article_table(self) -> str:
        """Article-level P/R/F1 and α per frame (from sentence gold: a frame is in an article when one of its
        sentences carries it); with article-level gold this is the table above, so nothing is added."""
        if self.evaluation is None or self.evaluation.level == "article":
            return ""
        return md.table(views.validation_articles(self.evaluation, self.label), "Automated coding against hand "
                        f"coding, per frame, at article level ({w.plural(self.evaluation.coded_articles, 'article')}): "
                        "a frame is present in an article when one of its sentences carries it.", "tbl-validation-articles")

    def disagreements(self) -> str:
        if self.evaluation is None or self.evaluation.disagreements.empty:
            return "_No disagreements._\n\n"
        d = self.evaluation.disagreements
        out = ["Every disagreement, with its sentence:\n\n"]
        for (kind), g in d.groupby("kind", sort=True):
            out.append(f"**{md.escape(kind).capitalize()} ({len(g)})**\n\n")
            for r in g.itertuples():
                gold, system = md.escape(r.gold) or "—", md.escape(r.system) or "—"
                amb = " · *ambiguous in gold*" if r.ambiguous_in_gold else ""
                out.append(f"- {md.code(r.sentence_id or r.article_id)} · {md.escape(self.label(r.frame))} · gold: {gold} · coder: {system}{amb}\n\n"
                           + (f"  {md.arabic_inline(r.sentence)}\n" if r.sentence else ""))  # article gold: first sentence found
            out.append("\n")
        return "".join(out)

    # ---- appendices -----------------------------------------------------
    def _appendix_rows(self) -> pd.DataFrame:
        """Sentences carrying a frame that the body does not quote, in reading order (capped)."""
        ev = self.evidence.drop_duplicates("evidence_id").sort_values(["article_id", "start"], kind="stable")
        return self.with_text(ev[~ev.evidence_id.isin(self.body_evidence_ids)].head(self.story.appendix_quotes))

    def evidence_appendix(self) -> str:
        """Sentences counted for any frame, once, in reading order, with all their frames (capped)."""
        ev = self.evidence
        if ev.empty:
            return "_No sentence carries a frame._\n\n"
        total = ev.evidence_id.nunique()
        in_body = len(self.body_evidence_ids)
        keep = set(self._appendix_rows().evidence_id)
        out = [f"{w.plural(total, 'sentence')} carry at least one frame; the body quotes {in_body}. "
               + (f"The first {len(keep)} of the other {total - in_body}, in reading order, are printed here; "
                  if len(keep) < total - in_body else "The other " + str(total - in_body) + " are printed here; ")
               + "all are in the HTML briefing's evidence table and in `_output/tables/frame_sentences.csv`.\n\n"]
        shown = self.with_text(ev[ev.evidence_id.isin(keep)].sort_values(["article_id", "start", "frame"], kind="stable"))
        for eid, g in shown.groupby("evidence_id", sort=False):
            spans = sorted({h for hs in g.highlights for h in hs})
            r = SimpleNamespace(**{**g.iloc[0].to_dict(), "highlights": spans})
            frames = "; ".join(f"{self.label(x.frame)} ({x.stance}, {x.speaker})" for x in g.itertuples())
            # the anchor #ev-<evidence id> is the link an analyst sends for one sentence
            out.append(f"[**{md.escape(eid)}**]{{#ev-{eid}}} · {md.escape(frames)}\n\n" + self.quote(r, cite_stance=False))
        return "".join(out)

    def codebook_table(self) -> str:
        defs = md.bullets([f"**{md.escape(f.label_en)}.** {md.escape(f.definition)}" for f in self.analysis.codebook.frames])
        return defs + md.table(views.codebook(self.analysis.codebook), "The codebook (data/codebook.yaml): indicators per "
                        "frame and language.", "tbl-codebook")

    def provenance(self) -> str:
        files = [a.file for a in self.analysis.corpus.articles]
        if len(files) > self.story.overview_articles:  # one hash for the corpus, not a page of them
            return prov.provenance(self.data_dir, [], corpus_files=files, combined=self.corpus_hash)
        return prov.provenance(self.data_dir, files)


def load(data_dir: Path | str | None = None, figures_dir: Path | str | None = None,
         out_dir: Path | str | None = None) -> Briefing:
    """The briefing for a data folder: ``data_dir``, else $FRAMING_DATA (set by `render --data`), else data/.

    It reads the tables `code` wrote: $FRAMING_TABLES when `render` has just coded, else the data
    folder is coded first into ``out_dir`` (default _output/; through the cache, so quick when
    nothing changed).  Figures are saved under ``figures_dir``, else $FRAMING_FIGURES
    (`render --out`/figures), else figures/.
    """
    tables = os.environ.get(TABLES_ENV) if data_dir is None else None  # render's own data, coded just now
    data_dir = Path(data_dir or os.environ.get(DATA_ENV, "data"))
    figures_dir = figures_dir or os.environ.get(FIGURES_ENV, "figures")
    dedupe = os.environ.get(DEDUPE_ENV) == "1" or dedupe_wanted(data_dir)
    if not tables:
        from analysis.results.stream import code_tables
        out = Path(out_dir) if out_dir else Path(os.environ.get(CACHE_ENV, "_output/.cache")).parent
        code_tables(data_dir, out, dedupe=dedupe)
        tables = out / "tables"
    a = open_coded(data_dir, Path(tables), dedupe=dedupe)
    translations = load_translations(data_dir / TRANSLATIONS, a) if (data_dir / TRANSLATIONS).exists() else {}
    gold = data_dir / GOLD
    ev = evaluate(a.gold_view(gold_articles(gold)), gold) if gold.exists() else None
    problems = Problems()
    story = load_story(data_dir, a.codebook.labels(), list(load_events(data_dir).id), problems)
    glossary = load_glossary(data_dir, problems)
    problems.raise_if_any()
    return Briefing(a, data_dir, Path(figures_dir), translations, ev, story, glossary)
