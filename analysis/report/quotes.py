"""Quote blocks a policy reader can cite: English first, the original beneath, cited by outlet, date,
headline and link.  Offsets stay in the HTML (a hidden-in-print line) and in the appendix and CSVs.

The direction and language of a quote come from its article's language: an English article's sentence
is the English and runs left to right; any other language is shown beneath its translation, in its
script's direction.
"""
from __future__ import annotations

import re
from urllib.parse import quote

from analysis.report import markdown as md
from analysis.results.evidence import MISSING

RTL_LANGUAGES = ("ar", "fa", "ur", "he", "ps", "ckb")
ENDS_SENTENCE = re.compile(r"[.!?؟…:;؛][\"”»)\]]*\s*$")  # a closing quote alone does not end a sentence
HEADING_MAX_WORDS = 20  # a deck or subheading runs long; a sentence of the text ends with punctuation
URL_SAFE = ":/?#@!$&'*+,;=%~-._"  # brackets, quotes, spaces and <> are percent-encoded: a link cannot break out


def direction(language: str) -> str:
    return "rtl" if language.split("-")[0] in RTL_LANGUAGES else "ltr"


def is_heading(text: str, start: int, end: int, title: str = "") -> bool:
    """A headline or subheading: the sentence is a whole line, short, with no closing punctuation."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    s = text[start:end].strip()
    whole_line = not text[line_start:start].strip() and not text[end:line_end].strip()
    if title and s == title.strip():
        return True
    return whole_line and len(s.split()) <= HEADING_MAX_WORDS and not ENDS_SENTENCE.search(s)


def original_block(inner_md: str, language: str) -> str:
    d = direction(language)
    lang = f' lang="{md.escape(language)}"' if d == "rtl" else ""  # rtl.lua sets the script's language in Typst
    return f'::: {{dir="{d}"{lang} .original{" .arabic" if d == "rtl" else ""}}}\n{inner_md}\n:::\n'


def citation(article, outlet: str) -> str:
    """Outlet, date, "headline", link (the manifest's URL, else the outlet's site, said as such)."""
    parts = [md.escape(outlet)]
    if article.date:
        parts.append(f"{article.date:%d %b %Y}")
    parts.append(f"“{md.mixed(article.title)}”" if article.title else "headline not recorded")
    url = article.url or article.outlet.url
    if url and re.match(r"https?://", url):
        what = "article" if article.url else "outlet's site; no article link recorded"
        parts.append(f"[{md.escape(url)}]({quote(md.clean(url), safe=URL_SAFE)}) ({what})")
    return ", ".join(parts)


def block(row, article, text_md: str, who: str = "", heading: bool = False, anchor: bool = False) -> str:
    """One quote: the English (translation, or the sentence for an English article), the original beneath."""
    english_article = article.language.split("-")[0] == "en"
    label = "**Headline:** " if heading and row.start == 0 else ("**Subheading:** " if heading else "")
    if english_article:
        top, below = label + text_md, ""
    else:
        # no translation yet: the reader sees that plainly, the analyst (HTML) where to add it
        english = md.mixed(row.english) if isinstance(row.english, str) else (
            f"*\\[translation missing\\]* [{md.escape(MISSING)}]{{.html-only .offsets}}")
        top, below = label + english, original_block(text_md, article.language)
    cite = citation(article, row.outlet)
    if getattr(row, "reviewed", False):
        who += " · *reviewed*"
    ident = f"#ev-{row.evidence_id} " if anchor else ""  # the link an analyst sends for one sentence
    where = f"[{md.escape(row.evidence_id)} · {md.code(article.file)} \\[{row.start}:{row.end}\\]]{{{ident}.html-only .offsets}}"
    # lang stays off the LTR blocks: pandoc's Typst writer would print `#set text(lang: …)` beside the data
    return (f"::: {{.quote}}\n::: {{dir=\"ltr\" .english}}\n{top}\n:::\n{below}\n"
            f"[{cite}{who}]{{.cite}} {where}\n:::\n\n")
