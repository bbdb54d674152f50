"""Reuse by reference: `use: stem#id` prints a block of data/texts/*.yaml exactly as its source."""

from __future__ import annotations

from pathlib import Path

from generators import model as M
from generators.documents.common import Context, block
from generators.load import specs as S
from tests.conftest import ROOT, run_cli

ECOLOGY = Path("data/briefings/ecology.yaml")
SUMMARY = Path("data/texts/summary.yaml")


def _ctx(dataset) -> Context:
    return Context(dataset, dataset.year, ROOT / "assets" / "images")


def _line(project: Path, rel: Path, needle: str) -> int:
    lines = (project / rel).read_text(encoding="utf-8").splitlines()
    return next(n for n, text in enumerate(lines, 1) if needle in text)


def it_indexes_the_ids_of_the_texts_files(dataset):
    assert isinstance(dataset.blocks["summary#ecology_air"], S.BlockSpec)
    assert isinstance(dataset.blocks["deck#politics_direction"], S.ReviewItem)
    assert all(k.split("#")[0] in ("summary", "deck") for k in dataset.blocks)


def it_resolves_a_use_to_the_same_text_as_its_source(dataset):
    for key, source in dataset.blocks.items():
        ctx = _ctx(dataset)  # fresh for each pair: a chart's number counts the charts made so far
        used = block(ctx, S.BlockSpec(use=key))
        if isinstance(source, S.ReviewItem):
            assert used == M.Paragraph(ctx.text(source.text)), key
        else:
            assert used == block(_ctx(dataset), source), key
    ctx = _ctx(dataset)
    quote = block(ctx, S.BlockSpec(use="summary#ecology_soil_quote"))
    assert isinstance(quote, M.Quote) and quote.speaker == "县生态环境分局工作人员"


def they_reuse_instead_of_copying(dataset):
    """No briefing paragraph repeats a paragraph of the texts word for word: it uses it."""
    sources = {b.p for b in dataset.blocks.values() if isinstance(b, S.BlockSpec) and b.p}
    for stem, spec in dataset.briefings.items():
        for sec in spec.sections:
            for b in sec.blocks:
                assert b.p is None or b.p not in sources, (stem, b.p[:20])


def it_names_file_line_and_known_ids_for_an_unknown_id(project: Path):
    p = project / ECOLOGY
    p.write_text(p.read_text(encoding="utf-8").replace("use: summary#ecology_air", "use: summary#ecology_aire"),
                 encoding="utf-8")
    line = _line(project, ECOLOGY, "summary#ecology_aire")
    res = run_cli("check", "--root", str(project))
    assert res.code == 2, (res.code, res.err)
    assert "ecology.yaml" in res.err and str(line) in res.err, res.err
    assert "summary#ecology_aire" in res.err and "summary.yaml" in res.err, res.err
    assert "ecology_air" in res.err.replace("summary#ecology_aire", ""), res.err  # the known ids are listed


def it_refuses_an_unknown_texts_file(project: Path):
    p = project / ECOLOGY
    p.write_text(p.read_text(encoding="utf-8").replace("use: summary#ecology_air", "use: nowhere#ecology_air"),
                 encoding="utf-8")
    res = run_cli("check", "--root", str(project))
    assert res.code == 2 and "nowhere#ecology_air" in res.err, res.err


def it_refuses_duplicate_ids_in_one_file(project: Path):
    p = project / SUMMARY
    p.write_text(p.read_text(encoding="utf-8").replace("id: ecology_soil_plots", "id: ecology_air"),
                 encoding="utf-8")
    line = _line(project, SUMMARY, "id: ecology_air")  # the first one; the second is reported
    res = run_cli("check", "--root", str(project))
    assert res.code == 2, (res.code, res.err)
    assert "summary.yaml" in res.err and "ecology_air" in res.err and "重复" in res.err, res.err
    assert f"第{line}行" in res.err, res.err


def it_refuses_a_use_of_a_use(project: Path):
    p = project / SUMMARY
    p.write_text(p.read_text(encoding="utf-8").replace(
        "  - p: 产业兴、城乡美、百姓富的生动图景，正在衡阳这片热土上徐徐展开。\n",
        "  - use: summary#intro_momentum\n    id: chained\n", 1), encoding="utf-8")
    b = project / ECOLOGY
    b.write_text(b.read_text(encoding="utf-8").replace("use: summary#ecology_air", "use: summary#chained"),
                 encoding="utf-8")
    res = run_cli("check", "--root", str(project))
    assert res.code == 2 and "summary#chained" in res.err and "也是 use" in res.err, res.err


def it_refuses_a_malformed_id_or_use(project: Path):
    p = project / SUMMARY
    p.write_text(p.read_text(encoding="utf-8").replace("id: ecology_intro", "id: Ecology-Intro"), encoding="utf-8")
    b = project / ECOLOGY
    b.write_text(b.read_text(encoding="utf-8").replace("use: summary#ecology_air", "use: ecology_air"),
                 encoding="utf-8")
    res = run_cli("check", "--root", str(project))
    assert res.code == 2 and "Ecology-Intro" in res.err and "文件名#段落id" in res.err, res.err


def it_checks_uses_in_a_single_briefing(project: Path, tmp_path: Path):
    spec = tmp_path / "mine.yaml"
    spec.write_text("title: 测试简报\nsections:\n  - title: 一\n    blocks:\n      - use: deck#no_such\n",
                    encoding="utf-8")
    res = run_cli("briefing", str(spec), "--root", str(project), "--out", str(tmp_path / "x.docx"))
    assert res.code == 2 and "mine.yaml" in res.err and "deck#no_such" in res.err, res.err
    assert not (tmp_path / "x.docx").exists()
