"""Two-coder validation: a reproducible stratified sample, a coding sheet, and the filled sheets read back.

Following van Atteveldt, van der Velden & Boukes ("The validity of sentiment analysis", Communication
Methods and Measures 15:2): a dictionary is validated on the study's own texts, by coders who see the text
and not the tool's answer.

- ``draw``: a sample of sentences or articles.  Units the tool coded (a frame fired) and units it did not
  are drawn apart, in a stated share, so that recall can be estimated: the tool's misses hide among the
  units it did not code.  Within each group the sample is spread over strata (outlet, language or the
  tool's frame) in proportion to their size.  The design (group, stratum, how many units each cell has
  and how many were drawn) is kept for the weights; the sheet never shows it.
- ``sheet_frame`` / ``write_sheet``: the coding sheet (XLSX and CSV): text, an English gloss where one
  exists, empty frame / stance / speaker columns.  Cells that a spreadsheet would run as formulas are
  neutralised.
- ``read_sheet``: a filled sheet, checked like ``validate`` checks gold (file:row + fix).
- ``agreement``: per frame, each coder against the tool (P/R/F1, α, and recall weighted by the design)
  and, with two sheets, the coders against each other (α).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.coding.stance import STANCES
from analysis.io.errors import Problems, did_you_mean
from analysis.results.evaluate import POOLED, alpha_nominal, prf
from analysis.results.evidence import TRANSLATIONS, evidence_id, load_translations

SENTENCE, ARTICLE = "sentence", "article"
STRATA = ("outlet", "frame", "language")
CODED, NOT_CODED = "tool coded", "tool did not code"
NONE = "none"  # what a coder writes in `frame` for a unit with no frame
SHEET_COLUMNS = ("unit_id", "article_id", "outlet", "language", "start", "end", "text", "gloss",
                 "frame", "stance", "speaker", "note")
CODER_COLUMNS = ("frame", "stance", "speaker", "note")
DESIGN_COLUMNS = ("unit_id", "group", "stratum", "cell_units", "cell_drawn", "weight")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_CELL_MAX = 32767  # Excel's limit on the characters of one cell


@dataclass
class Sample:
    units: pd.DataFrame    # SHEET_COLUMNS (coder columns empty), in the order the coder sees them
    design: pd.DataFrame   # DESIGN_COLUMNS, one row per unit
    unit: str
    by: str | None
    seed: int
    coded_share: float

    def summary(self) -> str:
        d = self.design
        parts = [f"{int((d.group == g).sum())} {g}" for g in (CODED, NOT_CODED)]
        return (f"sampled {len(d)} {self.unit}s (seed {self.seed}, {self.coded_share:.0%} asked from units the tool "
                f"coded): {', '.join(parts)}" + (f"; strata by {self.by}: {d.stratum.nunique()}" if self.by else ""))


def _units(analysis, unit: str) -> pd.DataFrame:
    """Every unit with what the sheet shows and what the design needs (tool frames stay here)."""
    articles = {a.id: a for a in analysis.corpus.articles}
    order = {f: i for i, f in enumerate(analysis.codebook.frame_ids)}
    key = "sentence_id" if unit == SENTENCE else "article_id"
    frames = analysis.stances.groupby(key).frame.agg(lambda fs: min(fs, key=order.get)).to_dict()
    rows = []
    if unit == SENTENCE:
        for s in analysis.segments:
            a = articles[s.article_id]
            rows.append({"unit_id": s.sentence_id, "article_id": a.id, "outlet": a.outlet.id, "language": a.language,
                         "start": s.start, "end": s.end, "text": s.text, "tool_frame": frames.get(s.sentence_id, "")})
    else:
        for a in articles.values():
            rows.append({"unit_id": a.id, "article_id": a.id, "outlet": a.outlet.id, "language": a.language,
                         "start": 0, "end": len(a.text), "text": a.text, "tool_frame": frames.get(a.id, "")})
    return pd.DataFrame(rows).sort_values("unit_id", kind="stable").reset_index(drop=True)


def allocate(sizes: dict, n: int) -> dict:
    """``n`` draws spread over cells in proportion to their sizes (largest remainder, ties by cell name),
    never more than a cell holds."""
    total = sum(sizes.values())
    if total == 0 or n <= 0:
        return {k: 0 for k in sizes}
    n = min(n, total)
    quota = {k: n * s / total for k, s in sizes.items()}
    alloc = {k: int(q) for k, q in quota.items()}
    order = sorted(sizes, key=lambda k: (-(quota[k] - alloc[k]), str(k)))
    while sum(alloc.values()) < n:
        for k in order:
            if sum(alloc.values()) < n and alloc[k] < sizes[k]:
                alloc[k] += 1
    return alloc


def draw(analysis, n: int, by: str | None = None, seed: int = 0, unit: str = SENTENCE,
         coded_share: float = 0.5) -> Sample:
    """A reproducible stratified sample: the same corpus, n, by, seed and share give the same units."""
    units = _units(analysis, unit)
    units["group"] = np.where(units.tool_frame != "", CODED, NOT_CODED)
    units["stratum"] = "all" if by is None else (units.tool_frame.replace("", NONE) if by == "frame" else units[by])
    want = {CODED: round(n * coded_share), NOT_CODED: n - round(n * coded_share)}
    have = units.group.value_counts().to_dict()
    for g, other in ((CODED, NOT_CODED), (NOT_CODED, CODED)):  # a group too small gives its share to the other
        short = want[g] - have.get(g, 0)
        if short > 0:
            want[g] -= short
            want[other] += short
    rng = np.random.default_rng(seed)
    picked, design = [], []
    for g in (CODED, NOT_CODED):
        cells = units[units.group == g].groupby("stratum").unit_id.apply(list).to_dict()
        alloc = allocate({k: len(v) for k, v in cells.items()}, want[g])
        for stratum in sorted(cells, key=str):
            ids, k = cells[stratum], alloc[stratum]
            chosen = sorted(rng.choice(ids, size=k, replace=False).tolist()) if k else []
            picked += chosen
            design += [{"unit_id": u, "group": g, "stratum": stratum, "cell_units": len(ids), "cell_drawn": k,
                        "weight": len(ids) / k} for u in chosen]
    order = rng.permutation(len(picked))  # coded and not coded mixed: the order tells the coder nothing
    picked = [picked[i] for i in order]
    sheet = units.set_index("unit_id").loc[picked].reset_index()
    sheet["gloss"] = _glosses(analysis, sheet)
    for c in CODER_COLUMNS:
        sheet[c] = ""
    design = pd.DataFrame(design, columns=DESIGN_COLUMNS).set_index("unit_id").loc[picked].reset_index()
    return Sample(sheet[list(SHEET_COLUMNS)], design, unit, by, seed, coded_share)


def _glosses(analysis, sheet: pd.DataFrame) -> list[str]:
    """The English of a unit where one exists: data/translations.csv for Arabic, the text itself is English."""
    path = analysis.corpus.data_dir / TRANSLATIONS
    tr = load_translations(path, analysis) if path.exists() else {}
    out = []
    for r in sheet.itertuples():
        t = tr.get(evidence_id(r.article_id, int(r.start), int(r.end)))
        out.append(t.english if t is not None else "")
    return out


def neutralise(value) -> str:
    """A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) starts with ' instead."""
    s = "" if value is None else str(value)
    return "'" + s if s.startswith(FORMULA_START) else s


