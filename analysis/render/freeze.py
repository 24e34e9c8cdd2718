"""Skip a render when nothing it reads has changed since the last one.

A render's outputs depend on the document (cells, front matter with the date
resolved, _quarto.yml), on every file the kernel may read (the project folder,
the ``analysis`` package, any extra input folder such as ``--data``), on the
environment the kernel inherits, and on the tools.  The fingerprint covers all
of these: the document by content, files by path, size and modification time.

After a render the fingerprint is taken again, so what the kernel itself wrote
(figures/) is part of the stamp, and stored with the outputs' own size and
time.  The next render with the same fingerprint and untouched outputs does
nothing.  A data file saved while a render is running may be missed by it:
save it again, or delete the stamp (``.<stem>.render.json`` in the output folder).
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from .qmd import Document

PACKAGE = Path(__file__).resolve().parents[1]  # analysis/
_SKIP_DIRS = {"__pycache__", "node_modules", "mutants"}  # mutmut's copies of the project
# Variables that change between otherwise identical runs and that no cell reads.
_VOLATILE_ENV = ("_", "OLDPWD", "PWD", "SHLVL", "PYTEST_CURRENT_TEST")


def stamp_path(out_dir: Path, stem: str) -> Path:
    return out_dir / f".{stem}.render.json"


def fingerprint(doc: Document, formats, roots: list[Path], exclude: list[Path], tools: dict) -> str:
    h = hashlib.sha256()
    doc_state = {
        "cells": [(c.kind, c.source) for c in doc.cells],
        "config": doc.config,
        "formats": sorted(formats),
        "tools": tools,
        "python": sys.version,
        "env": {k: v for k, v in os.environ.items() if k not in _VOLATILE_ENV},
    }
    h.update(json.dumps(doc_state, sort_keys=True, default=str).encode())
    skip = {p.resolve() for p in exclude}
    seen: set[Path] = set()
    for root in roots:
        root = root.resolve()
        if root in seen or not root.exists():
            continue
        seen.add(root)
        for path, size, mtime in _walk(root, skip):
            h.update(f"{path}\0{size}\0{mtime}\n".encode())
    return h.hexdigest()


def _walk(root: Path, skip: set[Path]):
    """(path, size, mtime_ns) of every file under ``root``, in a fixed order; hidden folders left out."""
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames
                             if not d.startswith(".") and d not in _SKIP_DIRS and (here / d).resolve() not in skip)
        for name in sorted(filenames):
            path = here / name  # canonical already (a resolved root, real folders) unless a link
            if path in skip or (path.is_symlink() and path.resolve() in skip):  # resolving each took 30 s at 100k
                continue
            try:
                st = path.stat()
            except OSError:  # vanished while walking: it still changes the fingerprint
                yield str(path), -1, -1
                continue
            yield str(path), st.st_size, st.st_mtime_ns


def _file_state(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def unchanged(stamp: Path, key: str, outputs: dict[str, Path]) -> list[str] | None:
    """The last render's warnings if ``key`` matches it and its outputs are untouched, else None."""
    try:
        saved = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if saved.get("key") != key or sorted(saved.get("outputs", {})) != sorted(outputs):
        return None
    for fmt, path in outputs.items():
        state = _file_state(path)
        if state is None or state != saved["outputs"][fmt]:
            return None
    return list(saved.get("warnings", []))


def save(stamp: Path, key: str, outputs: dict[str, Path], warnings: list[str]) -> None:
    data = {"key": key, "outputs": {f: _file_state(p) for f, p in outputs.items()}, "warnings": warnings}
    tmp = stamp.with_name(stamp.name + ".tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, stamp)


def forget(stamp: Path) -> None:
    try:
        stamp.unlink()
    except FileNotFoundError:
        pass
