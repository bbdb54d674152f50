"""matplotlib starts from known defaults whatever the environment, and keeps its caches in build/.

matplotlib reads a `matplotlibrc` from the working folder, `$MATPLOTLIBRC` and the user's configuration folder
when it is first imported, and keeps its font cache in the user's home. Before that first import `isolate`
drops `$MATPLOTLIBRC` and points `MPLCONFIGDIR` at build/cache/matplotlib; every chart is then drawn from
matplotlib's own defaults (`plt.style.context(["default", ...])`), so whatever a configuration file set
(text.usetex starting LaTeX, a backend, colours) never reaches a chart. Only the allow-listed chart style applies.

matplotlib also builds a list of the machine's fonts the first time (its cache there is missing): it parses every
font of the system and its own 60 AFM files, and runs `fc-list` to find them. A chart never uses a system font
(its family is a bundled font; matplotlib's own DejaVu fonts are the fallback), so `isolate` writes that list
itself, empty: no program is started, nothing of the machine can change a chart, and a first build saves a few
tenths of a second. `add_fonts` then adds matplotlib's own fonts and ours to it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
import tempfile
from pathlib import Path


def isolate(cache_root: Path | None) -> None:
    """Call before importing matplotlib: no configuration from the environment, caches under `cache_root`."""
    if "matplotlib" in sys.modules:
        return  # already imported (and isolated, or in a test process): drawing still starts from "default"
    os.environ.pop("MATPLOTLIBRC", None)
    folder = (cache_root / "matplotlib") if cache_root is not None else Path(tempfile.gettempdir()) / "reportgen-matplotlib"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path(tempfile.mkdtemp(prefix="reportgen-matplotlib-"))
    os.environ["MPLCONFIGDIR"] = str(folder)
    _seed_font_list(folder)


def _font_list_version() -> str | None:
    """The version matplotlib's font list file carries (FontManager.__version__), read from its source without
    importing it; None when it cannot be found (then matplotlib builds its list as usual)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or spec.origin is None:
        return None
    try:
        text = (Path(spec.origin).parent / "font_manager.py").read_text(encoding="utf-8")
    except OSError:
        return None
    m = re.search(r"^class FontManager\b.*?^    __version__ = ['\"]([^'\"]+)['\"]", text, flags=re.S | re.M)
    return m.group(1) if m else None


def _seed_font_list(folder: Path) -> None:
    version = _font_list_version()
    if version is None:
        return
    seed = json.dumps({"_version": version, "_FontManager__default_weight": "normal", "default_size": None,
                       "defaultFamily": {"ttf": "DejaVu Sans", "afm": "Helvetica"}, "afmlist": [], "ttflist": [],
                       "__class__": "FontManager"}, indent=1)
    path = folder / f"fontlist-v{version}.json"
    try:
        if not path.is_file() or path.read_text(encoding="utf-8") != seed:
            tmp = path.with_suffix(f".tmp{os.getpid()}")
            tmp.write_text(seed, encoding="utf-8")
            tmp.replace(path)
    except OSError:
        pass  # matplotlib then builds its own list: slower, same charts


def forget_missing() -> None:
    """Drop the listed fonts whose file is gone (a project folder removed, a font replaced): matplotlib, finding
    one, would rebuild its whole list from the machine's fonts, losing ours, and draw every later chart in DejaVu."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    kept = [f for f in manager.ttflist if os.path.isfile(f.fname)]
    if len(kept) != len(manager.ttflist):
        manager.ttflist = kept
        cached = getattr(manager, "_findfont_cached", None)  # its memo of lookups (private: no public way to clear)
        if cached is not None:
            cached.cache_clear()


def add_fonts(fonts: list[Path]) -> None:
    """After the import: matplotlib's own fonts (the fallback family) when its list is the seeded one, then ours."""
    import matplotlib
    from matplotlib import font_manager

    forget_missing()
    manager = font_manager.fontManager
    if not manager.ttflist:
        for f in sorted((Path(matplotlib.get_data_path()) / "fonts" / "ttf").glob("*.ttf")):
            manager.addfont(str(f))
    for f in fonts:
        manager.addfont(str(f))
