"""Uploaded files: photos checked (type, bytes, pixels) into assets/images/, workbooks into a private folder."""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import time
import unicodedata
from pathlib import Path

from generators.errors import InputError, Problem
from generators.fsutil import atomic_write, open_temp
from generators.outfolder import make_dir, remove_made

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 12_000
MIN_SIDE = 32
MAX_WORKBOOK_BYTES = 5 * 1024 * 1024
IMAGE_TYPES = {".png": (b"\x89PNG\r\n\x1a\n", "PNG"), ".jpg": (b"\xff\xd8\xff", "JPEG"), ".jpeg": (b"\xff\xd8\xff", "JPEG")}
UPLOAD_ID = re.compile(r"^[0-9a-f]{32}$")
_UNSAFE = re.compile(r"[^0-9A-Za-z_\-\u4e00-\u9fff]+")


def clean_stem(name: str, fallback: str) -> str:
    """The last part of an uploaded file's name, reduced to letters, digits, CJK, - and _ (no dots, no paths)."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = _UNSAFE.sub("-", stem).strip("-_")[:40]
    from generators.web.specyaml import WINDOWS_RESERVED

    return (stem + "_" if stem.upper() in WINDOWS_RESERVED else stem) or fallback


def check_image(name: str, data: bytes) -> str:
    """The suffix (.png/.jpg) of a valid photo, else InputError naming what is wrong."""
    where = f"上传的图片“{name}”"
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in IMAGE_TYPES:
        raise InputError(Problem(where, field="image", message="格式不支持", expected=".jpg、.jpeg 或 .png 图片",
                                 found=suffix or "无扩展名"))
    if len(data) > MAX_IMAGE_BYTES:  # only the first MAX + 1 bytes were read: say "over the limit", not a size
        raise InputError(Problem(where, field="image", message=f"文件超过 {MAX_IMAGE_BYTES // 1024 // 1024} MB 的上限；"
                                 "请先把图片缩小或压缩（如用画图/WPS 另存为较小的 JPG）"))
    magic, fmt = IMAGE_TYPES[suffix]
    if not data.startswith(magic):
        raise InputError(Problem(where, field="image", message=f"文件内容不是 {fmt} 图片（扩展名与内容不符或文件已损坏）"))
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as im:
            w, h = im.size
            if im.format != fmt:
                raise InputError(Problem(where, field="image", message=f"文件内容是 {im.format}，不是 {fmt}"))
            if w * h > MAX_PIXELS or max(w, h) > MAX_SIDE:
                raise InputError(Problem(where, field="image", message="像素过多", expected=f"不超过 {MAX_PIXELS // 1_000_000} 百万像素、边长不超过 {MAX_SIDE}",
                                         found=f"{w}×{h}"))
            if min(w, h) < MIN_SIDE:
                raise InputError(Problem(where, field="image", message="图片太小，印出来会模糊", expected=f"边长至少 {MIN_SIDE} 像素",
                                         found=f"{w}×{h}"))
            im.verify()
    except InputError:
        raise
    except Exception:  # noqa: BLE001 - Pillow's many errors all mean "not a readable image"
        raise InputError(Problem(where, field="image", message="无法读取图片（文件已损坏或不完整）")) from None
    from generators.load.files import pixel_problem

    why = pixel_problem(data)  # the same rule as a photo named in data/ (CMYK, damaged pixels)
    if why:
        raise InputError(Problem(where, field="image", message="图片" + why))
    return ".jpg" if suffix == ".jpeg" else suffix


def save_image(folder: Path, name: str, data: bytes) -> str:
    """Store a checked photo in `folder` (only there); same bytes reuse the file; returns the file name."""
    suffix = check_image(name, data)
    stem = clean_stem(name, "photo")
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(data).hexdigest()
    for n in range(1, 1000):
        candidate = folder / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
        if candidate.resolve().parent != folder.resolve():
            raise InputError(Problem(f"上传的图片“{name}”", field="image", message="文件名不合法"))
        if candidate.exists():
            if hashlib.sha256(candidate.read_bytes()).hexdigest() == digest:
                return candidate.name
            continue
        fd, tmp = open_temp(candidate)  # the permissions of a file the user makes (not mkstemp's 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, candidate)
        return candidate.name
    raise InputError(Problem(f"上传的图片“{name}”", field="image", message="同名图片太多，请改个文件名"))


_NOT_IN_NAMES = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')


def kept_name(name: str, fallback: str = "填报表") -> str:
    """An uploaded workbook's own name, as the user sees it (spaces, full-width brackets, CJK all kept); only
    what no file system allows (separators, control characters, <>:"|?*, a leading dot, a reserved name) changed."""
    from generators.web.specyaml import WINDOWS_RESERVED

    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, "xlsx"
    stem = _NOT_IN_NAMES.sub("_", stem).strip(" .")[:100]
    if stem.upper() in WINDOWS_RESERVED:
        stem += "_"
    return (stem or fallback) + "." + suffix.lower()


def save_workbook(folder: Path, name: str, data: bytes) -> tuple[str, Path]:
    """(upload id, path) of an uploaded .xlsx kept under build/web/uploads/<id>/ under its own name (kept_name):
    messages and the import's record name the file as the user uploaded it."""
    where = f"上传的文件“{name}”"
    if not name.lower().endswith((".xlsx", ".xlsm")):
        raise InputError(Problem(where, message="应为 Excel 工作簿 .xlsx；.xls、.et 或 .csv 请在 Excel/WPS 中“另存为”→“Excel 工作簿(*.xlsx)”"))
    if len(data) > MAX_WORKBOOK_BYTES:  # only the first MAX + 1 bytes were read
        raise InputError(Problem(where, message=f"文件超过 {MAX_WORKBOOK_BYTES // 1024 // 1024} MB 的上限；"
                                 "填报表通常只有几十 KB，请用“下载填报表”得到的文件填写"))
    if not data.startswith(b"PK\x03\x04"):
        raise InputError(Problem(where, message="文件内容不是 .xlsx 工作簿（可能是改了扩展名的其他文件）"))
    _prune(folder)
    upload = secrets.token_hex(16)
    folder.mkdir(parents=True, exist_ok=True)
    dest = make_dir(folder, upload) / kept_name(name)  # marked: _prune may remove it
    atomic_write(dest, data)
    return upload, dest


def _prune(folder: Path, max_age_s: float = 86400) -> None:
    """Uploads older than a day are not needed any more (an import follows its check within minutes)."""
    now = time.time()
    for old in folder.glob("*") if folder.is_dir() else ():
        if UPLOAD_ID.match(old.name) and now - old.stat().st_mtime > max_age_s:
            remove_made(folder, old.name)  # only an upload folder we made; a link is never followed


def find_workbook(folder: Path, upload: object) -> Path | None:
    """The file of an earlier upload, by its id only (a request never names a path)."""
    if not isinstance(upload, str) or not UPLOAD_ID.match(upload):
        return None
    found = sorted(p for p in (folder / upload).iterdir() if p.suffix in (".xlsx", ".xlsm")) if (folder / upload).is_dir() else []
    return found[0] if found else None
