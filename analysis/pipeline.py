"""Wire the steps together: corpus → clean → segments → mentions → voices → tables.

The unit of work is a batch of consecutive articles: ``analyse_batch`` segments
each article, codes it (one scan for all frames), adds speakers and stance, and
extracts timelines, attacks and sourcing counts.  ``analyse`` runs it for every
batch, serially, in a process pool (``jobs``) or on a Dask cluster
(``scheduler``), gathers the results in article order and concatenates them, so
the tables are the same whatever runs them.  Each step's result stays on the returned ``Analysis`` so
that an analyst can stop at any step in a notebook and look.
"""
from __future__ import annotations

import dataclasses
import gc
import os
import pickle
import sys
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from analysis.coding import article as coding
from analysis.coding import clean, context, speakers, voices
from analysis.coding.revision import CODED_VERSIONS, Revision, revisions, summaries
from analysis.extract import batch as parts_of
from analysis.extract import extractions as extract
from analysis.inputs import lexicon
from analysis.inputs.actors import ACTORS, Actor, gazetteer_of
from analysis.inputs.boilerplate import BOILERPLATE, BoilerplateRule
from analysis.inputs.codebook import Codebook
from analysis.inputs.corpus import EVENTS, LANGUAGES, OUTLETS, Article, Corpus, StoredArticle
from analysis.inputs.cues import CUES, Cues
from analysis.inputs.extraction_rules import EXTRACTION_RULES, ExtractionRules
from analysis.inputs.seen import Seen
from analysis.inputs.study import Study
from analysis.io.cache import ArticleCache, Shared, cpu_count, file_hash, source_hash
from analysis.io.errors import SchedulerError
from analysis.io.paths import Folder

JOBS_ENV = "FRAMING_JOBS"            # set by `render --jobs N` for the kernel that runs report.qmd
SCHEDULER_ENV = "FRAMING_SCHEDULER"  # set by `render --scheduler ADDRESS`
DEDUPE_ENV = "FRAMING_DEDUPE"        # set by `render --dedupe`: leave out articles marked duplicate_of
BATCH = 32                           # articles per unit of work: a batch's tables cost ~12 ms whatever its size
WAS = "was:"                         # an article's keys: WAS + frame id, the entry of an edited frame's earlier version
BIG_BATCH, BIG_CORPUS = 64, 2000      # larger corpora take larger batches (cut from the corpus size, never the workers)
SOURCING_COLUMNS = ["outlet", "measure", "sentences"]


@dataclass
class Analysis:
    corpus: Corpus
    codebook: Codebook
    segments: list[coding.Segment]
    removed: pd.DataFrame
    mentions: pd.DataFrame      # one row per match, with speaker and stance
    quotations: pd.DataFrame
    actors: dict[str, Actor]
    stances: pd.DataFrame       # one row per (sentence, frame): the counting unit, with stance and speaker
    speakers: pd.DataFrame      # one row per sentence: who speaks
    claims: pd.DataFrame        # data/rules.yaml: one row per claim (frame, kind, content, deadline, role)
    details: pd.DataFrame       # data/rules.yaml: one row per sentence of a frame with detail rules
    extraction_rules: ExtractionRules  # data/rules.yaml
    sourcing: pd.DataFrame
    stats: dict = field(default_factory=dict)  # articles, seconds, articles/s, cache hits

    def segments_frame(self) -> pd.DataFrame:
        return coding.segments_frame(self.segments)


@dataclass
class Inputs:
    """What every article's work needs besides the article (sent once to each worker)."""
    boilerplate: list[BoilerplateRule]
    codebook: Codebook
    actors: dict[str, Actor]
    cues: Cues
    outlets: dict
    extraction_rules: ExtractionRules
    voices_key: str = ""  # the actors and lexicon that voice the mentions (cached voices say which)
    revisions: dict[str, Revision] = field(default_factory=dict)  # frames edited since the cached version


@dataclass
class Piece:
    article: Article | StoredArticle  # without its text until the batch is coded (Task.loaded)
    cut: tuple | None                 # cached (segments, removed), or None
    rows: dict[str, list[dict]]       # cached mention rows by frame id (missing frames are coded)
    found: dict | None = None         # cached attributions of its sentences (voices.attribute_segments)
    blobs: dict[str, bytes] = field(default_factory=dict)  # "cut", "found": the same, as the cache holds them
    previous: dict[str, dict] = field(default_factory=dict)  # an edited frame's cached entry of its earlier version


@dataclass
class Task:
    """A batch of consecutive articles: the pandas steps cost per call, so they run per batch.
    Batches are cut from the article order alone, never from the number of workers.  Its articles
    come without their texts (``StoredArticle``); ``loaded()`` reads them where the batch is coded."""
    pieces: list[Piece]
    base: parts_of.Base | None = None  # the batch's frame-free tables, if cached (else built)
    parts: dict[str, parts_of.FramePart] = field(default_factory=dict)  # cached frame parts (the others are built)
    blobs: dict[str, bytes] = field(default_factory=dict)  # "base" and frame ids: cached parts as the cache holds them
    rejected: int = 0  # cached values that did not load where it was coded (recomputed)
    fetch: Fetch | None = None  # where its cached values are, when whoever codes it reads them (``fetched``)
    keep_cuts: bool = True  # its result keeps the sentences (False: its sentences' frame is enough)

    def loaded(self, lazy: bool = False) -> Task:
        """The same batch with its articles' texts, read from their files and checked against the
        hashes taken when the corpus was read (an InputError if one changed since).  ``lazy``: an article
        whose sentences come from the cache stays a ``StoredArticle``, its text read and checked the same
        way only if something asks for it (a new mention's quote, a claim): after a frame edit most
        articles need none, and reading them all was 8 % of a coder's time."""
        folders: dict[Path, Folder] = {}  # each data folder resolved once for the batch, afresh

        def load(p: Piece) -> Article | StoredArticle:
            a = p.article
            if not isinstance(a, StoredArticle) or (lazy and (p.cut is not None or "cut" in p.blobs)):
                return a
            return a.loaded(folders.setdefault(a.path[0].root, a.path[0].fresh()))
        return dataclasses.replace(self, pieces=[dataclasses.replace(p, article=load(p)) for p in self.pieces])

    def wire(self) -> Task:
        """What goes to a worker: cached values as their pickles (sending bytes costs a copy; sending
        the objects, pickling them again)."""
        return dataclasses.replace(self, pieces=[dataclasses.replace(p, cut=None) if "cut" in p.blobs else p
                                                 for p in self.pieces])

    def unwired(self, shared: Shared) -> Task:
        """The cached values out of their pickles; one that does not load is left out (and counted), so it
        is recomputed.  Attributions are of a segmentation: without the cut they go too."""
        parts, rejected = dict(self.parts), 0
        for fid, blob in self.blobs.items():
            if fid != "base":
                if _is_part(part := _loads(blob)):
                    parts[fid] = part
                else:
                    rejected += 1
        base = self.base if "base" not in self.blobs else _loads(self.blobs["base"])
        rejected += "base" in self.blobs and not _is_base(base)
        pieces = []
        for p in self.pieces:
            cut, found = p.cut, p.found
            if cut is None and "cut" in p.blobs:
                cut = _checked(_loads(p.blobs["cut"]), _is_cut)
                rejected += cut is None
            # the attributions stay pickled until something reads them (``analyse_piece``): after a frame
            # edit, only the articles with a new mention to voice do
            later = {"found": p.blobs["found"]} if found is None and "found" in p.blobs and cut is not None else {}
            pieces.append(dataclasses.replace(p, blobs=later, cut=cut, found=found))
        return Task(pieces, base if _is_base(base) else None, parts, rejected=self.rejected + rejected)


