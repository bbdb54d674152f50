"""The deck template contract: open templates/deck.pptx, find layouts and placeholders by name, read their geometry."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

from generators.errors import Problem, TemplateError, shown
from generators.writers.pptx import xml
from generators.writers.pptx.slides import TEMPLATE, Box, Frame, Geometry
from generators.writers.template_messages import missing_layout, missing_placeholder, no_template, unreadable_template

if TYPE_CHECKING:
    from generators.theme import Theme
    from generators.writers import WriterEnv

#: The template contract: layout name -> placeholder names it must have (docs/deck-template.md).
CONTRACT: dict[str, tuple[str, ...]] = {
    "封面": ("标题", "副标题", "场合", "署名", "页脚", "页码"),
    "目录": ("标题", "正文", "页脚", "页码"),
    "章节": ("编号", "标题", "页脚", "页码"),
    "数字力量": ("栏目", "标题", "卡片区", "导语", "页脚", "页码"),
    "图表": ("栏目", "标题", "副标题", "图表区", "来源", "页脚", "页码"),
    "回顾": ("栏目", "标题", "正文", "页脚", "页码"),
    "图片": ("栏目", "图片区", "说明", "页脚", "页码"),
    "结束": ("标题", "目标区", "寄语", "页脚", "页码"),
    # layouts for distinct jobs (docs/deck-template.md)
    "图表要点": ("栏目", "标题", "副标题", "图表区", "要点区", "来源", "页脚", "页码"),
    "要点配图": ("栏目", "标题", "正文", "图片区", "说明", "页脚", "页码"),
    "大数字": ("栏目", "标题", "数字区", "正文", "页脚", "页码"),
    "对比": ("栏目", "标题", "右标题", "左栏", "右栏", "页脚", "页码"),
    "荣誉": ("栏目", "标题", "荣誉区", "页脚", "页码"),
    "引语": ("栏目", "引语", "出处", "页脚", "页码"),
}

Layouts = dict  # layout name -> (layout, {placeholder name: layout placeholder})


def open_template(path: Path):
    where = shown(path)
    if not path.is_file():
        raise TemplateError(Problem(where, message=no_template("幻灯片模板", "python tools/make_deck_template.py")))
    try:
        return Presentation(str(path))
    except Exception as exc:  # noqa: BLE001 - any unreadable template is an input problem
        raise TemplateError(Problem(where, message=f"幻灯片模板无法打开（{type(exc).__name__}）；{unreadable_template('PowerPoint', '.pptx')}")) \
            from None


def find_layouts(prs, path: Path) -> Layouts:
    """Layouts and their placeholders by name; every missing one is reported at once."""
    where = shown(path)
    found: dict[str, Any] = {}
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            found.setdefault(layout.name, layout)
    problems, out = [], {}
    for name, needed in CONTRACT.items():
        layout = found.get(name)
        if layout is None:
            problems.append(missing_layout(where, name, needed, list(found), CONTRACT))
            continue
        phs: dict[str, Any] = {}
        for ph in layout.placeholders:
            phs.setdefault(ph.name, ph)
        problems += [missing_placeholder(where, name, ph_name, list(phs), needed) for ph_name in needed if ph_name not in phs]
        out[name] = (layout, phs)
    if problems:
        raise TemplateError(problems)
    return out


def geometry(layouts: Layouts, prs, theme: "Theme") -> Geometry:
    master = prs.slide_master
    return {name: {ph_name: frame_of(ph, master, theme) for ph_name, ph in phs.items()}
            for name, (layout, phs) in layouts.items()}


def box_of(shape) -> tuple[int, int, int, int]:
    return shape.left, shape.top, shape.width, shape.height


def frame_of(ph, master, theme: "Theme") -> Frame:
    """A placeholder's box and text settings, resolved layout → master placeholder → master text styles."""
    kind = ph.placeholder_format.type
    if kind in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE):
        style, base_kind = "p:titleStyle", PP_PLACEHOLDER.TITLE
    elif kind in (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER, PP_PLACEHOLDER.DATE):
        style, base_kind = "p:otherStyle", kind
    else:
        style, base_kind = "p:bodyStyle", PP_PLACEHOLDER.BODY
    s = xml.text_settings(ph, master.placeholders.get(ph_type=base_kind), master, style)
    return Frame(box=Box(*box_of(ph)), size=s.size if s.size is not None else theme.deck.body_size,
                 insets=s.insets, margin=s.margin, indent=s.indent, space_before=s.space_before,
                 spacing=s.spacing, prompt=s.prompt)


def check_template(env: "WriterEnv") -> None:
    """Raise TemplateError unless templates/deck.pptx has every layout and placeholder of the contract."""
    path = env.templates / TEMPLATE
    find_layouts(open_template(path), path)
