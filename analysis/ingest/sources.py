"""The files analysts have, read as rows: CSV/TSV, XLSX, JSON Lines, Parquet, a folder of .txt/.html
pages with an optional metadata sheet, or a .zip of any of these.

Every reader streams (a row at a time; Parquet a batch at a time, XLSX through openpyxl's read-only
mode), so a 700 MB export is never held whole.  A row is ``(number, values)``: ``number`` as the
analyst finds it in the file (CSV: the line the row starts on; XLSX: the sheet's row; JSONL: the
line; Parquet: the row, counting from 1 after the header-less table's start), ``values`` a dict of
column → value, or a ``RowProblem`` when the row itself cannot be read.
"""
from __future__ import annotations

import csv
import json
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from analysis.io.decode import decode, guess_encoding
from analysis.io.errors import InputError, Problem, display_path

TABLE_SUFFIXES = {".csv": "csv", ".tsv": "csv", ".tab": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl",
                  ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet"}
PAGE_SUFFIXES = (".txt", ".html", ".htm")
SHEET_SUFFIXES = (".csv", ".tsv", ".xlsx")
METADATA_NAMES = ("metadata", "meta", "index", "manifest", "articles")
FILE_COLUMNS = ("file", "filename", "file_name", "path", "name", "page")
# zip limits: a bomb is refused before it fills the disk (sizes are counted as written, not trusted)
ZIP_MAX_TOTAL = 8 << 30
ZIP_MAX_RATIO = 200
ZIP_MAX_MEMBERS = 1_000_000


@dataclass
class RowProblem:
    what: str
    fix: str


class Source:
    """A table of rows: ``name`` (for messages), ``columns``, ``rows()``."""

    name: str
    columns: list[str]

    def rows(self):
        raise NotImplementedError


def _problem(path, what, fix, line=None):
    return InputError(Problem(display_path(path), line, what, fix))


class CsvSource(Source):
    def __init__(self, path: Path, name: str | None = None):
        self.path, self.name = path, name or display_path(path)
        with open(path, "rb") as f:
            sample = f.read(1 << 20)
        self.encoding = guess_encoding(sample, self.name)
        first = sample.split(b"\n", 1)[0].decode(self.encoding, errors="replace")
        counts = {d: first.count(d) for d in (",", "\t", ";")}
        self.delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab") else max(counts, key=counts.get)
        with self._open() as f:
            try:
                self.columns = [c.strip() for c in next(csv.reader(f, delimiter=self.delimiter), [])]
            except (csv.Error, UnicodeDecodeError) as e:
                raise _problem(self.name, f"unreadable header: {e}", "check the file's first line", 1) from None
        if not any(self.columns):
            raise _problem(self.name, "no header row", "put the column names on the first line", 1)

    def _open(self):
        enc = "utf-8-sig" if self.encoding in ("utf-8", "utf_8") else self.encoding
        return open(self.path, encoding=enc, newline="", errors="strict")

    def rows(self):
        with self._open() as f:
            reader = csv.reader(f, delimiter=self.delimiter, strict=True)
            try:
                next(reader, None)
                while True:
                    start = reader.line_num + 1
                    try:
                        values = next(reader)
                    except StopIteration:
                        return
                    except csv.Error as e:
                        raise _problem(self.name, f"unreadable CSV row: {e}", "check the double quotes on this "
                                       "line (a quote inside a field is written \"\")", start) from None
                    if not any(v.strip() for v in values):
                        continue
                    if len(values) > len(self.columns):
                        yield start, RowProblem(f"{len(values)} fields for {len(self.columns)} columns",
                                                "quote fields that contain the separator with double quotes")
                        continue
                    yield start, dict(zip(self.columns, values))
            except UnicodeDecodeError as e:
                raise _problem(self.name, f"not valid {self.encoding} after line {reader.line_num} ({e.reason})",
                               "save the export as UTF-8 (or convert it with iconv) and import again") from None


class XlsxSource(Source):
    def __init__(self, path: Path, name: str | None = None):
        import openpyxl
        self.path, self.name = path, name or display_path(path)
        try:
            self.book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as e:  # openpyxl raises many types for a file that is not a workbook
            raise _problem(self.name, f"not a readable .xlsx workbook ({type(e).__name__}: {e})",
                           "save the sheet as .xlsx (Excel 2007 or later) or export it as CSV") from None
        self.sheet = self.book.worksheets[0]
        head = next(self.sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
        self.columns = ["" if c is None else str(c).strip() for c in head]
        if not any(self.columns):
            raise _problem(self.name, "the first sheet has no header row", "put the column names in row 1", 1)

    def rows(self):
        try:
            for n, values in enumerate(self.sheet.iter_rows(min_row=2, values_only=True), start=2):
                if all(v is None or str(v).strip() == "" for v in values):
                    continue
                yield n, {c: v for c, v in zip(self.columns, values) if c}
        finally:
            self.book.close()


class JsonlSource(Source):
    def __init__(self, path: Path, name: str | None = None):
        self.path, self.name = path, name or display_path(path)
        keys: dict[str, None] = {}
        with open(path, encoding="utf-8-sig", errors="replace") as f:
            for _, line in zip(range(1000), f):  # the keys of the first objects name the columns
                try:
                    obj = json.loads(line)
                except ValueError:
                    continue
                if isinstance(obj, dict):
                    keys.update(dict.fromkeys(obj))
        self.columns = list(keys)

    def rows(self):
        with open(self.path, encoding="utf-8-sig", errors="strict") as f:
            n = 0
            try:
                for n, line in enumerate(f, start=1):
                    if not line.strip():
                        continue
                    try:
                        obj = json.loads(line)
                    except ValueError as e:
                        yield n, RowProblem(f"not a JSON object: {e}", "write one JSON object per line")
                        continue
                    if not isinstance(obj, dict):
                        yield n, RowProblem("not a JSON object", "write one {\"key\": value, …} object per line")
                        continue
                    yield n, obj
            except UnicodeDecodeError:
                raise _problem(self.name, f"not valid UTF-8 after line {n}", "JSON Lines files are UTF-8: "
                               "convert it with iconv") from None


class ParquetSource(Source):
    def __init__(self, path: Path, name: str | None = None):
        import pyarrow.parquet as pq
        self.path, self.name = path, name or display_path(path)
        try:
            self.file = pq.ParquetFile(path)
        except Exception as e:  # ArrowInvalid and friends
            raise _problem(self.name, f"not a readable Parquet file ({e})", "export it again as Parquet, or as CSV") from None
        self.columns = list(self.file.schema_arrow.names)

    def rows(self):
        n = 0
        for batch in self.file.iter_batches(batch_size=1024):  # row group by row group, a slice at a time
            for row in batch.to_pylist():
                n += 1
                yield n, row


def table_source(path: Path, name: str | None = None) -> Source:
    kind = TABLE_SUFFIXES.get(path.suffix.lower())
    if kind is None and path.suffix.lower() in PAGE_SUFFIXES:
        raise _problem(path, "one article page, not an export", "add it with `framing add FILE --outlet ID "
                       "--language ar`, or import the folder that holds the pages")
    if kind is None:
        raise _problem(path, f"cannot import a '{path.suffix}' file",
                       "give a .csv, .tsv, .xlsx, .jsonl, .parquet or .zip file, or a folder of .txt/.html pages")
    return {"csv": CsvSource, "xlsx": XlsxSource, "jsonl": JsonlSource, "parquet": ParquetSource}[kind](path, name)


class FolderSource(Source):
    """A folder of .txt/.html pages; a metadata sheet (keyed by file name) gives each page's columns."""

    def __init__(self, folder: Path, metadata: Path | None = None, name: str | None = None):
        self.folder, self.name = folder, name or display_path(folder)
        pages = sorted(p for p in folder.rglob("*") if p.suffix.lower() in PAGE_SUFFIXES and _regular(p))
        self.metadata = metadata or _find_metadata(folder)
        self.pages = [p for p in pages if p != self.metadata]
        self.meta: dict[str, tuple[int, dict]] = {}
        self.meta_problems: list[tuple[int, RowProblem]] = []
        meta_columns: list[str] = []
        if self.metadata is not None:
            sheet = table_source(self.metadata, _shown(self.metadata, folder, self.name))
            key = next((c for c in sheet.columns if c.lower() in FILE_COLUMNS), None)
            if key is None:
                raise _problem(sheet.name, "the metadata sheet has no file-name column", "name the column holding "
                               f"each page's file name one of: {', '.join(FILE_COLUMNS)}", 1)
            self.meta_name = sheet.name
            meta_columns = [c for c in sheet.columns if c != key]
            for n, row in sheet.rows():
                if isinstance(row, RowProblem):
                    self.meta_problems.append((n, row))
                    continue
                self.meta[str(row.get(key) or "").strip().replace("\\", "/")] = (n, row)
        self.columns = ["file", "text", *[c for c in meta_columns if c not in ("file", "text")]]

    def rows(self):
        for n, problem in self.meta_problems:
            yield f"{self.meta_name}:{n}", problem
        used = set()
        for page in self.pages:
            rel = page.relative_to(self.folder).as_posix()
            key = rel if rel in self.meta else page.name
            n, meta = self.meta.get(key, (None, {}))
            used.add(key)
            where = f"{self.name}/{rel}"  # a problem of the page itself
            at = f"{self.meta_name}:{n}" if n is not None else where  # a problem of its row: the metadata sheet
            try:
                raw = page.read_bytes()
                text = decode(raw, where, html=page.suffix.lower() != ".txt")
            except InputError as e:
                yield where, RowProblem(e.problems[0].what, e.problems[0].fix)
                continue
            except OSError as e:
                yield where, RowProblem(f"cannot read: {e.strerror or e}", "check the file")
                continue
            yield at, {**meta, "file": rel, "text": text}
        for key, (n, _) in self.meta.items():
            if key not in used:
                yield f"{self.meta_name}:{n}", RowProblem(f"names the page '{key}', which is not in the folder",
                                                          "fix the file name, or remove the row")


def _regular(p: Path) -> bool:
    try:
        return stat.S_ISREG(p.lstat().st_mode)  # no FIFOs, devices, or links leading elsewhere
    except OSError:
        return False


def _shown(path: Path, folder: Path, name: str) -> str:
    return f"{name}/{path.relative_to(folder).as_posix()}" if path.is_relative_to(folder) else display_path(path)


def _find_metadata(folder: Path) -> Path | None:
    sheets = sorted(p for p in folder.iterdir() if p.suffix.lower() in SHEET_SUFFIXES and _regular(p))
    named = [p for p in sheets if p.stem.lower() in METADATA_NAMES]
    return (named or (sheets if len(sheets) == 1 else [None]))[0]


def safe_extract(archive: Path, into: Path) -> None:
    """Extract a zip into ``into`` (a folder this import owns), refusing anything that could leave it
    (absolute paths, '..', links, devices) and bombs (sizes counted as written)."""
    name = display_path(archive)
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as e:
        raise _problem(name, f"not a readable zip file ({e})", "zip the export again") from None
    with zf:
        members = zf.infolist()
        if len(members) > ZIP_MAX_MEMBERS:
            raise _problem(name, f"{len(members):,} files in the zip", f"split it (at most {ZIP_MAX_MEMBERS:,})")
        total = 0
        for m in members:
            parts = PurePosixPath(m.filename.replace("\\", "/")).parts
            kind = stat.S_IFMT(m.external_attr >> 16)  # 0 when the zip does not say (Windows tools)
            if m.filename.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
                raise _problem(name, f"unsafe path in the zip: '{m.filename}'", "zip the files with relative paths")
            if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
                raise _problem(name, f"'{m.filename}' in the zip is a link or a special file",
                               "zip the files themselves, not links to them")
            if m.is_dir() or not parts:
                continue
            if m.compress_size and m.file_size / m.compress_size > ZIP_MAX_RATIO:
                raise _problem(name, f"'{m.filename}' expands {m.file_size / m.compress_size:.0f}-fold (a zip bomb?)",
                               "unzip it yourself if you trust it, and import the files")
            target = into.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            with zf.open(m) as src, open(target, "xb") as dst:
                while chunk := src.read(1 << 20):
                    written += len(chunk)
                    total += len(chunk)
                    if written > m.file_size or total > ZIP_MAX_TOTAL:
                        raise _problem(name, f"'{m.filename}' expands past its stated size or the "
                                       f"{ZIP_MAX_TOTAL >> 30} GB limit (a zip bomb?)",
                                       "unzip it yourself if you trust it, and import the files")
                    dst.write(chunk)


def open_source(path: Path, scratch, metadata: Path | None = None) -> Source:
    """The right reader for ``path``; ``scratch()`` gives a folder this import owns (for a zip's files)."""
    if path.is_dir():
        return FolderSource(path, metadata)
    if not path.exists():
        raise _problem(path, "no such file or folder", "check the path of the export")
    if not _regular(path) and not path.resolve().is_file():
        raise _problem(path, "not a regular file", "give the export file itself")
    if path.suffix.lower() == ".zip":
        into = scratch()
        safe_extract(path, into)
        files = [p for p in into.rglob("*") if p.is_file()]
        tables = [p for p in files if p.suffix.lower() in TABLE_SUFFIXES]
        pages = [p for p in files if p.suffix.lower() in PAGE_SUFFIXES]
        label = display_path(path)
        if len(tables) == 1 and not pages:
            return table_source(tables[0], f"{label}:{tables[0].relative_to(into).as_posix()}")
        if pages:
            tops = [p for p in into.iterdir()]
            root = tops[0] if len(tops) == 1 and tops[0].is_dir() else into
            return FolderSource(root, metadata, name=label)
        raise _problem(path, "no table (.csv, .xlsx, .jsonl, .parquet) or pages (.txt, .html) in the zip",
                       "zip one export file, or a folder of pages with its metadata sheet")
    return table_source(path)


def text_of(value) -> str:
    """A cell as text (numbers, dates and None as an analyst would read them)."""
    if value is None:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    return value if isinstance(value, str) else str(value)