@dataclass
class Fetch:
    """Where a batch's cached values are, by key."""
    keys: list[dict[str, str]]        # per article: cache key by kind (``Batch.keys``)
    parts: dict[str, str]             # frame id → the key of the batch's part for it
    base: str                         # the key of its frame-free part
    cuts: bool = True                 # load the sentences (False: passed on as the cache holds them)
    result: str = ""                  # the key of the batch's tables


def fetched(task: Task, f: Fetch, cache: ArticleCache) -> Task:
    """The task with what the cache holds for it: the batch's parts, and per article only what the
    missing parts need.  Parts and attributions stay as the cache holds them (``Task.unwired`` loads
    them); so do the sentences unless ``f.cuts``.  What is not read but still in use is touched."""
    blobs = {fid: blob for fid, key in f.parts.items() if (blob := cache.blob(key)) is not None}
    need = [fid for fid in f.parts if fid not in blobs]
    if (base := cache.blob(f.base)) is not None:
        blobs["base"] = base
    attributions = bool(need) or base is None
    present = cache.present(*(k[fid] for k in f.keys for fid in need))
    earlier = cache.present(*(k[WAS + fid] for k in f.keys for fid in need if k[fid] not in present and WAS + fid in k))
    pieces = []
    for p, k in zip(task.pieces, f.keys):
        kept = {"cut": cache.blob(k["segments"])}
        cut = cache.load(kept["cut"], expect=_is_cut) if f.cuts else None
        has_cut = cut is not None if f.cuts else kept["cut"] is not None
        kept["found"] = cache.blob(k["found"]) if has_cut and attributions else None
        rows = {fid: r for fid in need if k[fid] in present and (r := cache.get(k[fid], expect=_is_entry)) is not None}
        previous = {fid: r for fid in need if fid not in rows and k.get(WAS + fid) in earlier
                    and (r := cache.get(k[WAS + fid], expect=_is_entry, keep=False)) is not None}
        pieces.append(dataclasses.replace(p, cut=cut, rows=rows, previous=previous,
                                          blobs={x: blob for x, blob in kept.items() if blob is not None and has_cut}))
        cache.touch(*(k[fid] for fid in f.parts if fid not in need), *(() if attributions else (k["found"],)))
    return dataclasses.replace(task, pieces=pieces, blobs=blobs, fetch=None)


def _loads(blob: bytes, shared: Shared | None = None):
    """A verified pickle from the cache (``ArticleCache.blob``), or None if it does not load."""
    try:
        return shared.loads(blob) if shared is not None else pickle.loads(blob)
    except Exception:  # noqa: BLE001 - a layout of another version: recomputed, never fatal
        return None


def _checked(value, expect):
    return value if expect(value) else None


@dataclass
class BatchResult:
    cuts: list[tuple]                 # per article: (segments, removed)
    fresh: list[dict[str, list[dict]]]  # per article: newly coded mention rows by frame id, for the cache
    found: list[dict | None]          # per article: attributions newly computed, for the cache
    mentions: pd.DataFrame
    quotations: pd.DataFrame
    stances: pd.DataFrame
    speakers: pd.DataFrame
    claims: pd.DataFrame
    details: pd.DataFrame
    sourcing: pd.DataFrame
    removed: pd.DataFrame             # the lines boilerplate rules removed, with their text (cut where the texts were read)
    new_cuts: list[bool] = field(default_factory=list)  # per article: segmented afresh (not from the cache)
    coded: list[set[str]] = field(default_factory=list)  # per article: frames coded afresh (the others' rows were cached)
    partly: list[set[str]] = field(default_factory=list)  # per article: those of them coded in part (``coding.revision``)
    packed: Packed | None = None      # the worker's pickles, when it ran in another process
    new_base: parts_of.Base | None = None  # the batch's parts built here, for the cache
    new_parts: dict[str, parts_of.FramePart] = field(default_factory=dict)
    rejected: int = 0                 # cached values sent to it that did not load (recomputed)
    # Its row tables' CSV rows, as its parts hold them, and its sentences' frame: both in its cache entry, so
    # that a re-run that finds the batch cached writes its rows without reading 64 articles' sentences
    # entries or writing any CSV again (at 10,000 articles, 3 of a no-change re-code's 7 s).
    csv: dict[str, bytes] | None = None
    segments: pd.DataFrame | None = None

    def row_tables(self) -> dict[str, pd.DataFrame]:
        """The rows this batch adds to each streamed table (its sentences' frame built from the cuts if
        it came without one)."""
        segments = self.segments if self.segments is not None else coding.segments_frame([s for cut in self.cuts for s in cut[0]])
        return {"mentions": self.mentions, "frame_sentences": self.stances.drop(columns=["sentence"]), "segments": segments,
                "removed": self.removed, "quotations": self.quotations, "speakers": self.speakers}


