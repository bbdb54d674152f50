"""Rule 6 and 7: no internal error on any bad file, and messages name the real cause (file, line, the character
or value), with out/ and data/ exactly as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.load.textio import unclosed_quote_line
from tests.conftest import run_cli
from tests.test_bad_input_common import Case, assert_refused, edit, ids

FIG = "data/figures/congress13.csv"
SPEC = "data/briefings/party.yaml"
TEXT = "data/texts/summary.yaml"

CASES = [
    Case("csv-unclosed-quote", edit(FIG, ",打造经济硬实力,", ',"打造经济硬实力,'), FIG, ("双引号", "没有闭合"),
         needle='"打造经济硬实力'),
    Case("yaml-fullwidth-colon", edit(SPEC, "\ntitle: ", "\ntitle："), SPEC, ("全角冒号", "：", "U+FF1A"), needle="title："),
    Case("yaml-ideographic-space-after-colon", edit(SPEC, "\ntitle: ", "\ntitle:\u3000"), SPEC, ("全角空格", "U+3000"),
         needle="title:\u3000"),
    Case("yaml-ideographic-indent", edit(TEXT, "\n  ", "\n\u3000 ", 1), TEXT, ("全角空格", "U+3000"), needle="\u3000 "),
]


def _typo_in_texts(root: Path) -> str:
    """Misspell the first `{indicator@Y}` reference of summary.yaml; returns the typo."""
    import re

    p = root / TEXT
    text = p.read_text(encoding="utf-8")
    m = re.search(r"\{([a-z_]+)@Y\b", text)
    assert m
    typo = m.group(1)[:-1] + "x" + m.group(1)[-1]
    p.unlink()
    p.write_text(text[: m.start(1)] + typo + text[m.end(1):], encoding="utf-8")
    return typo


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def it_names_the_real_cause(project: Path, case: Case):
    assert_refused(project, case)


def it_names_a_misspelt_indicator_in_an_at_y_reference_in_one_line(project: Path):
    typo = _typo_in_texts(project)
    res = run_cli("check", "--root", str(project))
    assert res.code == 2 and f"“{typo}”" in res.err and "您是不是要写" in res.err and TEXT in res.err, res.err
    assert res.err.count("\n  - ") == 1, res.err  # not dozens of lines about a missing year


def it_echoes_the_value_typed_in_an_option_error(project: Path):
    for args, value in ((["build", "--jobs", "abc"], "abc"), (["build", "--year", "二〇二四"], "二〇二四"),
                        (["preview", "--dpi", "5000"], "5000"), (["watch", "--interval", "x1"], "x1"),
                        (["diff", "2024", "abc"], "abc"), (["diff", "--format", "json", "2024x", "2025"], "2024x"),
                        (["new-year", "20x5", "--out", "a.xlsx"], "20x5")):
        res = run_cli(*args, "--root", str(project))
        assert res.code == 2 and value in res.err and "Traceback" not in res.err, (args, res.err)


CELL = st.text(alphabet='ab,"\n 中', max_size=12)


@settings(max_examples=500, deadline=None)
@given(rows=st.lists(st.lists(CELL, min_size=1, max_size=4), min_size=1, max_size=5))
def it_finds_an_unclosed_quote_exactly_when_csv_would_run_to_the_end(rows):
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    text = buf.getvalue()
    assert unclosed_quote_line(text) is None  # what a spreadsheet writes always closes
    broken = text + '"unclosed,x\nmore\n'
    assert unclosed_quote_line(broken) == text.count("\n") + 1
