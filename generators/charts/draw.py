"""The matplotlib drawing of each chart kind (named by its entry in generators/chartkinds.py)."""

from __future__ import annotations

from decimal import Decimal

from generators.model import ChartData
from generators.theme import Theme
from generators.typography import UNIT, balanced, cjk_width
from generators.units import change_label

# ---- drawing helpers ------------------------------------------------------

def _wrap(label: str, chars: int) -> str:
    """A tick label in balanced lines about `chars` ideographs wide (typography.balanced, display width)."""
    return "\n".join(balanced(label, 2 * chars))


def _label_kw(theme: Theme, fams: dict[str, str], color: str | None = None) -> dict:
    return {"fontsize": theme.chart.label_size, "family": fams["figure"], "fontweight": "bold",
            "color": color or theme.palette.ink}


def _unit_title(ax, data: ChartData, theme: Theme, axis: str = "y") -> None:
    text = UNIT + data.unit if data.unit else ""
    if axis == "y":
        ax.set_ylabel(text, fontsize=theme.chart.tick_size, color=theme.palette.muted)
    else:
        ax.set_xlabel(text, fontsize=theme.chart.tick_size, color=theme.palette.muted)


def column(fig, data: ChartData, theme: Theme, fams: dict[str, str]) -> None:
    ax = fig.add_axes((0.1, 0.14, 0.86, 0.78))
    n = len(data.series)
    width = 0.7 / n
    colors = theme.palette.chart
    top = max(v for s in data.series for v in s.values) or 1
    for i, s in enumerate(data.series):
        xs = [k + (i - (n - 1) / 2) * width for k in range(len(data.categories))]
        bars = ax.bar(xs, s.values, width * 0.92, color=colors[i % len(colors)], label=s.label, zorder=2)
        for b, t in zip(bars, s.texts, strict=True):
            ax.text(b.get_x() + b.get_width() / 2, b.get_height() + top * 0.02, t, ha="center", va="bottom",
                    **_label_kw(theme, fams))
    ax.set_xticks(range(len(data.categories)), [_wrap(c, 8) for c in data.categories])
    ax.set_ylim(0, top * 1.18)
    ax.tick_params(axis="x", length=0)
    if theme.chart.grid:
        ax.yaxis.grid(True, color=theme.palette.rule, linewidth=0.5, zorder=0)
    _unit_title(ax, data, theme)
    if n > 1:
        ax.legend(frameon=False, fontsize=theme.chart.tick_size)


def line(fig, data: ChartData, theme: Theme, fams: dict[str, str]) -> None:
    ax = fig.add_axes((0.1, 0.14, 0.86, 0.78))
    colors = theme.palette.chart
    top = max(v for s in data.series for v in s.values) or 1
    for i, s in enumerate(data.series):
        xs = range(len(s.values))
        ax.plot(xs, s.values, color=colors[i % len(colors)], marker="o", linewidth=2, label=s.label, zorder=2)
        for x, v, t in zip(xs, s.values, s.texts, strict=True):
            ax.text(x, v + top * 0.03, t, ha="center", va="bottom", **_label_kw(theme, fams))
    ax.set_xticks(range(len(data.categories)), [_wrap(c, 8) for c in data.categories])
    ax.set_ylim(0, top * 1.2)
    if theme.chart.grid:
        ax.yaxis.grid(True, color=theme.palette.rule, linewidth=0.5, zorder=0)
    _unit_title(ax, data, theme)