def analyse_batch(task: Task, inputs: Inputs) -> BatchResult:
    """All the work on a batch of articles, step by step:

    per article (``analyse_piece``), what the cache does not hold already:
    1. segment: boilerplate removed, sentences as offsets         coding.segment_article
    2. code the frames it lacks, one scan for all of them, and     coding.code_frames
       drop hits without the context their frame asks for         context.apply_context
       (of an edited frame, only the indicators the edit changed)  coding.revision
    3. attribute every sentence (the speaker carries over)         voices.attribute_segments
    4. voice each frame's mentions: speaker, stance                voices.voice_columns
    then per batch (``batch_tables``), the parts the task does not bring from the cache:
    5. per frame: its mentions, frame sentences, claims and details     extract.batch.frame_part
    6. the rest: sentence speakers, removed lines, sourcing, quotations  extract.batch.base_part
    7. the batch's tables, assembled from the parts                      extract.batch.assemble

    Each article x frame entry holds the frame's mention rows and their voice columns, tagged
    with the actors and lexicon they were voiced with: a frame edit recodes and revoices that
    frame only, a lexicon edit revoices every frame and recodes none.  Steps 2–5 run only for
    the frames whose part is not cached."""
    shared = gazetteer(inputs.actors)
    task = task.unwired(shared)
    frames = [f for f in inputs.codebook.frames if f.id not in task.parts]
    done = [analyse_piece(piece, inputs, frames, task.base is None, shared) for piece in task.pieces]
    return batch_tables(task, inputs, done, frames)


@dataclass
class PieceResult:
    cut: tuple                        # (segments, removed)
    entries: dict[str, dict]          # new or revoiced mention entries by frame id, for the cache
    found: dict                       # its sentences' attributions ({} where nothing needed them)
    new_found: bool                   # computed here (not from the cache)
    rows: dict[str, list[dict]]       # its voiced mention rows by frame id (the frames asked for)
    coded: set[str]                   # frames coded afresh
    partly: set[str] = field(default_factory=set)  # those of them coded in part: an edited frame's changed indicators
    rejected: int = 0                 # its cached attributions did not load (recomputed)


def analyse_piece(piece: Piece, inputs: Inputs, frames=None, base: bool = True, shared: Shared | None = None) -> PieceResult:
    """Steps 1–4 of ``analyse_batch`` on one article, each skipped where the cache has its result.
    ``frames``: those to voice (default: all); ``base``: whether the batch's base part needs its
    attributions; ``shared``: what names the actors in cached attributions (``gazetteer``)."""
    frames = inputs.codebook.frames if frames is None else frames
    cut = piece.cut if piece.cut is not None else coding.segment_article(piece.article, inputs.boilerplate)  # 1
    voiced_with = {f.id: f"{inputs.voices_key}|{f.denial_key}" for f in frames}  # all a mention's voice depends on
    given, coded, partly = _entries(piece, inputs, frames, cut[0], voiced_with)                          # 2
    # per frame, its rows' voices: None where a row is new, or was voiced with other actors, lexicon or flag
    todo = {fid: list(e["voices"]) if e["voiced_with"] == voiced_with[fid] else [None] * len(e["rows"])
            for fid, e in given.items()}
    unvoiced = any(None in v for v in todo.values())
    # attributions restart with every article, so one article at a time gives the same answer      # 3
    # (where something reads them: the base part or a mention to voice; or the sentences were cut here,
    # when the cache's attributions, of another cut, are not used and new ones are kept)
    att, computed, rejected = _attributions(piece, inputs, cut, base or piece.cut is None or unvoiced, shared)
    voicing = voices.Voicing(cut[0], att, voices.lexicon_of(inputs.actors), inputs.codebook) if unvoiced else None
    rows, entries = {}, {}
    for f in frames:                                                                                    # 4
        entry, vs = given[f.id], todo[f.id]
        if f.id in coded or entry["voiced_with"] != voiced_with[f.id] or None in vs:
            holes = [i for i, v in enumerate(vs) if v is None]
            for i, v in zip(holes, voicing.columns([entry["rows"][i] for i in holes]) if holes else ()):
                vs[i] = v
            entry = entries[f.id] = {"rows": entry["rows"], "voiced_with": voiced_with[f.id], "voices": vs}
        rows[f.id] = [{**r, **v} for r, v in zip(entry["rows"], entry["voices"])]
    return PieceResult(cut, entries, att or {}, computed, rows, coded, rejected=rejected, partly=partly)


def _entries(piece: Piece, inputs: Inputs, frames, segments, voiced_with) -> tuple[dict[str, dict], set[str], set[str]]:
    """Each frame's mention entry, the frames coded here and those of them coded in part: cached; an edited frame's
    earlier version's with the rows of its unchanged indicators kept and its new ones coded
    (``coding.revision``); or coded whole.  Hits without the context their frame asks for are dropped."""
    codebook, article = inputs.codebook, piece.article
    missing = [f for f in frames if f.id not in piece.rows]
    revised = {f.id: (rev, piece.previous[f.id]) for f in missing
               if (rev := inputs.revisions.get(f.id)) is not None and f.id in piece.previous
               and rev.usable(piece.previous[f.id], segments)}
    todo = [f for f in missing if f.id not in revised]
    todo += [rev.fresh for rev, _ in revised.values() if any(rev.fresh.indicators.values())]
    new = coding.code_frames(article, segments, codebook, todo) if todo else {}
    if new:  # frame scope (codebook 'context:'), per article, before caching: kept rows are final
        new = _scoped(new, segments, codebook)
    given = {f.id: piece.rows.get(f.id) or {"rows": new[f.id], "voiced_with": None, "voices": []}
             for f in frames if f.id not in revised}
    for fid, (rev, entry) in revised.items():
        given[fid] = rev.merge(entry, new.get(fid, []), segments, article.language, voiced_with[fid])
    return given, {f.id for f in missing}, set(revised)


def _attributions(piece: Piece, inputs: Inputs, cut, needed: bool, shared: Shared | None) -> tuple[dict | None, bool, int]:
    """The article's attributions if ``needed`` (else what it came with, maybe None): cached, else
    computed; whether they were computed here; and whether a cached pickle did not load (1: computed)."""
    if piece.found is not None or not needed:
        return piece.found, False, 0
    if "found" in piece.blobs:
        att = _checked(_loads(piece.blobs["found"], shared or gazetteer(inputs.actors)), _is_dict)
        if att is not None:
            return att, False, 0
    att = voices.attribute_segments(Corpus(Path("."), inputs.outlets, [piece.article]), cut[0], inputs.actors)
    return att, True, int("found" in piece.blobs)


