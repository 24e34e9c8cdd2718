"""Render a Quarto .qmd to self-contained HTML and a PDF.

Two routes give the same content:

* ``render()`` — built in, pip packages only: jupytext reads the .qmd,
  nbclient + ipykernel run the cells, pandoc (pypandoc-binary) writes HTML and
  Typst, the ``typst`` package makes the PDF.
* ``render_with_quarto()`` — ``quarto render`` with the project's _quarto.yml,
  where Quarto is installed (``quarto_available()``).

docs/quarto-subset.md lists the Quarto features a report may use.
"""
from .builtin import RenderResult, render, up_to_date
from .errors import RenderError
from .quarto import quarto_available, render_with_quarto

__all__ = ["RenderError", "RenderResult", "quarto_available", "render", "render_with_quarto", "up_to_date"]
