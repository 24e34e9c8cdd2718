"""Timeline labels: an article's id shows only where it tells one outlet's articles apart."""
import re

import pandas as pd

from analysis.report import figures


def test_timeline_labels_carry_ids_only_for_outlets_with_several_articles(tmp_path):
    d = pd.Timestamp("2020-08-18").date()
    articles = pd.DataFrame({"article_id": ["a1", "a2", "b1"], "outlet": ["Daily One", "Daily One", "Weekly Two"],
                             "date": [d, d, d], "date_confidence": ["high", "medium", "low"]})
    events = pd.DataFrame({"id": ["e1"], "date": [d], "label": ["An event"]})
    fig = figures.figure("timeline", figures.timeline, articles, events, "Timeline", out_dir=tmp_path)
    labels = set(re.findall(r"<!-- (.*?) -->", fig.svg))
    assert {"Daily One (a1)", "Daily One (a2)", "Weekly Two", "An event"} <= labels
    assert "Weekly Two (b1)" not in labels
