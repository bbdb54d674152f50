"""Loading the validated data set: sources, indicator catalogue, figure records, texts, charts, briefings (the
records themselves are load/records.py)."""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

from generators import products, units
from generators.errors import InputError, Problem, Problems, did_you_mean
from generators.load import specs as S
from generators.load import specs_files as SF
from generators.load.chartcheck import check_charts, check_inline_charts
from generators.load.derive import run_checks
from generators.load.files import confinement_problems
from generators.load.numbers import halfwidth_problem, is_unpublished, read_figure
from generators.load.records import Dataset, Figure, Indicator  # the data types, also named here for callers
from generators.load.textcheck import (  # noqa: F401 - some re-exported for callers of the dataset module
    _relative_year_refs,
    check_indicators_named,
    check_references,
    check_uses,
    edition_years,
    index_blocks,
    unprintable,
)
from generators.load.textio import line_of, read_csv, read_yaml, shown

BULLETIN_WINS_HINT = "用 reportgen import --bulletin-wins 导入"  # the web page words it its own way
INDICATOR_COLUMNS = ["id", "name", "unit", "decimals", "category", "growth", "growth_indicator", "yearly", "description"]
FIGURE_COLUMNS = ["indicator", "period", "scope", "value", "unit", "source", "section", "note"]
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_PERIOD = re.compile(r"^([0-9]{4})(?:-([0-9]{4}))?$")


_SOURCE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def _load_sources(ds: Dataset, problems: Problems) -> None:
    path = ds.root / "sources.yaml"
    where = shown(path)
    try:
        raw = read_yaml(path, ds.yaml_cache)
    except InputError as e:
        problems.extend(e)
        return
    ds.files.append(path)
    if not isinstance(raw, dict):
        problems.add(where, 1, message="应为“来源ID: 说明”的映射（每个来源一段，下面缩进写 title: 等）",
                     found=type(raw).__name__ if raw is not None else "空")
        return
    for key, val in raw.items():
        if not _SOURCE_ID.match(str(key)):
            problems.add(where, line_of(raw, key), field=str(key), expected="英文字母、数字、下划线或连字符（如 congress13）",
                         found=str(key))
            continue
        spec, errs = S.validate(SF.SourceSpec, val, where)
        for err in errs:
            problems.items.append(Problem(err.file, err.line if isinstance(val, dict) else line_of(raw, key),
                                          field=f"{key}.{err.field}" if err.field else str(key), message=err.message,
                                          found=err.found))
        if spec is not None:
            ds.sources[str(key)] = dict(val)


def read_settings(data: Path) -> dict[str, Any]:
    """data/settings.yaml validated: county, bulletin_title, unpublished, review; {} when absent; else InputError."""
    path = data / "settings.yaml"
    if not path.exists():
        return {}
    raw = read_yaml(path)
    spec, errs = S.validate(SF.SettingsSpec, raw, shown(path))
    if errs or spec is None:
        raise InputError(errs)
    return {"county": spec.county, "bulletin_title": spec.bulletin_title,
            "unpublished": spec.unpublished.model_dump(), "review": spec.review.model_dump(),
            "display_units": dict(spec.display_units),
            "briefing_defaults": {k: dict(v) for k, v in spec.briefing_defaults.items()}}


def _load_settings(ds: Dataset, problems: Problems) -> None:
    try:  # not an input of any document: the yearly workbook and bulletin use it
        ds.settings = read_settings(ds.root)
    except InputError as e:
        problems.extend(e)


def _check_display_units(ds: Dataset, problems: Problems) -> None:
    """settings.yaml `display_units`: each names an indicator and a unit its catalogue unit converts to."""
    path = ds.root / "settings.yaml"
    for ind_id, unit in (ds.settings.get("display_units") or {}).items():
        ind = ds.indicators.get(ind_id)
        if ind is None:
            problems.add(shown(path), field=f"display_units.{ind_id}", found=ind_id,
                         message="指标目录中没有这个指标。" + did_you_mean(ind_id, ds.indicators))
        elif not units.convertible(unit, ind.unit):
            problems.add(shown(path), field=f"display_units.{ind_id}", found=unit,
                         message=f"显示单位不能由指标单位“{ind.unit}”换算", expected=f"与 {ind.unit} 同类的单位")


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


