"""The study as Python calls: ``code`` and ``render`` a data folder (what the CLI's commands do).

    from analysis.api import render
    result = render("data", "_output", to="html")     # {"html": Path(...)}, .warnings, .kept

``render`` checks every input without coding, codes the corpus through the same streaming
path as ``code`` (cache, batches, CSV + Parquet under OUT/tables/), then runs the document,
whose kernel reads those tables instead of coding again.  Errors are raised, never printed:
``InputError`` for bad input (nothing of the previous briefing is lost), ``RenderError`` when
a tool fails, ``OutputError`` when the output folder cannot be written.
"""
from __future__ import annotations

import inspect
import os
from pathlib import Path
from types import SimpleNamespace

from analysis.io.errors import InputError, Problems

__all__ = ["code", "evidence_db", "explore", "render"]


def code(data_dir: Path | str = "data", out: Path | str = "_output", *, jobs: int | None = None, scheduler=None,
         progress: bool = False, problems: Problems | None = None, dedupe: bool | None = None):
    """Code ``data_dir`` into ``out``/tables/; returns (run, stream, CSV paths).

    Refuses (``InputError``) a codebook pattern that marks nearly every sentence, and, when
    ``problems`` is given, a translations or gold file that does not fit the articles; notes
    (tolerated problems) stay on ``problems``."""
    from analysis.results.evaluate import GOLD, gold_articles
    from analysis.results.stream import code_tables
    from analysis.validate import check_pointers, overbroad_from
    data_dir = Path(data_dir)

    def check(run, stream, found: Problems) -> None:
        overbroad_from(*stream.counts(), run.codebook, found)
        if problems is not None:
            check_pointers(data_dir, run, stream.kept, found)
            problems.items += [p for p in found.items if p not in found.errors]

    keep = gold_articles(data_dir / GOLD) if problems is not None else set()
    return code_tables(data_dir, Path(out), jobs=jobs, scheduler=scheduler, progress=progress, on_run=check,
                       keep_articles=keep, dedupe=dedupe)


def kernel_env(data_dir: Path, out: Path, jobs: int | None, scheduler, dedupe: bool) -> None:
    """Everything a render puts in its kernel's environment (which the render's fingerprint covers): the
    data, the tables `code` wrote, where figures and history go, the dedupe flag and the coding's jobs."""
    from analysis.pipeline import DEDUPE_ENV, JOBS_ENV, SCHEDULER_ENV
    from analysis.report.changes import OUT_ENV
    from analysis.report.store import CACHE_ENV, DATA_ENV, FIGURES_ENV, TABLES_ENV  # not briefing's 0.4 s of imports
    os.environ[DATA_ENV] = str(Path(data_dir).resolve())  # the kernel inherits it: report.qmd reads any corpus
    os.environ[CACHE_ENV] = str((Path(out) / ".cache").resolve())
    os.environ[FIGURES_ENV] = str((Path(out) / "figures").resolve())
    os.environ[OUT_ENV] = str(Path(out).resolve())  # where the kernel finds the last render's tables
    os.environ[TABLES_ENV] = str((Path(out) / "tables").resolve())  # coded by then: the kernel reads, never codes
    os.environ[DEDUPE_ENV] = "1" if dedupe else "0"  # the kernel leaves the same near-copies out of its corpus
    if jobs:
        os.environ[JOBS_ENV] = str(jobs)
    if scheduler:
        os.environ[SCHEDULER_ENV] = str(scheduler)


def _formats(to: str) -> tuple[str, ...]:
    return ("html", "pdf") if to == "both" else (to,)


def unchanged(data_dir: Path | str, out: Path | str, to: str = "both", qmd: Path | str = "report.qmd", *,
              jobs: int | None = None, scheduler=None, dedupe: bool | None = None):
    """The last render's result if nothing it read changed since (built-in route), else None."""
    from analysis.render import RenderError, up_to_date
    from analysis.report.store import TABLES_ENV
    from analysis.report.story import dedupe_wanted
    data_dir, out = Path(data_dir), Path(out)
    # the environment as the last render's kernel had it: without it the fingerprint never matched,
    # and every render coded (through the cache) before its route found nothing changed
    kernel_env(data_dir, out, jobs, scheduler, bool(dedupe) or dedupe_wanted(data_dir))
    try:
        return up_to_date(Path(qmd), out, _formats(to), inputs=[data_dir])
    except (RenderError, OSError):
        return None  # the render itself will say what is wrong
    finally:
        os.environ.pop(TABLES_ENV, None)


