"""Read CSV and YAML files with encodings detected and every value's line number kept."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import yaml

from generators.errors import InputError, Problem, shown  # noqa: F401 - shown re-exported

MAX_INPUT_BYTES = 5 * 1024 * 1024
RESAVE_HINT = "请用 Excel/WPS “另存为 → CSV UTF-8(逗号分隔)”，或在记事本中“另存为”并选择编码 UTF-8"


def read_text(path: Path) -> tuple[str, str]:
    """Return (text, encoding); UTF-8 (with or without BOM) or GBK/GB18030, else a clear error."""
    where = shown(path)
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(Problem(where, message="文件过大", expected=f"不超过 {MAX_INPUT_BYTES // 1024 // 1024} MB",
                                     found=f"{size / 1024 / 1024:.1f} MB"))
        raw = path.read_bytes()
    except OSError as exc:
        what = "这是一个文件夹，不是文件" if path.is_dir() else f"无法读取文件（{exc.strerror}）"
        raise InputError(Problem(where, message=what)) from None
    if not raw.strip():
        raise InputError(Problem(where, message="文件是空的", expected="有内容的文件"))
    if b"\x00" in raw:
        raise InputError(Problem(where, message="文件含二进制内容（可能是 UTF-16 或损坏的文件）。" + RESAVE_HINT))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        line = raw[: utf8_error.start].count(b"\n") + 1
        raise InputError(Problem(where, line, message="文件编码无法识别（既不是 UTF-8 也不是 GBK/GB18030）。"
                                 + RESAVE_HINT)) from None
    return text, "gb18030"


def _check_controls(text: str, where: str) -> None:
    for lineno, line in enumerate(text.splitlines(), 1):
        for ch in line:
            if ord(ch) < 32 and ch not in "\t\r":
                raise InputError(Problem(where, lineno, message=f"含不可见的控制字符 U+{ord(ch):04X}，请删除"))


def read_csv(path: Path, columns: list[str], required: set[str]) -> tuple[list[tuple[int, dict[str, str]]], str]:
    """Rows as (line number, {column: stripped text}); header must be exactly `columns`."""
    text, encoding = read_text(path)
    where = shown(path)
    _check_controls(text, where)
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    problems: list[Problem] = []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
                continue
            if header is None:
                header = [c.strip() for c in cells]
                if header != columns:
                    missing = [c for c in columns if c not in header]
                    extra = [c for c in header if c not in columns]
                    detail = []
                    if missing:
                        detail.append("缺少列 " + "、".join(missing))
                    if extra:
                        detail.append("多出列 " + "、".join(extra))
                    if not detail:
                        detail.append("列的顺序不对")
                    raise InputError(Problem(where, line, field="表头", message="；".join(detail),
                                             expected=",".join(columns), found=",".join(header)))
                continue
            if len(cells) != len(columns):
                problems.append(Problem(where, line, message="列数不对（可能少了或多了逗号，含逗号的文字要加英文双引号）",
                                        expected=f"{len(columns)} 列", found=f"{len(cells)} 列"))
                continue
            row = {c: v.strip() for c, v in zip(columns, cells)}
            for col in columns:
                if col in required and not row[col]:
                    problems.append(Problem(where, line, field=col, message="不能为空"))
            rows.append((line, row))
    except csv.Error as exc:
        problems.append(Problem(where, reader.line_num, message=f"CSV 格式错误（{exc}）"))
    if header is None:
        problems.append(Problem(where, 1, field="表头", message="没有表头行", expected=",".join(columns)))
    if problems:
        raise InputError(problems)
    return rows, encoding


class Lines:
    """Line numbers of a YAML mapping's keys or a sequence's items (1-based)."""

    def __init__(self, start: int, keys: dict[Any, int] | None = None, items: list[int] | None = None):
        self.start = start
        self.keys = keys or {}
        self.items = items or []


class LineDict(dict):
    """A dict that remembers on which line each key stands."""

    lines: Lines


class LineList(list):
    """A list that remembers on which line each item stands."""

    lines: Lines


class _LineLoader(yaml.SafeLoader):
    """SafeLoader (no tags that run code) that keeps line numbers and refuses aliases."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "不支持 YAML 别名（*名称）", event.start_mark)
        return super().compose_node(parent, index)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    keys: dict[Any, int] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) or key is None:
            raise yaml.constructor.ConstructorError(None, None, "键必须是文字", key_node.start_mark)
        if key in result:
            raise yaml.constructor.ConstructorError(None, None, f"键“{key}”重复", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        keys[key] = key_node.start_mark.line + 1
    result.lines = Lines(node.start_mark.line + 1, keys=keys)
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.lines = Lines(node.start_mark.line + 1, items=[c.start_mark.line + 1 for c in node.value])
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
# Dates stay text: "2024-05-01" in a spec is shown as written, never reformatted.
_LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path) -> Any:
    """Parse YAML safely; syntax errors become a located Chinese message."""
    text, _ = read_text(path)
    where = shown(path)
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        detail = exc.problem or exc.context or "格式错误"
        raise InputError(Problem(where, line, message=f"YAML 格式错误：{_yaml_problem_zh(detail)}")) from None
    except yaml.YAMLError as exc:
        raise InputError(Problem(where, message=f"YAML 格式错误：{exc}")) from None


_YAML_ZH = {
    "mapping values are not allowed here": "此处不允许出现“键: 值”（可能缺少缩进或冒号后缺空格，含冒号的文字请加引号）",
    "could not find expected ':'": "找不到应有的冒号“:”",
    "found character '\\t' that cannot start any token": "含制表符（Tab），请用空格缩进",
    "expected <block end>, but found '-'": "列表项“-”的缩进不一致",
    "found unexpected end of stream": "文件意外结束（引号或括号未闭合）",
    "did not find expected key": "缩进不一致，找不到应有的键",
    "found undefined alias": "使用了未定义的别名",
    "could not determine a constructor for the tag": "不允许使用 YAML 标签（以 !! 或 ! 开头），请删除",
}


def _yaml_problem_zh(detail: str) -> str:
    for en, zh in _YAML_ZH.items():
        if detail.startswith(en):
            return zh
    return detail


def line_of(node: Any, key: Any = None, default: int | None = None) -> int | None:
    """Line of `key` in a LineDict, of item `key` in a LineList, or of the node itself."""
    lines = getattr(node, "lines", None)
    if lines is None:
        return default
    if key is None:
        return lines.start
    if isinstance(node, LineDict):
        return lines.keys.get(key, lines.start)
    if isinstance(key, int) and 0 <= key < len(lines.items):
        return lines.items[key]
    return lines.start