def _load_categories(ds: Dataset, problems: Problems) -> None:
    """data/categories.yaml (not a text: its words are never bound or checked as references)."""
    path = ds.root / "categories.yaml"
    try:
        raw = read_yaml(path)
    except InputError as e:
        problems.extend(e)
        return
    ds.files.append(path)
    spec, errs = S.validate(SF.CategoriesFile, raw, shown(path))
    problems.items.extend(errs)
    if spec is None:
        return
    items = raw.get("categories")
    for i, c in enumerate(spec.categories):
        if c.id in ds.categories:
            problems.add(shown(path), line_of(items[i], "id"), field=f"categories[{i + 1}].id",
                         message=f"类别“{c.id}”重复")
        ds.categories[c.id] = c


def _check_category_members(ds: Dataset, problems: Problems) -> None:
    path = ds.root / "categories.yaml"
    for i, c in enumerate(ds.categories.values()):
        for ind in c.indicators:
            if ind not in ds.indicators:
                problems.add(shown(path), None, field=f"categories[{i + 1}].indicators", found=ind,
                             message="没有这个指标。" + did_you_mean(ind, ds.indicators))


def _load_indicators(ds: Dataset, problems: Problems) -> None:
    required = {"id", "name", "unit", "decimals", "category", "growth", "yearly"}
    for where, line, row in _csv_rows(ds, ds.root / "indicators", INDICATOR_COLUMNS, required, "指标目录", problems):
        def cell(name: str, **kw: str | None) -> None:  # a problem in one cell: line, column number and name
            problems.add(where, line, column=INDICATOR_COLUMNS.index(name) + 1, field=name, **kw)  # noqa: B023 - used at once

        bad = False
        if not _ID.match(row["id"]):
            cell("id", expected="小写英文字母、数字和下划线（如 gdp_growth）", found=row["id"])
            bad = True
        if row["unit"] and not units.known(row["unit"]):
            cell("unit", message="不认识的单位（见 data/README.md 的单位表）", found=row["unit"])
            bad = True
        if not re.fullmatch(r"[0-4]", row["decimals"]):
            cell("decimals", message=halfwidth_problem(row["decimals"]),
                         expected="0 到 4 的整数", found=row["decimals"])
            bad = True
        if ds.categories and row["category"] not in ds.categories:  # (no categories: their file's problem stands)
            cell("category", message=did_you_mean(row["category"], ds.categories),
                 expected=" / ".join(ds.categories) + "（类别见 data/categories.yaml）", found=row["category"])
            bad = True
        if row["growth"] not in ("stated", "derivable", "none"):
            cell("growth", expected="stated / derivable / none", found=row["growth"])
            bad = True
        if row["yearly"] not in ("yes", "no"):
            cell("yearly", expected="yes 或 no", found=row["yearly"])
            bad = True
        if bad:
            continue
        if row["id"] in ds.indicators:
            first = ds.indicators[row["id"]]
            cell("id", message=f"指标“{row['id']}”重复定义（首次定义在 {first.file} 第{first.line}行）")
            continue
        ds.indicators[row["id"]] = Indicator(
            row["id"], row["name"], row["unit"], int(row["decimals"]), row["category"], row["growth"],
            row["growth_indicator"], row["yearly"] == "yes", row["description"], where, line)
    for ind in ds.indicators.values():
        if ind.growth_indicator and ind.growth_indicator not in ds.indicators:
            problems.add(ind.file, ind.line, field="growth_indicator", found=ind.growth_indicator,
                         message="引用了不存在的指标。" + did_you_mean(ind.growth_indicator, ds.indicators))