def render(data_dir: Path | str = "data", out: Path | str = "_output", to: str = "both", *,
           qmd: Path | str = "report.qmd", force: bool = False, builtin: bool = False, jobs: int | None = None,
           scheduler=None, quiet: bool = True, log=print, starting=None, dedupe: bool | None = None):
    """Render the briefing of ``data_dir`` into ``out`` (``to``: "html", "pdf" or "both").

    Returns ``{format: path}`` with ``.warnings`` and ``.kept`` (True when nothing changed
    since the last render and its outputs were kept; ``force`` renders anyway).  Quarto is
    used when on PATH, unless ``builtin``.  ``starting()`` is called once a render is under way.
    """
    from analysis.io.scratch import render_lock
    from analysis.render import RenderError, quarto_available, render_with_quarto
    from analysis.render import render as builtin_route
    from analysis.render.builtin import RenderResult
    from analysis.report.store import TABLES_ENV
    from analysis.results.changes import discard, promote
    data_dir, out = Path(data_dir), Path(out)
    _check_render_paths(Path(qmd), out)
    use_quarto = quarto_available() and not builtin
    if not force and not use_quarto and (kept := unchanged(data_dir, out, to, qmd, jobs=jobs, scheduler=scheduler,
                                                              dedupe=dedupe)) is not None:
        kept.kept = True
        return kept
    if starting is not None:
        starting()
    problems = check_inputs(data_dir)
    say = (lambda *_: None) if quiet else log
    with render_lock(out) as stale:
        if stale:
            say(f"removed {len(stale)} scratch folder(s) left by an interrupted render")
        from analysis.report.story import dedupe_wanted
        dedupe = bool(dedupe) or dedupe_wanted(data_dir)
        # coded in a process of its own: the corpus it holds is let go before the kernel starts; it
        # writes evidence.sqlite (what only `explore` reads) while the kernel runs on the other core
        coder = Child(_code_and_index, data_dir, out, jobs, scheduler, not quiet, problems, dedupe)
        coded: dict = {}

        def ready() -> None:  # the tables are written: the kernel may read them
            coded["notes"], problems.items = coder.next()
        try:
            kernel_env(data_dir, out, jobs, scheduler, dedupe)
            route = render_with_quarto if use_quarto else builtin_route
            if use_quarto:
                ready()
            # the built-in route starts its kernel while the coding runs (about 2 s of start-up and imports)
            extra = {} if use_quarto else {"inputs": [data_dir], "force": True, "ready": ready}  # `unchanged`: checked
            try:
                outputs = route(Path(qmd), out, _formats(to), quiet=quiet, log=log, **extra)
            except RenderError:
                discard(out)  # a failed render never becomes the baseline of the changes box
                raise
            finally:
                os.environ.pop(TABLES_ENV, None)
            _indexed(coder, out, Path(qmd))
        finally:
            coder.join()  # never left writing into the output folder after the render's lock is let go
    promote(out)  # this render's tables become the baseline of the next one's changes box
    if not isinstance(outputs, RenderResult):  # the Quarto route gives a plain {format: path}
        outputs = RenderResult(outputs, [], {})
    outputs.warnings = coded["notes"] + [p.what for p in problems.items] + list(outputs.warnings)
    outputs.kept = False
    return outputs



def _indexed(coder: Child, out: Path, qmd: Path) -> None:
    """Wait for the coding process's evidence.sqlite; when it failed, the render did too: its tables are
    not the next one's baseline, and its outputs are not kept as up to date."""
    from analysis.render import freeze
    from analysis.results.changes import discard
    try:
        coder.next()
    except BaseException:
        discard(out)
        freeze.forget(freeze.stamp_path(out, qmd.stem))
        raise


def _code_and_index(data_dir: Path, out: Path, jobs, scheduler, progress: bool, problems: Problems, dedupe: bool):
    """What `render`'s coding process does, in two steps: code (as `code`) and yield the corpus's
    warnings and the notes (the kernel may start); then write evidence.sqlite (what `explore` serves
    and the briefing's counts link into; the kernel never reads it) and yield None."""
    run = code(data_dir, out, jobs=jobs, scheduler=scheduler, progress=progress, problems=problems, dedupe=dedupe)[0]
    yield list(run.corpus.warnings), problems.items
    evidence_db(data_dir, out, run)
    yield None


def _child(conn, fn, args) -> None:
    try:
        result = fn(*args)
        for value in result if inspect.isgenerator(result) else (result,):  # a generator: its steps one by one
            conn.send(("ok", value))
    except BaseException as e:  # noqa: BLE001 - handed to the parent, which raises it
        conn.send(("error", (type(e), e.args, dict(getattr(e, "__dict__", {})))))
    finally:
        conn.close()


