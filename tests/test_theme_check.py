"""One theme, one truth (issue 16 §3): the templates follow theme.toml, and `check_theme_agreement` names each place that does not."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from generators.theme import load_theme
from generators.theme_check import DECK_TEMPLATE, WORD_TEMPLATES, _agrees, check_theme_agreement, theme_places
from tests.conftest import ROOT, link_tree

JIANBAO = "templates/briefing-专题.docx"  # the designed look, whose styles follow theme.toml
GONGWEN = "templates/briefing-公文.docx"
NEW_RED = "#1F4E79"


def set_theme_key(root: Path, key: str, value: str) -> None:
    """Change one value of root/templates/theme.toml as a designer would (one line edited or added)."""
    path = root / "templates" / "theme.toml"
    text = path.read_text(encoding="utf-8")
    if m := re.fullmatch(r"palette\.chart\[(\d)\]", key):
        line = re.search(r"^chart = \[.*\]", text, re.M)[0]
        items = re.findall(r'"[^"]*"', line)
        items[int(m[1])] = f'"{value}"'
        new = text.replace(line, f"chart = [{', '.join(items)}]")
    elif key.startswith("palette."):
        name = key.split(".")[1]
        new = re.sub(rf'^{name} = "#\w{{6}}"', f'{name} = "{value}"', text, count=1, flags=re.M)
        if new == text:  # a derived colour: set it
            new = re.sub(r'^(primary = "#\w{6}".*)$', rf'\g<1>\n{name} = "{value}"', text, count=1, flags=re.M)
    else:
        role = key.split(".")[1]
        new = re.sub(rf'(\[fonts\.{role}\]\nprint = "[^"]*"\noffice = )"[^"]*"', rf'\g<1>"{value}"', text)
    assert new != text, key
    path.write_text(new, encoding="utf-8")
    from generators.theme_check import theme_value

    assert theme_value(load_theme(root), key) == value


def regenerate(root: Path) -> None:
    """Both Word templates and the deck template made again from root/templates/theme.toml."""
    from tools import make_deck_template, make_docx_templates

    assert make_docx_templates.main(["--root", str(root), "--force"]) == 0
    make_deck_template.build(root, root / DECK_TEMPLATE)


def edit_part(path: Path, part: str, edit) -> None:
    """Rewrite one XML part of an Office file in place (a hand edit, as Word or PowerPoint would save it)."""
    with zipfile.ZipFile(path) as src:
        items = [(i, src.read(i.filename)) for i in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in items:
            dst.writestr(info, edit(data.decode("utf-8")).encode("utf-8") if info.filename == part else data)


def by_field(problems, file: str) -> dict:
    return {p.field: p for p in problems if p.file == file}


def it_finds_the_shipped_templates_in_agreement_with_theme_toml():
    assert check_theme_agreement(ROOT) == []


def stale(root: Path) -> list:
    """The template files' own places that disagree with theme.toml (before the build's theme step)."""
    return [p for p in theme_places(root, load_theme(root)) if not _agrees(p)]


def it_asks_nothing_of_the_designer_when_the_primary_colour_changes(project: Path):
    """The build colours every place from theme.toml, so check asks for no hand edit (issue 27 §2)."""
    set_theme_key(project, "palette.primary", NEW_RED)
    files = {}
    for p in stale(project):
        files.setdefault(p.file, set()).add(p.field)
    assert {"样式“简报标题”.底纹", "样式“一级标题”.字体颜色", "样式“简报要点”.项目符号颜色", "主题颜色“着色 1”"} <= files[JIANBAO]
    assert "主题颜色“着色 1”" in files[DECK_TEMPLATE] and "主题颜色“着色 1”" in files[GONGWEN]
    assert check_theme_agreement(project) == []
    built = theme_places(project, load_theme(project), built=True)
    assert all(_agrees(p) for p in built)


def it_asks_nothing_of_the_designer_when_the_body_font_changes(project: Path):
    set_theme_key(project, "fonts.body.office", "仿宋")
    fields = {p.field for p in stale(project) if p.file == JIANBAO}
    assert {"样式“正文”.中文字体", "样式“简报正文”.西文字体", "默认字体.中文字体", "样式“简报要点”.项目符号字体",
            "主题字体“正文字体（中文）”", "主题字体“正文字体（西文）”"} <= fields
    assert not any("标题字体" in f for f in fields)
    assert check_theme_agreement(project) == []


@pytest.mark.parametrize("key", [
    "palette.primary", "palette.primary_dark", "palette.accent", "palette.ink", "palette.muted", "palette.paper",
    "palette.tint", "palette.rule", "palette.placeholder", "palette.chart[2]", "palette.chart[5]",
    "fonts.title.office", "fonts.heading.office", "fonts.body.office", "fonts.figure.office",
    "fonts.caption.office", "fonts.quote.office"])
def it_applies_every_compared_place_at_build(project: Path, key: str):
    value = "#123456" if key.startswith("palette.") else "测试字体甲"
    set_theme_key(project, key, value)
    theme = load_theme(project)
    assert [p for p in theme_places(project, theme, built=True) if not _agrees(p)] == []


def it_overrides_a_word_style_recoloured_by_hand_and_says_nothing(project: Path):
    """The colour of a bound style is theme.toml's at build: a hand edit in Word does not reach the documents
    (the designer guide says to change theme.toml), so check does not ask to undo it either."""
    def recolour(xml: str) -> str:
        start = xml.index('w:styleId="Heading1Brief"')
        end = xml.index("</w:style>", start)
        return xml[:start] + xml[start:end].replace('<w:color w:val="A61E22"/>', '<w:color w:val="1F4E79"/>') + xml[end:]

    edit_part(project / JIANBAO, "word/styles.xml", recolour)
    assert [(p.field, p.found) for p in stale(project)] == [("样式“一级标题”.字体颜色", "#1F4E79")]
    assert check_theme_agreement(project) == []


def it_colours_a_style_that_lost_its_own_colour(project: Path):
    """A style without its own colour shows its base style's; the build writes theme.toml's into the style."""
    def drop_colour(xml: str) -> str:
        start = xml.index('w:styleId="Heading2Brief"')
        end = xml.index("</w:style>", start)
        return xml[:start] + re.sub(r'<w:color w:val="\w+"/>', "", xml[start:end]) + xml[end:]

    edit_part(project / JIANBAO, "word/styles.xml", drop_colour)
    assert "样式“二级标题”.字体颜色" in {p.field for p in stale(project)}
    assert check_theme_agreement(project) == []


def it_names_a_border_the_template_no_longer_has(project: Path):
    """What the build cannot do: colour a border the style does not have. Named, with the Word clicks."""
    def drop_border(xml: str) -> str:
        start = xml.index('w:styleId="Heading1Brief"')
        end = xml.index("</w:style>", start)
        return xml[:start] + re.sub(r"<w:pBdr>.*?</w:pBdr>", "", xml[start:end]) + xml[end:]

    edit_part(project / JIANBAO, "word/styles.xml", drop_border)
    problems = check_theme_agreement(project)
    assert [(p.file, p.field, p.found) for p in problems] == [(JIANBAO, "样式“一级标题”.边框颜色", "未设置")]
    text = problems[0].render()
    assert "没有可上色的边框颜色" in text and "右击样式“一级标题” → 修改 → 格式 → 边框 → 颜色" in text


def it_overrides_a_deck_layout_shape_recoloured_by_hand(project: Path):
    layouts = sorted(n for n in zipfile.ZipFile(project / DECK_TEMPLATE).namelist()
                     if re.fullmatch(r"ppt/slideLayouts/slideLayout\d+\.xml", n))
    chart = next(n for n in layouts if 'name="图表"' in zipfile.ZipFile(project / DECK_TEMPLATE).read(n).decode())

    def recolour(xml: str) -> str:
        start = xml.index('name="来源"')
        return xml[:start] + xml[start:].replace('val="6B6B6B"', 'val="999999"', 1)

    edit_part(project / DECK_TEMPLATE, chart, recolour)
    assert [(p.field, p.found) for p in stale(project)] == [("版式“图表”.占位符“来源”.文字颜色", "#999999")]
    assert check_theme_agreement(project) == []


def it_names_a_word_template_without_a_theme_part(project: Path):
    path = project / GONGWEN
    edit_part(path, "word/_rels/document.xml.rels", lambda xml: re.sub(r'<Relationship Id="rIdTheme"[^>]*/>', "", xml))
    problems = check_theme_agreement(project)
    assert [(p.file, p.field, p.found) for p in problems] == [(GONGWEN, "主题", "无")]
    assert "另存" in problems[0].render()


# ---- one truth: the generators and the checker use the same keys ---------------------------------------

KEYS = [f"palette.{k}" for k in ("primary", "primary_dark", "accent", "ink", "muted", "paper", "tint", "rule",
                                 "placeholder")] + ["palette.chart[2]", "palette.chart[5]"] + [
    f"fonts.{r}.office" for r in ("title", "heading", "body", "figure", "caption", "quote")]


def occurrences(root: Path, value: str) -> dict[str, int]:
    """How often the generated templates carry `value` where the checker looks (per template).

    Word: every attribute of styles, numbering and the theme part, except the rFonts slots the checker does
    not compare (w:hAnsi, w:cs). Deck: colours of the theme, master and layouts; fonts of the theme only
    (the deck writer names every run's font itself, so placeholder fonts do not matter).
    """
    colour = value.startswith("#")
    want = value[1:].upper() if colour else value
    skip = {f"{{http://schemas.openxmlformats.org/wordprocessingml/2006/main}}{a}" for a in ("hAnsi", "cs")}
    counts = {}
    for file in [*WORD_TEMPLATES, DECK_TEMPLATE]:
        n = 0
        with zipfile.ZipFile(root / file) as z:
            for part in z.namelist():
                deck_part = re.match(r"ppt/(theme|slideMasters|slideLayouts)/[^/]+\.xml$", part)
                word_part = re.match(r"word/(styles|numbering|theme/theme\d+)\.xml$", part)
                if not (word_part or (deck_part and (colour or deck_part[1] == "theme"))):
                    continue
                for el in etree.fromstring(z.read(part)).iter():
                    n += sum(1 for k, v in el.attrib.items() if k not in skip and (v.upper() if colour else v) == want)
        counts[file] = n
    return counts


@pytest.mark.parametrize("key", KEYS)
def it_checks_every_place_the_generators_take_from_a_theme_key(project: Path, key: str):
    value = "#123456" if key.startswith("palette.") else "测试字体甲"
    set_theme_key(project, key, value)
    theme = load_theme(project)
    stale = [p for p in theme_places(project, theme) if p.key == key]
    regenerate(project)
    fresh = theme_places(project, theme)
    assert check_theme_agreement(project, theme) == [], "regenerated templates disagree with their own theme"
    counted = occurrences(project, value)
    checked = {f: sum(1 for p in fresh if p.file == f and p.key == key) for f in counted}
    assert checked == counted, "a generator takes this key somewhere the checker does not look (or vice versa)"
    assert {f: sum(1 for p in stale if p.file == f) for f in counted} == counted
    assert all(p.found != value for p in stale)


def it_regenerates_the_shipped_templates_byte_for_byte(tmp_path: Path):
    """The committed templates are exactly what the generators make from the shipped theme.toml."""
    root = tmp_path / "proj"
    shutil.copytree(ROOT / "templates", root / "templates")
    link_tree(ROOT / "assets", root / "assets")
    regenerate(root)
    for file in [*WORD_TEMPLATES, DECK_TEMPLATE]:
        assert (root / file).read_bytes() == (ROOT / file).read_bytes(), file


def it_documents_every_style_binding_in_the_designer_guide():
    """docs/designer-guide.md §6 lists each 简报 style's keys and each theme colour's key, as the checker has them."""
    from generators.theme_contract import JIANBAO, SCHEME

    guide = (ROOT / "docs" / "designer-guide.md").read_text(encoding="utf-8")
    for name, props in JIANBAO.items():
        shown = "正文" if name == "Normal" else name
        assert f"| {shown} | " + "；".join(f"{p} = `{k}`" for p, k in props.items()) + " |" in guide, name
    for _slot, label, key in SCHEME:
        assert f"| {label} | `{key if isinstance(key, str) else f'palette.chart[{key}]'}` |" in guide, label


def it_reads_the_chinese_theme_font_per_script_as_office_saves_it(project: Path):
    """PowerPoint and Word leave a:ea empty and name the Chinese font in <a:font script="Hans">: that agrees."""
    edit_part(project / DECK_TEMPLATE, "ppt/theme/theme1.xml",
              lambda xml: xml.replace('<a:ea typeface="黑体"/>', '<a:ea typeface=""/>'))
    assert stale(project) == []
    edit_part(project / DECK_TEMPLATE, "ppt/theme/theme1.xml",
              lambda xml: xml.replace('<a:font script="Hans" typeface="黑体"/>', '<a:font script="Hans" typeface="等线"/>', 1))
    assert [(p.field, p.found) for p in stale(project)] == [("主题字体“标题字体（中文）”", "等线")]
    assert check_theme_agreement(project) == []  # the build writes theme.toml's
