"""The deck's design rules: at most 30 full slides, each figure set once, varied layouts, derived chart titles,
photos beside their points (cropped and compressed), the closing statement and goals."""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pptx.oxml.ns import qn

from generators import model as M
from generators.documents import deck
from generators.errors import InputError
from generators.load import refs as R
from generators.load.dataset import load_dataset
from generators.writers import pptx as writer
from generators.writers.pptx import measure
from generators.writers.pptx.photo import DECK_BUDGET, DPI, crop_box

ROOT = Path(__file__).resolve().parents[1]
IN = 914400
FRAMING = {"封面", "目录", "章节", "引语", "结束"}  # slides that frame the content rather than carry it


@pytest.fixture(scope="module")
def doc(dataset):
    return deck.build(dataset, dataset.year, ROOT / "assets" / "images")


@pytest.fixture(scope="module")
def plans(doc, env):
    return writer.check(doc, env)


@pytest.fixture(scope="module")
def prs(tmp_path_factory, doc, env):
    dest = tmp_path_factory.mktemp("design") / "deck.pptx"
    writer.write(doc, env, dest)
    return Presentation(str(dest))


def _visible(slide) -> str:
    return "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)


def _shape(slide, name: str):
    return next((sh for sh in slide.shapes if sh.name == name), None)


# -- fewer, fuller slides ---------------------------------------------------------------------


def it_carries_the_whole_review_on_at_most_30_slides(prs, doc):
    assert len(prs.slides) <= 30
    shown = "\n".join(_visible(s) for s in prs.slides)
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in prs.slides if s.has_notes_slide)
    reviews = [b for s in doc.sections for b in s.blocks if isinstance(b, M.Review)]
    assert len(reviews) == 15
    for r in reviews:
        assert r.heading in shown and M.plain(r.text) in notes
        for p in r.points:
            assert M.plain(p) in shown, M.plain(p)


def it_shows_every_numbers_figure_on_a_slide_not_only_in_the_notes(prs, doc):
    shown = "\n".join(_visible(s) for s in prs.slides)
    figures = [run.text for s in doc.sections if s.kind == "part" for b in s.blocks if isinstance(b, M.Paragraph)
               for run in b.runs if run.figure]
    assert len(figures) >= 25
    for text in figures:
        assert text in shown, text
    assert "19098户" in shown


def _coverage(slide) -> float:
    """Share of the body area (under the title, above the footer) that carries ink: text as measured, charts,
    pictures, filled shapes of the slide and of its layout (panels a designer drew)."""
    rects = []
    shapes = [*slide.shapes, *(sh for sh in slide.slide_layout.shapes if not sh.is_placeholder)]
    for sh in shapes:
        if sh.name in ("页脚", "页码", "栏目", "标题", "右标题"):
            continue
        if sh.has_chart or sh._element.tag == qn("p:pic"):
            rects.append((sh.left, sh.top, sh.width, sh.height))
            continue
        fill = sh._element.find(f"{qn('p:spPr')}/{qn('a:solidFill')}")
        if fill is not None and sh.height > 0.2 * IN:
            rects.append((sh.left, sh.top, sh.width, sh.height))
        if sh.has_text_frame and sh.text_frame.text.strip():
            body = sh.text_frame._txBody
            size = max(int(r.find(qn("a:rPr")).get("sz")) for r in body.iter(qn("a:r"))) / 100
            pitch = max(int(e.get("val")) / 100 for e in body.iter(qn("a:spcPts")) if e.getparent().tag == qn("a:lnSpc"))
            font = Path(ROOT / "assets" / "fonts" / "NotoSerifSC-Regular.ttf")
            h = min(sh.height, measure.text_height(sh.text_frame.text, font, size, sh.width, line_pt=pitch) * 12700)
            anchor = sh.text_frame._bodyPr.get("anchor") or "t"
            y = sh.top + {"ctr": (sh.height - h) / 2, "b": sh.height - h}.get(anchor, 0)
            rects.append((sh.left, y, sh.width, h))
    x0, x1, y0, y1 = 0.6 * IN, 12.73 * IN, 1.75 * IN, 6.85 * IN
    hits = sum(any(a <= x0 + (x1 - x0) * (i + 0.5) / 80 <= a + w and b <= y0 + (y1 - y0) * (j + 0.5) / 40 <= b + h
                   for a, b, w, h in rects) for i in range(80) for j in range(40))
    return hits / (80 * 40)


