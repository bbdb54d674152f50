"""The records of the validated data set: Indicator, Figure, and the Dataset that holds them with its look-ups.

Data types only (no reading, no checks): every module of load/ and everything above it can use them without
importing the loader (load/dataset.py), so the loader's helpers never import it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from generators.errors import did_you_mean
from generators.load import refs as R
from generators.load import specs as S
from generators.load import specs_files as SF

SpecT = TypeVar("SpecT", bound=S.Spec)


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    unit: str
    decimals: int
    category: str
    growth: str
    growth_indicator: str
    yearly: bool
    description: str
    file: str
    line: int


@dataclass(frozen=True)
class Figure:
    indicator: str
    period: str
    scope: str
    text: str  # the value as written
    value: Decimal
    unit: str
    source: str
    section: str
    note: str
    file: str
    line: int

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.indicator, self.period, self.scope)

    @property
    def year(self) -> int | None:
        return int(self.period) if len(self.period) == 4 else None

    def ref(self) -> str:
        return f"{self.indicator}@{self.period}" + (f"/{self.scope}" if self.scope else "")


@dataclass
class Dataset:
    root: Path
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    figures: dict[tuple[str, str, str], Figure] = field(default_factory=dict)
    charts: dict[str, S.ChartSpec] = field(default_factory=dict)
    derived: list[S.DerivedSpec] = field(default_factory=list)
    # The products' own text files (generators/products.py `text`), by stem: each checked against its schema.
    texts: dict[str, S.Spec] = field(default_factory=dict)
    yaml_cache: Path | None = None  # where parsed YAML is kept between runs (build/cache/yaml), None: parse afresh
    briefings: dict[str, S.BriefingSpec] = field(default_factory=dict)
    # Every block of data/texts/*.yaml by its place ("summary#industry.2", "deck#economy.review.3", "deck#closing"),
    # and those that carry an `id` also by it ("summary#ecology_air"): the targets of `use`.
    blocks: dict[str, S.BlockSpec | S.ReviewItem] = field(default_factory=dict)
    raw_texts: dict[str, Any] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)  # data/settings.yaml, validated
    # Records whose value is "—" (the source says: not published), by key; never a figure.
    unpublished: dict[tuple[str, str, str], Figure] = field(default_factory=dict)
    # Figures a bulletin record replaced (its note says 以公报为准), by key: kept with their own source.
    superseded: dict[tuple[str, str, str], Figure] = field(default_factory=dict)
    # Edition-year references without a figure, and what each use does about it (see generators/load/gaps.py).
    gaps: list[Any] = field(default_factory=list)
    year: int = 0
    # Briefing specs with an error of their own, set aside (by stem) with their problems: everything else loads,
    # builds and publishes; the command that loaded them reports these at the end (exit 2).
    set_aside: dict[str, list[Any]] = field(default_factory=dict)
    # data/categories.yaml: id → its spec, in the file's order (the order of appendices and workbooks).
    categories: dict[str, SF.CategorySpec] = field(default_factory=dict)
    # data/numbers.yaml: the 期号 and 发文字号 already issued, in the file's order (generators/numbering.py).
    numbers: list[SF.IssuedNumber] = field(default_factory=list)

    # ---- look-ups -------------------------------------------------------

    def text(self, stem: str, spec: type[SpecT]) -> SpecT | None:
        """The loaded text file `stem` (None when it failed to load), as the schema its product declares."""
        loaded = self.texts.get(stem)
        assert loaded is None or isinstance(loaded, spec), (stem, spec)
        return loaded

    def category_name(self, category: str) -> str:
        spec = self.categories.get(category)
        return spec.name if spec else category

    def categories_of(self, ind: Indicator) -> list[str]:
        """The indicator's own category, then every other category it belongs to by id or by a word."""
        out = [ind.category]
        for c in self.categories.values():
            if c.id not in out and (ind.id in c.indicators
                                    or any(w in ind.name or w in ind.description for w in c.words)):
                out.append(c.id)
        return out

    def by_indicator(self, indicator: str) -> list[Figure]:
        return [f for f in self.figures.values() if f.indicator == indicator]

    def years(self) -> list[int]:
        return sorted({f.year for f in self.figures.values() if f.year is not None})

    def find(self, ref: R.Ref, year: int) -> Figure:
        """The one figure a reference names, or a Chinese ValueError."""
        if ref.indicator not in self.indicators:
            raise ValueError(f"引用了不存在的指标“{ref.indicator}”。"
                             + (did_you_mean(ref.indicator, self.indicators) or "请先在 data/indicators/ 中登记"))
        period = ref.resolve_period(year)
        cands = [f for f in self.by_indicator(ref.indicator)
                 if (period is None or f.period == period) and f.scope == ref.scope]
        if len(cands) == 1:
            return cands[0]
        have = "、".join(sorted(f.ref() for f in self.by_indicator(ref.indicator))) or "无"
        if not cands:
            raise ValueError(f"引用“{ref}”找不到对应的数字（年份 {period or '未指定'}）；该指标现有：{have}")
        raise ValueError(f"引用“{ref}”不唯一，请写明年份或口径；该指标现有：{have}")

    def series(self, indicator: str, periods: list[str] | None = None) -> list[Figure]:
        figs = [f for f in self.by_indicator(indicator) if not f.scope]
        if periods:
            wanted = list(periods)
            return [f for p in wanted for f in figs if f.period == p]
        return sorted((f for f in figs if f.year is not None), key=lambda f: f.period)
