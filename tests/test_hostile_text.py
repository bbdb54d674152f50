"""Hostile text prints as itself: markup, braces, quotes, emoji, long strings, controls → literal text or a clear error."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import run_cli

# Printable text of every kind: CJK, Latin, markup characters, braces, quotes, emoji, and control characters.
ALPHABET = st.one_of(
    st.sampled_from(list("<>&\"'{}[]%$#\\/;:|*`~^") + ["&amp;", "<b>", "</para>", "{{x}}", "${y}", "{{"]),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.sampled_from(["😀", "🚀", "\u0007", "\u200b", "\ufeff", "Ⅲ", "①", "—", "…", "“", "”"]),
)
HOSTILE = st.lists(ALPHABET, min_size=1, max_size=40).map("".join)


def _spec(title: str, para: str) -> str:
    esc = lambda s: s.replace("{", "{{").replace("}", "}}")  # noqa: E731 - braces are literal in YAML texts
    data = {"title": esc(title), "preset": "简报", "sections": [{"title": "测试", "blocks": [
        {"p": esc(para)}, {"chart": "gdp_levels"}]}]}
    return yaml.safe_dump(data, allow_unicode=True)


def _docx_text(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    return "\n".join(p.text for p in d.paragraphs)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=HOSTILE, para=HOSTILE)
def it_prints_any_text_literally_or_refuses_clearly(tmp_path_factory, scratch_root, title, para):
    work = tmp_path_factory.mktemp("hostile")
    spec = work / "spec.yaml"
    spec.write_text(_spec(title, para), encoding="utf-8")
    out = work / "x.docx"
    res = run_cli("briefing", str(spec), "--out", str(out), "--root", str(scratch_root))
    assert "Traceback" not in res.err
    if res.code == 0:
        text = _docx_text(out)
        assert para.strip() in text
        assert title.strip() in text
    else:
        assert res.code == 2, res.err
        assert "spec.yaml" in res.err or "字体" in res.err or "YAML" in res.err, res.err
        assert not out.exists()


def it_refuses_control_characters_with_location(tmp_path, scratch_root):
    spec = tmp_path / "spec.yaml"
    spec.write_text('title: "坏\\a字"\nsections:\n  - title: x\n    blocks:\n      - p: 正文\n', encoding="utf-8")
    res = run_cli("briefing", str(spec), "--out", str(tmp_path / "x.docx"), "--root", str(scratch_root))
    assert res.code == 2 and "第1行" in res.err and "U+0007" in res.err


def it_refuses_characters_no_font_has(tmp_path, scratch_root):
    spec = tmp_path / "spec.yaml"
    spec.write_text("title: 表情😀\nsections:\n  - title: x\n    blocks:\n      - p: 正文\n", encoding="utf-8")
    res = run_cli("briefing", str(spec), "--out", str(tmp_path / "x.docx"), "--root", str(scratch_root))
    assert res.code == 2 and "😀" in res.err and "U+1F600" in res.err


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice 未安装")
def it_opens_hostile_documents_in_libreoffice(tmp_path, scratch_root):
    text = "R&D <b>&amp; 不是粗体</b> {{括号}} \"引号\" 'x' ${y} 《书名》 " + "很长" * 200
    spec = tmp_path / "spec.yaml"
    spec.write_text(_spec("危险标题 <x> & ../../etc", text), encoding="utf-8")
    out = tmp_path / "h.docx"
    res = run_cli("briefing", str(spec), "--out", str(out), "--root", str(scratch_root))
    assert res.code == 0, res.err
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "h.pdf"
    assert pdf.exists()
    got = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "R&D <b>&amp; 不是粗体</b> {{括号}} \"引号\"" in got.replace("\n", "")


def it_refuses_an_output_name_that_would_leave_the_output_folder(project: Path):
    spec = project / "data/briefings/economy.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("\nfile:", "\nfile_old:").replace("file_old:", "# file:") + "\nfile: ../../逃逸\n",
                    encoding="utf-8")
    res = run_cli("build", "--root", str(project), "--out", str(project / "out"), "--only", "briefings", "--quiet")
    assert res.code == 2 and "data/briefings/economy.yaml" in res.err and "file" in res.err and "../../逃逸" in res.err, res.err
    assert not list(project.parent.glob("逃逸*")) and not list(project.glob("逃逸*"))
    assert not list((project / "out").rglob("逃逸*")) and not list((project / "out").rglob("经济运行*"))
    assert "其余文档已正常生成并发布" in res.err  # the other briefings still publish (one bad spec is set aside)


# ---- the PDF and the deck writers, fed directly through the content model ----------------------

SAFE_FOR_PDFTOTEXT = st.lists(st.one_of(
    st.sampled_from(list("<>&\"'{}[]%$#/;:|*~^") + ["&amp;", "<b>", "</para>", "<font name=x>", "{{x}}"]),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
    st.characters(min_codepoint=0x21, max_codepoint=0x7E),
), min_size=1, max_size=60).map("".join)


def _tiny(kind: str, text: str):
    from generators.model import Document, Paragraph, Review, Run, Section

    if kind == "summary":
        blocks = (Paragraph((Run(text),)),)
        return Document("summary", "t", "标题", sections=(Section("c", "章", "章", 1, blocks),))
    review = Review("回顾", ((Run(text),),), (Run(text),))
    return Document("deck", "t", "标题", "副标题", front={"footer": "页脚", "occasion": "场合", "credits": ""},
                    sections=(Section("economy", "部分", "部分", 1, (review,), kind="part"),))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=SAFE_FOR_PDFTOTEXT)
def it_prints_any_markup_literally_in_the_pdf(tmp_path_factory, env, text):
    from generators.writing import write_document

    dest = tmp_path_factory.mktemp("pdf") / "h.pdf"
    write_document(_tiny("summary", text), env, dest)
    got = subprocess.run(["pdftotext", str(dest), "-"], capture_output=True, text=True, check=True).stdout
    assert text.replace(" ", "") in got.replace("\n", "").replace(" ", "")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=SAFE_FOR_PDFTOTEXT)
def it_keeps_any_text_literal_in_the_deck(tmp_path_factory, env, text):
    from pptx import Presentation

    from generators.writing import write_document

    dest = tmp_path_factory.mktemp("pptx") / "h.pptx"
    write_document(_tiny("deck", text), env, dest)
    prs = Presentation(str(dest))
    notes = [s.notes_slide.notes_text_frame.text for s in prs.slides if s.has_notes_slide]
    assert any(text in n for n in notes)
    shown = "".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame)
    assert text in shown.replace("\n", "").replace("\x0b", "")


def it_refuses_yaml_that_would_run_code(tmp_path, scratch_root):
    spec = tmp_path / "spec.yaml"
    spec.write_text("title: !!python/object/apply:os.system ['echo pwned']\nsections: []\n", encoding="utf-8")
    res = run_cli("briefing", str(spec), "--out", str(tmp_path / "x.docx"), "--root", str(scratch_root))
    assert res.code == 2 and "YAML" in res.err and "第1行" in res.err


def it_locates_characters_no_font_can_draw_by_file_and_line(project):
    """An emoji in the deck title is named with its file and line before any writer runs."""
    from generators.fonts import text_glyph_problems
    from generators.project import Project

    deck = project / "data" / "texts" / "deck.yaml"
    text = deck.read_text(encoding="utf-8")
    deck.write_text(text.replace("\ntitle: 奋进新征程 建功新时代", "\ntitle: 奋进新征程 建功新时代😀", 1), encoding="utf-8")
    ctx = Project(project, cache=False)
    problems = text_glyph_problems(ctx.dataset, ctx.glyphs)
    assert len(problems) == 1, [p.render() for p in problems]
    p = problems[0]
    assert p.file.endswith("data/texts/deck.yaml") and p.line == 5 and p.field == "title" and "U+1F600" in p.message
    for cmd in (["check"], ["build", "--only", "briefings", "--jobs", "1"]):  # both stop before any writer
        res = run_cli(*cmd, "--root", str(project))
        assert res.code == 2 and "deck.yaml 第5行" in res.err, res.err
