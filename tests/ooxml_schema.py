"""Validate a .pptx/.docx/.xlsx against the ECMA-376 transitional schemas (openxml-audit, offline)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

# Office 2010 = ECMA-376 2nd edition, the first with the transitional schemas. (Office 2007 = 1st edition
# would also reject the w:tblLook firstRow/lastRow/… attributes python-docx writes.)
FILE_FORMAT = "office2010"


@lru_cache(maxsize=1)
def _validator() -> Any:
    """One validator per test session: loading the schema tables is the slow part."""
    from openxml_audit import FileFormat, OpenXmlValidator

    return OpenXmlValidator(file_format=FileFormat(FILE_FORMAT), max_errors=0)


def _describe(error: Any) -> str:
    """`/part.xml /path/to/element <node>: description` — enough to find the element by hand."""
    kind = "" if error.severity.value == "error" else f"[{error.severity.value}] "
    node = f" <{error.node}>" if error.node else ""
    where = f"{error.part_uri or '(package)'} {error.path}".rstrip()
    return f"{kind}{where}{node}: {' '.join(error.description.split())}"


def validate(path: Path) -> list[str]:
    """Every schema, semantic and package problem of one Office file, warnings included; [] when clean."""
    result = _validator().validate(str(path))
    return [_describe(e) for e in result.errors]
