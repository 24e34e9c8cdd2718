"""The built-in route: .qmd -> HTML and PDF with pip packages only."""
from __future__ import annotations

import os
import re
import secrets
import shutil
import sysconfig
import time
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

import yaml

from analysis.io import scratch

from . import freeze, pandoc, pdf
from .assemble import assemble
from .errors import RenderError
from .execute import execute
from .qmd import Document, execute_dir, load

EXTENSIONS = {"html": ".html", "pdf": ".pdf"}
# The explorer's embedded evidence (report/explorer.py): JSON with <, > and & escaped, so it holds no tag.
DATA_BLOB = re.compile(r'(<script type="application/json" id="ev-data">)(.*?)(</script>)', re.S)


class RenderResult(dict):
    """``{format: output path}``, plus what the tools warned about and stage timings."""

    def __init__(self, outputs: dict, warnings: list[str], timings: dict[str, float]):
        super().__init__(outputs)
        self.warnings = warnings
        self.timings = timings


def check_formats(formats) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys([formats] if isinstance(formats, str) else formats))
    unknown = [f for f in formats if f not in EXTENSIONS]
    if unknown or not formats:
        raise RenderError(f"formats must be among {sorted(EXTENSIONS)}, got {list(formats)}")
    return formats


def format_option(config: dict, fmt: str, key: str, default):
    """A format's option as Quarto reads it: format.<fmt>.<key>, else top level."""
    options = (config.get("format") or {}).get(fmt)
    if isinstance(options, dict) and key in options:
        return options[key]
    return config.get(key, default)


def page_options(config: dict) -> dict:
    """The PDF page as _quarto.yml's typst format sets it (Quarto's defaults otherwise)."""
    return {
        "papersize": str(format_option(config, "typst", "papersize", "us-letter")),
        "margin": {str(k): str(v) for k, v in (format_option(config, "typst", "margin", None) or {"x": "1.25in", "y": "1.25in"}).items()},
        "fontsize": str(format_option(config, "typst", "fontsize", "11pt")),
    }


def publish(outputs: dict[str, Path], out_dir: Path, stem: str) -> dict[str, Path]:
    """Move finished files into place; nothing moves unless all were made."""
    final = {}
    for fmt, tmp in outputs.items():
        final[fmt] = out_dir / (stem + EXTENSIONS[fmt])
        os.replace(tmp, final[fmt])
    return final


def up_to_date(qmd, out_dir, formats=("html", "pdf"), *, cwd=None, inputs=()) -> RenderResult | None:
    """The last render's result if ``render()`` would keep it as it is (nothing changed), else None.

    Cheap (reads the document, stats files): a caller may skip its own
    checks of inputs that the last render already saw.
    """
    formats = check_formats(formats)
    qmd, out_dir = Path(qmd).resolve(), Path(out_dir).resolve()
    doc = load(qmd)
    cwd = Path(cwd).resolve() if cwd else execute_dir(doc)
    targets = {fmt: out_dir / (qmd.stem + EXTENSIONS[fmt]) for fmt in formats}
    stamp = freeze.stamp_path(out_dir, qmd.stem)
    watched = _watched(doc, cwd, out_dir, targets, stamp, inputs)
    kept = freeze.unchanged(stamp, freeze.fingerprint(doc, formats, *watched), targets)
    return None if kept is None else RenderResult(targets, kept, {})


def render(qmd, out_dir, formats=("html", "pdf"), *, cwd=None, quiet=False, log=print,
           inputs=(), force=False, ready=None) -> RenderResult:
    """Render ``qmd`` to ``out_dir/<stem>.html`` / ``.pdf`` without Quarto.

    Outputs are replaced only when every requested format succeeded; on any
    failure a RenderError is raised and earlier outputs stay as they were.
    When nothing the render reads has changed since the last one (freeze.py;
    ``inputs``: folders the cells read besides the project, such as the data)
    and its outputs are untouched, they are kept as they are, unless ``force``.
    ``ready()`` is waited for once the kernel has started, before the first cell (execute.py).
    """
    say = (lambda *_: None) if quiet else log
    formats = check_formats(formats)
    qmd, out_dir = Path(qmd).resolve(), Path(out_dir).resolve()
    timings: dict[str, float] = {}

    @contextmanager
    def stage(name):
        start = time.perf_counter()
        yield
        timings[name] = time.perf_counter() - start

    say(
        f"render: built-in route (jupytext, nbclient, pandoc {pandoc.version()}, "
        f"typst {metadata.version('typst')}) for {qmd.name}"
    )
    with stage("read"):
        doc = load(qmd)
    cwd = Path(cwd).resolve() if cwd else execute_dir(doc)
    out_dir.mkdir(parents=True, exist_ok=True)

    targets = {fmt: out_dir / (qmd.stem + EXTENSIONS[fmt]) for fmt in formats}
    stamp = freeze.stamp_path(out_dir, qmd.stem)
    watched = _watched(doc, cwd, out_dir, targets, stamp, inputs)
    with stage("check"):
        kept = None if force else freeze.unchanged(stamp, freeze.fingerprint(doc, formats, *watched), targets)
    if kept is not None:
        for w in kept:
            say(f"warning: {w}")
        say(f"render: nothing changed since the last render; kept {', '.join(str(p) for p in targets.values())}")
        return RenderResult(targets, kept, timings)
    build = scratch.make(out_dir, ".render-")  # marked: a later render may remove it if this one is killed
    try:
        with stage("execute"):
            execute(doc, cwd, build / "kernel.log", ready=ready)
        made, warnings = _convert(doc, build, formats, cwd, stage)
        final = publish(made, out_dir, qmd.stem)
    finally:
        shutil.rmtree(build, ignore_errors=True)
    # Taken after the render, so what the cells wrote themselves (figures/) counts as seen.
    freeze.save(stamp, freeze.fingerprint(doc, formats, *watched), final, warnings)

    for w in warnings:
        say(f"warning: {w}")
    for fmt, path in final.items():
        say(f"render: {fmt} -> {path}")
    total = sum(timings.values())
    say(f"render: done in {total:.1f}s (" + ", ".join(f"{k} {v:.2f}s" for k, v in timings.items()) + ")")
    return RenderResult(final, warnings, timings)


