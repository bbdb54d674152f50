"""期号 and 发文字号 that number themselves: the register data/numbers.yaml, the plan of every briefing's number
(an explicit number wins, a rebuild keeps its number, a new briefing takes the next free one), and recording
the numbers a successful publish issued. No writer is imported here; the briefing builder asks `number_text`."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from generators.errors import InputError, Problem
from generators.fsutil import atomic_write

if TYPE_CHECKING:
    from generators.load.records import Dataset
    from generators.load.specs import BriefingSpec

FILE = "numbers.yaml"  # under data/: not an input of every document (see Project.inputs)
ISSUE, DOC = "期号", "发文字号"
SUPPLEMENT = "·增刊"
HEADER = """\
# 已印发的期号和发文字号登记（reportgen 在每次成功生成后自动追加，工作人员可以查看和修改）。
# 每行一条：kind 为“期号”（简报）或“发文字号”（公文）；series 为简报名称（增刊为“名称·增刊”）或机关代字；
# year 为编号所在年份；number 为序号；briefing 为 data/briefings/ 中简报说明的文件名（不含 .yaml）。
# 简报说明不写 number（公文不写 doc_number）时，按本登记编为该名称、该年份的下一个号；重新生成同一份简报保留原号；
# 一个号只给一份简报。删去一行即收回这个号（已印发的号请不要删）。
"""
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


@dataclass(frozen=True)
class Assigned:
    """A briefing's number: in which series and year, the 序号, and the text printed (第3期, ××办发〔2026〕3号)."""

    briefing: str
    kind: str  # 期号 | 发文字号
    series: str  # the 简报 name (+ ·增刊), or the 机关代字
    year: int
    number: int
    text: str
    explicit: bool = False  # the spec wrote it (number, doc_number)
    new: bool = True  # not in the register yet: recorded after a successful publish

    def key(self) -> tuple[str, str, int]:
        return (self.kind, self.series, self.year)


def field_value(spec: BriefingSpec, defaults: dict[str, Any], key: str) -> Any:
    """The spec's value of `key`, else the 版式 default of settings.yaml, else the schema's default."""
    if key in spec.model_fields_set:
        return getattr(spec, key)
    return defaults.get(key, getattr(spec, key))


def defaults_of(ds: Dataset, preset: str) -> dict[str, Any]:
    return dict((ds.settings.get("briefing_defaults") or {}).get(preset) or {})


def series_of(spec: BriefingSpec, defaults: dict[str, Any]) -> tuple[str, str] | None:
    """(kind, series) a spec is numbered in: a 简报 by its name (增刊 apart), a 公文 without a 发文字号 by its 代字;
    None when it is not numbered (a 专题, a 公文 with its own doc_number, no name or 代字)."""
    if spec.preset == "简报":
        name = str(field_value(spec, defaults, "bulletin") or "").strip()
        return (ISSUE, name + (SUPPLEMENT if field_value(spec, defaults, "supplement") else "")) if name else None
    if spec.preset == "公文" and not spec.doc_number:
        code = str(field_value(spec, defaults, "code") or "").strip()
        return (DOC, code) if code else None
    return None


def issue_year(spec: BriefingSpec, defaults: dict[str, Any], edition: int) -> int:
    """The year a number counts in: the 4-digit year of the spec's date ({Y+1} resolved), else the edition's."""
    from generators.load.refs import tokens

    year = spec.year or edition
    date = str(field_value(spec, defaults, "date") or "")
    try:
        text = "".join(str(year + t) if isinstance(t, int) else t if isinstance(t, str) else "" for t in tokens(date))
    except ValueError:  # a date that is not valid text: its own check names it
        text = date
    m = _YEAR.search(text)
    return int(m[1]) if m and 1949 <= int(m[1]) <= 2100 else year


def _text(kind: str, series: str, year: int, n: int) -> str:
    if kind == DOC:
        return f"{series}〔{year}〕{n}号"
    return f"增刊第{n}期" if series.endswith(SUPPLEMENT) else f"第{n}期"


@dataclass(frozen=True)
class _Ask:
    briefing: str
    kind: str
    series: str
    year: int
    explicit: int | None
    field: str
    text: str | None = None  # an explicit 发文字号 as written


