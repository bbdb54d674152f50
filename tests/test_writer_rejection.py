"""A writer that rejects a document (text too long for a template placeholder) is reported like bad input:
exit 2, one Chinese message naming the data file, line and field the text came from, and the template place."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import run_cli, tree_digest
from tests.test_bad_input_common import Case, assert_refused, edit, line_of

DECK = "data/texts/deck.yaml"
FOOTER = "很长的页脚文字" * 8  # within the data check's 60 characters, too long for the cover's footer placeholder


def _long_footer(root: Path) -> None:
    text = (root / DECK).read_text(encoding="utf-8")
    old = re.search(r"^footer: .*$", text, re.M)
    assert old, "the deck has a footer"
    edit(DECK, old.group(0), f"footer: {FOOTER}")(root)


WORDS = ("字段“footer”", "文字太长", "模板中：templates/deck.pptx", "版式：封面 / 占位符：页脚")


@pytest.mark.parametrize("command", [("check",), ("build",)], ids=["check", "build"])
def it_locates_a_writer_rejection_in_the_data_text(project: Path, command: tuple[str, ...]):
    case = Case("long-footer", _long_footer, DECK, WORDS, needle=f"footer: {FOOTER}", command=command)
    err = assert_refused(project, case)
    assert err.count("文字太长") == 1, err


def it_locates_it_the_same_way_from_worker_processes(project: Path):
    _long_footer(project)
    out = project / "out"
    before = tree_digest(out)
    res = run_cli("build", "--root", str(project), "--out", str(out), "--quiet", "--jobs", "2")
    assert res.code == 2, (res.code, res.err)
    assert "Traceback" not in res.err
    line = line_of(project, DECK, f"footer: {FOOTER}")
    assert f"{DECK} 第{line}行" in res.err and all(w in res.err for w in WORDS), res.err
    assert tree_digest(out) == before
