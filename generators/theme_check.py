"""Does every Office template agree with templates/theme.toml? Names each colour and font that does not."""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from generators.errors import Problem
from generators.theme import Theme, contrast_failures, load_theme
from generators.theme_contract import (
    DECK_SHAPES,
    DECK_TEMPLATE,
    SIZED_TEMPLATES,
    STYLE_SHOWN,
    THEME_FONTS,
    WORD_DEFAULT_FONT,
    WORD_STYLES,
    WORD_TEMPLATES,
    scheme_slots,
    theme_value,
)

# ---- one compared value -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Place:
    """One attribute of one template part compared with one theme.toml key."""

    file: str  # relative to the project root
    field: str  # where, in the designer's terms
    key: str
    expected: str
    found: str | None  # None: not set
    fix: str  # what to click, in the designer's terms


def _colour(value: str | None) -> str | None:
    if value is None:
        return None
    return "自动" if value.lower() == "auto" else "#" + value.upper()


def _agrees(p: Place) -> bool:
    if p.found is None:
        return False
    return p.found.upper() == p.expected.upper() if p.key.startswith("palette.") else p.found == p.expected


def _problems(places: list[Place]) -> list[Problem]:
    """One problem per (file, field) with any disagreeing value; places in document order.

    Called on the places as a build shows them (after writers/theme_apply.py), so what is left is what the
    build could not do: the template lacks the thing theme.toml would colour (a border, a shading, a theme part)."""
    groups: dict[tuple[str, str], list[Place]] = {}
    for p in places:
        groups.setdefault((p.file, p.field), []).append(p)
    out = []
    for (file, field), ps in groups.items():
        bad = [p for p in ps if not _agrees(p)]
        if not bad:
            continue
        first = bad[0]
        if not first.key:  # a whole part is missing
            out.append(Problem(file, field=field, expected=first.expected, found="无", message=f"改法：{first.fix}"))
            continue
        found = "、".join(dict.fromkeys("未设置" if p.found is None else p.found for p in bad))
        if all(p.found is None for p in bad):
            why = (f"模板里这一处没有可上色的{field.rsplit('.', 1)[-1]}，生成时无法套用 theme.toml 的 {first.key}。"
                   f"需要时：{first.fix}（有意不要时可忽略此提示）")
        else:
            why = (f"生成的文档里不是 theme.toml 的颜色或字体（程序没能自动套用）。改法：{first.fix}（有意改动时可忽略此提示）")
        out.append(Problem(file, field=field, expected=f"{first.expected}（theme.toml 的 {first.key}）", found=found,
                           message=why))
    return out


# ---- reading the templates ----------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
NS = {"w": W, "a": A, "p": P}
_THEME_REL = f"{R}/theme"


class _Pkg:
    """An Office file's parts, each parsed once (so the build's theme step can be applied to them in memory)."""

    def __init__(self, z: zipfile.ZipFile):
        self.z = z
        self.trees: dict[str, Any] = {}

    def namelist(self) -> list[str]:
        return self.z.namelist()

    def xml(self, name: str):
        if name not in self.trees:
            try:
                self.trees[name] = etree.fromstring(self.z.read(name))
            except (KeyError, ValueError, zipfile.BadZipFile, zlib.error, etree.XMLSyntaxError):
                self.trees[name] = None  # absent or unreadable: compared as "not set"
        return self.trees[name]


def _xml(z: _Pkg, name: str):
    return z.xml(name)


def _related(z: _Pkg, part: str, rel_type: str) -> str | None:
    """The part that `part` points to with a relationship of `rel_type`."""
    folder, base = posixpath.split(part)
    rels = _xml(z, posixpath.join(folder, "_rels", base + ".rels"))
    for rel in [] if rels is None else rels.findall(f"{{{PR}}}Relationship"):
        if rel.get("Type") == rel_type and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
    return None


