"""The validated data set: sources, indicator catalogue, figure records, texts, charts, briefings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterator

from generators import units
from generators.errors import InputError, Problem, Problems
from generators.load import refs as R
from generators.load import specs as S
from generators.load.textio import line_of, read_csv, read_yaml, shown

INDICATOR_COLUMNS = ["id", "name", "unit", "decimals", "category", "growth", "growth_indicator", "yearly", "description"]
FIGURE_COLUMNS = ["indicator", "period", "scope", "value", "unit", "source", "section", "note"]
CATEGORIES = {
    "economy": "经济运行", "industry": "产业发展", "innovation": "科技创新", "urban_rural": "城乡建设",
    "livelihood": "民生保障", "ecology": "生态环境", "culture": "文化旅游", "party": "党建与基层治理",
}
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{4}))?$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
PLAIN_REF_KEYS = {"ref", "from", "growth", "stated"}


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
    deck: S.DeckSpec | None = None
    summary: S.SummarySpec | None = None
    briefings: dict[str, S.BriefingSpec] = field(default_factory=dict)
    # Blocks of data/texts/*.yaml that carry an `id`, by "stem#id" (e.g. "summary#ecology_air"): targets of `use`.
    blocks: dict[str, S.BlockSpec | S.ReviewItem] = field(default_factory=dict)
    raw_texts: dict[str, Any] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    year: int = 0

    # ---- look-ups -------------------------------------------------------
    def by_indicator(self, indicator: str) -> list[Figure]:
        return [f for f in self.figures.values() if f.indicator == indicator]

    def years(self) -> list[int]:
        return sorted({f.year for f in self.figures.values() if f.year is not None})

    def find(self, ref: R.Ref, year: int) -> Figure:
        """The one figure a reference names, or a Chinese ValueError."""
        if ref.indicator not in self.indicators:
            raise ValueError(f"引用了不存在的指标“{ref.indicator}”（请先在 data/indicators/ 中登记）")
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


def _parse_decimal(text: str) -> Decimal | None:
    if not _NUMBER.match(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _load_sources(ds: Dataset, problems: Problems) -> None:
    path = ds.root / "sources.yaml"
    try:
        raw = read_yaml(path)
    except InputError as e:
        problems.extend(e)
        return
    ds.files.append(path)
    if not isinstance(raw, dict):
        problems.add(shown(path), 1, message="应为“来源ID: 说明”的映射")
        return
    for key, val in raw.items():
        if not isinstance(val, dict) or not val.get("title"):
            problems.add(shown(path), line_of(raw, key), field=str(key), message="每个来源需要 title")
            continue
        ds.sources[str(key)] = dict(val)


def _csv_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.csv")) if folder.is_dir() else []


def _csv_rows(ds: Dataset, folder: Path, columns: list[str], required: set[str], what: str,
              problems: Problems) -> Iterator[tuple[str, int, dict[str, str]]]:
    """(file as shown, line, row) for every row of every CSV in a folder; file problems are collected."""
    files = _csv_files(folder)
    if not files:
        problems.add(shown(folder), message=f"没有{what}文件", expected="至少一个 .csv")
    for path in files:
        where = shown(path)
        try:
            rows, enc = read_csv(path, columns, required)
        except InputError as e:
            problems.extend(e)
            continue
        ds.files.append(path)
        if enc != "utf-8":
            ds.warnings.append(f"{where}：按 GBK/GB18030 读取；建议另存为 UTF-8")
        for line, row in rows:
            yield where, line, row


def _load_indicators(ds: Dataset, problems: Problems) -> None:
    required = {"id", "name", "unit", "decimals", "category", "growth", "yearly"}
    for where, line, row in _csv_rows(ds, ds.root / "indicators", INDICATOR_COLUMNS, required, "指标目录", problems):
        bad = False
        if not _ID.match(row["id"]):
            problems.add(where, line, field="id", expected="小写英文字母、数字和下划线（如 gdp_growth）", found=row["id"])
            bad = True
        if row["unit"] and not units.known(row["unit"]):
            problems.add(where, line, field="unit", message="不认识的单位（见 data/README.md 的单位表）", found=row["unit"])
            bad = True
        if not row["decimals"].isdigit() or int(row["decimals"]) > 4:
            problems.add(where, line, field="decimals", expected="0 到 4 的整数", found=row["decimals"])
            bad = True
        if row["category"] not in CATEGORIES:
            problems.add(where, line, field="category", expected=" / ".join(CATEGORIES), found=row["category"])
            bad = True
        if row["growth"] not in ("stated", "derivable", "none"):
            problems.add(where, line, field="growth", expected="stated / derivable / none", found=row["growth"])
            bad = True
        if row["yearly"] not in ("yes", "no"):
            problems.add(where, line, field="yearly", expected="yes 或 no", found=row["yearly"])
            bad = True
        if bad:
            continue
        if row["id"] in ds.indicators:
            first = ds.indicators[row["id"]]
            problems.add(where, line, field="id", message=f"指标“{row['id']}”重复定义（首次定义在 {first.file} 第{first.line}行）")
            continue
        ds.indicators[row["id"]] = Indicator(
            row["id"], row["name"], row["unit"], int(row["decimals"]), row["category"], row["growth"],
            row["growth_indicator"], row["yearly"] == "yes", row["description"], where, line)
    for ind in ds.indicators.values():
        if ind.growth_indicator and ind.growth_indicator not in ds.indicators:
            problems.add(ind.file, ind.line, field="growth_indicator", message="引用了不存在的指标", found=ind.growth_indicator)


def _load_figures(ds: Dataset, problems: Problems) -> None:
    required = {"indicator", "period", "value", "unit", "source"}
    for where, line, row in _csv_rows(ds, ds.root / "figures", FIGURE_COLUMNS, required, "数字记录", problems):
        ind = ds.indicators.get(row["indicator"])
        ok = True
        if ind is None:
            problems.add(where, line, field="indicator", message="指标目录中没有这个指标", found=row["indicator"])
            ok = False
        pm = _PERIOD.match(row["period"])
        if not pm or (pm.group(2) and int(pm.group(2)) < int(pm.group(1))):
            problems.add(where, line, field="period", expected="年份（如 2024）或时期（如 2021-2025）", found=row["period"])
            ok = False
        value = _parse_decimal(row["value"])
        if value is None:
            problems.add(where, line, field="value", expected="数字（如 12.5，不带单位、逗号或 %）", found=row["value"])
            ok = False
        if not units.known(row["unit"]):
            problems.add(where, line, field="unit", message="不认识的单位", found=row["unit"])
            ok = False
        elif ind is not None and not units.convertible(row["unit"], ind.unit):
            problems.add(where, line, field="unit", message=f"与指标“{ind.id}”的单位不一致", expected=f"{ind.unit} 或可换算的单位", found=row["unit"])
            ok = False
        if row["source"] not in ds.sources:
            problems.add(where, line, field="source", message="sources.yaml 中没有这个来源", expected=" / ".join(ds.sources) or "来源ID", found=row["source"])
            ok = False
        if not ok:
            continue
        fig = Figure(row["indicator"], row["period"], row["scope"], row["value"], value, row["unit"],
                     row["source"], row["section"], row["note"], where, line)
        old = ds.figures.get(fig.key)
        if old is not None:
            same = units.convert(old.value, old.unit, ind.unit) == units.convert(fig.value, fig.unit, ind.unit)
            if not same:
                problems.add(where, line, field="value",
                             message=f"与 {old.file} 第{old.line}行的同一数字（{fig.ref()}）冲突：那里是 {old.text}{old.unit}，这里是 {fig.text}{fig.unit}")
            continue
        ds.figures[fig.key] = fig


IMAGE_MAGIC = {".png": b"\x89PNG\r\n\x1a\n", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff"}


def check_image(folder: Path, name: str) -> None:
    """A named photo must be a PNG/JPEG file inside assets/images (no other paths can be reached)."""
    path = (folder / name).resolve()
    if folder.resolve() not in path.parents:
        raise ValueError(f"图片“{name}”不在 assets/images/ 文件夹内；只能写文件名")
    if path.suffix.lower() not in IMAGE_MAGIC:
        raise ValueError(f"图片“{name}”的格式不支持，应为 .jpg 或 .png")
    if not path.is_file():
        raise ValueError(f"找不到图片 assets/images/{name}（不写 image 则显示“图片待补充”占位框）")
    with path.open("rb") as fh:
        head = fh.read(8)
    if not head.startswith(IMAGE_MAGIC[path.suffix.lower()]):
        raise ValueError(f"图片 assets/images/{name} 已损坏或不是 {path.suffix} 格式")


def unprintable(text: str) -> str | None:
    """The first character no document can carry (controls, surrogates, non-characters), or None."""
    for ch in text:
        o = ord(ch)
        if (o < 32 and ch not in "\n\t") or 0x7F <= o < 0xA0 or 0xD800 <= o < 0xE000 or o in (0xFFFE, 0xFFFF):
            return ch
    return None


def _load_yaml_spec(ds: Dataset, path: Path, model: type[S.Spec], problems: Problems, optional: bool = False) -> Any:
    if optional and not path.exists():
        return None
    try:
        raw = read_yaml(path)
    except InputError as e:
        problems.extend(e)
        return None
    ds.files.append(path)
    spec, errs = S.validate(model, raw, shown(path))
    problems.items.extend(errs)
    if spec is not None:
        ds.raw_texts[str(path)] = raw
    return spec


def _walk_strings(node: Any, parent: Any = None, key: Any = None, path: str = "") -> Iterator[tuple[str, int | None, str, str]]:
    """(value, line, path, key name) for every string in a YAML tree."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _walk_strings(v, node, k, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk_strings(v, node, i, f"{path}[{i + 1}]")
    elif isinstance(node, str):
        last_key = key if isinstance(key, str) else (path.rsplit(".", 1)[-1].split("[")[0] if path else "")
        yield node, line_of(parent, key) if parent is not None else None, path, last_key


