"""A briefing spec from the form as YAML laid out like the hand-written data/briefings/*.yaml."""

from __future__ import annotations

import re
from typing import Any

import yaml

from generators.load.specs import BLOCK_KINDS, BriefingSpec, FigureItem, InlineChart

NAME = re.compile(r"^[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9_\-\u4e00-\u9fff]{0,59}$")
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


_UNSAFE = re.compile(r"[^A-Za-z0-9_\-\u4e00-\u9fff]+")


def safe_save_name(name: object) -> str:
    """A save name made safe rather than refused: spaces, dots and other marks become "-", ends trimmed, at most
    60 characters, a Windows device name prefixed ("简报-CON"); "" when nothing is left."""
    import unicodedata

    text = unicodedata.normalize("NFC", name if isinstance(name, str) else "").strip()
    text = re.sub(r"-{2,}", "-", _UNSAFE.sub("-", text)).strip("-_")[:60].rstrip("-_")
    if text.upper() in WINDOWS_RESERVED:
        text = "简报-" + text
    return text


def valid_name(name: object) -> bool:
    """A spec's file stem: letters, digits, CJK, - and _; no dots or separators; not a Windows device name."""
    return isinstance(name, str) and bool(NAME.match(name)) and name.upper() not in WINDOWS_RESERVED
# Key order as the schemas declare their fields (the order people write them in data/briefings/*.yaml).
TOP = tuple(BriefingSpec.model_fields)
FIGURE = tuple(f.alias or k for k, f in FigureItem.model_fields.items())
BLOCK_FIRST = BLOCK_KINDS
BLOCK_REST = ("speaker", "image", "caption", "id")


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key ("  - ref: …"), as people write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:  # the signature PyYAML calls
        super().increase_indent(flow, False)


def _ordered(node: Any, order: tuple[str, ...], keep: tuple[str, ...] = ()) -> dict:
    """Keys in `order` first; empty values left out unless the key is in `keep` (the loader needs it)."""
    keys = [k for k in order if k in node] + [k for k in node if k not in order]
    return {k: node[k] for k in keys if k in keep or node[k] not in (None, "", [])}


def _block(b: Any) -> Any:
    if not isinstance(b, dict):
        return b
    out = _ordered(b, BLOCK_FIRST + BLOCK_REST, keep=BLOCK_FIRST)
    if isinstance(out.get("chart"), dict):  # a chart from picked figures: kind, title, figures as people write them
        out["chart"] = _ordered(out["chart"], tuple(InlineChart.model_fields))
    if isinstance(out.get("figures"), list):
        out["figures"] = [_ordered(f, FIGURE) if isinstance(f, dict) else f for f in out["figures"]]
    return out


def tidy(raw: dict) -> dict:
    """Known keys in the hand-written order; empty optional fields left out (the loader's defaults)."""
    out = _ordered(raw, TOP, keep=("title", "sections"))
    if out.get("preset") == "简报":
        out.pop("preset")
    if isinstance(out.get("keyfigures"), list):
        out["keyfigures"] = [_ordered(f, FIGURE) if isinstance(f, dict) else f for f in out["keyfigures"]]
    if isinstance(raw.get("sections"), list):
        out["sections"] = [_section(s) for s in raw["sections"]]
    return out


def _section(s: Any) -> Any:
    if not isinstance(s, dict):
        return s
    out = _ordered(s, ("title", "blocks"), keep=("title", "blocks"))
    if isinstance(out.get("blocks"), list):
        out["blocks"] = [_block(b) for b in out["blocks"]]
    return out


def spec_yaml(raw: dict) -> str:
    """The YAML text, with a header comment and a blank line between sections."""
    body = yaml.dump(tidy(raw), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096,
                     default_flow_style=False)
    lines: list[str] = []
    for line in body.splitlines():
        if line.startswith(("keyfigures:", "sections:")) or (line.startswith("  - title:") and lines
                                                            and not lines[-1].startswith("sections:")):
            lines.append("")
        lines.append(line)
    head = ["# 简报说明：由工作台（reportgen serve）保存；也可以直接编辑本文件（字段见 data/README.md）。",
            "# 数字一律写成 {指标@时期} 引用，改数字请改 figures/*.csv。"]
    return "\n".join(head + lines) + "\n"


def form_raw(raw: Any) -> Any:
    """A spec from the page with its output file name made safe (spaces and dots trimmed, a slash or a colon
    replaced), not refused; an empty name is left out (the default)."""
    from generators.documents.briefing import safe_name

    if not isinstance(raw, dict) or not isinstance(raw.get("file"), str):
        return raw
    file = safe_name(raw["file"], "简报") if raw["file"].strip(" \t.") else ""
    return raw | {"file": file} if file else {k: v for k, v in raw.items() if k != "file"}


def lined(node: Any) -> Any:
    """JSON as the YAML loader's types (without line numbers), so problems name `sections[1].blocks[2]` exactly."""
    from generators.load.textio import LineDict, LineList, Lines

    if isinstance(node, dict):
        out = LineDict((k, lined(v)) for k, v in node.items())
        out.lines = Lines(None)
        return out
    if isinstance(node, list):
        seq = LineList(lined(v) for v in node)
        seq.lines = Lines(None)
        return seq
    return node
