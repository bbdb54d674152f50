"""data/settings.yaml for the yearly update: the county's name, the bulletin's id and title, review thresholds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generators.errors import InputError, Problem
from generators.load.textio import line_of, read_yaml, shown

DEFAULT_TITLE = "{county}{year}年统计公报"


def source_id(year: int) -> str:
    """The sources.yaml id of a year's statistical bulletin."""
    return f"bulletin{year}"


@dataclass(frozen=True)
class Settings:
    """What the yearly commands say about the county; no county text lives in code."""

    county: str = ""
    bulletin_title: str = DEFAULT_TITLE
    review_pct: str = "50"  # levels: flag a change beyond this many per cent
    review_points: str = "5"  # rates and shares: flag a change beyond this many 百分点

    def source_title(self, year: int) -> str:
        """The bulletin's title for `year`, e.g. "某县2025年国民经济和社会发展统计公报"."""
        return self.bulletin_title.format(county=self.county, year=year)


def load_settings(root: Path) -> Settings:
    """Read ROOT/data/settings.yaml (line-tracking loader); defaults when the file is absent."""
    from generators.load.dataset import read_settings

    path = root / "data" / "settings.yaml"
    if not path.is_file():
        return Settings()
    raw = read_yaml(path)
    if raw is None:
        return Settings()
    if not isinstance(raw, dict):
        raise InputError(Problem(shown(path), line_of(raw, default=1), message="设置文件的结构不对",
                                 expected="“键: 值”形式，如 county: 县名、bulletin_title: 公报标题",
                                 found="列表" if isinstance(raw, list) else f"一行文字 {raw}"))
    values = read_settings(root / "data")  # the same schema as `check`: one rule for the file's shape and values
    review = values.get("review") or {}
    return Settings(county=values.get("county", ""), bulletin_title=values.get("bulletin_title") or DEFAULT_TITLE,
                    review_pct=_plain(review.get("levels_pct", 50)), review_points=_plain(review.get("rates_points", 5)))


def _plain(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)
