"""Every bad-input case through the command line: message, exit code, nothing changed."""
import hashlib
from pathlib import Path

import pytest

from analysis.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(folder: Path) -> dict:
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def edit(path: Path, old: str, new: str):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


MANIFEST_CASES = [
    ("missing id", lambda d: edit(d / "manifest.csv", "\n001,", "\n,"), "manifest.csv:3", "missing id"),
    ("duplicate id", lambda d: edit(d / "manifest.csv", "\n001,", "\n000,"), "manifest.csv:3", "duplicate id '000'"),
    ("missing file", lambda d: (d / "articles/003_e78b460b308c2ca4.txt").unlink(), "manifest.csv:5", "does not exist"),
    ("outside data", lambda d: edit(d / "manifest.csv", "articles/004_", "../../004_"), "manifest.csv:6", "outside the data folder"),
    ("invalid date", lambda d: edit(d / "manifest.csv", "2020-08-15", "2020-02-30"), "manifest.csv:3", "invalid date '2020-02-30'"),
    ("unknown outlet", lambda d: edit(d / "manifest.csv", ",aljarida,", ",aljareeda,"), "manifest.csv:5", "did you mean 'aljarida'"),
    ("missing column", lambda d: edit(d / "manifest.csv", ",language,", ",lang,"), "manifest.csv:1", "missing column 'language'"),
    ("extra column", lambda d: edit(d / "manifest.csv", ",url\n", ",url,notes\n"), "manifest.csv:1", "unknown column 'notes'"),
    ("not utf-8", lambda d: (d / "articles/002_60db55bcef7aaadf.txt").write_bytes("نص".encode() + b"\n\xff\xfe bad"),
     "002_60db55bcef7aaadf.txt:2", "byte offset 5"),
    ("empty article", lambda d: (d / "articles/004_fb623174a5c9094e.txt").write_text(" \n"), "manifest.csv:6", "is empty"),
]

CODEBOOK_CASES = [
    ("yaml syntax", lambda d: edit(d / "codebook.yaml", "frames:", "frames: [\n  oops: {"), "codebook.yaml:", "YAML syntax error"),
    ("misspelled key", lambda d: edit(d / "codebook.yaml", "    indicators:", "    indicaters:"), "codebook.yaml:", "did you mean 'indicators'"),
    ("invalid regex", lambda d: edit(d / "codebook.yaml", "frames:\n", "frames:\n  - id: bad_regex\n    label_en: Bad\n    indicators:\n      ar:\n        - regex: '(unclosed'\n"),
     "codebook.yaml:", "invalid regex"),
    ("empty pattern", lambda d: edit(d / "codebook.yaml", "frames:\n", "frames:\n  - id: empty_one\n    label_en: Empty\n    indicators:\n      ar: ['  ']\n"),
     "codebook.yaml:", "empty term"),
    ("matches everything", lambda d: edit(d / "codebook.yaml", "frames:\n", "frames:\n  - id: greedy\n    label_en: Greedy\n    indicators:\n      ar:\n        - regex: '.*'\n"),
     "codebook.yaml:", "matches every sentence"),
    ("duplicate frame", lambda d: edit(d / "codebook.yaml", "frames:\n", "frames:\n  - id: postman\n    label_en: Again\n    indicators:\n      ar: [ساعي بريد]\n"),
     "codebook.yaml:", "duplicate frame id 'postman'"),
]


@pytest.mark.parametrize("name, breaker, where, what", MANIFEST_CASES + CODEBOOK_CASES, ids=lambda x: x if isinstance(x, str) else "")
def test_bad_input_is_reported_and_nothing_changes(capsys, data_copy, tmp_path, name, breaker, where, what):
    out_dir = tmp_path / "out"
    code, _, _ = run(capsys, "code", "--data", str(data_copy), "--out", str(out_dir), "--quiet")
    assert code == 0
    before = snapshot(out_dir)
    breaker(data_copy)
    code, out, err = run(capsys, "code", "--data", str(data_copy), "--out", str(out_dir), "--quiet")
    assert code == 2
    assert where in err and what in err, err
    assert "fix:" in err and "Traceback" not in err
    assert snapshot(out_dir) == before  # the previous good outputs are untouched
    code, out, err = run(capsys, "validate", "--data", str(data_copy))
    assert code == 2 and what in err


def test_validate_reports_every_problem_in_one_run(capsys, data_copy):
    edit(data_copy / "manifest.csv", "2020-08-15", "15/08/2020")
    edit(data_copy / "manifest.csv", ",aljarida,", ",nowhere,")
    edit(data_copy / "codebook.yaml", "    indicators:", "    paterns:")
    code, out, err = run(capsys, "validate", "--data", str(data_copy))
    assert code == 2
    assert "invalid date" in err and "unknown outlet 'nowhere'" in err and "paterns" in err
    assert "3 problem(s)" in out or "problem(s)" in out


def test_bom_and_crlf_are_accepted_silently(capsys, data_copy):
    p = data_copy / "articles/003_e78b460b308c2ca4.txt"
    p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes().replace(b"\n", b"\r\n"))
    code, out, err = run(capsys, "validate", "--data", str(data_copy))
    assert code == 0, err
    assert err.strip() == ""


def test_user_regex_cannot_backtrack_catastrophically(capsys, data_copy):
    # A classic exponential pattern for backtracking engines; RE2 runs it in linear time.
    edit(data_copy / "codebook.yaml", "frames:\n", "frames:\n  - id: nested\n    label_en: Nested\n    indicators:\n      ar:\n        - regex: '(ا+)+ب'\n")
    (data_copy / "articles/004_fb623174a5c9094e.txt").write_text("ا" * 5000 + "!\n", encoding="utf-8")
    for stale in ("gold.csv", "translations.csv"):  # they point into the replaced article
        (data_copy / stale).unlink()
    code, out, err = run(capsys, "validate", "--data", str(data_copy))
    assert code == 0, err