def batch_tables(task: Task, inputs: Inputs, done: list[PieceResult], frames=None) -> BatchResult:
    """Steps 5–7 of ``analyse_batch``: the parts the task lacks (``frames``: default all), then the tables."""
    codebook, rules = inputs.codebook, inputs.extraction_rules
    frames = codebook.frames if frames is None else frames
    view = parts_of.BatchView(Corpus(Path("."), inputs.outlets, [p.article for p in task.pieces]),
                              [s for d in done for s in d.cut[0]], {sid: a for d in done for sid, a in d.found.items()})
    segments = coding.segments_frame(view.segments)
    base = task.base if task.base is not None else parts_of.base_part(
        view, [x for d in done for x in d.cut[1]], inputs.actors, inputs.cues, segments)
    rows = {f.id: sorted((r for d in done for r in d.rows[f.id]), key=coding.MENTION_ORDER) for f in frames}
    stances = {fid: p.stances for fid, p in task.parts.items()}
    rank = voices.stance_ranks(codebook)
    stances.update({fid: voices.stance_rows(r, rank) for fid, r in rows.items()})
    new = {fid: parts_of.frame_part(fid, r, stances[fid], stances, view, inputs.cues, rules) for fid, r in rows.items()}
    t = parts_of.assemble(base, {**task.parts, **new}, [f.id for f in codebook.frames], rules)
    return BatchResult(
        [d.cut for d in done], [d.entries for d in done], [d.found if d.new_found else None for d in done],
        t["mentions"], t["quotations"], t["stances"], t["speakers"], t["claims"], t["details"], t["sourcing"],
        t["removed"], new_cuts=[p.cut is None for p in task.pieces], coded=[d.coded for d in done],
        partly=[d.partly for d in done],
        new_base=base if task.base is None else None, new_parts=new, rejected=task.rejected + sum(d.rejected for d in done),
        csv=t["csv"],
        segments=segments)


def _scoped(new: dict[str, list[dict]], segments, codebook: Codebook) -> dict[str, list[dict]]:
    """One article's new rows by frame, without those whose context is not there."""
    kept = context.apply_context([r for rows in new.values() for r in rows], segments, codebook)
    out: dict[str, list[dict]] = {fid: [] for fid in new}
    for r in kept:
        out[r["frame"]].append(r)
    return out


def warm(inputs: Inputs) -> None:
    """Compile everything once in the parent, so that forked workers inherit it instead of each
    compiling it again: the codebook's scanners and patterns, the gazetteer and its cue lists, the
    extraction cues.  (The lexicon compiles when it is loaded; stance's particles at import.)"""
    for lang in LANGUAGES:
        coding.scanner(inputs.codebook, lang)
    for p in inputs.codebook.patterns():
        p.prepare()
    speakers.prepare(inputs.actors)
    for p in inputs.cues.patterns():
        p.prepare()


# The worker side of a process pool: inputs arrive once per worker, not once per article.
_WORKER_INPUTS: Inputs | None = None
_WORKER_CACHE: ArticleCache | None = None  # the run's cache, read-only: each coder reads its batches' entries


@contextmanager
def _frozen():
    """The study, its compiled patterns and the corpus live as long as a run: out of the cyclic garbage
    collector's way (each full pass walked them all: about a sixth of the coding's CPU on 1,000 articles),
    given back when the run ends, however it ends, unless the caller had frozen objects of its own.
    Nested runs give it back in order; two runs' generators consumed in turns do not (not reentrant)."""
    was, threshold = gc.get_freeze_count(), gc.get_threshold()
    gc.freeze()
    _fewer_collections()
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        if not was:
            gc.unfreeze()


GC_YOUNG = 50_000  # container allocations between two collections of the youngest generation (Python: 700)


def _fewer_collections() -> None:
    """Coding allocates many short-lived containers and makes few cycles: with Python's default the
    collector ran about 1,000 times on 2,000 articles, for 2.5 % of the CPU (cachegrind on 300 articles,
    serially: 1.0 % fewer instructions in all)."""
    young, *older = gc.get_threshold()
    if young:  # 0: the caller switched automatic collection off, and it stays off
        gc.set_threshold(max(young, GC_YOUNG), *older)


def _init_worker(inputs: Inputs, parent: int | None = None, cache: tuple | None = None) -> None:
    global _WORKER_INPUTS, _WORKER_CACHE
    _WORKER_INPUTS = inputs
    _WORKER_CACHE = ArticleCache.reader(cache)  # its own connection, opened here (never one across a fork)
    gc.freeze()  # what the worker holds for the whole run: see _frozen
    _fewer_collections()
    if parent is not None:
        die_with(parent)


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with(parent: int) -> None:
    """End this worker when ``parent`` dies, even by SIGKILL (its pool cannot tell it to):
    the kernel's parent-death signal where there is one, and a watchdog thread for the
    rest (a forkserver child's parent is the forkserver, not the coder)."""
    import signal
    import threading
    if sys.platform.startswith("linux"):
        import ctypes
        with suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    ppid = os.getppid()

    def watch() -> None:
        while True:
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                pass
            if os.getppid() != ppid:  # re-parented: whoever started this worker is gone
                os._exit(1)
            time.sleep(1)
    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


@dataclass
class Packed:
    """A batch's result as the worker pickled it: the parent keeps these bytes in the cache as
    they are and unpickles only what it reads, instead of unpickling and pickling it all again."""
    result: bytes                     # the BatchResult without its per-article parts
    segments: list[bytes | None]      # per article: the new (segments, removed), or None if cached
    found: list[bytes | None]         # per article: new attributions, or None
    fresh: list[dict[str, bytes]]     # per article: new or revoiced mention entries by frame id
    coded: list[set[str]] = field(default_factory=list)  # per article: the frames among them coded afresh
    base: bytes | None = None         # the batch's base part, if built
    parts: dict[str, bytes] = field(default_factory=dict)  # its frame parts built, by frame id
    rejected: int = 0                 # cached values sent that did not load here (recomputed)
    partly: list[set[str]] = field(default_factory=list)  # per article: the frames it coded in part
    used: list[str] = field(default_factory=list)  # cache keys it read or touched (for the run's pruning)
    stored: list[tuple[str, bytes]] | None = None  # what the parent stores, signed by the coder (``signed``)


def _dump(value) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def pack(r: BatchResult, inputs: Inputs) -> Packed:
    segments = [_dump(c) if new else None for c, new in zip(r.cuts, r.new_cuts)]
    shared = gazetteer(inputs.actors)
    found = [shared.dumps(f) if f is not None else None for f in r.found]
    fresh = [{fid: _dump(rows) for fid, rows in f.items()} for f in r.fresh]
    # the result holds the CSV rows, written by the coder (the parent, which writes every table, is what a
    # re-code after a frame edit waits for), and the sentences' frame (the parent need not read the cuts)
    return Packed(_dump(_bare(r)), segments, found, fresh, r.coded, _dump(r.new_base) if r.new_base is not None else None,
                  {fid: _dump(part) for fid, part in r.new_parts.items()}, r.rejected, partly=r.partly)


