"""theme.toml into a loaded template, at every build: colours and Office font names, place by place.

One step, applied to the template after it is opened and before anything is written into it, so a designer
changes a colour or a font once in theme.toml and every document follows. The places are those of the
template contract (generators/theme_contract.py); `reportgen check` runs this same step on the template files
and reports only what it could not do (generators/theme_check.py).

Works on lxml trees only (no python-docx or python-pptx here): the Word writer hands it the styles, numbering
and theme parts of the opened .docx, the deck writer the theme part, master and layouts of the opened .pptx.

What the step does, per place:
- a colour or font the template states is replaced by theme.toml's;
- a style that states no font colour or no font of its own, and would show another colour or font by
  inheritance, gets theme.toml's written into the style itself (so the style shows the theme's);
- a border or shading the template does not have is not invented (the check names it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generators.theme import Theme

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"

# w:rPr children in schema order (ECMA-376 CT_RPr), so an element the step adds lands where Word expects it.
_RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
              "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
              "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
              "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")
# w:style children that come after w:rPr (a w:rPr the step adds goes before the first of them).
_AFTER_RPR = ("tblPr", "trPr", "tcPr", "tblStylePr")


def _hex(theme: "Theme", key: str) -> str:
    from generators.theme_contract import theme_value

    return theme_value(theme, key).lstrip("#").upper()


def _child(parent, tag: str, order: tuple[str, ...], after: tuple[str, ...] = ()):
    """`parent`'s w:`tag`, added in schema order when absent."""
    el = parent.find(W + tag)
    if el is not None:
        return el
    from lxml import etree

    el = etree.Element(W + tag)
    rank = order.index(tag) if tag in order else len(order)
    for i, sib in enumerate(parent):
        local = etree.QName(sib).localname
        if (local in order and order.index(local) > rank) or local in after:
            parent.insert(i, el)
            return el
    parent.append(el)
    return el


def _style_rpr(style):
    """The style's own w:rPr (added before w:tblPr … when absent)."""
    rpr = style.find(W + "rPr")
    if rpr is not None:
        return rpr
    from lxml import etree

    rpr = etree.Element(W + "rPr")
    for i, sib in enumerate(style):
        if etree.QName(sib).localname in _AFTER_RPR:
            style.insert(i, rpr)
            return rpr
    style.append(rpr)
    return rpr


class _Styles:
    """Word styles by name, with the value a style shows through basedOn and the document defaults."""

    def __init__(self, root):
        self.root = root
        self.by_id = {s.get(W + "styleId"): s for s in root.iter(W + "style")}
        self.by_name: dict[str, object] = {}
        for s in root.iter(W + "style"):
            name = s.find(W + "name")
            if name is not None:
                self.by_name.setdefault(name.get(W + "val"), s)

    def shown(self, style, path: str, attr: str) -> str | None:
        seen = set()
        while style is not None and id(style) not in seen:
            seen.add(id(style))
            el = style.find(path)
            if el is not None and el.get(W + attr) is not None:
                return el.get(W + attr)
            based = style.find(W + "basedOn")
            style = None if based is None else self.by_id.get(based.get(W + "val"))
        if path.endswith("rFonts"):
            el = self.root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
            return None if el is None else el.get(W + attr)
        return None


def _set_fonts(rfonts, name: str) -> None:
    for attr in ("ascii", "hAnsi", "eastAsia"):
        rfonts.set(W + attr, name)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme"):  # a theme font would win over the name
        rfonts.attrib.pop(W + attr, None)


def _font(ws: _Styles, style, name: str) -> None:
    rfonts = style.find(f"{W}rPr/{W}rFonts")
    if rfonts is not None:
        _set_fonts(rfonts, name)
    elif ws.shown(style, f"{W}rPr/{W}rFonts", "eastAsia") != name or ws.shown(style, f"{W}rPr/{W}rFonts",
                                                                               "ascii") != name:
        _set_fonts(_child(_style_rpr(style), "rFonts", _RPR_ORDER), name)


def _font_colour(ws: _Styles, style, hex_: str) -> None:
    el = style.find(f"{W}rPr/{W}color")
    if el is not None or (ws.shown(style, f"{W}rPr/{W}color", "val") or "").upper() != hex_:
        el = el if el is not None else _child(_style_rpr(style), "color", _RPR_ORDER)
        el.set(W + "val", hex_)
        for attr in ("themeColor", "themeShade", "themeTint"):  # a theme colour would win over the value
            el.attrib.pop(W + attr, None)


def _set_all(elements, attr: str, value: str) -> None:
    for el in elements:
        el.set(W + attr, value)


def _bullet_rpr(ws: _Styles, numbering, style):
    """The level-0 run properties of the numbering the paragraph style uses (None when it has none)."""
    num = ws.shown(style, f"{W}pPr/{W}numPr/{W}numId", "val")
    if numbering is None or num is None:
        return None
    ref = numbering.find(f"{W}num[@{W}numId='{num}']/{W}abstractNumId")
    if ref is None:
        return None
    lvl = numbering.find(f"{W}abstractNum[@{W}abstractNumId='{ref.get(W + 'val')}']/{W}lvl[@{W}ilvl='0']")
    if lvl is None:
        return None
    from lxml import etree

    rpr = lvl.find(W + "rPr")
    if rpr is None:
        rpr = etree.SubElement(lvl, W + "rPr")  # w:rPr is the last child of w:lvl
    return rpr


