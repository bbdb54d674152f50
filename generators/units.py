"""Units the data may use, how they convert, and Chinese number formatting."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# unit -> (base unit, factor to base). Units sharing a base convert into each other.
_FAMILIES: dict[str, list[tuple[str, int]]] = {
    "元": [("元", 1), ("万元", 10**4), ("亿元", 10**8)],
    "人": [("人", 1), ("万人", 10**4)],
    "人次": [("人次", 1), ("万人次", 10**4)],
    "户": [("户", 1), ("万户", 10**4)],
    "块": [("块", 1), ("万块", 10**4), ("亿块", 10**8)],
    "吨": [("吨", 1), ("万吨", 10**4)],
    "吨/日": [("吨/日", 1), ("万吨/日", 10**4)],
    "亩": [("亩", 1), ("万亩", 10**4)],
    "座": [("座", 1), ("万座", 10**4)],
    "个": [("个", 1), ("万个", 10**4)],
    "家": [("家", 1), ("万家", 10**4)],
}
_SINGLE = ["辆", "名", "条", "公里", "千伏", "斤", "%", "百分点", "mg/m³", "倍", "位", "类", "项", "处",
           "次", "所", "张", "台", "村", "人/台", "年", "万kW", "千瓦", "平方米", "万平方米"]

UNITS: dict[str, tuple[str, int]] = {}
for _base, _members in _FAMILIES.items():
    for _name, _factor in _members:
        UNITS[_name] = (_base, _factor)
for _name in _SINGLE:
    UNITS.setdefault(_name, (_name, 1))


# Counted things are whole numbers (个, 家, 人, 户, 座 …); 万人 or 万户 may have decimals.
COUNTS = frozenset({"人", "人次", "户", "块", "座", "个", "家", "辆", "名", "条", "项", "处", "次", "所", "张", "台",
                    "村", "位", "类"})
RATES = frozenset({"%", "百分点"})  # rates and shares: changes between years are in 百分点


def is_count(unit: str) -> bool:
    return unit in COUNTS


def is_rate(unit: str) -> bool:
    return unit in RATES


def known(unit: str) -> bool:
    return unit in UNITS


def convertible(a: str, b: str) -> bool:
    return a in UNITS and b in UNITS and UNITS[a][0] == UNITS[b][0]


def convert(value: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """Exact decimal conversion between units of one family."""
    if from_unit == to_unit:
        return value
    fa, fb = UNITS[from_unit][1], UNITS[to_unit][1]
    return value * Decimal(fa) / Decimal(fb)


def decimals_of(text: str) -> int:
    """Digits after the point as written ("3.30" -> 2)."""
    return len(text.split(".", 1)[1]) if "." in text else 0


def fmt_number(value: Decimal, decimals: int, grouping: bool = False) -> str:
    """Fixed decimals, half-up rounding, optional thousands grouping (Chinese print style)."""
    q = Decimal(1).scaleb(-decimals) if decimals > 0 else Decimal(1)
    v = value.quantize(q, rounding=ROUND_HALF_UP)
    if v == 0:
        v = abs(v)
    return f"{v:,.{decimals}f}" if grouping else f"{v:.{decimals}f}"


# ---- periods: the label of a period, and of two periods as one (built from the values, never re-parsed) ----

def period_label(period: str, scope: str = "") -> str:
    """2024 → 2024年; 2021-2025 → 2021—2025年; a scope in brackets after it: 2021—2025年（期初）."""
    a, _, b = period.partition("-")
    return (f"{a}—{b}年" if b else f"{a}年") + (f"（{scope}）" if scope else "")


def period_span(a: tuple[str, str], b: tuple[str, str]) -> str:
    """Two (period, scope) as one label: 2015 + 2020 → 2015—2020年; X（期初）+ X（期末）→ X（期初→期末）;
    one label when they are the same; else both with an arrow."""
    if a == b:
        return period_label(*a)
    (pa, sa), (pb, sb) = a, b
    if not sa and not sb and "-" not in pa + pb:
        return f"{pa}—{pb}年"
    if pa == pb and sa and sb:
        return f"{period_label(pa)}（{sa}→{sb}）"
    return period_label(*a) + "→" + period_label(*b)


# ---- percent change: the one formula and the one label (texts, charts, checks and reviews use these) ----

def pct_change(a: Decimal, b: Decimal) -> Decimal | None:
    """Change from a to b in per cent of |a| (a rise is positive whatever the sign of a), exact; None when a is 0."""
    return None if a == 0 else (b - a) / abs(a) * 100


MULTIPLE_FROM = Decimal(1000)  # a change of 1000 % or more reads better as a multiple: ×15.2


def change_label(a: Decimal, b: Decimal, decimals: int = 1) -> str:
    """A change as a chart writes it, rounded half-up like every computed number: +12.3% / −12.3% (U+2212) /
    ×15.2 from 1000 % on; "" when a is 0. The text's 增长12.3% is fmt_number of the same pct_change."""
    change = pct_change(a, b)
    if change is None:
        return ""
    if abs(change) >= MULTIPLE_FROM:
        return "×" + fmt_number(b / a, decimals)
    text = fmt_number(abs(change), decimals)
    return ("−" if change < 0 and Decimal(text) != 0 else "+") + text + "%"


def with_unit(number: str, unit: str) -> str:
    """Chinese style: no space before a unit ("12.5亿元", "6.3%")."""
    return f"{number}{unit}"


_CN_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """Small integers in Chinese (第二, 十六, 九十九); larger ones stay Arabic."""
    if n < 0 or n >= 100:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")