def _bare(r: BatchResult) -> BatchResult:
    """The batch's tables, their CSV rows and its sentences' frame: what its cache entry holds (the other
    parts have entries of their own)."""
    return dataclasses.replace(r, cuts=[], fresh=[], found=[], new_cuts=[], coded=[], partly=[], new_base=None, new_parts={},
                               packed=None, rejected=0)


def unpack(p: Packed, task: Task) -> BatchResult:
    r = pickle.loads(p.result)
    # the sentences' frame came instead of the cuts: a caller that needs no cuts unpickles none
    r.cuts = [pickle.loads(b) if b is not None and task.keep_cuts else piece.cut for b, piece in zip(p.segments, task.pieces)]
    r.packed, r.rejected = p, p.rejected
    return r


def gazetteer(actors: dict[str, Actor]) -> Shared:
    """The actors as the cached attributions name them (kept on the gazetteer)."""
    return gazetteer_of(actors).shared


def _run_in_worker(task: Task) -> Packed:
    used, rejected, f = [], 0, task.fetch
    if f is not None:  # its cached values are read here too
        cache = _WORKER_CACHE
        before = cache.rejected
        task = fetched(task, f, cache)
        used, rejected = cache.take_used(), cache.rejected - before
    packed = pack(analyse_batch(task.loaded(lazy=True), _WORKER_INPUTS), _WORKER_INPUTS)  # texts read here, not in the parent
    packed.used, packed.rejected = used, packed.rejected + rejected
    return signed(packed, f, _WORKER_CACHE) if f is not None and f.result else packed


def signed(p: Packed, f: Fetch, cache: ArticleCache) -> Packed:
    """The batch's new entries signed here, under the keys ``f`` names, for the parent to store as they are:
    compressing and signing them was a fifth of the parent's time after a frame edit, and the parent (which
    writes every table) is what such a re-code waits for.  Only the tables stay unsigned too (the parent
    reads them); the per-article values the parent only stores come as markers that say they are there."""
    out = []
    for k, seg, att, fresh in zip(f.keys, p.segments, p.found, p.fresh):
        out += [(k["segments"], seg)] if seg is not None else []
        out += [(k["found"], att)] if att is not None else []
        out += [(k[fid], entry) for fid, entry in fresh.items()]
    out += [(f.base, p.base)] if p.base is not None else []
    out += [(f.parts[fid], part) for fid, part in p.parts.items()]
    out.append((f.result, p.result))
    return dataclasses.replace(p, segments=[b"" if x is not None else None for x in p.segments] if not f.cuts else p.segments,
                               found=[b"" if x is not None else None for x in p.found], fresh=[], base=None, parts={},
                               stored=[(key, cache.sign(blob, key)) for key, blob in out])


def _run_on_worker(task: Task, inputs: Inputs) -> Packed:
    return pack(analyse_batch(task, inputs), inputs)  # loaded by the parent: a cluster may not see the files


WINDOW = 4  # batches in flight per worker: enough to keep them busy, few enough to bound memory


def _run_tasks(tasks: Iterator[Task], inputs: Inputs, jobs: int, scheduler, bar, parallel: bool,
               cache_spec: tuple | None = None):
    """Yield the results in task order, however they are computed.  ``tasks`` is consumed
    lazily, a few batches ahead of the results, so memory stays bounded on any corpus.
    ``cache_spec``: the cache the pool's workers read (``ArticleCache.reader_spec``)."""
    if scheduler:
        yield from _run_on_dask(tasks, inputs, scheduler, bar, jobs)
        return
    if not parallel:
        for t in tasks:
            yield analyse_batch(t.loaded(lazy=True), inputs)
            bar.update(len(t.pieces))
        return
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor
    # fork shares the compiled patterns; but forking a process with threads (a Jupyter kernel) can hang
    fork = sys.platform.startswith("linux") and threading.active_count() == 1
    ctx = multiprocessing.get_context("fork" if fork else "forkserver" if sys.platform.startswith("linux") else "spawn")
    if fork:
        warm(inputs)
        gc.freeze()  # the compiled patterns go to the workers frozen (inside Run.batches' _frozen)
    with ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_init_worker,
                             initargs=(inputs, os.getpid(), cache_spec)) as pool:
        yield from _in_order(tasks, lambda t: pool.submit(_run_in_worker, t.wire()), lambda f: f.result(),
                             WINDOW * jobs, bar)


def _in_order(tasks: Iterator[Task], submit, result, window: int, bar):
    """Submit up to ``window`` tasks ahead; yield their results in submission order."""
    pending: deque = deque()
    for t in tasks:
        pending.append((t, submit(t)))
        if len(pending) >= window:
            t0, f = pending.popleft()
            yield unpack(result(f), t0)
            bar.update(len(t0.pieces))
    while pending:
        t0, f = pending.popleft()
        yield unpack(result(f), t0)
        bar.update(len(t0.pieces))


def _run_on_dask(tasks: Iterator[Task], inputs: Inputs, scheduler, bar, jobs: int):
    """The same per-article work on a Dask distributed cluster; ``scheduler`` is an address or a Client."""
    from distributed import Client

    from analysis.io import cluster
    client = scheduler if isinstance(scheduler, Client) else cluster.connect(scheduler)
    address = getattr(client.scheduler, "address", scheduler)
    try:
        try:
            # hashing walks every pattern: slow; without workers a broadcast waits for one, so not bounded here
            shared = client.scatter(inputs, broadcast=cluster.workers(client) > 0, hash=False, timeout=cluster.TIMEOUT)
        except (OSError, TimeoutError) as e:
            raise SchedulerError(f"the Dask scheduler at {address} did not take the inputs: {e}") from None
        workers = max(jobs, cluster.workers(client) or 1)
        yield from _in_order(tasks, lambda t: client.submit(_run_on_worker, t.loaded(), inputs=shared, pure=False),
                             lambda f: cluster.result(f, client, address), WINDOW * workers, bar)
    finally:
        if client is not scheduler:
            client.close(timeout=cluster.TIMEOUT)


def _concat(frames: list[pd.DataFrame], like: pd.DataFrame | None = None) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return like.iloc[0:0] if like is not None else pd.DataFrame()
    return pd.concat(frames, ignore_index=True)


