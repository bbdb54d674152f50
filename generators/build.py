"""Orchestration: which documents are stale, build them (in parallel), publish into out/ as one transaction."""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from generators import __version__, publish, unchanged
from generators import editions as E
from generators import products as R
from generators.buildlog import BuildOptions, Logger, append_log
from generators.errors import InputError, Problem, Problems, ReportgenError, SetAside, shown
from generators.fsutil import safe_relative
from generators.outfolder import is_safe
from generators.outlock import lock_path, output_lock
from generators.project import Project
from generators.writing import check_document, locate_in_data

if TYPE_CHECKING:
    from generators.workers import Crew, Head

MANIFEST = publish.MANIFEST


# ---- where documents may go ----------------------------------------------------------------------------

def check_out_folder(project: Project, out: Path, option: str = "--out") -> Path:
    """The output folder, resolved and created; never an input or code folder of the project (outfolder.claim)."""
    from generators.outfolder import claim

    return claim(project.root, out, option)


def read_manifest(out: Path) -> dict:
    """The manifest of out/, keeping only entries that name a document inside out/ (others are ignored)."""
    try:
        raw = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(raw, dict):
        return {}
    suffixes = {f.suffix for p in R.PRODUCTS.values() for f in p.formats}

    def ok(rel) -> bool:
        return (safe_relative(rel) == rel and Path(rel).suffix in suffixes and is_safe(out, rel)
                and not rel.startswith(E.FOLDER + "/"))  # never a kept edition's file

    files, products = raw.get("files"), raw.get("products")
    files = files if isinstance(files, dict) else {}
    products = products if isinstance(products, dict) else {}
    clean_products = {}
    for name, entry in products.items():
        if name in R.PRODUCTS and isinstance(entry, dict) and isinstance(entry.get("files"), list):
            clean_products[name] = {**entry, "files": [f for f in entry["files"] if ok(f)]}
    return {**raw, "files": {k: v for k, v in files.items() if ok(k) and isinstance(v, dict)},
            "products": clean_products}


def up_to_date(out: Path, manifest: dict, product: str, digest: str) -> bool:
    entry = manifest.get("products", {}).get(product)
    if not entry or entry.get("inputs") != digest:
        return False
    files = manifest.get("files", {})
    for rel in entry.get("files", []):
        p = out / rel
        if not p.is_file() or p.stat().st_size != files.get(rel, {}).get("size"):
            return False
    return True


# ---- documents ---------------------------------------------------------------------------------------

def check_texts(project: Project) -> None:
    """Every character of data/'s texts has a glyph in the bundled fonts (located by file and line)."""
    from generators.fonts import text_glyph_problems

    problems = text_glyph_problems(project.dataset, project.glyphs)
    if problems:
        raise InputError(problems)


def theme_note_problems(project: Project) -> list[Problem]:
    """What a designer may want to look at (notes, not errors): text colours without enough contrast, and
    template places the build cannot colour from theme.toml (a style without the border the contract colours)."""
    from generators.theme_check import check_theme_agreement, contrast_problems

    return contrast_problems(project.theme) + check_theme_agreement(project.root, project.theme)


def theme_notes(project: Project) -> list[str]:
    """The notes as `reportgen check` prints them (the 模板与设计 page shows the same sentences)."""
    return ["提示：" + p.render() for p in theme_note_problems(project)]


#: How the 模板与设计 page and `check` name each template file in plain words.
TEMPLATE_TITLES = {"templates/deck.pptx": "幻灯片模板（PowerPoint）", "templates/theme.toml": "主题（颜色、字体、字号）"}


def _project_relative(project: Project, file: str) -> str:
    """A problem's file as the project names it (templates/deck.pptx), however the run was started."""
    path = Path(file)
    if path.is_absolute():
        try:
            return path.resolve().relative_to(project.root.resolve()).as_posix()
        except ValueError:
            return file
    return file.replace("\\", "/")