def it_leaves_no_content_slide_more_than_half_empty(prs):
    content = [(n, s) for n, s in enumerate(prs.slides, 1) if s.slide_layout.name not in FRAMING]
    assert len(content) >= 18
    for n, slide in content:
        assert _coverage(slide) >= 0.5, f"slide {n} ({slide.slide_layout.name}) is more than half empty"


# -- each figure once ---------------------------------------------------------------------------


def it_makes_each_set_of_figures_the_main_content_of_one_slide_only(plans):
    where: dict[str, set[int]] = {}
    for n, sp in enumerate(plans, 1):
        numbers = [b.text.paras[0].runs[0].text for b in sp.shapes if b.name.endswith("数字") and b.text]
        if sp.chart:
            numbers += [t for s in sp.chart[1].chart.data.series for t in s.texts]
        for number in numbers:
            where.setdefault(number, set()).add(n)
    assert len(where) >= 15
    twice = {k: v for k, v in where.items() if len(v) > 1}
    assert not twice, twice


def it_calls_out_the_key_figure_a_chart_plots_beside_the_chart(plans):
    charted = [sp for sp in plans if sp.chart and sp.layout == "图表要点"]
    assert len(charted) >= 2
    for sp in charted:
        plotted = sp.chart[1].chart.data.series[0].texts
        called = [b.text.paras[0].runs[0].text for b in sp.shapes if b.name.endswith("数字")]
        assert called and set(called) <= set(plotted)


# -- variety with purpose ----------------------------------------------------------------------


def it_uses_at_least_six_layouts_and_never_more_than_three_in_a_row(plans):
    layouts = [sp.layout for sp in plans]
    jobs = {"大数字", "图表要点", "要点配图", "对比", "荣誉", "引语"}
    assert jobs <= set(layouts) and len(set(layouts)) >= 6
    run = 1
    for a, b in zip(layouts, layouts[1:], strict=False):
        run = run + 1 if a == b else 1
        assert run <= 3, layouts


# -- chart titles that say what the chart shows ------------------------------------------------------