class Child:
    """``fn(*args)`` in a child process, its result or exception handed back: the memory it used goes
    back to the system when it ends (a Python process keeps what it freed).  Forked when this process
    has one thread (it inherits the imports), else spawned.  A generator ``fn`` hands back each value
    it yields, one per ``next()``, and goes on with its next step while the parent works."""

    def __init__(self, fn, *args):
        import multiprocessing
        import sys
        import threading
        fork = sys.platform.startswith("linux") and threading.active_count() == 1
        ctx = multiprocessing.get_context("fork" if fork else "spawn")
        self.conn, child = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=_child, args=(child, fn, args))
        self.process.start()
        child.close()

    def next(self):
        """The child's next value; its exception, raised here, when it failed."""
        try:
            kind, value = self.conn.recv()
        except EOFError:
            self.process.join()
            raise RuntimeError(f"the coding process ended without a result (exit code {self.process.exitcode}; "
                               "-9 is the system's out-of-memory killer)") from None
        except BaseException:  # interrupted: the child (in the same process group) was told too
            self.join(10)
            raise
        if kind == "ok":
            return value
        self.process.join()
        cls, eargs, attrs = value
        e = cls.__new__(cls)
        e.args = eargs
        e.__dict__.update(attrs)
        raise e

    def join(self, timeout: float | None = None) -> None:
        """Wait for the child to end (it is finishing a step, or was interrupted too); stopped after ``timeout``."""
        self.process.join(timeout)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
        self.conn.close()


def in_child(fn, *args):
    """``fn(*args)`` in a child process (``Child``), waited for."""
    child = Child(fn, *args)
    try:
        return child.next()
    finally:
        child.join()


def _check_render_paths(qmd: Path, out: Path) -> None:
    """Said before any work: a document that is not UTF-8 (or not a file), and history folders of the user's."""
    from analysis.io.errors import InputError, Problem, display_path
    from analysis.io.paths import read_regular
    from analysis.io.yamlio import decode
    from analysis.results.changes import foreign
    decode(read_regular(qmd), display_path(qmd))
    if (theirs := foreign(out)):  # a render replaces its history: never a folder of the user's
        raise InputError([Problem(str(p), None, "holds files a render did not write, where a render keeps its history",
                                  "move it out of the output folder, or render into another folder with --out") for p in theirs])

def check_inputs(data_dir: Path) -> Problems:
    """The files only the briefing reads (report.yaml, glossary, events) against the codebook, before
    anything is coded; the corpus and the coding's inputs are checked as the coding loads them.  On
    any error every input is checked, so that one message lists all problems.  Returns the notes."""
    from analysis.inputs.codebook import CODEBOOK, load_codebook
    from analysis.inputs.corpus import load_events
    from analysis.inputs.study import Study
    from analysis.validate import check_story
    problems = Problems()
    try:
        codebook = load_codebook(Path(data_dir) / CODEBOOK, problems)
    except InputError as e:
        problems.items += e.problems
        codebook = None
    load_events(data_dir, problems)
    if codebook is not None and not problems.errors:
        check_story(data_dir, codebook.labels(), problems)
    if problems.errors:  # say everything that is wrong, not only the first file's problems
        full = Problems()
        try:
            Study.load(data_dir, full)
        except InputError as e:
            full.items += e.problems
        problems.items = full.items + [p for p in problems.items if p not in full.items]
    problems.raise_if_any()
    return problems


def evidence_db(data_dir: Path | str, out: Path | str, run=None) -> Path:
    """OUT/tables/evidence.sqlite from the tables `code` wrote (``run``: that coding's, for its corpus
    and codebook; else the inputs are loaded again)."""
    from analysis.results.evidence import TRANSLATIONS, load_translations
    from analysis.results.evidence_db import build, inputs_digest
    data_dir = Path(data_dir)
    if run is None:
        from analysis.inputs.study import Study
        study = Study.load(data_dir)
        run = SimpleNamespace(corpus=study.corpus, codebook=study.codebook, actors=study.actors)
    path = data_dir / TRANSLATIONS
    translations = load_translations(path, run) if path.exists() else {}
    return build(Path(out) / "tables", translations, run.codebook.labels(), *_camps_and_groups(run),
                 inputs=inputs_digest(data_dir))


def _camps_and_groups(run):
    """The speaker → camp map and the outlet groups the briefing's tables use, for the explore app's filters."""
    from analysis.report import front
    return front.camp_of(run), front.group_of(run)


def explore(data_dir: Path | str = "data", out: Path | str = "_output", port: int | None = None, *,
            recode: bool = False, progress: bool = False):
    """A server for the study's whole evidence on 127.0.0.1 (``serve_forever()`` it).  It serves what
    the last `render` or `explore` wrote; the data is coded first (through the cache) when that is
    missing or older than the tables, or with ``recode``."""
    from analysis.report.explore import serve
    from analysis.report.explorer import EXPLORE_PORT
    from analysis.results.evidence_db import fresh, inputs_digest
    data_dir, out = Path(data_dir), Path(out)
    tables = out / "tables"
    if recode or not fresh(tables, inputs_digest(data_dir)):
        check_inputs(data_dir)
        run, _, _ = code(data_dir, out, progress=progress)
        evidence_db(data_dir, out, run)
    return serve(tables, EXPLORE_PORT if port is None else port)