def _theme_places(z: _Pkg, owner: str, file: str, theme: Theme, app: str) -> list[Place]:
    """The colour scheme and fonts of the theme part `owner` (document.xml, slideMaster1.xml) uses."""
    menu = "设计 → 变体 → " if app == "PowerPoint" else "设计 → "
    part = _related(z, owner, _THEME_REL)
    root = None if part is None else _xml(z, part)
    if root is None:
        tool = "tools/make_deck_template.py" if app == "PowerPoint" else "tools/make_docx_templates.py --force"
        return [Place(file, "主题", "", "有主题部件（主题颜色、主题字体）", None,
                      f"在 {app} 中打开后另存（会补上主题），再按 {menu}颜色 → 自定义颜色 填入 theme.toml 的颜色；"
                      f"或运行 {tool} 重新生成模板（会覆盖对模板的修改）")]
    places = []
    for slot, label, key in scheme_slots(theme):
        el = root.find(f"a:themeElements/a:clrScheme/a:{slot}", NS)
        rgb = None if el is None else el.find("a:srgbClr", NS)
        sys = None if el is None else el.find("a:sysClr", NS)
        found = rgb.get("val") if rgb is not None else (sys.get("lastClr") if sys is not None else None)
        places.append(Place(file, f"主题颜色“{label}”", key, theme_value(theme, key), _colour(found),
                            f"{app}：{menu}颜色 → 自定义颜色 → {label}"))
    for kind, shown in (("major", "标题字体"), ("minor", "正文字体")):
        font_key = THEME_FONTS.get(file, {}).get(kind)
        if font_key is None:
            continue
        font = root.find(f"a:themeElements/a:fontScheme/a:{kind}Font", NS)
        for what, xpath in (("中文", "a:ea"), ("中文", "a:font[@script='Hans']"), ("西文", "a:latin")):
            el = None if font is None else font.find(xpath, NS)
            if el is None and xpath.startswith("a:font"):
                continue  # the per-script font is optional
            hans = None if font is None else font.find("a:font[@script='Hans']", NS)
            if xpath == "a:ea" and el is not None and not el.get("typeface") and hans is not None:
                continue  # Office's own themes leave a:ea empty and name the Chinese font per script
            places.append(Place(file, f"主题字体“{shown}（{what}）”", font_key, theme_value(theme, font_key),
                                None if el is None else el.get("typeface"),
                                f"{app}：{menu}字体 → 自定义字体 → {shown}（{what}）"))
    return places


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


class _WordStyles:
    """Style lookup by name with Word's inheritance (basedOn, then the document defaults)."""

    def __init__(self, styles, numbering):
        self.root = styles
        self.numbering = numbering
        self.by_id = {s.get(_w("styleId")): s for s in styles.iter(_w("style"))}
        self.by_name: dict[str, Any] = {}
        for s in styles.iter(_w("style")):
            name = s.find("w:name", NS)
            if name is not None:
                self.by_name.setdefault(name.get(_w("val")), s)

    def chain(self, style):
        seen = set()
        while style is not None and id(style) not in seen:
            seen.add(id(style))
            yield style
            based = style.find("w:basedOn", NS)
            style = None if based is None else self.by_id.get(based.get(_w("val")))

    def attrs(self, style, xpath: str, attr: str, defaults: bool = False) -> list[str | None]:
        """The attribute on every element `xpath` matches in the nearest style of the chain that has any."""
        for s in self.chain(style):
            els = [e for path in xpath.split("|") for e in s.findall(path, NS)]
            if els:
                return [e.get(_w(attr)) for e in els]
        if defaults:
            el = self.root.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
            if el is not None:
                return [el.get(_w(attr))]
        return [None]

    def bullet(self, style):
        """The level-0 run properties of the numbering a paragraph style uses."""
        num = self.attrs(style, "w:pPr/w:numPr/w:numId", "val")[0]
        if self.numbering is None or num is None:
            return None
        ref = self.numbering.find(f"w:num[@w:numId='{num}']/w:abstractNumId", NS)
        abstract = None if ref is None else self.numbering.find(
            f"w:abstractNum[@w:abstractNumId='{ref.get(_w('val'))}']", NS)
        return None if abstract is None else abstract.find("w:lvl[@w:ilvl='0']/w:rPr", NS)


_WORD_PROPS = {  # property → (xpath under w:style, attribute, inherits document defaults)
    "字体颜色": ("w:rPr/w:color", "val", False),
    "中文字体": ("w:rPr/w:rFonts", "eastAsia", True),
    "西文字体": ("w:rPr/w:rFonts", "ascii", True),
    "底纹": ("w:pPr/w:shd|w:tblPr/w:shd", "fill", False),
    "边框颜色": ("w:pPr/w:pBdr/*|w:tblPr/w:tblBorders/*", "color", False),
    "标题行底纹": ("w:tblStylePr[@w:type='firstRow']/w:tcPr/w:shd", "fill", False),
    "标题行字体颜色": ("w:tblStylePr[@w:type='firstRow']/w:rPr/w:color", "val", False),
}


def _word_fix(style: str, kind: str, prop: str) -> str:
    if kind == "table":
        part = "标题行" if prop.startswith("标题行") else "整个表格"
        return f"Word：表设计 → 右击表格样式“{style}” → 修改表格样式 → 将格式应用于“{part}” → {prop.removeprefix('标题行')}"
    where = {"字体颜色": "格式 → 字体 → 字体颜色", "中文字体": "格式 → 字体 → 中文字体",
             "西文字体": "格式 → 字体 → 西文字体", "底纹": "格式 → 边框 → 底纹 → 填充",
             "边框颜色": "格式 → 边框 → 颜色", "项目符号颜色": "格式 → 编号 → 定义新项目符号 → 字体 → 字体颜色",
             "项目符号字体": "格式 → 编号 → 定义新项目符号 → 字体 → 中文字体、西文字体"}[prop]
    return f"Word：右击样式“{style}” → 修改 → {where}"


