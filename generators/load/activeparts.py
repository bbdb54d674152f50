"""What an Office template may not carry into a published document: macros, ActiveX, OLE objects, links out.

A part that runs code (vbaProject, ActiveX controls, OLE objects), reaches another computer when the document
opens (a remote attached template, a `\\\\server\\share` or http picture, a linked object) or pulls content in
through a field (DDE, INCLUDEPICTURE, INCLUDETEXT, LINK) is refused, naming the part and the Word/PowerPoint step
that removes it. Ordinary hyperlinks (clicked by the reader, never followed on opening) are allowed.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import PurePosixPath

from generators.errors import Problem

_HYPERLINK = "/hyperlink"
_FIELDS = re.compile(rb"(?:instrText[^>]*>|instr=\")\s*(DDEAUTO|DDE|INCLUDEPICTURE|INCLUDETEXT|LINK|IMPORT)\b", re.I)
_REMOTE = re.compile(r"^(?:\\\\|//|[a-z][a-z0-9+.\-]*:)", re.I)  # \\server\share, //host, http:, file:, C:

_STEPS = {
    ".docx": {
        "macro": "在 Word 中打开模板，“文件 → 另存为”，保存类型选“Word 文档(*.docx)”（不是“启用宏的文档”），宏即被去掉",
        "activex": "在 Word 中“开发工具 → 设计模式”，选中控件（按钮、文本框等）后按 Delete 删除，再保存",
        "ole": "在 Word 中选中嵌入的对象（双击会打开其他程序的那个）按 Delete 删除；需要的话改为“选择性粘贴 → 图片”",
        "attachedTemplate": "在 Word 中“开发工具 → 文档模板”（或“文件 → 选项 → 加载项 → 管理：模板 → 转到”），"
                            "清空“文档模板”一栏后保存",
        "image": "在 Word 中“文件 → 信息 → 编辑指向文件的链接”，选中该图片的链接点“断开链接”（或删除图片后用“插入 → 图片 → 此设备”重新插入）",
        "link": "在 Word 中“文件 → 信息 → 编辑指向文件的链接”，断开全部链接后保存",
        "field": "在 Word 中按 Alt+F9 显示域代码，删除该域（{ DDE/INCLUDEPICTURE/INCLUDETEXT/LINK … }）后再按 Alt+F9、保存",
    },
    ".pptx": {
        "macro": "在 PowerPoint 中打开模板，“文件 → 另存为”，保存类型选“PowerPoint 演示文稿(*.pptx)”（不是“启用宏的演示文稿”），宏即被去掉",
        "activex": "在 PowerPoint 中“视图 → 幻灯片母版”，选中控件后按 Delete 删除（控件在“开发工具”选项卡中可见），再保存",
        "ole": "在 PowerPoint 中（含“视图 → 幻灯片母版”）选中嵌入的对象按 Delete 删除；需要的话改为“选择性粘贴 → 图片”",
        "image": "在 PowerPoint 中“文件 → 信息 → 编辑指向文件的链接”，断开该图片的链接（或删除图片后用“插入 → 图片 → 此设备”重新插入）",
        "link": "在 PowerPoint 中“文件 → 信息 → 编辑指向文件的链接”，断开全部链接后保存",
        "field": "删除含该链接的对象后保存",
    },
}
_WHAT = {"macro": "宏（VBA 代码）", "activex": "ActiveX 控件", "ole": "嵌入的 OLE 对象（打开时可启动其他程序）",
         "attachedTemplate": "远程的附加模板", "image": "链接到外部的图片", "link": "指向外部的链接",
         "field": "从外部取内容的域"}


def _source_part(rels: str) -> str:
    """word/_rels/settings.xml.rels → word/settings.xml (the part the relationships belong to)."""
    p = PurePosixPath(rels)
    return str(p.parent.parent / p.name.removesuffix(".rels")) if p.parent.name == "_rels" else rels


def _problem(where: str, suffix: str, kind: str, part: str, found: str | None = None) -> Problem:
    steps = _STEPS.get(suffix, _STEPS[".docx"])
    return Problem(where, field=part, message=f"模板含{_WHAT[kind]}，会被带进每份生成的文档，已拒绝",
                   expected=steps.get(kind, steps["link"]), found=found)


def active_problems(zf: zipfile.ZipFile, where: str, suffix: str) -> list[Problem]:
    """Every macro, ActiveX, OLE part, external relationship and pulling field of the package, each located."""
    from lxml import etree

    problems: list[Problem] = []
    for info in zf.infolist():
        name = info.filename
        low = name.lower()
        base = PurePosixPath(low).name
        if base in ("vbaproject.bin", "vbadata.xml") or low.endswith(".bin") and "vba" in base:
            problems.append(_problem(where, suffix, "macro", name))
        elif "/activex/" in f"/{low}":
            if base.endswith((".xml", ".bin")) and not low.endswith(".rels"):
                problems.append(_problem(where, suffix, "activex", name))
        elif "/embeddings/" in f"/{low}" and (base.startswith("oleobject") or low.endswith(".bin")):
            problems.append(_problem(where, suffix, "ole", name))
        if low == "[content_types].xml":
            data = zf.read(info)
            if b"macroEnabled" in data or b"vbaProject" in data:
                problems.append(_problem(where, suffix, "macro", name, "macroEnabled"))
        elif low.endswith(".rels"):
            problems += _relationship_problems(etree, zf.read(info), name, where, suffix)
        elif low.endswith(".xml") and (m := _FIELDS.search(zf.read(info))):
            problems.append(_problem(where, suffix, "field", name, m.group(1).decode("ascii").upper()))
    return problems


def _relationship_problems(etree, data: bytes, name: str, where: str, suffix: str) -> list[Problem]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return []  # reported as damaged XML by the package check
    problems = []
    for rel in root:
        if not isinstance(rel.tag, str):
            continue
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        target = rel.get("Target") or ""
        external = (rel.get("TargetMode") or "").lower() == "external" or bool(_REMOTE.match(target))
        if kind == "oleObject" or kind == "control":
            problems.append(_problem(where, suffix, "ole" if kind == "oleObject" else "activex", _source_part(name),
                                     target[:120]))
        elif external and not (rel.get("Type") or "").endswith(_HYPERLINK):
            key = kind if kind in ("attachedTemplate", "image") else "link"
            problems.append(_problem(where, suffix, key, _source_part(name), target[:120]))
    return problems
