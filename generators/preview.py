"""The designer's loop: previews of every page (PPTX/DOCX → PDF with LibreOffice → PNG with poppler) and a
watcher that rebuilds the documents whose inputs changed.

Where the documents come from: a product that is up to date in out/ (its manifest entry matches the current
inputs) is previewed from there; any other is built with build.run_build into build/preview/docs/, never
into out/ — trying a template must not replace the deliverables. run_build skips what is unchanged there too,
so previewing twice costs no second build. Each document's pages are rendered again only when the
document's bytes (or the dpi) changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from generators import build as B
from generators.errors import InputError, Problem, ReportgenError

DPI = 80
CONTACT_SHEET = "contact-sheet.png"
STAMP = ".preview.json"
SOFFICE_TIMEOUT = 300  # seconds for one LibreOffice run
WATCHED = ("data", "templates", "assets")


class ToolMissing(ReportgenError):
    """LibreOffice or poppler is not installed: an environment problem, not an input problem (exit 1)."""


@dataclass(frozen=True)
class PreviewOptions:
    root: Path
    out: Path
    only: tuple[str, ...] = ()
    year: int | None = None
    dpi: int = DPI
    quiet: bool = True


@dataclass
class DocPreview:
    """One previewed document: where its pages and contact sheet are."""

    product: str
    source: Path
    folder: Path
    pages: list[Path] = field(default_factory=list)
    sheet: Path | None = None
    reused: bool = False  # pages were already up to date


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ---- external programs ---------------------------------------------------------------

INSTALL_SOFFICE = (
    "找不到 LibreOffice（soffice）：预览幻灯片和简报要用它把 PPTX/DOCX 转换成 PDF。安装方法——"
    "Debian/Ubuntu：sudo apt-get install --no-install-recommends libreoffice-impress libreoffice-writer"
    "（或在项目文件夹运行 make system-deps）；macOS：brew install --cask libreoffice；"
    "Windows：从 https://zh-cn.libreoffice.org 下载安装。已安装但不在 PATH 中时，"
    "可把环境变量 REPORTGEN_SOFFICE 设为 soffice 的完整路径。只预览 PDF 纪实可用 --only summary"
)
INSTALL_POPPLER = (
    "找不到 poppler 的 {tool}：预览要用它把 PDF 的每一页画成 PNG。安装方法——"
    "Debian/Ubuntu：sudo apt-get install poppler-utils（或 make system-deps）；macOS：brew install poppler；"
    "Windows：conda install -c conda-forge poppler，或下载 poppler for Windows 并把其中的 bin 文件夹加入 PATH"
)


def find_soffice() -> str:
    """LibreOffice's soffice: $REPORTGEN_SOFFICE, PATH, then the usual install folders."""
    env = os.environ.get("REPORTGEN_SOFFICE")
    if env:
        if Path(env).is_file() or shutil.which(env):
            return shutil.which(env) or env
        raise ToolMissing(f"环境变量 REPORTGEN_SOFFICE 指向的 {env} 不存在。" + INSTALL_SOFFICE + "。")
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for p in ("/Applications/LibreOffice.app/Contents/MacOS/soffice",
              r"C:\Program Files\LibreOffice\program\soffice.exe",
              r"C:\Program Files (x86)\LibreOffice\program\soffice.exe"):
        if Path(p).is_file():
            return p
    raise ToolMissing(INSTALL_SOFFICE + "。")


def find_poppler() -> tuple[str, str]:
    """pdftoppm (renders pages) and pdfinfo (counts them), both from poppler."""
    tools = []
    for name in ("pdftoppm", "pdfinfo"):
        found = shutil.which(name)
        if not found:
            raise ToolMissing(INSTALL_POPPLER.format(tool=name) + "。")
        tools.append(found)
    return tools[0], tools[1]


def fontconfig_env(root: Path) -> dict[str, str]:
    """The environment for LibreOffice: the bundled fonts stand in for the Windows font names documents use."""
    env = dict(os.environ)
    conf = root / "assets" / "fonts" / "fontconfig" / "fonts.conf"
    if conf.is_file():
        env["FONTCONFIG_FILE"] = str(conf.resolve())
    return env