def _ask(ds: Dataset, name: str, spec: BriefingSpec) -> _Ask | None:
    from generators.load.specs import DOC_NUMBER

    defaults = defaults_of(ds, spec.preset)
    if spec.preset == "公文" and spec.doc_number:
        m = DOC_NUMBER.match(spec.doc_number)
        if m is None:  # validated by the schema: cannot happen
            return None
        return _Ask(name, DOC, m["code"].strip(), int(m["year"]), int(m["n"]), "doc_number", spec.doc_number)
    found = series_of(spec, defaults)
    if found is None:
        return None
    year = issue_year(spec, defaults, ds.year)
    return _Ask(name, found[0], found[1], year, spec.number, "number")


def buildable(ds: Dataset) -> dict[str, BriefingSpec]:
    """The briefings a build makes (the registry's rule: drafts are not built), by name."""
    from generators.products import for_kind

    return {str(n): ds.briefings[str(n)] for n in for_kind("briefing").items(ds) if n is not None}


def plan(ds: Dataset, extra: dict[str, BriefingSpec] | None = None) -> dict[str, Assigned]:
    """Every numbered briefing's number, deterministic: explicit numbers first, then the number each briefing
    already has in the register, then the next free number of its series and year, in briefing-name order.
    `extra`: specs besides (or instead of) the dataset's, e.g. a one-off `reportgen briefing SPEC` or the form's;
    one that is not a built briefing of the dataset is numbered after those.
    An explicit number that another briefing holds (in the register or in its own spec) is an InputError."""
    built = buildable(ds)
    specs = built | (extra or {})
    order = sorted(specs, key=lambda n: (n not in built, n))  # a one-off or the form's: after the build's own
    asks = [a for n in order if (a := _ask(ds, n, specs[n])) is not None]
    held: dict[tuple[str, str, int, int], str] = {}  # (kind, series, year, n) → briefing, from the register
    kept: dict[tuple[str, str, int, str], int] = {}  # (kind, series, year, briefing) → its latest number
    for e in ds.numbers:
        held.setdefault((e.kind, e.series, e.year, e.number), e.briefing)
        mine = (e.kind, e.series, e.year, e.briefing)
        kept[mine] = max(kept.get(mine, 0), e.number)
    taken: dict[tuple[str, str, int, int], str] = {}  # numbers given in this plan
    out: dict[str, Assigned] = {}
    problems: list[Problem] = []
    for a in asks:
        if a.explicit is None:
            continue
        k = (a.kind, a.series, a.year, int(a.explicit))
        other = taken.get(k) or (held.get(k) if held.get(k) != a.briefing else None)
        if other is not None and other != a.briefing:
            problems.append(_reused(a, other, k in taken, held, taken))
            continue
        taken[k] = a.briefing
        out[a.briefing] = Assigned(a.briefing, a.kind, a.series, a.year, a.explicit,
                                   a.text or _text(a.kind, a.series, a.year, a.explicit), True,
                                   held.get(k) != a.briefing)
    if problems:
        raise InputError(problems)
    for a in asks:  # recorded numbers kept first, so a new briefing never takes one of them
        n = kept.get((a.kind, a.series, a.year, a.briefing))
        if a.explicit is None and n is not None and (a.kind, a.series, a.year, n) not in taken:
            taken[(a.kind, a.series, a.year, n)] = a.briefing
            out[a.briefing] = Assigned(a.briefing, a.kind, a.series, a.year, n, _text(a.kind, a.series, a.year, n),
                                       False, False)
    for a in asks:
        if a.briefing not in out:
            n = next_free(held, taken, a.kind, a.series, a.year)
            taken[(a.kind, a.series, a.year, n)] = a.briefing
            out[a.briefing] = Assigned(a.briefing, a.kind, a.series, a.year, n, _text(a.kind, a.series, a.year, n))
    return out


def next_free(held: dict, taken: dict, kind: str, series: str, year: int) -> int:
    """One more than the highest number of the series and year (issued or given in this plan)."""
    used = [k[3] for k in (*held, *taken) if k[:3] == (kind, series, year)]
    return max(used, default=0) + 1


