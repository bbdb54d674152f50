"""Schemas of the project's own files in data/: settings.yaml, sources.yaml, categories.yaml, numbers.yaml
(the texts' and briefings' schemas are in load/specs.py)."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator

from generators.load.specs import BriefingSpec, Policy, Spec, Text


class CategorySpec(Spec):
    """One indicator category of data/categories.yaml: its id (the indicators' `category` column), its name,
    and which other indicators also belong to it (by words in their name or description, or by id)."""

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    name: Annotated[str, Field(min_length=1, max_length=20)]
    words: list[Annotated[str, Field(min_length=1)]] = []
    indicators: list[str] = []


class CategoriesFile(Spec):
    categories: list[CategorySpec] = Field(min_length=1)


Scalar = str | int  # a YAML value people write either way (`covers: 2024` or `covers: "2021-2025"`)


class SourceSpec(Spec):
    """One entry of data/sources.yaml."""

    title: Text = Field(min_length=1)
    short: Text | None = None
    kind: Text | None = None
    file: str | None = None
    credits: Text | None = None
    covers: Scalar | None = None
    publisher: Text | None = None
    date: Scalar | None = None
    url: str | None = None


class UnpublishedSpec(Spec):
    """What each kind of use does with a figure not published for the edition year."""

    text: Policy = "drop"  # the sentence (up to 。；！？) that cites it
    figures: Policy = "earlier"  # a key-figure card: the latest earlier figure, labelled with its year
    chart: Policy = "drop"  # a bar of a chart drawn from refs
    table: Policy = "earlier"  # a row of a figures table (the 时期 column shows its year)


class ReviewSpec(Spec):
    """Yearly import / diff: a change beyond these is flagged for review."""

    levels_pct: float = Field(default=50, ge=0)  # levels: relative change in per cent
    rates_points: float = Field(default=5, ge=0)  # rates and shares (unit %): change in 百分点


class SettingsSpec(Spec):
    """data/settings.yaml: the county's name, the bulletin title pattern, unpublished-figure policy, review."""

    county: Text = Field(min_length=1, max_length=30)
    bulletin_title: Text = Field(default="{county}{year}年统计公报", min_length=1, max_length=80)
    unpublished: UnpublishedSpec = UnpublishedSpec()
    review: ReviewSpec = ReviewSpec()
    display_units: dict[str, str] = {}  # indicator id → the unit texts print it in (e.g. disposable_income: 万元)
    # 版式 → the briefing fields a spec (and the page's form) takes when it does not set them: the 简报's name and
    # 编印单位, the 公文's 发文机关 and 代字, the 报尾/版记 lists the office uses every time.
    briefing_defaults: dict[Literal["简报", "公文", "专题"], dict[str, Scalar | list[str]]] = {}

    @field_validator("briefing_defaults")
    @classmethod
    def _default_fields(cls, v: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        fields = BriefingSpec.model_fields
        for preset, values in v.items():
            for key in values:
                extra = (fields[key].json_schema_extra or {}) if key in fields else {}
                presets = extra.get("presets") if isinstance(extra, dict) else None
                if key not in fields or key in ("title", "sections", "keyfigures", "preset", "status", "file"):
                    raise ValueError(f"briefing_defaults.{preset} 中的“{key}”不是可以预设的简报字段")
                if isinstance(presets, list) and preset not in presets:
                    raise ValueError(f"“{key}”不是{preset}版式的字段（它属于 {'、'.join(map(str, presets))}）")
        return v

    @field_validator("bulletin_title")
    @classmethod
    def _placeholders(cls, v: str) -> str:
        names = re.findall(r"\{([^{}]*)\}", v)
        bad = [n for n in names if n not in ("county", "year")]
        if bad or v.count("{") != len(names) or v.count("}") != len(names):
            raise ValueError(f"标题中只能用 {{county}} 和 {{year}} 两个占位符，实际为“{v}”")
        return v




class IssuedNumber(Spec):
    """One entry of data/numbers.yaml: a 期号 or 发文字号 issued to a briefing (generators/numbering.py)."""

    kind: Literal["期号", "发文字号"]
    series: Annotated[str, Field(min_length=1, max_length=70)]  # the 简报 name (+ ·增刊), or the 机关代字
    year: Annotated[int, Field(ge=1949, le=2100)]
    number: Annotated[int, Field(ge=1, le=99999)]
    briefing: Annotated[str, Field(min_length=1, max_length=120)]  # the spec's name: data/briefings/<name>.yaml


class NumbersFile(Spec):
    issued: list[IssuedNumber] = []

    @field_validator("issued", mode="before")
    @classmethod
    def _none_is_empty(cls, v: Any) -> Any:
        return [] if v is None else v
