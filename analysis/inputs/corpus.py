"""Load and validate the corpus: outlets table, article manifest, article texts.

Article text is kept exactly as read by ``open(path, encoding="utf-8-sig").read()``:
a leading BOM dropped, CRLF/CR read as LF, nothing else changed.  Every offset
in the package points into that string.  ``load_corpus`` reads each file once, keeps what it
computes from the text (its hash, the notes) and lets the text go: the corpus is a list of
``StoredArticle`` (the manifest's row without the text), and a batch's texts are read again when
it is coded, checked against that hash.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from analysis.inputs.seen import Seen
from analysis.io.errors import InputError, Problem, Problems, check_names, did_you_mean
from analysis.io.paths import Folder, NotRegularFile, UnsafePath, read_regular
from analysis.io.yamlio import encoding_fix, load_yaml
from analysis.match.patterns import PatternError, Term
from analysis.text.segment import ENDERS, MAX_SENTENCE

MANIFEST = "manifest.csv"
OUTLETS = "outlets.csv"
MANIFEST_COLUMNS = (
    "id", "file", "outlet", "outlet_basis", "outlet_confidence", "outlet_evidence",
    "date", "date_basis", "date_confidence", "date_evidence", "title", "language", "url",
    "duplicate_of",  # id of the first article this one is a near-copy of (set by `import`; empty otherwise)
)
REQUIRED = ("id", "file", "outlet", "date", "language")
NO_ARTICLES = "the manifest lists no articles"
OUTLET_COLUMNS = ("id", "name_en", "name_ar", "country", "url",
                  # optional identity: who owns the outlet, whose line it follows, and how sure that is
                  "ownership", "alignment", "identity_basis", "identity_confidence", "identity_evidence")
IDENTITY_BASES = ("stated", "reported", "inferred")
BASES = ("stated", "inferred", "unknown")
CONFIDENCES = ("high", "medium", "low")
LANGUAGES = ("ar", "en")
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
MAX_FIELD = 10_000_000  # characters in one CSV field (Python's default limit is 131,072)
FUTURE_SLACK = timedelta(days=2)  # time zones: a date up to two days ahead is not flagged
EARLIEST = date(1900, 1, 1)  # older dates are typos (0001-01-01, 0202-08-20); report.yaml's earliest_date moves it
REPORT = "report.yaml"
csv.field_size_limit(MAX_FIELD)
_NO_END = re.compile("[^\n" + re.escape("".join(sorted(ENDERS))) + "]{" + str(MAX_SENTENCE + 1) + ",}")


@dataclass(frozen=True)
class Outlet:
    id: str
    name_en: str
    name_ar: str
    country: str
    url: str = ""
    ownership: str = ""
    alignment: str = ""
    identity_basis: str = ""
    identity_confidence: str = ""
    identity_evidence: str = ""


@dataclass(frozen=True)
class Article:
    id: str
    file: str  # relative to the data folder, with forward slashes
    outlet: Outlet
    date: date | None
    language: str
    text: str = field(repr=False)
    sha256: str
    title: str = ""
    url: str = ""
    outlet_basis: str = "unknown"
    outlet_confidence: str = "low"
    outlet_evidence: str = ""
    date_basis: str = "unknown"
    date_confidence: str = "low"
    date_evidence: str = ""
    duplicate_of: str = ""

    def loaded(self) -> Article:
        return self


ARTICLE_FIELDS = tuple(f.name for f in fields(Article) if f.name != "text")
CHANGED = ("the article changed after the corpus was read (its text no longer has the hash recorded then)",
           "run the command again: it reads the corpus afresh")


class Texts:
    """The last texts read, a bounded few (an article is read when its batch is coded, or when a quote
    of it is shown); the corpus is never held.  Pickled empty: a worker reads its own."""

    def __init__(self, size: int = 256):
        self.size, self.held = size, {}

    def get(self, article, folder: Folder | None = None) -> str:
        """``article``'s text, read if it is not held (``folder``: its data folder as resolved for
        this pass of reading, see ``StoredArticle.read``)."""
        text = self.held.pop(article.id, None)
        if text is None:
            text = article.read(folder)
        self.held[article.id] = text  # most recent last
        if len(self.held) > self.size:
            del self.held[next(iter(self.held))]
        return text

    def __reduce__(self):
        return Texts, (self.size,)


class StoredArticle:
    """An article without its text: the attributes of ``Article``, ``text`` read from the file when
    asked and checked against the hash of the text as first read, so that a study of any size is
    held as its manifest, not its corpus.  ``loaded()`` is the ``Article`` with its text (what a
    batch is coded from).  ``path``: (data folder, relative path), resolved and checked inside the
    folder each time it is read (a link changed since the corpus was read is not followed out of it)."""
    __slots__ = (*ARTICLE_FIELDS, "path", "texts", "changed")

    def __init__(self, *, changed: tuple[str, str] = CHANGED, **values):
        self.changed = changed
        for k, v in values.items():
            object.__setattr__(self, k, v)

    @property
    def text(self) -> str:
        return self.texts.get(self)

    def read(self, folder: Folder | None = None) -> str:
        """The text from the file, as ``read_article_text`` reads it; an InputError if it is gone or
        no longer the text that was read (coding or quoting it at stale offsets would be wrong).
        ``folder``: its data folder as resolved for the batch being read (default: resolved afresh)."""
        try:
            path = (folder or self.path[0].fresh()).path(self.path[1])
        except UnsafePath as e:
            raise InputError(Problem(self.file, None, f"file {e}", e.fix)) from None
        problems = Problems()
        text = read_article_text(path, problems, (path, None))
        if text is not None and self.sha256 and hashlib.sha256(text.encode("utf-8")).hexdigest() != self.sha256:
            problems.add(path, None, *self.changed)
        problems.raise_if_any()
        return text

    def loaded(self, folder: Folder | None = None) -> Article:
        return Article(text=self.read(folder), **{k: getattr(self, k) for k in ARTICLE_FIELDS})

    def __repr__(self) -> str:
        return f"StoredArticle({self.id!r}, {self.file!r})"


@dataclass
class Corpus:
    data_dir: Path
    outlets: dict[str, Outlet]
    articles: list[StoredArticle | Article]
    warnings: list[str] = field(default_factory=list)  # tolerated quirks the analyst should know about
    set_aside: list[str] = field(default_factory=list)  # near-copies left out to count each story once (dedupe)

    def article(self, article_id: str) -> Article:
        """By id, through an index built once (rebuilt if the list was changed)."""
        index = self.__dict__.get("_by_id")
        if index is None or len(index) != len(self.articles):
            index = self.__dict__["_by_id"] = {a.id: a for a in self.articles}
        return index[article_id]

    def frame(self) -> pd.DataFrame:
        """One row per article: the manifest as the analysis sees it."""
        rows = [{
            "article_id": a.id, "file": a.file, "outlet": a.outlet.name_en,
            "outlet_ar": a.outlet.name_ar, "country": a.outlet.country,
            "outlet_basis": a.outlet_basis, "outlet_confidence": a.outlet_confidence,
            "outlet_evidence": a.outlet_evidence,
            "date": a.date, "date_basis": a.date_basis, "date_confidence": a.date_confidence,
            "date_evidence": a.date_evidence, "language": a.language, "title": a.title,
            "sha256": a.sha256,
        } for a in self.articles]
        return pd.DataFrame(rows)


def read_csv_rows(path: Path, expected: tuple[str, ...], required: tuple[str, ...],
                  problems: Problems) -> list[tuple[int, dict[str, str]]]:
    """Rows with their physical line numbers; header problems are reported, not raised (``iter_csv_rows``)."""
    return list(iter_csv_rows(path, expected, required, problems))


def iter_csv_rows(path: Path, expected: tuple[str, ...], required: tuple[str, ...], problems: Problems):
    """Rows with the line each starts on, one at a time (a manifest of 100,000 rows is never held
    as dicts); header problems are reported, not raised.

    Every expected column is present in each row ('' where an optional column is
    absent from the file).  Only CR/LF end a row: U+2028 and other Unicode line
    breaks inside a field stay in the field.
    """
    try:
        raw = read_regular(path)
    except FileNotFoundError:
        problems.add(path, None, "file not found",
                     f"create {path.name} with the header: {','.join(expected)}")
        return
    except IsADirectoryError:
        problems.add(path, None, "is a folder, not a file",
                     f"move the folder away and put the {path.name} file there")
        return
    except NotRegularFile as e:
        problems.add(path, None, f"is a {e.kind}, not a regular file (reading it could wait forever)",
                     f"replace it with a regular {path.name} file")
        return
    text = _decoded_csv(raw, path, problems)
    if text is None:
        return
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)  # strict: an unclosed quote is an error
    try:
        header = next(reader, [])
    except csv.Error as e:
        problems.add(path, 1, f"unreadable CSV header: {e}", "check the quotes on the first line")
        return
    dup = sorted({c for c in header if header.count(c) > 1}, key=header.index)
    for c in dup:
        problems.add(path, 1, f"duplicate column '{c}' (columns {', '.join(str(i + 1) for i, h in enumerate(header) if h == c)})",
                     f"keep one '{c}' column and delete or rename the others")
    if dup:
        return
    missing = [c for c in required if c not in header]
    extra = [c for c in header if c not in expected]
    for c in missing:
        problems.add(path, 1, f"missing column '{c}'", f"add a '{c}' column to the header")
    for c in extra:
        problems.add(path, 1, f"unknown column '{c}'{did_you_mean(c, expected)}",
                     f"rename or remove it; allowed columns: {', '.join(expected)}")
    if missing or extra:
        return
    at = [header.index(k) if k in header else None for k in expected]
    try:
        for line, fields in numbered_rows(reader):
            if len(fields) > len(header):
                problems.add(path, line, "more fields than columns",
                             "quote fields that contain commas with double quotes")
                continue
            yield line, {k: fields[i].strip() if i is not None and i < len(fields) else "" for k, i in zip(expected, at)}
    except RowError as e:
        fix = (f"a field is over {MAX_FIELD:,} characters: split the text or move it to its own file"
               if "field larger" in str(e.error) else "check the double quotes on this line (a quote inside a field is written \"\")")
        problems.add(path, e.line, f"unreadable CSV row: {e.error}", fix)  # the reader cannot resynchronize after it


class RowError(Exception):
    """A CSV row the reader cannot read (an unclosed quote, a field too long), at the line it starts on."""

    def __init__(self, line: int, error: csv.Error):
        super().__init__(f"line {line}: {error}")
        self.line, self.error = line, error


def numbered_rows(reader) -> Iterator[tuple[int, list[str]]]:
    """A ``csv.reader``'s rows with the line each starts on (a quoted field may span lines; an editor and a
    reader of a message look for the row where it begins), blank lines skipped as ``csv.DictReader`` skips
    them; a row it cannot read raises RowError with its line."""
    while True:
        start = reader.line_num + 1  # the rows before ended on the line before this one
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            raise RowError(start, e) from None
        if fields:
            yield start, fields


def _decoded_csv(raw: bytes, path: Path, problems: Problems) -> str | None:
    """The file's text, or None with the problem reported (not UTF-8, or a NUL byte)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        problems.add(path, raw[:e.start].count(b"\n") + 1,
                     f"not valid UTF-8 (byte offset {e.start})", encoding_fix(raw))
        return None
    if "\x00" in text:  # the csv module would stop at it, and it would reach every table
        problems.add(path, text.count("\n", 0, text.index("\x00")) + 1, "a NUL byte (U+0000) in the file",
                     f"remove it: tr -d '\\000' < {path.name} > fixed.csv (a UTF-16 file is converted instead: "
                     f"iconv -f UTF-16 -t UTF-8 {path.name} > fixed.csv), then check the line and rename fixed.csv")
        return None
    return text

