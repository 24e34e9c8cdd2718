"""Render at scale: time and peak memory of a cold render against `code` on the same corpus.

For each size (1,000 and 10,000 resampled articles; 100,000 with --full) it prints, measured in
the same run:

* `code` cold (the baseline): seconds and peak RSS of the whole process tree;
* `render` cold (HTML and PDF, built-in route, empty output folder): seconds, peak RSS of the
  process tree (CLI, coding workers, kernel, pandoc, typst), report.html's size, PDF pages;
* after a one-line codebook edit: re-code and re-render, and their ratio;
* the HTML explorer's load time in headless Chromium (Debian's, through Playwright);
* `explore`: seconds from start to its first page of rows, and to a search.

    .venv/bin/python benchmarks/render_scale.py [--sizes 1000 10000] [--full] [--keep DIR]

Peak memory is sampled every 0.2 s over the process and all its descendants (psutil) and summed, as
RSS and as PSS (a page shared by forked workers counted once over them).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from rerender import PROBE, append_line  # noqa: E402
from resample import resample  # noqa: E402

CLI = [sys.executable, "-m", "analysis"]


def tree_memory(proc: psutil.Process, each: list | None = None) -> tuple[int, int]:
    """(RSS, PSS) summed over the process and its descendants.  RSS counts the pages a forked worker
    shares with its parent once per process; PSS splits each shared page between its sharers, so its
    sum is what the tree takes from the machine.  ``each`` receives (pid, parent pid, what, RSS, PSS)
    per process."""
    rss = pss = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            m = p.memory_info().rss
            s = _pss(p.pid, m)
            rss, pss = rss + m, pss + s
            if each is not None:
                each.append((p.pid, p.ppid(), " ".join(p.cmdline()[1:4])[:60], m, s))
        except (psutil.Error, OSError):
            continue
    return rss, pss


def _pss(pid: int, rss: int) -> int:
    """PSS from /proc/PID/smaps_rollup (a summary the kernel keeps: cheap to read every 0.2 s, where
    psutil's full smaps walk cost the sampler 5 % of a core), else the RSS."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return rss


def measured(args: list[str]) -> tuple[float, int, int, float]:
    """Run a command; (seconds, peak summed RSS, peak summed PSS of its process tree in bytes, CPU seconds
    of the tree: user + system of every process in it, which a busy machine does not inflate as it
    inflates the wall clock)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    t = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ps, peak, done, at_peak = psutil.Process(proc.pid), [0, 0], threading.Event(), []

    def sample():
        while not done.is_set():
            try:
                each: list = []
                rss, pss = tree_memory(ps, each)
                if rss > peak[0]:
                    at_peak[:] = [(round(time.perf_counter() - t, 1), *e) for e in each]
                peak[:] = max(peak[0], rss), max(peak[1], pss)
            except psutil.Error:
                pass
            done.wait(0.2)
    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _, err = proc.communicate()
    done.set()
    th.join()
    if proc.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{err.decode()[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    wall = time.perf_counter() - t
    print(f"  [{' '.join(args[3:5])}: {wall:.1f} s, load average {load:.1f} before, {os.getloadavg()[0]:.1f} after; "
          "processes at the peak of summed RSS:", file=sys.stderr)
    for when, pid, ppid, what, rss, pss in at_peak:
        print(f"    {when:7.1f} s  pid {pid} (parent {ppid}) {what:60s} RSS {rss / 2**20:6,.0f} MB  "
              f"PSS {pss / 2**20:6,.0f} MB", file=sys.stderr)
    return wall, peak[0], peak[1], cpu


def explorer_load(html: Path) -> float:
    """Seconds until the HTML briefing's explorer has drawn its first rows, in headless Chromium."""
    from playwright.sync_api import sync_playwright
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        return float("nan")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = b.new_page()
        t = time.perf_counter()
        page.goto(html.as_uri(), timeout=300_000)
        page.wait_for_selector("#explorer tbody tr", timeout=300_000)
        s = time.perf_counter() - t
        b.close()
    return s


def explore_times(data: Path, out: Path) -> tuple[float, float]:
    """(seconds to the first page of rows, seconds for a search) of `explore` on a rendered study."""
    t = time.perf_counter()
    proc = subprocess.Popen([*CLI, "explore", "--data", str(data), "--out", str(out), "--port", "0", "--quiet"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = re.search(r"http://\S+/", proc.stdout.readline()).group(0)
        json.load(urllib.request.urlopen(url + "api/rows?page=0", timeout=60))
        first = time.perf_counter() - t
        t = time.perf_counter()
        q = urllib.parse.quote("الكاظمي")
        json.load(urllib.request.urlopen(url + f"api/rows?q={q}&page=0", timeout=60))
        search = time.perf_counter() - t
    finally:
        proc.terminate()
        proc.wait(10)
    return first, search


INDEX_ALONE = """
import resource, sys, time
from pathlib import Path
from types import SimpleNamespace
from analysis.api import evidence_db
from analysis.inputs.study import Study
study = Study.load(Path(sys.argv[1]))
run = SimpleNamespace(corpus=study.corpus, codebook=study.codebook, actors=study.actors)
t, c = time.perf_counter(), time.process_time()
evidence_db(sys.argv[1], sys.argv[2], run)
print(time.perf_counter() - t, time.process_time() - c)
"""


def index_alone(data: Path, rendered: Path, tmp: Path) -> tuple[float, float]:
    """(wall, CPU seconds) of building the explorer's tables (evidence.sqlite) from scratch on the tables the
    render wrote, alone on the machine, given the loaded study: what the cold-render target allows beyond
    `code` + 30 s."""
    out = tmp / "index-alone"
    shutil.rmtree(out, ignore_errors=True)
    (out / "tables").mkdir(parents=True)
    for p in (rendered / "tables").glob("*.parquet"):
        os.link(p, out / "tables" / p.name)
    done = subprocess.run([sys.executable, "-c", INDEX_ALONE, str(data), str(out)], cwd=ROOT, check=True,
                          capture_output=True, text=True)
    shutil.rmtree(out, ignore_errors=True)
    wall, cpu = map(float, done.stdout.split()[-2:])
    return wall, cpu


def pdf_pages(pdf: Path) -> int:
    from pypdf import PdfReader
    return len(PdfReader(str(pdf)).pages)


def one_size(n: int, tmp: Path, corpora: Path | None = None, edit: bool = True) -> dict:
    """``corpora``: ready corpora DIR/cN, used as they are (copied first when the codebook is to be edited)."""
    if corpora:
        data = Path(shutil.copytree(corpora / f"c{n}", tmp / f"c{n}")) if edit else corpora / f"c{n}"
    else:
        data = resample(n, tmp / f"c{n}")
    r = {"articles": n}
    r["code_s"], r["code_rss"], r["code_pss"], r["code_cpu"] = measured([*CLI, "code", "--data", str(data), "--out",
                                                          str(tmp / f"code{n}"), "--quiet"])
    out = tmp / f"render{n}"
    r["render_s"], r["render_rss"], r["render_pss"], r["render_cpu"] = measured([*CLI, "render", "--data", str(data), "--out", str(out),
                                                                "--quiet", "--builtin"])
    r["html_mb"] = (out / "report.html").stat().st_size / 1e6
    r["pdf_pages"] = pdf_pages(out / "report.pdf")
    r["db_mb"] = (out / "tables" / "evidence.sqlite").stat().st_size / 1e6
    r["index_s"], r["index_cpu"] = index_alone(data, out, tmp)
    r["explorer_s"] = explorer_load(out / "report.html")
    r["explore_first_s"], r["explore_search_s"] = explore_times(data, out)
    if not edit:
        return r
    append_line(data / "codebook.yaml", "frames:\n", PROBE)
    r["recode_s"], _, _, r["recode_cpu"] = measured([*CLI, "code", "--data", str(data), "--out", str(tmp / f"code{n}"), "--quiet"])
    r["rerender_s"], r["rerender_rss"], r["rerender_pss"], r["rerender_cpu"] = measured([*CLI, "render", "--data", str(data), "--out",
                                                                      str(out), "--quiet", "--builtin"])
    return r


def report(r: dict) -> None:
    mb = lambda b: f"{b / 2**20:,.0f} MB"  # noqa: E731
    print(f"\n{r['articles']:,} articles (load average {os.getloadavg()[0]:.1f} at the end)")
    print(f"  code, cold (baseline)            {r['code_s']:8.1f} s   CPU {r['code_cpu']:.1f} s   peak RSS "
          f"{mb(r['code_rss'])} (PSS {mb(r['code_pss'])})")
    print(f"  render, cold (HTML + PDF)        {r['render_s']:8.1f} s   CPU {r['render_cpu']:.1f} s   peak RSS "
          f"{mb(r['render_rss'])} (PSS {mb(r['render_pss'])})   = code + {r['render_s'] - r['code_s']:.1f} s "
          f"(CPU + {r['render_cpu'] - r['code_cpu']:.1f} s)")
    allowed = r["code_s"] + 30 + r["index_s"]
    print(f"  explorer's tables alone          {r['index_s']:8.1f} s   CPU {r['index_cpu']:.1f} s   (built from scratch "
          f"on the render's tables)\n  target: render <= code + 30 s + explorer's tables = {allowed:.1f} s: "
          f"{'met' if r['render_s'] <= allowed else 'MISSED'} by {abs(allowed - r['render_s']):.1f} s")
    print(f"  report.html                      {r['html_mb']:8.1f} MB  PDF {r['pdf_pages']} pages; "
          f"evidence.sqlite {r['db_mb']:,.0f} MB")
    print(f"  explorer in headless Chromium    {r['explorer_s']:8.2f} s to its first rows")
    print(f"  explore: first page, a search    {r['explore_first_s']:8.2f} s, {r['explore_search_s']:.2f} s")
    if "recode_s" not in r:
        return
    print(f"  one-line codebook edit: re-code  {r['recode_s']:8.1f} s, re-render {r['rerender_s']:.1f} s "
          f"(ratio {r['rerender_s'] / r['recode_s']:.2f}); CPU {r['recode_cpu']:.1f} s and {r['rerender_cpu']:.1f} s "
          f"(ratio {r['rerender_cpu'] / max(r['recode_cpu'], 1e-9):.2f}); re-render peak RSS {mb(r['rerender_rss'])} "
          f"(PSS {mb(r['rerender_pss'])})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--full", action="store_true", help="also 100,000 articles (about an hour on 2 cores)")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    ap.add_argument("--corpora", type=Path, help="ready corpora DIR/c1000, DIR/c10000, ... instead of resampling")
    ap.add_argument("--no-edit", type=int, nargs="*", default=[], metavar="N",
                    help="sizes at which the codebook edit is skipped (cold runs only)")
    args = ap.parse_args()
    sizes = args.sizes + ([100_000] if args.full else [])
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="render-scale-"))
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        for n in sizes:
            report(one_size(n, tmp, args.corpora, n not in args.no_edit))
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
