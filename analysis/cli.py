"""Command line: python -m analysis <command> [--data DIR] ...

The library raises InputError; this is the one place that turns it into an
"ERROR file:line: what / fix:" message and a non-zero exit, with no traceback.
Everything goes out through ``say``: no control or bidi character from the data reaches the terminal.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from analysis.io.errors import InputError, Problem, SchedulerError, os_problem
from analysis.io.output import OutputError
from analysis.io.untrusted import say  # every message may echo data: one terminal-safe printer

EXIT_INPUT = 2
EXIT_ENVIRONMENT = 1


class Reporter:
    """Progress and stage timings on stderr; --quiet keeps only errors and the summary."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.t0 = time.perf_counter()
        self.stages: list[tuple[str, float]] = []
        self.warnings: list[str] = []
        self.throughput = ""

    def log(self, msg: str) -> None:
        if not self.quiet:
            say(msg, file=sys.stderr)

    def stage(self, name: str):
        reporter = self

        class _Stage:
            def __enter__(self):
                self.t = time.perf_counter()

            def __exit__(self, *exc):
                dt = time.perf_counter() - self.t
                reporter.stages.append((name, dt))
                reporter.log(f"  {name}: {dt:.2f}s")

        return _Stage()

    def summary(self, outputs: list[Path]) -> None:
        total = time.perf_counter() - self.t0
        for p in outputs:
            say(f"wrote {p}")
        if self.throughput:
            say(self.throughput, file=sys.stderr)
        for w in self.warnings:
            say(f"warning: {w}", file=sys.stderr)
        say(f"done in {total:.1f}s" + (f", {len(self.warnings)} warning(s)" if self.warnings else ""), file=sys.stderr)


def _analyse(args, rep: Reporter):
    from analysis.pipeline import analyse
    with rep.stage("analysis"):
        a = analyse(args.data, progress=not args.quiet, cache_dir=args.out / ".cache", jobs=args.jobs,
                    scheduler=args.scheduler, dedupe=args.dedupe or None)
    rep.throughput = throughput(a.stats, len(a.segments), len(a.mentions), len(a.stances))
    cache_note(a.stats)
    return a


def cache_note(stats: dict) -> None:
    """Cache entries that did not check were recomputed: say so once (they may be a colleague's)."""
    if stats.get("cache_note"):
        say(f"note: {stats['cache_note']}", file=sys.stderr)


def throughput(st: dict, sentences: int, mentions: int, frame_sentences: int) -> str:
    where = f"on the Dask cluster at {st['scheduler']}" if st["scheduler"] else \
        ("serially" if st["jobs"] == 1 else f"with {st['jobs']} processes")
    return (f"coded {st['articles']} article(s) in {st['seconds']:.1f}s ({st['articles_per_s']:.1f} articles/s, "
            f"{where}; {st['cached']} from the cache{recoded(st)}); {sentences} sentences, "
            f"{mentions} mentions, {frame_sentences} frame sentences")


def recoded(st: dict) -> str:
    """Which frames were coded again, in how many articles, and of an edited frame how many of its indicators
    (the others' rows came from the cache); nothing on a run that coded every frame of every article."""
    done, partly, revised = st.get("recoded", {}), st.get("partly", {}), st.get("revised", {})
    frames = [f for f in st.get("frames", []) if f in done]  # in the codebook's order
    wholly = {f: done[f] - partly.get(f, 0) for f in frames}
    plain = [f for f in frames if not partly.get(f)]
    counts = {wholly[f] for f in plain}
    if len(plain) == len(st.get("frames", [])) and counts == {st["articles"]} == {st.get("segmented")}:  # cold
        return ""
    parts = [_partly(f, partly[f], wholly[f], revised.get(f)) for f in frames if partly.get(f)]
    if plain and len(counts) == 1 and len(plain) == len(st.get("frames", [])) - len(parts):  # the rest alike
        parts.append(f"{'every other' if parts else 'every'} frame in {counts.pop()} article(s)")
    else:
        parts += [f"{f} in {wholly[f]} article(s)" for f in plain]
    return "; coded again: " + ", ".join(parts) if parts else ""


