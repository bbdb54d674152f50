"""The slide planner on a synthetic geometry: no template file, no python-pptx, only boxes and the theme's fonts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generators import model as M
from generators.errors import InputError
from generators.theme import load_theme
from generators.typography import NO_LINE_START
from generators.writers.pptx import measure
from generators.writers.pptx.plan import plan
from generators.writers.pptx.slides import Box, Frame

ROOT = Path(__file__).resolve().parents[1]
IN = 914400  # EMU per inch


@pytest.fixture(scope="module")
def theme():
    return load_theme(ROOT)


def _f(x: float, y: float, w: float, h: float, size: float, prompt: str = "", **kw) -> Frame:
    return Frame(Box(int(x * IN), int(y * IN), int(w * IN), int(h * IN)), size, prompt=prompt, **kw)


def geometry(body_h: float = 4.5, title_w: float = 11.0) -> dict:
    """A 13.33 × 7.5 in deck with every layout and placeholder of the contract, sizes like the real template's."""
    furniture = {"页脚": _f(0.6, 7.0, 8, 0.3, 10), "页码": _f(12.0, 7.0, 0.8, 0.3, 10)}
    title = _f(0.8, 0.9, title_w, 0.9, 28, "本页标题")
    kicker = _f(0.8, 0.4, 8, 0.4, 12)
    bullets = {"margin": 342900, "indent": -342900, "space_before": 6}
    return {
        "封面": {"标题": _f(0.8, 2.0, 11, 1.4, 40), "副标题": _f(0.8, 3.5, 11, 0.8, 24),
                 "场合": _f(0.8, 4.5, 11, 0.5, 16), "署名": _f(0.8, 5.1, 11, 0.5, 16), **furniture},
        "目录": {"标题": _f(0.8, 2.6, 3.2, 1.1, 40, "目录"), "正文": _f(5.0, 1.2, 7.5, 5.2, 24), **furniture},
        "章节": {"编号": _f(0.8, 2.0, 3, 1.5, 72), "标题": _f(0.8, 3.6, 11, 1.2, 40), **furniture},
        "数字力量": {"栏目": kicker, "标题": _f(0.8, 0.9, 11, 0.9, 28, "数字见证"),
                     "卡片区": _f(0.8, 2.0, 11.7, 2.8, 20), "导语": _f(1.0, 5.0, 11.5, 1.6, 18), **furniture},
        "图表": {"栏目": kicker, "标题": title, "图表区": _f(0.8, 1.9, 11.7, 4.5, 18),
                 "来源": _f(0.8, 6.5, 11.7, 0.4, 12), **furniture},
        "回顾": {"栏目": kicker, "标题": title,
                 "正文": _f(0.8, 1.9, 11.7, body_h, 20, margin=342900, indent=-342900, space_before=6), **furniture},
        "图片": {"栏目": kicker, "图片区": _f(0.8, 1.0, 11.7, 5.2, 20), "说明": _f(0.8, 6.3, 11.7, 0.5, 14),
                 **furniture},
        "结束": {"标题": _f(0.8, 1.0, 11.7, 1.2, 36), "目标区": _f(0.8, 2.4, 11.7, 3.0, 20),
                 "寄语": _f(0.8, 5.6, 11.7, 0.9, 32), **furniture},
        "图表要点": {"栏目": kicker, "标题": title, "副标题": _f(0.8, 1.7, 11.7, 0.4, 14),
                     "图表区": _f(0.8, 2.2, 7.5, 4.1, 18), "要点区": _f(8.6, 2.3, 3.9, 3.9, 20),
                     "来源": _f(0.8, 6.5, 11.7, 0.4, 12), **furniture},
        "要点配图": {"栏目": kicker, "标题": title, "正文": _f(0.8, 1.9, 7.0, 4.6, 22, **bullets),
                     "图片区": _f(8.0, 1.9, 4.5, 4.0, 20), "说明": _f(8.0, 6.0, 4.5, 0.5, 12), **furniture},
        "大数字": {"数字区": _f(0.6, 0.9, 3.6, 5.6, 20), "栏目": _f(5.1, 0.4, 7.6, 0.4, 12),
                   "标题": _f(5.1, 0.9, 7.6, 0.9, 28), "正文": _f(5.1, 1.9, 7.6, 4.6, 22, **bullets), **furniture},
        "对比": {"栏目": kicker, "标题": _f(0.8, 0.9, 5.6, 0.9, 26), "右标题": _f(6.9, 0.9, 5.6, 0.9, 26),
                 "左栏": _f(0.8, 1.9, 5.6, 4.6, 20, **bullets), "右栏": _f(6.9, 1.9, 5.6, 4.6, 20, **bullets),
                 **furniture},
        "荣誉": {"栏目": kicker, "标题": title, "荣誉区": _f(0.8, 1.9, 11.7, 4.7, 22), **furniture},
        "引语": {"栏目": kicker, "引语": _f(1.6, 1.4, 10.4, 4.2, 28), "出处": _f(1.6, 6.0, 10.4, 0.5, 16),
                 **furniture},
    }


