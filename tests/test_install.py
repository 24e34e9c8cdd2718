"""Installed with pip outside the checkout, a new study starts with `framing init` and renders:
the defaults come from package data, not from the checkout's data/ or report.qmd.  The wheel pins every
dependency to the version the tests ran on (requirements.lock), and installs offline against them."""
from __future__ import annotations

import json
import re
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
    # the dependencies (pandas, …) are this environment's (the tested versions), but not its `analysis`;
    # pip installs the wheel WITH its dependencies and no index: it succeeds only if every pin is the tested version
    site = subprocess.run([env / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (Path(site) / "zz_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    r = subprocess.run([env / "bin" / "pip", "install", "--no-index", str(wheel)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    return env / "bin" / "framing", tmp


def run(exe, *args, cwd):
    return subprocess.run([str(exe), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=900)


def test_init_add_code_render_outside_the_checkout(framing):
    exe, tmp = framing
    where = subprocess.run([str(exe.parent / "python"), "-c", "import analysis; print(analysis.__file__)"],
                           capture_output=True, text=True, cwd=tmp).stdout
    assert str(ROOT) not in where and "site-packages" in where
    r = run(exe, "init", "study", "--example", cwd=tmp)
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


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version.strip()
    return pins


def test_the_wheel_pins_every_dependency_to_the_lock(framing):
    """Every Requires-Dist of the installed wheel is '==' the requirements.lock version, and nothing the
    runtime pulls in (walked through the installed metadata) is left unpinned."""
    exe, tmp = framing
    meta = subprocess.run([str(exe.parent / "python"), "-c", "import importlib.metadata as m, json; "
                           "print(json.dumps(m.distribution('framing-briefing').requires))"],
                          capture_output=True, text=True, check=True, cwd=tmp).stdout
    from packaging.requirements import Requirement
    lock = _lock()
    runtime = [Requirement(r) for r in json.loads(meta) if "extra ==" not in r]
    assert len(runtime) > 60
    for req in runtime:
        name = re.sub(r"[-_.]+", "-", req.name).lower()
        spec = list(req.specifier)
        assert len(spec) == 1 and spec[0].operator == "==", str(req)
        assert spec[0].version == lock[name], (str(req), lock[name])
    pinned = {re.sub(r"[-_.]+", "-", r.name).lower() for r in runtime}
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from pins import closure
    finally:
        sys.path.pop(0)
    assert set(closure([str(r) for r in runtime])) <= pinned


CSV = (ROOT / "tests" / "fixtures" / "import" / "mediacloud.csv")


def test_blank_study_import_render_outside_the_checkout(framing):
    """The README's three commands: init --blank, import a Media Cloud export, render."""
    exe, tmp = framing
    assert run(exe, "init", "blank", "--blank", cwd=tmp).returncode == 0
    study = tmp / "blank"
    assert "frames: []" in (study / "data" / "codebook.yaml").read_text(encoding="utf-8")
    r = run(exe, "import", CSV, "-q", cwd=study)
    assert r.returncode == 0, r.stderr
    assert "imported 4 article(s)" in r.stdout
    r = run(exe, "render", "--to", "html", "--builtin", "--quiet", cwd=study)
    assert r.returncode == 0, r.stderr
    html = re.sub(r"\s+", " ", (study / "_output" / "report.html").read_text(encoding="utf-8"))  # pandoc wraps lines
    assert "4 articles from 3 outlets" in html and "northernpost.example" in html
