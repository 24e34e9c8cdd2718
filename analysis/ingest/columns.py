"""From an export's columns to manifest fields: which column is which, and one row read into a record.

Columns are found by flag (``--text body``) or by their common names; the names of a Media Cloud
export (``media_name, publish_date, url, title, language, text``; the id is ``stories_id`` or ``id``)
need no flags.  A row's problems are returned as (what, fix) pairs, never raised, so that every bad
row of an export is listed in one run.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from urllib.parse import urlsplit

from analysis.ingest.sources import text_of
from analysis.inputs.corpus import FUTURE_SLACK
from analysis.io.errors import InputError, Problem, did_you_mean
from analysis.text.html import main_text

FIELDS = ("text", "title", "date", "outlet", "url", "language", "id")
NAMES = {  # first match wins; compared lower-case with spaces and dashes as underscores
    "text": ("text", "body", "content", "article_text", "full_text", "maintext", "story_text", "article", "story"),
    "title": ("title", "headline", "heading", "article_title"),
    "date": ("publish_date", "date", "published", "published_at", "publication_date", "pub_date", "date_published",
             "publish_time", "datetime", "timestamp"),
    "outlet": ("media_name", "outlet", "source", "source_name", "media", "publisher", "site_name", "newspaper",
               "publication", "domain"),
    "url": ("url", "link", "article_url", "canonical_url", "permalink", "guid"),
    "language": ("language", "lang", "language_code"),
    "id": ("stories_id", "story_id", "article_id", "id", "doc_id", "uid"),
}
LANGUAGE_NAMES = {"ar": "ar", "ara": "ar", "arb": "ar", "arabic": "ar", "العربية": "ar",
                  "en": "en", "eng": "en", "english": "en"}
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile("[A-Za-z]")
_ID_BAD = re.compile(r"[^A-Za-z0-9_.-]+")
_SLASH_DATE = re.compile(r"^\s*(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ T].*)?$")
_DIGITS = re.compile(r"^\s*\d{9,13}(?:\.\d+)?\s*$")


def _key(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip().lower())


def map_columns(columns: list[str], flags: dict[str, str | None], source: str) -> dict[str, str]:
    """field -> column; a flag naming no column, or no text column at all, is an error."""
    by_key = {_key(c): c for c in columns if c}
    mapping, problems = {}, []
    for f in FIELDS:
        given = flags.get(f)
        if given:
            if given in columns:
                mapping[f] = given
            else:
                problems.append(Problem(source, 1, f"--{f} '{given}' is not a column{did_you_mean(given, columns)}",
                                        f"columns: {', '.join(columns)}"))
            continue
        found = next((by_key[n] for n in NAMES[f] if n in by_key and by_key[n] not in mapping.values()), None)
        if found:
            mapping[f] = found
    if "text" not in mapping and not problems:
        problems.append(Problem(source, 1, "no column holds the article text",
                                f"name it with --text COLUMN (columns: {', '.join(columns)}); a Media Cloud export "
                                "carries the text only when it was requested, else import the saved pages"))
    if problems:
        raise InputError(problems)
    return mapping


@dataclass
class Record:
    id: str
    text: str
    title: str
    date: str
    date_evidence: str
    url: str
    language: str
    language_detected: bool
    outlet_name: str
    outlet_from: str  # "column" or "domain"
    sha: str = ""     # of the text, set when the row is placed
    skip: bool = False  # already in the corpus


def language_of(text: str) -> str | None:
    """'ar' or 'en' by the script most letters are in; None without letters."""
    sample = text[:20000]
    ar, la = len(_ARABIC.findall(sample)), len(_LATIN.findall(sample))
    if not ar and not la:
        return None
    return "ar" if ar >= la else "en"


def parse_date(value, dayfirst: bool | None, today: date) -> tuple[str, str | None]:
    """(YYYY-MM-DD or '', problem or None) from ISO, a spreadsheet date, D/M/Y or M/D/Y, or a Unix timestamp."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "", None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, (int, float)) or (isinstance(value, str) and _DIGITS.match(value)):
        stamp = float(value)
        stamp = stamp / 1000 if stamp > 1e11 else stamp  # milliseconds
        day = datetime.fromtimestamp(stamp, tz=timezone.utc).date()
    else:
        s = str(value).strip()
        m = _SLASH_DATE.match(s)
        try:
            if m:
                if dayfirst is None:
                    return "", (f"ambiguous date '{s}'", "pass --dayfirst for day/month/year dates, or --monthfirst")
                d, mo = (int(m.group(1)), int(m.group(2))) if dayfirst else (int(m.group(2)), int(m.group(1)))
                day = date(int(m.group(3)), mo, d)
            else:
                day = datetime.fromisoformat(s.replace("Z", "+00:00").replace(" UTC", "")).date()
        except ValueError:
            return "", (f"unreadable date '{s[:40]}'", "write dates as YYYY-MM-DD (or D/M/YYYY with --dayfirst, "
                        "or a Unix timestamp), or leave the cell empty")
    if day > today + FUTURE_SLACK:
        return "", (f"date '{day.isoformat()}' is in the future", "check the year")
    return day.isoformat(), None


