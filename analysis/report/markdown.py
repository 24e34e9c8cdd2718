"""Pandoc-markdown building blocks for the briefing, safe for untrusted text.

The one escaping rule: every data string that reaches the briefing (article
text, translations, outlet and actor names, frame and event labels, file
names, ids, gold notes) goes through ``escape``, ``mixed``, ``code`` or a
helper built on them, never into an f-string raw.  ``escape`` backslash-escapes
all ASCII punctuation, so no markup can open from data: no code span
(`` ` ``), raw attribute (``{=html}``, ``{=typst}``), math (``$``), tag or
comment (``<``), citation or cross-reference (``@``), link or span (``[``),
heading, list or table syntax.  Control characters (NUL, ESC, ...) are
dropped and line breaks folded.  Bidi: explicit direction controls are kept
only in matched pairs (``io/untrusted.balance_bidi``), and a value holding
right-to-left letters or such a pair is isolated (``[…]{dir="auto"}``: a
``<span dir="auto">`` in HTML, FSI…PDI in Typst through ``rtl.lua``), so a
name cannot reorder the sentence around it.  Pandoc then escapes the literal text for
its target (HTML entities, Typst escapes); typst runs with its root limited
to the render folder; figure labels are drawn with mathtext off.
"""
from __future__ import annotations

import math
import re
import string

import pandas as pd

from analysis.io.untrusted import CONTROL, balance_bidi, has_bidi_control

_PUNCT = frozenset(string.punctuation)


# C0/C1 controls other than whitespace, and DEL: NUL, ESC and the like never reach the output.
_CONTROL = CONTROL
# Letters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko, their presentation forms, …)
# and the right-to-left mark, which is as strong as a letter.
_RTL = re.compile("[\u200f\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")


def clean(text) -> str:
    """A data value as one line of plain text: None/NaN empty, control characters dropped, whitespace
    folded, bidi controls only in matched pairs."""
    s = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    return balance_bidi(re.sub(r"\s+", " ", _CONTROL.sub("", s)))


def _escaped(s: str) -> str:
    return "".join("\\" + ch if ch in _PUNCT else ch for ch in s)


def escape(text) -> str:
    """Literal text in pandoc markdown: punctuation escaped, controls dropped, newlines folded; isolated
    (``dir="auto"``) when it holds right-to-left letters or bidi controls."""
    s = clean(text)
    return isolate(_escaped(s)) if _RTL.search(s) or has_bidi_control(s) else _escaped(s)


def isolate(inner_md: str) -> str:
    """The one bidi isolation rule for data in running text: ``<span dir="auto">`` in HTML, FSI…PDI in Typst."""
    return f'[{inner_md}]{{dir="auto"}}' if inner_md else inner_md


def code(text) -> str:
    """A literal shown in monospace (a file name, an id): a code span no backtick inside can close.

    Nothing may follow it directly but a space or punctuation the caller writes
    (``{...}`` right after a code span would make it raw output).
    """
    s = clean(text)
    fence = "`" * (max((len(r) for r in re.findall(r"`+", s)), default=0) + 1)
    pad = " " if s.startswith("`") or s.endswith("`") or not s else ""
    return f"{fence}{pad}{s}{pad}{fence}"


def arabic_inline(text: str) -> str:
    """Arabic inside an English sentence, isolated so «…», numbers and brackets keep their places."""
    return f'[{_escaped(clean(text))}]{{dir="rtl" lang="ar"}}'  # isolated by the span itself


# A run of Arabic inside other text: from the first Arabic letter (or an opening
# quote before it) to the last (or the closing quote after it).
_ARABIC_RUN = re.compile(r"[«\"“]?[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF]"
                         r"(?:[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF\s\d«»\"“”()\-/.…:]*[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF»\"”])?")


