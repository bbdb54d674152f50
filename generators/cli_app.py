"""The typer app, shared option types and how errors reach the user (a leaf: command modules import it)."""

from __future__ import annotations

import os
import re
import sys
import traceback
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from generators import products
from generators.errors import InputError, ReportgenError, SetAside, did_you_mean

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="报告生成器：从 data/ 的数字和文字生成幻灯片（PPTX）、印刷版 PDF 和 Word 简报（DOCX）。",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)

state: dict = {"debug": False, "log": None}

ROOT_HELP = "项目文件夹（含 data/、templates/、assets/）；默认为当前文件夹"

# --only takes the names of the product registry, so a new product is a new choice everywhere.
ProductName = Enum("ProductName", {n: n for n in products.names()}, type=str)  # type: ignore[misc]  # members known only at run time

Root = Annotated[Optional[Path], typer.Option("--root", help=ROOT_HELP)]
Year = Annotated[Optional[int], typer.Option("--year", help="版本年份（默认：数据中最新的完整年份）")]
Only = Annotated[Optional[list[ProductName]],
                 typer.Option("--only", help="只处理：" + "、".join(products.names()) + "（可重复）")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度")]


def project_root(root: Optional[Path]) -> Path:
    return (root or Path(os.environ.get("REPORTGEN_ROOT", "."))).resolve()


def checked_root(root: Optional[Path]) -> Path:
    """The project folder, refused (before anything is written) when it is not one."""
    from generators.project import Project

    return Project.open(project_root(root)).root


def only_names(only: Optional[list]) -> tuple[str, ...]:
    return tuple(getattr(o, "value", o) for o in (only or ()))


@app.callback()
def _main(debug: Annotated[bool, typer.Option("--debug", help="内部错误时显示完整的 traceback")] = False) -> None:
    state["debug"] = debug


def _log(lines: list[str]) -> None:
    from generators.buildlog import append_log

    try:
        for line in lines:
            append_log(state.get("log"), line)
    except OSError:
        pass  # the log is a copy; the console already has the message


def report_error(exc: BaseException, limit: int = 200) -> None:
    """Every error as users see it: located Chinese problems for input, one line otherwise; no traceback."""
    if isinstance(exc, InputError):
        lines = ["输入有误（input error）："] + ["  - " + p.render() for p in exc.problems[:limit]]
        if len(exc.problems) > limit:
            lines.append(f"  ……另有 {len(exc.problems) - limit} 处")
        if isinstance(exc, SetAside):
            files = sorted({p.file for p in exc.problems})
            lines.append(f"以上 {'、'.join(files)} 有错误，已跳过（未生成；输出文件夹中它原有的文件保持不变）；"
                         "其余文档已正常生成并发布。改正后重新运行即可。")
        else:
            lines.append("未修改输出文件夹。请改正后重试；检查数据可运行 reportgen check。")
    elif isinstance(exc, ReportgenError):
        lines = [f"错误：{exc}"]
    elif state["debug"]:
        traceback.print_exception(exc)
        lines = [f"内部错误（internal error）：{type(exc).__name__}: {exc}"]
    else:
        lines = [f"内部错误（internal error）：{type(exc).__name__}: {exc}", "加 --debug 可查看详细信息。"]
    if not (state["debug"] and not isinstance(exc, ReportgenError)):
        print("\n".join(lines), file=sys.stderr)
    _log(lines)


# ---- usage errors in Chinese ----------------------------------------------------------------------------

_TYPE_ZH = [
    (r"Input should be a valid integer.*", "应为整数（阿拉伯数字，如 2024），实际为“{value}”"),
    (r"Input should be a valid number.*", "应为数字，实际为“{value}”"),
    (r"Input should be a valid boolean.*", "应为 true 或 false，实际为“{value}”"),
    (r"Input should be less than or equal to (\S+?)\.?", "超出允许范围：应不大于 {0}，实际为“{value}”"),
    (r"Input should be greater than or equal to (\S+?)\.?", "超出允许范围：应不小于 {0}，实际为“{value}”"),
    (r"Input should be less than (\S+?)\.?", "超出允许范围：应小于 {0}，实际为“{value}”"),
    (r"Input should be greater than (\S+?)\.?", "超出允许范围：应大于 {0}，实际为“{value}”"),
    (r"Input should be (.*)", "应为 {0} 之一，实际为“{value}”"),
    (r"'(.*)' is not a valid int(?:eger)?( range)?\.?", "应为整数（阿拉伯数字，如 2024），实际为“{0}”"),
    (r"'(.*)' is not a valid float( range)?\.?", "应为数字，实际为“{0}”"),
    (r"'(.*)' is not a valid boolean\.?", "应为 true 或 false，实际为“{0}”"),
    (r"'(.*)' is not one of (.*)\.", "应为 {1} 之一，实际为“{0}”"),
    (r"'?(.*?)'? is not in the range (.*)\.", "超出允许范围 {1}，实际为 {0}"),
    (r"(?:File|Path|Directory) '(.*)' does not exist\.?", "找不到文件或文件夹“{0}”"),
    (r"(?:File|Path) '(.*)' is a directory\.?", "“{0}”是文件夹，应为文件"),
    (r"(?:Directory|Path) '(.*)' is a file\.?", "“{0}”是文件，应为文件夹"),
]
_USAGE_ZH = [
    (r"Option '(.*)' requires an argument\.?", "选项 {0} 后面需要一个值"),
    (r"Option '(.*)' requires (\d+) arguments\.?", "选项 {0} 后面需要 {1} 个值"),
    (r"Got unexpected extra arguments?(?:\(s\))? \((.*)\)", "多余的参数：{0}"),
    (r"No such command '(.*)'\.", "没有这个命令：{0}（可用命令见 reportgen --help）"),
    (r"No such option: (\S+)", "没有这个选项：{0}"),
    (r"Missing (argument|option|parameter) '?([^.']*)'?\.?.*", "缺少必填的{0}：{1}"),
    (r"Missing (argument|option|parameter)\b.*", "缺少必填的{0}"),
]
_WORDS = {"argument": "参数", "option": "选项", "parameter": "参数"}


def _translate(text: str, table: list[tuple[str, str]], value: str = "") -> str | None:
    for pattern, zh in table:
        m = re.fullmatch(pattern, text.strip(), flags=re.S)
        if m:
            groups = [_WORDS.get(g, g) if g else "" for g in m.groups()]
            groups = [re.sub(r"'\s*(,|or)\s*'", "、", g).strip("'") for g in groups]
            return zh.format(*groups, value=value)
    return None


def _given(hint: str) -> str:
    """The value the user typed after an option (typer's messages no longer quote it)."""
    names = [h.strip("'\" ") for h in re.split(r"\s*/\s*", hint)]
    argv = sys.argv[1:]
    for i, arg in enumerate(argv):
        for n in names:
            if arg == n and i + 1 < len(argv):
                return argv[i + 1]
            if arg.startswith(n + "="):
                return arg[len(n) + 1:]
    return ""


def _kind(param) -> str:
    """"argument" or "option" (typer vendors its own click, so classes are not compared)."""
    return str(getattr(param, "param_type_name", ""))


def _given_argument(exc) -> str:
    """The text typed for a positional argument (click keeps only its name): the n-th plain word after the
    command's name, skipping options and the values they take."""
    ctx, param = getattr(exc, "ctx", None), getattr(exc, "param", None)
    if ctx is None or _kind(param) != "argument":
        return ""
    args = [p for p in ctx.command.params if _kind(p) == "argument"]
    takes_value = {o for p in ctx.command.params if _kind(p) == "option" and not getattr(p, "is_flag", False)
                   for o in p.opts}
    argv = sys.argv[1:]
    if ctx.info_name in argv:
        argv = argv[argv.index(ctx.info_name) + 1:]
    words, skip = [], False
    for tok in argv:
        if skip:
            skip = False
        elif tok.startswith("-") and tok != "-" and not re.fullmatch(r"-\d.*", tok):
            skip = tok in takes_value
        else:
            words.append(tok)
    n = args.index(param)
    return words[n] if n < len(words) else ""


def _error_hint(param, ctx) -> str:
    """The option's names as click shows them (its own click asks for the context, typer 0.29's did not)."""
    try:
        return str(param.get_error_hint(ctx))
    except TypeError:
        return str(param.get_error_hint())


def usage_message(exc) -> str:
    """A click/typer usage error as one Chinese sentence (the English original in brackets if unknown)."""
    name = type(exc).__name__
    message = str(getattr(exc, "message", "") or exc).removeprefix("Value error, ")
    if name in ("BadParameter",):
        hint = exc.param_hint or (_error_hint(exc.param, exc.ctx) if exc.param is not None else "")
        if isinstance(hint, (list, tuple)):
            hint = " / ".join(hint)
        hint = str(hint).replace("'", "")
        if _kind(exc.param) == "argument":
            value = _given_argument(exc)
            return f"参数 {hint.upper()} 的值无效：" + (_translate(message, _TYPE_ZH, value) or f"（{message}）")
        return f"选项 {hint} 的值无效：" + (_translate(message, _TYPE_ZH, _given(hint)) or f"（{message}）")
    if name == "NoSuchOption":
        near = did_you_mean(exc.option_name, exc.possibilities or ())
        return f"没有这个选项：{exc.option_name}。{near}".rstrip("。")
    text = exc.format_message() if hasattr(exc, "format_message") else message
    return _translate(text, _USAGE_ZH) or _translate(message, _USAGE_ZH) or f"命令用法有误（{text}）"


def show_usage_error(exc) -> None:
    sub = getattr(getattr(getattr(exc, "ctx", None), "command", None), "name", None)
    cmd = "reportgen" + (f" {sub}" if sub and sub != "main" and sub != "reportgen" else "")
    try:
        text = usage_message(exc)
    except Exception:  # noqa: BLE001 - a message we cannot translate is still shown
        text = f"命令用法有误（{exc}）"
    lines = [f"用法错误（usage error）：{text}", f"查看用法：{cmd} --help"]
    print("\n".join(lines), file=sys.stderr)
    _log(lines)


def safe_console() -> None:
    """A console that cannot encode a character (GBK on Windows, ASCII in a service) gets ? instead of a crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):
                pass
