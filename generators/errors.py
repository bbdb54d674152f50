"""One error hierarchy: input problems (exit 2) carry file, line and field; the rest exit 1."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable


def shown(path: Path) -> str:
    """The path as a user knows it: relative to the working folder when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def nearest(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The candidates closest to a misspelt word (difflib), best first."""
    pool = sorted({str(c) for c in candidates})
    close = difflib.get_close_matches(str(word), pool, n=n, cutoff=0.6)
    if not close:
        lower = {c.lower(): c for c in pool}
        close = [lower[c] for c in difflib.get_close_matches(str(word).lower(), list(lower), n=n, cutoff=0.5)]
    return close


def did_you_mean(word: str, candidates: Iterable[str], n: int = 3) -> str:
    """"您是不是要写“gdp”？" for the nearest candidates, or "" when none is close."""
    close = nearest(word, candidates, n)
    return ("您是不是要写" + "或".join(f"“{c}”" for c in close) + "？") if close else ""


class ReportgenError(Exception):
    """Base of every error the CLI reports without a traceback."""

    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One located input problem, rendered as a Chinese sentence."""

    file: str
    line: int | None = None
    field: str | None = None
    expected: str | None = None
    found: str | None = None
    message: str | None = None
    column: int | None = None

    def render(self) -> str:
        where = self.file
        if self.line is not None:
            where += f" 第{self.line}行"
            if self.column is not None:
                where += f"第{self.column}列"
        if self.field:
            where += f"，字段“{self.field}”"
        parts = [where + "："]
        if self.message:
            parts.append(self.message)
        if self.expected is not None:
            parts.append(f"应为{self.expected}")
        if self.found is not None:
            parts.append(f"实际为“{_clip(self.found)}”")
        text = parts[0] + "；".join(p for p in parts[1:] if p)
        text = text.replace("。；", "；").replace("。。", "。").replace("？。", "？")
        return text if text.endswith(("。", "！", "？")) else text + "。"


def _clip(text: str, limit: int = 80) -> str:
    text = str(text).replace("\n", "⏎")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class InputError(ReportgenError):
    """Bad data, spec, template or theme: one or more located problems (exit 2)."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(p.render() for p in self.problems))


class TemplateError(InputError):
    """A template or theme does not meet its contract."""


class Problems:
    """Collects problems across a whole run so the user sees all of them at once."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, file: str | Path, line: int | None = None, **kw: Any) -> None:
        self.items.append(Problem(file=str(file), line=line, **kw))

    def extend(self, error: InputError) -> None:
        self.items.extend(error.problems)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise InputError(self.items)


class SetAside(InputError):
    """Input files set aside (a briefing spec with an error): everything else was built and published."""