def _by_frame(df: pd.DataFrame, frames: list[str]) -> pd.DataFrame:
    if not len(df):
        return df
    rank = {f: k for k, f in enumerate(frames)}
    ranks = [rank.get(f, len(rank)) for f in df["frame"].tolist()]  # one look-up per row, not a pandas call
    order = sorted(range(len(df)), key=ranks.__getitem__)  # stable
    return df.iloc[order].reset_index(drop=True)


def default_jobs() -> int:
    return int(os.environ.get(JOBS_ENV) or 0) or cpu_count()


@dataclass
class Batch:
    """One batch of consecutive articles; its cache keys are worked out when its turn comes
    (at 100k articles, holding them all would cost hundreds of MB)."""
    articles: list[StoredArticle]
    hit: bool                   # segments and result are all in the cache
    salts: tuple = ()           # (cache, rules, actors, voices, fingerprints, edited frames' earlier fingerprints,
                                # base, part salts): what the keys hash besides the articles

    @property
    def keys(self) -> list[dict[str, str]]:
        """Per article: cache key by kind (segments, found, one per frame)."""
        if getattr(self, "_keys", None) is None:
            self._keys = _article_keys(self.articles, *self.salts[:6])
        return self._keys

    @property
    def result_key(self) -> str:
        cache, rules_hash, _, voices_hash, *_ = self.salts
        return cache.key("batch", rules_hash, voices_hash, *(k["art"] for k in self.keys))

    def hit_keys(self) -> list[str]:
        """Its tables' key and its articles' sentences keys: whether it is all in the cache, worked out
        without the other per-article keys (nine in ten of them, hashed again when its turn comes)."""
        cache, rules_hash, _, voices_hash, *_ = self.salts
        arts = [_art(a) for a in self.articles]
        return [cache.key("batch", rules_hash, voices_hash, *arts), *(cache.key("segments", rules_hash, art) for art in arts)]

    @property
    def base_key(self) -> str:
        """The batch's frame-free part: not the codebook's (a frame edit keeps it)."""
        cache, rules_hash, *_, base_hash, _ = self.salts
        return cache.key("base", rules_hash, base_hash, *(k["art"] for k in self.keys))

    def part_key(self, frame_id: str) -> str:
        """One frame's part: the base's inputs and what of the codebook the frame's tables read."""
        return self.part_keys([frame_id])[frame_id]

    def part_keys(self, frame_ids) -> dict[str, str]:
        cache, rules_hash, *_, base_hash, part_salts = self.salts
        articles = "|".join(k["art"] for k in self.keys)  # joined once for all the frames
        return {fid: cache.key("part", rules_hash, base_hash, part_salts[fid], articles) for fid in frame_ids}

    def done(self) -> None:
        self._keys = None


# What each kind of cache entry must be (a signed entry of another kind is recomputed, not used).
def _is_cut(v) -> bool:
    return isinstance(v, tuple) and len(v) == 2 and all(isinstance(x, list) for x in v)


def _is_entry(v) -> bool:
    return isinstance(v, dict) and {"rows", "voiced_with", "voices"} <= v.keys()


def _is_dict(v) -> bool:
    return isinstance(v, dict)


def _is_result(v) -> bool:
    return isinstance(v, BatchResult)


def _is_base(v) -> bool:
    return isinstance(v, parts_of.Base)


def _is_part(v) -> bool:
    return isinstance(v, parts_of.FramePart)


def part_salts(codebook: Codebook, rules: ExtractionRules) -> dict[str, str]:
    """Per frame, all its part reads of the codebook: its matches (fingerprint), its denial flags, the
    order of its indicators (which mention gives a sentence its stance), and the matches of the frame
    its detail rule links to."""
    prints = {f.id: f.fingerprint for f in codebook.frames}
    out = {}
    for f in codebook.frames:
        rule = rules.details.get(f.id)
        linked = rule.linked if rule is not None and rule.linked else ""
        ranks = [(lang, [i.label for i in inds]) for lang, inds in f.indicators.items()]
        out[f.id] = f"{prints[f.id]}|{f.denial_key}|{ranks}|{linked}={prints.get(linked, '-')}"
    return out


def _art(article) -> str:
    """What identifies an article in its cache keys (its text by hash)."""
    return "|".join((article.id, article.file, article.language, article.outlet.name_en, article.sha256))


def _article_keys(articles, cache, rules_hash, actors_hash, voices_hash, fingerprints, was=None) -> list[dict[str, str]]:
    """``was``: frame id → the fingerprint of an edited frame's cached version (its key is ``WAS`` + the id)."""
    keys = []
    for article in articles:
        art = _art(article)  # ArticleCache.key joins its parts with "|": the same keys as the art's five parts
        keys.append({"segments": cache.key("segments", rules_hash, art), "art": art,
                     "found": cache.key("attributions", rules_hash, actors_hash, art),
                     **{fid: cache.key("mentions", rules_hash, fp, art) for fid, fp in fingerprints.items()},
                     **{WAS + fid: cache.key("mentions", rules_hash, fp, art) for fid, fp in (was or {}).items()}})
    return keys


