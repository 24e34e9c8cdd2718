"""Explorer benchmark: does the HTML briefing of a 1,000-article corpus load and filter quickly?

Renders the seed briefing (the baseline) and the briefing of a resampled corpus
(benchmarks/corpus.py) to HTML, then opens each in headless Chromium and times,
inside the page:

* load      — navigation start to the explorer drawn (its row count filled in);
* filter    — choosing an outlet and a frame until the table is redrawn;
* search    — typing an Arabic word until the table is redrawn (includes the 120 ms typing pause);
* cell      — clicking the largest heatmap cell until its rows are shown.

Prints the figures and their ratio to the seed briefing measured in the same run.
Target (issue 11): load and filter under 2 s at 1,000 articles.

    .venv/bin/python benchmarks/explorer.py [--articles 1000]
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import build  # noqa: E402

WORD = "ساعي"
TIMINGS = """async (word) => {
  const t = performance.getEntriesByType('navigation')[0];
  const ready = window.__evReady - t.startTime;
  const root = document.getElementById('explorer'), count = root.querySelector('.ev-count');
  const until = (old) => new Promise(res => { const go = () => count.textContent !== old ? res() : requestAnimationFrame(go); go(); });
  const frame = () => new Promise(res => requestAnimationFrame(() => setTimeout(res, 0)));
  const rows = +count.textContent;
  let t0 = performance.now();
  const o = root.querySelector('select[data-k=o]'), f = root.querySelector('select[data-k=f]');
  o.value = o.options[1].value; o.dispatchEvent(new Event('change'));
  f.value = f.options[1].value; f.dispatchEvent(new Event('change'));
  await until(String(rows)); await frame();
  const filter = performance.now() - t0;
  const filtered = +count.textContent;
  root.querySelector('.ev-reset').click(); await frame();
  t0 = performance.now();
  const q = root.querySelector('input[data-k=q]'); q.value = word; q.dispatchEvent(new Event('input'));
  await until(String(rows)); await frame();
  const search = performance.now() - t0;
  const found = +count.textContent;
  const cells = [...document.querySelectorAll('.ev-heatmap a.ev-cell')];
  const big = cells.reduce((a, b) => (+b.textContent > +a.textContent ? b : a));
  root.querySelector('.ev-reset').click(); await frame();
  t0 = performance.now(); big.click(); await until(String(rows)); await frame();
  const cell = performance.now() - t0;
  return {rows, ready, filter, filtered, search, found, cell, cellCount: +big.textContent, shown: +count.textContent,
          drawn: root.querySelectorAll('tbody tr').length};
}"""


def render(data: Path, out: Path) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "analysis", "render", "--data", str(data), "--out", str(out), "--quiet",
                    "--builtin", "--to", "html"], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - t


def measure(html: Path) -> dict:
    from playwright.sync_api import sync_playwright
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        # mark when the explorer has drawn: its count is filled in synchronously by explorer.js
        page.add_init_script("""new MutationObserver((m, obs) => { const c = document.querySelector('#explorer .ev-count');
            if (c && c.textContent !== '0') { window.__evReady = performance.now(); obs.disconnect(); } })
            .observe(document, {subtree: true, childList: true, characterData: true});""")
        t = time.perf_counter()
        page.goto(html.as_uri(), wait_until="load")
        page.wait_for_function("window.__evReady !== undefined")
        wall = time.perf_counter() - t
        r = page.evaluate(TIMINGS, WORD)
        browser.close()
    assert not errors, errors
    assert r["shown"] == r["cellCount"], r
    return r | {"wall": wall * 1000, "mb": html.stat().st_size / 1e6}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=1000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="explorer-bench-") as tmp:
        tmp = Path(tmp)
        seed_s = render(ROOT / "data", tmp / "seed")
        big = build(args.articles, tmp / "big-data")
        big_s = render(big, tmp / "big")
        base, r = measure(tmp / "seed" / "report.html"), measure(tmp / "big" / "report.html")
    print(f"render --to html: seed {seed_s:.1f} s, {args.articles} articles {big_s:.1f} s")
    print(f"{'':28}{'seed':>10}{f'{args.articles} art.':>12}{'ratio':>8}")
    for key, name, unit in (("mb", "HTML size", "MB"), ("rows", "evidence rows", ""),
                            ("wall", "load (goto → drawn, wall)", "ms"), ("ready", "load (in page)", "ms"),
                            ("filter", "filter outlet + frame", "ms"), ("search", f"search «{WORD}»", "ms"),
                            ("cell", "click largest heatmap cell", "ms")):
        a, b = base[key], r[key]
        print(f"{name + (' (' + unit + ')' if unit else ''):28}{a:>10.1f}{b:>12.1f}{b / a if a else float('nan'):>8.1f}")
    print(f"filtered rows {r['filtered']}, search hits {r['found']}, largest cell {r['cellCount']} = rows shown "
          f"{r['shown']} ({r['drawn']} drawn, the rest behind 'Show more')")
    ok = max(r["wall"], r["ready"]) < 2000 and r["filter"] < 2000 and r["search"] < 2000
    print("target (load and filter under 2 s):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
