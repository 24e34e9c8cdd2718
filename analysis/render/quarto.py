"""The Quarto route: shell out to ``quarto render`` where Quarto is installed."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from analysis.io import scratch as scratch_dirs

from .builtin import check_formats, publish
from .errors import RenderError
from .qmd import find_project_root

# Our format names -> Quarto's (the PDF comes from its typst format).
_QUARTO_FORMATS = {"html": "html", "pdf": "typst"}


def quarto_available() -> bool:
    return shutil.which("quarto") is not None


def render_with_quarto(qmd, out_dir, formats=("html", "pdf"), *, cwd=None, quiet=False, log=print) -> dict[str, Path]:
    """Render with ``quarto render`` into a scratch dir, then move into ``out_dir``.

    ``cwd`` is where quarto runs (default: the project root); execution
    directories come from _quarto.yml as Quarto reads it.
    """
    say = (lambda *_: None) if quiet else log
    exe = shutil.which("quarto")
    if not exe:
        raise RenderError("quarto is not on PATH; use analysis.render.render() instead")
    formats = check_formats(formats)
    qmd, out_dir = Path(qmd).resolve(), Path(out_dir).resolve()
    cwd = Path(cwd).resolve() if cwd else find_project_root(qmd.parent) or qmd.parent
    out_dir.mkdir(parents=True, exist_ok=True)
    scratch = scratch_dirs.make(out_dir, ".quarto-")  # marked: a later render may remove it if this one is killed
    cmd = [exe, "render", str(qmd), "--output-dir", str(scratch)]
    if len(formats) == 1:  # both: every format _quarto.yml lists
        cmd += ["--to", _QUARTO_FORMATS[formats[0]]]
    if quiet:
        cmd.append("--quiet")

    say(f"render: quarto route ({exe}) for {qmd.name}")
    start = time.perf_counter()
    try:
        # Quarto runs cells with QUARTO_PYTHON, else whatever python3 is on PATH, which may
        # lack this project's packages: default to the interpreter running us.
        env = {**os.environ, "QUARTO_PYTHON": os.environ.get("QUARTO_PYTHON") or sys.executable}
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
        if proc.returncode:
            tail = " / ".join(proc.stderr.strip().splitlines()[-5:])
            raise RenderError(f"quarto render failed (exit {proc.returncode}): {tail}", proc.stderr)
        made = {f: scratch / (qmd.stem + (".html" if f == "html" else ".pdf")) for f in formats}
        missing = [str(p) for p in made.values() if not p.is_file()]
        if missing:
            raise RenderError(f"quarto render made no {', '.join(missing)}", proc.stderr)
        final = publish(made, out_dir, qmd.stem)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for fmt, path in final.items():
        say(f"render: {fmt} -> {path}")
    say(f"render: done in {time.perf_counter() - start:.1f}s")
    return final