class Run:
    """One coding run over a corpus, batch by batch, in article order.

    ``batches()`` yields each batch's result as soon as it and the ones before it are
    done, so that a caller can write them out and let them go (``code`` at any corpus
    size); ``analyse`` keeps them all and concatenates them.  Cached per article
    (segments), per article x frame (mentions), so an edit to one article recodes that
    article and an edit to one frame recodes that frame only; and per batch for voices
    and extractions, keyed on everything they depend on.
    """

    def __init__(self, data_dir: Path | str = "data", progress: bool = False, cache_dir: Path | None = None,
                 jobs: int | None = None, scheduler=None, batch: int | None = None, dedupe: bool | None = None):
        self.t0 = time.perf_counter()
        self.data_dir = data_dir = Path(data_dir)
        self.progress = progress
        self.jobs = default_jobs() if jobs is None else max(1, jobs)
        self.scheduler = scheduler or os.environ.get(SCHEDULER_ENV) or None
        memo_key, memo = self._seen(cache_dir, data_dir)
        self.study = study = Study.load(data_dir, memo=memo)
        corpus, codebook, actors, extraction = study.corpus, study.codebook, study.actors, study.extraction_rules
        if dedupe if dedupe is not None else os.environ.get(DEDUPE_ENV) == "1":  # each story once
            corpus.set_aside = [a.id for a in corpus.articles if a.duplicate_of]
            corpus.articles = [a for a in corpus.articles if not a.duplicate_of]
        self.corpus, self.codebook, self.actors, self.cues = corpus, codebook, actors, study.cues
        self.extraction_rules = extraction
        self.cache = cache = ArticleCache(cache_dir, source_hash())
        if memo.changed:
            cache.put(memo_key, memo.now)
        else:
            cache.touch(memo_key)
        rules_hash = file_hash(data_dir / BOILERPLATE)
        # attributions and stance read the actors and the lexicon (the data folder's, else the shipped one)
        actors_hash = "|".join(file_hash(p) for p in (data_dir / ACTORS, data_dir / lexicon.LEXICON, lexicon.SHIPPED))
        self.inputs = Inputs(study.boilerplate, codebook, actors, study.cues, corpus.outlets, extraction, actors_hash)
        # what a batch's tables read besides the codebook (the outlets: sourcing matches their Arabic names)
        base_hash = "|".join((actors_hash, *(file_hash(data_dir / f) for f in (CUES, EXTRACTION_RULES, EVENTS, OUTLETS))))
        voices_hash = f"{base_hash}|{codebook.sha256}"
        self.fingerprints = fingerprints = {f.id: f.fingerprint for f in codebook.frames}
        self.shared = gazetteer(actors)
        self.lazy_cuts = False  # True: cached sentences go to the workers unread (a caller that needs no cuts)
        self.plan: list[Batch] = []
        batch = batch or (BIG_BATCH if len(corpus.articles) >= BIG_CORPUS else BATCH)
        salts = (cache, rules_hash, actors_hash, voices_hash, fingerprints, {}, base_hash, part_salts(codebook, extraction))
        for i in range(0, len(corpus.articles), batch):
            b = Batch(corpus.articles[i:i + batch], False, salts)
            b.hit = cache.has(*b.hit_keys())
            self.plan.append(b)
        misses = sum(not b.hit for b in self.plan)
        if misses:  # frames edited since the last run: their unchanged indicators' rows come from the earlier entries
            self.inputs.revisions = revisions(codebook, cache.get(cache.key(CODED_VERSIONS), expect=_is_dict))
            salts = (*salts[:5], {fid: r.was for fid, r in self.inputs.revisions.items()}, *salts[6:])
            for b in self.plan:  # the earlier entries' keys join each batch's keys
                b.salts = salts
                b.done()
        self.parallel = self.scheduler is None and self.jobs > 1 and misses >= 2  # one batch: a pool costs more than it saves
        self.stats = {"articles": len(corpus.articles), "cached": 0, "recoded": {}, "partly": {}, "segmented": 0,
                      "attributed": 0, "frames": codebook.frame_ids,  # and per edited frame: (indicators coded, all)
                      "revised": {fid: (sum(map(len, r.fresh.indicators.values())),
                                        sum(map(len, codebook.frame(fid).indicators.values())))
                                  for fid, r in self.inputs.revisions.items()},
                      "jobs": self.jobs if self.parallel or self.scheduler else 1,
                      "scheduler": str(self.scheduler) if self.scheduler else ""}

    @staticmethod
    def _seen(cache_dir: Path | None, data_dir: Path) -> tuple[str, Seen]:
        """What the last run read of this data folder's articles, from the cache (signed there): its key
        and the memo (empty without a cache, or with one that does not hold it)."""
        peek = ArticleCache.peek(cache_dir, source_hash())
        try:
            key = peek.key("articles read", str(data_dir.resolve()))
            return key, Seen(peek.get(key, expect=_is_dict) or {})
        finally:
            peek.close()

    def _tasks(self) -> Iterator[Task]:
        """The batches to code, with where their cached values are.  In a process pool that writes its
        sentences' table from the coders' frames (``lazy_cuts``), each coder reads its batch's entries
        itself (the parent's reading, unpickling and sending them was what a re-code after a frame edit
        waited for); otherwise they are read here, when the batch's turn comes."""
        remote = self.parallel and self.lazy_cuts and self.cache.reader_spec() is not None
        for b in self.plan:
            if b.hit:
                continue
            f = Fetch(b.keys, b.part_keys(self.fingerprints), b.base_key, cuts=not self.lazy_cuts, result=b.result_key)
            task = Task([Piece(a, None, {}) for a in b.articles], keep_cuts=not self.lazy_cuts)
            yield dataclasses.replace(task, fetch=f) if remote else fetched(task, f, self.cache)

    def _cached(self, b: Batch) -> BatchResult | None:
        """The batch's result from the cache, or None.  Its articles' sentences entries are read only for a
        caller that needs the cuts (``lazy_cuts`` off) or a result without its rows; else touched."""
        done = self.cache.get(b.result_key, expect=_is_result)
        rows = done is not None and done.segments is not None and done.csv is not None
        if rows and self.lazy_cuts:
            done.cuts = [None] * len(b.keys)
            self.cache.touch(*(k["segments"] for k in b.keys))
        else:
            cuts = [self.cache.get(k["segments"], expect=_is_cut) for k in b.keys]
            if done is None or not all(c is not None for c in cuts):
                return None
            done.cuts = cuts
        self.cache.touch(*(k[x] for k in b.keys for x in ("found", *self.fingerprints)),  # in use: pruning keeps them
                         b.base_key, *b.part_keys(self.fingerprints).values())
        return done

    def batches(self) -> Iterator[BatchResult]:
        """Every batch's result, in article order."""
        cache, stats = self.cache, self.stats
        tqdm.monitor_interval = 0  # its monitor thread would make the pool fall back from fork to forkserver
        bar = tqdm(total=len(self.corpus.articles), desc="coding", unit="article", disable=not self.progress,
                   leave=False, file=sys.stderr, dynamic_ncols=True)
        tasks = self._tasks()
        computed = _run_tasks(tasks, self.inputs, self.jobs, self.scheduler, bar, self.parallel, cache.reader_spec())
        with _frozen():
            try:
                yield from self._in_plan_order(computed, bar)
            finally:
                try:
                    bar.close()  # the bar is gone before whatever is printed next
                finally:
                    computed.close()
        if any(not b.hit for b in self.plan):  # the version of each frame the entries now hold
            cache.put(cache.key(CODED_VERSIONS), summaries(self.codebook))
        else:
            cache.touch(cache.key(CODED_VERSIONS))
        cache.prune()
        cache.close()
        stats["cache_note"] = cache.note()
        stats["seconds"] = seconds = time.perf_counter() - self.t0
        stats["articles_per_s"] = len(self.corpus.articles) / seconds if seconds > 0 else 0.0

    def _in_plan_order(self, computed, bar) -> Iterator[BatchResult]:
        stats = self.stats
        for b in self.plan:
            r = self._cached(b) if b.hit else None
            if r is not None:
                b.done()
                stats["cached"] += len(b.articles)
                bar.update(len(b.articles))
                yield r
                continue
            if b.hit:  # listed in the cache but unreadable: code it here
                r = self._code_here(b)
            else:
                r = next(computed)
            p = r.packed  # a worker's result: what it computed afresh is what it pickled for the cache
            stats["segmented"] += sum(x is not None for x in p.segments) if p is not None else sum(r.new_cuts)
            stats["attributed"] += sum(f is not None for f in (p.found if p is not None else r.found))
            self.cache.rejected += r.rejected
            self._keep(b, r)
            b.done()
            yield r

    def _code_here(self, b: Batch) -> BatchResult:
        return analyse_batch(Task([Piece(a.loaded(), None, {}, None) for a in b.articles]), self.inputs)

    def _keep(self, b: Batch, r: BatchResult) -> None:
        """Put a computed batch's parts in the cache."""
        cache = self.cache
        if r.packed is not None:  # pickled by the worker: keep its bytes
            p = r.packed
            self._tally(p.coded, p.partly)
            cache.touch(*p.used)  # what it read from the cache: in use, so pruning keeps it
            if p.stored is not None:  # signed by the coder
                for key, stored in p.stored:
                    cache.put_stored(key, stored)
                r.packed = None
                return
            for k, seg, att, fresh in zip(b.keys, p.segments, p.found, p.fresh):
                if seg is not None:
                    cache.put_bytes(k["segments"], seg)
                if att is not None:
                    cache.put_bytes(k["found"], att)
                for fid, entry in fresh.items():
                    cache.put_bytes(k[fid], entry)
            cache.put_bytes(b.result_key, p.result)
            self._keep_parts(b, p.base, p.parts, cache.put_bytes)
            r.packed = None
            return
        self._tally(r.coded, r.partly)
        for k, cut, fresh, att, new in zip(b.keys, r.cuts, r.fresh, r.found, r.new_cuts):
            if new:
                cache.put(k["segments"], cut)
            if att is not None:
                cache.put_bytes(k["found"], self.shared.dumps(att))
            for fid, entry in fresh.items():
                cache.put(k[fid], entry)
        cache.put(b.result_key, _bare(r))  # without the segments and parts, which have their own entries
        self._keep_parts(b, r.new_base, r.new_parts, cache.put)
        r.fresh, r.found, r.new_cuts, r.coded, r.partly, r.new_base, r.new_parts = [], [], [], [], [], None, {}

    def _tally(self, coded: list[set[str]], partly: list[set[str]]) -> None:
        """Per frame, the articles it was coded in again, and in how many of them in part."""
        for counts, sets in ((self.stats["recoded"], coded), (self.stats["partly"], partly)):
            for fid in (fid for frames in sets for fid in frames):
                counts[fid] = counts.get(fid, 0) + 1

    @staticmethod
    def _keep_parts(b: Batch, base, parts: dict, put) -> None:
        if base is not None:
            put(b.base_key, base)
        keys = b.part_keys(parts)
        for fid, part in parts.items():
            put(keys[fid], part)

    def empty(self) -> dict[str, pd.DataFrame]:
        return empty_tables(self.extraction_rules)


