"""templates/charts.mplstyle: only the keys the chart look needs (an allow-list), each value checked, errors in Chinese."""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from generators.errors import Problem, TemplateError, did_you_mean, shown
from generators.fsutil import atomic_write

# Families of settings that only change how lines, ticks, grids, legends and patches look.
ALLOWED_PREFIXES = ("axes.", "xtick.", "ytick.", "grid.", "legend.", "lines.", "patch.", "hatch.", "markers.",
                    "scatter.", "errorbar.", "boxplot.")
ALLOWED_EXTRA = ("figure.facecolor", "figure.edgecolor")
# Set by the theme or the renderer (fonts, minus sign, colour cycle): a style may not change them.
NOT_ALLOWED = {"axes.prop_cycle", "axes.unicode_minus", "axes.formatter.use_locale", "axes.formatter.use_mathtext"}
# Settings that start programs (LaTeX, Ghostscript), read or write files, or pick other fonts.
DANGEROUS = ("text.", "pgf.", "backend", "savefig.", "animation.", "path.", "font.", "mathtext.", "ps.", "pdf.",
             "svg.", "webagg.", "tk.", "keymap.", "toolbar", "interactive", "datapath", "image.", "figure.", "date.",
             "timezone", "macosx.", "docstring.", "agg.", "contour.", "polaraxes.", "axes3d.")
_EXPECTED = {
    "validate_bool": "True 或 False", "validate_float": "数字（如 0.6）", "validate_float_or_None": "数字或 None",
    "validate_int": "整数", "validate_color": "颜色（如 A61E22、red；不写 #）", "validate_fontsize": "字号（数字）",
    "_validate_linestyle": "线型（- -- : -.）",
}
MAX_STYLE_BYTES = 64 * 1024
STYLE_CACHE = "chart-style-check.json"


def _validators() -> dict:
    import matplotlib.rcsetup as rcsetup

    return rcsetup._validators  # type: ignore[attr-defined]  # private: the validators matplotlib applies to a style file


def allowed(key: str, known: dict) -> bool:
    return key in known and key not in NOT_ALLOWED and (key.startswith(ALLOWED_PREFIXES) or key in ALLOWED_EXTRA)


def _strip_comment(line: str) -> str:
    """Drop a `#` comment that is not inside double quotes (as matplotlib reads style files)."""
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == "#" and not quoted:
            return line[:i].strip()
    return line.strip()


def _check_line(key: str, val: str, known: dict) -> str | None:
    """Why one `key: value` is refused, in Chinese, or None."""
    if key not in known:
        hint = did_you_mean(key, [k for k in known if allowed(k, known)])
        return f"不认识的设置“{key}”（拼写错误？）" + hint
    if not allowed(key, known):
        if key.startswith(DANGEROUS) and key not in ALLOWED_EXTRA:
            return (f"不允许的设置“{key}”：它可能启动外部程序（如 LaTeX）、读写其他文件或更换字体；"
                    "图表样式只能改线条、刻度、网格、图例等外观，字体和颜色请在 theme.toml 中改")
        return f"不允许的设置“{key}”：由 theme.toml 或生成器决定，样式文件中不能修改"
    validator = known[key]
    try:
        validator(val)
    except (ValueError, TypeError, KeyError):
        expected = _EXPECTED.get(getattr(validator, "__name__", ""), "matplotlib 可接受的取值")
        return f"“{key}”的取值不对：应为{expected}，实际为“{val}”"
    return None


@functools.lru_cache(maxsize=1)
def matplotlib_version() -> str:
    """matplotlib's version from its package metadata, without importing it (a cache hit must not pay for the
    import); looked up once per process (each lookup walks the installed packages)."""
    from importlib.metadata import version

    return version("matplotlib")


def _cache_key(raw: bytes) -> str:
    """What a check's result depends on: the file, these rules and matplotlib's validators (its version)."""
    rules = Path(__file__).read_bytes()
    return hashlib.sha256(raw + b"\0" + rules + b"\0" + matplotlib_version().encode()).hexdigest()


def _cached(cache_dir: Path | None, key: str) -> dict[str, str] | None:
    if cache_dir is None:
        return None
    try:
        hit = json.loads((cache_dir / STYLE_CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(hit, dict) and hit.get("key") == key and isinstance(hit.get("rc"), dict):
        return {str(k): str(v) for k, v in hit["rc"].items()}
    return None


def load_chart_style(path: Path, cache_dir: Path | None = None) -> dict[str, str]:
    """The validated settings of a style file, as text (matplotlib converts them); every bad line reported.

    A file that passed before (same bytes, same rules, same matplotlib) is not checked again when `cache_dir`
    is given: only a passing check is remembered, so a bad file is reported every time."""
    from generators.charts.mplenv import isolate

    isolate(cache_dir)  # before matplotlib's first import (its version and validators are read below)
    where = shown(path)
    if path.is_symlink():
        raise TemplateError(Problem(where, message="图表样式文件不能是符号链接（快捷方式），请放入文件本身"))
    raw = path.read_bytes()
    if len(raw) > MAX_STYLE_BYTES:
        raise TemplateError(Problem(where, message="图表样式文件过大", expected=f"不超过 {MAX_STYLE_BYTES // 1024} KB"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TemplateError(Problem(where, message="图表样式文件不是 UTF-8 编码，请另存为 UTF-8")) from None
    key = _cache_key(raw)
    hit = _cached(cache_dir, key)
    if hit is not None:
        return hit
    rc = _checked(text, where)
    if cache_dir is not None:
        try:
            atomic_write(cache_dir / STYLE_CACHE, json.dumps({"key": key, "rc": rc}, ensure_ascii=False))
        except OSError:
            pass  # a cache that cannot be written only costs time
    return rc


def _checked(text: str, where: str) -> dict[str, str]:
    known = _validators()
    rc: dict[str, str] = {}
    first: dict[str, int] = {}
    problems = []
    for n, line in enumerate(text.splitlines(), 1):
        body = _strip_comment(line)
        if not body:
            continue
        key, colon, val = body.partition(":")
        key, val = key.strip(), val.strip()
        if not colon or not key:
            problems.append(Problem(where, n, message="应写成“设置名: 取值”（缺少冒号）", found=line.strip()))
            continue
        if len(val) >= 2 and val[0] == val[-1] == '"':
            val = val[1:-1]
        if key in first:
            problems.append(Problem(where, n, field=key, message=f"设置重复（第{first[key]}行已写过）"))
            continue
        why = _check_line(key, val, known)
        if why:
            problems.append(Problem(where, n, field=key, message=why))
            continue
        first[key] = n
        rc[key] = val
    if problems:
        raise TemplateError(problems)
    return rc
