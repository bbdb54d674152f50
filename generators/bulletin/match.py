"""Which number of which sentence is which indicator's figure: by wording, unit and sentence structure.

Each wording (data/bulletin-aliases.yaml) is looked up in every sentence; what follows it must have one of the
shapes a bulletin uses for a figure, checked by a pattern anchored right after the wording:
  level   “地区生产总值（GDP）493.27亿元”, “…达到185家”, “由上年的134家增加到152家” (the value after 增加到),
          “比上年末增加18家，达到152家” (18 is a change, never the count); the unit must convert to the catalogue's.
  growth  “…493.27亿元，按可比价格计算，比上年增长6.6%”, “下降2.1%” → -2.1; “分别增长a%和b%” by position.
  ratio   “三次产业结构由上年的17.2:30.5:52.3调整为16.7:30.1:53.2” → the parts after 调整为.
A wording right after a not_after word (城镇/农村 before 居民…, 新增, 人均, 其中 …) does not count. Every
candidate is kept; an indicator whose candidates disagree is left blank with the reason, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from generators import units
from generators.bulletin.aliases import GAP, Spec
from generators.bulletin.text import Sentence

GAP_CHARS = 30
# Units a bulletin prints after a number, longest first ("个百分点" before "个", "万人次" before "万人").
_UNIT_WORDS = sorted(["个百分点", "百分点", "%", "‰", "亿元", "万元", "元", "万人次", "人次", "万人", "人", "万户", "户",
                      "万家", "家", "万个", "个", "万吨", "吨", "万亩", "亩", "公顷", "天", "倍", "项", "座", "所", "辆",
                      "名", "条", "公里", "平方公里", "万平方米", "平方米", "亿千瓦时", "万千瓦时", "千瓦时", "万千瓦", "千瓦",
                      "微克/立方米", "万立方米", "立方米", "岁", "张", "台", "处", "次", "类", "亿块", "万块", "块",
                      "万", "亿"],  # bare: “旅游接待人次485.6万” — the rest of the unit is in the wording
                     key=len, reverse=True)
UNIT = "|".join(re.escape(u) for u in _UNIT_WORDS)
NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# A bracket after a wording — （GDP）, (含高新区), a footnote mark [2] or 〔1〕 — is passed over.
_PAREN = r"(?:（[^）]{0,30}）|\([^)]{0,30}\)|\[\d{1,2}\]|〔\d{1,2}〕|［\d{1,2}］){0,2}"
_VERB = "达到了|达到|共计|共有|合计|实现|完成|增至|增加到|提高到|提高至|上升到|上升至|提升至|提升到|为|达|有"
_TO = ("调整为|提高到|提高至|增加到|增加至|增长到|增长至|增至|上升到|上升至|提升至|提升到|下降到|下降至|降至|降低到|"
       "降低至|减少到|减少至|达到|变为")
# What may stand between a wording and its value: (GDP), 总数, then 达到/为/实现…, or a from-to / change / threshold
# clause whose own number is never the value (由上年的134家增加到, 比上年末增加18家，达到, 首次突破500亿元，达到).
_LEAD = (rf"{_PAREN}(?:总数|总量|总额|数量|规模|户数|家数|个数|额)?"
         rf"(?:由(?:上年末?|去年末?|\d{{4}}年末?)?的?{NUM}(?:{UNIT})?(?:{_TO})"
         rf"|(?:比上年末?|较上年末?)?(?:增加|减少|净增|新增|多|少)了?{NUM}(?:{UNIT})[，,](?:总数|总量|总额)?(?:{_VERB})"
         rf"|(?:首次)?(?:突破|超过|跨越|跨上)(?:{NUM}(?:{UNIT})|[百千万亿]+元)(?:大关)?[，,]?(?:{_VERB})"
         rf"|(?:{_VERB}))?")
_LEVEL = re.compile(rf"{_LEAD}(?P<num>{NUM})(?P<unit>{UNIT})")
_SINCE = r"(?:比上年同期|比上年|较上年|比去年|比\d{4}年|同比|与上年相比)?"
_GROWTH = re.compile(
    rf"(?:{_LEAD}{NUM}(?:{UNIT}){_PAREN}[，,、]?)?"
    r"(?:按(?:可比|不变)价格?计算[，,]?|按可比口径计算[，,]?|扣除价格因素[，,]?|按现价计算[，,]?)?"
    rf"{_SINCE}(?:实际|名义|可比|现价)?(?P<verb>增长|增加|下降|减少|回落|提高|降低|增速为|增速达|增速|增幅为|增幅达|增幅)了?"
    rf"{_PAREN}(?P<num>-?{NUM})%")
_BOTH = re.compile(rf"分别{_SINCE}(?P<verb>增长|下降|增加|减少)(?P<list>-?{NUM}%(?:(?:[、，,]|和|及|与)-?{NUM}%)+)")
# 16.8:30.3:52.9 (∶ and ： made :), or as shares: 21.35%、27.92%和50.73%
_RATIO = re.compile(rf"(?<![\d.])(?<!\d:)(?P<p>{NUM}(?::{NUM}){{2,4}}(?![\d:])|{NUM}%(?:[、,，]{NUM}%){{1,3}}(?:和|及|、){NUM}%)")
_RATIO_TO = re.compile(r"(?:调整为|优化为|变为|调整到|调整至|转变为|演变为|提升为)$")
_GAP_BREAK = re.compile(r"其中|中[，,]|[、；;]")  # a gap in a wording never spans a part-of list (“规上服务业中，…”)
_CHANGE = ("新增", "净增", "新认定", "新培育", "新入", "新", "认定", "新引进", "引进")  # before a wording: what follows is a change
_TOTAL = re.compile(rf"{_PAREN}{NUM}(?:{UNIT})[，,](?:全县|年末)?(?:总数|总量|累计|共有|共计|总计)(?:{_VERB})?"
                    rf"(?P<num>{NUM})(?P<unit>{UNIT})")
_NEGATIVE = ("下降", "减少", "回落", "降低")
_NOT_ALONE = ("以上", "左右", "余", "多")  # “100亿元以上”, “约…左右”: not an exact figure


@dataclass(frozen=True)
class Candidate:
    indicator: str
    text: str  # the cell text: the digits as printed, "-" before a decline
    unit: str  # the unit as printed
    value: Decimal  # in the catalogue unit, for comparing candidates
    sentence: Sentence
    start: int  # the number's span in the sentence
    end: int


def occurrences(sentence: Sentence, name: str, not_after: tuple[str, ...],
                not_in_clause: tuple[str, ...] = ()) -> list[tuple[int, int, str]]:
    """Spans of a wording in a sentence (“A…B…C”: each part within 30 characters of the one before), each with
    the not_after word it stands right after, or the not_in_clause word earlier in its clause ("" when none)."""
    work = sentence.work
    parts = [p.strip() for p in name.split(GAP) if p.strip()]
    out = []
    start = work.find(parts[0])
    while start >= 0:
        end = start + len(parts[0])
        for part in parts[1:]:
            at = work.find(part, end, end + GAP_CHARS + len(part))
            if at < 0 or _GAP_BREAK.search(work, end, at):
                end = -1
                break
            end = at + len(part)
        if end >= 0:
            why = _after_excluded(work[:start], not_after) or _in_clause(work[:start], not_in_clause)
            if not why and 0 <= sentence.other_year < start:
                why = "year"  # “最终核实2024年全县生产总值为…”: another year's figure
            out.append((start, end, why))
        start = work.find(parts[0], start + 1)
    return out


def spans(sentence: Sentence, names: tuple[str, ...], not_after: tuple[str, ...],
          not_in_clause: tuple[str, ...] = ()) -> list[tuple[int, int, str]]:
    """Where any of the wordings stands, each with why it does not count ("" when it does). A wording inside a
    longer one shares its fate: “生产总值” inside “人均地区生产总值” is judged as “地区生产总值”, excluded by 人均;
    “高新技术企业” inside “高新技术企业数量达到168家” is tried as well as “高新技术企业数”."""
    found = {o for name in names for o in occurrences(sentence, name, not_after, not_in_clause)}
    out = []
    for o in found:
        outer = [p for p in found if p != o and p[0] <= o[0] and o[1] <= p[1] and p[2]]
        out.append((o[0], o[1], o[2] or (outer[0][2] if outer else "")))
    return sorted(set(out))


def _in_clause(before: str, words: tuple[str, ...]) -> str:
    """“五年累计完成一般公共预算收入60亿元”: a word of the clause before the wording marks it as not this year's."""
    clause = re.split(r"[，,；：:]", before)[-1]
    found = next((w for w in words if w in clause), "")
    return "clause:" + found if found else ""