def _word_style_places(ws: _WordStyles, file: str, theme: Theme) -> list[Place]:
    places = []
    for name, props in WORD_STYLES.get(file, {}).items():
        shown = STYLE_SHOWN.get(name, name)
        style = ws.by_name.get(name)
        if style is None:
            continue  # a missing style is the writer's error (reportgen check reports it)
        kind = style.get(_w("type"))
        expanded = [(p, k) for prop, k in props.items() for p in (("中文字体", "西文字体") if prop == "字体" else (prop,))]
        for prop, key in expanded:
            expected = theme_value(theme, key)
            if prop.startswith("项目符号"):
                rpr = ws.bullet(style)
                xpath, attrs = ("w:color", ("val",)) if prop == "项目符号颜色" else ("w:rFonts", ("eastAsia", "ascii"))
                el = None if rpr is None else rpr.find(xpath, NS)
                found = [None if el is None else el.get(_w(a)) for a in attrs]
            else:
                xpath, attr, defaults = _WORD_PROPS[prop]
                found = ws.attrs(style, xpath, attr, defaults)
            for value in found:
                shown_value = _colour(value) if key.startswith("palette.") else value
                places.append(Place(file, f"样式“{shown}”.{prop}", key, expected, shown_value,
                                    _word_fix(shown, kind, prop)))
    if file in SIZED_TEMPLATES:
        places += _size_places(ws, file, theme)
    default_key = WORD_DEFAULT_FONT.get(file)
    if default_key:
        el = ws.root.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
        for what, attr in (("中文字体", "eastAsia"), ("西文字体", "ascii")):
            places.append(Place(file, f"默认字体.{what}", default_key, theme_value(theme, default_key),
                                None if el is None else el.get(_w(attr)),
                                f"Word：开始 → 字体对话框 → {what} → 设为默认值（所有基于 Normal 模板的文档）"))
    return places


def _size_places(ws: _WordStyles, file: str, theme: Theme) -> list[Place]:
    """The size of each 简报 style [docx.sizes] sets (a style it does not set keeps the template's: not compared)."""
    from generators.theme_contract import JIANBAO_SIZES

    places = []
    for role, pt in theme.docx.sizes.items():
        name = JIANBAO_SIZES[role]
        style = ws.by_name.get(name)
        if style is None:
            continue
        found = ws.attrs(style, "w:rPr/w:sz", "val")[0]
        places.append(Place(file, f"样式“{name}”.字号", f"docx.sizes.{role}", f"{pt:g}",
                            None if found is None else f"{int(found) / 2:g}", f"Word：右击样式“{name}” → 修改 → 字号"))
    return places


def _word_places(z: _Pkg, file: str, theme: Theme) -> list[Place]:
    main = _related(z, "", f"{R}/officeDocument") or "word/document.xml"
    places = _theme_places(z, main, file, theme, "Word")
    styles_part = _related(z, main, f"{R}/styles")
    styles = None if styles_part is None else _xml(z, styles_part)
    if styles is not None:
        numbering_part = _related(z, main, f"{R}/numbering")
        ws = _WordStyles(styles, None if numbering_part is None else _xml(z, numbering_part))
        places += _word_style_places(ws, file, theme)
    return places


def _deck_places(z: _Pkg, file: str, theme: Theme) -> list[Place]:
    masters = sorted(n for n in z.namelist() if re.fullmatch(r"ppt/slideMasters/slideMaster\d+\.xml", n))
    places = _theme_places(z, masters[0], file, theme, "PowerPoint") if masters else []
    layouts = sorted((n for n in z.namelist() if re.fullmatch(r"ppt/slideLayouts/slideLayout\d+\.xml", n)),
                     key=lambda n: int(re.findall(r"\d+", n)[-1]))
    for part in masters + layouts:
        root = _xml(z, part)
        if root is None:
            continue
        csld = root.find("p:cSld", NS)
        where = "幻灯片母版" if "slideMaster" in part else f"版式“{csld.get('name', '') if csld is not None else ''}”"
        for sp in root.iterfind(".//p:sp", NS):
            name_el = sp.find("p:nvSpPr/p:cNvPr", NS)
            name = "" if name_el is None else name_el.get("name", "")
            if name not in DECK_SHAPES:
                continue
            prop, key = DECK_SHAPES[name]
            is_ph = sp.find("p:nvSpPr/p:nvPr/p:ph", NS) is not None
            xpath = ("p:txBody/a:lstStyle/a:lvl1pPr/a:defRPr/a:solidFill/a:srgbClr" if is_ph
                     else "p:spPr/a:solidFill/a:srgbClr")
            el = sp.find(xpath, NS)
            if el is None:
                continue  # a theme colour, or none: nothing that can disagree with a theme.toml value
            what = "占位符" if is_ph else "形状"
            click = "开始 → 字体颜色" if is_ph else "形状格式 → 形状填充"
            places.append(Place(file, f"{where}.{what}“{name}”.{prop}", key, theme_value(theme, key),
                                _colour(el.get("val")),
                                f"PowerPoint：视图 → 幻灯片母版 → {where} → 选中“{name}” → {click} → 其他颜色"))
    return places