def domain_of(url: str) -> str:
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def plain_id(value: str) -> str:
    return _ID_BAD.sub("_", value.strip()).strip("_.-")[:200]


class RowReader:
    """Reads rows of one source into Records, with the mapping and the options of the import."""

    def __init__(self, mapping: dict[str, str], source_name: str, stem: str, dayfirst: bool | None, today: date):
        self.m, self.source, self.stem = mapping, source_name, plain_id(stem) or "import"
        self.label = source_name.rsplit("/", 1)[-1]
        self.dayfirst, self.today = dayfirst, today

    def get(self, row: dict, field: str):
        col = self.m.get(field)
        return row.get(col) if col else None

    def read(self, number, row: dict) -> tuple[Record | None, list[tuple[str, str]]]:
        problems: list[tuple[str, str]] = []
        text = self._text(text_of(self.get(row, "text")), problems)
        title = " ".join(text_of(self.get(row, "title")).split())
        url = text_of(self.get(row, "url")).strip()
        day, bad = parse_date(self.get(row, "date"), self.dayfirst, self.today)
        if bad:
            problems.append(bad)
        lang_given = text_of(self.get(row, "language")).strip()
        language, detected = self._language(lang_given, text, problems)
        outlet = " ".join(text_of(self.get(row, "outlet")).split())
        outlet_from = "column" if outlet else "domain"
        if not outlet:
            outlet = domain_of(url)
            if not outlet:
                fix = ("name the outlet column with --outlet COLUMN, or give each row a url"
                       if "outlet" not in self.m else "fill in the outlet, or give the row a url")
                problems.append(("no outlet: the outlet cell is empty and there is no url to take a domain from", fix))
        aid = self._id(row, number, problems)
        if problems:
            return None, problems
        return Record(aid, text, title, day, f"the {self.m['date']} column of {self.label}" if day else "", url,
                      language, detected, outlet, outlet_from), []

    def _text(self, raw: str, problems) -> str:
        text = raw.replace("\r\n", "\n").replace("\r", "\n")
        if text.lstrip()[:1] == "<" and re.search(r"<(p|div|html|body|article)\b", text[:5000], re.I):
            try:
                text = main_text(text, self.source)
            except InputError as e:
                problems.append((e.problems[0].what, e.problems[0].fix))
                return ""
        if "\x00" in text:
            problems.append(("the text holds a NUL byte", "export the text again; the file is damaged"))
        elif not text.strip():
            problems.append(("empty text", "fill in the article's text, or remove the row"))
        return text.strip("\n") + "\n" if text.strip() else ""

    def _language(self, given: str, text: str, problems) -> tuple[str, bool]:
        if given:
            lang = LANGUAGE_NAMES.get(given.lower().replace("_", "-").split("-")[0])
            if lang is None:
                problems.append((f"language '{given}' is neither Arabic nor English",
                                 "this briefing codes ar and en articles: remove the row, or fix the language"))
                return "", False
            return lang, False
        lang = language_of(text) if text else None
        if lang is None and text:
            problems.append(("no language given and the text has no letters to tell it by",
                             "fill in the language column (ar or en)"))
        return lang or "", True

    def _id(self, row: dict, number, problems) -> str:
        if "id" in self.m:
            aid = plain_id(text_of(self.get(row, "id")))
            if not aid:
                problems.append(("empty id", f"fill in the {self.m['id']} cell, or leave out --id to number the rows"))
            return aid
        if isinstance(number, str):  # a page of a folder: its file name
            return plain_id(re.sub(r"\.[^./]+$", "", text_of(row.get("file")).rsplit("/", 1)[-1])) or "page"
        return f"{self.stem}-{number}"
