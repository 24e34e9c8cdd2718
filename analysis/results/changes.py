"""What changed since the last render: articles, counts by outlet and frame, mentions.

Each render keeps a small set of tables (its *snapshot*) under ``<out>/history/``:

* ``latest/``   — the last render that finished;
* ``previous/`` — the one before it;
* ``.pending/`` — written while a render runs, promoted to ``latest/`` once it succeeds
  (``promote``), so a failed render never becomes the baseline.

Each snapshot folder carries a marker (``.framing-snapshot``); a render removes or moves only a
folder that is its own (marked, or holding nothing but a snapshot's three tables, as older renders
wrote them).  A folder of the user's in one of these places stops the render before it starts
(``foreign``), so nothing of the user's is ever deleted or moved.

A snapshot is three CSV files: articles, counts (outlet × frame sentences) and mentions
(one row per sentence × frame, with its stance, speaker, quote and translation).
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.io.output import write_csv
from analysis.io.untrusted import CONTROL, from_csv_cell
from analysis.results.evidence import evidence_table
from analysis.results.tables import outlet_frame_table

HISTORY, LATEST, PREVIOUS, PENDING = "history", "latest", "previous", ".pending"
FILES = {
    "articles": ["article_id", "outlet", "date", "file", "sha256"],
    "counts": ["outlet", "frame", "label", "sentences"],
    "mentions": ["evidence_id", "frame", "article_id", "outlet", "date", "stance", "speaker", "arabic", "english"],
}
KEY = ["evidence_id", "frame"]
MARK = ".framing-snapshot"


def owned(folder: Path) -> bool:
    """A snapshot folder a render wrote: marked, or holding only a snapshot's tables."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    if (folder / MARK).is_file():
        return True
    ours = {f"{name}.csv" for name in FILES}
    return all(p.name in ours and p.is_file() and not p.is_symlink() for p in folder.iterdir())


def foreign(out_dir: Path) -> list[Path]:
    """History places holding something a render did not write (a render would replace them)."""
    hist = Path(out_dir) / HISTORY
    if hist.is_symlink() or (hist.exists() and not hist.is_dir()):
        return [hist]
    return [p for p in (hist / PENDING, hist / LATEST, hist / PREVIOUS) if (p.exists() or p.is_symlink()) and not owned(p)]


def snapshot(analysis, translations: dict) -> dict[str, pd.DataFrame]:
    """The tables a later render compares itself with."""
    counts = outlet_frame_table(analysis.corpus, analysis.codebook, analysis.segments_frame(), analysis.mentions)
    return snapshot_from(analysis.corpus, counts, evidence_table(analysis, translations))


