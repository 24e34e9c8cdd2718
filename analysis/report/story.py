"""data/report.yaml: the story a briefing tells (title, focus sections, events), validated.

Kept in the data folder beside the codebook, so one report.qmd serves any study
and `render --data` switches story and corpus together.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from analysis.io.errors import Problems
from analysis.io.yamlio import check_keys, line_of, load_yaml

REPORT = "report.yaml"
SHOWS = ("quotes", "claims", "claims_figure", "details")
KEYS = ("study", "title", "subtitle", "focus", "events", "quotes", "overview_articles", "appendix_quotes",
        "earliest_date", "dedupe")


@dataclass
class Focus:
    frame: str
    heading: str
    show: tuple[str, ...] = ("quotes",)
    short: str = ""  # the key judgment's lead-in (default: the heading)

    def __post_init__(self):
        self.short = self.short or self.heading


@dataclass
class Story:
    study: str = ""  # names the study: report.qmd prose in a ::: {study="..."} div shows only for it
    title: str = "Media-framing briefing"
    subtitle: str = ""
    focus: list[Focus] = field(default_factory=list)
    events: list[str] | None = None  # None: all events
    quotes: int = 6
    overview_articles: int = 15
    appendix_quotes: int = 40
    dedupe: bool = False  # count each story once: leave out articles marked duplicate_of in manifest.csv


def dedupe_wanted(data_dir: Path) -> bool:
    """report.yaml's ``dedupe: true``, read before the analysis (a broken file is reported by load_story)."""
    try:
        doc = load_yaml(Path(data_dir) / REPORT)
    except Exception:  # any problem is load_story's to report, with its line
        return False
    return isinstance(doc, dict) and doc.get("dedupe") is True


def _dedupe(doc: dict, story: Story, path: Path, problems: Problems) -> None:
    if "dedupe" not in doc:
        return
    if isinstance(doc["dedupe"], bool):
        story.dedupe = doc["dedupe"]
    else:
        problems.add(path, line_of(doc, "dedupe"), f"dedupe must be true or false, got '{doc['dedupe']}'",
                     "dedupe: true counts each story once (near-copies marked duplicate_of are left out)")


def load_story(data_dir: Path, labels: dict[str, str], event_ids, problems: Problems) -> Story:
    """The story of ``data_dir/report.yaml`` (defaults when absent); ``labels``: frame id -> label."""
    path = Path(data_dir) / REPORT
    story = Story()
    if not path.exists():
        return story
    doc = load_yaml(path) or {}
    if not isinstance(doc, dict):
        problems.add(path, 1, "expected 'key: value' lines", "see the comments in the default report.yaml")
        return story
    check_keys(doc, KEYS, (), path, problems, REPORT)
    for key in ("study", "title", "subtitle"):
        if key in doc:
            setattr(story, key, str(doc[key] or ""))
    for key in ("quotes", "overview_articles", "appendix_quotes"):
        if key in doc:
            v = doc[key]
            if isinstance(v, int) and not isinstance(v, bool) and v >= 0:
                setattr(story, key, v)
            else:
                problems.add(path, line_of(doc, key), f"{key} must be a whole number, got '{v}'", f"e.g. {key}: 6")
    _dedupe(doc, story, path, problems)
    for item in doc.get("focus") or []:
        if not isinstance(item, dict) or not check_keys(item, ("frame", "heading", "short", "show"), ("frame",), path,
                                                        problems, "focus entry"):
            continue
        fid = str(item["frame"])
        if fid not in labels:
            problems.add(path, line_of(item, "frame"), f"focus frame '{fid}' is not in codebook.yaml",
                         f"use one of: {', '.join(labels)}")
            continue
        show = item.get("show", ["quotes"])
        show = show if isinstance(show, list) else [show]
        bad = [s for s in show if s not in SHOWS]
        if bad:
            problems.add(path, line_of(item, "show"), f"unknown show: {', '.join(map(str, bad))}",
                         f"allowed: {', '.join(SHOWS)}")
        story.focus.append(Focus(fid, str(item.get("heading") or labels[fid]),
                                 tuple(s for s in show if s in SHOWS), str(item.get("short") or "")))
    events = doc.get("events", "all")
    if events != "all":
        ids = set(event_ids)
        events = events if isinstance(events, list) else [events]
        for e in events:
            if str(e) not in ids:
                problems.add(path, line_of(doc, "events"), f"event '{e}' is not in events.csv",
                             "use ids of events.csv's id column, or 'all'")
        story.events = [str(e) for e in events if str(e) in ids]
    return story