def _load_figures(ds: Dataset, problems: Problems) -> None:
    required = {"indicator", "period", "value", "unit", "source"}
    for where, line, row in _csv_rows(ds, ds.root / "figures", FIGURE_COLUMNS, required, "数字记录", problems):
        def cell(name: str, **kw: str | None) -> None:  # a problem in one cell: line, column number and name
            problems.add(where, line, column=FIGURE_COLUMNS.index(name) + 1, field=name, **kw)  # noqa: B023 - used at once

        ind = ds.indicators.get(row["indicator"])
        ok = True
        if ind is None:
            cell("indicator", found=row["indicator"],
                         message="指标目录中没有这个指标。" + did_you_mean(row["indicator"], ds.indicators))
            ok = False
        pm = _PERIOD.match(row["period"])
        if not pm or (pm.group(2) and int(pm.group(2)) < int(pm.group(1))):
            cell("period", message=halfwidth_problem(row["period"]),
                         expected="年份（如 2024）或时期（如 2021-2025）", found=row["period"])
            ok = False
        text, value = row["value"], Decimal(0)
        if is_unpublished(row["value"]):
            text = ""  # "—": the source says this figure was not published (no figure, not an error)
        else:
            try:
                text, value = read_figure(row["value"], row["unit"])  # full-width / − / 1,234 normalised
            except ValueError as exc:
                cell("value", message=str(exc), found=row["value"])
                ok = False
        if not units.known(row["unit"]):
            cell("unit", message="不认识的单位", found=row["unit"])
            ok = False
        elif ind is not None and not units.convertible(row["unit"], ind.unit):
            cell("unit", message=f"与指标“{ind.id}”的单位不一致", expected=f"{ind.unit} 或可换算的单位", found=row["unit"])
            ok = False
        if row["source"] not in ds.sources:
            cell("source", message="sources.yaml 中没有这个来源。" + did_you_mean(row["source"], ds.sources), expected=" / ".join(ds.sources) or "来源ID", found=row["source"])
            ok = False
        if not ok or ind is None:
            continue
        fig = Figure(row["indicator"], row["period"], row["scope"], text, value, row["unit"],
                     row["source"], row["section"], row["note"], where, line)
        if not text:
            ds.unpublished.setdefault(fig.key, fig)
            continue
        old = ds.figures.get(fig.key)
        if old is not None:
            same = units.convert(old.value, old.unit, ind.unit) == units.convert(fig.value, fig.unit, ind.unit)
            if not same and _supersedes(ds, fig, old):
                ds.superseded[fig.key] = old
                ds.figures[fig.key] = fig
            elif not same and _supersedes(ds, old, fig):
                ds.superseded[fig.key] = fig
            elif not same:
                cell("value", message=f"与 {old.file} 第{old.line}行的同一数字（{fig.ref()}）冲突：那里是 {old.text}{old.unit}，这里是 {fig.text}{fig.unit}"
                     f"（公报数字为准时，{BULLETIN_WINS_HINT}，或在公报那一行的 note 写“以公报为准”）")
            continue
        ds.figures[fig.key] = fig


SUPERSEDES = "以公报为准"  # in the note of a bulletin record: it replaces another source's figure for the same key


def _supersedes(ds: Dataset, new: Figure, old: Figure) -> bool:
    """A bulletin record whose note says 以公报为准 replaces another source's record (kept, with its source)."""
    kind = str(ds.sources.get(new.source, {}).get("kind") or "")
    return kind == "统计公报" and SUPERSEDES in new.note and new.source != old.source


def _load_yaml_spec(ds: Dataset, path: Path, model: type[S.Spec], problems: Problems, optional: bool = False) -> Any:
    if optional and not path.exists():
        return None
    try:
        raw = read_yaml(path, ds.yaml_cache)
    except InputError as e:
        problems.extend(e)
        return None
    ds.files.append(path)
    spec, errs = S.validate(model, raw, shown(path))
    problems.items.extend(errs)
    if spec is not None:
        ds.raw_texts[str(path)] = raw
    return spec


def load_dataset(root: Path, year: int | None = None, briefings: bool = True, project: Path | None = None,
                 cache: Path | None = None) -> Dataset:
    """Load and validate everything under data/; raise InputError listing every problem.

    One bad briefing spec does not stop the rest: when every problem lies in briefing specs, those specs are set
    aside (`Dataset.set_aside`, with their problems) and the data is loaded again without them, so the year
    choice and every check see only the specs that are used. Any other problem raises, with the specs' too.
    `project`: the folder symlinks may lead into (default: the one holding data/; a check of a temporary copy
    passes the real project, whose assets/images it links). `cache`: where parsed YAML is kept (textio.read_yaml)."""
    aside: dict[str, list[Problem]] = {}
    while True:
        try:
            ds = _load_dataset(root, year, briefings, project, set(aside), cache)
        except InputError as exc:
            bad = _only_briefings(root, exc.problems, aside)
            if not bad:
                raise InputError([p for ps in aside.values() for p in ps] + exc.problems) from None
            aside.update(bad)
            continue
        ds.set_aside = aside
        return ds


