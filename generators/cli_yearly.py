"""The yearly-update commands (new-year, import, diff), registered on the main typer app.

Imported at the bottom of generators/cli.py; the logic is in the generators/yearly/ package, which (with
openpyxl) is imported only when one of these commands runs.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from generators.cli_app import ROOT_HELP, app
from generators.cli_app import checked_root as _root
from generators.errors import shown


class DiffFormat(str, Enum):
    text = "text"
    json = "json"


@app.command("new-year")
def new_year(
    year: Annotated[int, typer.Argument(help="要填报的年份，如 2025")],
    out: Annotated[Optional[Path], typer.Option("--out", help="输出的填报表 .xlsx（默认 年度填报-YYYY.xlsx）")] = None,
    force: Annotated[bool, typer.Option("--force", help="文件已存在时覆盖")] = False,
    bulletin: Annotated[Optional[Path], typer.Option("--bulletin", help="统计公报（.docx、有文字层的 .pdf、.txt 或 .html）：按公报预先填写该年的数字，并附“公报原文”列")] = None,
    root: Annotated[Optional[Path], typer.Option("--root", help=ROOT_HELP)] = None,
) -> None:
    """生成某一年的数据填报表（Excel），列出所有年度指标和往年数值；加 --bulletin 时按统计公报预先填写。"""
    from generators.yearly.workbook import new_year as run

    project = _root(root)
    dest = (out or Path(f"年度填报-{year}.xlsx")).resolve()
    reading = None
    if bulletin is not None:
        from generators.yearly.prefill import cells_of, read_for_year

        reading = read_for_year(project, year, bulletin)
    count, years = run(project, year, dest, force=force, prefill=None if reading is None else cells_of(reading))
    shown_years = "、".join(map(str, years)) or "无"
    print(f"已生成填报表：{shown(dest)}（{count} 个年度指标；对照年份：{shown_years}）")
    if reading is not None:
        print(f"已按《{reading.title}》预先填写 {len(reading.found)} 个指标，每个数字附公报原文；请逐行核对。")
        if reading.blank:
            print(f"公报中未找到（留空）{len(reading.blank)} 个：")
            for ind, why in reading.blank.items():
                print(f"  {ind} {reading.names.get(ind, '')}：{why}")
            print("  公报确有公布而没读到的：照原文补填，或把公报的说法加到 data/bulletin-aliases.yaml 该指标的 names 里再生成一次。")
    print(f"在“{year}”列填写数值后运行：reportgen import {shown(dest)}")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="填好的填报表 .xlsx")],
    year: Annotated[Optional[int], typer.Option("--year", help="填报年份（默认：取自填报表）")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="已导入的数字与填报表不同时，用填报表的数字替换")] = False,
    bulletin_wins: Annotated[bool, typer.Option("--bulletin-wins", help="与文章中同一年的数字不同时以公报为准（文章记录保留）")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只检查，不写任何文件")] = False,
    threshold: Annotated[Optional[float], typer.Option("--threshold", min=0, help="总量变化超过此百分比时提示复核（默认取 settings.yaml，50）")] = None,
    points: Annotated[Optional[float], typer.Option("--points", min=0, help="比率（%）变化超过此百分点时提示复核（默认取 settings.yaml，5）")] = None,
    root: Annotated[Optional[Path], typer.Option("--root", help=ROOT_HELP)] = None,
) -> None:
    """检查填报表的每个单元格，把数值并入 data/figures/yearly-YYYY.csv。"""
    from generators.errors import InputError, Problem
    from generators.yearly.importer import import_workbook
    from generators.yearly.settings import source_id

    try:
        res = import_workbook(_root(root), file, year, replace_=replace, dry_run=dry_run,
                              threshold=None if threshold is None else Decimal(str(threshold)),
                              points=None if points is None else Decimal(str(points)), bulletin_wins=bulletin_wins)
    except InputError as exc:
        raise InputError([*exc.problems, Problem("data/", message="导入已取消，未改动任何文件")]) from None
    for w in res.warnings:
        print("注意：" + w, file=sys.stderr)
    counts = (f"新增 {len(res.added)} 条，替换 {len(res.replaced)} 条，未变 {len(res.unchanged)} 条，"
              f"未公布（空白或“—”）{res.skipped_empty} 格")
    if dry_run:
        print(f"检查通过（未写入，--dry-run）：{res.year}年，{counts}。")
    elif res.written:
        print(f"已导入 {res.year} 年数字到 {res.target}：{counts}。")
        if res.source_added:
            print(f"已在 data/sources.yaml 中添加来源 {source_id(res.year)}。")
    else:
        print(f"没有变化：{res.year}年，{counts}。")
    _report_gaps(res)
    if res.written:
        print(f"下一步：reportgen diff {res.year - 1} {res.year}，然后 reportgen build --year {res.year}")


def _report_gaps(res) -> None:  # res: an ImportResult
    for s in res.superseded:
        print(f"以公报为准：{s}")
    if res.unpublished:
        print(f"{res.year}年未公布的指标 {len(res.unpublished)} 个，其中文字和图表要用的（@Y）{len(res.needed)} 个："
              + ("、".join(res.needed) or "无"))
        others = [x for x in res.unpublished if x not in res.needed]
        if others:
            print("  其余（不影响文字）：" + "、".join(others))
    if res.gaps:
        print(f"{res.year}年版本中受影响的文字、卡片和图表（{len(res.gaps)} 处）：")
        for g in res.gaps:
            print("  " + g)


@app.command("diff")
def diff(
    year_a: Annotated[int, typer.Argument(help="对比的起始年份，如 2024")],
    year_b: Annotated[int, typer.Argument(help="对比的年份，如 2025")],
    format: Annotated[DiffFormat, typer.Option("--format", help="输出格式：text（中文表格）或 json")] = DiffFormat.text,  # noqa: A002 - the option is --format
    threshold: Annotated[Optional[float], typer.Option("--threshold", min=0, help="总量变化超过此百分比时标记复核（默认取 settings.yaml，50）")] = None,
    points: Annotated[Optional[float], typer.Option("--points", min=0, help="比率（%）变化超过此百分点时标记复核（默认取 settings.yaml，5）")] = None,
    root: Annotated[Optional[Path], typer.Option("--root", help=ROOT_HELP)] = None,
) -> None:
    """对比两年的数字：变化、新增/缺少的指标、计算值与公布值不一致、需复核的大幅变化。"""
    from generators.yearly.diff import diff_json, diff_text, diff_years
    from generators.yearly.settings import load_settings

    project = _root(root)
    settings = load_settings(project)
    report = diff_years(project, year_a, year_b,
                        Decimal(str(threshold)) if threshold is not None else Decimal(settings.review_pct),
                        Decimal(str(points)) if points is not None else Decimal(settings.review_points))
    sys.stdout.write(diff_json(report) if format == DiffFormat.json else diff_text(report, settings))