def unneutralise(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


def sheet_csv(sample: Sample) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(SHEET_COLUMNS)
    for row in sample.units.itertuples(index=False):
        w.writerow([neutralise(v) for v in row])
    return buf.getvalue()


def sheet_xlsx(sample: Sample, codebook) -> bytes:
    """The sheet as XLSX: every cell a string (never a formula), a second sheet with the frame definitions."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    wb = Workbook()
    ws = wb.active
    ws.title = "coding"
    ws.append(list(SHEET_COLUMNS))
    for row in sample.units.itertuples(index=False):
        ws.append([_text_cell(v) for v in row])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.data_type = "s" if isinstance(cell.value, str) else cell.data_type  # text, even if it starts with =
    widths = {"text": 80, "gloss": 60, "note": 30}
    for i, name in enumerate(SHEET_COLUMNS, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = widths.get(name, 14)
        if name in ("text", "gloss"):
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    _choices(ws, "frame", [*codebook.frame_ids, NONE])
    _choices(ws, "stance", list(STANCES))
    defs = wb.create_sheet("frames")
    defs.append(["frame", "label", "definition"])
    for f in codebook.frames:
        defs.append([_text_cell(f.id), _text_cell(f.label_en), _text_cell(f.definition)])
    defs.append([NONE, "no frame", "the unit carries none of the frames"])
    defs.append(["stance", " / ".join(STANCES), "asserted: the outlet's own voice; reported: someone it quotes "
                 "or cites; denied: the frame's proposition negated or rejected"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _choices(ws, column: str, values: list[str]) -> None:
    """A drop-down of the allowed values (Excel caps a written list at 255 characters: longer, none)."""
    from openpyxl.worksheet.datavalidation import DataValidation
    listed = ",".join(values)
    if len(listed) > 250 or any(c in listed for c in '"'):
        return
    letter = ws.cell(1, SHEET_COLUMNS.index(column) + 1).column_letter
    dv = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True, showErrorMessage=False)
    dv.add(f"{letter}2:{letter}{max(ws.max_row, 2)}")
    ws.add_data_validation(dv)


def _text_cell(v):
    if isinstance(v, str):
        v = "".join(c for c in v if c in "\t\n" or ord(c) >= 32)  # control characters are refused by XLSX
        return v if len(v) <= XLSX_CELL_MAX else v[:XLSX_CELL_MAX - 40] + " … (cut: see the article file)"
    return v


# ---- reading a filled sheet back ---------------------------------------------------------------------

def _sheet_rows(path: Path, problems: Problems) -> list[tuple[int, dict]]:
    """(row number, {column: text}) from an XLSX or CSV sheet; header problems are reported."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook
        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as e:  # noqa: BLE001 - openpyxl raises many types for a file that is not XLSX
            problems.add(path, None, f"not a readable XLSX file ({type(e).__name__})", "save the sheet as .xlsx or .csv")
            return []
        ws = wb["coding"] if "coding" in wb.sheetnames else wb.worksheets[0]
        rows = [[("" if v is None else str(v)) for v in r] for r in ws.iter_rows(values_only=True)]
        wb.close()
    else:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            problems.add(path, None, "not UTF-8", "save the sheet as CSV UTF-8, or as .xlsx")
            return []
        rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        problems.add(path, 1, "the sheet is empty", "code the sheet that `python -m analysis sample` wrote")
        return []
    header = [h.strip() for h in rows[0]]
    missing = [c for c in ("unit_id", "frame") if c not in header]
    for c in missing:
        problems.add(path, 1, f"missing column '{c}'", f"keep the columns the sample sheet has: {', '.join(SHEET_COLUMNS)}")
    if missing:
        return []
    return [(i, {h: unneutralise(r[j].strip()) if j < len(r) else "" for j, h in enumerate(header)})
            for i, r in enumerate(rows[1:], start=2) if any(x.strip() for x in r)]


def read_sheet(path: Path, analysis, problems: Problems | None = None) -> pd.DataFrame:
    """A coder's filled sheet: one row per (unit, frame); ``frame`` 'none' for a unit with no frame.
    To give a unit a second frame the coder copies its row.  Every problem is file:row + fix."""
    own = problems is None
    problems = problems if problems is not None else Problems()
    path = Path(path)
    frames = set(analysis.codebook.frame_ids)
    speakers = set(analysis.actors) | {"outlet", "unknown", "unlisted"}
    known = {s.sentence_id for s in analysis.segments} | {a.id for a in analysis.corpus.articles}
    out, seen = [], {}
    for line, row in _sheet_rows(path, problems):
        uid, frame, stance = row.get("unit_id", ""), row.get("frame", ""), row.get("stance", "")
        if uid not in known:
            problems.add(path, line, f"unit '{uid}' is not a sentence or article of this corpus",
                         "keep unit_id as the sample sheet wrote it; draw a new sample if the corpus changed")
            continue
        if frame == "":
            problems.add(path, line, f"unit '{uid}' is not coded", f"write a frame id, or '{NONE}' if it carries none")
            continue
        if frame != NONE and frame not in frames:
            problems.add(path, line, f"unknown frame '{frame}'{did_you_mean(frame, frames)}",
                         f"use a frame id from the sheet's 'frames' tab ({', '.join(sorted(frames))}) or '{NONE}'")
            continue
        if stance and stance not in STANCES:
            problems.add(path, line, f"stance '{stance}' is not one of {', '.join(STANCES)}", "fix it or leave it empty")
            continue
        if row.get("speaker") and row["speaker"] not in speakers:
            problems.add(path, line, f"unknown speaker '{row['speaker']}'",
                         "use an actor id from actors.yaml, 'outlet', 'unlisted' or 'unknown'", level="note")
        if (uid, frame) in seen:
            problems.add(path, line, f"unit '{uid}' has frame '{frame}' already on row {seen[(uid, frame)]}",
                         "delete one of the two rows")
            continue
        seen[(uid, frame)] = line
        out.append({"unit_id": uid, "frame": "" if frame == NONE else frame, "stance": stance,
                    "speaker": row.get("speaker", ""), "line": line})
    for uid in sorted({u for u, f in seen if f == NONE} & {u for u, f in seen if f != NONE}):
        problems.add(path, seen[(uid, NONE)], f"unit '{uid}' is coded '{NONE}' and also with a frame",
                     f"delete the '{NONE}' row or the frame row")
    if own:
        problems.raise_if_any()
    return pd.DataFrame(out, columns=["unit_id", "frame", "stance", "speaker", "line"])


# ---- agreement --------------------------------------------------------------------------------------

def _tool_units(analysis, units: list[str]) -> set:
    """(unit, frame) the tool found: a sentence carries a frame, or an article has a sentence that does."""
    st = analysis.stances
    by_sentence = st.groupby("sentence_id").frame.agg(set).to_dict()
    by_article = st.groupby("article_id").frame.agg(set).to_dict()
    sentences = {s.sentence_id for s in analysis.segments}
    return {(u, f) for u in units for f in (by_sentence if u in sentences else by_article).get(u, ())}


def _coder_units(coded: pd.DataFrame) -> set:
    return {(r.unit_id, r.frame) for r in coded.itertuples() if r.frame}


def _weighted_recall(tool: set, coder: set, frame: str, weight: dict) -> float:
    """Recall with each unit weighted by the inverse of its chance of being drawn (the design)."""
    g = {u for u, f in coder if frame == POOLED or f == frame}
    s = {u for u, f in tool if frame == POOLED or f == frame}
    den = sum(weight.get(u, 1.0) for u in g)
    return sum(weight.get(u, 1.0) for u in g & s) / den if den else float("nan")


def agreement(analysis, sheets: list[pd.DataFrame], names: list[str], design: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per frame (and pooled): each coder against the tool, and with two coders, the coders against each other.

    Units are those every sheet coded.  ``recall_weighted`` uses the sample design's weights (units the
    tool did not code stand for many more in the corpus); without a design it equals ``recall``.
    """
    units = sorted(set.intersection(*(set(s.unit_id) for s in sheets)))
    frames = analysis.codebook.frame_ids
    tool = _tool_units(analysis, units)
    weight = dict(zip(design.unit_id, design.weight)) if design is not None else {}
    coders = [_coder_units(s[s.unit_id.isin(units)]) for s in sheets]
    rows = []
    for f in frames + [POOLED]:
        keys = [(u, g) for u in units for g in frames if f == POOLED or g == f]
        row = {"frame": f, "units": len(units)}
        for name, c in zip(names, coders):
            tp = len({k for k in keys if k in c and k in tool})
            fp = len({k for k in keys if k in tool and k not in c})
            fn = len({k for k in keys if k in c and k not in tool})
            p, r, f1 = prf(tp, fp, fn)
            row.update({f"{name} positives": tp + fn, f"{name}~tool P": p, f"{name}~tool R": r, f"{name}~tool F1": f1,
                        f"{name}~tool α": alpha_nominal([k in c for k in keys], [k in tool for k in keys]),
                        f"{name}~tool R weighted": _weighted_recall(tool, c, f, weight)})
        if len(coders) == 2:
            row[f"{names[0]}~{names[1]} α"] = alpha_nominal([k in coders[0] for k in keys], [k in coders[1] for k in keys])
        rows.append(row)
    return pd.DataFrame(rows)


def read_design(path: Path, problems: Problems) -> pd.DataFrame | None:
    from analysis.inputs.corpus import read_csv_rows
    if not path.exists():
        return None
    rows = []
    for line, r in read_csv_rows(path, DESIGN_COLUMNS, DESIGN_COLUMNS, problems):
        try:
            rows.append({"unit_id": r["unit_id"], "weight": float(r["weight"])})
        except ValueError:
            problems.add(path, line, f"weight '{r['weight']}' is not a number", "use the design file `sample` wrote")
    return pd.DataFrame(rows, columns=["unit_id", "weight"])
