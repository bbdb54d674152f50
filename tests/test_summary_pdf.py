"""The 十四五 summary PDF: page size, embedded fonts, outline, metadata, whole texts, line breaking."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from generators.model import Paragraph, Quote, plain
from generators.writing import write_document
from tests.conftest import make_doc

ROOT = Path(__file__).resolve().parents[1]
CLOSING = set("，。、；：？！）》”’…")


@pytest.fixture(scope="module")
def summary(tmp_path_factory, dataset, env):
    doc = make_doc("summary")
    dest = tmp_path_factory.mktemp("pdf") / "summary.pdf"
    write_document(doc, env, dest)
    return doc, dest


def _text(pdf: Path, layout: bool = False, body_only: bool = False) -> str:
    """pdftotext; `body_only` crops away running headers and folios (the type area from theme margins)."""
    crop = []
    if body_only:
        from generators.theme import load_theme

        p = load_theme(ROOT).pdf
        top, bottom = p.margin_top_mm * 72 / 25.4, p.margin_bottom_mm * 72 / 25.4
        crop = ["-x", "0", "-y", str(int(top) - 2), "-W", "595", "-H", str(int(842 - top - bottom) + 4)]
    args = ["pdftotext", "-enc", "UTF-8", *crop] + (["-layout"] if layout else []) + [str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils 未安装")


def it_is_a4_with_metadata(summary):
    doc, pdf = summary
    reader = PdfReader(pdf)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    meta = reader.metadata
    assert meta.title == doc.title and meta.author == doc.meta["author"] and meta.subject
    assert reader.trailer["/Root"].get("/Lang") == "zh-CN"


def it_embeds_every_font_as_truetype_subset(summary):
    _, pdf = summary
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows
    for row in rows:
        assert "Type 3" not in row, row
        assert re.search(r"\byes\s+yes\b", row), row  # embedded and subset
        assert "TrueType" in row or "CID TrueType" in row, row


def it_has_an_outline_for_every_chapter(summary):
    doc, pdf = summary
    titles = [o.title for o in PdfReader(pdf).outline if not isinstance(o, list)]
    for s in doc.sections:
        assert (s.short or s.title) in titles


def it_contains_every_figure_and_whole_chapter_texts(summary, dataset):
    doc, pdf = summary
    text = re.sub(r"\s+", "", _text(pdf, body_only=True))
    for f in dataset.figures.values():
        if f.source == "fyp14":
            assert f.text in text, f.ref()
    for s in doc.sections:
        for b in s.blocks:
            if isinstance(b, (Paragraph, Quote)):
                para = re.sub(r"\s+", "", plain(b.runs))
                assert para in text, para[:40]


def it_never_starts_a_line_with_closing_punctuation(summary):
    _, pdf = summary
    bad = [line for line in _text(pdf).splitlines() if line.strip() and line.strip()[0] in CLOSING]
    assert not bad, bad[:5]


def it_prints_markup_characters_literally(tmp_path, dataset, env):
    from dataclasses import replace

    from generators.model import Run

    doc = make_doc("summary")
    s = doc.sections[2]
    hostile = Paragraph((Run("R&D <b>不是粗体</b> & a<b 《测试》"),))
    doc = replace(doc, sections=(replace(s, blocks=(hostile,)),))
    dest = tmp_path / "x.pdf"
    write_document(doc, env, dest)
    assert "R&D <b>不是粗体</b> & a<b" in _text(dest)


def it_is_byte_identical_when_built_twice(tmp_path, dataset, env, summary):
    _, first = summary
    doc = make_doc("summary")
    again = tmp_path / "again.pdf"
    write_document(doc, env, again)
    assert again.read_bytes() == first.read_bytes()


def it_takes_its_frame_labels_from_the_theme(tmp_path, dataset, env):
    from generators.documents import summary as summary_doc
    from generators.writers import WriterEnv
    from generators.writers import pdf as writer

    labels = env.theme.labels.model_copy(update={"contents": "目次", "intro": "前言", "closing": "后记",
                                                  "headline": "{year}年度要览"})
    theme = env.theme.model_copy(update={"labels": labels})
    doc = summary_doc.build(dataset, dataset.year, ROOT / "assets" / "images", theme.labels)
    titles = [s.title for s in doc.sections]
    assert "前言" in titles and "后记" in titles and f"{dataset.year}年度要览" in titles and "导语" not in titles
    writer.write(doc, WriterEnv(ROOT, theme, env.charts, env.glyphs), tmp_path / "s.pdf")
    outline = [o.title if not isinstance(o, list) else None for o in PdfReader(tmp_path / "s.pdf").outline]
    assert outline[0] == "目次" and "前言" in outline and "后记" in outline


def it_checks_the_pdf_without_writing_it(tmp_path, monkeypatch, dataset, env):
    from generators.writers import pdf as writer

    monkeypatch.chdir(tmp_path)
    assert writer.check(make_doc("summary"), env) is None
    assert not list(tmp_path.iterdir())


def it_rejects_a_headline_label_with_an_unknown_placeholder(project):
    from tests.conftest import run_cli

    path = project / "templates" / "theme.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('headline = "{year}年主要指标"', 'headline = "{年份}年主要指标"'), encoding="utf-8")
    line = next(n for n, s in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if s.startswith("headline"))
    res = run_cli("check", "--root", str(project))
    assert res.code == 2 and "Traceback" not in res.err
    assert "theme.toml" in res.err and f"第{line}行" in res.err and "labels.headline" in res.err
    assert "{year}" in res.err and "{年份}年主要指标" in res.err