def _growth(ds, a: str, b: str, decimals: int) -> str:
    va, vb = (ds.find(R.parse_plain_ref(r), ds.year).value for r in (a, b))
    return str(((vb - va) / va * 100).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def it_titles_the_gdp_chart_with_the_growth_computed_from_the_figures(prs, dataset):
    spec = dataset.charts["gdp_review"]
    slide = next(s for s in prs.slides for sh in s.shapes if sh.has_chart and "地区生产总值" in sh.name)
    title = _shape(slide, "标题").text_frame.text
    assert title == spec.headline.text + "增长" + _growth(dataset, "gdp@2015", "gdp@2020", 1) + "%" == "五年间地区生产总值增长45.4%"
    assert _shape(slide, "副标题").text_frame.text.endswith(spec.title)  # the neutral title stays, as subtitle
    assert "gdp_growth_2015_2020" in {d.id for d in dataset.derived}  # the same computation derived.yaml checks


def it_derives_the_headline_again_when_a_figure_changes(project):
    csv = project / "data" / "figures" / "congress13.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("gdp,2020,,356.01,", "gdp,2020,,220.33,"), encoding="utf-8")
    ds = load_dataset(project / "data")
    doc = deck.build(ds, ds.year, project / "assets" / "images")
    c = next(c for c in doc.charts() if c.data.id == "gdp_review")
    assert c.data.headline == "五年间地区生产总值下降10.0%"


def it_names_the_chart_whose_headline_asks_for_a_missing_growth(project):
    charts = project / "data" / "charts.yaml"
    charts.write_text(charts.read_text(encoding="utf-8").replace("derived: gdp_growth_2015_2020", "derived: no_such"),
                      encoding="utf-8")
    ds = load_dataset(project / "data")
    with pytest.raises(InputError) as err:
        deck.build(ds, ds.year, project / "assets" / "images")
    assert "charts.yaml" in str(err.value) and "gdp_review.headline.derived" in str(err.value)


# -- photos ------------------------------------------------------------------------------------------


def it_puts_every_photo_beside_the_points_it_illustrates(prs, doc):
    photos = [r.photo for s in doc.sections for r in s.blocks if isinstance(r, M.Review) and r.photo]
    slides = [s for s in prs.slides if _shape(s, "图片占位") is not None]
    assert len(slides) == len(photos) == 4
    for slide, photo in zip(slides, photos, strict=False):
        assert slide.slide_layout.name == "要点配图"
        assert _shape(slide, "正文").text_frame.text.strip()
        assert _shape(slide, "说明").text_frame.text == photo.caption


def it_crops_around_the_focus_point_and_keeps_inside_the_image():
    assert crop_box((4000, 2000), 1.0, (0.5, 0.5)) == (1000, 0, 3000, 2000)
    assert crop_box((4000, 2000), 1.0, (0.95, 0.5)) == (2000, 0, 4000, 2000)  # edge: as far as the image goes
    assert crop_box((4000, 2000), 1.0, (0.3, 0.1)) == (200, 0, 2200, 2000)
    assert crop_box((1000, 3000), 2.0, (0.5, 0.0)) == (0, 0, 1000, 500)  # portrait into landscape: the top


def _noise_photo(path: Path, size: tuple[int, int], seed: int) -> Path:
    rng = random.Random(seed)
    Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3)).save(path, quality=95)
    return path


def it_crops_real_photos_to_their_frame_and_keeps_the_deck_under_its_size_budget(tmp_path, doc, env):
    files = iter(_noise_photo(tmp_path / f"p{k}.jpg", (3000, 2000), k) for k in range(4))
    sections = []
    for s in doc.sections:
        blocks = tuple(replace(b, photo=replace(b.photo, image=next(files), focus=(0.8, 0.4)))
                       if isinstance(b, M.Review) and b.photo else b for b in s.blocks)
        sections.append(replace(s, blocks=blocks))
    with_photos = replace(doc, sections=tuple(sections))
    dest, again = tmp_path / "deck.pptx", tmp_path / "again.pptx"
    writer.write(with_photos, env, dest)
    writer.write(with_photos, env, again)
    assert dest.stat().st_size <= DECK_BUDGET
    assert dest.read_bytes() == again.read_bytes()
    pictures = [sh for s in Presentation(str(dest)).slides for sh in s.shapes if sh._element.tag == qn("p:pic")]
    assert len(pictures) == 4
    for pic in pictures:
        w, h = pic.image.size
        assert abs(w / h - pic.width / pic.height) < 0.01  # cropped to the frame, not squeezed
        assert max(pic.crop_left, pic.crop_right, pic.crop_top, pic.crop_bottom) < 0.01
        assert w <= pic.width / IN * DPI + 1 and pic.image.content_type == "image/jpeg"


# -- the closing ---------------------------------------------------------------------------------------


def it_closes_with_the_statement_then_the_goals_and_the_final_message(prs, dataset):
    quote, end = prs.slides[-2], prs.slides[-1]
    closing = dataset.texts["deck"].closing
    assert quote.slide_layout.name == "引语" and "胡果雄" in _shape(quote, "引语").text_frame.text
    tiles = [sh.text_frame.text for sh in end.shapes if sh.name.startswith("目标") and not sh.name.endswith("线")]
    assert tiles == list(closing.goals) and len(tiles) == 4
    assert _shape(end, "寄语").text_frame.text == closing.finale and "后花园" in closing.finale