def _apply_style(ws: _Styles, numbering, style, prop: str, value: str) -> None:
    if prop == "字体":
        _font(ws, style, value)
    elif prop == "字体颜色":
        _font_colour(ws, style, value)
    elif prop == "底纹":
        _set_all(style.findall(f"{W}pPr/{W}shd") + style.findall(f"{W}tblPr/{W}shd"), "fill", value)
    elif prop == "边框颜色":
        _set_all(style.findall(f"{W}pPr/{W}pBdr/*") + style.findall(f"{W}tblPr/{W}tblBorders/*"), "color", value)
    elif prop == "标题行底纹":
        _set_all(style.findall(f"{W}tblStylePr[@{W}type='firstRow']/{W}tcPr/{W}shd"), "fill", value)
    elif prop == "标题行字体颜色":
        _set_all(style.findall(f"{W}tblStylePr[@{W}type='firstRow']/{W}rPr/{W}color"), "val", value)
    elif prop in ("项目符号颜色", "项目符号字体"):
        rpr = _bullet_rpr(ws, numbering, style)
        if rpr is None:
            return
        if prop == "项目符号颜色":
            _child(rpr, "color", _RPR_ORDER).set(W + "val", value)
        else:
            _set_fonts(_child(rpr, "rFonts", _RPR_ORDER), value)


def apply_word(template: str, theme: "Theme", styles, numbering=None, theme_part=None) -> None:
    """theme.toml into a Word template's styles, bullet numbering and theme part (lxml roots, changed in place).

    `template` is the template as the contract names it (templates/briefing-专题.docx). The 公文 and 简报 keep
    GB/T 9704's fonts and black text: only their red (palette.redhead) and their theme colours follow theme.toml."""
    from generators.theme_contract import SIZED_TEMPLATES, WORD_DEFAULT_FONT, WORD_STYLES, theme_value

    ws = _Styles(styles)
    for name, props in WORD_STYLES.get(template, {}).items():
        style = ws.by_name.get(name)
        if style is None:
            continue  # a missing style is the writer's error, reported by name
        for prop, key in props.items():
            value = theme_value(theme, key)
            _apply_style(ws, numbering, style, prop, value.lstrip("#").upper() if key.startswith("palette.") else value)
    if template in SIZED_TEMPLATES:
        _apply_sizes(ws, theme)
    default_key = WORD_DEFAULT_FONT.get(template)
    if default_key:
        rfonts = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
        if rfonts is not None:
            _set_fonts(rfonts, theme_value(theme, default_key))
    if theme_part is not None:
        apply_office_theme(template, theme, theme_part)


def _apply_sizes(ws: _Styles, theme: "Theme") -> None:
    """[docx.sizes] into the 简报 styles: w:sz and w:szCs (half-points) of each style a role names."""
    from generators.theme_contract import JIANBAO_SIZES

    for role, pt in theme.docx.sizes.items():
        style = ws.by_name.get(JIANBAO_SIZES[role])
        if style is None:
            continue
        rpr = _style_rpr(style)
        for tag in ("sz", "szCs"):
            _child(rpr, tag, _RPR_ORDER).set(W + "val", str(round(pt * 2)))


def apply_office_theme(template: str, theme: "Theme", root) -> None:
    """The 12 theme colours and (where the contract binds them) the theme fonts of a theme part (theme1.xml)."""
    from lxml import etree

    from generators.theme_contract import THEME_FONTS, scheme_slots, theme_value

    scheme = root.find(f"{A}themeElements/{A}clrScheme")
    for slot, _label, key in [] if scheme is None else scheme_slots(theme):
        el = scheme.find(A + slot)
        if el is None:
            continue
        want = _hex(theme, key)
        rgb = el.find(A + "srgbClr")
        if rgb is None:  # a system colour (sysClr): the theme's value instead
            for child in list(el):
                el.remove(child)
            rgb = etree.SubElement(el, A + "srgbClr")
        if rgb.get("val", "").upper() != want:
            rgb.set("val", want)
    fonts = root.find(f"{A}themeElements/{A}fontScheme")
    for kind, key in THEME_FONTS.get(template, {}).items():
        font = None if fonts is None else fonts.find(f"{A}{kind}Font")
        if font is None:
            continue
        name = theme_value(theme, key)
        for el in [font.find(A + "latin"), font.find(A + "ea"), font.find(f"{A}font[@script='Hans']")]:
            if el is not None and el.get("typeface") != name:
                el.set("typeface", name)


def apply_deck_part(theme: "Theme", root) -> None:
    """theme.toml's colour into each contract shape of a slide master or layout (DECK_SHAPES), where the shape
    states a colour value (a shape that uses a theme colour follows the theme part)."""
    from generators.theme_contract import DECK_SHAPES

    for sp in root.iter(P + "sp"):
        c_nv = sp.find(f"{P}nvSpPr/{P}cNvPr")
        name = "" if c_nv is None else c_nv.get("name", "")
        if name not in DECK_SHAPES:
            continue
        _prop, key = DECK_SHAPES[name]
        is_ph = sp.find(f"{P}nvSpPr/{P}nvPr/{P}ph") is not None
        path = (f"{P}txBody/{A}lstStyle/{A}lvl1pPr/{A}defRPr/{A}solidFill/{A}srgbClr" if is_ph
                else f"{P}spPr/{A}solidFill/{A}srgbClr")
        el = sp.find(path)
        want = _hex(theme, key)
        if el is not None and el.get("val", "").upper() != want:
            el.set("val", want)