SKIP_KEYS = {"id", "kind", "image", "preset", "source", "periods", "file", "unit", "on_mismatch", "date", "use"}
TEXT_FILES = ("deck", "summary")  # the stems of data/texts/*.yaml that `use` can name


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
            if stem not in TEXT_FILES:
                msg = (f"“use: {b.use}”：没有文字文件 {texts}；可引用的文件：" + "、".join(TEXT_FILES))
            elif getattr(ds, stem) is None:
                continue  # that file failed to load: its own errors are reported
            else:
                ids = [k.split("#", 1)[1] for k in ds.blocks if k.startswith(stem + "#")]
                msg = (f"“use: {b.use}”：{texts} 中没有 id 为“{bid}”的段落；该文件已有的 id："
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
        for text, line, path, key in _walk_strings(raw):
            try:
                bad = unprintable(text)
                if bad:
                    raise ValueError(f"文字含不可打印的字符 U+{ord(bad):04X}（控制字符或无效字符），请删除")
                if key in PLAIN_REF_KEYS or key in ("refs", "inputs"):
                    _render(ds, R.parse_plain_ref(text), year)
                elif key == "table":
                    if _ID.match(text.strip()):
                        if text.strip() not in ds.indicators:
                            raise ValueError(f"表格引用了不存在的指标“{text.strip()}”")
                    else:
                        _render(ds, R.parse_plain_ref(text), year)
                elif key == "indicator":
                    if text not in ds.indicators:
                        raise ValueError(f"不存在的指标“{text}”")
                elif key in ("chart", "charts"):
                    if text not in ds.charts:
                        raise ValueError(f"data/charts.yaml 中没有图表“{text}”")
                elif key == "image":
                    check_image(ds.root.parent / "assets" / "images", text)
                elif key not in SKIP_KEYS:
                    for ref in R.refs_in(text):
                        _render(ds, ref, year)
            except (ValueError, R.RefSyntaxError) as exc:
                problems.add(where, line, field=path, message=str(exc))
    return problems


def _render(ds: Dataset, ref: R.Ref, year: int) -> None:
    """Find the figure and apply the reference's format, so a bad `|format` is caught here, located."""
    from generators.load.bind import render_ref  # bind imports this module

    render_ref(ds, ref, year)


def _relative_year_refs(ds: Dataset) -> list[R.Ref]:
    out = []
    for raw in ds.raw_texts.values():
        for text, _, _, key in _walk_strings(raw):
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


def load_dataset(root: Path, year: int | None = None, briefings: bool = True) -> Dataset:
    """Load and validate everything under data/; raise InputError listing every problem."""
    root = root.resolve()
    if not root.is_dir():
        raise InputError(Problem(str(root), message="找不到数据文件夹 data/：请在项目文件夹中运行，"
                                                    "或用 --root 指定项目文件夹（含 data/、templates/、assets/）"))
    ds = Dataset(root=root)
    problems = Problems()
    _load_sources(ds, problems)
    _load_indicators(ds, problems)
    _load_figures(ds, problems)
    charts = _load_yaml_spec(ds, root / "charts.yaml", S.ChartsFile, problems)
    if charts:
        for c in charts.charts:
            if c.id in ds.charts:
                problems.add(shown(root / "charts.yaml"), message=f"图表ID“{c.id}”重复")
            ds.charts[c.id] = c
    derived = _load_yaml_spec(ds, root / "derived.yaml", S.DerivedFile, problems, optional=True)
    ds.derived = list(derived.derived) if derived else []
    ds.deck = _load_yaml_spec(ds, root / "texts" / "deck.yaml", S.DeckSpec, problems)
    ds.summary = _load_yaml_spec(ds, root / "texts" / "summary.yaml", S.SummarySpec, problems)
    specs: list[tuple[S.Spec, Path]] = []
    for stem in TEXT_FILES:
        path = root / "texts" / f"{stem}.yaml"
        spec = getattr(ds, stem)
        if spec is not None:
            index_blocks(ds, stem, spec, ds.raw_texts[str(path)], shown(path), problems)
            specs.append((spec, path))
    if briefings:
        for path in sorted((root / "briefings").glob("*.yaml")):
            spec = _load_yaml_spec(ds, path, S.BriefingSpec, problems)
            if spec is not None:
                ds.briefings[path.stem] = spec
                specs.append((spec, path))
    for spec, path in specs:
        check_uses(ds, spec, ds.raw_texts[str(path)], shown(path), problems)
    problems.raise_if_any()
    years = edition_years(ds)
    if year is None:
        if not years:
            problems.add(shown(root), message="找不到能让所有“@Y”引用都有数字的年份", expected="至少一个完整的年度")
            problems.raise_if_any()
        year = years[0]
    elif year not in years:
        problems.add(shown(root), field="--year", message=(
            f"{year} 年的数据不全，无法生成该年版本（下面列出缺少的数字）。可用的版本年份："
            + ("、".join(map(str, years)) or "无") + "；添加新一年的数字请用 reportgen new-year / reportgen import"))
    ds.year = year
    check_references(ds, year, problems)
    from generators.load.derive import run_checks  # local: derive imports Dataset

    run_checks(ds, problems)
    problems.raise_if_any()
    return ds