def parse_date(value: str, path: Path, line: int, problems: Problems, fix: str,
               earliest: date = EARLIEST) -> date | None:
    """A YYYY-MM-DD date; an invalid one, one in the future or one before ``earliest`` is reported."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        problems.add(path, line, f"invalid date '{value}'", fix)
        return None
    if day > date.today() + FUTURE_SLACK:
        problems.add(path, line, f"date '{value}' is in the future", "check the year; " + fix)
        return None
    if day < earliest:
        problems.add(path, line, f"date '{value}' is before {earliest.isoformat()}, the earliest date this study accepts",
                     f"check the year; if the date is right, set earliest_date: YYYY-MM-DD in {REPORT}")
        return None
    return day


def earliest_date(data_dir: Path, problems: Problems) -> date:
    """The floor for dates: ``earliest_date`` in report.yaml, else EARLIEST."""
    path = data_dir / REPORT
    if not path.is_file():
        return EARLIEST
    try:
        doc = load_yaml(path)
    except Exception:  # noqa: BLE001 - report.yaml's own errors are reported where it is validated
        return EARLIEST
    value = doc.get("earliest_date") if isinstance(doc, dict) else None
    if value is None:
        return EARLIEST
    try:
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        problems.add(path, getattr(doc, "key_lines", {}).get("earliest_date"), f"earliest_date '{value}' is not a date",
                     "write it as YYYY-MM-DD, e.g. earliest_date: 1990-01-01")
        return EARLIEST


def load_outlets(data_dir: Path, problems: Problems) -> dict[str, Outlet]:
    path = data_dir / OUTLETS
    outlets: dict[str, Outlet] = {}
    for line, row in read_csv_rows(path, OUTLET_COLUMNS, ("id", "name_en"), problems):  # name_ar, country optional
        oid = row["id"]
        if not oid:
            problems.add(path, line, "empty outlet id", "give the outlet a short id such as 'daily_news'")
        elif oid in outlets:
            problems.add(path, line, f"duplicate outlet id '{oid}'", "each outlet id must appear once")
        else:
            try:  # the Arabic name is looked for in the text (an outlet citing itself)
                Term(row["name_ar"]) if row["name_ar"] else None
            except PatternError as e:
                problems.add(path, line, f"name_ar '{row['name_ar']}' cannot be looked for in the text: {e}",
                             "write the name in plain letters (no <, >, * or brackets)")
                continue
            check_names(problems, path, line, f"outlet '{oid}'", {k: row[k] for k in ("name_en", "name_ar", "country")})
            _check_identity(row, path, line, problems)
            outlets[oid] = Outlet(**{k: row.get(k, "") for k in OUTLET_COLUMNS})
    return outlets


def _check_identity(row: dict, path: Path, line: int, problems: Problems) -> None:
    """Ownership or alignment is a claim about the outlet: it needs its basis and confidence."""
    if not (row["ownership"] or row["alignment"]):
        return
    if row["identity_basis"] not in IDENTITY_BASES:
        problems.add(path, line, f"identity_basis '{row['identity_basis']}' is not one of {', '.join(IDENTITY_BASES)}",
                     "say how ownership/alignment is known: stated (by the outlet), reported (by others) or inferred")
    if row["identity_confidence"] not in CONFIDENCES:
        problems.add(path, line, f"identity_confidence '{row['identity_confidence']}' is not one of {', '.join(CONFIDENCES)}",
                     "set identity_confidence to high, medium or low")


def read_article_text(path: Path, problems: Problems, where: tuple[Path, int]) -> str | None:
    """Decode one article; a BOM is dropped and CRLF read as LF, silently."""
    try:
        raw = read_regular(path)
    except FileNotFoundError:
        problems.add(*where, f"article file '{path}' does not exist",
                     "fix the 'file' column or copy the article into the data folder")
        return None
    except IsADirectoryError:
        problems.add(*where, f"article path '{path}' is a folder, not a file",
                     "point the 'file' column at the article's .txt file")
        return None
    except NotRegularFile as e:
        problems.add(*where, f"article path '{path}' is a {e.kind}, not a regular file (reading it could wait forever)",
                     "point the 'file' column at the article's .txt file")
        return None
    except OSError as e:  # a symlink loop, a name too long, no permission
        problems.add(*where, f"cannot read article file '{path}': {e.strerror or e}",
                     "fix the 'file' column, or the file's link or permissions")
        return None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.add(path, 1, "the article is UTF-16, not UTF-8", encoding_fix(raw))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        problems.add(path, line, f"not valid UTF-8 at byte offset {e.start}", encoding_fix(raw))
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        problems.add(*where, f"article file '{path.name}' is empty",
                     "paste the article text into the file or remove its manifest row")
        return None
    return text


def load_corpus(data_dir: Path | str, problems: Problems | None = None, allow_empty: bool = False,
                memo: Seen | None = None) -> Corpus:
    """Validate everything and return the corpus; raises InputError unless a collector is passed.
    ``memo``: what the last run read, for the files unchanged since (``inputs/seen.py``)."""
    data_dir = Path(data_dir)
    own = problems is None
    problems = problems if problems is not None else Problems()
    outlets = load_outlets(data_dir, problems)
    manifest = data_dir / MANIFEST
    articles: list[StoredArticle] = []
    warnings: list[str] = []
    seen: dict[str, int] = {}
    texts, keep = Texts(), sys.intern  # keep: metadata repeated over many rows, held once
    root = Folder(data_dir)
    floor = earliest_date(data_dir, problems)
    for line, row in iter_csv_rows(manifest, MANIFEST_COLUMNS, REQUIRED, problems):
        where = (manifest, line)
        aid = row["id"]
        if not aid:
            problems.add(*where, "missing id", "give every article a unique id, e.g. 005")
            continue
        if not ID_RE.match(aid):
            problems.add(*where, f"id '{aid}' has characters other than letters, digits, '_', '-', '.'",
                         "use a plain id such as 005 or aljarida_2020_08_18")
            continue
        if aid in seen:
            problems.add(*where, f"duplicate id '{aid}' (first on line {seen[aid]})",
                         "give each article its own id")
            continue
        seen[aid] = line
        rel = row["file"]
        try:
            path = root.path(rel)
        except UnsafePath as e:
            problems.add(*where, f"file {e}", e.fix)
            continue
        outlet = outlets.get(row["outlet"])
        if outlet is None:
            problems.add(*where, f"unknown outlet '{row['outlet']}'{did_you_mean(row['outlet'], outlets)}",
                         f"use an id from {OUTLETS} or add the outlet there")
        day = parse_date(row["date"], manifest, line, problems,
                         "write dates as YYYY-MM-DD, or leave empty and set date_basis to unknown", floor) if row["date"] else None
        if row["language"] not in LANGUAGES:
            problems.add(*where, f"language '{row['language']}' is not one of {', '.join(LANGUAGES)}",
                         "set language to ar or en")
        for col, allowed in (("outlet_basis", BASES), ("date_basis", BASES),
                             ("outlet_confidence", CONFIDENCES), ("date_confidence", CONFIDENCES)):
            if row[col] and row[col] not in allowed:
                problems.add(*where, f"{col} '{row[col]}' is not one of {', '.join(allowed)}",
                             f"set {col} to one of {', '.join(allowed)}")
        facts = _facts(aid, path, problems, where, memo)
        if facts is None:
            continue
        sha256, note, note_line = facts
        if outlet is None:
            continue
        if note is not None:
            problems.add(path, note_line, note,
                         "add the missing punctuation or line breaks if the pieces cut sentences badly", level="note")
            warnings.append(note)
        articles.append(StoredArticle(  # the text is let go: read again when its batch is coded
            id=aid, file=Path(rel).as_posix(), outlet=outlet, date=day, language=keep(row["language"]),
            path=(root, rel), texts=texts,  # checked inside the folder again when read (a link may change meanwhile)
            sha256=sha256, title=row["title"],
            url=row["url"], outlet_basis=keep(row["outlet_basis"] or "unknown"),
            outlet_confidence=keep(row["outlet_confidence"] or "low"), outlet_evidence=keep(row["outlet_evidence"]),
            date_basis=keep(row["date_basis"] or ("unknown" if day is None else "stated")),
            date_confidence=keep(row["date_confidence"] or "low"), date_evidence=keep(row["date_evidence"]),
            duplicate_of=row["duplicate_of"],
        ))
    _check_copies(articles, seen, manifest, problems)
    if not seen and not allow_empty and not any(p.file.endswith(MANIFEST) for p in problems.errors):
        problems.add(manifest, None, NO_ARTICLES, "add one row per article (see README: Add an article)")
    if own:
        problems.raise_if_any()
    articles.sort(key=lambda a: a.id)
    return Corpus(data_dir=data_dir, outlets=outlets, articles=articles, warnings=warnings)


def _facts(aid: str, path: Path, problems: Problems, where: tuple, memo: Seen | None):
    """``_read``'s answer, from ``memo`` for a file unchanged since the last run."""
    status = memo.status(path) if memo is not None else None
    known = memo.get(path, status) if status is not None else None
    if known is not None:
        return known
    read = _read(aid, path, problems, where)
    if read is not None and status is not None:
        memo.put(path, status, *read)
    return read


