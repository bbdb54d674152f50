"""Where the PDF writer keeps each font's parsed tables (light: the warm-up asks it without importing the writer)."""

from __future__ import annotations

from pathlib import Path


def cache_file(cache_dir: Path, path: Path) -> Path:
    """One parse per font file (its size and time) and ReportLab version."""
    import reportlab  # the package only, for its version

    st = path.stat()
    return cache_dir / f"reportlab-{path.stem}-{st.st_size}-{st.st_mtime_ns}-{reportlab.Version}.pickle"
