"""The 年度更新 page's bulletin step: upload a statistics bulletin, review what was read, get the workbook.

POST /api/yearly/bulletin           multipart `file` (+ `year`): the bulletin is kept in build/web/uploads/<id>/
                                    and read; returns one row per yearly indicator (value, unit, sentence, where
                                    the number stands in it). Nothing is written to data/.
POST /api/yearly/bulletin/workbook  JSON {upload, year, decisions: {indicator: {action, value, unit}}}: the
                                    pre-filled workbook (.xlsx) with the statistician's decisions (accept /
                                    correct / blank); the page then uploads it to the ordinary check and import.
"""

from __future__ import annotations

import dataclasses
import re
import secrets
import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from generators.bulletin.extract import SUFFIXES
from generators.errors import InputError, Problem
from generators.web.api import XLSX, attachment, json_body, one_file
from generators.web.uploads import UPLOAD_ID, clean_stem

MAX_BULLETIN_BYTES = 20 * 1024 * 1024
router = APIRouter()


def _svc(request: Request):
    return request.app.state.service


def _folder(request: Request) -> Path:
    return _svc(request).work / "uploads"


def _year(raw: object) -> int:
    text = str(raw or "").strip()
    if not re.fullmatch(r"\d{4}", text):
        raise InputError(Problem("年度更新", field="year", message="请填写公报的年份", expected="四位年份，如 2025",
                                 found=text or "（空）"))
    return int(text)


def save_bulletin(folder: Path, name: str, data: bytes) -> tuple[str, Path]:
    """(upload id, path) of an uploaded bulletin, kept under folder/<id>/ with its cleaned name."""
    where = f"上传的文件“{name}”"
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in SUFFIXES:
        raise InputError(Problem(where, message="不是可以读取的统计公报文件",
                                 expected="Word 文档 .docx、有文字层的 .pdf、文本 .txt 或网页 .html", found=suffix or "无扩展名"))
    if len(data) > MAX_BULLETIN_BYTES:  # only the first MAX + 1 bytes were read
        raise InputError(Problem(where, message=f"文件超过 {MAX_BULLETIN_BYTES // 1024 // 1024} MB 的上限"))
    upload = secrets.token_hex(16)
    dest = folder / upload / (clean_stem(name, "统计公报") + suffix)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(data)
    return upload, dest


def find_bulletin(folder: Path, upload: object) -> Path | None:
    if not isinstance(upload, str) or not UPLOAD_ID.match(upload) or not (folder / upload).is_dir():
        return None
    found = sorted(p for p in (folder / upload).iterdir() if p.suffix.lower() in SUFFIXES)
    return found[0] if found else None


def _renamed(exc: InputError, path: Path, name: str) -> InputError:
    """Problems name the uploaded file as the statistician knows it, not the private upload path."""
    def fix(text: str | None) -> str | None:
        if not text:
            return text
        for p in sorted({str(path), str(path.resolve())}, key=len, reverse=True):
            text = text.replace(p, name)
        return re.sub(r"\S*build/web/uploads/[0-9a-f]{32}/", "", text)

    return InputError([dataclasses.replace(p, file=fix(p.file) or name, message=fix(p.message)) for p in exc.problems])


def _read(root: Path, year: int, path: Path, name: str):
    from generators.yearly.prefill import read_for_year

    try:
        return read_for_year(root, year, path)
    except InputError as exc:
        raise _renamed(exc, path, name) from None


@router.post("/api/yearly/bulletin")
async def bulletin_read(request: Request):
    filename, data, fields = await one_file(request, MAX_BULLETIN_BYTES, "统计公报")
    year = _year(fields.get("year"))
    upload, path = save_bulletin(_folder(request), filename, data)
    root = _svc(request).root

    def work() -> dict:
        from generators.yearly.prefill import rows_of

        reading = _read(root, year, path, filename or path.name)
        return {"upload": upload, "year": year, "title": reading.title, "file": filename,
                "rows": rows_of(root, reading), "found": len(reading.found), "blank": len(reading.blank)}

    return await run_in_threadpool(work)


@router.post("/api/yearly/bulletin/workbook")
async def bulletin_workbook(request: Request):
    body = await json_body(request)
    body = body if isinstance(body, dict) else {}
    path = find_bulletin(_folder(request), body.get("upload"))
    if path is None:
        raise InputError(Problem("上传", field="upload", message="找不到这次上传的统计公报，请重新上传"))
    year = _year(body.get("year"))
    decisions = body.get("decisions") or {}
    if not isinstance(decisions, dict) or not all(isinstance(v, dict) for v in decisions.values()):
        raise InputError(Problem("公报核对表", field="decisions", message="应为 {指标ID: {action, value, unit}}"))
    root = _svc(request).root

    def work() -> bytes:
        from generators.yearly.prefill import corrected
        from generators.yearly.workbook import new_year

        reading = _read(root, year, path, path.name)
        cells = corrected(root, reading, decisions)
        with tempfile.TemporaryDirectory(prefix="reportgen-wb-") as tmp:
            dest = Path(tmp) / f"年度填报-{year}.xlsx"
            new_year(root, year, dest, force=True, prefill=cells, audience="page")  # its 说明 speaks of the page
            return dest.read_bytes()

    data = await run_in_threadpool(work)
    return Response(data, media_type=XLSX, headers=attachment(f"年度填报-{year}-按公报.xlsx"))
