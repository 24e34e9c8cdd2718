"""Large counts read as a reader writes them: 100,000 articles, not 100000."""
import numpy as np

from analysis.report import front
from analysis.report import markdown as md


def test_counts_carry_thousands_separators():
    assert md.plural(100000, "article") == "100,000 articles"
    assert md.plural(1, "article") == "1 article"
    # the outlet table's plain cells (numpy counts from group-bys included); markdown escapes the comma
    assert front.plain(np.int64(23046)) == "23\\,046"