def bar(fig, data: ChartData, theme: Theme, fams: dict[str, str], signed: bool = False) -> None:
    """Horizontal bars, one colour; `signed`: falls in the third palette colour (growth rates)."""
    longest = max(-(-cjk_width(c) // 2) for c in data.categories)  # in ideographs
    wrap = 9 if longest > 9 else longest
    left = min(0.42, 0.06 + 0.022 * wrap * theme.chart.tick_size / 9)
    ax = fig.add_axes((left, 0.16, 0.96 - left - 0.08, 0.78))
    s = data.series[0]
    n = len(data.categories)
    ys = list(range(n))[::-1]
    colors = theme.palette.chart
    bar_colors = [colors[0] if v >= 0 or not signed else colors[2] for v in s.values]
    top = max(abs(v) for v in s.values) or 1
    ax.barh(ys, s.values, 0.62, color=bar_colors, zorder=2)
    suffix = data.unit if data.unit == "%" else ""
    for y, v, t in zip(ys, s.values, s.texts, strict=True):
        ax.text(v + top * 0.015, y, t + suffix, va="center", ha="left", **_label_kw(theme, fams))
    ax.set_yticks(ys, [_wrap(c, wrap) for c in data.categories])
    ax.set_xlim(0, top * 1.2)
    ax.tick_params(axis="y", length=0)
    if theme.chart.grid:
        ax.xaxis.grid(True, color=theme.palette.rule, linewidth=0.5, zorder=0)
    _unit_title(ax, data, theme, axis="x")


def growth(fig, data: ChartData, theme: Theme, fams: dict[str, str]) -> None:
    bar(fig, data, theme, fams, signed=True)


def before_after(fig, data: ChartData, theme: Theme, fams: dict[str, str]) -> None:
    ax = fig.add_axes((0.1, 0.14, 0.86, 0.78))
    s = data.series[0]
    p = theme.palette
    colors = [p.rule] * (len(s.values) - 1) + [p.primary]
    top = max(s.values) or 1
    bars = ax.bar(range(len(s.values)), s.values, 0.5, color=colors, zorder=2)
    for b, t in zip(bars, s.texts, strict=True):
        ax.text(b.get_x() + b.get_width() / 2, b.get_height() + top * 0.02, t, ha="center", va="bottom",
                **_label_kw(theme, fams))
    if len(s.values) == 2 and s.values[0]:
        a, b = s.values
        text = change_label(Decimal(str(a)), Decimal(str(b)))  # the text's rule: exact, rounded half-up
        ax.annotate("", xy=(0.75, max(a, b) * 1.12), xytext=(0.25, max(a, b) * 1.12),
                    arrowprops={"arrowstyle": "-|>", "color": p.accent, "linewidth": 1.6})
        ax.text(0.5, max(a, b) * 1.17, text, ha="center", va="bottom", **_label_kw(theme, fams, p.primary_dark))
    ax.set_xticks(range(len(data.categories)), [_wrap(c, 8) for c in data.categories])
    ax.set_ylim(0, top * 1.35)
    ax.set_xlim(-0.6, len(s.values) - 0.4)
    ax.tick_params(axis="x", length=0)
    if theme.chart.grid:
        ax.yaxis.grid(True, color=p.rule, linewidth=0.5, zorder=0)
    _unit_title(ax, data, theme)


def composition(fig, data: ChartData, theme: Theme, fams: dict[str, str]) -> None:
    ax = fig.add_axes((0.02, 0.04, 0.55, 0.92))
    s = data.series[0]
    colors = theme.palette.chart
    wedges, _ = ax.pie(s.values, colors=[colors[i % len(colors)] for i in range(len(s.values))], startangle=90,
                       counterclock=False, wedgeprops={"width": 0.38, "edgecolor": theme.palette.paper, "linewidth": 2})
    ax.set_aspect("equal")
    ax.text(0, 0, data.unit if data.unit != "%" else "构成", ha="center", va="center",
            fontsize=theme.chart.title_size, color=theme.palette.muted)
    leg = fig.add_axes((0.6, 0.1, 0.38, 0.8))
    leg.axis("off")
    n = len(s.values)
    for i, (c, t) in enumerate(zip(data.categories, s.texts, strict=True)):
        y = 0.5 + (n / 2 - i - 0.5) * 0.22
        leg.add_patch(__import__("matplotlib.patches", fromlist=["Rectangle"]).Rectangle(
            (0, y - 0.04), 0.08, 0.08, color=colors[i % len(colors)], transform=leg.transAxes))
        leg.text(0.12, y, c, va="center", fontsize=theme.chart.label_size, transform=leg.transAxes)
        leg.text(0.98, y, t + ("%" if data.unit == "%" else data.unit), va="center", ha="right",
                 transform=leg.transAxes, **_label_kw(theme, fams))
