"""Add an article (plain text or a saved HTML page) to a corpus folder.

Everything is checked before anything is written: the id (a plain name, so the article's path stays
inside ``articles/``), the text (decoded in its own encoding), duplicates, and the new rows, which are
loaded on their own in a scratch folder of the data writer (not a copy of the whole corpus).  The
article, the outlets table and the manifest are then written by ``DataWriter``: under the data
folder's lock, all three or none.  On an empty or missing folder it starts a new corpus with the
default codebook, actors, outlets and rule files.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from analysis.ingest.csvtext import append_rows
from analysis.ingest.start import DEFAULT_FILES, DEFAULTS, example_files, start_corpus  # noqa: F401 (tests use them)
from analysis.inputs.corpus import (
    ID_RE,
    MANIFEST,
    MANIFEST_COLUMNS,
    OUTLET_COLUMNS,
    OUTLETS,
    load_corpus,
    read_article_text,
)
from analysis.io.datawriter import DataWriter
from analysis.io.errors import InputError, Problem, Problems
from analysis.io.paths import read_regular
from analysis.text.html import looks_like_html, main_text


def extract_text(path: Path) -> str:
    """Main text of a saved HTML page (trafilatura, in the page's own encoding), or the file itself if it is text."""
    raw = read_regular(path)  # a FIFO or device given to add would block or never end
    if looks_like_html(raw, path.name):
        return main_text(raw, path)
    probs = Problems()
    text = read_article_text(path, probs, (path, None))
    probs.raise_if_any()
    return text


def article_id(args) -> str:
    """The id: --id as given (refused unless plain), or one derived from the file name."""
    if args.id is None:
        return re.sub(r"[^A-Za-z0-9_.-]+", "_", args.file.stem).strip("_.-") or "article"
    if not ID_RE.match(args.id) or len(args.id) > 200:
        raise InputError(Problem("--id", None, f"'{args.id}' is not a plain id (letters, digits, '_', '-', '.'; "
                                 "no '/', not starting with '.', at most 200 characters)",
                                 "choose an id such as aljarida_2020_08_21"))
    return args.id


def _outlet_row(args, outlets: dict, data: Path) -> dict | None:
    """The outlets.csv row for a new outlet (an English name is enough), None for a known one."""
    if args.outlet in outlets:
        return None
    if not ID_RE.match(args.outlet):
        raise InputError(Problem("--outlet", None, f"'{args.outlet}' is not a plain id",
                                 "use letters, digits, '_', '-' or '.', e.g. daily_news"))
    if not args.outlet_en:
        raise InputError(Problem(str(data / OUTLETS), None, f"unknown outlet '{args.outlet}'",
                                 "pass --outlet-en (and optionally --outlet-ar, --country) to create it, "
                                 "or use an existing id"))
    return {"id": args.outlet, "name_en": args.outlet_en, "name_ar": args.outlet_ar or "",
            "country": args.country or ""}


def _check_new_rows(w: DataWriter, data: Path, outlets_text: str, manifest_row: dict, rel: str, text: str) -> None:
    """Load the new rows alone (the outlets table, one manifest row, the article) in a scratch folder."""
    trial = w.scratch("check")
    (trial / OUTLETS).write_text(outlets_text, encoding="utf-8")
    (trial / MANIFEST).write_text(append_rows("", [manifest_row], MANIFEST_COLUMNS), encoding="utf-8")
    (trial / rel).parent.mkdir(parents=True, exist_ok=True)
    (trial / rel).write_text(text, encoding="utf-8")
    try:
        load_corpus(trial)
    except InputError as e:  # report against the real folder, not the scratch one
        for p in e.problems:
            p.file = p.file.replace(str(trial), str(data))
            if p.file.endswith(MANIFEST):
                p.line = None  # the row is not in the real manifest yet
        raise


def add_article(args) -> list[Path]:
    data: Path = args.data
    src: Path = args.file
    aid = article_id(args)  # before anything is read or written
    if not src.exists():
        raise InputError(Problem(str(src), None, "file not found", "give the path of a saved .txt or .html article"))
    text = extract_text(src)
    with DataWriter(data) as w:
        if not (data / MANIFEST).exists():  # as add always has: the example study's files (init --blank for none)
            start_corpus(data, w, example_files())
            corpus = None
        else:
            corpus = load_corpus(data, allow_empty=True)
        articles = corpus.articles if corpus else []
        outlets = corpus.outlets if corpus else {}
        if any(a.id == aid for a in articles):
            raise InputError(Problem(str(data / MANIFEST), None, f"an article with id '{aid}' already exists",
                                     "choose another --id"))
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        same = next((a for a in articles if a.sha256 == digest), None)
        if same:
            raise InputError(Problem(str(src), None, f"the same text is already in the corpus as '{same.id}' ({same.file})",
                                     "nothing to add; remove the old row first if you mean to replace it"))
        rel = f"articles/{aid}.txt"
        if (data / rel).exists():
            raise InputError(Problem(str(data / rel), None, "a file with this name already exists", "choose another --id"))
        outlets_text = w.read_text(OUTLETS) or (DEFAULTS / OUTLETS).read_text(encoding="utf-8")
        new_outlet = _outlet_row(args, outlets, data)
        if new_outlet:
            outlets_text = append_rows(outlets_text, [new_outlet], OUTLET_COLUMNS)
        row = {"id": aid, "file": rel, "outlet": args.outlet, "date": args.date, "language": args.language,
               "date_basis": args.date_basis or ("stated" if args.date else "unknown"),
               "date_confidence": args.date_confidence or ("medium" if args.date else "low"),
               "date_evidence": args.date_evidence or "",
               "outlet_basis": "stated", "outlet_confidence": "high",
               "outlet_evidence": "given when the article was added", "title": args.title, "url": args.url}
        _check_new_rows(w, data, outlets_text, row, rel, text)
        w.put_text(rel, text, new=True)
        if new_outlet:
            w.put_text(OUTLETS, outlets_text)
        w.put_text(MANIFEST, append_rows(w.read_text(MANIFEST), [row], MANIFEST_COLUMNS))
        return w.commit()