def _reused(a: _Ask, other: str, in_spec: bool, held: dict, taken: dict) -> Problem:
    n = next_free(held, taken, a.kind, a.series, a.year)
    what = f"{a.series} {a.year} 年的{a.kind}"
    where = (f"data/briefings/{other}.yaml 也写了这个号" if in_spec
             else f"已登记给 data/briefings/{other}.yaml（见 data/{FILE}）")
    free = _text(a.kind, a.series, a.year, n)
    return Problem(f"data/briefings/{a.briefing}.yaml", field=a.field,
                   message=f"{what} {a.explicit} 已被使用：{where}；一个号不能给两份简报",
                   expected=f"未用过的号（下一个是 {n}，即“{free}”），或删去 {a.field} 让它自动编号",
                   found=a.text or str(a.explicit))


def assigned(ds: Dataset, name: str, spec: BriefingSpec | None = None) -> Assigned | None:
    """The number of briefing `name` (its spec from the dataset, or `spec` given: a one-off or the form's)."""
    return plan(ds, {name: spec} if spec is not None else None).get(name)


def number_text(ds: Dataset, name: str, spec: BriefingSpec | None = None) -> str:
    """What the briefing prints: "第3期" / "增刊第1期" for a 简报, the 发文字号 for a 公文; "" when not numbered."""
    got = assigned(ds, name, spec)
    return got.text if got else ""


def fingerprint(ds: Dataset) -> str:
    """The resolved numbers of every briefing, for the briefings' input hash (the register file is not hashed:
    recording a number after a build must not make the next build stale)."""
    try:
        return json.dumps({n: a.text for n, a in sorted(plan(ds).items())}, ensure_ascii=False)
    except InputError as exc:  # the build refuses it before building; the hash only has to differ
        return "refused:" + ";".join(p.render() for p in exc.problems)


# ---- the register file --------------------------------------------------------------------------------------

_PLAIN = re.compile(r"^[\w\u00b7\u3000-\u303f\u4e00-\u9fff\uff00-\uffef-]+$")


def _scalar(v: str) -> str:
    """A YAML scalar staff can read: plain when safe, else double-quoted (JSON quoting is valid YAML)."""
    return v if _PLAIN.match(v) and not v[0].isdigit() and v[0] not in "-" else json.dumps(v, ensure_ascii=False)


def _header(text: str) -> str:
    """The comment lines at the top of the register (ours when it has none)."""
    lines = []
    for line in text.splitlines(keepends=True):
        if not line.startswith("#") and line.strip():
            break
        lines.append(line if line.endswith("\n") else line + "\n")
    head = "".join(lines).rstrip("\n")
    return (head + "\n") if head.strip() else HEADER


def render(header: str, entries: Iterable[tuple[str, str, int, int, str]]) -> str:
    rows = sorted(set(entries))
    body = "".join(f"  - {{kind: {k}, series: {_scalar(s)}, year: {y}, number: {n}, briefing: {_scalar(b)}}}\n"
                   for k, s, y, n, b in rows)
    return header + ("issued:\n" + body if rows else "issued: []\n")


def record(root: Path, numbers: Iterable[Assigned]) -> list[Assigned]:
    """Add the new numbers to `root`/numbers.yaml (root: the data folder, as Dataset.root), atomically, sorted by
    kind, series, year and number, the comment header kept; returns the numbers added (none: file untouched).
    Under an OS lock (build/locks/numbers.lock) and re-read inside it: a build's child process and the page may
    record at once. A number another briefing was given meanwhile is an InputError, nothing written."""
    from generators.load.specs_files import NumbersFile
    from generators.load.textio import read_yaml
    from generators.outlock import file_lock

    path = root / FILE
    with file_lock(root.parent / "build" / "locks" / "numbers.lock"):
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        raw = read_yaml(path) if text.strip() else None
        old = NumbersFile.model_validate(raw or {}).issued
        have = {(e.kind, e.series, e.year, e.number, e.briefing) for e in old}
        holder: dict[tuple[str, str, int, int], str] = {(e.kind, e.series, e.year, e.number): e.briefing for e in old}
        new = [a for a in numbers if (a.kind, a.series, a.year, a.number, a.briefing) not in have]
        clash = [a for a in new if holder.get((a.kind, a.series, a.year, a.number), a.briefing) != a.briefing]
        if clash:
            a = clash[0]
            raise InputError(Problem(f"data/{FILE}", field=a.kind, message=(
                f"{a.series} {a.year} 年的{a.text}刚刚登记给了 {holder[(a.kind, a.series, a.year, a.number)]}"
                f"（同时生成了两份）；没有登记给 {a.briefing}"), expected="重新生成，编为下一个号", found=a.text))
        if not new:
            return []
        rows = have | {(a.kind, a.series, a.year, a.number, a.briefing) for a in new}
        atomic_write(path, render(_header(text), rows))
    return new


