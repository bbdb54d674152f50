"""The page's words for what the command line words its own way: its choices, not CLI options; and paths of the
project (or of a private copy of it) as data/…, never the server's folders."""

from __future__ import annotations

import os
from pathlib import Path


def _hints() -> list[tuple[str, str]]:
    from generators.load.dataset import BULLETIN_WINS_HINT
    from generators.yearly.importer import NEW_YEAR_HINT, YEAR_HINT
    from generators.yearly.merge import BULLETIN_HINT, REPLACE_HINT

    return [
        (BULLETIN_HINT, "以公报为准请勾选“以公报为准”后再检查一次"),
        (REPLACE_HINT, "确认要替换请勾选“更正已导入的数字（替换）”后再检查一次"),
        (BULLETIN_WINS_HINT, "在“年度更新”页勾选“以公报为准”后导入"),
        (YEAR_HINT, "请用“年度更新”页第 1 步下载的填报表填写"),
        (NEW_YEAR_HINT, "请使用“年度更新”页第 1 步下载的填报表"),
        ("字段“--year”", "版本年份"),
    ]


def for_page(text: str, roots: tuple[Path, ...] = ()) -> str:
    """`text` with the page's words for CLI choices and project-relative paths."""
    if not text:
        return text
    prefixes = {str(r) + os.sep for r in roots} | {str(r.resolve()) + os.sep for r in roots}
    for prefix in sorted(prefixes, key=len, reverse=True):
        text = text.replace(prefix, "")
    for cli, page in _hints():
        text = text.replace(cli, page)
    return text


def page_data(value, roots: tuple[Path, ...] = ()):
    """Every string of a JSON-like value through `for_page`."""
    if isinstance(value, str):
        return for_page(value, roots)
    if isinstance(value, dict):
        return {k: page_data(v, roots) for k, v in value.items()}
    if isinstance(value, list):
        return [page_data(v, roots) for v in value]
    return value