def analyse(data_dir: Path | str = "data", progress: bool = False, cache_dir: Path | None = None,
            jobs: int | None = None, scheduler=None, batch: int | None = None, dedupe: bool | None = None) -> Analysis:
    """Analyse a corpus.  ``jobs``: processes (default: all cores, or $FRAMING_JOBS; 1 = serial);
    ``scheduler``: a Dask scheduler address or Client (or $FRAMING_SCHEDULER) to send the work to;
    ``dedupe``: leave out the articles marked ``duplicate_of`` (default: $FRAMING_DEDUPE)."""
    run = Run(data_dir, progress, cache_dir, jobs, scheduler, batch, dedupe)
    results = list(run.batches())
    corpus, extraction = run.corpus, run.extraction_rules
    segments = [s for r in results for cut in r.cuts for s in cut[0]]
    empty = run.empty()
    return Analysis(
        corpus, run.codebook, segments, _concat([r.removed for r in results], clean.removed_frame([], {})),
        _concat([r.mentions for r in results], empty["mentions"]),
        _concat([r.quotations for r in results], empty["quotations"]), run.actors,
        _concat([r.stances for r in results], empty["stances"]),
        _concat([r.speakers for r in results], empty["speakers"]),
        claims=claims_table([r.claims for r in results], empty, extraction),
        details=details_table([r.details for r in results], empty, extraction),
        extraction_rules=extraction,
        sourcing=sourcing_table([r.sourcing for r in results], empty),
        stats=run.stats,
    )


def claims_table(parts: list[pd.DataFrame], empty, extraction: ExtractionRules) -> pd.DataFrame:
    # frame by frame, as the rules list them (each batch lists its own frame by frame)
    return _by_frame(_concat(parts, empty["claims"]), list(extraction.claims))


def details_table(parts: list[pd.DataFrame], empty, extraction: ExtractionRules) -> pd.DataFrame:
    return _by_frame(_concat(parts, empty["details"]), list(extraction.details))


def sourcing_table(parts: list[pd.DataFrame], empty) -> pd.DataFrame:
    """Per-batch counts summed per outlet, in order of first appearance (as for one corpus-wide pass)."""
    sourcing = _concat(parts, empty["sourcing"])
    sourcing = sourcing.groupby(["outlet", "measure"], sort=False, as_index=False)["sentences"].sum()
    return sourcing[SOURCING_COLUMNS] if len(sourcing) else empty["sourcing"]


def empty_tables(extraction: ExtractionRules) -> dict[str, pd.DataFrame]:
    """The batch tables without rows: their columns, as the modules that fill them declare them
    (details add the columns rules.yaml names)."""
    def table(columns: list[str]) -> pd.DataFrame:
        return pd.DataFrame(columns=columns)
    return {"mentions": table(coding.MENTION_COLUMNS + voices.VOICE_COLUMNS),
            "quotations": table(voices.QUOTATION_COLUMNS), "stances": table(voices.STANCE_COLUMNS),
            "speakers": table(voices.SPEAKER_COLUMNS), "claims": table(extract.CLAIM_COLUMNS),
            "details": table(extract.detail_columns(extraction)),
            "sourcing": pd.DataFrame({"outlet": pd.Series(dtype="str"), "measure": pd.Series(dtype="str"),
                                      "sentences": pd.Series(dtype="int64")})}