def _after_excluded(before: str, words: tuple[str, ...]) -> str:
    before = before.rstrip("，,：: ")
    return next((w for w in sorted(words, key=len, reverse=True) if before.endswith(w)), "")


def subject_values(specs: list[Spec], s: Sentence) -> set[int]:
    """Where the values of known wordings start in a sentence (“接待游客466.20万人次” → the 4): which values a
    “分别增长” may pair with."""
    out = set()
    for spec in specs:
        for _, end, excluded in spans(s, spec.names, spec.not_after, spec.not_in_clause):
            m = None if excluded else _LEVEL.match(s.work, end)
            if m is not None:
                out.add(m.start("num"))
    return out


def candidates(spec: Spec, sentences: list[Sentence], subjects: dict[int, set[int]] | None = None) -> list[Candidate]:
    """Every figure the bulletin attributes to `spec`'s indicator, in order; `subjects`: subject_values of each
    sentence with 分别 in it (by sentence index)."""
    found: list[Candidate] = []
    subjects = subjects or {}
    for s in sentences:
        for _, end, excluded in spans(s, spec.names, spec.not_after, spec.not_in_clause):
            if excluded in _CHANGE and not units.is_count(spec.unit):
                excluded = ""  # “新签约重大产业项目…总投资”: for an amount, new is this year's flow, not a change
            if excluded:
                c = _total_after_change(spec, s, end) if excluded in _CHANGE and not spec.growth else None
            else:
                c = _growth(spec, s, end, subjects.get(s.index, set())) if spec.growth else _level(spec, s, end)
            if c is not None:
                found.append(c)
        if spec.ratio_part is not None:
            found += _ratio(spec, s)
    return found


