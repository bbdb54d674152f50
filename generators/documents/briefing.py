"""A Word briefing as a Document, from a small spec: title, meeting, key figures, sections."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from generators import model as M
from generators import numbering
from generators.documents.common import Context, blocks, key_figures
from generators.errors import InputError, Problem
from generators.fsutil import WINDOWS_RESERVED
from generators.load import specs as S
from generators.load.dataset import Dataset

if TYPE_CHECKING:
    from generators.documents.view import ProjectView

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_name(text: str, fallback: str = "briefing") -> str:
    """A file stem from a title that can never leave the output folder (no ../, no separators)."""
    name = unicodedata.normalize("NFC", text)
    name = _UNSAFE.sub("-", name).strip(" .-")
    name = re.sub(r"-{2,}", "-", name).replace("..", "-")
    name = name[:60].rstrip(" .-") or fallback
    if name.split(".")[0].upper() in WINDOWS_RESERVED:  # CON, NUL, COM1 … cannot be files on Windows
        name = f"{fallback}-{name}"
    return name


def make(project: ProjectView, item: str | None) -> M.Document:
    """One briefing of data/briefings/ (the item is its spec's name; the product registry names this builder)."""
    ds = project.dataset
    assert item is not None, "one briefing per spec: the item is its name"
    return build(ds, ds.briefings[item], item, ds.year, project.images)


def stem(ds: Dataset, item: str | None) -> str:
    """The output stem of a briefing, known before building (two specs with one output name are refused)."""
    assert item is not None, "one briefing per spec: the item is its name"
    return safe_name(ds.briefings[item].file or item)


def build(ds: Dataset, spec: S.BriefingSpec, stem: str, year: int, images: Path) -> M.Document:
    ctx = Context(ds, spec.year or year, images)
    sections = []
    if spec.keyfigures:
        sections.append(M.Section("keyfigures", "", kind="keyfigures",
                                  blocks=(M.KeyFigures(key_figures(ctx, spec.keyfigures)),)))
    for n, sec in enumerate(spec.sections, 1):
        sections.append(M.Section(f"s{n}", ctx.plain(sec.title), number=n, blocks=blocks(ctx, sec.blocks)))
    title = ctx.plain(spec.title)
    front = frame(ctx, spec, stem)
    return M.Document(
        kind="briefing", name=safe_name(spec.file or stem), title=title, subtitle=ctx.plain(spec.subtitle),
        meta={"author": front.get("issuer", ""), "subject": ctx.plain(spec.meeting), "preset": spec.preset,
              "charts": spec.charts or "",  # Word charts: native or picture; "" = the theme's choice
              "year": str(ctx.year), "keywords": "、".join(s.title for s in sections if s.title)},
        front=front, sections=tuple(sections),
    )


# ---- the 报头/报尾 of a 简报, the 版头/版记 of a 公文 ----------------------------------------------------------

_DATE = re.compile(r"^\s*(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?\s*$")


def official_date(text: str) -> str | None:
    """A full date as GB/T 9704-2012 writes it: Arabic numerals, 年月日, no leading zeros (2025年3月5日); None
    when `text` is not a full date (2025年, 三月)."""
    m = _DATE.match(text)
    return f"{int(m[1])}年{int(m[2])}月{int(m[3])}日" if m else None


def field_value(ds: Dataset, spec: S.BriefingSpec, key: str) -> object:
    """The spec's value of `key`, else the 版式 default of settings.yaml, else the schema's default."""
    return numbering.field_value(spec, numbering.defaults_of(ds, spec.preset), key)


def frame(ctx: Context, spec: S.BriefingSpec, stem: str) -> dict[str, str]:
    """The texts around the body, by role, as printed: the meeting line, and for a 简报 its 报头 and 报尾, for
    a 公文 its 版头, 主送, 附件说明, 署名/日期 and 版记. Absent fields take settings.yaml's defaults."""
    def text(key: str) -> str:
        v = field_value(ctx.ds, spec, key)
        return ctx.plain(str(v)) if v not in (None, "") else ""

    out = {"meeting": ctx.plain(spec.meeting), "date": text("date"), "issuer": text("issuer")}
    if spec.preset == "简报":
        out |= {"bulletin": text("bulletin"), "classification": text("classification"),
                "editor_note": text("editor_note"), "report_to": text("report_to"), "send_to": text("send_to"),
                "distribute_to": text("distribute_to")}
        copies = field_value(ctx.ds, spec, "copies")
        out["copies"] = f"（共印{copies}份）" if copies else ""
        out["issue"] = issue_text(ctx, spec, stem)
    elif spec.preset == "公文":
        where = f"data/briefings/{stem}.yaml"
        day = official_date(out["date"]) if out["date"] else None
        if out["date"] and day is None:
            raise InputError(Problem(where, field="date", message="公文的成文日期要写全年月日，用阿拉伯数字",
                                     expected="如 2025年3月5日（或 2025-03-05）", found=out["date"]))
        out["date"] = day or ""
        printed = text("printed_date")
        printed_day = official_date(printed) if printed else day
        if printed and printed_day is None:
            raise InputError(Problem(where, field="printed_date", message="印发日期要写全年月日，用阿拉伯数字",
                                     expected="如 2025年3月5日", found=printed))
        out |= {"authority": text("authority"), "copy_no": text("copy_no"), "secrecy": text("secrecy"),
                "urgency": text("urgency"), "signer": text("signer") if spec.upward else "",
                "upward": "上行文" if spec.upward else "", "addressee": text("addressee"), "cc": text("cc"),
                "printed_by": text("printed_by") or text("issuer"), "printed_date": printed_day or "",
                "attachments": "\n".join(ctx.plain(a) for a in _strings(field_value(ctx.ds, spec, "attachments"))),
                "doc_number": doc_number_text(ctx, spec, stem),
                "star": "★" if field_value(ctx.ds, spec, "star") == "有" or (
                    field_value(ctx.ds, spec, "star") is None and party_organ(text("authority"))) else ""}
    return out


PARTY_MARKS = ("中共", "中国共产党")  # the 标志 of a Party organ begins so, or names a 党委/党组/纪委
PARTY_WORDS = ("党委", "党组", "纪委", "纪律检查委员会", "党工委")


def party_organ(authority: str) -> bool:
    """A Party organ's 公文: its red separating line carries a red ★ in the middle (the Party's 公文 practice)."""
    return authority.startswith(PARTY_MARKS) or any(w in authority for w in PARTY_WORDS)


def _strings(v: object) -> list[str]:
    return [str(x) for x in v] if isinstance(v, list) else []


def issue_text(ctx: Context, spec: S.BriefingSpec, stem: str) -> str:
    """第N期 (增刊第N期), with （总第N期） when set: the spec's number, else the register's (numbering.py)."""
    got = numbering.assigned(ctx.ds, stem, spec)
    if got is None:
        return ""
    total = field_value(ctx.ds, spec, "total_number")
    return got.text + (f"（总第{total}期）" if total and not spec.supplement else "")


def doc_number_text(ctx: Context, spec: S.BriefingSpec, stem: str) -> str:
    """The 发文字号 as written, else 代字〔年〕N号 numbered from the register (numbering.py); "" without a 代字."""
    if spec.doc_number:
        return spec.doc_number
    got = numbering.assigned(ctx.ds, stem, spec)
    return got.text if got else ""
