"""matplotlib starts from known defaults whatever the environment, and keeps its caches in build/.

matplotlib reads a `matplotlibrc` from the working folder, `$MATPLOTLIBRC` and the user's configuration folder
when it is first imported, and keeps its font cache in the user's home. Before that first import `isolate`
drops `$MATPLOTLIBRC` and points `MPLCONFIGDIR` at build/cache/matplotlib; every chart is then drawn from
matplotlib's own defaults (`plt.style.context(["default", ...])`), so whatever a configuration file set
(text.usetex starting LaTeX, a backend, colours) never reaches a chart. Only the allow-listed chart style applies.
"""

from __future__ import annotations

import os
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