def test_translation_pointing_at_missing_evidence(capsys, data_copy):
    with (data_copy / "translations.csv").open("a", encoding="utf-8") as f:
        f.write('009:0-10,009,0,10,نص,Text,me,\n')
    code, out, err = run(capsys, "validate", "--data", str(data_copy))
    assert code == 2 and "translations.csv:" in err and "not in the manifest" in err


def test_stale_translation_after_an_edit(capsys, data_copy):
    p = data_copy / "articles/002_60db55bcef7aaadf.txt"
    p.write_text("مقدمة جديدة.\n" + p.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = run(capsys, "validate", "--data", str(data_copy))
    assert code == 2 and "no longer matches the article text" in err


def test_gold_pointing_at_missing_sentence(capsys, data_copy):
    if not (data_copy / "gold.csv").exists():
        pytest.skip("no gold file")
    with (data_copy / "gold.csv").open("a", encoding="utf-8") as f:
        f.write("000,999990,999999,postman,denied,kadhimi,no,\n")
    code, out, err = run(capsys, "validate", "--data", str(data_copy))
    assert code == 2 and "gold.csv:" in err and "no sentence of article '000'" in err


def refused(capsys, data: Path) -> str:
    """`validate`'s message on a data folder it must refuse (exit 2, no traceback)."""
    code, _, err = run(capsys, "validate", "--data", str(data))
    assert code == 2 and "Traceback" not in err
    return err


def test_control_character_in_yaml_is_reported_by_line_and_column(capsys, data_copy):
    # a NUL pasted after "frames:" — the line is where "frames:" sits, the column just after its colon
    text = (data_copy / "codebook.yaml").read_text(encoding="utf-8")
    line = text[:text.index("\nframes:")].count("\n") + 2
    edit(data_copy / "codebook.yaml", "\nframes:", "\nframes:\x00")
    err = refused(capsys, data_copy)
    assert f"codebook.yaml:{line}:8: control character U+0000" in err, err
    assert "fix:" in err


def test_an_unclosed_bracket_is_reported_where_it_opened_not_where_the_parser_gave_up(capsys, data_copy):
    # the [ of the US set's English names loses its ]: the parser only gives up lines below
    text = (data_copy / "codebook.yaml").read_text(encoding="utf-8")
    at = text.index("    en: [United States")
    line = text[:at].count("\n") + 1
    edit(data_copy / "codebook.yaml", "         Pentagon]\n", "         Pentagon\n")
    err = refused(capsys, data_copy)
    assert f"codebook.yaml:{line}:9: YAML syntax error: the [ opened here is not closed" in err, err
    assert "fix: add the missing ] on this line" in err


def test_an_unclosed_quote_is_reported_where_it_opened(capsys, data_copy):
    text = (data_copy / "codebook.yaml").read_text(encoding="utf-8")
    line = text.count("\n") + 1  # a line added at the end
    (data_copy / "codebook.yaml").write_text(text + 'note: "unclosed\n', encoding="utf-8")
    err = refused(capsys, data_copy)
    assert f"codebook.yaml:{line}:7: YAML syntax error: the quote opened here is not closed" in err, err


@pytest.mark.parametrize("argv, rc, says", [
    (["many", "{tmp}/c"], 2, "'many' is not a number of articles"),
    (["0", "{tmp}/c"], 2, "'0' is not a number of articles"),
    (["3", "{tmp}/a-file"], 1, "cannot write the corpus to"),
])
def test_the_resampling_script_refuses_bad_arguments_without_a_traceback(tmp_path, argv, rc, says):
    import subprocess
    import sys
    (tmp_path / "a-file").write_text("mine\n", encoding="utf-8")
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "resample.py"
    done = subprocess.run([sys.executable, str(script), *(a.format(tmp=tmp_path) for a in argv)],
                          capture_output=True, text=True)
    assert done.returncode == rc and says in done.stderr and "Traceback" not in done.stderr
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "mine\n"  # nothing of the user's lost


@pytest.mark.parametrize("text, rows, problem", [
    # each row at the line it starts on: 2; 3 (its quoted field holds a CRLF and a lone CR, two line breaks
    # as an editor shows them, so it ends on line 5); 8, after the blank lines 6 and 7
    ('a,b\n1,x\n2,"one\r\ntwo\rthree"\n\n\n3,y\n', [(2, "1"), (3, "2"), (8, "3")], None),
    # a row the reader cannot read, after blank lines: named at line 5, where it starts (it was line 3)
    ('a,b\n1,z\n\n\n2,"unclosed\n', [(2, "1")], (5, "unreadable CSV row")),
    # too many fields on a row that spans lines 3-4: line 3
    ('a,b\n1,z\n2,"x\ny",extra\n', [(2, "1")], (3, "more fields than columns")),
])
def test_csv_rows_are_numbered_where_they_start(tmp_path, text, rows, problem):
    """Written for this test: rows whose quoted fields hold line breaks, and blank lines between rows."""
    from analysis.inputs.corpus import read_csv_rows
    from analysis.io.errors import Problems
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    problems = Problems()
    got = read_csv_rows(path, ("a", "b"), ("a",), problems)
    assert [(line, row["a"]) for line, row in got] == rows
    assert [(p.line, p.what.split(":")[0]) for p in problems.items] == ([problem] if problem else [])
