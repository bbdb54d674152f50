"""The web page's one door into the core: warm project state, catalogue, briefings, builds, previews, yearly."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import sys
import threading
from pathlib import Path
from typing import Any, Callable, get_args

from generators import build as B
from generators import chartkinds
from generators import products as R
from generators.errors import InputError, Problem, ReportgenError, SetAside
from generators.fsutil import open_temp
from generators.project import Project, code_hash
from generators.web import textcheck
from generators.web.labels import field_label
from generators.web.previews import Previews
from generators.web.specyaml import form_raw, lined
from generators.web.yearlyweb import Yearly

FORM = "简报表单"  # how problems of a spec sent from the page name their "file"


_EMPTY = ("必填：不能为空", "缺少必填字段")
# Folder names mean nothing to staff: what a message of the form says instead.
_AT = r"(?:(?:/[\w.\-]+)+/)?"  # an absolute path before the folder
_FOLDERS = [(re.compile(_AT + r"data/texts/deck\.yaml ?"), "幻灯片"), (re.compile(_AT + r"data/texts/summary\.yaml ?"), "纪实"),
            (re.compile(r"请先在 ?" + _AT + r"data/indicators/ ?中登记"), "数据中还没有这项指标，请联系维护数据的同事添加"),
            (re.compile(r"指标目录 ?" + _AT + r"data/indicators/ ?"), "指标目录"),
            (re.compile(r"请先在 ?" + _AT + r"data/charts\.yaml ?中登记"), "请从图库中选择"),
            (re.compile(_AT + r"data/charts\.yaml ?"), "图库"), (re.compile(_AT + r"assets/images/ ?"), "图片库")]


def staff_words(text: str) -> str:
    for pattern, words in _FOLDERS:
        text = pattern.sub(words, text)
    return text


def problem_dict(p: Problem, roots: tuple[Path, ...] = ()) -> dict[str, Any]:
    """A located problem as the API returns it: the field path and the CLI's own Chinese sentence. A problem of
    the form is said as staff read it: an empty required field is "请填写第 1 部分的标题" (kind "missing": the
    page shows it once the field was left or the form sent), any other names the field by its label on the page
    ("第 1 部分第 2 块（段落）：……") instead of its YAML path. Any other problem: the page's words replace CLI
    options, and files of the project `roots` are named data/… (wording.py)."""
    from generators.web.wording import for_page

    if p.file == FORM and p.field:
        label = field_label(p.field)
        if p.message in _EMPTY or (p.message or "").startswith("条目数太少：至少 1 条"):
            if p.field.endswith(".blocks") or p.field == "sections":
                what = label.removesuffix("（blocks）") if p.field != "sections" else "简报"
                text = f"{what}还没有内容：请至少添加一段文字、一张图表或一段文章原文"
            elif p.field.endswith(".chart.figures"):
                text = f"请为{label.removesuffix('（图表中的数字）')}的图表选数字"
            else:
                text = f"请填写{label}"
            return {"field": p.field, "message": text + "。", "line": None, "file": p.file, "kind": "missing"}
        found = p.found if p.found not in (None, "") else None
        message = staff_words(dataclasses.replace(p, file=label, field=None, line=None, found=found).render())
        return {"field": p.field, "message": message, "line": None, "file": p.file, "kind": "problem"}
    return {"field": p.field or "", "message": for_page(p.render(), roots), "line": p.line,
            "file": for_page(p.file, roots), "kind": "problem"}


@dataclasses.dataclass
class _State:
    project: Project
    ds: Any
    env: Any
    snap: dict
    template_problems: list[Problem]
    catalogue: dict | None = None
    charts_png: dict = dataclasses.field(default_factory=dict)
    values: dict | None = None


class Service(Previews, Yearly):
    """One project, loaded once and kept warm; reloaded when a file under data/, templates/ or assets/ changes."""

    def __init__(self, root: Path, out: Path | None = None):
        self.root = root.resolve()
        self.out = (out or self.root / "out").resolve()
        self.work = self.root / "build" / "web"
        self.images = self.root / "assets" / "images"
        self._lock = threading.RLock()  # core work in this process (caches, matplotlib) one call at a time
        self._state: _State | None = None
        self._failed: tuple[dict, InputError] | None = None

    # ---- warm state ---------------------------------------------------------------------------
    def _snapshot(self) -> dict:
        from generators.preview import snapshot

        return snapshot(self.root)

    def state(self) -> _State:
        """The loaded data and writer environment; raises InputError (located) while the data is bad."""
        snap = self._snapshot()
        current = self._state
        if current is not None and current.snap == snap:
            return current  # the common case: no lock, so a running render never delays a page
        with self._lock:
            if self._state is not None and self._state.snap == snap:
                return self._state
            if self._failed is not None and self._failed[0] == snap:
                raise self._failed[1]
            project = Project.open(self.root)  # a new context: nothing loaded before the change is reused
            try:
                ds, env = project.dataset, project.env
            except InputError as exc:
                self._state, self._failed = None, (snap, exc)
                raise
            try:
                B.check_templates(project, list(R.PRODUCTS.values()))
                tp: list[Problem] = []
            except InputError as exc:
                tp = exc.problems
            self._state, self._failed = _State(project, ds, env, snap, tp), None
            return self._state

    def warm(self) -> None:
        """Load everything and render one briefing in memory, so the first real request is fast."""
        try:
            st = self.state()
            self.catalogue()
            if st.ds.briefings:
                name = sorted(st.ds.briefings)[0]
                self.render_briefing(self.briefing_raw(name))
            for chart_id in list(st.ds.charts):  # the gallery's thumbnails; the lock is taken per chart
                self.chart_png(chart_id)
        except ReportgenError:
            pass

    def problems(self) -> list[dict]:
        """The data's problems right now (empty when it loads)."""
        try:
            self.state()
            return []
        except InputError as exc:
            return [problem_dict(p, (self.root,)) for p in exc.problems]

    def set_aside(self) -> list[dict]:
        """Briefing specs with an error of their own: skipped (the rest works), each problem as the CLI words it."""
        try:
            aside = self.state().ds.set_aside
        except InputError:
            return []
        return [problem_dict(p, (self.root,)) for stem in sorted(aside) for p in aside[stem]]

    # ---- catalogue ----------------------------------------------------------------------------
    def catalogue(self) -> dict:
        st = self.state()
        if st.catalogue is not None:
            return st.catalogue
        with self._lock:
            if st.catalogue is None:
                st.catalogue = self._catalogue(st)
            return st.catalogue

    def _catalogue(self, st: _State) -> dict:
        from generators.documents.common import Context, source_name
        from generators.web.catalogue import block_entries, indicator_entries

        ds = st.ds
        ctx = Context(ds, ds.year, self.images)
        charts = [{"id": c.id, "title": _safe_plain(ctx, c.title), "kind": c.kind,
                   "kind_label": chartkinds.get(c.kind).label} for c in ds.charts.values()]
        categories = [{"id": c.id, "name": c.name} for c in ds.categories.values()]
        # every year that has figures: a briefing may cite any of them (which editions can be built: year_statuses)
        return {"year": ds.year, "years": sorted(ds.years(), reverse=True), "indicators": indicator_entries(ds, source_name),
                "categories": categories, "charts": charts,
                "blocks": block_entries(ds, lambda text: _safe_plain(ctx, text)), "presets": ["简报", "公文"]}

    def briefing_defaults(self) -> dict:
        """data/settings.yaml `briefing_defaults` for every 版式 (an empty one for a 版式 without defaults)."""
        from generators.load.specs import BriefingSpec

        given = self.state().ds.settings.get("briefing_defaults") or {}
        return {preset: dict(given.get(preset) or {}) for preset in get_args(BriefingSpec.model_fields["preset"].annotation)}

    def year_statuses(self) -> list[dict]:
        """Each year with figures: can its edition be built, and why (generators/load/years.py, the one rule)."""
        from generators.load.years import year_statuses

        return [s.as_dict() for s in year_statuses(self.state().ds)]

    def year_status(self, year: int) -> dict:
        from generators.load.years import status_of

        return status_of(self.state().ds, year).as_dict()

    def chart_png(self, chart_id: str) -> bytes | None:
        """A chart of data/charts.yaml as PNG (for the gallery); None for an unknown id."""
        st = self.state()
        if chart_id not in st.ds.charts:
            return None
        with self._lock:
            if chart_id not in st.charts_png:
                from generators.documents.common import Context, chart

                ch = chart(Context(st.ds, st.ds.year, self.images), chart_id)
                if ch is None:  # every figure of it unpublished this edition: no picture to show
                    return None
                st.charts_png[chart_id] = st.env.charts.png(ch.data)
            return st.charts_png[chart_id]

    def picked_chart_png(self, raw: Any, year: int | None = None) -> bytes:
        """A chart made from picked figures as PNG (the picture the page shows beside the block); InputError with
        the same plain message a render gives when the figures cannot make it."""
        from generators.documents.common import Context, chart_of
        from generators.load import specs as S
        from generators.load.chartcheck import inline_chart_problem, inline_chart_spec

        st = self.state()
        field = "chart"
        chart, problems = S.validate(S.InlineChart, lined(raw), FORM)
        if chart is None:
            raise InputError([dataclasses.replace(p, field=f"{field}.{p.field}" if p.field else field) for p in problems])
        when = year or st.ds.year
        errs = custom_refs(st.ds, chart, when)
        bad = errs or inline_chart_problem(st.ds, chart, when)
        if bad:
            raise InputError(Problem(FORM, field=field, message=bad))
        with self._lock:
            ch = chart_of(Context(st.ds, when, self.images), inline_chart_spec(chart, "picked"))
            if ch is None:
                raise InputError(Problem(FORM, field=field, message="所选的数字在这一年都没有公布，画不出图"))
            return st.env.charts.png(ch.data)

    # ---- briefings ----------------------------------------------------------------------------
    def briefings(self) -> list[dict]:
        from generators.documents.briefing import safe_name
        from generators.documents.common import Context

        st = self.state()
        ctx = Context(st.ds, st.ds.year, self.images)
        good = [{"name": k, "title": _safe_plain(ctx, s.title), "status": "草稿" if s.status == "草稿" else "成品",
                 "output": R.get("briefings").output_name(safe_name(s.file or k))}
                for k, s in sorted(st.ds.briefings.items())]
        bad = [{"name": k, "title": f"{k}（有错误，未生成）", "output": "", "problems": [problem_dict(p, (self.root,)) for p in ps]}
               for k, ps in sorted(st.ds.set_aside.items())]
        return good + bad

    def briefing_raw(self, name: str) -> dict | None:
        """A shipped spec as plain JSON data (None when there is no such spec)."""
        st = self.state()
        if name in st.ds.set_aside:  # opened to be fixed: as written (a file that cannot be read: its problems)
            from generators.load.textio import read_yaml

            return json.loads(json.dumps(read_yaml(st.ds.root / "briefings" / f"{name}.yaml"), ensure_ascii=False,
                                         default=str))
        if name not in st.ds.briefings:
            return None
        raw = st.ds.raw_texts.get(str(st.ds.root / "briefings" / f"{name}.yaml"))
        return json.loads(json.dumps(raw, ensure_ascii=False))

    def _checked(self, raw: Any, where: str = FORM):
        """(state, spec): the spec validated exactly as the CLI validates a briefing file; else InputError.
        The output file name typed on the page is made safe first (a space, a dot, a slash), not refused."""
        from generators.custom import checked_spec

        st = self.state()
        spec = checked_spec(st.ds, lined(form_raw(raw)), where)
        if st.template_problems:
            raise InputError(st.template_problems)
        return st, spec

    def render_briefing(self, raw: Any, name: str = "", issue: Callable[[], bool] | None = None
                        ) -> tuple[str, bytes, str]:
        """(file name, .docx bytes, the number recorded or "") of a spec; InputError with located problems when it
        is not valid. The file is named as a build would name it: `file`, else the save name, else the title.
        `issue`: the download staff hand out — a 期号/发文字号 it prints for the first time is recorded in
        data/numbers.yaml under the save name (else the title), so no later briefing is given it; `issue()` takes
        the project's write lock (False: a build holds it, and the download is refused rather than race it)."""
        from generators import numbering
        from generators.custom import docx_bytes
        from generators.documents import briefing
        from generators.documents.common import Context
        from generators.web.specyaml import safe_save_name

        name = safe_save_name(name)
        with self._lock:
            st, spec = self._checked(raw)
            stem = name if name else _safe_plain(Context(st.ds, spec.year or st.ds.year, self.images), spec.title)
            got = numbering.assigned(st.ds, stem, spec) if issue is not None else None
            new = got if got is not None and got.new else None  # a number printed for the first time
            if new is not None and issue is not None and not issue():
                raise InputError(Problem("简报", message="正在生成文档或保存简报，编号暂时不能登记；请稍后再点“生成 Word”",
                                         field="number" if new.kind == numbering.ISSUE else "doc_number"))
            doc = briefing.build(st.ds, spec, stem, st.ds.year, self.images)
            data = docx_bytes(st.project, doc)
            if new is not None:
                try:
                    numbering.record(st.ds.root, [new])  # refused if a build gave this number meanwhile
                except OSError as exc:
                    raise InputError(Problem("简报", message=f"编号无法登记到 data/{numbering.FILE}（{exc.strerror or exc}），"
                                                           "没有生成；请稍后再点“生成 Word”")) from None
            return doc.name + ".docx", data, new.text if new is not None else ""

    def check_briefing(self, raw: Any) -> dict:
        """Problems (located), hand-typed number warnings and each text as it will print."""
        st = self.state()
        with self._lock:
            if st.values is None:
                st.values = textcheck.value_index(st.ds)
        try:
            self._checked(raw)
            problems: list[dict] = []
        except InputError as exc:
            problems = [problem_dict(p, (self.root,)) for p in exc.problems]
        bad = {p["field"] for p in problems}
        from generators.documents.bind import bind_plain

        with self._lock:
            shown = textcheck.rendered(raw, bad, lambda text, year: bind_plain(st.ds, text, year or st.ds.year))
        return {"problems": problems, "warnings": textcheck.hand_numbers(st.ds, st.values, raw), "rendered": shown}

    def save_briefing(self, name: str, raw: Any, overwrite: bool, ready: bool = False) -> dict:
        """Write the spec as data/briefings/NAME.yaml (checked first, atomic), a draft unless `ready` (成品: every
        build makes it). The name is made safe, not refused; returns {"saved": name, "status": 草稿|成品}."""
        from generators.documents.briefing import safe_name
        from generators.load import specs as S
        from generators.load.textio import read_yaml
        from generators.web.specyaml import safe_save_name, spec_yaml

        name = safe_save_name(name)
        if not name:
            raise InputError(Problem(FORM, field="name", message="必填：不能为空"))
        status = "成品" if ready else "草稿"
        raw = form_raw(raw) | {"status": status} if isinstance(raw, dict) else raw
        with self._lock:
            st, spec = self._checked(raw)
            folder = self.root / "data" / "briefings"
            dest = folder / f"{name}.yaml"
            if dest.exists() and not overwrite:
                raise InputError(Problem(FORM, field="name", message=f"已有一份名为“{name}”的简报；"
                                         "要覆盖请勾选“覆盖同名简报”，或换一个保存名"))
            out_name = safe_name(spec.file or name)
            for other, s in st.ds.briefings.items():
                if ready and other != name and s.status != "草稿" and safe_name(s.file or other) == out_name:
                    raise InputError(Problem(FORM, field="file", message=(
                        f"成品简报“{other}”已经生成名为“{out_name}”的 Word 文件；请在“输出文件名”中换一个名字")))
            text = spec_yaml(raw)
            fd, tmp = open_temp(dest)  # the permissions of a file the user makes (not mkstemp's 0o600)
            try:
                with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                    fh.write(text)
                again, _ = S.validate(S.BriefingSpec, read_yaml(Path(tmp)), FORM)
                if again != spec:
                    raise ReportgenError("保存的 YAML 读回后与表单不一致，未保存（请报告此问题）")
                os.replace(tmp, dest)
            finally:
                Path(tmp).unlink(missing_ok=True)
            return {"saved": name, "status": status}

    # ---- documents and builds -----------------------------------------------------------------
    def documents(self) -> dict:
        """Every product: edition year, up to date or not, its files (with sizes) and an outline."""
        st = self.state()
        code_hash.cache_clear()  # compare with what a build started now would compute
        manifest = B.read_manifest(self.out)
        files = manifest.get("files", {})
        products = []
        project = Project(self.root)  # fresh file digests; nothing else of it is loaded here
        for product in (R.PRODUCTS[n] for n in R.offered()):
            p = product.name
            entry = manifest.get("products", {}).get(p)
            year = entry.get("edition_year") if entry else None
            fresh = bool(entry) and any(B.up_to_date(self.out, manifest, p, project.inputs_hash(product, y))
                                        for y in (None, year))
            rels = entry.get("files", []) if entry else []
            products.append({"product": p, "label": product.label, "built": bool(entry), "up_to_date": fresh,
                             "edition_year": year, "expected": len(product.items(st.ds)),
                             "files": [{"path": r, "size": files.get(r, {}).get("size"),
                                        "sha256": files.get(r, {}).get("sha256", "")} for r in rels]})
        return {"current_year": st.ds.year, "edition_year": manifest.get("edition_year"), "products": products,
                "tools": self.tools(), "years": self.year_statuses(), "editions": self.editions()}

    def editions(self) -> list[dict]:
        """Every kept edition (out/editions/<YEAR>/), newest first: current or not, its files as published."""
        from generators.editions import editions_list

        return [{k: v for k, v in e.items() if k != "state"} for e in editions_list(self.out, B.read_manifest)]

    def edition_file(self, year: int, rel: str) -> Path | None:
        """A file of a kept edition, only when that edition's manifest lists it (no request path reaches the disk)."""
        from generators.editions import edition_dir, kept_years

        if year not in kept_years(self.out):
            return None
        from generators.outfolder import is_safe

        folder = edition_dir(self.out, year)
        if rel not in B.read_manifest(folder).get("files", {}) or not is_safe(self.out, f"editions/{year}/{rel}"):
            return None  # read_manifest keeps only safe names; the edition folder itself is checked here
        path = folder / rel
        return path if path.is_file() else None

    def outline(self, rel: str) -> list[str]:
        """Section titles of the document behind an output file (the text view when there are no thumbnails)."""
        st = self.state()
        try:
            planned = {r: (p, item) for p, item, r in B.plan_outputs(st.project, list(R.PRODUCTS.values()))}
        except InputError:
            return []
        if rel not in planned:
            return []
        product, item = planned[rel]
        with self._lock:
            doc = product.make(st.project, item)
        return [doc.title] + [s.title for s in doc.sections if s.title]

    def build_command(self, log: Path, year: int | None, force: bool, only: list[str]) -> list[str]:
        """The child process that runs one build (run_build in its own process: isolated, lock-serialised)."""
        args = {"root": str(self.root), "out": str(self.out), "year": year, "force": force, "only": only,
                "log": str(log), "jobs": min(os.cpu_count() or 1, 4)}
        return [sys.executable, "-m", "generators.web.service", json.dumps(args, ensure_ascii=False)]

    def stale_count(self, force: bool, only: list[str]) -> int:
        docs = self.documents()["products"]
        return sum(d["expected"] for d in docs if (not only or d["product"] in only) and (force or not d["up_to_date"]))

    def template_check(self) -> dict:
        """Every problem and note `reportgen check` finds in templates/ and theme.toml, grouped by template, in the
        CLI's own sentences (build.template_report), and the files of templates/."""
        try:
            st = self.state()
            groups = B.template_report(st.project)
        except InputError as exc:  # the data or the theme does not load: those problems, grouped by file
            groups = []
            for p in exc.problems:
                if not groups or groups[-1]["file"] != p.file:
                    groups.append({"file": p.file, "title": B.TEMPLATE_TITLES.get(p.file, p.file), "items": []})
                groups[-1]["items"].append({"kind": "错误", "text": p.render()})
        problems = [i for g in groups for i in g["items"] if i["kind"] == "错误"]
        notes = [i for g in groups for i in g["items"] if i["kind"] == "提示"]
        folder = self.root / "templates"
        files = [{"name": p.name, "size": p.stat().st_size} for p in sorted(folder.iterdir()) if p.is_file()]
        return {"groups": groups, "problems": [{"message": i["text"]} for i in problems],
                "notes": [{"message": i["text"]} for i in notes], "files": files}