def _read(aid: str, path: Path, problems: Problems, where: tuple) -> tuple[str, str | None, int | None] | None:
    """What the corpus keeps of an article's text: its hash, and a note (with its line) on a long run
    without a sentence end; None if the text cannot be read (reported)."""
    text = read_article_text(path, problems, where)
    if text is None:
        return None
    note = line = None
    if (run := _NO_END.search(text)):
        line = text.count("\n", 0, run.start()) + 1
        note = (f"article '{aid}' has {run.end() - run.start():,} characters with no sentence end "
                f"from line {line}: coded in pieces of at most {MAX_SENTENCE:,} characters")
    return hashlib.sha256(text.encode("utf-8")).hexdigest(), note, line


def _check_copies(articles: list[StoredArticle], lines: dict[str, int], manifest: Path, problems: Problems) -> None:
    for a in articles:
        if a.duplicate_of and a.duplicate_of not in lines:
            problems.add(manifest, lines[a.id], f"duplicate_of '{a.duplicate_of}' is not an article id",
                         "give the id of the article this one copies, or leave duplicate_of empty")


EVENTS = "events.csv"
EVENT_COLUMNS = ("id", "date", "label", "source")  # id: optional, for data/rules.yaml deadlines


def load_events(data_dir: Path | str, problems: Problems | None = None) -> pd.DataFrame:
    """Key events for the timeline figure (optional file)."""
    path = Path(data_dir) / EVENTS
    own = problems is None
    problems = problems if problems is not None else Problems()
    rows = []
    if path.exists():
        floor = earliest_date(Path(data_dir), Problems())  # its problem is reported with the manifest's
        for line, row in read_csv_rows(path, EVENT_COLUMNS, ("date", "label"), problems):
            day = parse_date(row["date"], path, line, problems, "write dates as YYYY-MM-DD", floor)
            if day is not None and check_names(problems, path, line, f"event '{row['id'] or row['date']}'", {"label": row["label"]}):
                rows.append({"id": row.get("id", ""), "date": day, "label": row["label"], "source": row.get("source", "")})
    if own:
        problems.raise_if_any()
    return pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