# ---- what the CLI and the page show ----------------------------------------------------------------------------

def summary(ds: Dataset) -> list[dict[str, Any]]:
    """Each series and year: the numbers issued (the register), those this build would add, and the next one."""
    planned = plan(ds)
    groups: dict[tuple[str, str, int], dict[str, Any]] = {}

    def group(kind: str, series: str, year: int) -> dict[str, Any]:
        return groups.setdefault((kind, series, year), {"kind": kind, "series": series, "year": year,
                                                        "issued": [], "planned": []})

    for e in ds.numbers:
        group(e.kind, e.series, e.year)["issued"].append(
            {"number": e.number, "briefing": e.briefing, "text": _text(e.kind, e.series, e.year, e.number)})
    for a in planned.values():
        if a.new:
            group(a.kind, a.series, a.year)["planned"].append({"number": a.number, "briefing": a.briefing,
                                                               "text": a.text})
    out = []
    for (kind, series, year), g in sorted(groups.items()):
        g["issued"].sort(key=lambda r: (r["number"], r["briefing"]))
        g["planned"].sort(key=lambda r: (r["number"], r["briefing"]))
        n = max((r["number"] for r in g["issued"] + g["planned"]), default=0) + 1
        out.append(g | {"next": n, "next_text": _text(kind, series, year, n)})
    return out


def summary_lines(ds: Dataset) -> list[str]:
    """`reportgen numbers`: the register by series and year, in Chinese."""
    groups = summary(ds)
    if not groups:
        return [f"还没有登记的期号或发文字号（data/{FILE}）；简报说明不写 number 时，第一份编为第1期。"]
    lines = [f"已印发的编号（data/{FILE}，按名称和年份）："]
    for g in groups:
        lines.append(f"  {g['series']}（{g['kind']}）{g['year']}年：")
        issued = "、".join(f"{r['text']} {r['briefing']}" for r in g["issued"])
        lines.append(f"    已登记：{issued or '无'}")
        if g["planned"]:
            lines.append("    下次生成时登记：" + "、".join(f"{r['text']} {r['briefing']}" for r in g["planned"]))
        lines.append(f"    下一个号：{g['next_text']}")
    return lines


def omitted_line(got: Assigned | None) -> str:
    """`reportgen briefing SPEC` without a number: which one the register gives it ("" when the spec wrote one)."""
    if got is None or got.explicit:
        return ""
    how = "按登记编为" if got.new else "沿用已登记的"
    return f"{got.kind}：未写，{how}{got.text}（data/{FILE}）"


def propose(ds: Dataset, name: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The number a briefing being written would get (the page's "留空则编为第N期"), from the form's fields
    (preset, bulletin, supplement, code, doc_number, number, date, year); `name`: its save name, "" for a new one.
    A number another briefing holds is the located InputError."""
    from generators.load.specs import BriefingSpec

    given = {k: v for k, v in fields.items() if v not in (None, "")}
    spec = BriefingSpec.model_construct(_fields_set=set(given), **given)
    got = assigned(ds, name or "（新简报）", spec)
    if got is None:
        return {"number": None, "text": "", "hint": ""}
    hint = "" if got.explicit else (f"留空则沿用已登记的{got.text}" if not got.new else f"留空则编为{got.text}")
    return {"kind": got.kind, "series": got.series, "year": got.year, "number": got.number, "text": got.text,
            "explicit": got.explicit, "recorded": not got.new, "hint": hint}
