"""Make .pptx/.docx files byte-reproducible: fixed zip entry dates and order, no volatile metadata."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def normalize_zip(data: bytes) -> bytes:
    """Rewrite an OOXML package with fixed timestamps and a stable entry order ([Content_Types].xml first)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    first = [n for n in names if n == "[Content_Types].xml"]
    ordered = first + sorted(n for n in names if n != "[Content_Types].xml")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            dst.writestr(info, src.read(name), compresslevel=6)
    return out.getvalue()


def save_normalized(save, dest: Path) -> None:
    """Call `save(buffer)` (python-pptx / python-docx), normalise, write to `dest`."""
    buf = io.BytesIO()
    save(buf)
    dest.write_bytes(normalize_zip(buf.getvalue()))
