"""Read CSV and YAML files with encodings detected and every value's line number kept."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import pickle
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

import yaml

from generators.errors import InputError, Problem, shown  # shown: also re-exported
from generators.load import yaml_zh

MAX_INPUT_BYTES = 5 * 1024 * 1024
MAX_YAML_BYTES = 1024 * 1024  # the parser is pure Python: a larger spec is a mistake and would take minutes
MAX_YAML_DEPTH = 40  # nested lists/mappings; the real specs need 8
RESAVE_HINT = "请用 Excel/WPS “另存为 → CSV UTF-8(逗号分隔)”，或在记事本中“另存为”并选择编码 UTF-8"


def read_text(path: Path, limit: int = MAX_INPUT_BYTES) -> tuple[str, str]:
    """Return (text, encoding); UTF-8 (with or without BOM) or GBK/GB18030, else a clear error."""
    where = shown(path)
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode):  # a device or a pipe never ends
            raise InputError(Problem(where, message="这是设备或管道等特殊文件，不是普通文件，不能读取", expected="普通的文本文件"))
        size = st.st_size
        if size > limit:
            raise InputError(Problem(where, message="文件过大", expected=f"不超过 {limit / 1024 / 1024:g} MB",
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


_CONTROL_HINTS = {
    "\x0b": "这是 Word 的 Shift+Enter 手动换行符，复制文字时被带了进来：请删除它，需要换行时另起一段或改为空格",
    "\x0c": "这是 Word 的分页符（Ctrl+Enter）：请删除",
    "\u2028": "这是 Unicode 行分隔符（常从网页或 Word 复制而来）：请删除，或改为空格",
    "\u2029": "这是 Unicode 段分隔符（常从网页或 Word 复制而来）：请删除，或另起一段",
}


def _is_control(ch: str) -> bool:
    o = ord(ch)
    return (o < 32 and ch not in "\t\n\r") or 0x7F <= o < 0xA0 or ch in "\u2028\u2029\ufffe\uffff"


def check_controls(text: str, where: str) -> None:
    """Invisible control characters are refused with line and column (1-based) and a hint where they come from."""
    problems = []
    for lineno, line in enumerate(text.split("\n"), 1):
        for col, ch in enumerate(line, 1):
            if _is_control(ch) and not (ch == "\r" and col == len(line)):
                hint = _CONTROL_HINTS.get(ch, "请删除它（在记事本中可能看不见：删掉这一处前后的字再重新输入）")
                problems.append(Problem(where, lineno, column=col, message=f"含不可见的控制字符 U+{ord(ch):04X}；{hint}"))
                break
        if len(problems) >= 20:
            break
    if problems:
        raise InputError(problems)


def read_csv(path: Path, columns: list[str], required: set[str]) -> tuple[list[tuple[int, dict[str, str]]], str]:
    """Rows as (line number, {column: stripped text}); header must be exactly `columns`."""
    text, encoding = read_text(path)
    where = shown(path)
    check_controls(text, where)
    quote = unclosed_quote_line(text)
    if quote is not None:  # the reader would swallow every later line into one cell and blame the last one
        raise InputError(Problem(where, quote, message="这一行的英文双引号 \" 没有闭合（从这里到文件末尾都被当成了同一格）；"
                                 "含逗号的文字要用一对英文双引号括起来，文字中的双引号写成两个 \"\"",
                                 found=text.split("\n")[quote - 1].strip()[:80]))
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
            row = {c: v.strip() for c, v in zip(columns, cells, strict=True)}
            for col in columns:
                if col in required and not row[col]:
                    problems.append(Problem(where, line, column=columns.index(col) + 1, field=col, message="不能为空"))
            rows.append((line, row))
    except csv.Error as exc:
        why = "某一格内容过长（可能有英文双引号没有闭合）" if "field limit" in str(exc) else "引号或换行的写法不对"
        problems.append(Problem(where, reader.line_num, message=f"CSV 格式错误：{why}；含逗号、引号的文字要用英文双引号括起来"))
    if header is None:
        problems.append(Problem(where, 1, field="表头", message="没有表头行", expected=",".join(columns)))
    if problems:
        raise InputError(problems)
    return rows, encoding


def unclosed_quote_line(text: str) -> int | None:
    """The line where a quoted CSV field opens and never closes (RFC 4180 quoting: "" inside is one quote)."""
    inside, start, line, i, at_field_start = False, 0, 1, 0, True
    while i < len(text):
        ch = text[i]
        if inside:
            if ch == '"':
                if text[i + 1: i + 2] == '"':
                    i += 1  # an escaped quote
                else:
                    inside = False
        elif ch == '"' and at_field_start:
            inside, start = True, line
        if ch == "\n":
            line += 1
        if not inside:
            at_field_start = ch in ",\n" or (at_field_start and ch in " \t\r")
        i += 1
    return start if inside else None


class Lines:
    """Line numbers of a YAML mapping's keys or a sequence's items (1-based); no start line for JSON from the web
    page (its problems are located by field path alone)."""

    def __init__(self, start: int | None, keys: dict[Any, int] | None = None, items: list[int] | None = None):
        self.start = start
        self.keys = keys or {}
        self.items = items or []


class LineDict(dict):
    """A dict that remembers on which line each key stands."""

    lines: Lines


class LineList(list):
    """A list that remembers on which line each item stands."""

    lines: Lines


class _Composing(yaml.composer.Composer):
    """Builds the node tree from the parser's events, refusing aliases and nesting deeper than MAX_YAML_DEPTH."""

    depth = 0
    if TYPE_CHECKING:  # the parser's, beside it in the loader
        def check_event(self, *choices: Any) -> bool: ...
        def peek_event(self) -> Any: ...

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "不支持 YAML 别名（*名称）", event.start_mark)
        self.depth += 1
        try:
            if self.depth > MAX_YAML_DEPTH:
                raise yaml.composer.ComposerError(None, None, f"嵌套层数过多（超过 {MAX_YAML_DEPTH} 层）", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _LineLoader(_Composing, yaml.SafeLoader):
    """SafeLoader (no tags that run code) that keeps line numbers and refuses aliases."""


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



def _fast_loader() -> type | None:
    """The same loader over libyaml's parser (C, five times faster), when PyYAML has it: our composer, the same
    constructors and resolvers, so the same values and line numbers. Anything it does not take (a syntax error,
    an alias, a duplicate key) is parsed again by `_LineLoader`, whose message the user reads."""
    cparser: Any = getattr(getattr(yaml, "_yaml", None), "CParser", None) if yaml.__with_libyaml__ else None
    if cparser is None:
        return None

    class FastLoader(_Composing, cparser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        def __init__(self, stream: str) -> None:
            cparser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    FastLoader.yaml_constructors = _LineLoader.yaml_constructors
    FastLoader.yaml_implicit_resolvers = _LineLoader.yaml_implicit_resolvers
    return FastLoader


_FAST_LOADER = _fast_loader()

# What a parse depends on besides the text: this reader, its messages and PyYAML (a cached parse is keyed by it).
_PARSER = hashlib.sha256(b"".join(p.read_bytes() for p in (Path(__file__), Path(yaml_zh.__file__)))
                         + yaml.__version__.encode()).hexdigest()


def read_yaml(path: Path, cache: Path | None = None) -> Any:
    """Parse YAML safely; syntax errors become a located Chinese message. With `cache` (a folder of build/cache),
    a text parsed before is read back from there (the parse with its line numbers, keyed by the text's and the
    parser's digest): a warm build does not parse unchanged YAML again. Only successful parses are kept."""
    text, _ = read_text(path, MAX_YAML_BYTES)
    where = shown(path)
    check_controls(text, where)
    check_fullwidth_syntax(text, where)
    kept = cache / (hashlib.sha256(text.encode("utf-8") + _PARSER.encode()).hexdigest() + ".pickle") if cache else None
    if kept is not None and kept.is_file():
        try:
            return pickle.loads(kept.read_bytes())  # our own cache file, written below
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            pass  # a damaged cache entry is parsed again
    parsed = _parse_yaml(text, where)
    if kept is not None:
        try:
            kept.parent.mkdir(parents=True, exist_ok=True)
            tmp = kept.with_suffix(f".tmp{os.getpid()}")
            tmp.write_bytes(pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL))
            tmp.replace(kept)
        except OSError:
            pass  # a cache that cannot be written only costs time
    return parsed


def _parse_yaml(text: str, where: str) -> Any:
    if _FAST_LOADER is not None:
        try:
            return yaml.load(text, Loader=_FAST_LOADER)  # noqa: S506 - safe constructors only, as below
        except (yaml.YAMLError, RecursionError, ValueError, TypeError):
            pass  # parsed again below: the same outcome, with the reader's own located message
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        detail = exc.problem or exc.context or ""
        ours = bool(re.search(r"[\u4e00-\u9fff]", detail))
        message = "YAML 格式错误：" + (detail if ours else yaml_zh.problem_zh(detail))
        hint = yaml_zh.quote_hint(text.split("\n"), line)
        raise InputError(Problem(where, line, column=column, message=message + (f"。{hint}" if hint else ""))) from None
    except (yaml.YAMLError, RecursionError):
        raise InputError(Problem(where, message="YAML 格式错误：无法读取（请检查缩进、冒号和引号）")) from None


_FW_KEY = re.compile(r"^[ \t]*(?:-[ \t]+)?[A-Za-z_][A-Za-z0-9_]*[ \t]*：")  # key：value
_FW_SPACE = re.compile(r"^[ \t]*\u3000|^[ \t]*(?:-[ \t]*)?\u3000|^[ \t]*(?:-[ \t]+)?[A-Za-z_][A-Za-z0-9_]*:\u3000")


def check_fullwidth_syntax(text: str, where: str) -> None:
    """A full-width colon after a key, or an ideographic space where YAML needs a plain one, named with its line
    (YAML would otherwise report a puzzle about "键: 值" somewhere near it)."""
    problems = []
    for n, line in enumerate(text.split("\n"), 1):
        if _FW_KEY.match(line):
            problems.append(Problem(where, n, column=line.index("：") + 1, found=line.strip()[:60], message=(
                "键后面用了全角冒号“：”（U+FF1A）；YAML 的键和值之间要用英文冒号加一个空格“: ”")))
        elif _FW_SPACE.match(line):
            problems.append(Problem(where, n, column=line.index("\u3000") + 1, found=line.strip()[:60], message=(
                "有全角空格“　”（U+3000）用作缩进或冒号后的空格；YAML 只认半角空格，请删掉它改为普通空格")))
    if problems:
        raise InputError(problems)


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


def walk_strings(node: Any, parent: Any = None, key: Any = None, path: str = "") -> Iterator[tuple[str, int | None, str, str]]:
    """(value, line, path, key name) for every string in a YAML tree."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from walk_strings(v, node, k, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk_strings(v, node, i, f"{path}[{i + 1}]")
    elif isinstance(node, str):
        last_key = key if isinstance(key, str) else (path.rsplit(".", 1)[-1].split("[")[0] if path else "")
        yield node, line_of(parent, key) if parent is not None else None, path, last_key
