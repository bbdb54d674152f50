"""The chart-kind registry: one entry per kind, carrying what every layer needs of it (Sphinx's `add_node`).

An entry says what the kind is called (the `kind:` of data/charts.yaml, and the label staff read), which values
it may draw (the load check reads `non_negative` and `parts_of_whole`), how its data labels are formatted, and
its handler in each format: the matplotlib drawing (PDF, picture charts), the PowerPoint chart type and styler
(the deck), and what Word does with it (the deck's native chart part, or always a picture).

Handlers are named "module:function" and resolved on first use, so that the data layer can read the value
rules without importing matplotlib or python-pptx (each format library stays in its one home);
tests/test_charts.py resolves every handler of every entry. A new kind is one `register(ChartKind(...))` here,
plus a drawing in `charts/draw.py` and a styler in `writers/pptx/charts.py` when no existing one fits.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class ChartKind:
    """One kind of chart and its handler in each format."""

    name: str  # `kind:` in data/charts.yaml and ChartData.kind
    label: str  # what staff read (the chart picker, `reportgen list charts`)
    draw: str  # "module:function" drawing it with matplotlib: (fig, ChartData, Theme, families) -> None
    pptx_type: str  # PowerPoint chart type: a member name of pptx.enum.chart.XL_CHART_TYPE
    pptx_style: str  # "module:function" styling the native chart: (chart, ChartData, ChartPlan, Theme) -> None
    non_negative: bool = True  # a negative value is refused when the data are loaded, with `negative_hint`
    negative_hint: str = "增减变化请用 kind: growth"
    parts_of_whole: bool = False  # shares of one total: 0–100 when in %, summing to `total` (or 100%)
    percent_labels: bool = False  # data labels carry a % sign whatever the unit (rates of change, shares)
    word_native: bool = True  # Word: the deck's native chart part (type and styler above); False: a picture

    def drawing(self) -> Callable[..., None]:
        return _resolve(self.draw)

    def styler(self) -> Callable[..., None]:
        return _resolve(self.pptx_style)


def _resolve(target: str) -> Callable[..., Any]:
    module, _, name = target.partition(":")
    fn: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return fn


KINDS: dict[str, ChartKind] = {}


def register(kind: ChartKind) -> ChartKind:
    if kind.name in KINDS:
        raise ValueError(f"chart kind {kind.name!r} registered twice")
    KINDS[kind.name] = kind
    return kind


def get(name: str) -> ChartKind:
    """The entry of a kind the spec check admitted (an unknown name here is a program error)."""
    return KINDS[name]


def names() -> tuple[str, ...]:
    return tuple(KINDS)


_DRAW = "generators.charts.draw:"
_STYLE = "generators.writers.pptx.charts:"

# The order is the order the spec check lists the allowed kinds in.
register(ChartKind("column", "柱形图", _DRAW + "column", "COLUMN_CLUSTERED", _STYLE + "style_column"))
register(ChartKind("bar", "条形图", _DRAW + "bar", "BAR_CLUSTERED", _STYLE + "style_bar"))
register(ChartKind("before_after", "前后对比柱形图", _DRAW + "before_after", "COLUMN_CLUSTERED",
                   _STYLE + "style_before_after"))
register(ChartKind("composition", "构成环形图", _DRAW + "composition", "DOUGHNUT", _STYLE + "style_composition",
                   negative_hint="构成的各部分不能为负", parts_of_whole=True, percent_labels=True))
register(ChartKind("growth", "增速条形图", _DRAW + "growth", "BAR_CLUSTERED", _STYLE + "style_growth",
                   non_negative=False, percent_labels=True))
register(ChartKind("line", "折线图", _DRAW + "line", "LINE_MARKERS", _STYLE + "style_line"))
