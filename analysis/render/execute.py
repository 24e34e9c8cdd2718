"""Run a document's code cells, in order, in one Jupyter kernel."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from .errors import RenderError
from .qmd import Cell, Document

# Each figure comes back twice: PNG for the HTML, PDF (vector) for the PDF.
_SETUP = "%config InlineBackend.figure_formats = ['retina', 'pdf']"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CELL_FRAME = re.compile(r"^Cell In\[\d+\], line (\d+)", re.M)
_FILE_FRAME = re.compile(r"^File (\S+?):(\d+)", re.M)


def execute(doc: Document, cwd: Path, kernel_log: Path, *, timeout: int = 600, ready=None) -> None:
    """Fill each code cell's ``outputs`` and each markdown cell's ``inline`` results.

    Inline `{python} expr` expressions are evaluated where they stand, after the
    code cells above them, in the same kernel (Quarto's user_expressions).  A
    failing cell or expression raises RenderError.  The kernel's own stderr
    (startup chatter, crash reports) goes to ``kernel_log`` and into the error's
    details if the kernel dies.

    ``ready()``, when given, is waited for before the first cell runs: the kernel starts and
    loads the modules the cells import while the caller finishes what they will read.
    """
    steps = [c for c in doc.cells if (c.kind == "code" and c.option("eval", doc.config, True) is not False)
             or c.expressions]
    code = [c for c in steps if c.kind == "code"]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(_SETUP)] + [nbformat.v4.new_code_cell(c.source) for c in code]
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    )
    with open(kernel_log, "w") as stderr, client.setup_kernel(stderr=stderr):
        _run(client, doc, None, nb.cells[0], 0, kernel_log)
        if ready is not None:
            _preload(client, code)
            ready()
        index = 0
        for cell in steps:
            if cell.kind == "code":
                index += 1
                _run(client, doc, cell, nb.cells[index], index, kernel_log)
                cell.outputs = nb.cells[index].outputs
            else:
                cell.inline = _evaluate(client, doc, cell, timeout)


def preload_source(cells: list[Cell]) -> str:
    """Python that loads, without binding any name, the modules the cells import at their top level
    (``from a.b import c`` loads a.b and a.b.c if it is one).  A module that fails to load is passed
    over: its own cell reports it where it stands."""
    names: list[str] = []
    for cell in cells:
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:  # IPython magics: not ours to read
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                names += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names += [node.module, *(f"{node.module}.{a.name}" for a in node.names if a.name != "*")]
    names = list(dict.fromkeys(names))
    return (f"def __framing_preload(names={names!r}):\n"
            "    import importlib\n"
            "    for name in names:\n"
            "        try:\n"
            "            importlib.import_module(name)\n"
            "        except Exception:\n"
            "            pass\n"
            "__framing_preload()\n"
            "del __framing_preload\n")


def _preload(client, cells: list[Cell]) -> None:
    """``preload_source`` run silently (nothing shown, nothing in the history); a failure changes nothing."""
    msg_id = client.kc.execute(preload_source(cells), silent=True, store_history=False)
    try:
        client.wait_for_reply(msg_id)
    except (CellTimeoutError, DeadKernelError, TimeoutError):
        pass  # the first cell meets the same trouble and says where


def _run(client, doc, cell, nb_cell, index, kernel_log) -> None:
    try:
        client.execute_cell(nb_cell, index)
    except CellExecutionError as e:
        raise _cell_failed(doc, cell, e) from None
    except (CellTimeoutError, DeadKernelError) as e:
        what = "timed out" if isinstance(e, CellTimeoutError) else "killed the kernel"
        raise RenderError(f"{_where(doc, cell)} {what}", f"{e}\n{kernel_log.read_text()}") from None


def _evaluate(client, doc: Document, cell: Cell, timeout: int) -> dict[str, dict]:
    """The cell's inline expressions, evaluated at once: expression -> mime bundle."""
    exprs = list(dict.fromkeys(cell.expressions))
    msg_id = client.kc.execute("", silent=False, store_history=False,
                               user_expressions={str(k): e for k, e in enumerate(exprs)})
    try:
        reply = client.wait_for_reply(msg_id)
    except (CellTimeoutError, DeadKernelError, TimeoutError) as e:
        raise RenderError(f"{doc.path.name}:{doc.line_of(exprs[0])}: inline expression timed out", str(e)) from None
    results = (reply or {}).get("content", {}).get("user_expressions", {})
    out = {}
    for k, expr in enumerate(exprs):
        r = results.get(str(k), {})
        if r.get("status") != "ok":
            line = doc.line_of("`{python} " + expr)
            raise RenderError(f"{doc.path.name}:{line}: inline expression `{expr.strip()}` failed: "
                              f"{r.get('ename', 'no result')}: {_ANSI.sub('', str(r.get('evalue', '')))}",
                              _ANSI.sub("", "\n".join(r.get("traceback", []))))
        out[expr.strip()] = r.get("data", {})
    return out


def _where(doc: Document, cell: Cell | None, offset: int = 0) -> str:
    return doc.where(cell, offset) if cell else "kernel setup"


def _cell_failed(doc: Document, cell: Cell | None, e: CellExecutionError) -> RenderError:
    tb = _ANSI.sub("", e.traceback)
    lines = [f"{_where(doc, cell)} failed: {e.ename}: {e.evalue}"]
    frame = _CELL_FRAME.search(tb)
    if cell and frame:
        offset = int(frame.group(1))
        code = cell.source.split("\n")[offset - 1].strip()
        lines = [f"{_where(doc, cell, offset)} failed: {e.ename}: {e.evalue}", f"    {code}"]
    frames = _FILE_FRAME.findall(tb)
    ours = [f for f in frames if "site-packages" not in f[0] and "/lib/python" not in f[0]]
    if frames:  # innermost frame, preferring the project's own code over libraries
        lines.append("    raised at {}:{}".format(*(ours or frames)[-1]))
    return RenderError("\n".join(lines), tb)
