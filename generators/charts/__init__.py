"""ChartData → matplotlib figure → SVG (vector, for the PDF) or PNG (≥300 dpi, for DOCX); rendered once per spec."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path
from typing import Any

from generators.fonts import family_name
from generators.model import ChartData
from generators.theme import Theme
from generators.typography import NO_LINE_END as _NO_LINE_END
from generators.typography import NO_LINE_START as _NO_LINE_START

MM = 1 / 25.4
_SOURCE_HASH = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


class ChartRenderer:
    """Renders charts in the theme's look; identical requests are served from a cache."""

    def __init__(self, theme: Theme, cache_dir: Path | None = None):
        self.theme = theme
        self.cache_dir = cache_dir
        self._memo: dict[str, bytes] = {}
        self._ready = False

    # ---- public ---------------------------------------------------------
    def svg(self, data: ChartData, width_mm: float | None = None, height_mm: float | None = None) -> bytes:
        return self._render(data, "svg", width_mm, height_mm)

    def png(self, data: ChartData, width_mm: float | None = None, height_mm: float | None = None) -> bytes:
        return self._render(data, "png", width_mm, height_mm)

    def families(self) -> dict[str, str]:
        """Role → font family name the rendered charts use (the PDF writer registers the same names)."""
        t = self.theme
        return {r: family_name(t.font_path(t.role(r).print)) for r in ("caption", "figure", "body")}

    # ---- internals ------------------------------------------------------
    def _key(self, data: ChartData, fmt: str, w: float, h: float) -> str:
        from importlib.metadata import version  # not `import matplotlib`: a cache hit must not pay for it

        # The renderer's own source is part of the key: changing how charts are drawn invalidates the cache.
        blob = repr((data, fmt, w, h, self.theme.model_dump(mode="json", exclude={"font_dir", "chart_style"}),
                     version("matplotlib"), _SOURCE_HASH)).encode()
        return hashlib.sha256(blob).hexdigest()

    def _render(self, data: ChartData, fmt: str, width_mm: float | None, height_mm: float | None) -> bytes:
        w = width_mm or self.theme.chart.width_mm
        h = height_mm or self.theme.chart.height_mm
        key = self._key(data, fmt, w, h)
        if key in self._memo:
            return self._memo[key]
        cached = self.cache_dir / f"{key}.{fmt}" if self.cache_dir else None
        if cached and cached.is_file():
            out = cached.read_bytes()
        else:
            out = self._draw(data, fmt, w, h)
            if cached:
                cached.parent.mkdir(parents=True, exist_ok=True)
                tmp = cached.with_suffix(f".{fmt}.tmp{os.getpid()}-{id(out)}")  # workers may race on one chart
                tmp.write_bytes(out)
                tmp.replace(cached)
        self._memo[key] = out
        return out

    def _setup(self) -> None:
        if self._ready:
            return
        from generators.charts.mplenv import isolate

        isolate(self.cache_dir.parent if self.cache_dir else None)  # build/cache/matplotlib, no matplotlibrc
        import matplotlib

        matplotlib.use("Agg", force=True)
        from matplotlib import font_manager

        t = self.theme
        for f in {t.role("caption").print, t.role("figure").print}:  # only the faces charts use
            font_manager.fontManager.addfont(str(t.font_path(f)))
        self._ready = True

    def _rc(self) -> dict:
        t = self.theme
        fams = self.families()
        return {
            # One family only: SVG consumers (svglib) do not resolve family lists; coverage is checked instead.
            "font.family": [fams["caption"]],
            "font.size": t.chart.tick_size,
            "axes.unicode_minus": False,
            "svg.fonttype": "none",
            "svg.hashsalt": "reportgen",
            "pdf.fonttype": 42,
            "axes.edgecolor": t.palette.rule,
            "axes.labelcolor": t.palette.muted,
            "xtick.color": t.palette.ink,
            "ytick.color": t.palette.ink,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": False,
            "figure.dpi": 100,
        }

    def _check_glyphs(self, data: ChartData) -> None:
        from generators.errors import InputError, Problem
        from generators.fonts import cmap

        t = self.theme
        texts = [data.unit, *data.categories, *(s.label for s in data.series), *(x for s in data.series for x in s.texts)]
        problems = []
        for role in ("caption", "figure"):
            have = cmap(t.font_path(t.role(role).print))
            for text in texts:
                bad = sorted({c for c in text if ord(c) not in have and not c.isspace()})
                if bad:
                    problems.append(Problem(f"data/charts.yaml（图表 {data.id}）", message=(
                        f"图表字体 {t.role(role).print} 缺字 " + "、".join(f"“{c}”(U+{ord(c):04X})" for c in bad)
                        + f"；所在文字：“{text}”。请改用常用字，或在主题中换用含该字的字体")))
        if problems:
            raise InputError(problems)

    def _draw(self, data: ChartData, fmt: str, w: float, h: float) -> bytes:
        self._setup()
        self._check_glyphs(data)
        import matplotlib.pyplot as plt

        # The style file's settings were checked against an allow-list when the theme was loaded.
        # "default" first: matplotlib's own defaults, not whatever a matplotlibrc (project, home, $MATPLOTLIBRC) set.
        style: list[str | dict[str, Any]] = ["default"]
        if self.theme.chart_style:
            style.append(dict(self.theme.chart_rc))
        with plt.style.context(style), plt.rc_context(self._rc()):
            fig = plt.figure(figsize=(w * MM, h * MM))
            try:
                draw = {"column": _column, "line": _line, "bar": _bar, "growth": _bar,
                        "before_after": _before_after, "composition": _composition}[data.kind]
                draw(fig, data, self.theme, self.families())
                buf = io.BytesIO()
                if fmt == "svg":
                    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
                else:
                    fig.savefig(buf, format="png", dpi=self.theme.chart.dpi,
                                metadata={"Software": None}, pil_kwargs={"compress_level": 3})
                return buf.getvalue()
            finally:
                plt.close(fig)