def custom_refs(ds, chart, year: int) -> str | None:
    """The first picked figure that names no figure, as a plain sentence (None: all found)."""
    from generators.load import refs as RR
    from generators.load.textcheck import check_string

    for text in chart.figures:
        try:
            check_string(ds, text, "figures", year)
        except (ValueError, RR.RefSyntaxError) as exc:
            return f"“{text}”：{exc}"
    return None


def _safe_plain(ctx, text: str) -> str:
    try:
        return ctx.plain(text)
    except (ValueError, KeyError):
        return text


def build_child_main(argv: list[str]) -> int:
    """Child process: one run_build; the outcome as one JSON line on stdout (problems as the CLI words them)."""
    args = json.loads(argv[0])
    opts = B.BuildOptions(root=Path(args["root"]), out=Path(args["out"]), only=tuple(args["only"]),
                          year=args["year"], jobs=args["jobs"], quiet=True, force=args["force"], log=Path(args["log"]),
                          notes=False)
    try:
        B.run_build(opts)
        result: dict[str, Any] = {"ok": True}
    except SetAside as exc:  # the rest was built and published; the bad specs are listed with their problems
        result = {"ok": True, "problems": [problem_dict(p, (opts.root.resolve(),)) for p in exc.problems],
                  "note": "其余文档已生成并发布；下列简报说明有误，已跳过（未生成）。"}
    except InputError as exc:
        result = {"ok": False, "problems": [problem_dict(p, (opts.root.resolve(),)) for p in exc.problems]}
    except ReportgenError as exc:
        result = {"ok": False, "error": f"错误：{exc}"}
    except Exception as exc:  # noqa: BLE001 - reported on the page, never a traceback
        result = {"ok": False, "error": f"内部错误（internal error）：{type(exc).__name__}: {exc}"}
    print(json.dumps(result), flush=True)  # ASCII: safe whatever the console encoding (Windows)
    return 0


if __name__ == "__main__":
    sys.exit(build_child_main(sys.argv[1:]))
