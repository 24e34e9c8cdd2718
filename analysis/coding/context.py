"""Frame scope: drop the mentions whose frame or indicator needs context that is not there.

A codebook ``context:`` names patterns that must occur in the hit's sentence, in a
window of sentences around it, or anywhere in the article (see docs/codebook.md).
This runs over the mention rows after matching, so it works with any scanner, and
it only reads the sentences of articles that have a hit needing context.
"""
from __future__ import annotations

from collections import defaultdict

from analysis.inputs.codebook import Codebook, Context


class ArticleScope:
    """One article's sentences, in order, and which of them each context pattern list matches
    (each sentence checked at most once per list, and only as far as an answer needs)."""

    def __init__(self, segments):
        self.segments = list(segments)
        self.position = {s.sentence_id: i for i, s in enumerate(self.segments)}
        self._seen: dict[tuple[int, int], bool] = {}

    def _matches(self, ctx: Context, i: int) -> bool:
        key = (id(ctx), i)
        if key not in self._seen:
            text = self.segments[i].match_text
            self._seen[key] = any(p.find(text) for p in ctx.patterns)
        return self._seen[key]

    def matching(self, ctx: Context) -> list[int]:
        """Positions of the sentences where one of the context's patterns matches."""
        return [i for i in range(len(self.segments)) if self._matches(ctx, i)]

    def holds(self, ctx: Context, sentence_id: str) -> bool:
        if ctx.within is None:  # anywhere in the article: the first sentence that has it will do
            return any(self._matches(ctx, i) for i in range(len(self.segments)))
        here = self.position[sentence_id]
        lo, hi = max(0, here - ctx.within), min(len(self.segments) - 1, here + ctx.within)
        return any(self._matches(ctx, i) for i in range(lo, hi + 1))


def unmet(requirements: list[Context], scope: ArticleScope, sentence_id: str) -> Context | None:
    """The first requirement that does not hold for a hit in this sentence, or None."""
    return next((ctx for ctx in requirements if not scope.holds(ctx, sentence_id)), None)


def split_by_context(rows: list[dict], codebook: Codebook, language: str, scope: ArticleScope,
                     sentence_id: str) -> tuple[list[dict], list[tuple[dict, Context]]]:
    """The hits of one sentence that keep their context, and those vetoed with the requirement they miss."""
    kept, vetoed = [], []
    for r in rows:
        ctx = unmet(codebook.frame(r["frame"]).requirements(language, r["indicator"]), scope, sentence_id)
        if ctx is None:
            kept.append(r)
        else:
            vetoed.append((r, ctx))
    return kept, vetoed


def apply_context(rows: list[dict], segments, codebook: Codebook) -> list[dict]:
    """Mention rows (with article_id, language, frame, indicator, sentence_id) that keep their context."""
    needs = codebook.context_needs()
    if not needs:
        return rows
    by_article = defaultdict(list)
    for s in segments:
        by_article[s.article_id].append(s)
    scopes: dict[str, ArticleScope] = {}
    kept = []
    for r in rows:
        requirements = needs.get((r["frame"], r["language"], r["indicator"]))
        if requirements:
            aid = r["article_id"]
            if aid not in scopes:
                scopes[aid] = ArticleScope(by_article[aid])
            if unmet(requirements, scopes[aid], r["sentence_id"]) is not None:
                continue
        kept.append(r)
    return kept