def _apply_build_step(z: _Pkg, file: str, theme: Theme) -> None:
    """What every build does to the loaded template (writers/theme_apply.py), done to the parsed parts."""
    from generators.writers.theme_apply import apply_deck_part, apply_office_theme, apply_word

    if file == DECK_TEMPLATE:
        masters = sorted(n for n in z.namelist() if re.fullmatch(r"ppt/slideMasters/slideMaster\d+\.xml", n))
        theme_part = _related(z, masters[0], _THEME_REL) if masters else None
        root = None if theme_part is None else _xml(z, theme_part)
        if root is not None:
            apply_office_theme(file, theme, root)
        for part in masters + [n for n in z.namelist() if re.fullmatch(r"ppt/slideLayouts/slideLayout\d+\.xml", n)]:
            if (tree := _xml(z, part)) is not None:
                apply_deck_part(theme, tree)
        return
    main = _related(z, "", f"{R}/officeDocument") or "word/document.xml"
    parts = [_related(z, main, f"{R}/{kind}") for kind in ("styles", "numbering", "theme")]
    styles, numbering, theme_root = (None if p is None else _xml(z, p) for p in parts)
    if styles is not None:
        apply_word(file, theme, styles, numbering, theme_root)
    elif theme_root is not None:
        apply_office_theme(file, theme, theme_root)


def theme_places(root: Path, theme: Theme, built: bool = False) -> list[Place]:
    """Every compared value of the deck and briefing templates under `root` (missing files skipped).

    `built`: the values as a build shows them, i.e. after the build's theme step (writers/theme_apply.py) has
    written theme.toml's colours and fonts into the loaded template; otherwise the template files' own."""
    places: list[Place] = []
    for file, read in [(f, _word_places) for f in WORD_TEMPLATES] + [(DECK_TEMPLATE, _deck_places)]:
        path = root / file
        try:
            with zipfile.ZipFile(path) as zf:
                z = _Pkg(zf)
                if built:
                    _apply_build_step(z, file, theme)
                places += read(z, file, theme)
        except (OSError, zipfile.BadZipFile, zlib.error):
            continue  # missing or broken: the writers' template checks report that as an error
    return places


def check_theme_agreement(root: Path, theme: Theme | None = None) -> list[Problem]:
    """Each place of templates/deck.pptx and templates/briefing-*.docx where a built document would not show
    theme.toml's colour or font, i.e. what the build's theme step cannot do (a style without the border or
    shading the contract colours, a template without a theme part). What the build does is not asked of anyone.

    These are notes: a designer may restyle a template on purpose. `reportgen check` lists them.
    """
    return _problems(theme_places(root, theme or load_theme(root), built=True))


def contrast_problems(theme: Theme) -> list[Problem]:
    """Each text colour on its background (generators.theme.TEXT_PAIRS) below WCAG AA, named with both keys."""
    from generators.theme import luminance

    pal = theme.palette
    out = []
    for fg, bg, ratio, need, where in contrast_failures(pal):
        dark, light = (fg, bg) if luminance(getattr(pal, fg)) <= luminance(getattr(pal, bg)) else (bg, fg)
        out.append(Problem("templates/theme.toml", field=f"palette.{fg} / palette.{bg}", expected=f"至少 {need:g}:1",
                           found=f"{ratio:.2f}:1", message=(
                               f"文字颜色 {fg}（{getattr(pal, fg)}）放在底色 {bg}（{getattr(pal, bg)}）上对比度不够，"
                               f"低于 WCAG AA（用于：{where}），不易看清、打印后更淡。改法：在 theme.toml 的 [palette] 中把 "
                               f"{dark} 调深或把 {light} 调浅（不写的颜色按规则得出，见 docs/designer-guide.md 第 3 节）")))
    return out
