"""Orchestration: which documents, input hashes, build into a temp folder, swap into out/, manifest."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from generators import __version__
from generators.errors import InputError, Problem, ReportgenError

PRODUCTS = ("deck", "summary", "briefings")
MANIFEST = "manifest.json"
SUFFIX = {"deck": ".pptx", "summary": ".pdf", "briefings": ".docx"}
# Fixed wording of the PDF's frame (not county content): section labels the summary builder needs.
SUMMARY_LABELS = {"intro": "导语", "headline": "{year}年主要指标", "closing": "结语", "appendix": "附录",
                  "appendix_table": "本文所用数字一览（指标、数值、单位、时期、来源）"}


@dataclass(frozen=True)
class BuildOptions:
    root: Path
    out: Path
    only: tuple[str, ...] = ()
    year: int | None = None
    jobs: int = 1
    quiet: bool = True
    force: bool = False
    log: Path | None = None


# ---- small utilities --------------------------------------------------------

def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_IGNORED = ("~$", ".~lock", ".#")  # Office / LibreOffice / editor lock files: opening a file is not a change


def _files_under(path: Path, pattern: str = "**/*") -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(p for p in path.glob(pattern) if p.is_file() and "__pycache__" not in p.parts
                  and not p.name.startswith(_IGNORED) and not p.name.endswith((".swp", ".tmp")))


class _DigestCache:
    """sha256 of files, remembered by (path, size, mtime) so a no-op rebuild does not re-read 60 MB of fonts."""

    def __init__(self) -> None:
        self.path: Path | None = None
        self.known: dict[str, list] = {}
        self.dirty = False

    def attach(self, root: Path) -> None:
        path = root / "build" / "cache" / "file-digests.json"
        if path != self.path:
            self.path = path
            try:
                self.known = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.known = {}

    def digest(self, p: Path) -> bytes:
        st = p.stat()
        key = str(p)
        hit = self.known.get(key)
        if hit and hit[0] == st.st_size and hit[1] == st.st_mtime_ns:
            return bytes.fromhex(hit[2])
        d = hashlib.sha256(p.read_bytes()).digest()
        self.known[key] = [st.st_size, st.st_mtime_ns, d.hex()]
        self.dirty = True
        return d

    def save(self) -> None:
        if self.dirty and self.path is not None:
            with contextlib.suppress(OSError):
                self.path.parent.mkdir(parents=True, exist_ok=True)
                tmp = self.path.with_suffix(f".tmp{os.getpid()}")
                tmp.write_text(json.dumps(self.known, sort_keys=True), encoding="utf-8")
                os.replace(tmp, self.path)
            self.dirty = False


_DIGESTS = _DigestCache()


def _hash_files(root: Path, paths: list[Path], extra: str = "") -> str:
    h = hashlib.sha256(extra.encode())
    for p in sorted(set(paths)):
        h.update(str(p.relative_to(root)).replace(os.sep, "/").encode() + b"\0")
        h.update(_DIGESTS.digest(p))
    return h.hexdigest()


def product_inputs(root: Path, product: str) -> list[Path]:
    """Every file a product's output depends on (for skipping unchanged documents)."""
    data = root / "data"
    common = [p for p in _files_under(data) if "briefings" not in p.relative_to(data).parts]
    common += _files_under(root / "templates", "theme.toml") + _files_under(root / "templates", "charts.mplstyle")
    common += _files_under(root / "assets")
    if product == "deck":
        return common + _files_under(root / "templates", "deck.pptx")
    if product == "briefings":
        return common + _files_under(data / "briefings", "*.yaml") + _files_under(root / "templates", "briefing-*.docx")
    return common


@functools.lru_cache(maxsize=1)
def code_hash() -> str:
    """The generator's own source: a code change rebuilds everything."""
    pkg = Path(__file__).parent
    return _hash_files(pkg, _files_under(pkg, "**/*.py"), __version__)


def inputs_hash(root: Path, product: str, year: int | None) -> str:
    return _hash_files(root, product_inputs(root, product), f"{code_hash()}|{product}|{year}")


def read_manifest(out: Path) -> dict:
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


class Logger:
    """Progress on a terminal (rich), silent with --quiet or in CI; optional log file for scheduled runs."""

    def __init__(self, quiet: bool, log: Path | None):
        self.quiet = quiet
        self.log = log
        self.console = None
        if not quiet:
            from rich.console import Console

            self.console = Console(stderr=True)

    def info(self, msg: str) -> None:
        if self.console:
            self.console.print(msg)
        if self.log:
            with self.log.open("a", encoding="utf-8") as fh:
                fh.write(time.strftime("%Y-%m-%d %H:%M:%S ") + msg + "\n")


