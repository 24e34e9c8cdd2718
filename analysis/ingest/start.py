"""The files a new corpus starts with, from the defaults shipped in the package."""
from __future__ import annotations

from pathlib import Path

from analysis.inputs.corpus import MANIFEST, MANIFEST_COLUMNS
from analysis.io.datawriter import DataWriter

DEFAULTS = Path(__file__).resolve().parents[1] / "defaults"  # package data: works outside the checkout
DEFAULT_FILES = ("codebook.yaml", "actors.yaml", "outlets.csv", "boilerplate.yaml", "cues.yaml", "rules.yaml",
                 "events.csv", "report.yaml", "lexicon.yaml")
BLANK = DEFAULTS / "blank"  # the templates of a blank study: no frames, actors, cues, rules, outlets or events
BLANK_CSV = {"outlets.csv": "id,name_en,name_ar,country,url\n", "events.csv": "id,date,label,source\n"}


def blank_files() -> dict[str, bytes]:
    """A blank study's data files: commented templates, the generic boilerplate and lexicon, the default report.yaml."""
    files = {p.name: p.read_bytes() for p in sorted(BLANK.iterdir()) if p.is_file()}
    files.update({name: text.encode() for name, text in BLANK_CSV.items()})
    for name in ("boilerplate.yaml", "lexicon.yaml", "report.yaml"):  # page furniture and grammar words are not a story's
        files[name] = (DEFAULTS / name).read_bytes()
    return files


def example_files() -> dict[str, bytes]:
    """The seed study's codebook, actors, cues, rules, outlets and events: an example to learn from."""
    return {n: (DEFAULTS / n).read_bytes() for n in DEFAULT_FILES}


def start_corpus(data: Path, writer: DataWriter | None = None, files: dict[str, bytes] | None = None) -> None:
    """Stage the default files a folder lacks (and an empty manifest); commits unless a writer is passed.

    ``files``: name -> contents (default: a blank study's; ``example_files()`` for the seed study's)."""
    own = writer is None
    w = writer or DataWriter(data).__enter__()
    try:
        chosen = files if files is not None else blank_files()
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
