"""Inline `{python} expr` expressions: evaluated in the document's kernel, where they stand.

The built-in route is checked against values worked out by hand; the Quarto route,
when `quarto` is on PATH, must give the same text.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pypandoc
import pytest
from conftest import NO_QUARTO

from analysis.render import RenderError
from analysis.render.assemble import assemble, substitute
from analysis.render.execute import execute
from analysis.render.qmd import load

QMD = Path(__file__).parent / "fixtures" / "inline" / "inline.qmd"


def plain(markdown: str) -> str:
    out = subprocess.run([pypandoc.get_pandoc_path(), "-f", "markdown", "-t", "plain", "--wrap=none"],
                         input=markdown, capture_output=True, text=True, check=True).stdout
    return "\n".join(line for line in out.splitlines() if line.strip())


def builtin_text(qmd: Path, tmp: Path) -> str:
    doc = load(qmd)
    execute(doc, qmd.parent, tmp / "kernel.log")
    md = assemble(doc, tmp, lambda w: None)
    return plain(md.split("\n---\n", 1)[1])  # without the front matter


def test_values_substituted_in_document_order(tmp_path):
    text = builtin_text(QMD, tmp_path)
    assert "Count 3, text a *starred* word, markdown two outlets, sum 7, ratio 0.67." in text
    assert "Code, not an expression: {python} n." in text  # plain text drops the code span
    assert "After the cell: 5." in text


def test_markdown_values_are_markup_and_strings_are_text():
    results = {"s": {"text/plain": "'a *b*'"}, "m": {"text/plain": "'x'", "text/markdown": "**x**"},
               "n": {"text/plain": "12"}, "e": {"text/plain": "''"}}
    out = substitute("`{python} s`|`{python} m`|`{python} n`|`{python} e`", results)
    assert out == r"a \*b\*|**x**|12|`{python} e`"  # an empty value stays as written, as in Quarto


def test_a_failing_expression_names_its_line(tmp_path):
    bad = tmp_path / "bad.qmd"
    bad.write_text("---\ntitle: t\n---\n\nFine.\n\nBroken `{python} undefined_name + 1` here.\n", encoding="utf-8")
    with pytest.raises(RenderError, match=r"bad.qmd:7: inline expression `undefined_name \+ 1` failed: NameError"):
        builtin_text(bad, tmp_path)


@pytest.mark.skipif(shutil.which("quarto") is None, reason=NO_QUARTO)
def test_quarto_gives_the_same_text(tmp_path):
    work = tmp_path / "q"
    work.mkdir()
    shutil.copy(QMD, work / "inline.qmd")
    env = {"QUARTO_PYTHON": sys.executable, "PATH": __import__("os").environ["PATH"]}
    subprocess.run(["quarto", "render", "inline.qmd", "--to", "md", "--quiet"], cwd=work, check=True, env=env,
                   capture_output=True)
    quarto = plain((work / "inline.md").read_text(encoding="utf-8"))
    ours = builtin_text(work / "inline.qmd", tmp_path)
    body = lambda t: [line for line in t.splitlines() if line.startswith(("Count", "Code", "After"))]
    assert body(quarto) == body(ours)
    assert len(body(ours)) == 3


def test_ready_is_waited_for_before_the_first_cell_and_preloading_binds_no_name(tmp_path):
    """The kernel starts and loads the cells' imports before ``ready()`` returns; the first cell sees what
    ready wrote, and a name a later cell imports is still unknown above it (a document written for this test)."""
    from analysis.render.execute import preload_source
    qmd = tmp_path / "ready.qmd"
    qmd.write_text("---\ntitle: t\n---\n\n```{python}\nprint(open('flag.txt').read(), 'json' in dir())\n```\n\n"
                   "```{python}\nimport json\nfrom os import path as p, sep\nprint(json.dumps([1]))\n```\n", encoding="utf-8")
    doc = load(qmd)
    source = preload_source([c for c in doc.cells if c.kind == "code"])
    assert "['json', 'os', 'os.path', 'os.sep']" in source
    calls = []
    execute(doc, tmp_path, tmp_path / "kernel.log",
            ready=lambda: calls.append((tmp_path / "flag.txt").write_text("written by ready", encoding="utf-8")))
    assert len(calls) == 1
    first, second = (c for c in doc.cells if c.kind == "code")
    assert first.outputs[0]["text"] == "written by ready False\n"
    assert second.outputs[0]["text"] == "[1]\n"
