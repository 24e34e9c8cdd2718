"""Run pandoc (from pypandoc-binary): markdown -> standalone HTML and -> Typst."""
from __future__ import annotations

import subprocess
from functools import lru_cache
from pathlib import Path

from .errors import RenderError

HERE = Path(__file__).parent
# No raw HTML from text: "<b>" in an article quote stays literal.  Deliberate raw
# output goes through ```{=html} blocks.  _quarto.yml sets the same reader.
READER = "markdown-raw_html"
_FILTERS = ("study.lua", "formats.lua", "crossref.lua", "callouts.lua", "rtl.lua", "keep.lua", "tables.lua")


@lru_cache(maxsize=None)
def pandoc_exe() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


@lru_cache(maxsize=None)
def version() -> str:
    out = subprocess.run([pandoc_exe(), "--version"], capture_output=True, text=True).stdout
    return out.split("\n", 1)[0].split()[-1]


def _common(md: Path, out: Path, resource_path: list[Path], filters=_FILTERS) -> list[str]:
    args = [pandoc_exe(), str(md), "-f", READER, "-o", str(out), "--standalone"]
    args.append("--resource-path=" + ":".join(map(str, resource_path)))
    args += [f"--lua-filter={HERE / f}" for f in filters]
    return args


def html_args(
    md: Path, out: Path, resource_path: list[Path], *, toc: bool, toc_title: str, title: str | None,
    pdf_link: str | None = None,
) -> list[str]:
    """``pdf_link``: where the page links to its PDF (made in the same render)."""
    args = _common(md, out, resource_path) + ["-t", "html5", "--embed-resources"]
    args += [f"--template={HERE / 'template.html'}"]
    args += [f"--css={HERE / 'report.css'}", f"--css={HERE / 'standalone.css'}"]
    if toc:
        args += ["--toc", "--toc-depth=3", "-M", f"toc-title={toc_title}"]
    if pdf_link:
        args += ["-M", f"pdf-link={pdf_link}"]
    if not title:
        args += ["-M", f"pagetitle={md.stem}"]  # pandoc insists on a <title>
    return args


def typst_args(
    md: Path, out: Path, resource_path: list[Path], *, toc: bool, fonts: list[str], page: Path | None = None
) -> list[str]:
    """``page``: a metadata file with papersize, margin and fontsize, as _quarto.yml's typst format sets them."""
    args = _common(md, out, resource_path, _FILTERS + ("typst-images.lua",))
    args += ["-t", "typst", f"--template={HERE / 'template.typ'}", f"--include-in-header={HERE / 'layout.typ'}"]
    # Quarto's typst format makes `##` the top heading level (`=`); so does this.
    args.append("--shift-heading-level-by=-1")
    if page:
        args.append(f"--metadata-file={page}")
    args += [f"--variable=mainfont:{f}" for f in fonts]
    if toc:
        args.append("--toc")
    return args


def run(jobs: list[list[str]], cwd: Path) -> list[str]:
    """Run pandoc jobs side by side; return their warnings, raise on failure."""
    procs = [subprocess.Popen(a, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for a in jobs]
    warnings, failures = [], []
    for args, proc in zip(jobs, procs):
        _, err = proc.communicate()
        lines = [line for line in err.splitlines() if line.strip()]
        to = args[args.index("-t") + 1]
        if proc.returncode:
            failures.append(f"pandoc -t {to} failed (exit {proc.returncode}): " + " / ".join(lines[:5]))
        warnings += [f"pandoc -t {to}: {line}" for line in lines]
    if failures:
        raise RenderError("\n".join(failures), "\n".join(warnings))
    return warnings