def _partly(frame: str, part: int, whole: int, sizes: tuple | None) -> str:
    """An edited frame: its changed indicators coded in ``part`` articles, all of it in ``whole`` (no earlier rows)."""
    changed, total = sizes or (0, 0)
    what = f"{changed} of its {total} indicators" if changed else "no indicator coded, its cached rows kept,"
    return f"{frame}: {what} in {part} article(s)" + (f", all of it in {whole}" if whole else "")


def cmd_validate(args, rep: Reporter) -> int:
    from analysis.io.errors import Problems
    from analysis.validate import validate_all
    problems = Problems()
    validate_all(args.data, problems)
    for p in problems.items:
        say(p, file=sys.stderr)
    n = len(problems.errors)
    say(f"{args.data}: {'OK' if n == 0 else f'{n} problem(s)'}" + (f", {len(problems.items) - n} note(s)" if len(problems.items) > n else ""))
    return 0 if n == 0 else EXIT_INPUT


def cmd_code(args, rep: Reporter) -> int:
    """Code the corpus and write the tables as the batches come in (bounded memory at any size)."""
    from analysis.api import code
    from analysis.results.tables import wide
    with rep.stage("analysis"):
        run, stream, paths = code(args.data, args.out, jobs=args.jobs, scheduler=args.scheduler,
                                  progress=not args.quiet, dedupe=args.dedupe or None)
    rep.throughput = throughput(run.stats, stream.rows["segments"], stream.rows["mentions"],
                                stream.rows["frame_sentences"])
    cache_note(run.stats)
    rep.warnings += run.corpus.warnings
    say("Sentences carrying each frame, by outlet (counting unit: sentence)\n")
    say(wide(stream.small["outlet_frame"], "sentences").to_string())
    if run.corpus.set_aside:
        say(f"{len(run.corpus.set_aside)} near-copy(ies) set aside (--dedupe): each story counted once", file=sys.stderr)
    rep.summary(paths)
    return 0


def cmd_kwic(args, rep: Reporter) -> int:
    from analysis.match.kwic import kwic
    a = _analyse(args, rep)
    hits = kwic(a, args.pattern, regex=args.regex, width=args.width)
    for h in hits.itertuples(index=False):
        say(f"{h.outlet} {h.date} {h.sentence_id} [{h.start}:{h.end}]\n    …{h.left}【{h.match}】{h.right}…")
    say(f"{len(hits)} hit(s) in {hits.sentence_id.nunique() if len(hits) else 0} sentence(s)")
    return 0


def cmd_explain(args, rep: Reporter) -> int:
    from analysis.coding.explain import explain
    a = _analyse(args, rep)
    say(explain(a, sentence_id=args.sentence, text=args.text, language=args.language, show_all=args.all))
    return 0


def cmd_add(args, rep: Reporter) -> int:
    from analysis.add import add_article
    paths = add_article(args)
    rep.summary(paths)
    return 0


def cmd_import(args, rep: Reporter) -> int:
    from analysis.ingest.run import REJECTS, Options, describe, import_source
    columns = {f: getattr(args, f"col_{f}") for f in ("text", "title", "date", "outlet", "url", "language", "id")}
    opts = Options(args.source, columns, dayfirst=True if args.dayfirst else (False if args.monthfirst else None),
                   skip_bad=args.skip_bad, rejects=args.rejects or args.out / REJECTS, metadata=args.metadata,
                   progress=not args.quiet)
    report = import_source(args.data, opts)
    print(describe(report))
    rep.summary(report.written)
    return 0


def cmd_evaluate(args, rep: Reporter) -> int:
    from analysis.io.output import write_tables
    from analysis.results.evaluate import GOLD, evaluate
    a = _analyse(args, rep)
    gold = args.gold or args.data / GOLD
    with rep.stage("evaluation"):
        ev = evaluate(a, gold)
    say(ev.summary_text())
    rep.summary(write_tables(args.out, ev.tables()))
    return 0


