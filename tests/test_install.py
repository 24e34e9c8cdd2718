"""Installed with pip outside the checkout, a new study starts with `framing init` and renders:
the defaults come from package data, not from the checkout's data/ or report.qmd."""
from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ("مقال كتب للاختبار.\nقال الكاظمي إن العراق لن يكون ساعي بريد بين طهران وواشنطن.\n"
           "وطالب البرلمان بخروج القوات الأمريكية خلال عام.\n")


@pytest.fixture(scope="module")
def framing(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("install")
    src = tmp / "src"  # a clean copy: no stale build/ of the checkout; the defaults' symlinks become files
    shutil.copytree(ROOT / "analysis", src / "analysis", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(ROOT / "pyproject.toml", src / "pyproject.toml")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(src), "-w", str(tmp / "wheel")],
                           capture_output=True, text=True, cwd=tmp)
    if build.returncode:
        pytest.skip(f"cannot build a wheel here (setuptools from the index?): {build.stderr.strip()[-200:]}")
    env = tmp / "venv"
    venv.create(env, with_pip=True)
    wheel = next((tmp / "wheel").glob("*.whl"))
    subprocess.run([env / "bin" / "pip", "install", "-q", "--no-deps", str(wheel)], check=True, capture_output=True)
    # the dependencies (pandas, …) are borrowed from this environment, but not its `analysis`
    site = subprocess.run([env / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (Path(site) / "zz_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return env / "bin" / "framing", tmp


def run(exe, *args, cwd):
    return subprocess.run([str(exe), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=900)


def test_init_add_code_render_outside_the_checkout(framing):
    exe, tmp = framing
    where = subprocess.run([str(exe.parent / "python"), "-c", "import analysis; print(analysis.__file__)"],
                           capture_output=True, text=True, cwd=tmp).stdout
    assert str(ROOT) not in where and "site-packages" in where
    r = run(exe, "init", "study", cwd=tmp)
    assert r.returncode == 0, r.stderr
    study = tmp / "study"
    for name in ("report.qmd", "_quarto.yml", "data/codebook.yaml", "data/actors.yaml", "data/cues.yaml",
                 "data/rules.yaml", "data/report.yaml", "data/events.csv", "data/manifest.csv"):
        assert (study / name).is_file(), name
    assert str(ROOT) not in (study / "_quarto.yml").read_text()  # filters point into the installed package
    (tmp / "a1.txt").write_text(ARTICLE, encoding="utf-8")
    r = run(exe, "add", tmp / "a1.txt", "--outlet", "daily", "--outlet-en", "The Daily", "--outlet-ar", "اليومية",
            "--country", "Nowhere", "--date", "2015-03-02", "--language", "ar", cwd=study)
    assert r.returncode == 0, r.stderr
    r = run(exe, "code", "--quiet", cwd=study)
    assert r.returncode == 0, r.stderr
    r = run(exe, "render", "--to", "html", "--builtin", "--quiet", cwd=study)
    assert r.returncode == 0, r.stderr
    html = (study / "_output" / "report.html").read_text(encoding="utf-8")
    assert '<h1 class="title">Media-framing briefing</h1>' in html  # the default report.yaml's title
    assert "The Daily" in html