def _watched(doc: Document, cwd: Path, out_dir: Path, targets: dict, stamp: Path, inputs) -> tuple:
    """(roots, excluded, tools) for freeze.fingerprint: what the render may read, minus what it writes."""
    project = doc.project_root or doc.path.parent
    roots = [project, cwd, freeze.PACKAGE, *map(Path, inputs)]
    # The document and _quarto.yml are in the fingerprint by content.
    exclude = [doc.path, project / "_quarto.yml", *targets.values(), stamp]
    if not any(r.resolve().is_relative_to(out_dir) for r in roots):
        exclude.append(out_dir)
    output_dir = (doc.config.get("project") or {}).get("output-dir")
    if output_dir:
        exclude.append(project / output_dir)
    site = Path(sysconfig.get_paths()["purelib"])
    tools = {"pandoc": pandoc.version(), "typst": metadata.version("typst"),
             "site-packages": site.stat().st_mtime_ns if site.exists() else None}
    return roots, exclude, tools


def _convert(doc: Document, build: Path, formats, cwd: Path, stage) -> tuple[dict[str, Path], list[str]]:
    """Executed document -> files in ``build``: markdown, then HTML and Typst side by side, then PDF."""
    stem = doc.path.stem
    warnings: list[str] = []
    with stage("assemble"):
        md = build / f"{stem}.md"
        text, blobs, marker = set_aside(assemble(doc, build, warnings.append))
        md.write_text(text, encoding="utf-8")

    resources = [build, doc.path.parent, cwd]
    made, jobs = {}, []
    if "html" in formats:
        made["html"] = build / f"{stem}.html"
        jobs.append(pandoc.html_args(
            md, made["html"], resources,
            toc=format_option(doc.config, "html", "toc", True),
            toc_title=format_option(doc.config, "html", "toc-title", "Contents"),
            title=doc.config.get("title"),
            pdf_link=f"{stem}.pdf" if "pdf" in formats else None,
        ))
    typ = build / f"{stem}.typ"
    if "pdf" in formats:
        page = build / "page.yaml"
        page.write_text(yaml.safe_dump(page_options(doc.config)), encoding="utf-8")
        jobs.append(pandoc.typst_args(
            md, typ, resources,
            toc=format_option(doc.config, "typst", "toc", False),
            fonts=pdf.font_families(),
            page=page,
        ))
    with stage("pandoc"):
        warnings += pandoc.run(jobs, cwd=build)
        if "html" in formats and blobs:
            made["html"].write_text(put_back(made["html"].read_text(encoding="utf-8"), blobs, marker), encoding="utf-8")

    if "pdf" in formats:
        made["pdf"] = build / f"{stem}.pdf"
        with stage("typst"):
            warnings += pdf.compile_pdf(typ, made["pdf"])
    return made, warnings


def set_aside(md: str) -> tuple[str, list[str], str]:
    """The explorer's data out of the markdown, each blob a marker until pandoc is done: pandoc's
    resource embedding crawls through the JSON (10 s for 1.8 MB, most of a render's pandoc time).
    Returns the markdown, the blobs and the marker's random stem."""
    marker, blobs = f"framing-blob-{secrets.token_hex(8)}-", []

    def keep(m: re.Match) -> str:
        blobs.append(m.group(2))
        return f"{m.group(1)}{marker}{len(blobs) - 1}{m.group(3)}"
    return DATA_BLOB.sub(keep, md), blobs, marker


def put_back(html: str, blobs: list[str], marker: str) -> str:
    """Each marker inside its own script element (never one in the text) replaced by its blob."""
    where = re.compile(r'(<script type="application/json" id="ev-data">)' + re.escape(marker) + r"(\d+)(</script>)")
    return where.sub(lambda m: m.group(1) + blobs[int(m.group(2))] + m.group(3), html)
