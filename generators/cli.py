"""Command line: parse options, call the build; user-facing messages in Chinese, no rendering here."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Annotated, Optional

import typer

from generators.errors import InputError, ReportgenError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="报告生成器：从 data/ 的数字和文字生成幻灯片（PPTX）、印刷版 PDF 和 Word 简报（DOCX）。",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)

_state = {"debug": False}

ROOT_HELP = "项目文件夹（含 data/、templates/、assets/）；默认为当前文件夹"


def _root(root: Optional[Path]) -> Path:
    return (root or Path(os.environ.get("REPORTGEN_ROOT", "."))).resolve()


@app.callback()
def _main(debug: Annotated[bool, typer.Option("--debug", help="内部错误时显示完整的 traceback")] = False) -> None:
    _state["debug"] = debug


@app.command()
def build(
    year: Annotated[Optional[int], typer.Option("--year", help="版本年份（默认：数据中最新的完整年份）")] = None,
    only: Annotated[Optional[list[str]], typer.Option("--only", help="只生成：deck、summary、briefings（可重复）")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="输出文件夹（默认 out/）")] = None,
    jobs: Annotated[int, typer.Option("--jobs", min=0, max=32, help="并行进程数（0 = 自动：CPU 核数，最多 4）")] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度")] = False,
    force: Annotated[bool, typer.Option("--force", help="即使输入未变也重新生成")] = False,
    log: Annotated[Optional[Path], typer.Option("--log", help="把日志追加写入此文件")] = None,
    root: Annotated[Optional[Path], typer.Option("--root", help=ROOT_HELP)] = None,
) -> None:
    """生成文档到 out/（先写入临时文件夹，全部成功后才替换）。"""
    from generators.build import BuildOptions, run_build

    proj = _root(root)
    jobs = jobs or min(os.cpu_count() or 1, 4)
    opts = BuildOptions(root=proj, out=(out or proj / "out"), only=tuple(only or ()), year=year, jobs=jobs,
                        quiet=quiet or not sys.stderr.isatty() or bool(os.environ.get("CI")), force=force, log=log)
    run_build(opts)


@app.command()
def check(root: Annotated[Optional[Path], typer.Option("--root", help=ROOT_HELP)] = None,
          year: Annotated[Optional[int], typer.Option("--year", help="按此年份检查引用")] = None) -> None:
    """检查数据、图表定义、模板与主题，不写任何文件。"""
    from generators.build import run_check

    run_check(_root(root), year)


@app.command()
def briefing(
    spec: Annotated[Path, typer.Argument(help="简报说明文件（YAML），可复制 data/briefings/ 中的一份修改")],
    out: Annotated[Optional[Path], typer.Option("--out", help="输出的 .docx 文件（默认 out/<标题>.docx）")] = None,
    year: Annotated[Optional[int], typer.Option("--year", help="版本年份")] = None,
    root: Annotated[Optional[Path], typer.Option("--root", help=ROOT_HELP)] = None,
) -> None:
    """按一份简报说明生成一个 Word 文档。"""
    from generators.build import run_single_briefing

    run_single_briefing(_root(root), spec, out, year)


def report_error(exc: BaseException, limit: int = 200) -> None:
    """Every error as users see it: located Chinese problems for input, one line otherwise; no traceback."""
    if isinstance(exc, InputError):
        print("输入有误（input error）：", file=sys.stderr)
        for p in exc.problems[:limit]:
            print("  - " + p.render(), file=sys.stderr)
        if len(exc.problems) > limit:
            print(f"  ……另有 {len(exc.problems) - limit} 处", file=sys.stderr)
        print("未修改输出文件夹。请改正后重试；检查数据可运行 reportgen check。", file=sys.stderr)
    elif isinstance(exc, ReportgenError):
        print(f"错误：{exc}", file=sys.stderr)
    elif _state["debug"]:
        traceback.print_exception(exc)
    else:
        print(f"内部错误（internal error）：{type(exc).__name__}: {exc}\n加 --debug 可查看详细信息。", file=sys.stderr)


def main() -> None:
    """Entry point: every known error becomes a short Chinese message and an exit code."""
    try:
        code = app(standalone_mode=False)  # typer returns (not raises) Exit/Abort codes here
        if isinstance(code, int) and code != 0:
            sys.exit(code)
    except KeyboardInterrupt:
        print("\n已取消。", file=sys.stderr)
        sys.exit(130)
    except ReportgenError as exc:
        report_error(exc)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        print("已取消。", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence for users
        if hasattr(exc, "show") and isinstance(getattr(exc, "exit_code", None), int):
            exc.show()  # a usage error from the option parser (click, vendored or not)
            sys.exit(exc.exit_code)
        report_error(exc)
        sys.exit(1)


import generators.cli_yearly  # noqa: E402,F401 - registers new-year/import/diff
import generators.cli_preview  # noqa: E402,F401 - registers preview/watch