@contextlib.contextmanager
def output_lock(out: Path, logger: Logger, timeout: float = 600) -> Iterator[None]:
    """One build at a time per output folder; the second waits (and says so), never mixes files."""
    # Beside the output folder (not inside it: out/ holds only documents and the manifest).
    path = out.resolve().parent / f".{out.resolve().name}.reportgen.lock"
    fh = open(path, "a+b")  # noqa: SIM115 - held for the whole build
    try:
        start = time.monotonic()
        told = False
        while True:
            try:
                _try_lock(fh)
                break
            except OSError:
                if not told:
                    print(f"另一个生成任务正在写入 {out}，等待其完成……", file=sys.stderr)
                    told = True
                if time.monotonic() - start > timeout:
                    raise ReportgenError(f"等待 {out} 的写入锁超时（{int(timeout)} 秒）；若没有其他任务在运行，请删除 {path}")
                time.sleep(0.2)
        yield
    finally:
        with contextlib.suppress(OSError):
            _unlock(fh)
        fh.close()


def _try_lock(fh) -> None:
    if os.name == "nt":
        import msvcrt

        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock(fh) -> None:
    if os.name == "nt":
        import msvcrt

        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


# ---- the pipeline -------------------------------------------------------------

_WORKER: dict = {}


def _context(root: Path, year: int | None, cache: bool = True):
    """Load data, theme and writer environment once per process (`cache=False`: write nothing, for check)."""
    key = (str(root), year, cache)
    if key not in _WORKER.get("keys", ()):
        from generators.charts import ChartRenderer
        from generators.fonts import GlyphChecker
        from generators.load import load_dataset
        from generators.theme import load_theme
        from generators.writers import WriterEnv

        from generators import fonts

        fonts.CACHE_DIR = root / "build" / "cache" / "fonts" if cache else None
        ds = load_dataset(root / "data", year)
        theme = load_theme(root)
        glyphs = GlyphChecker([theme.font_path(theme.role(r).print) for r in ("body",)],
                              [theme.font_path(f) for f in theme.fonts.fallback])
        env = WriterEnv(root, theme, ChartRenderer(theme, root / "build" / "cache" / "charts" if cache else None), glyphs)
        # Known under the requested and the resolved year, so workers asking for ds.year reuse it.
        _WORKER.update(keys={key, (str(root), ds.year, cache)}, ds=ds, env=env)
    return _WORKER["ds"], _WORKER["env"]


def make_document(product: str, ds, env, item: str | None = None):
    """Data → format-neutral Document for one product (briefings: one spec)."""
    images = env.root / "assets" / "images"
    if product == "deck":
        from generators.documents import deck

        return deck.build(ds, ds.year, images)
    if product == "summary":
        from generators.documents import summary

        return summary.build(ds, ds.year, images, SUMMARY_LABELS)
    from generators.documents import briefing

    return briefing.build(ds, ds.briefings[item], item, ds.year, images)


def write_document(doc, env, dest: Path) -> None:
    """Check every text against the fonts, then hand the document to its writer."""
    env.glyphs.require(doc.texts(), env.glyphs.primary[0], f"{doc.kind}:{doc.name}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    if doc.kind == "deck":
        from generators.writers import pptx as writer
    elif doc.kind == "summary":
        from generators.writers import pdf as writer
    else:
        from generators.writers import docx as writer
    writer.write(doc, env, dest)


def _build_one(root: str, year: int | None, product: str, item: str | None, tmp: str) -> str:
    ds, env = _context(Path(root), year)
    doc = make_document(product, ds, env, item)
    rel = output_name(product, doc.name)
    write_document(doc, env, Path(tmp) / rel)
    return rel


def output_name(product: str, name: str) -> str:
    return f"briefings/{name}{SUFFIX[product]}" if product == "briefings" else f"{name}{SUFFIX[product]}"


def run_build(opts: BuildOptions) -> None:
    _WORKER.clear()  # data may have changed since an earlier build in this process (watch, tests)
    logger = Logger(opts.quiet, opts.log)
    unknown = [p for p in opts.only if p not in PRODUCTS]
    if unknown:
        raise InputError(Problem("--only", message="不认识的文档名称", expected="deck、summary 或 briefings",
                                 found="、".join(unknown)))
    products = [p for p in PRODUCTS if not opts.only or p in opts.only]
    out = opts.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    with output_lock(out, logger):
        old = read_manifest(out)
        _DIGESTS.attach(opts.root)
        hashes = {p: inputs_hash(opts.root, p, opts.year) for p in products}
        _DIGESTS.save()
        stale = [p for p in products if opts.force or not _up_to_date(out, old, p, hashes[p])]
        if not stale:
            logger.info("所有文档均为最新，无需重新生成（--force 可强制重建）。")
            return
        ds, env = _context(opts.root, opts.year)
        _check_templates(env, stale)
        jobs: list[tuple[str, str | None]] = []
        for p in stale:
            jobs += [(p, k) for k in sorted(ds.briefings)] if p == "briefings" else [(p, None)]
        tmp = Path(tempfile.mkdtemp(prefix=".reportgen-", dir=out.parent))
        try:
            results = _run_jobs(opts, ds.year, jobs, tmp, logger)
            _swap_in(out, tmp, old, stale, results, hashes, ds.year, logger)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def _up_to_date(out: Path, manifest: dict, product: str, digest: str) -> bool:
    entry = manifest.get("products", {}).get(product)
    if not entry or entry.get("inputs") != digest:
        return False
    files = manifest.get("files", {})
    for rel in entry.get("files", []):
        p = out / rel
        if not p.is_file() or p.stat().st_size != files.get(rel, {}).get("size"):
            return False
    return True


def _check_templates(env, products: list[str]) -> None:
    from generators.templates import check_templates

    check_templates(env, products)


def _run_jobs(opts: BuildOptions, year: int, jobs: list[tuple[str, str | None]], tmp: Path,
              logger: Logger) -> dict[str, list[str]]:
    results: dict[str, list[str]] = {}
    if opts.jobs > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=opts.jobs) as pool:
            futs = [(p, pool.submit(_build_one, str(opts.root), year, p, k, str(tmp))) for p, k in jobs]
            for p, f in futs:
                rel = f.result()
                results.setdefault(p, []).append(rel)
                logger.info(f"✓ {rel}")
    else:
        for p, k in jobs:
            rel = _build_one(str(opts.root), year, p, k, str(tmp))
            results.setdefault(p, []).append(rel)
            logger.info(f"✓ {rel}")
    for p, rels in results.items():
        dup = {r for r in rels if rels.count(r) > 1}
        if dup:
            raise InputError(Problem("data/briefings", message="多份简报的输出文件名相同：" + "、".join(sorted(dup)),
                                     expected="每份简报不同的 file 或标题"))
    return results


