"""Figures for the briefing: matplotlib, legible at A4 print size.

Saved under figures/ as PNG (HTML) and SVG (PDF), with fixed metadata so two
renders of the same inputs give identical files; each figure function returns
a matplotlib Figure, and ``figure`` saves it and hands the notebook both files.  Arabic labels go through
``arabic_label``: matplotlib ≥ 3.11 shapes Arabic itself (libraqm), and
reshaping on top of that would mirror the text, so arabic-reshaper and
python-bidi are used only when ``matplotlib_shapes_arabic()`` finds that this
matplotlib cannot shape.
"""
from __future__ import annotations

import hashlib
import io
from functools import lru_cache
from pathlib import Path

import matplotlib
import matplotlib.dates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.io.output import write_bytes
from analysis.io.untrusted import terminal
from analysis.report.fonts import matplotlib_font_family

FIGURES = Path("figures")
STANCE_COLORS = {"asserted": "#1b6ca8", "reported": "#f0a202", "denied": "#c0392b"}
INK = "#222222"


def setup_style() -> None:
    plt.rcParams.update({
        "font.family": matplotlib_font_family(), "font.size": 10, "axes.titlesize": 11,
        "axes.edgecolor": INK, "axes.labelcolor": INK, "xtick.color": INK, "ytick.color": INK,
        "svg.hashsalt": "framing-briefing", "svg.fonttype": "path", "figure.dpi": 100,
        "axes.spines.top": False, "axes.spines.right": False,
        "text.parse_math": False,  # labels are data: a '$' in an outlet or event name is a dollar sign
    })


def _width(fig, text: str) -> float:
    t = fig.text(0, 0, text, fontsize=40)
    fig.canvas.draw()
    return t.get_window_extent().width


@lru_cache(maxsize=1)
def matplotlib_shapes_arabic() -> bool:
    """Does this matplotlib join Arabic letters by itself?

    Joined letters are narrower than the same letters drawn isolated: a shaping
    matplotlib draws "ببب" well under three times the width of "ب"; one that
    cannot shape draws three isolated letters.
    """
    setup_style()
    fig = plt.figure(figsize=(4, 1), dpi=50)
    try:
        return _width(fig, "ببب") < 0.8 * 3 * _width(fig, "ب")
    finally:
        plt.close(fig)


def arabic_label(text: str) -> str:
    """A label matplotlib will draw joined and right to left on this machine."""
    if not text or matplotlib_shapes_arabic():
        return text
    import arabic_reshaper
    from bidi.algorithm import get_display
    return get_display(arabic_reshaper.reshape(text))


class Rendered:
    """A saved figure as a notebook shows it: PNG for HTML, SVG (vector) for the PDF."""

    def __init__(self, png: bytes, svg: str):
        self.png, self.svg = png, svg

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"image/png": self.png, "image/svg+xml": self.svg}


def _digest(name: str, args) -> str:
    h = hashlib.sha256(name.encode())
    for a in args:
        h.update(a.to_csv().encode() if isinstance(a, (pd.DataFrame, pd.Series)) else repr(a).encode())
    h.update(matplotlib.__version__.encode())
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()


def _drawable(value):
    """Labels as matplotlib can draw them: control and bidi characters dropped (an ESC in an outlet name
    made the SVG invalid XML, and matplotlib draws no bidi)."""
    if isinstance(value, str):
        return terminal(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_drawable(v) for v in value)
    if isinstance(value, (pd.Series, pd.Index)):
        return value.map(_drawable) if _text(value) else value
    if isinstance(value, pd.DataFrame):
        out = value.copy()
        for k in range(out.shape[1]):
            if _text(out.iloc[:, k]):
                out.isetitem(k, out.iloc[:, k].map(_drawable))
        out.index, out.columns = _drawable(out.index), _drawable(out.columns)
        return out
    return value


def _text(values) -> bool:
    return values.dtype == object or isinstance(values.dtype, pd.StringDtype)


def figure(name: str, draw, *args, out_dir: Path = FIGURES) -> Rendered:
    """Draw (or reuse) figure ``name``: PNG at 200 dpi and SVG under ``out_dir``.

    Files carry no timestamps, so two renders of the same inputs are byte-identical;
    when the inputs have not changed since the last render the saved files are reused.
    """
    args = tuple(_drawable(a) for a in args)
    key = _digest(name, args)
    png_path, svg_path, key_path = (out_dir / f"{name}.png", out_dir / f"{name}.svg", out_dir / f".{name}.key")
    if key_path.exists() and key_path.read_text() == key and png_path.exists() and svg_path.exists():
        return Rendered(png_path.read_bytes(), svg_path.read_text(encoding="utf-8"))
    fig = draw(*args)
    png, svg = io.BytesIO(), io.StringIO()
    fig.savefig(png, format="png", dpi=200, metadata={"Software": None})
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    write_bytes(png_path, png.getvalue())
    write_bytes(svg_path, svg.getvalue().encode("utf-8"))
    write_bytes(key_path, key.encode())
    return Rendered(png.getvalue(), svg.getvalue())