def template_report(project: Project) -> list[dict]:
    """Every problem (错误) and note (提示) of templates/ and theme.toml, grouped by file, each as the sentence
    `reportgen check` prints: the one source of the 模板与设计 page."""
    problems: list[Problem] = []
    notes: list[Problem] = []
    try:
        check_templates(project, list(R.PRODUCTS.values()))
    except InputError as exc:
        problems += exc.problems
    try:
        notes = theme_note_problems(project)
    except InputError as exc:  # a theme.toml that does not load is one error, already named above or here
        problems += [p for p in exc.problems if p not in problems]
    groups: dict[str, dict] = {}
    for kind, items in (("错误", problems), ("提示", notes)):
        for p in items:
            file = _project_relative(project, p.file)
            title = TEMPLATE_TITLES.get(file) or (f"简报模板“{file.removeprefix('templates/briefing-').removesuffix('.docx')}”"
                                                  f"格式（Word）" if file.startswith("templates/briefing-") else file)
            group = groups.setdefault(file, {"file": file, "title": title, "items": []})
            group["items"].append({"kind": kind, "text": replace(p, file=file).render()})
    order = ["templates/deck.pptx"] + sorted(f for f in groups if f.startswith("templates/briefing-"))
    return sorted(groups.values(), key=lambda g: (order.index(g["file"]) if g["file"] in order else len(order),
                                                  g["file"]))


def check_templates(project: Project, products: list[R.Product]) -> None:
    """Each writer that declares `check_template(env)` verifies its template; all problems at once."""
    env = project.env  # a bad theme is one error, not one per product
    passed = _passed_template_checks(project)
    problems = Problems()
    for product in products:
        key = _template_key(project, product.name)
        if key in passed:
            continue  # these exact templates, theme and writer passed before: no need to open them again
        checks = [c for f in product.formats if (c := getattr(product.writer_module(f.suffix), "check_template", None))]
        if not checks:  # remembered too: its writer (the PDF's ReportLab) is not imported only to find none
            passed.add(key)
            continue
        try:
            for check in checks:
                check(env)
            passed.add(key)
        except InputError as exc:  # two products sharing a template (briefings, factsheet) name its problem once
            problems.items += [p for p in exc.problems if p not in problems.items]
    _remember_template_checks(project, passed)
    problems.raise_if_any()


_TEMPLATE_CHECKS = "template-checks.json"
_THEME_NOTES = "theme-notes.json"


def _theme_note_count(project: Project) -> int:
    """How many theme notes the build mentions: counted again only when templates/ or the code changed."""
    from generators.fsutil import atomic_write

    if project.cache_dir is None:
        return len(theme_notes(project))
    key = _template_key(project, "notes")
    kept = project.cache_dir / _THEME_NOTES
    try:
        known = json.loads(kept.read_text(encoding="utf-8"))
        if isinstance(known, dict) and isinstance(known.get(key), int):
            return int(known[key])
    except (OSError, ValueError):
        pass
    count = len(theme_notes(project))
    try:
        atomic_write(kept, json.dumps({key: count}))
    except OSError:
        pass  # a cache that cannot be written only costs time
    return count


def _template_key(project: Project, what: str) -> str:
    """What a template check (or the theme-note count) depends on: every file in templates/ and the code."""
    from generators.fsutil import files_under
    from generators.project import code_hash

    return project.digests.hash_files(project.root, files_under(project.templates), f"{code_hash()}|{what}")