def convert_to_pdf(soffice: str, files: list[Path], outdir: Path, root: Path) -> dict[Path, Path]:
    """One LibreOffice process for `files`, with its own throw-away profile; every PDF checked to exist.

    Two LibreOffice processes sharing a profile lose output silently (exit 0, no file): never share one.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.mkdtemp(prefix="reportgen-lo-"))
    cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", "pdf", "--outdir", str(outdir), *map(str, files)]
    try:
        returncode, stdout, stderr = _run_group(cmd, fontconfig_env(root), SOFFICE_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise ReportgenError(f"LibreOffice 转换超时（{SOFFICE_TIMEOUT} 秒）：{'、'.join(f.name for f in files)}。"
                             "请关闭其他 LibreOffice 窗口后重试") from None
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdfs: dict[Path, Path] = {}
    lost = []
    for f in files:
        pdf = outdir / (f.stem + ".pdf")
        if pdf.is_file() and pdf.stat().st_size > 0:
            pdfs[f] = pdf
        else:
            lost.append(f.name)
    if lost:
        detail = (stderr or stdout or "").strip().splitlines()[-3:]
        raise ReportgenError(f"LibreOffice 没有生成 PDF：{'、'.join(lost)}（退出码 {returncode}"
                             + (f"；{' / '.join(detail)}" if detail else "") + "）。"
                             "可在 LibreOffice 中直接打开该文件看是否报错；若有别的 LibreOffice 在转换同一文件，等它结束后重试")
    return pdfs


def _run_group(cmd: list[str], env: dict[str, str], timeout: float) -> tuple[int, str, str]:
    """Run a program in its own process group and kill the whole group on timeout or Ctrl+C.

    soffice is a launcher: killing only it would leave soffice.bin converting (and writing into the profile
    we are about to delete).
    """
    posix = os.name == "posix"
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=posix,
                            creationflags=0 if posix else subprocess.CREATE_NEW_PROCESS_GROUP)
    _LIVE.add(proc)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except BaseException:
        _kill(proc)
        raise
    finally:
        _LIVE.discard(proc)
    return proc.returncode, stdout, stderr


_LIVE: set[subprocess.Popen] = set()  # conversions running in worker threads (Ctrl+C reaches only the main one)


def _kill(proc: subprocess.Popen) -> None:
    if os.name == "posix":
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
    else:
        proc.kill()
    proc.wait()


def page_count(pdfinfo: str, pdf: Path) -> int:
    res = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=False)
    m = re.search(r"^Pages:\s+(\d+)\s*$", res.stdout, re.M)
    if res.returncode != 0 or not m:
        raise ReportgenError(f"无法读取 PDF 的页数：{pdf}（pdfinfo：{res.stderr.strip() or res.returncode}）")
    return int(m.group(1))


def render_pages(pdftoppm: str, pdfinfo: str, pdf: Path, folder: Path, prefix: str, dpi: int) -> list[Path]:
    """Every page of `pdf` as folder/<prefix>-01.png …; old pages in the folder are removed first."""
    expected = page_count(pdfinfo, pdf)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="reportgen-ppm-") as tmp:
        res = subprocess.run([pdftoppm, "-r", str(dpi), "-png", str(pdf), str(Path(tmp) / "p")],
                             capture_output=True, text=True, check=False)
        made = sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        if res.returncode != 0 or len(made) != expected:
            raise ReportgenError(f"pdftoppm 只画出了 {len(made)}/{expected} 页：{pdf}"
                                 + (f"（{res.stderr.strip()}）" if res.stderr.strip() else ""))
        width = max(2, len(str(expected)))
        pages = []
        for n, src in enumerate(made, 1):
            dst = folder / f"{prefix}-{n:0{width}d}.png"
            shutil.move(str(src), dst)
            pages.append(dst)
    return pages


# ---- contact sheets ---------------------------------------------------------------------

def _label_font(root: Path, size: int):
    """The theme's caption face (bundled, has CJK) for labels; Pillow's own font if that fails."""
    from PIL import ImageFont

    try:
        from generators.theme import load_theme

        theme = load_theme(root)
        return ImageFont.truetype(str(theme.font_path(theme.role("caption").print)), size)
    except Exception:  # noqa: BLE001 - a label font is a nicety; the sheet must still be made
        return ImageFont.load_default()


def contact_sheet(pages: list[Path], dest: Path, title: str, root: Path) -> Path:
    """All pages as numbered thumbnails on one image: the quickest way to look at a whole document."""
    from PIL import Image, ImageDraw

    with Image.open(pages[0]) as first:
        landscape = first.width > first.height
    thumb_w, cols = (300, 4) if landscape else (200, 6)
    cols = min(cols, len(pages))
    thumbs = []
    for p in pages:
        with Image.open(p) as im:
            im = im.convert("RGB")
            h = round(im.height * thumb_w / im.width)
            thumbs.append(im.resize((thumb_w, h), Image.LANCZOS))
    margin, gutter, label_h, header_h = 24, 16, 26, 44
    cell_h = max(t.height for t in thumbs) + label_h
    rows = -(-len(thumbs) // cols)
    width = 2 * margin + cols * thumb_w + (cols - 1) * gutter
    height = margin + header_h + rows * cell_h + (rows - 1) * gutter + margin
    sheet = Image.new("RGB", (width, height), "#E8E8E8")
    draw = ImageDraw.Draw(sheet)
    draw.text((margin, margin), title, fill="#1F1F1F", font=_label_font(root, 20))
    small = _label_font(root, 14)
    for i, t in enumerate(thumbs):
        x = margin + (i % cols) * (thumb_w + gutter)
        y = margin + header_h + (i // cols) * (cell_h + gutter)
        sheet.paste(t, (x, y))
        draw.rectangle((x - 1, y - 1, x + t.width, y + t.height), outline="#A8A8A8")
        label = str(i + 1)
        w = draw.textlength(label, font=small)
        draw.text((x + (thumb_w - w) / 2, y + t.height + 5), label, fill="#555555", font=small)
    dest.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(dest, optimize=True)
    return dest


# ---- which documents ----------------------------------------------------------------------

def docs_folder(root: Path) -> Path:
    return root / "build" / "preview" / "docs"


def _products(only: Iterable[str]) -> list[str]:
    only = tuple(only)
    unknown = [p for p in only if p not in B.PRODUCTS]
    if unknown:
        raise InputError(Problem("--only", message="不认识的文档名称", expected="deck、summary 或 briefings",
                                 found="、".join(unknown)))
    return [p for p in B.PRODUCTS if not only or p in only]


def fresh_build(opts: B.BuildOptions) -> None:
    """run_build with data read again: build._context caches the dataset per (root, year) in the process,
    which a long-running watcher must not reuse after a file changed."""
    B._WORKER.clear()
    B.run_build(opts)


def documents(root: Path, products: list[str], year: int | None, quiet: bool) -> list[tuple[str, Path]]:
    """(product, file) for every document to preview: from out/ when up to date there, else built privately."""
    out = root / "out"
    manifest = B.read_manifest(out)
    where = {p: out for p in products if B._up_to_date(out, manifest, p, B.inputs_hash(root, p, year))}
    stale = [p for p in products if p not in where]
    if stale:
        private = docs_folder(root)
        if not quiet:
            _say(f"out/ 中的 {'、'.join(stale)} 不是最新，生成到 {private} 用于预览（不改动 out/）……")
        fresh_build(B.BuildOptions(root=root, out=private, only=tuple(stale), year=year, quiet=quiet))
        where.update({p: private for p in stale})
    found: list[tuple[str, Path]] = []
    for p in products:
        entry = B.read_manifest(where[p]).get("products", {}).get(p, {})
        found += [(p, where[p] / rel) for rel in entry.get("files", [])]
    return found


def _folder_for(out: Path, product: str, source: Path) -> tuple[Path, str]:
    if product == "deck":
        return out / "deck", "slide"
    if product == "summary":
        return out / "summary", "page"
    return out / "briefings" / source.stem, "page"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fresh(folder: Path, digest: str, dpi: int) -> list[Path] | None:
    """The pages already rendered from exactly these bytes at this dpi, or None."""
    try:
        stamp = json.loads((folder / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    pages = [folder / name for name in stamp.get("pages", [])]
    if (stamp.get("sha256") == digest and stamp.get("dpi") == dpi and pages
            and all(p.is_file() for p in pages) and (folder / CONTACT_SHEET).is_file()):
        return pages
    return None


# ---- preview --------------------------------------------------------------------------------

def run_preview(opts: PreviewOptions) -> list[DocPreview]:
    """Build (or reuse), convert, render every page and a contact sheet per document; returns what it made."""
    products = _products(opts.only)
    needs_soffice = any(p in ("deck", "briefings") for p in products)
    soffice = find_soffice() if needs_soffice else ""
    pdftoppm, pdfinfo = find_poppler()
    root, out = opts.root, opts.out.resolve()

    items = []
    for product, source in documents(root, products, opts.year, opts.quiet):
        folder, prefix = _folder_for(out, product, source)
        items.append((DocPreview(product, source, folder), prefix, _sha256(source)))
    if "briefings" in products:  # a briefing that no longer exists leaves no old pages behind
        keep = {d.folder.name for d, _, _ in items if d.product == "briefings"}
        for old in (out / "briefings").glob("*") if (out / "briefings").is_dir() else ():
            if old.is_dir() and old.name not in keep:
                shutil.rmtree(old)

    todo = []
    for doc, prefix, digest in items:
        pages = _fresh(doc.folder, digest, opts.dpi)
        if pages:
            doc.pages, doc.sheet, doc.reused = pages, doc.folder / CONTACT_SHEET, True
        else:
            todo.append((doc, prefix, digest))

    with tempfile.TemporaryDirectory(prefix="reportgen-preview-") as tmp:
        pdfs = _convert_all(soffice, [d for d, _, _ in todo], Path(tmp), root)
        for doc, prefix, digest in todo:
            pdf = pdfs.get(doc.source, doc.source)
            (doc.folder / STAMP).unlink(missing_ok=True)
            doc.pages = render_pages(pdftoppm, pdfinfo, pdf, doc.folder, prefix, opts.dpi)
            if pdf is not doc.source:
                shutil.copyfile(pdf, doc.folder / (doc.source.stem + ".pdf"))
            doc.sheet = contact_sheet(doc.pages, doc.folder / CONTACT_SHEET,
                                      f"{doc.source.name}  ·  {len(doc.pages)} {unit(doc)}", root)
            (doc.folder / STAMP).write_text(json.dumps(
                {"source": doc.source.name, "sha256": digest, "dpi": opts.dpi,
                 "pages": [p.name for p in doc.pages]}, ensure_ascii=False, indent=1), encoding="utf-8")
            if not opts.quiet:
                _say(f"✓ {doc.folder.relative_to(out)}：{len(doc.pages)} {unit(doc)}")
    return [d for d, _, _ in items]


def unit(doc: DocPreview) -> str:
    return "张幻灯片" if doc.product == "deck" else "页"


def _convert_all(soffice: str, docs: list[DocPreview], tmp: Path, root: Path) -> dict[Path, Path]:
    """PPTX and DOCX to PDF: one LibreOffice process per product, each with its own profile, in parallel."""
    groups: dict[str, list[Path]] = {}
    for d in docs:
        if d.source.suffix.lower() in (".pptx", ".docx"):
            groups.setdefault(d.product, []).append(d.source)
    if not groups:
        return {}
    pdfs: dict[Path, Path] = {}
    with ThreadPoolExecutor(max_workers=len(groups)) as pool:
        futures = [pool.submit(convert_to_pdf, soffice, files, tmp / product, root)
                   for product, files in groups.items()]
        try:
            for f in futures:
                pdfs.update(f.result())
        except BaseException:  # Ctrl+C or one failed: stop the other conversions too
            for proc in list(_LIVE):
                _kill(proc)
            raise
    return pdfs


# ---- watch ------------------------------------------------------------------------------------

def _ignored(name: str) -> bool:
    """Editors' and Office's lock and temp files: opening a file in Excel or Word must not start a build."""
    return (name.startswith(("~", ".~lock", ".#")) or name.endswith(("~", ".swp", ".tmp", ".part"))
            or name in (".DS_Store", "Thumbs.db", "desktop.ini"))


Snapshot = dict[str, tuple[int, int]]


def snapshot(root: Path) -> Snapshot:
    """mtime and size of every file under data/, templates/, assets/ (relative paths with /)."""
    snap: Snapshot = {}
    for top in WATCHED:
        base = root / top
        for dirpath, dirnames, files in os.walk(base, followlinks=True):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__" and not d.startswith("."))
            for name in files:
                if _ignored(name):
                    continue
                p = Path(dirpath) / name
                try:
                    st = p.stat()
                except OSError:  # removed while we looked
                    continue
                snap[p.relative_to(root).as_posix()] = (st.st_mtime_ns, st.st_size)
    return snap


def changed_files(before: Snapshot, after: Snapshot) -> set[str]:
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def inputs_by_product(root: Path, products: list[str]) -> dict[str, set[str]]:
    return {p: {f.relative_to(root).as_posix() for f in B.product_inputs(root, p)} for p in products}


def affected(changed: set[str], before: dict[str, set[str]], now: dict[str, set[str]]) -> list[str]:
    """Products with a changed input; a deleted file counts for the products that had it."""
    return [p for p in now if changed & (now[p] | before.get(p, set()))]


@dataclass(frozen=True)
class WatchOptions:
    root: Path
    out: Path
    only: tuple[str, ...] = ()
    year: int | None = None
    interval: float = 1.0
    preview: Path | None = None  # also re-preview changed documents into this folder
    max_cycles: int | None = None  # tests: stop after this many polls
    quiet: bool = False


def watch(opts: WatchOptions, report: Callable[[BaseException], None],
          sleep: Callable[[float], None] = time.sleep) -> int:
    """Poll the inputs; rebuild (and re-preview) the products whose inputs changed. Returns the rebuild count.

    Errors in the inputs are handed to `report` and watching goes on; Ctrl+C (KeyboardInterrupt) ends it.
    """
    root = opts.root
    products = _products(opts.only)
    if opts.preview is not None:  # fail now, not after the first change
        if any(p in ("deck", "briefings") for p in products):
            find_soffice()
        find_poppler()
    snap = snapshot(root)
    inputs = inputs_by_product(root, products)
    _say(f"监视 {'、'.join(t + '/' for t in WATCHED)}（每 {opts.interval:g} 秒检查一次；按 Ctrl+C 结束）。"
         f"文档：{'、'.join(products)}；输出：{opts.out}" + (f"；预览：{opts.preview}" if opts.preview else ""))
    _cycle(opts, products, report)  # bring everything up to date first (skips what already is)
    rebuilds = 0
    cycles = 0
    while opts.max_cycles is None or cycles < opts.max_cycles:
        sleep(opts.interval)
        cycles += 1
        now = snapshot(root)
        if now == snap:
            continue
        now = _settle(root, now, sleep, min(opts.interval, 0.5))
        changed = changed_files(snap, now)
        snap = now
        new_inputs = inputs_by_product(root, products)
        todo = affected(changed, inputs, new_inputs)
        inputs = new_inputs
        names = sorted(changed)
        shown = "、".join(names[:5]) + (f" 等 {len(names)} 个文件" if len(names) > 5 else "")
        if not todo:
            _say(f"{time.strftime('%H:%M:%S')} {shown} 有变化，不影响任何文档。")
            continue
        _say(f"{time.strftime('%H:%M:%S')} {shown} 有变化 → 重新生成：{'、'.join(todo)}")
        rebuilds += 1
        _cycle(opts, todo, report)
    return rebuilds


def _settle(root: Path, snap: Snapshot, sleep: Callable[[float], None], pause: float) -> Snapshot:
    """Wait until a save has finished (two equal snapshots), at most a few pauses."""
    for _ in range(10):
        sleep(pause)
        again = snapshot(root)
        if again == snap:
            break
        snap = again
    return snap


def _cycle(opts: WatchOptions, products: list[str], report: Callable[[BaseException], None]) -> bool:
    """Build (then preview) `products`; any error is reported and swallowed so that watching goes on."""
    start = time.monotonic()
    try:
        fresh_build(B.BuildOptions(root=opts.root, out=opts.out, only=tuple(products), year=opts.year,
                                   quiet=opts.quiet))
        if opts.preview is not None:
            made = run_preview(PreviewOptions(root=opts.root, out=opts.preview, only=tuple(products),
                                              year=opts.year, quiet=opts.quiet))
            changed = [d for d in made if not d.reused]
            if changed:
                _say("预览已更新：" + "、".join(str(d.sheet) for d in changed))
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # noqa: BLE001 - a watcher reports and keeps watching
        report(exc)
        _say("继续监视；改正后保存即可重新生成。")
        return False
    _say(f"{time.strftime('%H:%M:%S')} 完成（{time.monotonic() - start:.1f} 秒）。")
    return True