# ---- drawing helpers ------------------------------------------------------

def _wrap(label: str, width: int) -> str:
    """Balanced lines for CJK labels: 12 chars at width 9 become 6 + 6, never 9 + 3."""
    if len(label) <= width:
        return label
    lines = -(-len(label) // width)
    per = -(-len(label) // lines)
    out, start = [], 0
    while start < len(label):
        end = min(start + per, len(label))
        while end < len(label) and (label[end] in _NO_LINE_START or label[end - 1] in _NO_LINE_END):
            end += 1  # keep closing punctuation on this line, opening punctuation on the next
        out.append(label[start:end])
        start = end
    return "\n".join(out)


def _label_kw(theme: Theme, fams: dict[str, str], color: str | None = None) -> dict:
    return {"fontsize": theme.chart.label_size, "family": fams["figure"], "fontweight": "bold",
            "color": color or theme.palette.ink}


def _unit_title(ax, data: ChartData, theme: Theme, axis: str = "y") -> None:
    text = f"单位：{data.unit}" if data.unit else ""
    if axis == "y":
        ax.set_ylabel(text, fontsize=theme.chart.tick_size, color=theme.palette.muted)
    else:
        ax.set_xlabel(text, fontsize=theme.chart.tick_size, color=theme.palette.muted)


def _column(fig, data: ChartData, theme: Theme, fams: dict[str, str]) -> None:
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


def _line(fig, data: ChartData, theme: Theme, fams: dict[str, str]) -> None:
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


def _bar(fig, data: ChartData, theme: Theme, fams: dict[str, str]) -> None:
    longest = max(len(c) for c in data.categories)
    wrap = 9 if longest > 9 else longest
    left = min(0.42, 0.06 + 0.022 * wrap * theme.chart.tick_size / 9)
    ax = fig.add_axes((left, 0.16, 0.96 - left - 0.08, 0.78))
    s = data.series[0]
    n = len(data.categories)
    ys = list(range(n))[::-1]
    colors = theme.palette.chart
    bar_colors = [colors[0]] * n if data.kind == "bar" else [colors[0] if v >= 0 else colors[2] for v in s.values]
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


def _before_after(fig, data: ChartData, theme: Theme, fams: dict[str, str]) -> None:
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
        change = (b - a) / a * 100
        text = f"{'+' if change >= 0 else '−'}{abs(change):.1f}%" if abs(change) < 1000 else f"×{b / a:.1f}"
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


def _composition(fig, data: ChartData, theme: Theme, fams: dict[str, str]) -> None:
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
