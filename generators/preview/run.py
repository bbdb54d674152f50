"""The preview run: which documents (up to date in out/, else built privately), their pages and contact sheets.

A product that is up to date in out/ (its manifest entry matches the current inputs) is previewed from there;
any other is built into build/preview/docs/, never into out/ — trying a template must not replace the
deliverables. The build skips what is unchanged there too, so previewing twice costs no second build. Each
document's pages are rendered again only when the document's bytes (or the dpi) changed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from generators import build as B
from generators import products as R
from generators.errors import SetAside
from generators.fsutil import atomic_write
from generators.outfolder import claim, is_safe, make_dir, remove_made, within
from generators.preview.sheet import contact_sheet
from generators.preview.tools import _LIVE, _kill, convert_to_pdf, find_soffice, render_pages, say
from generators.project import Project

DPI = 80
CONTACT_SHEET = "contact-sheet.png"
STAMP = ".preview.json"


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


def docs_folder(root: Path) -> Path:
    return root / "build" / "preview" / "docs"


def needs_soffice(products: list[R.Product]) -> bool:
    return any(f.suffix in (".pptx", ".docx") for p in products for f in p.formats)


def documents(root: Path, products: list[R.Product], year: int | None, quiet: bool) -> list[tuple[str, Path]]:
    """(product, file) for every document to preview: from out/ when up to date there, else built privately."""
    project = Project.open(root, year)
    out = project.out
    manifest = B.read_manifest(out)
    where = {p.name: out for p in products
             if B.up_to_date(out, manifest, p.name, project.inputs_hash(p, year))}
    stale = [p.name for p in products if p.name not in where]
    if stale:
        private = docs_folder(root)
        if not quiet:
            say(f"out/ 中的 {'、'.join(stale)} 不是最新，生成到 {private} 用于预览（不改动 out/）……")
        try:
            B.run_build(B.BuildOptions(root=root, out=private, only=tuple(stale), year=year, quiet=quiet,
                                       issue=False))  # a proof: the numbers it prints are not issued yet
        except SetAside as exc:  # the others were built: preview them, and say which spec was skipped
            say("提示：下列简报说明有误，已跳过：" + "；".join(p.render() for p in exc.problems))
        where.update({p: private for p in stale})
    found: list[tuple[str, Path]] = []
    for p in products:
        entry = B.read_manifest(where[p.name]).get("products", {}).get(p.name, {})
        found += [(p.name, where[p.name] / rel) for rel in entry.get("files", [])]
    return found


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


def _plan(opts: PreviewOptions, products: list[R.Product]) -> list[tuple[DocPreview, str, str]]:
    out = claim(opts.root, opts.out, "--out")
    items = []
    for name, source in documents(opts.root, products, opts.year, opts.quiet):
        folder, prefix = R.get(name).preview_folder(source)
        items.append((DocPreview(name, source, within(out, folder)), prefix, _sha256(source)))
    for p in products:  # a document that no longer exists leaves no old pages behind (only folders we made)
        if not p.subdir or not is_safe(out, p.subdir) or not (out / p.subdir).is_dir():
            continue
        keep = {d.folder.name for d, _, _ in items if d.product == p.name}
        for old in (out / p.subdir).iterdir():
            if old.name not in keep:
                remove_made(out, f"{p.subdir}/{old.name}")
    return items


def run_preview(opts: PreviewOptions) -> list[DocPreview]:
    """Build (or reuse), convert, render every page and a contact sheet per document; returns what it made."""
    products = R.choose(opts.only)
    claim(opts.root, opts.out, "--out", create=False)  # before anything is built: never data/, templates/ …
    soffice = find_soffice() if needs_soffice(products) else ""
    items = _plan(opts, products)
    todo = []
    for doc, prefix, digest in items:
        pages = _fresh(doc.folder, digest, opts.dpi)
        if pages:
            doc.pages, doc.sheet, doc.reused = pages, doc.folder / CONTACT_SHEET, True
        else:
            todo.append((doc, prefix, digest))
    with tempfile.TemporaryDirectory(prefix="reportgen-preview-") as tmp:
        pdfs = _convert_all(soffice, [d for d, _, _ in todo], Path(tmp), opts.root)
        for doc, prefix, digest in todo:
            _render(doc, pdfs.get(doc.source, doc.source), prefix, digest, opts)
    return [d for d, _, _ in items]


def _render(doc: DocPreview, pdf: Path, prefix: str, digest: str, opts: PreviewOptions) -> None:
    out = opts.out.resolve()
    make_dir(out, doc.folder.relative_to(out))  # marked as ours; no link followed on the way
    (doc.folder / STAMP).unlink(missing_ok=True)
    doc.pages = render_pages(pdf, doc.folder, prefix, opts.dpi)
    if pdf != doc.source:
        shutil.copyfile(pdf, doc.folder / (doc.source.stem + ".pdf"))
    doc.sheet = contact_sheet(doc.pages, doc.folder / CONTACT_SHEET,
                              f"{doc.source.name}  ·  {len(doc.pages)} {unit(doc)}", opts.root)
    atomic_write(doc.folder / STAMP, json.dumps({"source": doc.source.name, "sha256": digest, "dpi": opts.dpi,
                                                 "pages": [p.name for p in doc.pages]}, ensure_ascii=False, indent=1))
    if not opts.quiet:
        say(f"✓ {doc.folder.relative_to(opts.out.resolve())}：{len(doc.pages)} {unit(doc)}")


def unit(doc: DocPreview) -> str:
    return R.get(doc.product).unit


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
