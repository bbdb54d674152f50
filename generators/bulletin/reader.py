"""One bulletin file → the yearly figures it publishes, each with the sentence it came from, or why it is blank."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from generators.bulletin.aliases import load_specs
from generators.bulletin.extract import extract
from generators.bulletin.match import Candidate, candidates, subject_values
from generators.bulletin.tables import table_candidates
from generators.bulletin.text import Sentence, clean_lines, halfwidth, mark_other_years, sentences
from generators.errors import InputError, Problem
from generators.load.records import Indicator
from generators.load.textio import shown

NOT_FOUND = "公报中未找到"
TITLE_WITHIN = 800  # the title stands at the top (after a web page's navigation at most), not cited further on
_TITLE = re.compile(r"(\d{4})年(?:度)?(?P<place>[\u4e00-\u9fff]{2,4}?(?:县|市|区|旗))?"
                    r"(?:国民经济和社会发展|国民经济与社会发展)?统计公报")
_YEAR_FIRST = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)])?(?:全县)?(\d{4})年")
_OTHER_PLACE = re.compile(r"([\u4e00-\u9fff]{2,3}(?:县|市|区|旗))$")


@dataclass
class Reading:
    """What a bulletin gave: a candidate per found indicator, a reason per blank one (catalogue order)."""

    file: str
    year: int
    title: str
    found: dict[str, Candidate] = field(default_factory=dict)
    blank: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # indicator id → its catalogue name

    def cell(self, indicator: str) -> tuple[str, str, str] | None:
        """(cell text, unit as printed, source sentence) of a found indicator, else None."""
        c = self.found.get(indicator)
        return None if c is None else (c.text, c.unit, c.sentence.printed)


def read_bulletin(path: Path, indicators: dict[str, Indicator], data: Path, year: int, county: str) -> Reading:
    """Read `path` for `year`'s yearly figures; InputError (nothing found, wrong year or county, no text)."""
    specs = load_specs(data, indicators)
    got = extract(path)
    paragraphs = clean_lines(got.lines)
    title = _check_title(path, paragraphs, year, county)
    said = mark_other_years([s for s in sentences(paragraphs) if not _other_year(s, year)], year)
    reading = Reading(shown(path), year, title)
    by_id = {s.indicator: s for s in specs}
    in_tables = table_candidates(specs, said, year)
    subjects = {s.index: subject_values(specs, s) for s in said if "分别" in s.work}
    for ind in indicators.values():
        if not ind.yearly:
            continue
        reading.names[ind.id] = ind.name
        spec = by_id.get(ind.id)
        if spec is None:
            reading.blank[ind.id] = NOT_FOUND + "（data/bulletin-aliases.yaml 中没有这个指标的说法）"
            continue
        _decide(reading, ind, candidates(spec, said, subjects) + in_tables.get(ind.id, []))
    return reading


def _other_year(s: Sentence, year: int) -> bool:
    """A sentence about another year (“2024年全县地区生产总值为…”) gives none of this year's figures."""
    m = _YEAR_FIRST.match(s.work)
    return m is not None and int(m.group(1)) != year


def _decide(reading: Reading, ind: Indicator, found: list[Candidate]) -> None:
    """One value when every candidate agrees; blank, with both values and their sentences, when they differ."""
    if not found:
        reading.blank[ind.id] = NOT_FOUND
        return
    values = {c.value for c in found}
    if len(values) == 1:
        reading.found[ind.id] = found[0]
        return
    seen: dict[object, Candidate] = {}
    for c in found:
        seen.setdefault(c.value, c)
    listed = "；".join(f"“{c.text}{c.unit}”（{_quote(c.sentence)}）" for c in seen.values())
    reading.blank[ind.id] = f"{NOT_FOUND}（公报中有不同的数字，无法确定是哪一个：{listed}）"


def _quote(s: Sentence, limit: int = 60) -> str:
    return s.printed if len(s.printed) <= limit else s.printed[:limit] + "……"


def _check_title(path: Path, paragraphs: list[str], year: int, county: str) -> str:
    """The bulletin's title; InputError when the file is not a statistics bulletin, or of another year or county."""
    where = shown(path)
    text = halfwidth("\n".join(paragraphs))
    expected = f"{county}{year}年国民经济和社会发展统计公报"
    m = next((t for t in _TITLE.finditer(text, 0, TITLE_WITHIN + 60) if t.start() < TITLE_WITHIN
              and not text[max(0, t.start() - 12):t.start()].rstrip().endswith("《")
              and "《" not in text[max(0, t.start() - 12):t.start()]), None)  # a title, not a citation of one
    if m is None:
        found = next((p for p in paragraphs if p.strip()), "（没有文字）")[:40]
        raise InputError(Problem(where, message="不像统计公报：没有找到“…年国民经济和社会发展统计公报”这样的标题",
                                 expected=expected, found=found))
    before = text[max(0, m.start() - 12):m.start()].rstrip()
    title = text[max(0, m.start() - len(county)):m.end()] if before.endswith(county) else m.group(0)
    if int(m.group(1)) != year:
        raise InputError(Problem(where, message=f"这是{m.group(1)}年的统计公报，要填的是{year}年",
                                 expected=expected, found=title))
    place = m.group("place")
    if place:  # “2025年××县国民经济和社会发展统计公报”
        if not place.endswith(county):
            raise InputError(Problem(where, message=f"这是{place}的统计公报，不是{county}的", expected=expected,
                                     found=m.group(0)))
        return m.group(0)
    if not before.endswith(county):
        other = _OTHER_PLACE.search(before)
        if other is not None:
            raise InputError(Problem(where, message=f"这是{other.group(1)}的统计公报，不是{county}的",
                                     expected=expected, found=other.group(1) + m.group(0)))
        if county not in text:
            raise InputError(Problem(where, message=f"公报中没有出现“{county}”，不像{county}的统计公报",
                                     expected=expected, found=m.group(0)))
    return title if title.startswith(county) else county + m.group(0)
