"""Previews of the 工作台: page thumbnails of out/ files and a briefing's first page (LibreOffice + poppler)."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable

from generators import build as B


class Previews:
    """Mixed into Service: needs `root`, `out`, `work` and `render_briefing`."""

    root: Path
    out: Path
    work: Path
    render_briefing: Callable[..., tuple[str, bytes]]  # Service.render_briefing(raw, name)

    def tools(self) -> dict:
        from generators.preview import ToolMissing, find_poppler, find_soffice

        out = {}
        for name, finder in (("soffice", find_soffice), ("poppler", find_poppler)):
            try:
                finder()
                out[name] = ""
            except ToolMissing as exc:
                out[name] = str(exc)
        return out

    def thumbs_folder(self, sha: str) -> Path:
        return self.work / "thumbs" / sha

    def thumbnails(self, sha: str) -> list[str]:
        folder = self.thumbs_folder(sha)
        try:
            return json.loads((folder / "pages.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []

    def thumbnail_size(self, sha: str, name: str) -> list[int]:
        """[width, height] of a page image from its PNG header ([0, 0] when unreadable)."""
        try:
            with open(self.thumbs_folder(sha) / name, "rb") as fh:
                head = fh.read(24)
        except OSError:
            return [0, 0]
        if len(head) < 24 or not head.startswith(b"\x89PNG\r\n\x1a\n"):
            return [0, 0]
        return [int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")]

    def render_thumbnails(self, rels: list[str], dpi: int = 45) -> None:
        """Pages of out/ files as PNG into build/web/thumbs/<sha256>/ (skips those already there)."""
        from generators import preview as P

        files = B.read_manifest(self.out).get("files", {})
        keep = {f.get("sha256") for f in files.values()}
        for old in (self.work / "thumbs").glob("*") if (self.work / "thumbs").is_dir() else ():
            if old.name not in keep:  # pages of files no longer in out/
                shutil.rmtree(old, ignore_errors=True)
        todo = [(r, files[r]["sha256"]) for r in rels if r in files and not self.thumbnails(files[r]["sha256"])]
        if not todo:
            return
        soffice = P.find_soffice() if any(not r.endswith(".pdf") for r, _ in todo) else ""
        pdftoppm, pdfinfo = P.find_poppler()
        with tempfile.TemporaryDirectory(prefix="reportgen-thumbs-") as tmp:
            copies = {}
            for n, (rel, sha) in enumerate(todo):
                src = Path(tmp) / "src" / f"{n}{Path(rel).suffix}"
                src.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(self.out / rel, src)  # a build may replace out/ meanwhile
                copies[src] = sha
            office = [s for s in copies if s.suffix != ".pdf"]
            pdfs = P.convert_to_pdf(soffice, office, Path(tmp) / "pdf", self.root) if office else {}
            for src, sha in copies.items():
                pdf = pdfs.get(src, src)
                stage = Path(tmp) / "pages" / sha
                pages = P.render_pages(pdftoppm, pdfinfo, pdf, stage, "slide" if src.suffix == ".pptx" else "page", dpi)
                (stage / "pages.json").write_text(json.dumps([p.name for p in pages]), encoding="utf-8")
                dest = self.thumbs_folder(sha)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.rmtree(dest, ignore_errors=True)
                shutil.move(str(stage), dest)

    def first_page(self, raw: Any, name: str = "", dpi: int = 60) -> bytes:
        """The first page of a briefing as PNG (LibreOffice + poppler)."""
        from generators import preview as P

        _, data = self.render_briefing(raw, name)
        soffice = P.find_soffice()
        pdftoppm, pdfinfo = P.find_poppler()
        with tempfile.TemporaryDirectory(prefix="reportgen-first-") as tmp:
            src = Path(tmp) / "briefing.docx"
            src.write_bytes(data)
            pdf = P.convert_to_pdf(soffice, [src], Path(tmp) / "pdf", self.root)[src]
            pages = P.render_pages(pdftoppm, pdfinfo, pdf, Path(tmp) / "pages", "page", dpi)
            return pages[0].read_bytes()
