"""One theme, one truth (issue 16 §3): the templates follow theme.toml, and `check_theme_agreement` names each place that does not."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from generators.theme import load_theme
from generators.theme_check import DECK_TEMPLATE, WORD_TEMPLATES, check_theme_agreement, theme_places
from tests.conftest import ROOT, link_tree

JIANBAO = "templates/briefing-简报.docx"
GONGWEN = "templates/briefing-公文.docx"
NEW_RED = "#1F4E79"


def set_theme_key(root: Path, key: str, value: str) -> None:
    """Change one value of root/templates/theme.toml as a designer would (one line edited)."""
    path = root / "templates" / "theme.toml"
    text = path.read_text(encoding="utf-8")
    if m := re.fullmatch(r"palette\.chart\[(\d)\]", key):
        line = re.search(r"^chart = \[.*\]$", text, re.M)[0]
        items = re.findall(r'"#\w{6}"', line)
        items[int(m[1])] = f'"{value}"'
        new = text.replace(line, f"chart = [{', '.join(items)}]")
    elif key.startswith("palette."):
        name = key.split(".")[1]
        new = re.sub(rf'^{name} = "#\w{{6}}"', f'{name} = "{value}"', text, count=1, flags=re.M)
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


def it_names_each_template_place_of_a_changed_primary_colour(project: Path):
    set_theme_key(project, "palette.primary", NEW_RED)
    problems = check_theme_agreement(project)
    want = "#1F4E79（theme.toml 的 palette.primary）"
    jianbao = by_field(problems, JIANBAO)
    assert sorted(jianbao) == sorted([
        "主题颜色“着色 1”", "主题颜色“超链接”", "样式“简报标题”.底纹", "样式“简报标题”.边框颜色",
        "样式“一级标题”.字体颜色", "样式“简报要点”.项目符号颜色"])
    for name in (GONGWEN, DECK_TEMPLATE):
        assert sorted(by_field(problems, name)) == ["主题颜色“着色 1”", "主题颜色“超链接”"]
    assert len(problems) == 10
    assert {(p.expected, p.found) for p in problems} == {(want, "#A61E22")}
    text = by_field(problems, JIANBAO)["样式“一级标题”.字体颜色"].render()
    assert text.startswith("templates/briefing-简报.docx，字段“样式“一级标题”.字体颜色”：与 theme.toml 不一致")
    assert "右击样式“一级标题” → 修改 → 格式 → 字体 → 字体颜色" in text and "实际为“#A61E22”" in text


def it_names_a_changed_body_font_in_the_word_styles_and_themes(project: Path):
    set_theme_key(project, "fonts.body.office", "仿宋")
    fields = by_field(check_theme_agreement(project), JIANBAO)
    assert {"样式“正文”.中文字体", "样式“简报正文”.西文字体", "默认字体.中文字体", "样式“简报要点”.项目符号字体",
            "主题字体“正文字体（中文）”", "主题字体“正文字体（西文）”"} <= set(fields)
    assert all(p.expected == "仿宋（theme.toml 的 fonts.body.office）" and p.found == "宋体" for p in fields.values())
    assert not any("标题字体" in f for f in fields)


def it_names_a_word_style_restyled_by_hand(project: Path):
    def recolour(xml: str) -> str:
        start = xml.index('w:styleId="Heading1Brief"')
        end = xml.index("</w:style>", start)
        return xml[:start] + xml[start:end].replace('<w:color w:val="A61E22"/>', '<w:color w:val="1F4E79"/>') + xml[end:]

    edit_part(project / JIANBAO, "word/styles.xml", recolour)
    problems = check_theme_agreement(project)
    assert [(p.file, p.field, p.expected, p.found) for p in problems] == [
        (JIANBAO, "样式“一级标题”.字体颜色", "#A61E22（theme.toml 的 palette.primary）", "#1F4E79")]


def it_follows_based_on_when_a_designer_removes_a_style_colour(project: Path):
    """A style without its own colour shows its base style's: the checker compares what Word shows."""
    def drop_colour(xml: str) -> str:
        start = xml.index('w:styleId="TableNumber"')
        end = xml.index("</w:style>", start)
        return xml[:start] + re.sub(r'<w:color w:val="\w+"/>', "", xml[start:end]) + xml[end:]

    edit_part(project / JIANBAO, "word/styles.xml", drop_colour)
    assert check_theme_agreement(project) == []  # 表格数字 is based on 表格文字, which has palette.ink


def it_names_a_deck_layout_shape_recoloured_by_hand(project: Path):
    layouts = sorted(n for n in zipfile.ZipFile(project / DECK_TEMPLATE).namelist()
                     if re.fullmatch(r"ppt/slideLayouts/slideLayout\d+\.xml", n))
    chart = next(n for n in layouts if 'name="图表"' in zipfile.ZipFile(project / DECK_TEMPLATE).read(n).decode())

    def recolour(xml: str) -> str:
        start = xml.index('name="来源"')
        return xml[:start] + xml[start:].replace('val="6B6B6B"', 'val="999999"', 1)

    edit_part(project / DECK_TEMPLATE, chart, recolour)
    problems = check_theme_agreement(project)
    assert [(p.file, p.field, p.expected, p.found) for p in problems] == [
        (DECK_TEMPLATE, "版式“图表”.占位符“来源”.文字颜色", "#6B6B6B（theme.toml 的 palette.muted）", "#999999")]
    assert "视图 → 幻灯片母版 → 版式“图表” → 选中“来源”" in problems[0].render()


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
    from generators.theme_check import JIANBAO, SCHEME

    guide = (ROOT / "docs" / "designer-guide.md").read_text(encoding="utf-8")
    for name, props in JIANBAO.items():
        shown = "正文" if name == "Normal" else name
        assert f"| {shown} | " + "；".join(f"{p} = `{k}`" for p, k in props.items()) + " |" in guide, name
    for _slot, label, key in SCHEME:
        assert f"| {label} | `{key if isinstance(key, str) else f'palette.chart[{key}]'}` |" in guide, label


def it_reads_the_chinese_theme_font_per_script_as_office_saves_it(project: Path):
    """PowerPoint and Word leave a:ea empty and name the Chinese font in <a:font script="Hans">: that agrees."""
    edit_part(project / DECK_TEMPLATE, "ppt/theme/theme1.xml",
              lambda xml: xml.replace('<a:ea typeface="微软雅黑"/>', '<a:ea typeface=""/>'))
    assert check_theme_agreement(project) == []
    edit_part(project / DECK_TEMPLATE, "ppt/theme/theme1.xml",
              lambda xml: xml.replace('<a:font script="Hans" typeface="微软雅黑"/>', '<a:font script="Hans" typeface="等线"/>', 1))
    assert [(p.field, p.found) for p in check_theme_agreement(project)] == [("主题字体“标题字体（中文）”", "等线")]
