"""The files a new corpus starts with, from the defaults shipped in the package."""
from __future__ import annotations

from pathlib import Path

from analysis.inputs.corpus import MANIFEST, MANIFEST_COLUMNS
from analysis.io.datawriter import DataWriter

DEFAULTS = Path(__file__).resolve().parents[1] / "defaults"  # package data: works outside the checkout
DEFAULT_FILES = ("codebook.yaml", "actors.yaml", "outlets.csv", "boilerplate.yaml", "cues.yaml", "rules.yaml",
                 "events.csv", "report.yaml", "lexicon.yaml")


def start_corpus(data: Path, writer: DataWriter | None = None, files: dict[str, bytes] | None = None) -> None:
    """Stage the default files a folder lacks (and an empty manifest); commits unless a writer is passed.

    ``files``: name -> contents to use instead of the defaults (a blank study's templates)."""
    own = writer is None
    w = writer or DataWriter(data).__enter__()
    try:
        chosen = files if files is not None else {n: (DEFAULTS / n).read_bytes() for n in DEFAULT_FILES}
        for name, content in chosen.items():
            if not (data / name).exists():
                w.put(name, content, new=True)
        if not (data / MANIFEST).exists():
            w.put_text(MANIFEST, ",".join(MANIFEST_COLUMNS) + "\n", new=True)
        if own:
            w.commit()
    finally:
        if own:
            w.__exit__(None, None, None)
