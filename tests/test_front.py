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
