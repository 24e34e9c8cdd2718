"""Where the briefing comes from: input hashes, code version, packages; and the Methods facts."""
from __future__ import annotations

import hashlib
import platform
import subprocess
from importlib import metadata
from pathlib import Path

import pandas as pd

from analysis.report import markdown as md
from analysis.results.evaluate import GOLD
from analysis.results.evidence import TRANSLATIONS

PACKAGES = ("pandas", "matplotlib", "regex", "google-re2", "krippendorff", "jupytext", "nbclient",
            "pypandoc-binary", "typst", "arabic-reshaper", "python-bidi")
INPUTS = ("manifest.csv", "outlets.csv", "codebook.yaml", "actors.yaml", "cues.yaml", "lexicon.yaml", "boilerplate.yaml",
          "rules.yaml", "report.yaml", "events.csv", TRANSLATIONS, "glossary.csv", GOLD)


def input_hashes(data_dir: Path, article_files: list[str]) -> pd.DataFrame:
    rows = []
    for rel in [*article_files, *INPUTS]:
        p = data_dir / rel
        if p.exists():
            rows.append({"Input": rel, "SHA-256": hashlib.sha256(p.read_bytes()).hexdigest()[:16] + "…"})
    return pd.DataFrame(rows)


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              timeout=5).stdout.strip() or "not a git checkout"
    except OSError:
        return "git not available"


def package_versions() -> list[str]:
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return versions


def corpus_hash(data_dir: Path, article_files: list[str]) -> str:
    """One SHA-256 over the article files, in manifest order (name and content of each)."""
    h = hashlib.sha256()
    for rel in article_files:
        h.update(rel.encode() + b"\0" + hashlib.sha256((data_dir / rel).read_bytes()).digest())
    return h.hexdigest()[:16] + "…"


def provenance(data_dir: Path, article_files: list[str], corpus_files: list[str] = (), combined: str = "") -> str:
    """Input hashes; ``corpus_files`` get one combined hash (per-file hashes: _output/tables/articles.csv),
    ``combined`` when the caller has it (``corpus_hash`` of the same files)."""
    t = input_hashes(data_dir, article_files)
    if corpus_files:
        t = pd.concat([pd.DataFrame([{"Input": f"articles ({len(corpus_files)} files, combined)",
                                      "SHA-256": combined or corpus_hash(data_dir, list(corpus_files))}]), t])
    return (md.table(t, "Input files and their hashes.", "tbl-provenance")
            + f"Git commit: `{git_commit()}`. Python {platform.python_version()}; "
              f"{md.escape(', '.join(package_versions()))}.\n\n")


def codebook_facts(cb) -> dict:
    """Indicator and word-set counts per language, for the Methods."""
    return {"frames": len(cb.frames),
            "indicators": {lang: sum(len(f.indicators.get(lang, [])) for f in cb.frames) for lang in ("ar", "en")},
            "sets": {lang: len(cb.sets.get(lang, {})) for lang in ("ar", "en")}}
