"""The fill-in workbook pre-filled from a statistics bulletin: what was read, and the statistician's corrections."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generators.bulletin.reader import NOT_FOUND, Reading, read_bulletin
from generators.errors import InputError, Problem
from generators.load.dataset import load_dataset
from generators.load.numbers import is_unpublished, read_figure
from generators.yearly.common import check_year, ordered
from generators.yearly.settings import Settings, load_settings


@dataclass(frozen=True)
class Prefill:
    """One new-year cell from the bulletin: the digits as printed, their unit, and the sentence they came from.

    `text` None: blank (not found, or blanked by the statistician); `quote` then says why."""

    text: str | None
    unit: str
    quote: str
    start: int = -1  # the number's place in the quote (for highlighting), -1 when not a bulletin span
    end: int = -1


def read_for_year(root: Path, year: int, bulletin: Path, settings: Settings | None = None) -> Reading:
    """Read the bulletin for `year` (checks title, year and county); nothing is written."""
    cfg = settings or load_settings(root)
    check_year(year)
    ds = load_dataset(root / "data", briefings=False)
    return read_bulletin(bulletin, ds.indicators, root / "data", year, cfg.county)


def cells_of(reading: Reading) -> dict[str, Prefill]:
    """Every yearly indicator's cell as the bulletin gives it."""
    out = {}
    for ind, c in reading.found.items():
        out[ind] = Prefill(c.text, c.unit, c.sentence.printed, c.start, c.end)
    for ind, why in reading.blank.items():
        out[ind] = Prefill(None, "", why)
    return out


def rows_of(root: Path, reading: Reading) -> list[dict]:
    """The review table of the 年度更新 page: one row per yearly indicator, in the workbook's order."""
    ds = load_dataset(root / "data", briefings=False)
    cells = cells_of(reading)
    rows = []
    for ind in ordered(ds, [i for i in ds.indicators.values() if i.yearly]):
        cell = cells.get(ind.id, Prefill(None, "", NOT_FOUND))
        rows.append({"indicator": ind.id, "name": ind.name, "unit": ind.unit, "value": cell.text,
                     "value_unit": cell.unit or ind.unit, "quote": cell.quote, "start": cell.start,
                     "end": cell.end, "found": cell.text is not None})
    return rows


def corrected(root: Path, reading: Reading, decisions: dict[str, dict]) -> dict[str, Prefill]:
    """The cells after the statistician's review: per indicator {"action": "accept"|"correct"|"blank",
    "value": …, "unit": …}; a corrected value is checked like a workbook cell (InputError naming the row)."""
    ds = load_dataset(root / "data", briefings=False)
    cells = cells_of(reading)
    problems: list[Problem] = []
    for ind_id, d in decisions.items():
        ind = ds.indicators.get(ind_id)
        if ind is None or not ind.yearly:
            problems.append(Problem("公报核对表", field=ind_id, message="不是年度指标"))
            continue
        action = d.get("action", "accept")
        was = cells.get(ind_id, Prefill(None, "", NOT_FOUND))
        if action == "blank":
            cells[ind_id] = Prefill(None, "", "核对时留空（公报原文：" + was.quote + "）" if was.text else was.quote)
        elif action == "correct":
            text = str(d.get("value") or "").strip()
            unit = str(d.get("unit") or was.unit or ind.unit)
            problem = _check_value(ind_id, ind.name, text, unit, ind.unit)
            if problem:
                problems.append(problem)
                continue
            cells[ind_id] = Prefill(None if is_unpublished(text) else text, unit,
                                    "核对时改填" + ("（公报原文：" + was.quote + "）" if was.text else ""))
        elif action != "accept":
            problems.append(Problem("公报核对表", field=ind_id, expected="accept、correct 或 blank", found=str(action)))
    if problems:
        raise InputError(problems)
    return cells


def _check_value(ind_id: str, name: str, text: str, unit: str, catalogue_unit: str) -> Problem | None:
    from generators import units

    if not units.known(unit) or not units.convertible(unit, catalogue_unit):
        return Problem("公报核对表", field=f"{ind_id} {name}", message="单位不认识或不能换算为指标目录的单位",
                       expected=f"{catalogue_unit}或可换算的单位", found=unit)
    if is_unpublished(text):
        return None
    try:
        read_figure(text, unit)
    except ValueError as exc:
        return Problem("公报核对表", field=f"{ind_id} {name}", message=str(exc),
                       expected="数字，按公报原样（如 484.8、6.62）", found=text)
    return None
