"""What a designer reads when a template breaks the contract: what happened, where, and the clicks that fix it.

Each message first works out what most likely happened — a layout, placeholder or style renamed (another one
of the same kind that the contract does not know is there) or deleted (nothing left to rename) — and says so,
in PowerPoint's and Word's own words. No version-control words: a designer restores a template from their own
copy, or regenerates the first version with the tools.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from generators.errors import Problem

_SELECTION = "开始 → 排列 → 选择窗格"
_MASTER = "视图 → 幻灯片母版"


def _likely(name: str, candidates: list[str]) -> list[str]:
    """The candidates, the most similar to `name` first."""
    return sorted(candidates, key=lambda c: -difflib.SequenceMatcher(None, name, c).ratio())


def _quoted(names: Iterable[str]) -> str:
    return "、".join(f"“{n}”" for n in names)


def missing_layout(where: str, name: str, placeholders: tuple[str, ...], found: list[str],
                   contract: Iterable[str]) -> Problem:
    """A layout of the contract is not in the template: renamed (an unknown layout is there) or deleted."""
    unknown = _likely(name, [n for n in found if n not in set(contract)])
    if len(unknown) == 1:
        what = (f"模板中没有名为“{name}”的版式，却有一个不在约定中的版式“{unknown[0]}”——很可能是“{name}”被改了名。"
                f"改法：{_MASTER}，在左侧右击版式“{unknown[0]}” → 重命名版式 → 改为“{name}”")
    elif unknown:
        what = (f"模板中没有名为“{name}”的版式；不在约定中的版式有 {_quoted(unknown)}，如果其中一个是改了名的“{name}”，"
                f"{_MASTER}，右击它 → 重命名版式 → 改为“{name}”；否则按下面新建")
    else:
        what = f"模板中的版式“{name}”已被删除（也没有可以改回名字的版式）"
    if len(unknown) != 1:
        what += (f"。新建：{_MASTER} → 插入版式，右击新版式 → 重命名版式 → “{name}”，再放入占位符 {_quoted(placeholders)}"
                 f"（幻灯片母版 → 插入占位符，放好后在 {_SELECTION} 中双击改名）")
    return Problem(where, field=f"版式：{name}", message=what)


def _insert(ph_name: str) -> str:
    """The PowerPoint clicks that bring back a deleted placeholder of this name."""
    if ph_name == "标题":
        kind = "勾选“幻灯片母版 → 母版版式 → 标题”（或 插入占位符 → 文本）"
    elif ph_name in ("页脚", "页码"):
        kind = "勾选“幻灯片母版 → 母版版式 → 页脚”（页脚和页码一起出现）"
    elif ph_name == "图片区":
        kind = "幻灯片母版 → 插入占位符 → 图片"
    elif ph_name.endswith("区"):
        kind = "幻灯片母版 → 插入占位符 → 内容"
    else:
        kind = "幻灯片母版 → 插入占位符 → 文本"
    return f"{kind}，拖到合适的位置，再在 {_SELECTION} 中双击它，命名为“{ph_name}”"


def missing_placeholder(where: str, layout: str, ph_name: str, present: list[str], contract: tuple[str, ...]) -> Problem:
    """A placeholder of the contract is not in its layout: renamed (an unknown placeholder is there) or deleted."""
    unknown = _likely(ph_name, [n for n in present if n not in contract])
    head = f"{_MASTER}，在左侧选中版式“{layout}”"
    if len(unknown) == 1:
        what = (f"版式“{layout}”中没有名为“{ph_name}”的占位符，却有一个不在约定中的占位符“{unknown[0]}”——很可能是"
                f"“{ph_name}”被改了名。改法：{head}，在 {_SELECTION} 中双击“{unknown[0]}”，改名为“{ph_name}”")
    elif unknown:
        what = (f"版式“{layout}”中没有名为“{ph_name}”的占位符；不在约定中的占位符有 {_quoted(unknown)}。如果其中一个就是"
                f"“{ph_name}”，{head}，在 {_SELECTION} 中双击它改名为“{ph_name}”；否则插入一个占位符并命名为“{ph_name}”："
                f"{_insert(ph_name)}")
    else:
        what = (f"版式“{layout}”中的占位符“{ph_name}”已被删除（版式里没有可以改名的占位符）。"
                f"插入一个占位符并命名为“{ph_name}”：{head}，{_insert(ph_name)}")
    return Problem(where, field=f"版式：{layout} / 占位符：{ph_name}", message=what)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _furniture(document) -> set[str]:
    """Style ids the template's headers and footers use (its own furniture, such as 页脚页码: never a rename)."""
    from lxml import etree

    ids: set[str] = set()
    for part in document.part.package.iter_parts():
        if re.search(r"/(header|footer)\d*\.xml$", str(part.partname)):
            root = etree.fromstring(part.blob)
            ids.update(el.get(_W + "val") for el in root.iter(_W + "pStyle", _W + "rStyle", _W + "tblStyle"))
    return ids


def missing_word_style(where: str, name: str, kind, kind_zh: str, purpose: str, document,
                       contract: Iterable[str]) -> Problem:
    """A style of the contract is not in the Word template: renamed (a custom style of the same kind that the
    contract does not know and the headers and footers do not use is there) or deleted. `document`: the opened
    python-docx document (read by attribute only)."""
    known, used = set(contract), _furniture(document)
    others = [s for s in document.styles if s.type == kind and s.name not in known and s.style_id not in used]
    custom = [s.name for s in others if s.element.get(_W + "customStyle") in ("1", "true")]
    similar = [s.name for s in others if s.name not in custom and difflib.SequenceMatcher(None, name, s.name).ratio() >= 0.5]
    unknown = _likely(name, custom + similar)
    if len(unknown) == 1:
        what = (f"模板中没有{kind_zh}样式“{name}”（用于{purpose}），却有一个不在约定中的{kind_zh}样式“{unknown[0]}”"
                f"——很可能是“{name}”被改名为“{unknown[0]}”了。改法：Word 中 开始 → 样式 → 右击“{unknown[0]}”"
                f" → 修改 → 名称改回“{name}”（程序只按名称找样式）")
    elif unknown:
        what = (f"模板中没有{kind_zh}样式“{name}”（用于{purpose}）；不在约定中的{kind_zh}样式有 {_quoted(unknown)}。"
                f"如果其中一个是改了名的“{name}”，开始 → 样式 → 右击它 → 修改 → 名称改回“{name}”；"
                f"否则新建：开始 → 样式 → 新建样式，名称写“{name}”，样式类型选“{kind_zh}”")
    else:
        what = (f"模板中的{kind_zh}样式“{name}”（用于{purpose}）已被删除。新建：Word 中 开始 → 样式 → 新建样式，"
                f"名称写“{name}”，样式类型选“{kind_zh}”，再设字体和段落格式（颜色和字体生成时取自 theme.toml）")
    return Problem(where, field=name, message=what + "。样式约定见 docs/briefing-templates.md")


def no_template(what: str, tool: str) -> str:
    """A template file that is not there."""
    return (f"找不到{what}。请把备份的模板放回 templates/（文件名不变），或运行 {tool} 生成初始版本的模板"
            "（之后可在 Word/PowerPoint 中修改）")


def unreadable_template(app: str, suffix: str) -> str:
    return f"请用 {app} 打开后另存为 {suffix}（文件类型选“{suffix}”），或换回备份的模板"