def _only_briefings(root: Path, problems: list[Problem], aside: dict) -> dict[str, list[Problem]]:
    """Problems grouped by the briefing spec they lie in — empty when any lies elsewhere (or in one set aside)."""
    names: dict[str, str] = {}
    for path in (Path(root) / "briefings").glob("*.yaml"):
        if path.stem not in aside:
            for key in (shown(path), str(path), str(path.resolve()), f"data/briefings/{path.name}"):
                names[key] = path.stem
    found: dict[str, list[Problem]] = {}
    for p in problems:
        stem = names.get(p.file)
        if stem is None:
            return {}
        found.setdefault(stem, []).append(p)
    return found


def _load_dataset(root: Path, year: int | None, briefings: bool, project: Path | None, aside: set[str],
                  cache: Path | None = None) -> Dataset:
    tree = Path(os.path.abspath(root)).parent  # before resolving: a data/ that is a link out is refused
    root = root.resolve()
    if not root.is_dir():
        raise InputError(Problem(str(root), message="找不到数据文件夹 data/：请在项目文件夹中运行，"
                                                    "或用 --root 指定项目文件夹（含 data/、templates/、assets/）"))
    ds = Dataset(root=root, yaml_cache=cache)
    problems = Problems()
    problems.items.extend(confinement_problems(tree, project or tree))
    problems.raise_if_any()  # nothing is read through a link that leads out of the project
    _load_sources(ds, problems)
    _load_settings(ds, problems)
    _load_categories(ds, problems)
    _load_indicators(ds, problems)
    _check_display_units(ds, problems)
    _check_category_members(ds, problems)
    _load_figures(ds, problems)
    _load_charts(ds, problems)
    derived = _load_yaml_spec(ds, root / "derived.yaml", S.DerivedFile, problems, optional=True)
    ds.derived = list(derived.derived) if derived else []
    _load_texts(ds, briefings, problems, aside)
    _load_numbers(ds, problems)
    problems.raise_if_any()
    check_indicators_named(ds, problems)
    problems.raise_if_any()
    _choose_year(ds, year, problems)
    check_references(ds, ds.year, problems)
    check_charts(ds, ds.year, problems)
    for name, spec in ds.briefings.items():
        path = root / "briefings" / f"{name}.yaml"
        check_inline_charts(ds, spec, ds.raw_texts[str(path)], shown(path), ds.year, problems)
    run_checks(ds, problems)
    problems.raise_if_any()
    from generators.load.gaps import notes

    ds.warnings.extend(notes(ds, ds.year, explicit=year is not None))
    for key, old in sorted(ds.superseded.items()):
        new = ds.figures[key]
        ds.warnings.append(f"{new.ref()}：以{new.file} 第{new.line}行的公报数字 {new.text}{new.unit} 为准；"
                           f"{old.file} 第{old.line}行（来源 {old.source}）的 {old.text}{old.unit} 保留在原文件中，不再使用")
    return ds


def _load_numbers(ds: Dataset, problems: Problems) -> None:
    """data/numbers.yaml, the register of issued 期号 and 发文字号 (absent: nothing issued yet). Not an input of
    every document: a briefing's hash holds its own resolved number (generators/numbering.py)."""
    path = ds.root / "numbers.yaml"
    if not path.exists():
        return
    try:
        raw = read_yaml(path, ds.yaml_cache)
    except InputError as e:
        problems.extend(e)
        return
    spec, errs = S.validate(SF.NumbersFile, {} if raw is None else raw, shown(path))  # only comments: nothing yet
    problems.items.extend(errs)
    if spec is None:
        return
    items = raw.get("issued") or [] if isinstance(raw, dict) else []
    seen: dict[tuple[str, str, int, int], str] = {}
    for i, entry in enumerate(spec.issued):
        key = (entry.kind, entry.series, entry.year, entry.number)
        if key in seen and seen[key] != entry.briefing:
            problems.add(shown(path), line_of(items, i), field=f"issued[{i + 1}].number", found=str(entry.number),
                         message=f"{entry.series} {entry.year} 年的{entry.kind} {entry.number} 登记了两次：已给了 {seen[key]}，这里又给 {entry.briefing}",
                         expected="每个编号只给一份简报（删去或改正其中一行）")
        seen.setdefault(key, entry.briefing)
    ds.numbers = list(spec.issued)


