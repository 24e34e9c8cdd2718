"""data/glossary.csv: English for Arabic words shown in English tables (a perpetrator,
frequency wording), so that no Arabic cell goes untranslated unseen.

Columns: arabic, english, translator, note.  Optional; `translations --missing`
lists the words that still lack an entry.
"""
from __future__ import annotations

from pathlib import Path

GLOSSARY = "glossary.csv"
GLOSSARY_COLUMNS = ("arabic", "english", "translator", "note")


def load_glossary(data_dir: Path, problems, path: Path | None = None) -> dict[str, str]:
    """Arabic -> English; ``path`` reads another file of the same columns (a filled-in list)."""
    from analysis.inputs.corpus import read_csv_rows
    path = Path(path) if path else Path(data_dir) / GLOSSARY
    out: dict[str, str] = {}
    if not path.exists():
        return out
    for line, row in read_csv_rows(path, GLOSSARY_COLUMNS, ("arabic", "english"), problems):
        arabic, english = row["arabic"].strip(), row["english"].strip()
        if not arabic:
            problems.add(path, line, "empty 'arabic' cell", "write the Arabic words as the table shows them")
        elif not english:
            problems.add(path, line, f"no English for '{arabic}'", "write the English or remove the row", level="note")
        elif arabic in out and out[arabic] != english:
            problems.add(path, line, f"'{arabic}' is translated twice, differently",
                         "keep one row per Arabic phrase")
        else:
            out[arabic] = english
    return out