def value(number: str, unit: str = "亿元", period: str = "2024年") -> M.Value:
    return M.Value(number, unit, period, "x@2024")


def document(*parts: M.Section, intro: tuple[M.Block, ...] = (), goals: tuple[str, ...] = ("目标一", "目标二")):
    closing = M.Section("closing", "", kind="closing",
                        blocks=(M.Paragraph((M.Run("结束语。"),)), M.Points(tuple((M.Run(g),) for g in goals))))
    return M.Document(kind="deck", name="t", title="五年回顾", subtitle="砥砺奋进", meta={"year": "2024"},
                      front={"occasion": "县人代会", "credits": "县人民政府", "footer": "衡南县"},
                      sections=(M.Section("intro", "", kind="intro", blocks=intro), *parts, closing))


def part(*blocks: M.Block, n: int = 1) -> M.Section:
    return M.Section(f"p{n}", f"第{n}部分", f"部分{n}", n, blocks, kind="part")


def texts(sp) -> dict[str, str]:
    return {name: t.text for name, t in sp.texts}


def it_plans_cover_contents_parts_and_closing_with_footer_and_number_on_every_slide(theme):
    doc = document(part(M.Paragraph((M.Run("一段话。"),)), n=1), part(n=2))
    slides = plan(doc, geometry(), theme)
    layouts = [s.layout for s in slides]
    assert layouts[:2] == ["封面", "目录"] and layouts[-1] == "结束"
    assert layouts.count("章节") == 2
    for n, sp in enumerate(slides, 1):
        assert texts(sp)["页码"] == str(n) and texts(sp)["页脚"] == "衡南县"
    assert texts(slides[1])["标题"] == "目录"  # the label is the template's own text, not the code's
    assert texts(slides[1])["正文"] == "01\u3000第1部分\n02\u3000第2部分"


def it_shrinks_long_text_to_the_floor_then_continues_on_more_slides_without_losing_a_character(theme):
    long = "五年来，衡南县坚持高质量发展，经济总量稳步提升。" * 80
    slides = [s for s in plan(document(intro=(M.Paragraph((M.Run(long),)),)), geometry(), theme)
              if s.layout == "回顾"]
    assert len(slides) >= 2
    assert texts(slides[0])["标题"] == "五年回顾" and texts(slides[1])["标题"] == "五年回顾（续）"
    bodies = [dict(s.texts)["正文"] for s in slides]
    assert "".join(b.text for b in bodies) == long
    assert all(b.size >= theme.deck.min_body_size for b in bodies)
    assert len({b.size for b in bodies}) == 1  # one size on every page of the run


def it_fits_short_text_at_the_templates_size(theme):
    slides = plan(document(intro=(M.Paragraph((M.Run("短短一句。"),)),)), geometry(), theme)
    body = dict(next(s for s in slides if s.layout == "回顾").texts)["正文"]
    assert body.size == 20 and body.line_pt == pytest.approx(24.0)


def it_reports_a_title_that_cannot_fit_with_layout_and_placeholder(theme):
    doc = document(part(M.Review("很长的标题" * 20, (), (M.Run("说明"),))))
    with pytest.raises(InputError) as err:
        plan(doc, geometry(title_w=2.0), theme)
    message = str(err.value)
    assert "版式：回顾 / 占位符：标题" in message and "文字太长" in message


def it_spreads_key_figures_evenly_over_as_few_slides_as_possible(theme):
    items = tuple(M.KeyFigure(f"指标{i}", value(f"{i}.5")) for i in range(5))
    slides = [s for s in plan(document(part(M.KeyFigures(items))), geometry(), theme) if s.layout == "数字力量"]
    cards = [[b for b in s.shapes if b.name.endswith("名称")] for s in slides]
    assert [len(c) for c in cards] == [3, 2]
    assert texts(slides[1])["标题"] == "数字见证（续）"
    region = geometry()["数字力量"]["卡片区"].box
    for s in slides:
        boxes = sorted((b.box for b in s.shapes if b.fill == "tint"), key=lambda b: b.x)
        for a, b in zip(boxes, boxes[1:], strict=False):
            assert a.x + a.w < b.x  # side by side, never overlapping
        for b in boxes:
            assert region.x <= b.x and b.x + b.w <= region.x + region.w
            assert region.y <= b.y and b.y + b.h <= region.y + region.h


def it_words_a_rise_and_a_fall_on_the_cards(theme):
    items = (M.KeyFigure("增速", value("6.3", "%"), growth=value("6.3", "%")),
             M.KeyFigure("降幅", value("1.2", "亿元"), growth=value("-2.1", "%")))
    slide = next(s for s in plan(document(part(M.KeyFigures(items))), geometry(), theme) if s.layout == "数字力量")
    details = [b.text.text for b in slide.shapes if b.name.endswith("说明")]
    assert details == ["2024年\n增长6.3%", "2024年\n下降2.1%"]


