"""The `init` command: lay out a new study anywhere, from the defaults shipped in the package.

    DIR/report.qmd     the briefing (prose; edit it)
    DIR/_quarto.yml    Quarto project, pointing at this installation's filters and styles
    DIR/data/          blank: a codebook with no frames, no actors, cues, rules, outlets or events,
                       each a commented template (data/README.md for the CSV formats), an empty
                       manifest: ready for `import` or `add`.  --example: the seed study's files instead.

Existing files are never overwritten, so init on a half-made study fills the gaps.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from analysis.ingest.start import DEFAULTS, example_files, start_corpus
from analysis.io.output import write_text

RENDER = Path(__file__).resolve().parent / "render"


def init_study(directory: Path, example: bool = False) -> list[Path]:
    """A blank study (templates, nothing of another story), or with ``example`` the seed study's data files."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    made = []
    qmd = directory / "report.qmd"
    if not qmd.exists():
        shutil.copyfile(DEFAULTS / "report.qmd", qmd)
        made.append(qmd)
    project = directory / "_quarto.yml"
    if not project.exists():
        # The checkout's paths are relative to it; a study elsewhere points at the installed files.
        text = (DEFAULTS / "_quarto.yml").read_text(encoding="utf-8").replace("analysis/render/", f"{RENDER}/")
        write_text(project, text)
        made.append(project)
    data = directory / "data"
    before = set(data.rglob("*")) if data.exists() else set()
    start_corpus(data, files=example_files() if example else None)
    (data / "articles").mkdir(exist_ok=True)
    made += sorted(set(data.rglob("*")) - before)
    return made
