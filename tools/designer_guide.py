#!/usr/bin/env python3
"""Write the generated sections of docs/designer-guide.md and docs/briefing-templates.md from the template
contract, so the guides cannot drift.

The sections between `<!-- 生成：NAME -->` and `<!-- 生成结束：NAME -->` are made here from what the program
uses: the deck's layouts and placeholders (generators/writers/pptx/template.CONTRACT), the Word styles of each
版式 (generators/writers/docx.contract(preset): STYLES and writers/docx/frame.FRAME_STYLES) and which template
place takes which theme.toml key (generators/theme_contract.py). tests/test_designer_guide.py fails when a
guide and the contract differ.

    python tools/designer_guide.py            # rewrite the sections in both guides
    python tools/designer_guide.py --check    # exit 1 (and say which file and section) when one is out of date
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generators.theme_contract import (  # noqa: E402 - after the project root is put on sys.path
    DECK_SHAPES,
    GONGWEN,
    JIANBAO,
    JIANBAO_RED,
    JIANBAO_SIZES,
    SCHEME,
    STYLE_SHOWN,
    THEME_FONTS,
    WORD_DEFAULT_FONT,
)
from generators.writers.docx import KIND_ZH, PRESETS, STYLES, contract  # noqa: E402 - after the project root is put on sys.path
from generators.writers.docx.frame import FRAME_STYLES  # noqa: E402 - after the project root is put on sys.path
from generators.writers.pptx.template import CONTRACT  # noqa: E402 - after the project root is put on sys.path

GUIDE = ROOT / "docs" / "designer-guide.md"
BRIEFING_DOC = ROOT / "docs" / "briefing-templates.md"
_BLOCK = re.compile(r"(<!-- 生成：(?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- 生成结束：(?P=name) -->)", re.S)


def deck_layouts() -> str:
    common = [n for n in next(iter(CONTRACT.values())) if all(n in phs for phs in CONTRACT.values())]
    common = [n for n in common if n in ("页脚", "页码")]
    rows = ["| 版式 | 必须有的占位符 |", "|---|---|"]
    rows += [f"| {name} | {'、'.join(p for p in phs if p not in common)} |" for name, phs in CONTRACT.items()]
    tail = f"\n\n共 {len(CONTRACT)} 个版式，每个版式还都要有 {'、'.join(f'**{n}**' for n in common)} 两个占位符。"
    return "\n".join(rows) + tail + "\n"


def word_styles() -> str:
    lines = []
    for kind, zh in KIND_ZH.items():
        names = [f"{name}（{purpose}）" for name, k, purpose in STYLES.values() if k == kind]
        if names:
            lines.append(f"- {zh}样式：" + "、".join(names))
    lines.append(f"\n以上 {len(STYLES)} 个样式三份简报模板都要有。报头、版头和报尾、版记另有各自的样式：\n")
    for preset, styles in FRAME_STYLES.items():
        lines.append(f"- `briefing-{preset}.docx` 还要有：" + "、".join(
            f"{name}（{KIND_ZH[k]}，{purpose}）" for name, k, purpose in styles.values()))
    return "\n".join(lines) + "\n"


def _key(key: str | int) -> str:
    return f"`palette.chart[{key}]`" if isinstance(key, int) else f"`{key}`"


def theme_map() -> str:
    out = ["主题颜色（三份模板相同；Word：设计 → 颜色 → 自定义颜色；PowerPoint：设计 → 变体 → 颜色 → 自定义颜色）：", "",
           "| 主题颜色 | theme.toml |", "|---|---|"]
    out += [f"| {label} | {_key(key)} |" for _slot, label, key in SCHEME]
    out += ["", "`palette.chart` 少于 6 种颜色时，着色 3—6 依次循环使用它。", "",
            "主题字体（设计 → 字体 → 自定义字体；中文和西文写同一个 Windows 字体名称）：", "",
            "| 模板 | 标题字体 | 正文字体 |", "|---|---|---|"]
    out += [f"| `{file.removeprefix('templates/')}` | `{fonts['major']}` | `{fonts['minor']}` |"
            for file, fonts in THEME_FONTS.items()]
    out += ["| `briefing-公文.docx`、`briefing-简报.docx` | 黑体（GB/T 9704，不跟随主题） | 仿宋_GB2312（GB/T 9704，不跟随主题） |",
            ""]
    by_key: dict[tuple[str, str], list[str]] = {}
    for shape, (prop, key) in DECK_SHAPES.items():
        by_key.setdefault((prop, key), []).append(shape)
    out.append("幻灯片母版和版式（视图 → 幻灯片母版）：" + "；".join(
        f"{'、'.join(f'“{s}”' for s in shapes)}的{prop} = `{key}`" for (prop, key), shapes in by_key.items())
        + "（用主题颜色的形状跟随主题颜色）。占位符的字体不对照：程序给每段文字写明字体。")
    out += ["", "专题格式 `briefing-专题.docx` 的样式（“字体”= 中文字体和西文字体；Word：右击样式 → 修改 → 格式）：", "",
            "| 样式 | 颜色与字体 |", "|---|---|"]
    out += [f"| {STYLE_SHOWN.get(name, name)} | " + "；".join(f"{p} = `{k}`" for p, k in props.items()) + " |"
            for name, props in JIANBAO.items()]
    out += ["", "专题格式的字号：`[docx.sizes]` 里写了的样式，生成时用那个字号（磅）；没写的用模板里的。可写的键：" + "、".join(
        f"`{role}` {name}" for role, name in JIANBAO_SIZES.items()) + "。"]
    defaults = "、".join(f"`{k}`" for k in WORD_DEFAULT_FONT.values())
    out += ["", f"以及“默认字体”（开始 → 字体 → 设为默认值）= {defaults}。公文和简报格式的样式按 GB/T 9704（黑色、"
            "仿宋_GB2312 等），不跟随主题；只有红头的红色跟随 theme.toml：" + "；".join(
                f"`{file.removeprefix('templates/')}` 的" + "、".join(
                    f"“{name}”的{p}" for name, props in styles.items() for p in props) + " = `palette.redhead`"
                for file, styles in (("templates/briefing-公文.docx", GONGWEN), ("templates/briefing-简报.docx", JIANBAO_RED)))
            + "。"]
    return "\n".join(out) + "\n"


def briefing_styles() -> str:
    """Every style of each 版式's template (contract(preset)): which 版式 needs it and what it is for."""
    wanted = {preset: {name for name, _k, _p in contract(preset).values()} for preset in PRESETS}
    rows = ["| 样式名称 | 类型 | " + " | ".join(PRESETS) + " | 用途 |", "|---|---|" + "---|" * len(PRESETS) + "---|"]
    seen: set[str] = set()
    for preset in PRESETS:
        for name, kind, purpose in contract(preset).values():
            if name not in seen:
                seen.add(name)
                marks = " | ".join("✓" if name in wanted[p] else "—" for p in PRESETS)
                rows.append(f"| {name} | {KIND_ZH[kind]} | {marks} | {purpose} |")
    counts = "、".join(f"`briefing-{p}.docx` {len(wanted[p])} 个" for p in PRESETS)
    return "\n".join(rows) + f"\n\n共 {len(seen)} 个样式名称：{counts}（其中 {len(STYLES)} 个三份模板都有）。\n"


