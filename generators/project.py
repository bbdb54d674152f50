"""The project context: one object per project folder, holding what is loaded once and cached on it.

Nothing here is module state: a fresh state is a new `Project` (watch mode, tests and the web server rely on
that). Each part is loaded on first use (python-pptx's `lazyproperty` idea, here `functools.cached_property`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
from pathlib import Path

from generators import __version__
from generators.errors import InputError, Problem, shown
from generators.fsutil import atomic_write, files_under

REQUIRED = ("data", "templates")


class DigestCache:
    """sha256 of files, remembered by (path, size, mtime) so a no-op rebuild does not re-read 60 MB of fonts."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.dirty = False
        self.known: dict[str, list] = {}
        self._ahead: threading.Thread | None = None
        if path is not None:
            try:
                self.known = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.known = {}

    def prefetch(self, paths: list[Path]) -> None:
        """Digest these files in a thread while the caller goes on (reading and hashing let go of the GIL: the
        60 MB of fonts of a first build are hashed beside the loading of the data); `digest` waits for it."""
        self._wait()
        self._ahead = threading.Thread(target=self._quietly, args=(sorted(set(paths)),), daemon=True)
        self._ahead.start()

    def _quietly(self, paths: list[Path]) -> None:
        for p in paths:
            try:
                self.digest(p, wait=False)
            except OSError:
                pass  # asked again by the caller, who reports it

    def _wait(self) -> None:
        if self._ahead is not None:
            self._ahead.join()
            self._ahead = None

    def digest(self, p: Path, wait: bool = True) -> bytes:
        if wait:
            self._wait()
        st = p.stat()
        key = str(p)
        hit = self.known.get(key)
        if isinstance(hit, list) and len(hit) == 3 and hit[0] == st.st_size and hit[1] == st.st_mtime_ns:
            return bytes.fromhex(hit[2])
        d = hashlib.sha256(p.read_bytes()).digest()
        self.known[key] = [st.st_size, st.st_mtime_ns, d.hex()]
        self.dirty = True
        return d

    def hash_files(self, root: Path, paths: list[Path], extra: str = "") -> str:
        h = hashlib.sha256(extra.encode())
        for p in sorted(set(paths)):
            h.update(p.relative_to(root).as_posix().encode() + b"\0")
            h.update(self.digest(p))
        return h.hexdigest()

    def save(self) -> None:
        self._wait()
        if self.dirty and self.path is not None:
            try:
                atomic_write(self.path, json.dumps(self.known, sort_keys=True))
            except OSError:
                pass  # a cache that cannot be written only costs time
            self.dirty = False


@functools.lru_cache(maxsize=1)
def code_hash() -> str:
    """The generator's own source: a code change rebuilds everything (the web page's code makes no document)."""
    pkg = Path(__file__).parent
    files = [f for f in files_under(pkg, "**/*.py") if f.relative_to(pkg).parts[0] not in ("web", "cli_web.py")]
    return DigestCache(None).hash_files(pkg, files, __version__)


class Project:
    """A project folder (data/, templates/, assets/) and everything loaded from it, each part once."""

    def __init__(self, root: Path, year: int | None = None, cache: bool = True) -> None:
        self.root = root.resolve()
        self.year_asked = year
        self.cache = cache  # False: write nothing (check)
        self.verify = True  # False in a build's early worker: the main process checks fonts and templates

    @classmethod
    def open(cls, root: Path, year: int | None = None, cache: bool = True) -> "Project":
        """The project at `root`, refusing (before writing anything) a folder that is not one."""
        root = root.resolve()
        missing = [d for d in REQUIRED if not (root / d).is_dir()]
        if missing:
            raise InputError(Problem(shown(root), message="这里不是报告项目文件夹（not a project folder）",
                                     expected="含 data/ 与 templates/ 的文件夹；请在项目文件夹中运行，或用 --root 指定",
                                     found="缺少 " + "、".join(m + "/" for m in missing)))
        return cls(root, year, cache)

    # ---- paths -------------------------------------------------------------------------------------
    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def assets(self) -> Path:
        return self.root / "assets"

    @property
    def images(self) -> Path:
        return self.assets / "images"

    @property
    def out(self) -> Path:
        return self.root / "out"

    @property
    def cache_dir(self) -> Path | None:
        return self.root / "build" / "cache" if self.cache else None

    @property
    def locks(self) -> Path:
        return self.root / "build" / "locks"

    @property
    def protected(self) -> tuple[Path, ...]:
        """Folders no command may write documents into (the one list: outfolder.protected)."""
        from generators.outfolder import protected

        return protected(self.root)

    # ---- loaded parts ------------------------------------------------------------------------------
    @functools.cached_property
    def dataset(self):
        from generators.load import load_dataset

        return load_dataset(self.data, self.year_asked, cache=self.cache_dir / "yaml" if self.cache_dir else None)

    @property
    def year(self) -> int:
        return self.dataset.year

    @functools.cached_property
    def theme(self):
        from generators.theme import load_theme

        return load_theme(self.root, self.cache_dir, self.digests.digest, verify=self.verify)

    @property
    def labels(self):
        """Fixed wording of the documents' frame: [labels] of theme.toml."""
        return self.theme.labels

    @functools.cached_property
    def glyphs(self):
        from generators.fonts import GlyphChecker

        theme = self.theme
        return GlyphChecker([theme.font_path(theme.role("body").print)], [theme.font_path(f) for f in theme.fonts.fallback],
                            self.cache_dir / "fonts" if self.cache_dir else None)

    @functools.cached_property
    def charts(self):
        from generators.charts import ChartRenderer

        cache = self.cache_dir
        return ChartRenderer(self.theme, cache / "charts" if cache else None, cache / "fonts" if cache else None)

    @functools.cached_property
    def env(self):
        """What every writer gets: root, theme, chart renderer, glyph checker."""
        from generators.writers import WriterEnv

        return WriterEnv(self.root, self.theme, self.charts, self.glyphs)

    @functools.cached_property
    def digests(self) -> DigestCache:
        return DigestCache(self.cache_dir / "file-digests.json" if self.cache_dir else None)

    # ---- inputs ------------------------------------------------------------------------------------
    def inputs(self, product) -> list[Path]:
        """Every file a product's output depends on: common data, theme, chart style, assets, its own parts."""
        from generators.numbering import FILE as NUMBERS
        from generators.products import PRODUCTS

        own = {g.split("/")[0] for p in PRODUCTS.values() for g in p.data if "/" in g}  # e.g. data/briefings/
        own.add(NUMBERS)  # the number register: a briefing's hash holds its own number instead (inputs_hash)
        common = [p for p in files_under(self.data) if p.relative_to(self.data).parts[0] not in own]
        common += files_under(self.templates, "theme.toml") + files_under(self.templates, "charts.mplstyle")
        common += files_under(self.assets)
        mine = [f for g in product.templates for f in files_under(self.templates, g)]
        mine += [f for g in product.data for f in files_under(self.data, g)]
        return common + mine

    def inputs_hash(self, product, year: int | None) -> str:
        extra = ""
        if product.kind == "briefing":  # each briefing's resolved 期号/发文字号, not the whole register file
            from generators.numbering import fingerprint

            extra = "|" + fingerprint(self.dataset)
        return self.digests.hash_files(self.root, self.inputs(product), f"{code_hash()}|{product.name}|{year}{extra}")
