from conftest import sentence_with


def removed_texts(seed, article_id):
    return list(seed.removed[seed.removed.article_id == article_id].text)


def test_related_links_removed_from_000(seed):
    texts = removed_texts(seed, "000")
    assert sum(t.startswith("للمزيد:") for t in texts) == 2


def test_001_title_and_lead_counted_once(seed):
    segs = [s for s in seed.segments if s.article_id == "001"]
    leads = [s for s in segs if s.text.startswith("يلتقي الرئيس الأميركي")]
    titles = [s for s in segs if s.text.startswith("بعد زيارته إيران")]
    assert len(leads) == 1 and len(titles) == 1
    rules = set(seed.removed[seed.removed.article_id == "001"].rule)
    assert {"repeated", "caption", "page_furniture"} <= rules  # repeat, (أ ب) caption, trailing التعليقات


def test_003_stamps_caption_and_tags_removed(seed):
    r = seed.removed[seed.removed.article_id == "003"]
    assert set(r.rule) >= {"exclusive_tag", "stamp", "caption", "related_heading", "page_furniture"}
    assert (r.rule == "caption").sum() == 2  # the caption is printed twice; neither copy is content
    assert not any("(أ ف ب)" in s.text for s in seed.segments)


def test_004_related_nodes_residue_removed(seed):
    assert any("Related Nodes field" in t for t in removed_texts(seed, "004"))
    assert not any("Related Nodes" in s.text for s in seed.segments)


def test_removed_spans_slice_the_original(seed):
    for r in seed.removed.itertuples():
        assert seed.corpus.article(r.article_id).text[r.start:r.end] == r.text


def test_subheadings_are_kept_as_content(seed):
    assert sentence_with(seed, "002", "العراق ليس ساعي بريد").text == "العراق ليس ساعي بريد"
