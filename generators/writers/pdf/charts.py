"""Chart SVGs as ReportLab drawings (svglib), each converted once and kept in the chart cache as a pickle."""

from __future__ import annotations

import hashlib
import io
import os
import pickle
from pathlib import Path
from typing import Callable

from reportlab.graphics.shapes import Drawing

from generators.writers.pdf.fonts import no_gc


def chart_drawing(svg: bytes, cache_dir: Path | None, names: dict[str, str], map_fonts: Callable[[], None]) -> Drawing:
    """The drawing of a chart SVG: from the cache when this SVG was converted before with the same fonts,
    svglib and ReportLab; else converted now (after `map_fonts`) and kept. The caller scales its own fresh copy."""
    import reportlab
    import svglib

    # matplotlib writes numeric weights; svglib maps fonts by "bold"/"normal".
    svg = svg.replace(b"font-weight: 700", b"font-weight: bold")
    key = hashlib.sha256(repr((sorted(names.items()), getattr(svglib, "__version__", ""), reportlab.Version))
                         .encode() + b"\0" + svg).hexdigest()
    cached = cache_dir / f"{key}.rlg.pickle" if cache_dir is not None else None
    if cached is not None and cached.is_file():
        try:
            with no_gc():
                return pickle.loads(cached.read_bytes())
        except Exception:  # noqa: BLE001 - a damaged cache entry is converted again
            pass
    from svglib.svglib import svg2rlg

    map_fonts()
    drawing = svg2rlg(io.BytesIO(svg))
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(f".tmp{os.getpid()}")
            tmp.write_bytes(pickle.dumps(drawing, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, cached)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            pass  # a cache that cannot be written only costs time
    return drawing
