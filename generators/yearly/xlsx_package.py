"""An openpyxl workbook as reproducible .xlsx bytes that Excel opens without repairing or rewriting."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from generators.writers.ooxml import normalize_zip


def package_bytes(wb: Any) -> bytes:
    """Serialise without openpyxl's `modified = now`, then fix the parts and fix the zip dates and order."""
    from openpyxl.writer.excel import ExcelWriter

    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()  # save_workbook() would stamp properties.modified with now()
    return normalize_zip(raw.getvalue())
