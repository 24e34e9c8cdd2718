"""Add an article (plain text or a saved HTML page) to a corpus folder.

Validates before touching anything; the manifest (and outlets table, for a new
outlet) are appended to only after the new corpus loads cleanly.  On an empty
or missing folder it starts a new corpus with the default codebook, actors,
outlets and rule files.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
import tempfile
from pathlib import Path

from analysis.inputs.corpus import MANIFEST, MANIFEST_COLUMNS, OUTLET_COLUMNS, OUTLETS, load_corpus, read_article_text
from analysis.io.errors import InputError, Problem, Problems
from analysis.io.output import write_bytes, write_text
from analysis.io.paths import read_regular

DEFAULTS = Path(__file__).resolve().parent / "defaults"  # package data: works outside the checkout
DEFAULT_FILES = ("codebook.yaml", "actors.yaml", "outlets.csv", "boilerplate.yaml", "cues.yaml", "rules.yaml",
                 "events.csv", "report.yaml", "lexicon.yaml")


def extract_text(path: Path) -> str:
    """Main text of a saved HTML page (trafilatura), or the file itself if it is text."""
    raw = read_regular(path)  # a FIFO or device given to add would block or never end
    if path.suffix.lower() in (".html", ".htm") or raw.lstrip()[:15].lower().startswith((b"<!doctype", b"<html")):
        import trafilatura
        text = trafilatura.extract(raw.decode("utf-8", errors="replace"), include_comments=False, include_tables=False)
        if not text:
            raise InputError(Problem(str(path), None, "no article text found in this HTML page",
                                     "save the article page itself (not a listing page), or paste the text into a .txt file"))
        return text + "\n"
    probs = Problems()
    text = read_article_text(path, probs, (path, None))
    probs.raise_if_any()
    return text


def start_corpus(data: Path) -> None:
    data.mkdir(parents=True, exist_ok=True)
    for name in DEFAULT_FILES:
        if not (data / name).exists():
            shutil.copyfile(DEFAULTS / name, data / name)
    if not (data / MANIFEST).exists():
        write_text(data / MANIFEST, ",".join(MANIFEST_COLUMNS) + "\n")


def _csv_line(columns, values: dict) -> str:
    buf = io.StringIO()
    csv.DictWriter(buf, fieldnames=columns, lineterminator="\n").writerow({c: values.get(c, "") for c in columns})
    return buf.getvalue()


def _append(text: str, line: str) -> str:
    return text + ("" if text.endswith("\n") or not text else "\n") + line


def add_article(args) -> list[Path]:
    data: Path = args.data
    if not data.exists() or not any(data.iterdir()):
        start_corpus(data)
    src: Path = args.file
    if not src.exists():
        raise InputError(Problem(str(src), None, "file not found", "give the path of a saved .txt or .html article"))
    text = extract_text(src)
    corpus = load_corpus(data, allow_empty=True)
    aid = args.id or re.sub(r"[^A-Za-z0-9_.-]+", "_", src.stem).strip("_.-") or "article"
    if any(a.id == aid for a in corpus.articles):
        raise InputError(Problem(str(data / MANIFEST), None, f"an article with id '{aid}' already exists", "choose another --id"))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    same = next((a for a in corpus.articles if a.sha256 == digest), None)
    if same:
        raise InputError(Problem(str(src), None, f"the same text is already in the corpus as '{same.id}' ({same.file})",
                                 "nothing to add; remove the old row first if you mean to replace it"))
    rel = f"articles/{aid}.txt"
    if (data / rel).exists():
        raise InputError(Problem(str(data / rel), None, "a file with this name already exists", "choose another --id"))
    outlets_text = (data / OUTLETS).read_text(encoding="utf-8")
    if args.outlet not in corpus.outlets:
        if not (args.outlet_en and args.outlet_ar and args.country):
            raise InputError(Problem(str(data / OUTLETS), None, f"unknown outlet '{args.outlet}'",
                                     "pass --outlet-en, --outlet-ar and --country to create it, or use an existing id"))
        header = next(csv.reader([outlets_text.lstrip("\ufeff").split("\n", 1)[0]]), None) or OUTLET_COLUMNS
        outlets_text = _append(outlets_text, _csv_line(header, {"id": args.outlet, "name_en": args.outlet_en,
                                                                          "name_ar": args.outlet_ar, "country": args.country}))
    row = {"id": aid, "file": rel, "outlet": args.outlet, "date": args.date, "language": args.language,
           "date_basis": args.date_basis or ("stated" if args.date else "unknown"),
           "date_confidence": "medium" if args.date else "low", "outlet_basis": "stated", "outlet_confidence": "high",
           "outlet_evidence": "given when the article was added", "title": args.title, "url": args.url}
    manifest_text = _append((data / MANIFEST).read_text(encoding="utf-8"), _csv_line(MANIFEST_COLUMNS, row))
    # Validate the would-be corpus in a scratch copy before writing anything real.
    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp) / "data"
        shutil.copytree(data, trial)
        (trial / rel).parent.mkdir(parents=True, exist_ok=True)
        (trial / rel).write_text(text, encoding="utf-8")
        (trial / MANIFEST).write_text(manifest_text, encoding="utf-8")
        (trial / OUTLETS).write_text(outlets_text, encoding="utf-8")
        try:
            load_corpus(trial)
        except InputError as e:  # report against the real folder, not the scratch copy
            for p in e.problems:
                p.file = p.file.replace(str(trial), str(data))
            raise
    written = [write_bytes(data / rel, text.encode("utf-8"))]
    written.append(write_text(data / OUTLETS, outlets_text))
    written.append(write_text(data / MANIFEST, manifest_text))
    return written
