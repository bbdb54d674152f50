"""The PDF's warm-up (products.Product.warmup): light on purpose, ReportLab's font parser is imported only when a
font is not cached yet, so a worker with nothing to prepare pays nothing."""

from __future__ import annotations

from pathlib import Path

from generators.writers import WriterEnv
from generators.writers.pdf.fontcache import cache_file


def prepare(env: WriterEnv) -> None:
    """A helper process of a cold build: parse and cache the fonts, last first (the writer takes them first
    first, and each process reads what the other has already cached, so the two meet in the middle). The
    charts are left to the writing process: drawing even one costs a process matplotlib's figure machinery (a
    fifth of a second), which the writing process pays anyway."""
    cache_dir = env.glyphs.cache_dir
    if cache_dir is None:
        return
    files = [f for f in reversed(env.theme.print_fonts()) if not cache_file(cache_dir, env.theme.font_path(f)).is_file()]
    if not files:
        return
    from generators.writers.pdf.fonts import load_font

    for file in files:
        path = env.theme.font_path(file)
        if not cache_file(cache_dir, path).is_file():  # the writing process may have parsed it meanwhile
            load_font(Path(file).stem, path, cache_dir)
