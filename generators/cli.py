"""Command line: parse options, call the build; user-facing messages in Chinese, no rendering here."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from generators.cli_app import (
    Only,
    Quiet,
    Root,
    Year,
    app,
    only_names,
    project_root,
    report_error,
    safe_console,
    show_usage_error,
    state,
)
from generators.errors import InputError, Problem, ReportgenError, shown


def _log_file(log: Optional[Path]) -> Optional[Path]:
    """--log: a file we can append to (its folder exists); a folder or an unwritable place is a located error."""
    if log is None:
        return None
    log = log.resolve()
    if log.is_dir() or not log.parent.is_dir():
        raise InputError(Problem("--log", message="日志应为一个文件，且所在文件夹已存在",
                                 expected="如 out-build.log", found=shown(log)))
    try:
        with log.open("a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise InputError(Problem("--log", message=f"无法写入日志文件（{exc.strerror or exc}）", found=shown(log))) from None
    return log


@app.command()
def build(
    year: Year = None,
    only: Only = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="输出文件夹（默认 out/）")] = None,
    jobs: Annotated[int, typer.Option("--jobs", min=0, max=32, help="并行进程数（0 = 自动：CPU 核数，最多 4）")] = 0,
    quiet: Quiet = False,
    force: Annotated[bool, typer.Option("--force", help="即使输入未变也重新生成")] = False,
    log: Annotated[Optional[Path], typer.Option("--log", help="把日志（含错误）追加写入此文件")] = None,
    root: Root = None,
) -> None:
    """生成文档到 out/（先写入临时文件夹，全部成功后才一次性替换；失败或中断时保持原样）。"""
    from generators.buildlog import BuildOptions
    from generators.unchanged import replay

    state["log"] = _log_file(log)
    proj = project_root(root)
    jobs = jobs or min(os.cpu_count() or 1, 4)
    opts = BuildOptions(root=proj, out=(out or proj / "out"), only=only_names(only), year=year, jobs=jobs,
                        quiet=quiet or not sys.stderr.isatty() or bool(os.environ.get("CI")), force=force,
                        log=state["log"], notes=not quiet)
    if replay(opts):  # nothing changed since a build left all up to date: said so, from file stats alone
        return
    from generators.workers import starting

    with starting(opts) as head:  # its first worker starts loading the project now, beside this process
        from generators.build import run_build

        run_build(opts, head=head)


@app.command()
def check(root: Root = None,
          year: Annotated[Optional[int], typer.Option("--year", help="按此年份检查引用")] = None) -> None:
    """检查数据、图表定义、模板与主题，并试排每份文档（文字是否放得下、字体是否有字），不写任何文件。"""
    from generators.build import run_check

    run_check(project_root(root), year)


@app.command()
def editions(
    prune: Annotated[Optional[int], typer.Option("--prune", help="删除保存的这一年的版本（只在确实不再需要时）")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="输出文件夹（默认 out/）")] = None,
    root: Root = None,
) -> None:
    """列出保存的各年版本（out/editions/<年份>/）：文件、当前版本、生成后数据是否有变化。"""
    from generators.build import run_editions
    from generators.editions import describe_changes

    proj = project_root(root)
    listed = run_editions(proj, out or proj / "out", prune)
    if prune is not None:
        print(f"已删除 {prune} 年版本。")
    if not listed:
        print("还没有保存的版本：运行 reportgen build 生成。")
        return
    folder = (out or proj / "out").resolve()
    print("保存的版本（重新生成某一年：reportgen build --year 年份；删除：reportgen editions --prune 年份）：")
    for ed in listed:
        mark = "（当前版本，也在输出文件夹顶层）" if ed["current"] else ""
        print(f"  {ed['year']}年{mark}：{len(ed['files'])} 个文件，{shown(folder / ed['folder'])}/；"
              f"{describe_changes(ed['changes'])}")


@app.command()
def briefing(
    spec: Annotated[Path, typer.Argument(help="简报说明文件（YAML），可复制 data/briefings/ 中的一份修改")],
    out: Annotated[Optional[Path], typer.Option("--out", help="输出的 .docx 文件（默认 out/<标题>.docx）")] = None,
    year: Year = None,
    quiet: Quiet = False,
    root: Root = None,
) -> None:
    """按一份简报说明生成一个 Word 文档（未写期号或发文字号时，按 data/numbers.yaml 编下一个号并说明）。"""
    from generators.custom import run_single_briefing

    run_single_briefing(project_root(root), spec, out, year, quiet)


@app.command()
def numbers(year: Year = None, root: Root = None) -> None:
    """列出已印发的期号和发文字号（data/numbers.yaml，按简报名称或机关代字、按年份），以及每个系列的下一个号。"""
    from generators.numbering import summary_lines
    from generators.project import Project

    for line in summary_lines(Project.open(project_root(root), year).dataset):
        print(line)


def _is_usage_error(exc: BaseException) -> bool:
    return type(exc).__name__ in ("UsageError", "BadParameter", "MissingParameter", "NoSuchOption",
                                  "BadOptionUsage", "BadArgumentUsage") and hasattr(exc, "format_message")


def main() -> None:
    """Entry point: every known error becomes a short Chinese message and an exit code."""
    safe_console()
    state["log"] = None
    try:
        code = app(standalone_mode=False)  # typer returns (not raises) Exit/Abort codes here
        if code == 130:  # Ctrl+C inside a command: typer returns its code instead of raising
            print("\n已取消；输出文件夹保持原样。", file=sys.stderr)
        if isinstance(code, int) and code != 0:
            sys.exit(code)
    except KeyboardInterrupt:
        print("\n已取消；输出文件夹保持原样。", file=sys.stderr)
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
        if type(exc).__name__ == "NoArgsIsHelpError" and hasattr(exc, "show"):  # typer's own click: not compared by class
            exc.show()
            sys.exit(getattr(exc, "exit_code", 2))
        if _is_usage_error(exc):
            show_usage_error(exc)
            sys.exit(2)
        report_error(exc)
        sys.exit(1)


def run() -> None:
    """The `reportgen` program: `main`, then out of the process without tearing the interpreter down.

    The exit handlers run (worker pools, temporary folders, logging) and the output is flushed; only the freeing
    of every object one by one is skipped (about 60 ms after a build), as mypy does. `main` stays the entry
    for callers in the same process (tests): it ends with SystemExit as usual."""
    import atexit

    try:
        main()
        code = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            pass
    os._exit(code)


import generators.cli_preview  # noqa: E402 - registers preview/watch
import generators.cli_web  # noqa: E402 - registers serve/list
import generators.cli_yearly  # noqa: E402,F401 - registers new-year/import/diff
