"""The congress review deck: template contract, figures, native charts, East Asian fonts, fit, bytes, LibreOffice."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

from generators import model as M
from generators.documents import deck
from generators.errors import InputError, TemplateError
from generators.writers import WriterEnv
from generators.writers import pptx as writer
from generators.writers.pptx import charts as pptx_charts
from generators.writers.pptx import measure, template

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def doc(dataset):
    return deck.build(dataset, dataset.year, ROOT / "assets" / "images")


@pytest.fixture(scope="module")
def built(tmp_path_factory, doc, env):
    dest = tmp_path_factory.mktemp("deck") / "deck.pptx"
    writer.write(doc, env, dest)
    return dest


@pytest.fixture(scope="module")
def prs(built):
    return Presentation(str(built))


def _shape_text(shape) -> str:
    return shape.text_frame.text if shape.has_text_frame else ""


def _slide_text(slide) -> str:
    return "\n".join(_shape_text(s) for s in slide.shapes)


def _title(slide) -> str:
    return next((s.text_frame.text for s in slide.placeholders if s.placeholder_format.idx == 0), "")


def _reviews(doc) -> list[M.Review]:
    return [b for s in doc.sections for b in s.blocks if isinstance(b, M.Review)]


def _key_figures(doc) -> list[M.KeyFigure]:
    return [k for s in doc.sections for b in s.blocks if isinstance(b, M.KeyFigures) for k in b.items]


# -- structure ---------------------------------------------------------------------------


def it_is_a_16_9_deck_of_15_to_30_slides(prs):
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)
    assert 15 <= len(prs.slides) <= 30


def it_keeps_only_the_named_layouts_of_the_contract(prs):
    assert [layout.name for layout in prs.slide_layouts] == list(template.CONTRACT)
    for layout in prs.slide_layouts:
        names = {ph.name for ph in layout.placeholders}
        assert set(template.CONTRACT[layout.name]) <= names, layout.name


def it_builds_every_slide_on_a_named_layout(prs):
    used = [s.slide_layout.name for s in prs.slides]
    assert set(used) <= set(template.CONTRACT) and len(set(used)) >= 10
    assert used[0] == "封面" and used[1] == "目录" and used[-2:] == ["引语", "结束"]


def it_shows_every_key_figure_on_a_slide(prs, doc):
    text = "\n".join(_slide_text(s) for s in prs.slides)
    figures = _key_figures(doc)
    assert len(figures) >= 10
    for k in figures:
        assert k.value.text in text, k.value.text
        assert k.label in text, k.label
        if k.before:
            assert k.before.text in text, k.before.text
        if k.growth:
            assert k.growth.text in text, k.growth.text
    for figure in ("356.01", "244.83", "54227", "1998"):
        assert figure in text


def it_puts_the_numbers_paragraphs_under_the_cards_and_in_the_notes_of_the_numbers_slide(prs, doc):
    headings = {r.heading for r in _reviews(doc)}  # review items with figures share the layout
    numbers = [s for s in prs.slides if s.slide_layout.name == "数字力量" and _title(s) not in headings]
    assert len(numbers) == sum(1 for s in doc.sections for b in s.blocks if isinstance(b, M.KeyFigures))
    for section in doc.sections:
        paragraphs = [M.plain(b.runs) for b in section.blocks if isinstance(b, M.Paragraph)]
        if section.kind != "part" or not paragraphs:
            continue
        slide = next(s for s in numbers if any(p in s.notes_slide.notes_text_frame.text for p in paragraphs))
        lead = next(sh for sh in slide.shapes if sh.name == "导语").text_frame.text
        assert lead.split("\n") == paragraphs


def it_has_a_native_chart_per_chart_block_with_caption_alt_text_and_labels(prs, doc):
    frames = [(slide, sh) for slide in prs.slides for sh in slide.shapes if sh.has_chart]
    charts = doc.charts()
    assert len(frames) == len(charts) >= 3
    for (slide, frame), c in zip(frames, charts, strict=False):
        subtitle = next((sh.text_frame.text for sh in slide.shapes if sh.name == "副标题"), "")
        assert (_title(slide), subtitle) == ((c.data.headline, c.caption) if c.data.headline else (c.caption, ""))
        assert frame._element.xpath("./p:nvGraphicFramePr/p:cNvPr/@descr")[0] == c.data.alt
        chart = frame.chart
        plot = chart.plots[0]
        assert plot.has_data_labels
        assert plot.data_labels.number_format.startswith("0" if c.data.decimals == 0 else "0." + "0" * c.data.decimals)
        assert list(plot.categories) == list(c.data.categories)
        assert tuple(plot.series[0].values) == c.data.series[0].values
        if c.data.kind != "composition":
            assert chart.value_axis.axis_title.text_frame.text.endswith(c.data.unit)
        assert c.data.source in _slide_text(slide)


def _headings(slide) -> list[str]:
    return [sh.text_frame.text for sh in slide.shapes if sh.name in ("标题", "右标题") and sh.has_text_frame]


def it_puts_the_full_review_text_in_the_speaker_notes(prs, doc):
    for r in _reviews(doc):
        slides = [s for s in prs.slides if any(h.startswith(r.heading) for h in _headings(s))]
        assert slides, r.heading
        for s in slides:
            assert s.has_notes_slide
            assert M.plain(r.text) in s.notes_slide.notes_text_frame.text.split("\n")
        body = "\n".join(_slide_text(s) for s in slides)
        for p in r.points:
            assert M.plain(p) in body


def it_draws_a_labelled_placeholder_for_each_missing_photo(prs, doc):
    photos = [b for s in doc.sections for b in s.blocks if isinstance(b, M.Photo)]
    photos += [r.photo for r in _reviews(doc) if r.photo is not None]
    boxes = [sh for s in prs.slides for sh in s.shapes if sh.name == "图片占位"]
    missing = [p for p in photos if p.image is None]
    assert len(boxes) == len(missing)
    for p, box in zip(missing, boxes, strict=False):
        assert box.text_frame.text.startswith("图片待补充：" + p.caption)
        assert box.fill.fore_color.rgb == pptx_charts.rgb("#E6E1DA")
    assert not [e for s in prs.slides for e in s.shapes._spTree.iter(qn("p:pic"))]  # no picture stands in


def it_numbers_every_slide_and_repeats_the_footer(prs, doc):
    for n, slide in enumerate(prs.slides, 1):
        names = {sh.name: sh for sh in slide.shapes}
        assert names["页脚"].text_frame.text == doc.front["footer"]
        field = names["页码"]._element.find(f".//{qn('a:fld')}")
        assert field is not None and field.get("type") == "slidenum" and field.findtext(qn("a:t")) == str(n)


def it_sets_fixed_core_properties(prs, doc):
    cp = prs.core_properties
    assert cp.title == doc.title and cp.author == doc.meta["author"] and cp.subject == doc.meta["subject"]
    assert cp.created.year == int(doc.meta["year"]) and cp.created == cp.modified
    assert cp.revision == 1 and cp.last_modified_by in ("", doc.meta["author"])


# -- fonts and fit -----------------------------------------------------------------------


def _runs(element):
    return [r for tag in ("a:r", "a:fld") for r in element.iter(qn(tag))]


def it_names_latin_and_east_asian_fonts_on_every_run(prs, env):
    offices = {env.theme.role(r).office for r in ("title", "heading", "body", "figure", "caption", "quote")}
    count = 0
    for slide in prs.slides:
        parts = [slide.shapes._spTree] + ([slide.notes_slide.notes_text_frame._txBody] if slide.has_notes_slide else [])
        for part in parts:
            for r in _runs(part):
                rpr = r.find(qn("a:rPr"))
                assert rpr is not None, r.findtext(qn("a:t"))
                tags = [c.tag for c in rpr]
                assert qn("a:latin") in tags and qn("a:ea") in tags, r.findtext(qn("a:t"))
                assert tags.index(qn("a:latin")) < tags.index(qn("a:ea"))
                assert rpr.find(qn("a:ea")).get("typeface") in offices
                count += 1
        for sh in slide.shapes:
            if sh.has_chart:
                props = list(sh.chart._chartSpace.iter(qn("a:defRPr"), qn("a:rPr")))
                assert props and all(p.find(qn("a:ea")) is not None for p in props)
    assert count > 200


def _inherited_insets(shape) -> tuple[int, int, int, int]:
    """bodyPr insets: the shape's own, else its layout placeholder's, else the OOXML defaults."""
    chain = [shape.text_frame._bodyPr]
    if shape.is_placeholder:
        base = shape._base_placeholder
        if base is not None:
            chain.append(base.text_frame._bodyPr)
    out = []
    for name, default in (("lIns", 91440), ("tIns", 45720), ("rIns", 91440), ("bIns", 45720)):
        out.append(next((int(b.get(name)) for b in chain if b.get(name) is not None), default))
    return tuple(out)


def _frame_fits(shape, theme) -> bool:
    """Whole frame at its largest run's size, in the bundled font standing in for that run's Office font."""
    txbody = shape.text_frame._txBody
    runs = _runs(txbody)
    text = shape.text_frame.text
    if not text.strip():
        return True
    sized = [(int(r.find(qn("a:rPr")).get("sz")), r.find(qn("a:rPr"))) for r in runs]
    assert all(sz for sz, _ in sized), f"{shape.name}: a run without explicit size"
    sz, rpr = max(sized, key=lambda x: x[0])
    font = measure.measuring_font(theme, rpr.find(qn("a:ea")).get("typeface"), rpr.get("b") == "1")
    paras = txbody.findall(qn("a:p"))
    ppr = [p.find(qn("a:pPr")) for p in paras]
    margin = max(int(p.get("marL", 0)) if p is not None else 0 for p in ppr)
    before = max((int(p.find(f"{qn('a:spcBef')}/{qn('a:spcPts')}").get("val")) / 100
                  if p is not None and p.find(f"{qn('a:spcBef')}/{qn('a:spcPts')}") is not None else 0) for p in ppr)
    exact = [p.find(f"{qn('a:lnSpc')}/{qn('a:spcPts')}") for p in ppr if p is not None]
    assert all(e is not None for e in exact) and len(exact) == len(paras), f"{shape.name}: no exact line spacing"
    line = max(int(e.get("val")) / 100 for e in exact)
    left, t, r, b = _inherited_insets(shape)
    return measure.fits(text, font, sz / 100, shape.width - left - r - margin, shape.height - t - b, line_pt=line,
                       space_before=before, fallback=tuple(theme.font_path(f) for f in theme.fonts.fallback))


def it_fits_every_text_frame_in_its_box(prs, env):
    checked = 0
    for n, slide in enumerate(prs.slides, 1):
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text.strip():
                assert _frame_fits(shape, env.theme), f"slide {n}, {shape.name}: {shape.text_frame.text[:40]}"
                checked += 1
    assert checked > 150


def it_never_goes_below_the_minimum_body_size(prs, env):
    floor = env.theme.deck.min_body_size
    for slide in prs.slides:
        for name in ("正文",):
            for sh in slide.shapes:
                if sh.name == name:
                    sizes = {int(r.find(qn("a:rPr")).get("sz")) / 100 for r in _runs(sh.text_frame._txBody)}
                    assert min(sizes) >= floor


def it_measures_text_as_powerpoint_breaks_it(env):
    font = env.theme.font_path(env.theme.role("body").print)
    width = measure.width_fn((font,), 20)
    lines = measure.wrap("一二三四五六七八九十，甲乙丙", width, 20 * 10 + 1)
    assert lines[0] == "一二三四五六七八九" and lines[1].startswith("十，")  # ，never opens a line
    assert measure.wrap("产值356.01亿元", width, 20 * 4)[1].startswith("356.01")  # numbers stay whole
    ten = 10 * 20 * 12700 / 0.97
    assert measure.fits("一二三四五六七八九十", font, 20, ten + 1270, 24 * 12700, line_pt=24)
    assert not measure.fits("一二三四五六七八九十一", font, 20, ten + 1270, 24 * 12700, line_pt=24)
    assert measure.fits("一二三四五六七八九十一", font, 20, ten + 1270, 48 * 12700, line_pt=24)


def it_splits_text_too_long_for_one_slide_onto_continuation_slides(tmp_path, env):
    long = M.Paragraph((M.Run("五年来，衡南县坚持高质量发展。" * 150),))
    doc = M.Document(kind="deck", name="t", title="标题", subtitle="副标题", meta={"year": "2020"},
                     front={"footer": "页脚", "occasion": "场合", "credits": "署名"},
                     sections=(M.Section("intro", "", kind="intro", blocks=(long,)),))
    dest = tmp_path / "t.pptx"
    writer.write(doc, env, dest)
    slides = [s for s in Presentation(str(dest)).slides if s.slide_layout.name == "回顾"]
    assert len(slides) >= 2 and _title(slides[1]) == "标题（续）"
    assert "".join(sh.text_frame.text for s in slides for sh in s.shapes if sh.name == "正文") == M.plain(long.runs)
    for s in slides:
        for sh in s.shapes:
            if sh.has_text_frame:
                assert _frame_fits(sh, env.theme)


def it_checks_a_deck_without_writing_it_and_rejects_what_write_rejects(tmp_path, doc, env, prs):
    plans = writer.check(doc, env)
    assert [p.layout for p in plans] == [s.slide_layout.name for s in prs.slides]
    too_long = M.Document(kind="deck", name="t", title="很长的封面标题" * 40, meta={"year": "2020"},
                          front={"footer": "页脚"}, sections=())
    with pytest.raises(InputError) as checked:
        writer.check(too_long, env)
    with pytest.raises(InputError) as written:
        writer.write(too_long, env, tmp_path / "t.pptx")
    assert str(checked.value) == str(written.value) and "版式：封面 / 占位符：标题" in str(checked.value)
    assert not list(tmp_path.iterdir())


# -- template contract, reproducibility, LibreOffice ------------------------------------


def _env_at(root: Path, env) -> WriterEnv:
    return WriterEnv(root, env.theme, env.charts, env.glyphs)


def it_names_a_renamed_layout_and_how_to_fix_it(project, doc, env):
    path = project / "templates" / "deck.pptx"
    tpl = Presentation(str(path))
    layout = next(x for x in tpl.slide_layouts if x.name == "图表")
    layout._element.cSld.set("name", "统计图")
    tpl.save(str(path))
    with pytest.raises(TemplateError) as err:
        writer.write(doc, _env_at(project, env), project / "out" / "deck.pptx")
    message = str(err.value)
    assert "deck.pptx" in message and "“图表”" in message and "重命名" in message
    assert not (project / "out" / "deck.pptx").exists()
    with pytest.raises(TemplateError):
        writer.check_template(_env_at(project, env))


def it_names_a_missing_placeholder(project, doc, env):
    path = project / "templates" / "deck.pptx"
    tpl = Presentation(str(path))
    layout = next(x for x in tpl.slide_layouts if x.name == "回顾")
    next(ph for ph in layout.placeholders if ph.name == "正文").name = "内容"
    tpl.save(str(path))
    with pytest.raises(TemplateError) as err:
        writer.write(doc, _env_at(project, env), project / "out" / "deck.pptx")
    assert "“回顾”" in str(err.value) and "“正文”" in str(err.value)


def it_is_byte_identical_when_written_twice(tmp_path, doc, env, built):
    again = tmp_path / "again.pptx"
    writer.write(doc, env, again)
    assert again.read_bytes() == built.read_bytes()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) 未安装")
def it_opens_in_libreoffice_with_the_figures_as_text(tmp_path, built, prs):
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(built)], capture_output=True, timeout=180, check=True)
    pdf = tmp_path / "deck.pdf"
    assert pdf.is_file(), "LibreOffice wrote no PDF"
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for figure in ("356.01", "244.83", "209.32", "94.7"):
        assert figure in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1) == str(len(prs.slides))