def _level(spec: Spec, s: Sentence, end: int) -> Candidate | None:
    m = _LEVEL.match(s.work, end)
    if m is None or s.work.startswith(_NOT_ALONE, m.end()):
        return None
    unit = _bare(m.group("unit"), spec.unit)
    if unit in spec.same_units:
        unit = spec.unit  # “规模以上工业企业212户”: for enterprises 户 counts what 家 counts
    if not (unit == spec.unit or units.convertible(unit, spec.unit)):
        return None
    a, b = m.span("num")
    return make_candidate(spec, s, a, b, unit, "")


def _bare(unit: str, catalogue: str) -> str:
    """“485.6万” after a wording of 人次: 万人次 (万/亿 with the catalogue unit's base); other units as printed."""
    if unit in ("万", "亿"):
        base = units.UNITS.get(catalogue, (catalogue, 1))[0]
        return unit + base if units.known(unit + base) else unit
    return unit


def _total_after_change(spec: Spec, s: Sentence, end: int) -> Candidate | None:
    """“新增高新技术企业21家，总数达到163家”: the change is never the count; the total after it is."""
    m = _TOTAL.match(s.work, end)
    if m is None or s.work.startswith(_NOT_ALONE, m.end()):
        return None
    unit = m.group("unit")
    if not (unit == spec.unit or units.convertible(unit, spec.unit)) or units.is_rate(unit):
        return None
    a, b = m.span("num")
    return make_candidate(spec, s, a, b, unit, "")