def _passed_template_checks(project: Project) -> set[str]:
    if project.cache_dir is None:  # check: always look at the templates themselves
        return set()
    try:
        return set(json.loads((project.cache_dir / _TEMPLATE_CHECKS).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return set()


def _remember_template_checks(project: Project, passed: set[str]) -> None:
    if project.cache_dir is None or not passed:
        return
    from generators.fsutil import atomic_write

    try:
        atomic_write(project.cache_dir / _TEMPLATE_CHECKS, json.dumps(sorted(passed)[-32:]))
    except OSError:
        pass  # a cache that cannot be written only costs time


def plan_outputs(project: Project, products: list[R.Product]) -> list[tuple[R.Product, str | None, str]]:
    """(product, item, output name) for every document; two specs with one output name name each other."""
    jobs: list[tuple[R.Product, str | None, str]] = []
    seen: dict[str, str | None] = {}
    problems = Problems()
    for p in products:
        for item in p.items(project.dataset):
            for fmt in p.formats:
                rel = p.output_name(p.stem(project.dataset, item), fmt.suffix)
                key = rel.casefold()  # Windows and macOS folders do not tell 简报.docx from 简报.DOCX
                if key in seen:
                    first = seen[key]
                    problems.add(f"data/briefings/{item}.yaml", field="file", message=f"输出文件名 {rel} 与 data/briefings/{first}.yaml 相同",
                                 expected="每份简报不同的 file 或标题", found=rel)
                seen[key] = item
                jobs.append((p, item, rel))
    problems.raise_if_any()
    return jobs


# ---- the build --------------------------------------------------------------------------------------

def run_build(opts: BuildOptions, progress: Callable[[str], None] | None = None, head: Head | None = None) -> dict:
    """Build the stale products of `opts` into that year's kept edition and publish it (editions.py); returns
    the edition's new manifest (or the old one when nothing was stale). `head`: the build already begun
    (workers.starting, as the CLI does before importing this module)."""
    if head is None:
        from generators.workers import starting

        with starting(opts) as head:
            return _run_build(opts, progress, head)
    return _run_build(opts, progress, head)


def _run_build(opts: BuildOptions, progress: Callable[[str], None] | None, head: Head) -> dict:
    before, project, chosen, crew = head.before, head.project, head.chosen, head.crew
    logger = Logger(opts.quiet, opts.log)
    say = progress or logger.info
    out = check_out_folder(project, opts.out)
    from generators.load.years import status_of
    from generators.workers import sigterm_as_exit

    numbers = _numbers(project, chosen)  # a 期号 or 发文字号 reused: refused before anything is built
    with sigterm_as_exit(), output_lock(lock_path(project.locks, out), out, say):
        note = publish.recover(out)
        if note:
            say(note)
        year_line = f"版本年份 {project.year}：{status_of(project.dataset, project.year).reason}"
        say(year_line)
        stage = publish.stage_dir(out)
        try:
            done = _build_edition(project, opts, chosen, out, stage, say, crew)
        finally:
            try:
                if crew is not None:
                    crew.stop()  # no worker may write into the stage once it is discarded
            finally:
                publish.discard(out)
        # published (or already up to date): these numbers are issued
        wrote = _record_numbers(project, numbers, say) if opts.issue else False
        if not wrote and not project.dataset.set_aside:  # all up to date now: the next unchanged build is quick
            unchanged.remember(replace(opts, out=out), before,
                               [year_line, nothing_to_do(project.year, E.edition_dir(out, project.year))])
    if done is None:
        report_set_aside(project)
        return read_manifest(E.edition_dir(out, project.year)) or read_manifest(out)
    manifest, count, current = done
    where = shown(E.edition_dir(out, project.year))
    say(f"完成：发布 {project.year} 年版本，{count} 个文件写入 {where}/（版本年份 {project.year}）；"
        + (f"它是当前版本，也放在 {shown(out)}/ 顶层" if current else
           f"当前版本仍是 {shown(out)}/ 顶层的 {E.current_year(out, read_manifest(out))} 年版本，未改动"))
    for w in project.dataset.warnings:  # e.g. newer figures than the edition built: never silently last year
        if opts.notes:  # --quiet: errors only on the console (a scheduled job's error log); the log has all
            print("提示：" + w, file=sys.stderr)
        append_log(opts.log, "提示：" + w)
    report_set_aside(project)
    return manifest


def nothing_to_do(year: int, own: Path) -> str:
    return f"所有文档均为最新，无需重新生成（--force 可强制重建）；{year} 年版本在 {shown(own)}/。"


def _numbers(project: Project, chosen: list[R.Product]) -> list:
    """The 期号 and 发文字号 of the briefings this build makes (numbering.plan), when the briefings are chosen."""
    from generators.numbering import plan

    return list(plan(project.dataset).values()) if any(p.kind == "briefing" for p in chosen) else []


def _record_numbers(project: Project, numbers: list, say: Callable[[str], None]) -> bool:
    """Record the numbers; True when data/numbers.yaml was written or should have been (not all is settled)."""
    from generators.numbering import FILE, record

    try:
        added = record(project.data, numbers)
    except OSError as exc:  # published all the same; the next build gives the same numbers and records them
        say(f"提示：无法写入 data/{FILE}（{exc.strerror or exc}），本次的编号未登记；下次生成时会再登记。")
        return True
    except ReportgenError as exc:  # the page gave one of these numbers while this build ran, or the lock timed out
        why = "；".join(p.render() for p in exc.problems) if isinstance(exc, InputError) else str(exc)
        msg = f"注意：编号未能登记（{why}）。请检查已发布的简报，再生成一次。"
        print(msg, file=sys.stderr)
        say(msg)
        return True
    if not added:
        return False
    say(f"已登记 {len(added)} 个新编号到 data/{FILE}：" + "、".join(f"{a.briefing} {a.series}{a.text}" if a.kind == "期号"
                                                                else f"{a.briefing} {a.text}" for a in added))
    return True


def _build_edition(project: Project, opts: BuildOptions, chosen: list[R.Product], out: Path, stage: Path,
                   say: Callable[[str], None], crew: Crew | None = None) -> tuple[dict, int, bool] | None:
    """Stage and publish one year's edition (and the top of out/ when it is the current one); None when
    every chosen document of that edition is up to date."""
    from generators.workers import run_jobs

    year, top, steps = project.year, read_manifest(out), E.Steps()
    top_year = E.current_year(out, top)
    legacy = top_year is not None and not (E.edition_dir(out, top_year) / MANIFEST).is_file()
    if legacy and top_year != year:
        E.adopt_top(out, top, stage, steps)  # the set at the top from before editions were kept, kept now
    own = E.edition_dir(out, year)
    base, old = (out, top) if legacy and top_year == year else (own, read_manifest(own))
    hashes = {p.name: project.inputs_hash(p, year) for p in chosen}
    project.digests.save()
    stale = [p for p in chosen if opts.force or not up_to_date(base, old, p.name, hashes[p.name])]
    kept = E.kept_years(out) + ([top_year] if legacy and top_year is not None else [])
    current = all(year >= y for y in kept)
    if not stale and not steps.put and not (current and top_year != year):
        say(nothing_to_do(year, own))
        return None
    results: dict[str, list[str]] = {}
    staged = stage / E.FOLDER / str(year)
    staged.mkdir(parents=True, exist_ok=True)
    if stale:
        jobs = plan_outputs(project, stale)
        if crew is not None:  # the early worker starts on the longest document while the checks run
            crew.begin([(p.name, item, rel) for p, item, rel in jobs], staged)
        check_templates(project, stale)
        check_texts(project)
        notes = _theme_note_count(project)
        if notes:
            say(f"提示：主题与模板有 {notes} 处需要设计人员看一看（颜色对比度、模板缺的边框或底纹），运行 reportgen check 查看。")
        results = run_jobs(project, [(p.name, item, rel) for p, item, rel in jobs], staged, say, crew)
    keep = _kept(project, base, old, stale, results)  # a set-aside spec's old files stay until it is fixed
    edition = _new_manifest(old, stale, results, hashes, year, staged, keep)
    rebuilt = {rel for rels in results.values() for rel in rels}
    sources: dict[str, Path] = {}
    for rel in edition["files"]:
        if rel in rebuilt:
            steps.put.append(E.rel_in(year, rel))
            sources[rel] = staged / rel
        elif base is out:  # a file of the set at the top, now kept in its edition folder too
            E.stage_copy(out / rel, stage, E.rel_in(year, rel), steps)
            sources[rel] = staged / rel
        else:
            sources[rel] = own / rel
    if base is own:
        steps.remove += [E.rel_in(year, rel) for rel in _dropped(own, old, stale, results) if rel not in keep]
    E.stage_json(stage, E.rel_in(year, MANIFEST), edition, steps)
    E.stage_json(stage, E.rel_in(year, E.STATE), E.data_state(project), steps)
    if current:
        E.mirror_top(out, top, edition, sources, rebuilt, stage, steps)
    plan = publish.Plan(put=list(dict.fromkeys(steps.put)), remove=list(dict.fromkeys(steps.remove)),
                        manifest=edition if current else None)
    publish.publish(out, stage, plan)
    return edition, len(rebuilt), current


def report_set_aside(project: Project) -> None:
    """Exit 2 naming every briefing spec that was set aside (file and line), after the rest was published."""
    aside = project.dataset.set_aside
    if aside:
        raise SetAside([p for stem in sorted(aside) for p in aside[stem]])


def _kept(project: Project, out: Path, old: dict, stale: list[R.Product], results: dict[str, list[str]]) -> set[str]:
    """Old files of a product whose specs were set aside: kept in out/ (and the manifest) until the spec is fixed
    — which of them came from the bad spec is not known, so none is removed."""
    if not project.dataset.set_aside:
        return set()
    return {rel for p in stale if any(g.startswith("briefings/") for g in p.data)
            for rel in old.get("products", {}).get(p.name, {}).get("files", [])
            if rel not in results.get(p.name, []) and (out / rel).is_file()}


def _dropped(out: Path, old: dict, stale: list[R.Product], results: dict[str, list[str]]) -> list[str]:
    """Files of a rebuilt product that it no longer makes (a deleted briefing): removed in the same publish."""
    gone = []
    for p in stale:
        for rel in old.get("products", {}).get(p.name, {}).get("files", []):
            if rel not in results.get(p.name, []) and (out / rel).is_file():
                gone.append(rel)
    return gone


def _new_manifest(old: dict, stale: list[R.Product], results: dict[str, list[str]], hashes: dict[str, str],
                  year: int, stage: Path, keep: set[str] | None = None) -> dict:
    keep = keep or set()
    files = dict(old.get("files", {}))
    products = dict(old.get("products", {}))
    for p in stale:
        kept = [rel for rel in products.get(p.name, {}).get("files", []) if rel in keep]
        for rel in products.get(p.name, {}).get("files", []):
            if rel not in keep:
                files.pop(rel, None)
        for rel in results.get(p.name, []):
            data = (stage / rel).read_bytes()
            files[rel] = {"product": p.name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                          "inputs": hashes[p.name], "edition_year": year}
        products[p.name] = {"inputs": hashes[p.name], "files": sorted({*results.get(p.name, []), *kept}),
                            "edition_year": year}
    return {"generator": f"reportgen {__version__}", "edition_year": year,
            "products": dict(sorted(products.items())), "files": dict(sorted(files.items()))}


def run_editions(root: Path, out: Path, prune: int | None = None) -> list[dict]:
    """The kept editions (newest first), each with what changed in data/ since it was built; with `prune`, that
    edition deleted first (one publish transaction: under the lock, all or nothing)."""
    project = Project.open(root)
    if prune is None and not out.is_dir():
        return []  # nothing built yet: a listing creates no folder
    out = check_out_folder(project, out)
    if prune is not None:
        with output_lock(lock_path(project.locks, out), out, lambda _m: None):
            publish.recover(out)
            stage = publish.stage_dir(out)
            try:
                steps, top = E.prune_plan(out, prune, read_manifest, stage)
                publish.publish(out, stage, publish.Plan(put=steps.put, remove=steps.remove, manifest=top))
            finally:
                publish.discard(out)
            E.drop_empty(out, prune)
    listed = E.editions_list(out, read_manifest)
    try:
        now = E.data_state(project)
    except InputError:
        now = None  # data/ cannot be read right now: the list is still shown, without what changed
    for ed in listed:
        ed["changes"] = E.state_changes(ed["state"], now) if now is not None and ed["state"] else None
    return listed


def run_check(root: Path, year: int | None) -> Project:
    """Validate data, charts, briefings, theme and templates, and lay out every document; write nothing."""
    project = Project.open(root, year, cache=False)
    chosen = list(R.PRODUCTS.values())
    check_templates(project, chosen)
    check_texts(project)
    problems = Problems()
    from generators.numbering import plan

    try:  # a 期号 or 发文字号 given to two briefings
        plan(project.dataset)
    except InputError as exc:
        problems.items += exc.problems
    for p, item, _rel in plan_outputs(project, chosen):
        try:
            check_document(project, p.make(project, item))
        except InputError as exc:
            problems.items += [q for q in (locate_in_data(project.dataset, q) for q in exc.problems) if q not in problems.items]
    problems.items[:0] = [q for stem in sorted(project.dataset.set_aside) for q in project.dataset.set_aside[stem]]
    problems.raise_if_any()
    ds = project.dataset
    print(f"检查通过：{len(ds.indicators)} 个指标，{len(ds.figures)} 条数字，{len(ds.charts)} 个图表，"
          f"{len(ds.briefings)} 份简报；版本年份 {ds.year}。")
    from generators.load.years import summary_lines

    print("各年份能否生成版本：")
    for line in summary_lines(ds):
        print("  " + line)
    for w in ds.warnings:
        print("提示：" + w)
    for note in theme_notes(project):
        print(note)
    return project
