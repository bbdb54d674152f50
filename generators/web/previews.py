"""Previews of the 工作台: page thumbnails of out/ files, and every page of a briefing at reading size
(LibreOffice to PDF, PDFium to pictures)."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable

from generators import build as B
from generators.outfolder import MARK, remove_made, within

READING_DPI = 110  # an A4 page 910 px wide: read at 100 % on an office screen
# What staff read when LibreOffice is missing: one sentence, and the downloads still work.
SOFFICE_MISSING = ("这台电脑没有安装 LibreOffice，幻灯片和 Word 简报画不出页面预览，但照常生成和下载"
                   "（装好 LibreOffice 后重新打开工作台即可预览）")


class Previews:
    """Mixed into Service: needs `root`, `out`, `work` and `render_briefing`."""

    root: Path
    out: Path
    work: Path
    render_briefing: Callable[..., tuple[str, bytes, str]]  # Service.render_briefing(raw, name)

    def tools(self) -> dict:
        from generators.preview import ToolMissing, find_soffice

        try:
            find_soffice()
            return {"soffice": ""}
        except ToolMissing:
            return {"soffice": SOFFICE_MISSING}

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
            if old.name not in keep:  # pages of files no longer in out/ (only folders we made, links not followed)
                remove_made(self.work / "thumbs", old.name)
        todo = [(r, files[r]["sha256"]) for r in rels if r in files and not self.thumbnails(files[r]["sha256"])]
        soffice = ""
        if any(not r.endswith(".pdf") for r, _ in todo):
            try:
                soffice = P.find_soffice()
            except P.ToolMissing:  # the PDFs still get their pages; the page says what is missing
                todo = [(r, sha) for r, sha in todo if r.endswith(".pdf")]
        if not todo:
            return
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
                pages = P.render_pages(pdf, stage, "slide" if src.suffix == ".pptx" else "page", dpi)
                (stage / "pages.json").write_text(json.dumps([p.name for p in pages]), encoding="utf-8")
                (stage / MARK).touch()
                dest = self.thumbs_folder(sha)
                dest.parent.mkdir(parents=True, exist_ok=True)
                remove_made(dest.parent, sha)
                within(dest.parent, sha)  # refuses a link planted there
                shutil.move(str(stage), dest)

    def proof_folder(self, key: str) -> Path:
        return self.work / "proofs" / key

    def proof_pages(self, raw: Any, name: str = "", dpi: int = READING_DPI) -> tuple[str, list[str]]:
        """Every page of a briefing as PNG at reading size (LibreOffice to PDF, PDFium to pictures), kept in
        build/web/proofs/<sha256 of the .docx>/; returns (that sha256, the page file names). The same briefing
        is drawn once."""
        import hashlib

        from generators import preview as P

        _, data, _ = self.render_briefing(raw, name)
        key = hashlib.sha256(data).hexdigest()
        dest = self.proof_folder(key)
        try:
            return key, json.loads((dest / "pages.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
        try:
            soffice = P.find_soffice()
        except P.ToolMissing:
            raise P.ToolMissing(SOFFICE_MISSING + "。") from None
        with tempfile.TemporaryDirectory(prefix="reportgen-proof-") as tmp:
            src = Path(tmp) / "briefing.docx"
            src.write_bytes(data)
            pdf = P.convert_to_pdf(soffice, [src], Path(tmp) / "pdf", self.root)[src]
            stage = Path(tmp) / "pages"
            names = [p.name for p in P.render_pages(pdf, stage, "page", dpi)]
            (stage / "pages.json").write_text(json.dumps(names), encoding="utf-8")
            self._keep_recent_proofs()
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(dest, ignore_errors=True)
            shutil.move(str(stage), dest)
        return key, names

    def _keep_recent_proofs(self, keep: int = 30) -> None:
        folder = self.work / "proofs"
        if not folder.is_dir():
            return
        for old in sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime)[:-keep]:
            shutil.rmtree(old, ignore_errors=True)
