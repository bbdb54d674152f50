"""Bind figures into texts: `{gdp@Y}` → Run("12.5亿元", figure=True); the documents layer's entry to the data."""

from __future__ import annotations

from generators.load import refs as R
from generators.load.dataset import Dataset
from generators.load.format import format_figure, numeric, period_label, render_ref
from generators.model import Inline, Run, Value
from generators.units import chinese_numeral

__all__ = ["bind", "bind_plain", "chinese_numeral", "format_figure", "numeric", "period_label", "render_ref", "value_of"]


def bind(ds: Dataset, text: str, year: int) -> Inline:
    """A text with its references replaced; figures become their own runs."""
    runs: list[Run] = []
    for tok in R.tokens(text):
        if isinstance(tok, str):
            runs.append(Run(tok))
        elif isinstance(tok, int):
            runs.append(Run(str(year + tok)))
        else:
            # "第{…|cn}" reads as a word (第一), not as a figure to emphasise.
            runs.append(Run(render_ref(ds, tok, year), figure=tok.fmt not in ("u", "cn")))
    merged: list[Run] = []
    for r in runs:
        if merged and merged[-1].figure == r.figure and not r.figure:
            merged[-1] = Run(merged[-1].text + r.text)
        elif r.text:
            merged.append(r)
    return tuple(merged)


def bind_plain(ds: Dataset, text: str, year: int) -> str:
    return "".join(r.text for r in bind(ds, text, year))


def value_of(ds: Dataset, ref_text: str, year: int) -> Value:
    ref = R.parse_plain_ref(ref_text)
    fig = ds.find(ref, year)
    number, unit = format_figure(ds, fig, ref.fmt)
    return Value(number, unit, period_label(fig.period, fig.scope), fig.ref(), (fig.period, fig.scope))
