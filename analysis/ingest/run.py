"""`import SOURCE`: a whole export into the data folder, all of it or none of it.

Rows are read one at a time (sources.py), checked (columns.py), and their texts written into a staged
folder of the data writer as they come, so memory stays flat at any size.  Every bad row is listed
(``file:row: what`` + ``fix:``); unless ``--skip-bad`` was given, a bad row means nothing is imported.
An exact copy of an article already in the corpus is "already imported" (so importing a source again
adds nothing); an exact copy inside the source is a bad row; a near-copy (dedupe.py) is imported and
marked ``duplicate_of`` its first occurrence.  The articles land in ``articles/<source>-<time>/``,
the new outlets in ``outlets.csv`` and the rows in ``manifest.csv``, in one commit.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import signal
import sys
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from analysis.ingest.columns import FIELDS, Record, RowReader, domain_of, map_columns, plain_id
from analysis.ingest.csvtext import append_rows, header_of, safe_cell, widen
from analysis.ingest.dedupe import THRESHOLD, NearDuplicates
from analysis.ingest.sources import RowProblem, open_source, text_of
from analysis.ingest.start import example_files, start_corpus
from analysis.inputs.corpus import ID_RE, MANIFEST, MANIFEST_COLUMNS, OUTLET_COLUMNS, OUTLETS, load_corpus
from analysis.io.datawriter import DataWriter
from analysis.io.errors import InputError, Problem
from analysis.io.output import write_text

REJECTS = "import_rejects.csv"
_ARABIC_NAME = re.compile(r"^[\u0621-\u064a\s]+$")


@dataclass
class Options:
    source: Path
    columns: dict[str, str | None] = field(default_factory=dict)  # field -> column given by flag
    dayfirst: bool | None = None
    skip_bad: bool = False
    rejects: Path | None = None
    metadata: Path | None = None
    progress: bool = True


@dataclass
class Report:
    imported: int = 0
    already: int = 0
    rejected: int = 0
    copies: int = 0
    new_outlets: list[str] = field(default_factory=list)
    detected: Counter = field(default_factory=Counter)
    folder: str = ""
    rejects_file: Path | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = ["columns: " + ", ".join(f"{f} ← {c}" for f, c in self.mapping.items())]
        if self.imported:
            out.append(f"imported {self.imported} article(s) into {self.folder}")
        else:
            out.append("nothing new to import" + (": every row is already in the corpus (same text)"
                                                  if self.already and not self.rejected else ""))
        if self.already:
            out.append(f"{self.already} row(s) already in the corpus (same text): not imported again")
        if self.detected:
            out.append("language detected from the script (no language column or cell): "
                       + ", ".join(f"{n} {lang}" for lang, n in sorted(self.detected.items())))
        if self.copies:
            out.append(f"{self.copies} near-copy(ies) of earlier articles (word 4-gram Jaccard ≥ {THRESHOLD}): "
                       "kept and marked duplicate_of in manifest.csv")
        if self.new_outlets:
            shown = ", ".join(self.new_outlets[:10]) + (" …" if len(self.new_outlets) > 10 else "")
            out.append(f"{len(self.new_outlets)} new outlet(s) in outlets.csv: {shown}")
        if self.rejected:
            out.append(f"{self.rejected} bad row(s) set aside with their reasons in {self.rejects_file}")
        return out


class Outlets:
    """Outlets by id, English name and web domain; new ones made from a name or a domain."""

    def __init__(self, existing: dict):
        self.ids = set(existing)
        self.by_name = {o.name_en.lower(): o.id for o in existing.values()}
        self.by_domain = {domain_of(o.url): o.id for o in existing.values() if o.url}
        self.new: list[dict] = []

    def resolve(self, rec: Record) -> tuple[str, bool]:
        """(outlet id, whether it is new)."""
        name = rec.outlet_name
        key = name.lower()
        found = self.by_name.get(key) or (name if name in self.ids else None) or self.by_domain.get(key)
        if found:
            return found, False
        base = plain_id(key.replace(".", "_").replace(" ", "_")) or "outlet_" + hashlib.sha1(name.encode()).hexdigest()[:8]
        oid, n = base, 2
        while oid in self.ids:
            oid, n = f"{base}_{n}", n + 1
        self.ids.add(oid)
        self.by_name[key] = oid
        url = f"https://{name}" if rec.outlet_from == "domain" else ""
        self.new.append({"id": oid, "name_en": name, "name_ar": name if _ARABIC_NAME.match(name) else "",
                         "country": "", "url": url})
        return oid, True


class Importer:
    def __init__(self, data: Path, opts: Options, w: DataWriter):
        self.data, self.opts, self.w = data, opts, w
        self.report = Report()
        self.problems: list[Problem] = []
        if not (data / MANIFEST).exists():  # as add does: the example study's files (init --blank for none)
            start_corpus(data, w, example_files())
            corpus = None
        else:
            corpus = load_corpus(data, allow_empty=True)
        articles = corpus.articles if corpus else []
        self.sha = {a.sha256: a.id for a in articles}
        self.ids = {a.id for a in articles}
        self.outlets = Outlets(corpus.outlets if corpus else {})
        self.near = NearDuplicates()
        for a in articles:
            self.near.add(a.id, a.text, a.duplicate_of)
        self.new_sha: dict[str, str] = {}

    def run(self) -> Report:
        opts = self.opts
        source = open_source(opts.source, lambda: self.w.scratch("unzipped"), opts.metadata)
        mapping = map_columns(source.columns, opts.columns, source.name)
        self.report.mapping = mapping
        self.label = source.name.rsplit("/", 1)[-1]
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        rel_folder = f"articles/{plain_id(opts.source.stem)[:60] or 'import'}-{stamp}"
        self.folder = self.w.new_folder(rel_folder)
        self.report.folder = rel_folder
        reader = RowReader(mapping, source.name, opts.source.stem, opts.dayfirst, date.today())
        manifest_text = self.w.read_text(MANIFEST) or ",".join(MANIFEST_COLUMNS) + "\n"
        self.header = header_of(manifest_text) + [c for c in MANIFEST_COLUMNS if c not in header_of(manifest_text)]
        self.rows_out = io.StringIO()
        self.rejects = _Rejects(source.columns) if opts.skip_bad else None
        with _Files() as self.files:
            self._rows(source, reader)
        if self.problems and not opts.skip_bad:
            raise InputError(self.problems)
        return self._commit(manifest_text, rel_folder)

    def _rows(self, source, reader: RowReader) -> None:
        from tqdm import tqdm
        bar = tqdm(source.rows(), unit=" rows", disable=not self.opts.progress, file=sys.stderr, mininterval=0.5,
                   desc="import")
        for number, row in bar:
            where = number if isinstance(number, str) else f"{source.name}:{number}"
            if isinstance(row, RowProblem):
                self._bad(where, row, [(row.what, row.fix)])
                continue
            rec, bad = reader.read(number, row)
            if rec is not None:
                bad = self._place(rec, where)
            if bad:
                self._bad(where, row, bad)
            elif rec is not None and (self.opts.skip_bad or not self.problems):  # else: only listing bad rows
                self._write(rec, where)

    def _place(self, rec: Record, where: str) -> list[tuple[str, str]]:
        """Exact copies and ids; an id taken by another text is a bad row (or renumbered if we made it)."""
        rec.sha = hashlib.sha256(rec.text.encode("utf-8")).hexdigest()
        if rec.sha in self.sha:
            self.report.already += 1
            rec.skip = True
            return []
        if rec.sha in self.new_sha:
            return [(f"the same text as {self.new_sha[rec.sha]}", "remove the exact copy (or --skip-bad to set it aside)")]
        rec.skip = False
        if rec.id in self.ids:
            if "id" in self.report.mapping:
                return [(f"id '{rec.id}' is already used by another article", "give the row another id")]
            base, n = rec.id, 2
            while rec.id in self.ids:
                rec.id, n = f"{base}-{n}", n + 1
        if not ID_RE.match(rec.id):
            return [(f"id '{rec.id}' is not a plain id", "use letters, digits, '_', '-', '.'")]
        self.ids.add(rec.id)
        self.new_sha[rec.sha] = f"{where} (id {rec.id})"
        return []

    def _write(self, rec: Record, where: str) -> None:
        if rec.skip:
            return
        path = self.folder / f"{rec.id}.txt"
        batch = self.files.add(path, rec.text.encode("utf-8"))
        outlet, new = self.outlets.resolve(rec)
        if new:
            self.report.new_outlets.append(outlet)
        if rec.language_detected:
            self.report.detected[rec.language] += 1
        copy = self.near.check(rec.id, rec.text, lambda p=path, b=batch: self.files.read(p, b))
        self.report.copies += bool(copy)
        evidence = (f"the {self.report.mapping['outlet']} column of {self.label}"
                    if rec.outlet_from == "column" else "the domain of the article's url")
        row = {"id": rec.id, "file": f"{self.report.folder}/{rec.id}.txt", "outlet": outlet,
               "outlet_basis": "stated" if rec.outlet_from == "column" else "inferred",
               "outlet_confidence": "high" if rec.outlet_from == "column" else "medium",
               "outlet_evidence": evidence, "date": rec.date,
               "date_basis": "stated" if rec.date else "unknown", "date_confidence": "medium" if rec.date else "low",
               "date_evidence": rec.date_evidence, "title": rec.title, "language": rec.language, "url": rec.url,
               "duplicate_of": copy}
        csv.DictWriter(self.rows_out, fieldnames=self.header, lineterminator="\n").writerow(
            {c: row.get(c, "") for c in self.header})
        self.report.imported += 1

    def _bad(self, where: str, row, bad: list[tuple[str, str]]) -> None:
        file, _, line = where.rpartition(":")
        for what, fix in bad:
            self.problems.append(Problem(file if line.isdigit() else where, int(line) if line.isdigit() else None,
                                         what, fix))
        if self.rejects is not None:
            self.rejects.add(where, row if isinstance(row, dict) else {}, bad)
        self.report.rejected += 1

    def _commit(self, manifest_text: str, rel_folder: str) -> Report:
        if self.rejects is not None and self.report.rejected:
            target = self.opts.rejects or Path(REJECTS)
            self.report.rejects_file = write_text(target, self.rejects.text())
        if not self.report.imported:
            return self.report
        if header_of(manifest_text) != self.header:
            manifest_text = widen(manifest_text, self.header)  # e.g. an older manifest without duplicate_of
        with self.w.open(MANIFEST) as f:
            f.write(manifest_text if manifest_text.endswith("\n") else manifest_text + "\n")
            f.write(self.rows_out.getvalue())
        if self.outlets.new:
            self.w.put_text(OUTLETS, append_rows(self.w.read_text(OUTLETS), self.outlets.new, OUTLET_COLUMNS))
        self.report.written = self.w.commit()
        return self.report


class _Files:
    """Article files written by a helper process, a batch at a time, while this one reads and checks rows:
    creating a file costs milliseconds on a busy disk, which would otherwise add up row after row.
    A write that fails raises here (the whole import then stops, and nothing is committed)."""

    BATCH, AHEAD = 64, 16

    def __init__(self) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        self.pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"),
                                        initializer=_die_with_parent, initargs=(os.getpid(),))
        self.batch: list[tuple[str, bytes]] = []
        self.sent: deque = deque()
        self.futures: dict[int, object] = {}
        self.number = 0

    def __enter__(self) -> "_Files":
        return self

    def __exit__(self, *exc) -> None:
        try:
            if exc[0] is None:
                self.flush()
                while self.sent:
                    self.sent.popleft().result()
        finally:
            self.pool.shutdown(wait=True, cancel_futures=exc[0] is not None)

    def add(self, path: Path, data: bytes) -> int:
        self.batch.append((str(path), data))
        number = self.number
        if len(self.batch) >= self.BATCH:
            self.flush()
        return number

    def flush(self) -> None:
        if self.batch:
            done = self.pool.submit(_write_files, self.batch)
            self.futures[self.number] = done
            self.sent.append(done)
            self.batch, self.number = [], self.number + 1
            while len(self.sent) > self.AHEAD:
                self.sent.popleft().result()

    def read(self, path: Path, batch: int) -> str:
        """An article written earlier in this import (for a near-copy check): waits for its batch."""
        if batch == self.number:
            self.flush()
        self.futures[batch].result()
        return path.read_text(encoding="utf-8")


def _die_with_parent(parent: int) -> None:
    """A killed import must not leave its helper behind (Linux: the kernel signals it when the parent dies)."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def _write_files(batch: list[tuple[str, bytes]]) -> None:
    for path, data in batch:
        with open(path, "xb") as f:
            f.write(data)


class _Rejects:
    """The rows set aside by --skip-bad, with where they were, what is wrong and the fix (CSV for a spreadsheet)."""

    def __init__(self, columns: list[str]):
        self.columns = [c for c in columns if c]
        self.buf = io.StringIO()
        self.writer = csv.writer(self.buf, lineterminator="\n")
        self.writer.writerow(["source_row", "problem", "fix", *self.columns])

    def add(self, where: str, row: dict, bad: list[tuple[str, str]]) -> None:
        self.writer.writerow([safe_cell(x) for x in (where, "; ".join(w for w, _ in bad), "; ".join(f for _, f in bad),
                                                     *(text_of(row.get(c)) for c in self.columns))])

    def text(self) -> str:
        return self.buf.getvalue()


def import_source(data: Path, opts: Options) -> Report:
    if not set(opts.columns) <= set(FIELDS):
        raise ValueError(opts.columns)
    with DataWriter(data) as w:
        return Importer(data, opts, w).run()


def describe(report: Report) -> str:
    return "\n".join(report.lines())