def _growth(spec: Spec, s: Sentence, end: int, subjects: set[int]) -> Candidate | None:
    m = _GROWTH.match(s.work, end)
    if m is not None:
        a, b = m.span("num")
        negative = m.group("verb") in _NEGATIVE
        if negative and s.work[a] == "-":
            return None  # “下降-2.1%”: not a way a bulletin prints a figure
        return make_candidate(spec, s, a, b, "%", "-" if negative else "")
    return _respectively(spec, s, end, subjects)


def _respectively(spec: Spec, s: Sentence, end: int, subjects: set[int]) -> Candidate | None:
    """“A x亿元、B y万人次，分别增长a%和b%”: A's growth is a when the values and the rates pair up one to one.

    Values before the first known wording's value are not in the list (“共有A级景区12个，接待游客…”); after it,
    every value must be a known wording's, else the pairing is not certain and nothing is read."""
    m = _BOTH.search(s.work, end)
    if m is None or m.start() - end > 80 or "分别" in s.work[end:m.start()]:
        return None
    begin = s.work.rfind("分别", 0, end) + 1
    segment = s.work[begin:m.start()]
    values = [v for v in re.finditer(rf"(?<![\d.]){NUM}(?:{UNIT})", segment) if "%" not in v.group()]
    rates = list(re.finditer(rf"-?{NUM}%", m.group("list")))
    mine = _LEVEL.match(s.work, end)
    starts = [begin + v.start() for v in values]
    first = next((i for i, a in enumerate(starts) if a in subjects), 0)
    starts = starts[first:]
    if mine is None or len(starts) != len(rates) or (subjects and not all(a in subjects for a in starts)):
        return None
    if mine.start("num") not in starts:
        return None
    rate = rates[starts.index(mine.start("num"))]
    a = m.start("list") + rate.start()
    b = m.start("list") + rate.end() - 1
    negative = m.group("verb") in _NEGATIVE
    if negative and s.work[a] == "-":
        return None
    return make_candidate(spec, s, a, b, "%", "-" if negative else "")


def _ratio(spec: Spec, s: Sentence) -> list[Candidate]:
    """The part of a ratio after a structure's wording: the one after 调整为 when it says from … to."""
    out = []
    for _, end, excluded in spans(s, spec.ratio_names, spec.not_after, spec.not_in_clause):
        c = None if excluded else _ratio_at(spec, s, end)
        if c is not None:
            out.append(c)
    return out


def _ratio_at(spec: Spec, s: Sentence, end: int) -> Candidate | None:
    assert spec.ratio_part is not None
    ratios = [r for r in _RATIO.finditer(s.work, end) if r.start() - end <= 60]
    to = [r for r in ratios if _RATIO_TO.search(s.work[max(end, r.start() - 4):r.start()])]
    if to:
        chosen = to[0]
    elif ratios and re.fullmatch(r"(?:比|比例|比重|构成)?(?:分别)?(?:为|是)?:?", s.work[end:ratios[0].start()]) and (
            len(ratios) == 1 or re.search(r"[，,；;]", s.work[ratios[0].end():ratios[1].start()])):
        chosen = ratios[0]  # right after the wording, alone in its clause: “结构为18.5:36.7:44.8，…贡献率分别为…”
    elif len(ratios) == 1 and not re.search(r"由(?:上年|去年|\d{4}年)?的?$", s.work[end:ratios[0].start()]):
        chosen = ratios[0]
    else:
        return None  # no ratio, or several without saying which one is this year's
    parts = list(re.finditer(NUM, chosen.group("p")))
    if spec.ratio_part > len(parts):
        return None
    p = parts[spec.ratio_part - 1]
    return make_candidate(spec, s, chosen.start() + p.start(), chosen.start() + p.end(), "%", "")


def make_candidate(spec: Spec, s: Sentence, a: int, b: int, unit: str, sign: str) -> Candidate:
    printed = s.printed[a:b]
    digits = s.work[a:b].replace(",", "")
    value = Decimal(sign + digits.lstrip("-")) if sign else Decimal(digits)
    canon = units.convert(value, unit, spec.unit) if unit != spec.unit else value
    return Candidate(spec.indicator, sign + printed, unit, canon, s, a, b)