def it_draws_a_labelled_box_for_a_photo_without_a_file(theme):
    photo = M.Photo("莲湖湾", None, "lianhuwan.jpg")
    slide = next(s for s in plan(document(part(photo)), geometry(), theme) if s.layout == "图片")
    assert slide.picture is None
    (box,) = slide.shapes
    assert box.fill == "placeholder" and box.text.text == "图片待补充：莲湖湾（lianhuwan.jpg）"
    assert box.box == geometry()["图片"]["图片区"].box


def it_keeps_chart_text_in_print_proportion_but_never_below_the_floor(theme):
    data = M.ChartData("c", "column", "产值", "亿元", ("2020年", "2024年"), (M.Series("产值", (1.0, 2.0), ("1", "2")),),
                       "资料来源：统计局", "alt")
    slide = next(s for s in plan(document(part(M.Chart(data, 3))), geometry(), theme) if s.layout == "图表")
    name, cp = slide.chart
    assert name == "图表区" and texts(slide)["标题"] == "图3  产值" and texts(slide)["来源"] == "资料来源：统计局"
    assert cp.label_size >= theme.deck.min_body_size and cp.tick_size >= theme.deck.min_body_size


def it_sets_the_goals_as_equal_tiles_inside_the_region(theme):
    goals = ("经济更强", "城乡更美", "民生更好", "生态更优", "治理更优", "文化更兴")
    slide = plan(document(goals=goals), geometry(), theme)[-1]
    tiles = [b for b in slide.shapes if b.text is not None]
    assert [t.text.text for t in tiles] == list(goals)
    assert len({(t.box.w, t.box.h) for t in tiles}) == 1 and len({t.text.size for t in tiles}) == 1
    region = geometry()["结束"]["目标区"].box
    assert all(region.y <= t.box.y and t.box.y + t.box.h <= region.y + region.h for t in tiles)
    assert slide.notes is not None and slide.notes.text == "结束语。"


def it_never_opens_a_measured_line_with_closing_punctuation(theme):
    font = theme.font_path(theme.role("body").print)
    width = measure.width_fn((font,), 20)
    text = "甲乙丙丁戊己庚辛壬癸，子丑寅卯」辰巳午未申酉。戌亥％甲乙丙丁……戊己庚辛》壬癸"
    for max_w in range(60, 400, 7):
        lines = measure.wrap(text, width, max_w)
        assert "".join(lines) == text
        assert all(line[0] not in NO_LINE_START for line in lines[1:]), (max_w, lines)


def it_plans_without_python_pptx():
    code = ("import sys; import generators.writers.pptx.plan; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pptx', 'lxml')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def _chart(refs: tuple[str, ...], texts: tuple[str, ...]) -> M.Chart:
    data = M.ChartData("c", "before_after", "产值", "亿元", ("2020年", "2024年"),
                       (M.Series("产值", tuple(float(t) for t in texts), texts),), "资料来源：统计局", "alt",
                       headline="产值增长100.0%", refs=refs)
    return M.Chart(data, 1)


def it_calls_out_beside_a_chart_the_key_figures_it_plots_and_keeps_them_off_the_cards(theme):
    figs = M.KeyFigures((M.KeyFigure("产值", M.Value("2", "亿元", "2024年", "x@2024")),
                         M.KeyFigure("收入", M.Value("7", "亿元", "2024年", "y@2024"))))
    slides = plan(document(part(figs, _chart(("x@2020", "x@2024"), ("1", "2")))), geometry(), theme)
    cards = next(s for s in slides if s.layout == "数字力量")
    chart = next(s for s in slides if s.chart)
    assert [b.text.text for b in cards.shapes if b.name.endswith("名称")] == ["收入"]
    assert chart.layout == "图表要点" and texts(chart)["标题"] == "产值增长100.0%"
    assert texts(chart)["副标题"] == "图1  产值"
    assert [b.text.paras[0].runs[0].text for b in chart.shapes if b.name.endswith("数字")] == ["2"]


def it_pairs_review_items_by_their_layout_hints(theme):
    a = M.Review("甲", ((M.Run("要点一"),),), (M.Run("甲全文"),), layout="对比")
    b = M.Review("乙", ((M.Run("要点二"),),), (M.Run("乙全文"),))
    c = M.Review("丙", ((M.Run("荣誉一"),), (M.Run("荣誉二"),)), (M.Run("丙全文"),), layout="荣誉")
    photo = M.Review("丁", ((M.Run("要点"),),), (M.Run("丁全文"),), photo=M.Photo("说明", None, "x.jpg"))
    slides = plan(document(part(a, b, c, photo)), geometry(), theme)
    body = [s for s in slides if s.layout not in ("封面", "目录", "章节", "引语", "结束")]
    assert [s.layout for s in body] == ["对比", "荣誉", "要点配图"]
    assert (texts(body[0])["标题"], texts(body[0])["右标题"]) == ("甲", "乙")
    assert body[0].notes.text == "甲全文\n乙全文"
    assert [x.text.text for x in body[1].shapes if x.name.endswith("文字")] == ["荣誉一", "荣誉二"]
    assert any(x.name == "图片占位" for x in body[2].shapes) and texts(body[2])["正文"] == "要点"
