"""The template contract with theme.toml: which template place takes which theme.toml key.

Read by the writers (which apply theme.toml to the loaded template at build: writers/theme_apply.py), by
`reportgen check` (generators/theme_check.py), by the template generators in tools/ and by the designer
guide's generated section (tools/designer_guide.py)."""

from __future__ import annotations

import re

from generators.theme import Theme

# ---- the contract: which theme.toml key each template place takes ------------------------------------
# tools/make_docx_templates.py and tools/make_deck_template.py build the templates from these tables
# (theme parts) or from the same keys (styles, shapes); writers/theme_apply.py writes theme.toml's values into
# these places of the loaded template at every build; tests/test_theme_check.py proves all of them agree.

#: Theme colour slots (Office's names in the 自定义颜色 dialog) and the palette key each one takes.
#: An int is an index into palette.chart (taken modulo its length).
SCHEME: tuple[tuple[str, str, str | int], ...] = (
    ("dk1", "文字/背景 - 深色 1", "palette.ink"),
    ("lt1", "文字/背景 - 浅色 1", "palette.paper"),
    ("dk2", "文字/背景 - 深色 2", "palette.primary_dark"),
    ("lt2", "文字/背景 - 浅色 2", "palette.tint"),
    ("accent1", "着色 1", "palette.primary"),
    ("accent2", "着色 2", "palette.accent"),
    ("accent3", "着色 3", 2),
    ("accent4", "着色 4", 3),
    ("accent5", "着色 5", 4),
    ("accent6", "着色 6", 5),
    ("hlink", "超链接", "palette.primary"),
    ("folHlink", "已访问的超链接", "palette.muted"),
)

#: Theme fonts (标题字体 = major, 正文字体 = minor) of each template, as theme.toml keys. The 公文 and 简报
#: templates are absent: their fonts are those of GB/T 9704-2012, not of the theme.
THEME_FONTS: dict[str, dict[str, str]] = {
    "templates/briefing-专题.docx": {"major": "fonts.heading.office", "minor": "fonts.body.office"},
    "templates/deck.pptx": {"major": "fonts.heading.office", "minor": "fonts.body.office"},
}
WORD_TEMPLATES = ("templates/briefing-公文.docx", "templates/briefing-简报.docx", "templates/briefing-专题.docx")
DECK_TEMPLATE = "templates/deck.pptx"

_F = {r: f"fonts.{r}.office" for r in ("title", "heading", "body", "figure", "caption", "quote")}
_P = {k: f"palette.{k}" for k in ("primary", "primary_dark", "accent", "ink", "muted", "paper", "tint", "rule",
                                  "placeholder")}