def mixed(text) -> str:
    """Escaped text whose Arabic runs are isolated right-to-left spans (an English note quoting Arabic)."""
    s = clean(text)
    out, pos = [], 0
    for m in _ARABIC_RUN.finditer(s):
        out += [escape(s[pos:m.start()]), arabic_inline(m.group())]
        pos = m.end()
    out.append(escape(s[pos:]))
    return "".join(out)


def arabic_block(inner_md: str) -> str:
    return f'::: {{dir="rtl" lang="ar" .arabic}}\n{inner_md}\n:::\n'


def mark(text: str) -> str:
    return f"[{_plain(text)}]{{.mark}}"


def _plain(text) -> str:
    """Escaped without isolation: text inside a right-to-left block (a quote), already in its own paragraph."""
    return _escaped(clean(text))


def highlighted(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    """``text[start:end]`` with the spans marked, all escaped (controls dropped: offsets stay those of the original)."""
    out, pos = [], start
    for s, e in _merge(spans):
        if s < pos or e > end:
            continue
        out += [_plain(text[pos:s]), mark(text[s:e])]
        pos = e
    out.append(_plain(text[pos:end]))
    return "".join(x for x in out if x)


def _merge(spans):
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [tuple(x) for x in merged]


def fmt(value, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def table(df: pd.DataFrame, caption: str = "", label: str = "", digits: int = 2,
          arabic_columns: tuple[str, ...] = (), markdown: bool = False, widths: dict[str, int] | None = None) -> str:
    """A pipe table; Arabic columns are isolated right-to-left spans.  ``markdown``: the cells are
    markdown already (built from escaped pieces, e.g. with links), used as they are."""
    cols = list(df.columns)
    fixed = widths or {}
    head = "| " + " | ".join(escape(c) for c in cols) + " |"
    rows, widths = [], [len(str(c)) for c in cols]
    tokens = [max((len(t) for t in str(c).split()), default=1) for c in cols]  # longest unbreakable piece
    for r in df.itertuples(index=False):
        cells = []
        for k, (c, v) in enumerate(zip(cols, r)):
            cell = fmt(v, digits) if not markdown else str(v)
            seen = re.sub(r"\]\(#[^)]*\)(\{[^}]*\})?", "", cell).replace("[", "") if markdown else cell  # a link's text
            widths[k] = max(widths[k], len(seen))
            tokens[k] = max([tokens[k]] + [len(t) for t in seen.split()])
            # Elsewhere an Arabic run (a cue word with its gloss) is isolated too: dir="rtl" in HTML.
            cells.append(cell if markdown else arabic_inline(cell) if c in arabic_columns and cell != "–" else mixed(cell))
        rows.append("| " + " | ".join(cells) + " |")
    # Pandoc sizes wrapped columns by the dashes under the header: give long text room.
    dashes = ["-" * max(6, round(1.4 * t) + 2, min(w, 45)) for w, t in zip(widths, tokens)]
    if fixed:  # the caller's relative widths (a page-1 table that must fit its page)
        dashes = ["-" * fixed.get(c, len(d)) for c, d in zip(cols, dashes)]
    align = "|" + "|".join(d + ":" if pd.api.types.is_numeric_dtype(df[c]) else ":" + d for d, c in zip(dashes, cols)) + "|"
    out = "\n".join([head, align, *rows]) + "\n"
    if caption:
        out += f"\n: {escape(caption)}" + (f" {{#{label}}}" if label else "") + "\n"
    return out + "\n"


def bullets(items: list[str]) -> str:
    """A list of items that are markdown already (built from escaped pieces)."""
    return "\n".join(f"- {i}" for i in items) + "\n\n"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"  # 100,000 articles, as a reader writes it


BLANK_NAME = "(no visible name)"


def join_names(names: list[str]) -> str:
    """'A, B and C' as markdown: each name is data, escaped (Arabic runs isolated)."""
    names = [mixed(n) or escape(BLANK_NAME) for n in dict.fromkeys(names)]  # a name of controls only shows as such
    if not names:
        return "none"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