def cmd_sample(args, rep: Reporter) -> int:
    from analysis.io.output import write_bytes, write_csv, write_text
    from analysis.results import sampling
    a = _analyse(args, rep)
    sample = sampling.draw(a, args.n, by=args.by, seed=args.seed, unit=args.unit, coded_share=args.coded_share)
    folder = args.out / "coding"
    paths = [write_bytes(folder / "sample.xlsx", sampling.sheet_xlsx(sample, a.codebook)),
             write_text(folder / "sample.csv", sampling.sheet_csv(sample)),
             write_csv(folder / "sample_design.csv", sample.design)]
    say(sample.summary())
    say("give each coder a copy of sample.xlsx (or sample.csv) only: sample_design.csv says which units the tool coded")
    rep.summary(paths)
    return 0


def cmd_agree(args, rep: Reporter) -> int:
    from analysis.io.errors import Problems
    from analysis.io.output import write_tables
    from analysis.results import sampling
    a = _analyse(args, rep)
    problems = Problems()
    sheets = [sampling.read_sheet(p, a, problems) for p in args.sheets]
    design_path = args.design or Path(args.sheets[0]).parent / "sample_design.csv"
    design = sampling.read_design(design_path, problems)
    problems.raise_if_any()
    for p in problems.items:
        say(p, file=sys.stderr)
    names = [f"coder{i + 1}" for i in range(len(sheets))]
    table = sampling.agreement(a, sheets, names, design)
    say(f"agreement on {int(table.units.iloc[0])} unit(s) coded in every sheet"
          + (f"; recall weighted by {design_path}" if design is not None else "; no design file, so no weights"))
    say(table.set_index("frame").drop(columns="units").round(3).T.to_string())
    rep.summary(write_tables(args.out, {"agreement": table}))
    return 0


def cmd_suggest(args, rep: Reporter) -> int:
    from analysis.io.output import write_tables
    from analysis.results.evaluate import GOLD
    from analysis.results.keyness import suggest
    a = _analyse(args, rep)
    table, note = suggest(a, args.frame, args.gold or args.data / GOLD, args.measure, args.top, args.min)
    say(f"{args.frame}: words over-represented (keyness {args.measure}, positive = more in the target); {note}")
    for (name, lang), g in table.groupby(["list", "language"], sort=False):
        say(f"\n[{lang}] {name}")
        for r in g.itertuples():
            known = f"   (indicator: {r.indicator})" if r.indicator else ""
            say(f"  {r.score:8.2f}  {r.n_target:3d} / {r.n_reference:<3d} {r.feature}{known}\n            {r.sentence_id} {r.example}")
    if "missed the frame" in note and "missed by the tool" not in set(table.list):
        say(f"\n(no word of the missed units occurs {args.min} times or more and more often than elsewhere: lower --min)")
    rep.summary(write_tables(args.out, {f"suggest_{args.frame}": table}))
    return 0


def cmd_render(args, rep: Reporter) -> int:
    """A thin layer over analysis.api.render: its messages and exit codes."""
    from analysis.api import render
    from analysis.render import RenderError, quarto_available
    use_quarto = quarto_available() and not args.builtin

    def starting() -> None:
        say(f"rendering {args.qmd} with {'Quarto' if use_quarto else 'the built-in renderer (no Quarto on PATH)'}",
              file=sys.stderr)
    try:
        outputs = render(args.data, args.out, args.to, qmd=args.qmd, force=args.force, builtin=args.builtin,
                         jobs=args.jobs, scheduler=args.scheduler, quiet=args.quiet, log=rep.log, starting=starting,
                         dedupe=args.dedupe or None)
    except RenderError as e:
        say(f"ERROR render failed: {e}", file=sys.stderr)
        formats = ("html", "pdf") if args.to == "both" else (args.to,)
        kept = [p for p in (args.out / f"{Path(args.qmd).stem}.{f}" for f in formats) if p.exists()]
        say("the previous briefing is left in place: " + ", ".join(map(str, kept)) if kept else "no previous briefing to keep", file=sys.stderr)
        return 1
    if outputs.kept:
        rep.log(f"nothing changed since the last render; kept {', '.join(map(str, outputs.values()))} "
                "(--force renders anyway)")
    rep.warnings += list(outputs.warnings)
    rep.summary(list(outputs.values()))
    return 0