#: The 专题 template (the designed look): style name → {property: key}. "字体" means both 中文字体 and 西文字体.
JIANBAO: dict[str, dict[str, str]] = {
    "Normal": {"字体": _F["body"], "字体颜色": _P["ink"]},
    "简报标题": {"字体": _F["figure"], "字体颜色": _P["paper"], "底纹": _P["primary"], "边框颜色": _P["primary"]},
    "简报副标题": {"字体": _F["figure"], "字体颜色": _P["primary_dark"]},
    "会议信息": {"字体": _F["figure"], "字体颜色": _P["muted"], "边框颜色": _P["accent"]},
    "简报正文": {"字体": _F["body"]},
    "一级标题": {"字体": _F["figure"], "字体颜色": _P["primary"], "边框颜色": _P["rule"]},
    "二级标题": {"字体": _F["figure"], "字体颜色": _P["primary_dark"]},
    "三级标题": {"字体": _F["heading"]},
    "引语": {"字体": _F["quote"], "底纹": _P["tint"], "边框颜色": _P["accent"]},
    "引语出处": {"字体": _F["quote"], "字体颜色": _P["muted"], "底纹": _P["tint"], "边框颜色": _P["accent"]},
    "简报要点": {"字体": _F["body"], "项目符号颜色": _P["primary"], "项目符号字体": _F["body"]},
    "图题": {"字体": _F["figure"], "字体颜色": _P["ink"]},
    "插图": {"字体": _F["body"]},
    "资料来源": {"字体": _F["figure"], "字体颜色": _P["muted"]},
    "表格文字": {"字体": _F["figure"], "字体颜色": _P["ink"]},
    "表格数字": {"字体": _F["figure"], "字体颜色": _P["ink"]},
    "表头文字": {"字体": _F["figure"], "字体颜色": _P["primary_dark"]},
    "图片占位": {"字体": _F["figure"], "字体颜色": _P["muted"]},
    "数字": {"字体颜色": _P["primary_dark"]},
    "页脚页码": {"字体": _F["figure"], "字体颜色": _P["muted"]},
    "关键数据表": {"字体": _F["figure"], "边框颜色": _P["rule"], "标题行底纹": _P["tint"],
                   "标题行字体颜色": _P["primary_dark"]},
    "图片占位框": {"字体": _F["figure"], "边框颜色": _P["muted"], "底纹": _P["placeholder"]},
}
#: [docx.sizes] role → the 专题 style it sizes (the roles of generators/writers/docx.STYLES; a test keeps them equal).
JIANBAO_SIZES: dict[str, str] = {
    "title": "简报标题", "subtitle": "简报副标题", "meeting": "会议信息", "body": "简报正文", "h1": "一级标题",
    "h2": "二级标题", "h3": "三级标题", "quote": "引语", "speaker": "引语出处", "point": "简报要点", "caption": "图题",
    "picture": "插图", "source": "资料来源", "cell": "表格文字", "cell_number": "表格数字", "cell_header": "表头文字",
    "placeholder": "图片占位",
}
#: Word's document defaults (字体 → 设为默认值) of each Word template that follows the theme.
#: The 红头 of the 公文 and the 简报: the red of theme.toml's palette.redhead (fonts and black text: GB/T 9704).
GONGWEN: dict[str, dict[str, str]] = {
    "发文机关标志": {"字体颜色": "palette.redhead"},
    "发文字号": {"边框颜色": "palette.redhead"},
    "发文字号（上行文）": {"边框颜色": "palette.redhead"},
    "红线五角星": {"字体颜色": "palette.redhead"},
}
JIANBAO_RED: dict[str, dict[str, str]] = {
    "报头名称": {"字体颜色": "palette.redhead"},
    "报头会议名称": {"字体颜色": "palette.redhead"},
    "报头编印": {"边框颜色": "palette.redhead"},
}
WORD_DEFAULT_FONT = {"templates/briefing-专题.docx": _F["body"]}
WORD_STYLES = {"templates/briefing-专题.docx": JIANBAO, "templates/briefing-公文.docx": GONGWEN,
               "templates/briefing-简报.docx": JIANBAO_RED}
#: The templates whose styles the [docx.sizes] of theme.toml sizes (the 公文 and 简报 follow GB/T 9704).
SIZED_TEMPLATES = ("templates/briefing-专题.docx",)

#: The deck template: shape name (in the master and every layout) → (property, key). Shapes coloured
#: with a theme colour (着色 1, 背景 1 …) follow the theme by construction and are not listed.
DECK_SHAPES: dict[str, tuple[str, str]] = {
    "页脚": ("文字颜色", _P["muted"]), "页码": ("文字颜色", _P["muted"]), "署名": ("文字颜色", _P["muted"]),
    "来源": ("文字颜色", _P["muted"]), "标题线": ("填充颜色", _P["rule"]), "页脚线": ("填充颜色", _P["rule"]),
    "副标题": ("文字颜色", _P["muted"]), "说明": ("文字颜色", _P["muted"]),
    "出处": ("文字颜色", _P["muted"]),
    "左线": ("填充颜色", _P["rule"]), "右线": ("填充颜色", _P["rule"]),
}

STYLE_SHOWN = {"Normal": "正文"}  # how Chinese Word shows the built-in style


def theme_value(theme: Theme, key: str) -> str:
    """The value of a dotted theme.toml key: palette.primary, palette.chart[2], fonts.body.office."""
    node: object = theme
    for part in key.split("."):
        m = re.fullmatch(r"(\w+)\[(\d+)\]", part)
        node = getattr(node, m[1])[int(m[2])] if m else getattr(node, part)
    return str(node)


def scheme_slots(theme: Theme) -> list[tuple[str, str, str]]:
    """(slot, Office name, theme.toml key) of the 12 theme colours."""
    n = len(theme.palette.chart)
    return [(slot, label, f"palette.chart[{key % n}]" if isinstance(key, int) else key) for slot, label, key in SCHEME]


def scheme_colours(theme: Theme) -> list[tuple[str, str]]:
    """(slot, RRGGBB) of the 12 theme colours, for the template generators."""
    return [(slot, theme_value(theme, key)[1:].upper()) for slot, _label, key in scheme_slots(theme)]
