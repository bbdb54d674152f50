"""Checks over the loaded texts: every reference, chart, indicator, image and `use` names something that exists."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from generators import products
from generators.errors import Problems, did_you_mean
from generators.load import refs as R
from generators.load import specs as S
from generators.load.files import check_image
from generators.load.format import render_ref
from generators.load.numbers import halfwidth_problem, text_halfwidth_problem
from generators.load.textio import line_of, shown, walk_strings

if TYPE_CHECKING:
    from generators.load.records import Dataset

PLAIN_REF_KEYS = {"ref", "from", "growth", "stated"}
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")  # direction overrides: text would print reversed


def unprintable(text: str) -> str | None:
    """The first character no document can carry (controls, surrogates, non-characters, bidi overrides), or None."""
    for ch in text:
        o = ord(ch)
        if ((o < 32 and ch not in "\n\t") or 0x7F <= o < 0xA0 or 0xD800 <= o < 0xE000 or o in (0xFFFE, 0xFFFF)
                or ch in _BIDI):
            return ch
    return None


SKIP_KEYS = {"id", "kind", "image", "preset", "source", "periods", "file", "unit", "on_mismatch", "date", "use"}


def _block_nodes(spec: Any, raw: Any, path: str = "") -> Iterator[tuple[S.BlockSpec | S.ReviewItem, Any, str]]:
    """(block, its raw YAML mapping, readable path) for every block and deck review item of a spec."""
    if isinstance(spec, (S.BlockSpec, S.ReviewItem)):
        yield spec, raw, path
    elif isinstance(spec, S.Spec):
        for name, info in type(spec).model_fields.items():
            key = info.alias or name
            sub = raw.get(key) if isinstance(raw, dict) else None
            yield from _block_nodes(getattr(spec, name), sub, f"{path}.{key}" if path else key)
    elif isinstance(spec, list):
        for i, item in enumerate(spec):
            sub = raw[i] if isinstance(raw, list) and i < len(raw) else None
            yield from _block_nodes(item, sub, f"{path}[{i + 1}]")


def index_blocks(ds: Dataset, stem: str, spec: S.Spec, raw: Any, where: str, problems: Problems) -> None:
    """Register the blocks of one texts file that carry an `id`; an id may appear once per file."""
    first: dict[str, int | None] = {}
    for b, node, path in _block_nodes(spec, raw):
        if b.id is None:
            continue
        line = line_of(node, "id")
        if b.id in first:
            at = f"第{first[b.id]}行" if first[b.id] else "前面"
            problems.add(where, line, field=f"{path}.id",
                         message=f"段落 id“{b.id}”在本文件中重复（{at}已用过）；id 在同一文件内不能重复")
            continue
        first[b.id] = line
        ds.blocks[f"{stem}#{b.id}"] = b


def check_uses(ds: Dataset, spec: S.Spec, raw: Any, where: str, problems: Problems) -> None:
    """Every `use: stem#id` of a spec must name a block with that id in data/texts/<stem>.yaml (not another use)."""
    for b, node, path in _block_nodes(spec, raw):
        if not isinstance(b, S.BlockSpec) or b.use is None:
            continue
        stem, _, bid = b.use.partition("#")
        target = ds.blocks.get(b.use)
        texts = shown(ds.root / "texts" / f"{stem}.yaml")
        if target is None:
            citable = [k for k, t in products.text_files().items() if t.citable]  # the `use:` namespaces
            if stem not in citable:
                msg = (f"“use: {b.use}”：没有文字文件 {texts}。{did_you_mean(stem, citable)}可引用的文件："
                       + "、".join(citable))
            elif stem not in ds.texts:
                continue  # that file failed to load: its own errors are reported
            else:
                ids = [k.split("#", 1)[1] for k in ds.blocks if k.startswith(stem + "#")]
                msg = (f"“use: {b.use}”：{texts} 中没有 id 为“{bid}”的段落。{did_you_mean(bid, ids)}该文件已有的 id："
                       + ("、".join(ids) or "无（请先在原文段落上加 id:）"))
        elif isinstance(target, S.BlockSpec) and target.use is not None:
            msg = f"“use: {b.use}”指向的段落本身也是 use（{target.use}）；请直接引用原文段落"
        else:
            continue
        problems.add(where, line_of(node, "use"), field=f"{path}.use", message=msg)


def check_references(ds: Dataset, year: int, problems: Problems | None = None) -> Problems:
    """Every `{ref}` in every text and every plain ref field must name exactly one figure."""
    problems = problems if problems is not None else Problems()
    for file, raw in ds.raw_texts.items():
        where = shown(Path(file))
        for text, line, path, key in walk_strings(raw):
            try:
                check_string(ds, text, key, year)
            except (ValueError, R.RefSyntaxError) as exc:
                problems.add(where, line, field=path, message=str(exc))
    return problems


def _unknown(what: str, name: str, known: Any, where: str) -> ValueError:
    return ValueError(f"{where}没有{what}“{name}”。" + (did_you_mean(name, known) or f"请先在 {where}中登记"))


def check_string(ds: Dataset, text: str, key: str, year: int) -> None:
    """One string of a YAML file, judged by its key: a reference, an id, a file name or prose with `{refs}`."""
    bad = unprintable(text)
    if bad:
        raise ValueError(f"文字含不可打印的字符 U+{ord(bad):04X}（控制字符、文字方向控制符或无效字符，"
                         "常从网页或 Word 复制而来），请删除")
    if key in PLAIN_REF_KEYS or key in ("refs", "inputs", "table", "indicator", "chart", "charts", "periods"):
        hint = halfwidth_problem(text)
        if hint:
            raise ValueError(hint)
    if key in PLAIN_REF_KEYS or key in ("refs", "inputs"):
        _render(ds, R.parse_plain_ref(text), year)
    elif key == "table":
        if _ID.match(text.strip()):
            if text.strip() not in ds.indicators:
                raise _unknown("指标", text.strip(), ds.indicators, "指标目录 data/indicators/ ")
        else:
            _render(ds, R.parse_plain_ref(text), year)
    elif key == "indicator":
        if text not in ds.indicators:
            raise _unknown("指标", text, ds.indicators, "指标目录 data/indicators/ ")
    elif key in ("chart", "charts"):
        if text not in ds.charts:
            raise _unknown("图表", text, ds.charts, "data/charts.yaml ")
    elif key == "image":
        check_image(ds.root.parent / "assets" / "images", text)
    elif key not in SKIP_KEYS:
        hint = text_halfwidth_problem(text)
        if hint:
            raise ValueError(hint)
        for ref in R.refs_in(text):
            _render(ds, ref, year)


def _render(ds: Dataset, ref: R.Ref, year: int) -> None:
    """Find the figure and apply the reference's format, so a bad `|format` is caught here, located.

    An edition-year figure that was not published is no error: its uses follow the policy (generators/load/gaps.py)."""
    from generators.load.gaps import earlier, is_gap

    if is_gap(ds, ref, year):
        fig = earlier(ds, ref, year)
        if fig is not None:
            render_ref(ds, R.Ref(ref.indicator, fig.period, ref.scope, ref.fmt), year)  # the format still applies
        return
    render_ref(ds, ref, year)


def check_indicators_named(ds: Dataset, problems: Problems) -> None:
    """Every reference names a registered indicator — checked before the edition year is chosen, so a typo in an
    `@Y` reference is named (with the nearest ids), not reported as dozens of figures missing for some year."""
    for file, raw in ds.raw_texts.items():
        where = shown(Path(file))
        for text, line, path, key in walk_strings(raw):
            try:
                rs = [R.parse_plain_ref(text)] if key in PLAIN_REF_KEYS | {"refs", "inputs"} else R.refs_in(text)
            except R.RefSyntaxError:
                continue  # worded by check_references
            for r in rs:
                if r.indicator not in ds.indicators:
                    problems.add(where, line, field=path, found=str(r), message=(
                        f"引用了不存在的指标“{r.indicator}”。"
                        + (did_you_mean(r.indicator, ds.indicators) or "请先在 data/indicators/ 中登记")))


def _relative_year_refs(ds: Dataset) -> list[R.Ref]:
    out: list[R.Ref] = []
    for raw in ds.raw_texts.values():
        for text, _, _, key in walk_strings(raw):
            try:
                rs = [R.parse_plain_ref(text)] if key in PLAIN_REF_KEYS | {"refs", "inputs"} else R.refs_in(text)
            except R.RefSyntaxError:
                continue
            out.extend(r for r in rs if r.period and r.period.startswith("Y"))
    return out


def edition_years(ds: Dataset) -> list[int]:
    """Years every edition-relative reference (`@Y`) can be built for, newest first."""
    rel = _relative_year_refs(ds)
    good = []
    for year in reversed(ds.years()):
        try:
            for r in rel:
                ds.find(r, year)
        except ValueError:
            continue
        good.append(year)
    return good


