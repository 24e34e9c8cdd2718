"""The command line, in process: argv → exit code and what the analyst reads."""
import csv

import pytest

from analysis.cli import build_parser, main


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", ["validate", "code", "kwic", "explain", "add", "evaluate", "render"])
def test_every_subcommand_has_help(capsys, command):
    with pytest.raises(SystemExit) as e:
        build_parser().parse_args([command, "--help"])
    assert e.value.code == 0
    assert "--data" in capsys.readouterr().out


def test_code_prints_the_outlet_by_frame_table_and_writes_mentions(capsys, tmp_path):
    code, out, err = run(capsys, "code", "--out", tmp_path, "--quiet")
    assert code == 0
    assert "Arabi Post" in out and "postman" in out
    assert (tmp_path / "tables" / "mentions.csv").exists()
    assert f"wrote {tmp_path / 'tables' / 'mentions.csv'}" in out
    with (tmp_path / "tables" / "mentions.csv").open(encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert header[:11] == ["article_id", "file", "outlet", "language", "frame", "indicator", "sentence_id",
                           "start", "end", "match", "sentence"]


def test_kwic_uses_normalization_and_clitics(capsys, tmp_path):
    code, out, err = run(capsys, "kwic", "الكاتيوشا", "--out", tmp_path, "--quiet")
    assert code == 0
    assert "Arabi Post" in out and "002:s" in out
    assert "【الكاتيوشا】" in out
    code, out, err = run(capsys, "kwic", "قاعدة فيكتوريا", "--out", tmp_path, "--quiet")
    assert "1 hit(s)" in out


def test_kwic_bad_regex_is_an_input_error(capsys, tmp_path):
    code, out, err = run(capsys, "kwic", "(unclosed", "--regex", "--out", tmp_path, "--quiet")
    assert code == 2 and "invalid regex" in err and "Traceback" not in err


def test_explain_a_sentence_and_a_raw_text(capsys, tmp_path):
    code, out, err = run(capsys, "explain", "--out", tmp_path, "--quiet", "--text", "العراق لن يكون ساعي بريد لأحد")
    assert code == 0 and "postman: CODED" in out and "stance=denied" in out
    code, out, err = run(capsys, "explain", "999:s999", "--out", tmp_path, "--quiet")
    assert code == 2 and "no sentence '999:s999'" in err


def test_evaluate_writes_the_validation_tables(capsys, tmp_path):
    code, out, err = run(capsys, "evaluate", "--out", tmp_path, "--quiet")
    assert code == 0
    assert "all frames" in out and "Krippendorff" not in err
    assert (tmp_path / "tables" / "evaluation_disagreements.csv").exists()


HTML = """<!doctype html><html><head><title>x</title></head><body>
<nav>الرئيسية | أخبار | رياضة</nav>
<article><h1>الكاظمي يصل إلى واشنطن</h1>
<p>وصل رئيس الوزراء العراقي مصطفى الكاظمي إلى واشنطن اليوم الخميس في زيارة رسمية يلتقي خلالها الرئيس الأمريكي دونالد ترامب.</p>
<p>وقال الكاظمي في تصريحات للصحفيين إن العراق لن يكون ساعي بريد بين طهران وواشنطن، وإن حكومته ماضية في حصر السلاح بيد الدولة.</p>
<p>وتعرضت المنطقة الخضراء في بغداد لقصف بصواريخ الكاتيوشا بعد ساعات من وصوله، دون أن تسفر عن إصابات.</p>
</article><footer>جميع الحقوق محفوظة</footer></body></html>"""


def test_add_html_to_a_new_corpus_then_code_it(capsys, tmp_path):
    page = tmp_path / "kadhimi-in-washington.html"
    page.write_text(HTML, encoding="utf-8")
    data = tmp_path / "mycorpus"
    code, out, err = run(capsys, "add", page, "--data", data, "--outlet", "shafaq", "--outlet-en", "Shafaq News",
                         "--outlet-ar", "شفق نيوز", "--country", "Iraq", "--date", "2020-08-20", "--language", "ar")
    assert code == 0, err
    text = (data / "articles" / "kadhimi-in-washington.txt").read_text(encoding="utf-8")
    assert "ساعي بريد" in text and "جميع الحقوق محفوظة" not in text  # main text only
    assert (data / "codebook.yaml").exists() and (data / "actors.yaml").exists()
    code, out, err = run(capsys, "code", "--data", data, "--out", tmp_path / "out", "--quiet")
    assert code == 0 and "Shafaq News" in out
    mentions = (tmp_path / "out" / "tables" / "mentions.csv").read_text(encoding="utf-8")
    assert "postman" in mentions and "rocket_attacks" in mentions


def test_add_refuses_duplicates_and_unknown_outlets_without_writing(capsys, tmp_path, data_copy):
    before = {p: p.read_bytes() for p in data_copy.rglob("*") if p.is_file()}
    same = tmp_path / "copy.txt"
    same.write_bytes((data_copy / "articles/002_60db55bcef7aaadf.txt").read_bytes())
    code, out, err = run(capsys, "add", same, "--data", data_copy, "--outlet", "arabipost", "--language", "ar")
    assert code == 2 and "already in the corpus as '002'" in err
    new = tmp_path / "new.txt"
    new.write_text("نص جديد عن الانسحاب.\n", encoding="utf-8")
    code, out, err = run(capsys, "add", new, "--data", data_copy, "--outlet", "nowhere", "--language", "ar")
    assert code == 2 and "unknown outlet 'nowhere'" in err and "--outlet-en" in err
    code, out, err = run(capsys, "add", new, "--data", data_copy, "--id", "000", "--outlet", "arabipost", "--language", "ar")
    assert code == 2 and "already exists" in err
    code, out, err = run(capsys, "add", new, "--data", data_copy, "--outlet", "arabipost", "--language", "ar", "--date", "2020-13-01")
    assert code == 2 and "invalid date" in err
    assert {p: p.read_bytes() for p in data_copy.rglob("*") if p.is_file()} == before


def test_add_appends_one_manifest_row(capsys, tmp_path, data_copy):
    new = tmp_path / "fresh story.txt"
    new.write_text("قال مسؤول عراقي إن القوات الأمريكية ستنسحب خلال ثلاث سنوات.\n", encoding="utf-8")
    manifest = (data_copy / "manifest.csv").read_text(encoding="utf-8")
    code, out, err = run(capsys, "add", new, "--data", data_copy, "--outlet", "aljarida", "--language", "ar",
                         "--date", "2020-08-25")
    assert code == 0, err
    after = (data_copy / "manifest.csv").read_text(encoding="utf-8")
    assert after.startswith(manifest) and after.count("\n") == manifest.count("\n") + 1
    assert "fresh_story,articles/fresh_story.txt,aljarida" in after
