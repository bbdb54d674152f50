"""Figure references inside texts: `{gdp@2024}`, `{gdp@Y|n}`, `{Y}`; parse, resolve, bind."""

from __future__ import annotations

import re
from dataclasses import dataclass

from generators.load.numbers import halfwidth_problem

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_YEAR_EXPR = re.compile(r"^Y(?:([+-])([0-9]{1,2}))?$")
_REF = re.compile(
    r"^(?P<ind>[a-z][a-z0-9_]*)"
    r"(?:@(?P<period>Y(?:[+-][0-9]{1,2})?|[0-9]{4}(?:-[0-9]{4})?))?"
    r"(?:/(?P<scope>[^|@/]+))?"
    r"(?:\|(?P<fmt>[^|]+))?$"
)


class RefSyntaxError(ValueError):
    """A `{...}` that is not a valid reference; the message is Chinese."""


@dataclass(frozen=True)
class Ref:
    """A parsed reference; `period` may still be relative (`Y`, `Y-1`)."""

    indicator: str
    period: str | None
    scope: str
    fmt: str

    def resolve_period(self, year: int) -> str | None:
        return resolve_period_expr(self.period, year) if self.period else None

    def __str__(self) -> str:
        s = self.indicator
        if self.period:
            s += "@" + self.period
        if self.scope:
            s += "/" + self.scope
        return s


def resolve_period_expr(expr: str, year: int) -> str:
    m = _YEAR_EXPR.match(expr)
    if not m:
        return expr
    delta = int(m.group(2) or 0) * (-1 if m.group(1) == "-" else 1)
    return str(year + delta)


def parse_ref(text: str) -> Ref:
    """Parse `gdp@2024/县城|n` (without braces)."""
    m = _REF.match(text.strip())
    if not m:
        hint = halfwidth_problem(text)
        raise RefSyntaxError(f"引用“{{{text}}}”的写法不对，应为 {{指标ID@年份}}，例如 {{gdp@2024}}" + (f"；{hint}" if hint else ""))
    return Ref(m["ind"], m["period"], (m["scope"] or "").strip(), (m["fmt"] or "").strip())


def tokens(text: str) -> list[str | Ref | int]:
    """Split a text into literal strings, Refs and year offsets (from `{Y}`, `{Y-1}`)."""
    out: list[str | Ref | int] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() > pos:
            out.append(text[pos : m.start()])
        tok = m.group(0)
        if tok == "{{":
            out.append("{")
        elif tok == "}}":
            out.append("}")
        elif tok in "{}":
            raise RefSyntaxError(f"文字中有单独的“{tok}”：引用要写成 {{指标ID@年份}}，字面的花括号请写成 “{tok}{tok}”")
        else:
            inner = m.group(1).strip()
            ym = _YEAR_EXPR.match(inner)
            if ym:
                out.append(int(ym.group(2) or 0) * (-1 if ym.group(1) == "-" else 1))
            else:
                out.append(parse_ref(inner))
        pos = m.end()
    if pos < len(text):
        out.append(text[pos:])
    return out


def refs_in(text: str) -> list[Ref]:
    return [t for t in tokens(text) if isinstance(t, Ref)]


def parse_plain_ref(text: str) -> Ref:
    """A reference written without braces in a spec field (`ref: gdp@2024`)."""
    t = str(text).strip()
    if t.startswith("{") and t.endswith("}"):
        t = t[1:-1]
    return parse_ref(t)