def cmd_translations(args, rep: Reporter) -> int:
    from analysis import translations
    from analysis.report.briefing import load
    if args.merge:
        from analysis.io.paths import require_regular
        require_regular(args.merge)  # a FIFO would block the merge forever
    b = load(args.data, figures_dir=args.out / "figures", out_dir=args.out)
    if args.merge:
        target, n = translations.merge(args.merge, args.data, b.analysis)
        say(f"merged {n} row(s) from {args.merge} into {target}")
        return 0
    sentences, words = translations.missing(b)
    paths = translations.write_missing(b, args.out)
    say(f"{len(sentences)} shown quote(s) and {len(words)} Arabic table word(s) lack a translation")
    rep.summary(paths)
    return 0


def cmd_explore(args, rep: Reporter) -> int:
    """Serve the whole evidence on 127.0.0.1 until interrupted."""
    from analysis.api import explore
    server = explore(args.data, args.out, args.port, recode=args.recode, progress=not args.quiet)
    host, port = server.server_address[:2]
    say(f"the study's evidence: http://{host}:{port}/  (loopback only; Ctrl-C stops it)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def cmd_init(args, rep: Reporter) -> int:
    from analysis.init import init_study
    if args.dir.exists() and not args.dir.is_dir():
        raise InputError(Problem(str(args.dir), None, "is a file, not a folder", "give init a new or existing folder"))
    made = init_study(args.dir, example=args.example)
    for p in made:
        say(f"created {p}")
    if not args.example:
        say("a blank study: write your frames in data/codebook.yaml (a commented template), then")
    say(f"next: cd {args.dir}; framing import EXPORT.csv (or framing add ARTICLE.html --outlet ID --outlet-en NAME "
          f"--date YYYY-MM-DD --language ar); framing validate; framing render")
    return 0


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes, 1 or more, got '{value}'")
    return n


def _share(value: str) -> float:
    try:
        x = float(value)
    except ValueError:
        x = -1.0
    if not 0 <= x <= 1:
        raise argparse.ArgumentTypeError(f"expected a share between 0 and 1, got '{value}'")
    return x


def cmd_diff(args, rep: Reporter) -> int:
    from analysis.results import changes as ch
    from analysis.results.evidence import TRANSLATIONS, load_translations
    against = args.against or ch.latest_dir(args.out)
    try:
        old = ch.read_snapshot(against)
    except ValueError as e:
        say(f"ERROR {e}\nfix: point --against at a render's history folder, e.g. {ch.latest_dir(args.out)}", file=sys.stderr)
        return EXIT_INPUT
    if old is None and args.against:
        say(f"ERROR {against}: no render tables here ({', '.join(f + '.csv' for f in ch.FILES)})\n"
              f"fix: point --against at a render's history folder, e.g. {ch.latest_dir(args.out)}", file=sys.stderr)
        return EXIT_INPUT
    a = _analyse(args, rep)
    path = args.data / TRANSLATIONS
    translations = load_translations(path, a) if path.exists() else {}
    say(ch.compare(old, ch.snapshot(a, translations)).text(), end="")
    return 0


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", type=Path, default=Path("data"), help="corpus folder laid out like data/ (default: data)")
    common.add_argument("--out", type=Path, default=Path("_output"), help="output folder (default: _output)")
    common.add_argument("--quiet", "-q", action="store_true", help="no progress output (for CI)")
    common.add_argument("--jobs", "-j", type=_positive, default=None, metavar="N",
                        help="processes that code articles (default: all cores; 1 = serial)")
    common.add_argument("--dedupe", action="store_true", help="count each story once: leave out the articles marked "
                        "duplicate_of in manifest.csv (near-copies found by import)")
    common.add_argument("--scheduler", metavar="ADDRESS", default=None,
                        help="send the per-article work to a Dask distributed scheduler, e.g. tcp://10.0.0.5:8786")
    p = argparse.ArgumentParser(prog="python -m analysis", description="Media-framing briefing: validate, code, search, explain, evaluate and render.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("validate", parents=[common], help="check every input file; exit 0 means clean")
    s.set_defaults(func=cmd_validate)
    s = sub.add_parser("code", parents=[common], help="code the corpus; write mentions and outlet × frame tables")
    s.set_defaults(func=cmd_code)
    s = sub.add_parser("kwic", parents=[common], help="keyword in context, with the codebook's normalization and clitic rules")
    s.add_argument("pattern", help="a term or phrase as in the codebook (globs *, sets <name>), or a regex with --regex")
    s.add_argument("--regex", action="store_true", help="treat PATTERN as an RE2 regex on normalized text")
    s.add_argument("--width", type=int, default=50, help="characters of context on each side")
    s.set_defaults(func=cmd_kwic)
    s = sub.add_parser("explain", parents=[common], help="why a sentence was (not) coded: normalized form, indicators, stance, speaker")
    g = s.add_mutually_exclusive_group(required=True)
    g.add_argument("sentence", nargs="?", help="sentence id, e.g. 002:s031")
    g.add_argument("--text", help="a raw sentence instead of a sentence id")
    s.add_argument("--language", default="ar", choices=["ar", "en"], help="language of --text")
    s.add_argument("--all", action="store_true", help="list every indicator, not only those that fired")
    s.set_defaults(func=cmd_explain)
    s = sub.add_parser("add", parents=[common], help="add an article (.txt or saved .html) to the corpus")
    s.add_argument("file", type=Path, help="article as plain text or a saved HTML page")
    s.add_argument("--id", help="article id (default: derived from the file name)")
    s.add_argument("--outlet", required=True, help="outlet id from outlets.csv (or a new id with --outlet-en etc.)")
    s.add_argument("--outlet-en", help="English name, to create a new outlet (enough on its own)")
    s.add_argument("--outlet-ar", help="Arabic name of a new outlet (optional)")
    s.add_argument("--country", help="country of a new outlet (optional)")
    s.add_argument("--date", default="", help="publication date YYYY-MM-DD")
    s.add_argument("--date-basis", default=None, choices=["stated", "inferred", "unknown"])
    s.add_argument("--date-confidence", default=None, choices=["high", "medium", "low"],
                   help="how sure the date is (default: medium with --date, else low)")
    s.add_argument("--date-evidence", default=None, help="the cue the date rests on, e.g. 'dateline: 21 Aug'")
    s.add_argument("--url", default="")
    s.add_argument("--title", default="")
    s.add_argument("--language", required=True, choices=["ar", "en"])
    s.set_defaults(func=cmd_add)
    s = sub.add_parser("import", parents=[common], help="import a whole export (CSV/TSV, XLSX, JSONL, Parquet, a folder "
                       "of .txt/.html pages, or a .zip of these): all rows or none")
    s.add_argument("source", type=Path, help="the export file, a folder of pages, or a .zip")
    for f, what in (("text", "the article text (plain or HTML)"), ("title", "the headline"), ("date", "the publication date"),
                    ("outlet", "the outlet's name (else the url's domain)"), ("url", "the article's address"),
                    ("language", "ar or en (else detected from the script)"), ("id", "the article id (else numbered)")):
        s.add_argument(f"--{f}", dest=f"col_{f}", metavar="COLUMN", help=f"column holding {what}")
    g = s.add_mutually_exclusive_group()
    g.add_argument("--dayfirst", action="store_true", help="read 03/04/2031 as 3 April (day/month/year)")
    g.add_argument("--monthfirst", action="store_true", help="read 03/04/2031 as 4 March (month/day/year)")
    s.add_argument("--skip-bad", action="store_true", help="import the good rows; write the bad ones with their reasons "
                   "to OUT/import_rejects.csv (default: any bad row stops the import)")
    s.add_argument("--rejects", type=Path, metavar="FILE", help="where --skip-bad writes the bad rows")
    s.add_argument("--metadata", type=Path, metavar="FILE", help="a folder's metadata sheet (default: metadata.csv or "
                   "the folder's only .csv/.xlsx), keyed by a file-name column")
    s.set_defaults(func=cmd_import)
    s = sub.add_parser("evaluate", parents=[common], help="compare the coding with hand coding (gold): P/R/F1, stance, speaker, alpha")
    s.add_argument("--gold", type=Path, help="gold file (default: DATA/gold.csv)")
    s.set_defaults(func=cmd_evaluate)
    s = sub.add_parser("sample", parents=[common], help="draw a stratified sample and write a coding sheet (XLSX, CSV) for hand coders")
    s.add_argument("--n", type=_positive, default=200, help="units to draw (default 200)")
    s.add_argument("--by", choices=["outlet", "frame", "language"], help="strata (default: none)")
    s.add_argument("--seed", type=int, default=0, help="random seed: the same seed draws the same sample (default 0)")
    s.add_argument("--unit", choices=["sentence", "article"], default="sentence", help="what a coder codes (default: sentence)")
    s.add_argument("--coded-share", type=_share, default=0.5, metavar="SHARE",
                   help="share of the sample drawn from units the tool coded, the rest from units it did not (default 0.5)")
    s.set_defaults(func=cmd_sample)
    s = sub.add_parser("agree", parents=[common], help="read filled coding sheets back: each coder against the tool, and two coders' alpha")
    s.add_argument("sheets", type=Path, nargs="+", metavar="SHEET", help="one or two filled sheets (.xlsx or .csv)")
    s.add_argument("--design", type=Path, help="the sample's design file (default: sample_design.csv beside the first sheet)")
    s.set_defaults(func=cmd_agree)
    s = sub.add_parser("suggest", parents=[common], help="words and phrases over-represented in a frame's sentences, and in the gold units the tool missed")
    s.add_argument("frame", help="a frame id of the codebook")
    s.add_argument("--gold", type=Path, help="gold file (default: DATA/gold.csv, if there is one)")
    s.add_argument("--measure", choices=["lr", "chi2"], default="lr", help="G² (lr, default) or chi² with Yates' correction")
    s.add_argument("--top", type=_positive, default=20, help="features per list (default 20)")
    s.add_argument("--min", type=_positive, default=2, help="least count in the target (default 2)")
    s.set_defaults(func=cmd_suggest)
    s = sub.add_parser("render", parents=[common], help="render the briefing to HTML and/or PDF")
    s.add_argument("--to", choices=["html", "pdf", "both"], default="both")
    s.add_argument("--qmd", default="report.qmd", help="the Quarto document (default: report.qmd)")
    s.add_argument("--builtin", action="store_true", help="use the built-in renderer even if Quarto is installed")
    s.add_argument("--force", action="store_true", help="render even when nothing changed since the last render")
    s.set_defaults(func=cmd_render)
    s = sub.add_parser("explore", parents=[common], help="the study's whole evidence as a local web app on 127.0.0.1")
    s.add_argument("--port", type=int, default=None, help="port on 127.0.0.1 (default 8765, the one the HTML briefing "
                   "links to; 0 = any free port)")
    s.add_argument("--recode", action="store_true", help="code the data first even if its tables are there")
    s.set_defaults(func=cmd_explore)
    s = sub.add_parser("translations", parents=[common],
                       help="list the shown quotes that lack a translation, or merge a translator's file back")
    g = s.add_mutually_exclusive_group(required=True)
    g.add_argument("--missing", action="store_true",
                   help="write OUT/translations_missing.csv and OUT/glossary_missing.csv for a translator")
    g.add_argument("--merge", type=Path, metavar="FILE", help="validate a filled-in file and merge it into DATA")
    s.set_defaults(func=cmd_translations)
    s = sub.add_parser("init", help="lay out a new study: report.qmd, _quarto.yml and a blank data/ (templates only)")
    s.add_argument("dir", type=Path, help="folder for the new study (created; existing files are kept)")
    g = s.add_mutually_exclusive_group()
    g.add_argument("--blank", action="store_true", help="a blank study: no frames, actors, rules, outlets or events, "
                   "commented templates (the default)")
    g.add_argument("--example", action="store_true", help="start from the seed study's codebook, actors, rules, "
                   "outlets and events instead (an example to learn from)")
    s.add_argument("--quiet", "-q", action="store_true")
    s.set_defaults(func=cmd_init, data=None, out=None)
    s = sub.add_parser("diff", parents=[common], help="what the data now changes against the last render (the next briefing's changes box)")
    s.add_argument("--against", type=Path, help="a render's tables to compare with (default: OUT/history/latest; "
                   "OUT/history/previous gives the last briefing's box)")
    s.set_defaults(func=cmd_diff)
    return p


def check_paths(args) -> None:
    """Folders where folders are expected, a file where a file is, before anything runs."""
    from analysis.io.paths import UnsafePath, check_flag
    for flag in ("data", "out", "file", "gold", "against", "merge", "qmd", "dir"):
        try:
            check_flag(getattr(args, flag, None) or "")
        except UnsafePath as e:
            raise InputError(Problem(f"--{flag}", None, str(e), e.fix)) from None
    for flag, path in (("--data", args.data), ("--out", args.out)):
        if path is not None and path.exists() and not path.is_dir():
            raise InputError(Problem(str(path), None, f"{flag} is a file, not a folder",
                                     f"give {flag} a folder" + (" (the one holding manifest.csv)" if flag == "--data" else "")))
    if getattr(args, "scheduler", None):  # a malformed address is the input's fault: said before any work
        from analysis.io.cluster import check_address
        check_address(args.scheduler)
    file = getattr(args, "file", None)
    if isinstance(file, Path) and file.is_dir():
        raise InputError(Problem(str(file), None, "is a folder; add takes one article file",
                                 "give a .txt or saved .html file (run add once per article)"))


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    rep = Reporter(args.quiet)
    try:
        check_paths(args)
        return args.func(args, rep)
    except InputError as e:
        say(e, file=sys.stderr)
        say("nothing was written; earlier outputs are left as they were", file=sys.stderr)
        return EXIT_INPUT
    except OutputError as e:
        say(f"ERROR {e}", file=sys.stderr)
        if e.fix:
            say(f"    fix: {e.fix}", file=sys.stderr)
            return EXIT_INPUT if e.input_fault else EXIT_ENVIRONMENT
        if e.os_error is None:
            return EXIT_ENVIRONMENT
        problem, input_fault = os_problem(e.os_error)  # read-only --out is the input's fault, a full disk is not
        say(f"    fix: {problem.fix}", file=sys.stderr)
        return EXIT_INPUT if input_fault else EXIT_ENVIRONMENT
    except SchedulerError as e:
        say(f"ERROR {e}\n    fix: {e.fix}", file=sys.stderr)
        say("nothing was written; earlier outputs are left as they were", file=sys.stderr)
        return EXIT_INPUT if e.input_fault else EXIT_ENVIRONMENT
    except OSError as e:  # the one place an operating-system error becomes a message
        problem, input_fault = os_problem(e)
        say(problem, file=sys.stderr)
        say("stopped; each output file is either the previous one or a whole new one, never half-written",
              file=sys.stderr)
        return EXIT_INPUT if input_fault else EXIT_ENVIRONMENT
    except KeyboardInterrupt:
        say("interrupted; nothing half-written was kept", file=sys.stderr)
        return 130
