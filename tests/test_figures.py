import matplotlib
from packaging.version import Version

from analysis.report import figures


def test_detects_that_this_matplotlib_shapes_arabic():
    # matplotlib >= 3.11 shapes with libraqm; older ones draw isolated letters
    assert figures.matplotlib_shapes_arabic() == (Version(matplotlib.__version__) >= Version("3.11"))


def test_labels_pass_through_when_matplotlib_shapes(monkeypatch):
    monkeypatch.setattr(figures, "matplotlib_shapes_arabic", lambda: True)
    assert figures.arabic_label("الجريدة") == "الجريدة"


def test_labels_are_reshaped_only_where_matplotlib_cannot_shape(monkeypatch):
    monkeypatch.setattr(figures, "matplotlib_shapes_arabic", lambda: False)
    shaped = figures.arabic_label("الجريدة")
    assert shaped != "الجريدة"
    assert all(0xFE70 <= ord(c) <= 0xFEFF for c in shaped if c != " ")  # presentation forms
    assert shaped[0] == "\ufe93"  # visual order: the final teh marbuta comes first


def test_shaped_label_draws_joined_letters():
    # a joined word is narrower than its letters drawn apart
    fig = matplotlib.pyplot.figure(figsize=(4, 1), dpi=50)
    try:
        joined = figures._width(fig, figures.arabic_label("ببب"))
        apart = figures._width(fig, " ".join("ببب"))
    finally:
        matplotlib.pyplot.close(fig)
    assert joined < apart


def test_saved_figures_are_reproducible(tmp_path):
    import pandas as pd
    counts = pd.DataFrame({"postman": [2, 0], "rocket_attacks": [0, 5]}, index=["Arabi Post", "Al-Jarida"])
    args = (counts, ["Arabi Post  عربي بوست", "Al-Jarida  الجريدة"], ["Postman", "Rockets"], "t")
    first = figures.figure("h", figures.heatmap, *args, out_dir=tmp_path)
    (tmp_path / ".h.key").unlink()  # force a redraw
    second = figures.figure("h", figures.heatmap, *args, out_dir=tmp_path)
    assert first.png == second.png and first.svg == second.svg
    assert set(second._repr_mimebundle_()) == {"image/png", "image/svg+xml"}