def _load_charts(ds: Dataset, problems: Problems) -> None:
    root = ds.root
    charts = _load_yaml_spec(ds, root / "charts.yaml", S.ChartsFile, problems)
    if charts:
        items = ds.raw_texts[str(root / "charts.yaml")].get("charts")
        for i, c in enumerate(charts.charts):
            if c.id in ds.charts:
                problems.add(shown(root / "charts.yaml"), line_of(items[i], "id"), field=f"charts[{i + 1}].id",
                             message=f"图表ID“{c.id}”重复")
            ds.charts[c.id] = c


def _load_texts(ds: Dataset, briefings: bool, problems: Problems, aside: set[str] | None = None) -> None:
    """The products' text files (the registry says which, and their schemas), then the briefing specs (those set
    aside skipped); every `use:` checked against the ids of the citable texts."""
    root = ds.root
    specs: list[tuple[S.Spec, Path]] = []
    for stem, text in products.text_files().items():
        path = root / text.path
        spec = _load_yaml_spec(ds, path, text.spec, problems)
        if spec is None:
            continue
        ds.texts[stem] = spec
        if text.citable:
            index_blocks(ds, stem, spec, ds.raw_texts[str(path)], shown(path), problems)
        specs.append((spec, path))
    if briefings:
        for path in sorted(p for p in (root / "briefings").glob("*.yaml") if p.stem not in (aside or ())):
            spec = _load_yaml_spec(ds, path, S.BriefingSpec, problems)
            if spec is not None:
                ds.briefings[path.stem] = spec
                specs.append((spec, path))
    for spec, path in specs:
        check_uses(ds, spec, ds.raw_texts[str(path)], shown(path), problems)


def _choose_year(ds: Dataset, year: int | None, problems: Problems) -> None:
    """The edition year: the one asked for if it can be built, else the newest that is complete or has an
    imported bulletin (generators/load/years.py, the one rule); say when newer figures exist."""
    from generators.load.years import default_year, status_of, year_statuses

    root = ds.root
    if year is None:
        chosen = default_year(ds)
        if chosen is None:
            problems.add(shown(root), message="找不到能让所有“@Y”引用都有数字的年份（下面列出最新一年缺少的数字）",
                         expected="至少一个完整的年度")
            if ds.years():
                from generators.load.gaps import collect

                for g in collect(ds, ds.years()[-1]):
                    problems.add(g.file, g.line, message=f"“{g.written}”在 {ds.years()[-1]} 年没有数字（{g.ref}）")
            problems.raise_if_any()
        year = chosen
    else:
        status = status_of(ds, year)
        if not status.buildable:
            can = [s.year for s in year_statuses(ds) if s.buildable]
            problems.add(shown(root), field="--year", message=(
                f"{year}年：{status.reason}。可以生成的年份：" + ("、".join(map(str, can)) or "无")))
    assert year is not None
    ds.year = year
    note = _newer_figures_note(ds, year)
    if note:
        ds.warnings.append(note)


def _newer_figures_note(ds: Dataset, year: int) -> str | None:
    """Never silently last year: why the edition is not the newest year that has figures."""
    from generators.load.years import status_of

    newer = [y for y in ds.years() if y > year]
    if not newer:
        return None
    y = newer[-1] if year + 1 not in newer else year + 1
    count = sum(1 for f in ds.figures.values() if f.year == y)
    status = status_of(ds, y)
    hint = (f"导入 {y} 年统计公报后运行 reportgen build --year {y}" if not status.buildable
            else f"要生成该年版本请加 --year {y}")
    return (f"数据中最新的年份是 {y} 年（{count} 条数字），但版本年份为 {year} 年：{y}年"
            + ("没有导入统计公报，" if not status.bulletin else "") + f"{status.reason}。{hint}")
