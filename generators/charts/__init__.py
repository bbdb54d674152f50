"""ChartData → matplotlib figure → SVG (vector, for the PDF) or PNG (≥300 dpi, for DOCX); rendered once per spec."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path
from typing import Any

from generators import chartkinds
from generators.fonts import family_name
from generators.model import ChartData
from generators.theme import Theme

MM = 1 / 25.4
# The drawing code is part of every cache key: changing how charts are drawn invalidates the cache.
_SOURCE_HASH = hashlib.sha256(b"".join(
    (Path(__file__).parent / f).read_bytes() for f in ("__init__.py", "draw.py"))).hexdigest()


class ChartRenderer:
    """Renders charts in the theme's look; identical requests are served from a cache."""

    def __init__(self, theme: Theme, cache_dir: Path | None = None, font_cache: Path | None = None):
        self.theme = theme
        self.cache_dir = cache_dir
        self.font_cache = font_cache  # where parsed font tables are kept (the glyph checks read them from there)
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
        from generators.charts.style import matplotlib_version

        # The renderer's own source is part of the key: changing how charts are drawn invalidates the cache.
        blob = repr((data, fmt, w, h, self.theme.model_dump(mode="json", exclude={"font_dir", "chart_style"}),
                     matplotlib_version(), _SOURCE_HASH)).encode()
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
        from generators.charts.mplenv import add_fonts, forget_missing, isolate

        if self._ready:
            forget_missing()  # a long-lived process (the web server): fonts of a project folder since removed
            return

        isolate(self.cache_dir.parent if self.cache_dir else None)  # build/cache/matplotlib, no matplotlibrc
        import matplotlib

        matplotlib.use("Agg", force=True)
        t = self.theme
        add_fonts([t.font_path(f) for f in sorted({t.role("caption").print, t.role("figure").print})])  # the chart faces
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
        from generators.fonts import covered

        t = self.theme
        texts = [data.unit, *data.categories, *(s.label for s in data.series), *(x for s in data.series for x in s.texts)]
        problems = []
        for role in ("caption", "figure"):
            have = covered(t.font_path(t.role(role).print), self.font_cache)  # not parsed in every worker
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
                chartkinds.get(data.kind).drawing()(fig, data, self.theme, self.families())
                buf = io.BytesIO()
                if fmt == "svg":
                    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
                else:
                    fig.savefig(buf, format="png", dpi=self.theme.chart.dpi,
                                metadata={"Software": None}, pil_kwargs={"compress_level": 3})
                return buf.getvalue()
            finally:
                plt.close(fig)
