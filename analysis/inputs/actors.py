"""data/actors.yaml: the speakers the briefing knows by name (the gazetteer), with the folder's lexicon."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from analysis.inputs.codebook import term_list
from analysis.inputs.corpus import LANGUAGES
from analysis.inputs.lexicon import Lexicon, for_data, shipped
from analysis.io.cache import Shared
from analysis.io.errors import InputError, Problems, check_names
from analysis.io.yamlio import check_keys, line_of, load_yaml
from analysis.match.patterns import AnyOf, requirement
from analysis.match.scan import Prefilter

ACTORS = "actors.yaml"
ACTOR_KEYS = ("id", "name_en", "role", "kind", "side", "patterns")
KINDS = ("named", "office", "anonymous", "media")
OUTLET = "outlet"
OUTLET_SIDE = "Outlet's own voice"
UNLISTED = "unlisted"
UNLISTED_SIDE = "Speakers not in the gazetteer"


@dataclass(frozen=True)
class Actor:
    id: str
    name_en: str
    role: str
    kind: str
    side: str
    patterns: dict[str, AnyOf] = field(repr=False, compare=False)


OUTLET_ACTOR = Actor(OUTLET, "the outlet itself", "", OUTLET, OUTLET_SIDE, {})


class Gazetteer(dict):
    """The actors by id, with the lexicon of the corpus folder they came from.  It compiles, on first
    use, one automaton of all the names of each language (``names``), and keeps the pickler that
    names its actors in cached attributions (``shared``); neither travels in its pickle."""
    lexicon: Lexicon | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.forget_compiled()

    def __getstate__(self):
        return {"lexicon": self.lexicon} if "lexicon" in self.__dict__ else {}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.forget_compiled()

    def forget_compiled(self) -> None:
        self._names: dict[str, tuple[list[Actor], Prefilter]] = {}
        self._entries: dict[str, tuple[list[Actor], list[tuple[int, int]], Prefilter]] = {}
        self._shared: Shared | None = None

    def names(self, language: str) -> tuple[list[Actor], Prefilter]:
        """The actors named in a language, and one automaton of all their names (built once)."""
        got = self._names.get(language)
        if got is None:
            listed = [a for a in self.values() if language in a.patterns]
            got = self._names[language] = (listed, Prefilter([requirement(a.patterns[language]) for a in listed]))
        return got

    def entries(self, language: str) -> tuple[list[Actor], list[tuple[int, int]], Prefilter]:
        """The actors named in a language, and one automaton of every entry of their names: its
        requirement k is entry ``owners[k] = (actor, item)`` (item -1: the actor's whole pattern, when
        it is not a list).  One scan of a sentence tells which actors and which of their entries may
        occur in it, in the order of each name's own prefilter (built once)."""
        got = self._entries.get(language)
        if got is None:
            listed = self.names(language)[0]
            owners, reqs = [], []
            for k, a in enumerate(listed):
                p = a.patterns[language]
                for j, item in enumerate(p.items) if isinstance(p, AnyOf) else [(-1, p)]:
                    owners.append((k, j))
                    reqs.append(requirement(item))
            got = self._entries[language] = (listed, owners, Prefilter(reqs))
        return got

    @property
    def shared(self) -> Shared:
        """The actors as the cached attributions name them."""
        if self._shared is None:
            self._shared = Shared(self)
        return self._shared


def gazetteer_of(actors: dict[str, Actor]) -> Gazetteer:
    """The actors as a Gazetteer (a plain dict, as a test may pass, is wrapped afresh each time)."""
    return actors if isinstance(actors, Gazetteer) else Gazetteer(actors)


def lexicon_of(actors) -> Lexicon:
    return getattr(actors, "lexicon", None) or shipped()


def load_actors(data_dir: Path | str, problems: Problems | None = None) -> Gazetteer:
    """actors.yaml, with the folder's lexicon.yaml (else the shipped one).  Without a collector, any
    problem raises InputError."""
    own = problems is None
    problems = problems if problems is not None else Problems()
    actors = _parse(Path(data_dir), problems)
    if own:
        problems.raise_if_any()
    return actors


def _parse(data_dir: Path, problems: Problems) -> Gazetteer:
    path = data_dir / ACTORS
    doc = load_yaml(path)
    actors = Gazetteer()
    try:
        actors.lexicon = for_data(data_dir, problems)
    except InputError as e:
        problems.items += e.problems
    if not isinstance(doc, dict) or not isinstance(doc.get("actors"), list):
        problems.add(path, line_of(doc) or 1, "expected a top-level 'actors:' list", "see the comments at the top of the shipped file")
        return actors
    for node in doc["actors"]:
        if not isinstance(node, dict) or not check_keys(node, ACTOR_KEYS, ("id", "name_en", "kind", "patterns"), path, problems, "actor"):
            continue
        aid = str(node["id"])
        if aid in actors or aid in (OUTLET, UNLISTED):
            problems.add(path, line_of(node, "id"), f"duplicate or reserved actor id '{aid}'", "give each actor its own id")
            continue
        if node["kind"] not in KINDS:
            problems.add(path, line_of(node, "kind"), f"actor '{aid}': kind '{node['kind']}' is not one of {', '.join(KINDS)}",
                         f"set kind to one of {', '.join(KINDS)}")
            continue
        if not check_names(problems, path, line_of(node), f"actor '{aid}'", {k: node.get(k) for k in ("name_en", "role", "side")},
                           {k: line_of(node, k) for k in ("name_en", "role", "side")}):
            continue
        pats: dict[str, AnyOf] = {}
        for lang, items in (node["patterns"] or {}).items():
            if lang not in LANGUAGES:
                problems.add(path, line_of(node["patterns"], lang), f"actor '{aid}': unknown language '{lang}'", "use ar or en")
                continue
            pats[lang] = term_list(items, aid, path, problems, "write the name in plain spelling")
        actors[aid] = Actor(aid, str(node["name_en"]), str(node.get("role", "")), str(node["kind"]),
                            str(node.get("side", "")), pats)
    return actors
