"""Messages that know what happened (issue 27 §4): a deleted placeholder, a renamed one, a renamed or deleted
style, a renamed layout — each named with the place and the PowerPoint/Word clicks; no version-control words."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from tests.conftest import run_cli
from tests.test_theme_check import edit_part

DECK = "templates/deck.pptx"
JIANBAO = "templates/briefing-专题.docx"  # the designed look, whose styles follow theme.toml


def _layout_part(project: Path, name: str) -> str:
    with zipfile.ZipFile(project / DECK) as z:
        return next(n for n in z.namelist() if re.fullmatch(r"ppt/slideLayouts/slideLayout\d+\.xml", n)
                    and f'<p:cSld name="{name}"' in z.read(n).decode("utf-8"))


def _check_fails(project: Path) -> str:
    res = run_cli("check", "--root", str(project))
    assert res.code == 2, res.out + res.err
    assert "Traceback" not in res.err and "版本库" not in res.err and "git" not in res.err.lower()
    return res.err


def _drop_shape(xml: str, name: str) -> str:
    start = xml.index(f'name="{name}"')
    begin = xml.rindex("<p:sp>", 0, start)
    end = xml.index("</p:sp>", start) + len("</p:sp>")
    return xml[:begin] + xml[end:]


def it_says_insert_and_name_when_a_placeholder_was_deleted(project: Path):
    edit_part(project / DECK, _layout_part(project, "封面"), lambda xml: _drop_shape(xml, "署名"))
    err = _check_fails(project)
    assert "版式“封面”中的占位符“署名”已被删除" in err
    assert "插入一个占位符并命名为“署名”" in err and "幻灯片母版 → 插入占位符 → 文本" in err
    assert "重命名为“署名”" not in err  # there is nothing left to rename


def it_spots_a_renamed_placeholder(project: Path):
    edit_part(project / DECK, _layout_part(project, "封面"),
              lambda xml: xml.replace('name="署名"', 'name="文本占位符 7"', 1))
    err = _check_fails(project)
    assert "不在约定中的占位符“文本占位符 7”——很可能是“署名”被改了名" in err
    assert "选择窗格 中双击“文本占位符 7”，改名为“署名”" in err


def it_spots_a_renamed_layout_and_says_how_to_rebuild_a_deleted_one(project: Path):
    part = _layout_part(project, "荣誉")
    edit_part(project / DECK, part, lambda xml: xml.replace('<p:cSld name="荣誉"', '<p:cSld name="荣誉榜"', 1))
    err = _check_fails(project)
    assert "不在约定中的版式“荣誉榜”——很可能是“荣誉”被改了名" in err and "重命名版式 → 改为“荣誉”" in err


def it_spots_a_renamed_word_style(project: Path):
    edit_part(project / JIANBAO, "word/styles.xml",
              lambda xml: xml.replace('<w:name w:val="一级标题"/>', '<w:name w:val="标题 1"/>', 1))
    err = _check_fails(project)
    assert "很可能是“一级标题”被改名为“标题 1”了" in err and "右击“标题 1” → 修改 → 名称改回“一级标题”" in err
    assert "新建名称完全相同" not in err


def it_says_how_to_make_a_deleted_word_style_again(project: Path):
    def drop(xml: str) -> str:
        start = xml.index('<w:name w:val="引语出处"/>')
        begin = xml.rindex("<w:style ", 0, start)
        end = xml.index("</w:style>", start) + len("</w:style>")
        return xml[:begin] + xml[end:]

    edit_part(project / JIANBAO, "word/styles.xml", drop)
    err = _check_fails(project)
    assert "段落样式“引语出处”（用于" in err and "已被删除" in err and "新建样式，名称写“引语出处”" in err


def it_names_a_missing_template_without_version_control_words(project: Path):
    (project / JIANBAO).unlink()
    err = _check_fails(project)
    assert "备份的模板放回 templates/" in err and "tools/make_docx_templates.py" in err


def it_says_how_to_remake_a_style_of_the_wrong_type(project: Path):
    edit_part(project / JIANBAO, "word/styles.xml", lambda xml: xml.replace(
        '<w:style w:type="paragraph" w:customStyle="1" w:styleId="QuoteSource">',
        '<w:style w:type="character" w:customStyle="1" w:styleId="QuoteSource">', 1))
    err = _check_fails(project)
    assert "样式“引语出处”应为段落样式，模板中却是字符样式" in err and "样式类型选“段落”" in err


def it_says_how_to_rebuild_a_deleted_layout(project: Path):
    from pptx import Presentation

    prs = Presentation(str(project / DECK))
    prs.slide_layouts.remove(next(x for x in prs.slide_layouts if x.name == "荣誉"))
    prs.save(str(project / DECK))
    err = _check_fails(project)
    assert "版式“荣誉”已被删除" in err and "插入版式，右击新版式 → 重命名版式 → “荣誉”" in err
    assert "“荣誉区”" in err