LABEL_MAX = 48  # characters of a name drawn in a figure; longer ones end in an ellipsis


def fit(label, limit: int = LABEL_MAX) -> str:
    """A label short enough to draw beside a figure: longer ones cut, with an ellipsis."""
    label = str(label)
    return label if len(label) <= limit else label[:limit - 1].rstrip() + "…"


def outlet_label(name_en: str, name_ar: str) -> str:
    return f"{fit(name_en)}  {arabic_label(fit(name_ar))}" if name_ar else fit(name_en)


def heatmap(counts: pd.DataFrame, row_labels: list[str], col_labels: list[str], title: str):
    """Outlet × frame sentence counts with the numbers printed in the cells."""
    setup_style()
    values = counts.to_numpy(dtype=float)
    fig, ax = plt.subplots(figsize=(7.2, 0.55 * len(row_labels) + 2.6))
    ax.imshow(values, cmap="Blues", aspect="auto", vmin=0, vmax=max(values.max() if values.size else 0, 1))
    ax.set_xticks(range(len(col_labels)), [fit(x) for x in col_labels], rotation=35, ha="right")
    ax.set_yticks(range(len(row_labels)), [fit(x) for x in row_labels])
    top = values.max() if values.size else 0
    for (i, j), v in np.ndenumerate(values):
        ax.text(j, i, f"{int(v)}" if v else "–", ha="center", va="center", fontsize=10,  # – : never carried
                color="white" if top and v > 0.6 * top else INK)
    ax.set_title(title, loc="left")
    ax.spines[:].set_visible(False)
    ax.tick_params(length=0)
    fig.tight_layout()
    return fig


def ranked_bars(totals: pd.DataFrame, title: str):
    """Frames ranked by sentences, annotated with how many outlets carry each."""
    setup_style()
    t = totals.iloc[::-1]
    fig, ax = plt.subplots(figsize=(7.2, 0.42 * len(t) + 1.4))
    bars = ax.barh(range(len(t)), t["sentences"], color="#1b6ca8")
    ax.set_yticks(range(len(t)), [fit(x) for x in t["label"]])
    for bar, n, o in zip(bars, t["sentences"], t["outlets"]):
        ax.text(bar.get_width() + 0.2, bar.get_y() + bar.get_height() / 2,
                f"{int(n)}  ({int(o)} outlet{'s' if o != 1 else ''})", va="center", fontsize=9)
    ax.set_xlabel("sentences carrying the frame")
    ax.set_xlim(0, max(t["sentences"].max() if len(t) else 0, 1) * 1.3)  # no frames yet: an empty axis
    ax.set_title(title, loc="left")
    fig.tight_layout()
    return fig


def timeline(articles: pd.DataFrame, events: pd.DataFrame, title: str):
    """Key events and publication dates on one time axis, one labelled row each."""
    setup_style()
    ev = events.sort_values("date")
    arts = articles.dropna(subset=["date"]).sort_values(["date", "article_id"])
    rows = [(fit(e.label), pd.Timestamp(e.date), "event", None) for e in ev.itertuples()]
    many = arts.outlet.duplicated(keep=False)  # the article id only tells an outlet's articles apart
    rows += [(f"{fit(a.outlet)} ({fit(a.article_id)})" if m else fit(a.outlet), pd.Timestamp(a.date), "article",
              a.date_confidence) for a, m in zip(arts.itertuples(), many)]
    fig, ax = plt.subplots(figsize=(7.2, 0.3 * len(rows) + 1.3))
    marker = {"high": "o", "medium": "s", "low": "D"}
    for y, (_, d, kind, conf) in enumerate(rows):
        if kind == "event":
            ax.plot([d], [y], marker="|", markersize=14, color="#555555", mew=2)
        else:
            ax.scatter([d], [y], s=50, marker=marker.get(conf, "o"), color="#1b6ca8", zorder=3)
        ax.axhline(y, color="#eeeeee", lw=0.6, zorder=0)
    for a in arts.itertuples():
        ax.axvline(pd.Timestamp(a.date), color="#1b6ca8", lw=0.4, alpha=0.3, zorder=0)
    ax.set_yticks(range(len(rows)), [r[0] for r in rows])
    for tick, r in zip(ax.get_yticklabels(), rows):
        tick.set_color("#1b6ca8" if r[2] == "article" else INK)
    ax.invert_yaxis()
    days = [r[1] for r in rows]
    span = (max(days) - min(days)).days if days else 0
    pad = pd.Timedelta(days=max(1, round(span * 0.04)))
    if days:
        ax.set_xlim(min(days) - pad, max(days) + pad)  # zoomed to the corpus window and its events
    if span > 120:
        ax.xaxis.set_major_locator(matplotlib.dates.MonthLocator())
        ax.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%b\n%Y"))
    else:
        ax.xaxis.set_major_locator(matplotlib.dates.AutoDateLocator(minticks=4, maxticks=8))
        ax.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%d %b\n%Y"))
    for tick in ax.get_xticklabels():
        tick.set_fontsize(8)
    ax.set_title(title, loc="left")
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    fig.tight_layout()
    return fig