def snapshot_from(corpus, counts: pd.DataFrame, ev: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """``snapshot`` from the outlet × frame counts and the evidence (with its quotes)."""
    arts = corpus.frame()
    arts = arts.assign(date=arts.date.map(_iso))[FILES["articles"]].sort_values("article_id")
    if ev.empty:
        ev = pd.DataFrame(columns=FILES["mentions"])
    ev = ev.assign(date=ev.date.map(_iso))[FILES["mentions"]].sort_values(KEY, kind="stable")
    counts = _strings(counts[FILES["counts"]]).assign(sentences=counts.sentences.astype(int).values)
    return {"articles": _strings(arts), "counts": counts, "mentions": _strings(ev)}


def _strings(df: pd.DataFrame) -> pd.DataFrame:
    """Every cell as the string a CSV round trip gives back (missing -> "", controls dropped as write_csv does)."""
    return df.astype(object).where(df.notna(), "").astype(str).replace(CONTROL.pattern, "", regex=True).reset_index(drop=True)


def _iso(d) -> str:
    return d.isoformat() if hasattr(d, "isoformat") and not pd.isna(d) else ""


def write_snapshot(directory: Path, tables: dict[str, pd.DataFrame]) -> None:
    for name, df in tables.items():
        write_csv(directory / f"{name}.csv", df)
    (directory / MARK).write_text("written by a render of framing-briefing; the next renders may replace it\n",
                                  encoding="utf-8")


def read_snapshot(directory: Path, names=tuple(FILES)) -> dict[str, pd.DataFrame] | None:
    """A snapshot folder's tables (``names`` of them), or None if it holds none."""
    paths = {name: Path(directory) / f"{name}.csv" for name in FILES}
    if not all(p.is_file() for p in paths.values()):
        return None
    out = {}
    for name, p in paths.items():
        if name not in names:
            continue
        _check_table(p)
        df = pd.read_csv(p, dtype=str, keep_default_na=False).map(from_csv_cell)  # undo write_csv's formula guard
        missing = [c for c in FILES[name] if c not in df.columns]
        if missing:
            raise ValueError(f"{p}:1: missing column(s) {', '.join(missing)}")
        out[name] = df
    out["counts"] = out["counts"].assign(sentences=out["counts"].sentences.astype(int))
    return out


def _check_table(path: Path) -> None:
    """A snapshot table that pandas would refuse, as ValueError naming the file and the line."""
    import csv
    import io

    from analysis.io.paths import read_regular
    raw = read_regular(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        raise ValueError(f"{path}:{line}: not valid UTF-8 (byte offset {e.start})") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    width = None
    while True:
        start = reader.line_num + 1  # where the row begins (a quoted field may span lines)
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            raise ValueError(f"{path}:{start}: unreadable CSV row ({e}); check its double quotes") from None
        width = len(row) if width is None else width
        if len(row) != width:
            raise ValueError(f"{path}:{start}: {len(row)} fields where the header has {width}")


def latest_dir(out_dir: Path) -> Path:
    return Path(out_dir) / HISTORY / LATEST


def stage(out_dir: Path, tables: dict[str, pd.DataFrame]) -> Path:
    """Write this render's snapshot where ``promote`` will find it once the render succeeds."""
    pending = Path(out_dir) / HISTORY / PENDING
    if pending.exists() or pending.is_symlink():
        if not owned(pending):
            raise FileExistsError(f"{pending} holds files a render did not write; move it away")
        shutil.rmtree(pending, ignore_errors=True)
    write_snapshot(pending, tables)
    return pending


def discard(out_dir: Path) -> None:
    """After a failed render: forget its staged tables."""
    pending = Path(out_dir) / HISTORY / PENDING
    if owned(pending):
        shutil.rmtree(pending, ignore_errors=True)


def promote(out_dir: Path) -> bool:
    """After a successful render: latest -> previous, pending -> latest."""
    hist = Path(out_dir) / HISTORY
    pending, latest, previous = hist / PENDING, hist / LATEST, hist / PREVIOUS
    if not owned(pending) or any(p.exists() and not owned(p) for p in (latest, previous)):
        return False  # never move or delete what a render did not write
    if latest.is_dir():
        shutil.rmtree(previous, ignore_errors=True)
        latest.rename(previous)
    pending.rename(latest)
    return True


@dataclass
class Changes:
    """The difference between two snapshots; ``first`` when there was nothing to compare with."""
    first: bool
    added: pd.DataFrame = field(default_factory=pd.DataFrame)      # articles
    removed: pd.DataFrame = field(default_factory=pd.DataFrame)
    edited: pd.DataFrame = field(default_factory=pd.DataFrame)     # same id, new text or metadata
    counts: pd.DataFrame = field(default_factory=pd.DataFrame)     # outlet, frame, label, before, after, change
    gained: pd.DataFrame = field(default_factory=pd.DataFrame)     # mentions
    lost: pd.DataFrame = field(default_factory=pd.DataFrame)
    recoded: pd.DataFrame = field(default_factory=pd.DataFrame)    # same sentence and frame, new stance or speaker

    @property
    def nothing(self) -> bool:
        return not self.first and all(len(getattr(self, k)) == 0 for k in
                                      ("added", "removed", "edited", "counts", "gained", "lost", "recoded"))

    def text(self, limit: int | None = None) -> str:
        """The changes as plain text for the terminal (``python -m analysis diff``)."""
        if self.first:
            return "Changes since the last render: none to show, this is the first render (nothing to compare with).\n"
        if self.nothing:
            return "Changes since the last render: nothing changed.\n"
        out = ["Changes since the last render", ""]
        out.append(f"Articles: {len(self.added)} added, {len(self.removed)} removed, {len(self.edited)} edited")
        for title, df in (("added", self.added), ("removed", self.removed), ("edited", self.edited)):
            for r in df.itertuples():
                out.append(f"  {title}: {r.article_id} · {r.outlet} · {r.date or 'undated'} · {r.file}")
        if len(self.counts):
            out += ["", f"Counts that moved (sentences, by outlet and frame): {len(self.counts)}"]
            for r in _head(self.counts, limit).itertuples():
                out.append(f"  {r.outlet} · {r.label}: {r.before} → {r.after} ({r.change:+d})")
            out += _more(self.counts, limit)
        for title, sign, df in (("Mentions gained", "+", self.gained), ("Mentions lost", "-", self.lost)):
            if len(df):
                out += ["", f"{title}: {len(df)}"]
                for r in _head(df, limit).itertuples():
                    out.append(f"  {sign} {r.evidence_id} · {r.outlet} · {r.label} · {r.stance} · {r.speaker}")
                    out.append(f"      {r.arabic}")
                    if r.english:
                        out.append(f"      {r.english}")
                out += _more(df, limit)
        if len(self.recoded):
            out += ["", f"Stance or speaker changed: {len(self.recoded)}"]
            for r in _head(self.recoded, limit).itertuples():
                out.append(f"  {r.evidence_id} · {r.label}: {r.stance_before} ({r.speaker_before}) → "
                           f"{r.stance} ({r.speaker})")
            out += _more(self.recoded, limit)
        return "\n".join(out) + "\n"


def _head(df: pd.DataFrame, limit: int | None) -> pd.DataFrame:
    return df if limit is None else df.head(limit)


def _more(df: pd.DataFrame, limit: int | None) -> list[str]:
    return [f"  … and {len(df) - limit} more"] if limit is not None and len(df) > limit else []


def compare(old: dict[str, pd.DataFrame] | None, new: dict[str, pd.DataFrame]) -> Changes:
    """What moved from ``old`` to ``new`` (snapshots as ``snapshot``/``read_snapshot`` give them)."""
    if old is None:
        return Changes(first=True)
    om, nm = old["mentions"], new["mentions"]
    okey, nkey = (df.evidence_id.astype(str) + "\x00" + df.frame.astype(str) for df in (om, nm))
    gained, lost = nm[~nkey.isin(set(okey))], om[~okey.isin(set(nkey))]
    m = om.merge(nm, on=KEY, suffixes=("_before", ""))
    recoded = m[(m.stance != m.stance_before) | (m.speaker != m.speaker_before)]
    return _compared(old, new, gained, lost, recoded)


def _compared(old, new, gained, lost, recoded) -> Changes:
    """The articles and counts compared, with the mentions gained, lost and recoded."""
    added, removed, edited = _articles_compared(old["articles"], new["articles"])

    labels = dict(zip(old["counts"].frame, old["counts"].label)) | dict(zip(new["counts"].frame, new["counts"].label))
    c = old["counts"][["outlet", "frame", "sentences"]].merge(
        new["counts"][["outlet", "frame", "sentences"]], on=["outlet", "frame"], how="outer", suffixes=("_old", "_new"))
    c = c.assign(before=c.sentences_old.fillna(0).astype(int), after=c.sentences_new.fillna(0).astype(int))
    c = c.assign(change=c.after - c.before, label=[labels.get(f, f) for f in c.frame])
    c = c[c.change != 0].sort_values(["outlet", "frame"]).reset_index(drop=True)[
        ["outlet", "frame", "label", "before", "after", "change"]]

    lab = lambda df: df.assign(label=[labels.get(f, f) for f in df.frame]).reset_index(drop=True)
    return Changes(False, added, removed, edited, c, lab(gained), lab(lost), lab(recoded))


def _articles_compared(old: pd.DataFrame, new: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(added, removed, edited) articles, each in its table's order; edited: in both, any other cell
    differs (a history whose columns differ from this render's counts every shared article as edited).
    Column-wise, not a row lookup per article: that took 18 s at 100,000 articles."""
    old = old.drop_duplicates("article_id")  # a history file is untrusted: the first row of an id counts
    in_old, in_new = new.article_id.isin(old.article_id), old.article_id.isin(new.article_id)
    both = new[in_old]
    if list(old.columns) == list(new.columns):
        before = old.set_index("article_id").loc[both.article_id]
        differs = (before.to_numpy() != both.drop(columns="article_id").to_numpy()).any(axis=1)
    else:
        differs = [True] * len(both)
    edited = both[differs]
    return (new[~in_old].reset_index(drop=True), old[~in_new].reset_index(drop=True), edited.reset_index(drop=True))


# ---- the same, over the tables `code` wrote, without holding the corpus's mentions -------------------
def _duck():
    import duckdb
    con = duckdb.connect(config={"memory_limit": "512MB", "threads": 2})
    try:  # outside a notebook its bar would print; inside one it cannot draw
        con.execute("SET enable_progress_bar = false")
    except duckdb.Error:
        pass
    return con


def _lit(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def stage_from_tables(out_dir: Path, corpus, counts: pd.DataFrame, tables: Path, translations: dict) -> Path:
    """``stage`` of this render's snapshot, its mentions written by DuckDB straight from the tables
    (each quote is the segment's text, as ``evidence_table`` gives it)."""
    pending = Path(out_dir) / HISTORY / PENDING
    shutil.rmtree(pending, ignore_errors=True)
    small = snapshot_from(corpus, counts, pd.DataFrame(columns=FILES["mentions"]))
    write_snapshot(pending, {k: small[k] for k in ("articles", "counts")})
    english = pd.DataFrame({"evidence_id": list(translations), "english": [t.english for t in translations.values()]},
                           dtype=object)
    src = lambda n: f"read_parquet({_lit(Path(tables) / (n + '.parquet'))})"  # noqa: E731
    sql = f"""
      SELECT f.article_id || ':' || f.sentence_start || '-' || f.sentence_end AS evidence_id, f.frame, f.article_id,
             f.outlet, coalesce(CAST(a.date AS VARCHAR), '') AS date, f.stance, f.speaker_name AS speaker,
             s.sentence AS arabic, coalesce(CAST(t.english AS VARCHAR), '') AS english
      FROM {src('frame_sentences')} f JOIN {src('articles')} a USING (article_id)
      JOIN {src('segments')} s USING (sentence_id)
      LEFT JOIN english t ON CAST(t.evidence_id AS VARCHAR) = f.article_id || ':' || f.sentence_start || '-' || f.sentence_end
      ORDER BY evidence_id, f.frame"""
    con = _duck()
    con.register("english", english)
    tmp = pending / ".mentions.csv"
    con.execute(f"COPY ({sql}) TO {_lit(tmp)} (HEADER, DELIMITER ',')")
    con.close()
    tmp.replace(pending / "mentions.csv")
    return pending


def compare_dirs(old_dir: Path, new_dir: Path) -> Changes:
    """``compare`` of two snapshot folders, the mentions compared by DuckDB (only what moved is held)."""
    try:
        old = read_snapshot(old_dir, ("articles", "counts"))
    except ValueError:  # an unreadable history is no reason to stop a render: start afresh
        old = None
    header = pd.read_csv(Path(old_dir) / "mentions.csv", dtype=str, nrows=0).columns if old is not None else []
    if old is None or any(c not in header for c in FILES["mentions"]):
        return Changes(first=True)
    new = read_snapshot(new_dir, ("articles", "counts"))
    con = _duck()
    read = lambda d: f"read_csv({_lit(Path(d) / 'mentions.csv')}, all_varchar=true, header=true)"  # noqa: E731
    con.execute(f"CREATE VIEW o AS SELECT * FROM {read(old_dir)}")
    con.execute(f"CREATE VIEW n AS SELECT * FROM {read(new_dir)}")
    cols = ", ".join(FILES["mentions"])
    gained = con.execute(f"SELECT {cols} FROM n ANTI JOIN o USING (evidence_id, frame) ORDER BY evidence_id, frame").df()
    lost = con.execute(f"SELECT {cols} FROM o ANTI JOIN n USING (evidence_id, frame) ORDER BY evidence_id, frame").df()
    rest = [c for c in FILES["mentions"] if c not in KEY]
    recoded = con.execute(
        f"SELECT o.evidence_id, o.frame, {', '.join(f'o.{c} AS {c}_before' for c in rest)}, "
        f"{', '.join(f'n.{c}' for c in rest)} FROM o JOIN n USING (evidence_id, frame) "
        "WHERE o.stance IS DISTINCT FROM n.stance OR o.speaker IS DISTINCT FROM n.speaker "
        "ORDER BY evidence_id, frame").df()
    con.close()
    blank = lambda df: df.fillna("")  # noqa: E731 (read back as read_snapshot does: missing -> "")
    return _compared(old, new, blank(gained), blank(lost), blank(recoded))