def _swap_in(out: Path, tmp: Path, old: dict, stale: list[str], results: dict[str, list[str]],
             hashes: dict[str, str], year: int, logger: Logger) -> None:
    """Everything built: move files into out/ (each replace is atomic), drop our stale files, write manifest."""
    files = dict(old.get("files", {}))
    products = dict(old.get("products", {}))
    for p in stale:
        for rel in products.get(p, {}).get("files", []):
            if rel not in results.get(p, []):
                with contextlib.suppress(OSError):
                    (out / rel).unlink()
                files.pop(rel, None)
    for p in stale:
        for rel in results.get(p, []):
            src, dst = tmp / rel, out / rel
            data = src.read_bytes()
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
            files[rel] = {"product": p, "size": len(data), "sha256": _sha256(data), "inputs": hashes[p],
                          "edition_year": year}
        products[p] = {"inputs": hashes[p], "files": sorted(results.get(p, [])), "edition_year": year}
    manifest = {"generator": f"reportgen {__version__}", "edition_year": year,
                "products": dict(sorted(products.items())), "files": dict(sorted(files.items()))}
    tmp_manifest = tmp / MANIFEST
    tmp_manifest.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp_manifest, out / MANIFEST)
    logger.info(f"完成：{sum(len(v) for v in results.values())} 个文件写入 {out}（版本年份 {year}）")


def run_check(root: Path, year: int | None) -> None:
    """Validate data, charts, briefings, theme and templates; write nothing."""
    _WORKER.clear()
    ds, env = _context(root, year, cache=False)
    _check_templates(env, list(PRODUCTS))
    for p in PRODUCTS:
        keys = sorted(ds.briefings) if p == "briefings" else [None]
        for k in keys:
            doc = make_document(p, ds, env, k)
            env.glyphs.require(doc.texts(), env.glyphs.primary[0], f"{p}:{doc.name}")
    print(f"检查通过：{len(ds.indicators)} 个指标，{len(ds.figures)} 条数字，{len(ds.charts)} 个图表，"
          f"{len(ds.briefings)} 份简报；版本年份 {ds.year}。")
    for w in ds.warnings:
        print("提示：" + w)


def run_single_briefing(root: Path, spec_path: Path, out: Path | None, year: int | None) -> None:
    """Build one briefing from a spec file anywhere on disk into FILE.docx (atomic replace)."""
    from generators.documents import briefing
    from generators.load import specs as S
    from generators.load.textio import read_yaml, shown

    _WORKER.clear()
    ds, env = _context(root, year)
    raw = read_yaml(spec_path)
    spec, problems = S.validate(S.BriefingSpec, raw, shown(spec_path))
    if problems:
        raise InputError(problems)
    from generators.load.dataset import check_references, check_uses

    ds.raw_texts[str(spec_path)] = raw
    try:
        errs = check_references(ds, spec.year or ds.year)
    finally:
        ds.raw_texts.pop(str(spec_path), None)
    check_uses(ds, spec, raw, shown(spec_path), errs)
    errs.raise_if_any()
    _check_templates(env, ["briefings"])
    doc = briefing.build(ds, spec, spec_path.stem, ds.year, root / "assets" / "images")
    dest = (out or root / "out" / f"{doc.name}.docx").resolve()
    if dest.suffix.lower() != ".docx":
        raise InputError(Problem("--out", message="输出文件应以 .docx 结尾", found=str(out)))
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".reportgen-", dir=dest.parent) as tmp:
        t = Path(tmp) / dest.name
        write_document(doc, env, t)
        os.replace(t, dest)
    print(f"已生成：{dest}")
