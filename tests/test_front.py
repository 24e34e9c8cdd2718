"""Page 1's sourcing judgment ranks the outlet table's rows by hand-worked figures (written for testing)."""
from analysis.report.front import sourcing_leaders


def test_the_largest_share_needs_a_base_and_the_count_does_not():
    rows = {"A": (7, 10, "outlet"), "B": (18, 33, "outlet"), "C": (2, 6, "outlet"), "D": (0, 40, "outlet")}
    # A: 70 % of 10; B: 55 % of 33 but the most sentences; C: 33 % of 6 is below the base of 10
    assert sourcing_leaders(rows) == ("A", "B")
    assert sourcing_leaders(rows, min_base=11) == ("B", "B")     # A's 10 sentences no longer count
    assert sourcing_leaders({"C": (2, 6, "outlet"), "E": (1, 3, "outlet")}) == (None, "C")
    assert sourcing_leaders({"D": (0, 40, "outlet")}) == (None, None)


def test_an_equal_share_goes_to_the_larger_count():
    assert sourcing_leaders({"X": (5, 10, "group"), "Y": (10, 20, "group")}) == ("Y", "Y")


def _said(monkeypatch, rows, groups=None):
    """The page-1 sourcing sentence for hand-written table rows (links reduced to their text)."""
    from types import SimpleNamespace

    from analysis.report import briefing, front
    monkeypatch.setattr(front, "unnamed_shares", lambda a: rows)
    monkeypatch.setattr(front, "groups", lambda a: groups or {})
    return str(briefing.Briefing.anonymous_sourcing(SimpleNamespace(analysis=None, _ev=lambda text, **f: text)))


def test_the_sourcing_sentence_keeps_names_as_written_and_counts_outlets(monkeypatch):
    # a large outlet with no unnamed source does not make the small one's share comparable
    assert _said(monkeypatch, {"aljazeera.net": (3, 8, "outlet"), "Big Daily": (0, 400, "outlet")}) == (
        "No outlet with sentences on unnamed sources has 10 sentences or more, too few to compare shares; "
        "aljazeera\\.net has the most on unnamed sources (3 of 8).")
    assert _said(monkeypatch, {"aljazeera.net": (7, 10, "outlet")}) == (
        "aljazeera\\.net rests most on unnamed sources (70 %, 7 of 10).")   # the outlet's own spelling
    assert _said(monkeypatch, {"opposition": (6, 34, "group")}, {"opposition": ["Sahil Outlet 2"]}) == (
        "The opposition group (1 outlet) rests most on unnamed sources (18 %, 6 of 34).")


def test_past_twelve_outlets_each_is_in_a_group_even_alone_in_it():
    from types import SimpleNamespace

    from analysis.report.front import group_of, grouped

    def study(n):
        outlets = [SimpleNamespace(name_en=f"Outlet {i}", alignment=f"line {i}", country="X") for i in range(n)]
        return SimpleNamespace(corpus=SimpleNamespace(articles=[SimpleNamespace(outlet=o) for o in outlets]))
    assert not grouped(study(12)) and group_of(study(12)) == {}
    # 13 outlets, each of its own alignment: 13 groups of one, as the outlet table shows them
    assert grouped(study(13)) and group_of(study(13)) == {f"Outlet {i}": f"line {i}" for i in range(13)}