def stacked_by_stance(counts: pd.DataFrame, title: str, xlabel: str):
    """Horizontal bars per row (actor or outlet), stacked by stance."""
    setup_style()
    c = counts.iloc[::-1]
    fig, ax = plt.subplots(figsize=(7.2, 0.42 * max(len(c), 1) + 1.5))
    left = np.zeros(len(c))
    for stance, color in STANCE_COLORS.items():
        if stance in c:
            ax.barh(range(len(c)), c[stance], left=left, color=color, label=stance)
            left += c[stance].to_numpy()
    ax.set_yticks(range(len(c)), [fit(x) for x in c.index])
    ax.set_xlabel(xlabel)
    ax.xaxis.get_major_locator().set_params(integer=True)
    if ax.get_legend_handles_labels()[0]:  # no frame sentences yet: no legend
        ax.legend(frameon=False, loc="lower right")
    ax.set_title(title, loc="left")
    fig.tight_layout()
    return fig


def grouped_bars(table: pd.DataFrame, title: str, xlabel: str):
    """Rows = outlets, columns = measures, side by side."""
    setup_style()
    t = table.iloc[::-1]
    n = len(t.columns)
    fig, ax = plt.subplots(figsize=(7.2, 0.14 * max(len(t), 1) * max(n, 1) + 1.4))  # bars stay thin: the figure is a glance
    y = np.arange(len(t))
    h = 0.8 / max(n, 1)
    palette = ["#1b6ca8", "#f0a202", "#7a9e7e", "#8e5572"]
    for k, col in enumerate(t.columns):
        ax.barh(y + k * h - 0.4 + h / 2, t[col], height=h, label=col, color=palette[k % len(palette)])
    ax.set_yticks(y, [fit(x) for x in t.index])
    ax.set_xlabel(xlabel)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(frameon=False, loc="lower right", fontsize=8)
    ax.set_title(title, loc="left")
    fig.tight_layout()
    return fig


def weekly(per_week: pd.DataFrame, events: pd.DataFrame, title: str):
    """Two panels over the same weeks: articles and frame sentences per outlet, key events as grey lines."""
    setup_style()
    fig, axes = plt.subplots(2, 1, figsize=(7.2, 5.2), sharex=True)
    palette = ["#1b6ca8", "#f0a202", "#7a9e7e", "#8e5572", "#c0392b", "#555555", "#17becf", "#bcbd22"]
    weeks = sorted(per_week.week.unique())
    outlets = list(per_week.groupby("outlet").articles.sum().sort_values(ascending=False, kind="stable").index)
    shown = outlets[:len(palette) - 1]
    for ax, measure in zip(axes, ("articles", "sentences")):
        for k, outlet in enumerate(shown + (["other outlets"] if len(outlets) > len(shown) else [])):
            rows = per_week[per_week.outlet == outlet] if outlet != "other outlets" else \
                per_week[~per_week.outlet.isin(shown)].groupby("week", as_index=False)[measure].sum()
            series = rows.set_index("week")[measure].reindex(weeks, fill_value=0)
            ax.plot(series.index, series.to_numpy(), marker="o", markersize=3, lw=1.4,
                    color=palette[k % len(palette)], label=fit(outlet))
        for e in events.itertuples():
            d = pd.Timestamp(e.date)
            if weeks and weeks[0] - pd.Timedelta(days=7) <= d <= weeks[-1] + pd.Timedelta(days=7):
                ax.axvline(d, color="#999999", lw=0.8, ls="--", zorder=0)
        ax.set_ylabel(f"{measure} per week")
        ax.yaxis.get_major_locator().set_params(integer=True)
    axes[0].legend(frameon=False, fontsize=8, ncol=2)
    axes[0].set_title(title, loc="left")
    axes[1].xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%d %b\n%Y"))
    for tick in axes[1].get_xticklabels():
        tick.set_fontsize(8)
    fig.tight_layout()
    return fig
