"""Which years can be built, and why: the one rule that check, build, the page and the scheduled run read.

A year's edition can be built when its texts' edition-relative figures (`@Y`) are all there (complete), or when
some are there: the rest are unpublished and follow settings.yaml's `unpublished` policy, never a blocker by
themselves. The year built when none is asked for is the newest one that is complete or has an imported
statistical bulletin; a year with only some figures and no bulletin (an article's "目前" figures) is built
only when asked for. A year without any `@Y` figure cannot be built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generators.load import refs as R
from generators.load.textcheck import _relative_year_refs

if TYPE_CHECKING:
    from generators.load.records import Dataset

COMPLETE, BULLETIN, PARTIAL, NONE = "complete", "bulletin", "partial", "none"


@dataclass(frozen=True)
class YearStatus:
    """One year: can its edition be built, is it chosen when no year is asked for, and the reason in Chinese."""

    year: int
    state: str  # complete | bulletin | partial | none
    need: int  # distinct `@Y` figures (indicator, scope) the texts use
    have: int  # of those, how many have a record for this year
    missing: tuple[str, ...] = field(default=())  # "indicator" or "indicator/scope" without a record
    bulletin: bool = False  # a statistical bulletin is imported for this year

    @property
    def buildable(self) -> bool:
        return self.state != NONE

    @property
    def default(self) -> bool:
        """Eligible as the edition built when no year is asked for."""
        return self.state in (COMPLETE, BULLETIN)

    @property
    def reason(self) -> str:
        y, gap = self.year, self.need - self.have
        if self.state == COMPLETE:
            return f"可以生成：文字和图表中的 {self.need} 个“@Y”数字在 {y} 年都有值"
        if self.state == BULLETIN:
            return (f"可以生成：已导入 {y} 年统计公报，{self.need} 个“@Y”数字中 {self.have} 个有值，"
                    f"其余 {gap} 个未公布，按 settings.yaml 的 unpublished 规则处理")
        if self.state == PARTIAL:
            return (f"可以生成，但需指定该年：{y} 年没有导入统计公报，{self.need} 个“@Y”数字只有 {self.have} 个有值"
                    f"（其余 {gap} 个按 unpublished 规则处理），所以不会自动选为版本年份")
        return f"不能生成：文字和图表中的 {self.need} 个“@Y”数字在 {y} 年都没有值"

    def as_dict(self) -> dict:
        return {"year": self.year, "state": self.state, "buildable": self.buildable, "default": self.default,
                "need": self.need, "have": self.have, "missing": list(self.missing), "bulletin": self.bulletin,
                "reason": self.reason}


def bulletin_years(ds: Dataset) -> list[int]:
    """Years with figures from a statistical bulletin (a source of kind 统计公报, as `reportgen import` adds)."""
    kinds = {k for k, v in ds.sources.items() if str(v.get("kind") or "") == "统计公报"}
    return sorted({f.year for f in ds.figures.values() if f.year is not None and f.source in kinds})


def year_statuses(ds: Dataset) -> list[YearStatus]:
    """Every year that has figures or a bulletin, newest first, with whether and why it can be built (worked
    out once per loaded data set: choosing the year, check, build and the page all ask)."""
    key = (len(ds.figures), len(ds.sources), len(ds.raw_texts))
    cached = ds.__dict__.get("_year_statuses")
    if cached is not None and cached[0] == key:
        return list(cached[1])
    out = _statuses(ds)
    ds.__dict__["_year_statuses"] = (key, tuple(out))
    return out


def _statuses(ds: Dataset) -> list[YearStatus]:
    rel = _relative_year_refs(ds)
    needed = sorted({(r.indicator, r.scope) for r in rel if r.period == "Y" and r.indicator in ds.indicators})
    bulletins = set(bulletin_years(ds))
    out = []
    for year in sorted(set(ds.years()) | bulletins, reverse=True):
        have = [k for k in needed if (k[0], str(year), k[1]) in ds.figures]
        missing = tuple(ind + (f"/{scope}" if scope else "") for ind, scope in needed if (ind, scope) not in have)
        out.append(YearStatus(year, _state(ds, rel, year, bool(have) or not needed, year in bulletins),
                              len(needed), len(have), missing, year in bulletins))
    return out


def _state(ds: Dataset, rel: list[R.Ref], year: int, some: bool, bulletin: bool) -> str:
    try:
        for r in rel:
            ds.find(r, year)
        return COMPLETE
    except ValueError:
        pass
    if not some:
        return NONE
    return BULLETIN if bulletin else PARTIAL


def status_of(ds: Dataset, year: int) -> YearStatus:
    """The status of one year, also of a year without any figure (then it cannot be built)."""
    for s in year_statuses(ds):
        if s.year == year:
            return s
    rel = {(r.indicator, r.scope) for r in _relative_year_refs(ds) if r.period == "Y" and r.indicator in ds.indicators}
    return YearStatus(year, NONE, len(rel), 0, tuple(sorted(i + (f"/{s}" if s else "") for i, s in rel)))


def default_year(ds: Dataset) -> int | None:
    """The edition built when no year is asked for: the newest complete or bulletin year."""
    return next((s.year for s in year_statuses(ds) if s.default), None)


def summary_lines(ds: Dataset) -> list[str]:
    """Each year and its reason, as check, build --year and the page show them."""
    return [f"{s.year}年：{s.reason}" for s in year_statuses(ds)]