SECTIONS = {"deck-layouts": deck_layouts, "word-styles": word_styles, "theme-map": theme_map}
BRIEFING_SECTIONS = {"briefing-styles": briefing_styles}
DOCS = {GUIDE: SECTIONS, BRIEFING_DOC: BRIEFING_SECTIONS}


def render(text: str, sections=SECTIONS) -> str:
    """`text` with every generated section made again from the contract."""
    found = {m["name"] for m in _BLOCK.finditer(text)}
    missing = set(sections) - found
    if missing:
        raise SystemExit(f"文档中缺少生成段落的标记：{'、'.join(sorted(missing))}")
    return _BLOCK.sub(lambda m: m[1] + sections[m["name"]]() + m[4] if m["name"] in sections else m[0], text)


def stale_sections(text: str, sections=SECTIONS) -> list[str]:
    return [m["name"] for m in _BLOCK.finditer(text) if m["name"] in sections and m["body"] != sections[m["name"]]()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="只检查，不写文件")
    args = ap.parse_args(argv)
    status = 0
    for path, sections in DOCS.items():
        shown = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        if args.check:
            stale = stale_sections(text, sections)
            if stale:
                print(f"{shown} 与模板约定不一致：{'、'.join(stale)}；运行 python tools/designer_guide.py 更新")
                status = 1
            continue
        new = render(text, sections)
        if new != text:
            path.write_text(new, encoding="utf-8")
            print(f"已更新 {shown}")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
