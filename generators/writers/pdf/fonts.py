"""PDF fonts: the theme's bundled TrueType fonts registered once; markup that escapes text and routes missing glyphs."""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import weakref
from fnmatch import fnmatch
from pathlib import Path
from weakref import WeakKeyDictionary
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, TTFontFace
from reportlab.pdfbase.ttfonts import unShapedFontGlob as _UNSHAPED

from generators import model as M
from generators.writers import WriterEnv
from generators.writers.pdf.fontcache import cache_file


def register_fonts(env: WriterEnv) -> dict[str, str]:
    """Register each bundled font once under its file stem (file name → ReportLab font name)."""
    from generators.fonts import metrics

    theme = env.theme
    cache_dir = env.glyphs.cache_dir
    names = {file: Path(file).stem for file in theme.print_fonts()}
    registered = set(pdfmetrics.getRegisteredFontNames())
    for file in theme.print_fonts():
        metrics(theme.font_path(file), cache_dir)  # the markup's glyph checks read these, cached beside
        if names[file] not in registered:
            pdfmetrics.registerFont(load_font(names[file], theme.font_path(file), cache_dir))
            registered.add(names[file])
    return names


def map_svg_families(env: WriterEnv, names: dict[str, str]) -> None:
    """Chart SVGs name a family and a weight (e.g. 'Noto Sans SC', 700): map each to one of our registered fonts
    for svglib (only needed when an SVG is converted, not when its drawing comes from the cache)."""
    from generators.fonts import family_name

    theme = env.theme
    for file in theme.print_fonts():
        path = theme.font_path(file)
        _map_svg_family(family_name(path), "bold" if "bold" in file.lower() else "normal", names[file], path)


def load_font(name: str, path: Path, cache_dir: Path | None) -> TTFont:
    """ReportLab's TrueType font, its parsed tables kept in `cache_dir` (one parse per font file and ReportLab
    version); afterwards the file is read in slices on demand, so only the glyphs a subset needs are read and
    the 10 MB file never sits in memory."""
    cached = cache_file(cache_dir, path) if cache_dir is not None else None
    state = None
    if cached is not None and cached.is_file():
        try:
            with no_gc():  # half a million small objects: the collector would run over them again and again
                state = pickle.loads(cached.read_bytes())
        except Exception:  # noqa: BLE001 - a damaged cache is parsed again
            state = None
    if state is None:
        face = TTFontFace(str(path))  # reads the whole file once to parse it
        if cached is not None:
            _save(cached, {k: v for k, v in vars(face).items() if k not in _UNCACHED})
    else:
        face = TTFontFace.__new__(TTFontFace)
        face.__dict__.update(state)
        face.glyphToChar = GlyphToChar(face.charToGlyph)
        upm = face.unitsPerEm
        face._pdfScale = (lambda x: x) if upm == 1000 else (lambda x, m=1000 / upm: x * m)
    face._ttf_data = FileSlices(path)
    return _font_of(name, face)


@contextlib.contextmanager
def no_gc():
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# the file (read on demand), a closure (made again) and the character map's inverse (GlyphToChar)
_UNCACHED = ("_ttf_data", "_pdfScale", "glyphToChar")


class GlyphToChar(dict):
    """Glyph → the characters mapped to it, made from the character map when first read: only text shaping
    reads it, and unpickling it was a quarter of loading a cached font."""

    def __init__(self, char_to_glyph: dict[int, int]) -> None:
        super().__init__()
        self._source: dict[int, int] | None = char_to_glyph

    def _fill(self) -> None:
        if self._source is not None:
            source, self._source = self._source, None
            for char, glyph in source.items():
                super().setdefault(glyph, []).append(char)

    def __getitem__(self, key):
        self._fill()
        return super().__getitem__(key)

    def __contains__(self, key) -> bool:
        self._fill()
        return super().__contains__(key)

    def __eq__(self, other) -> bool:
        self._fill()
        return super().__eq__(other)

    __hash__ = None  # a dict: unhashable, as its base

    def __len__(self) -> int:
        self._fill()
        return super().__len__()

    def __iter__(self):
        self._fill()
        return super().__iter__()

    def get(self, key, default=None):
        self._fill()
        return super().get(key, default)

    def setdefault(self, key, default=None):
        self._fill()
        return super().setdefault(key, default)

    def items(self):
        self._fill()
        return super().items()

    def keys(self):
        self._fill()
        return super().keys()

    def values(self):
        self._fill()
        return super().values()


class FileSlices:
    """A font file as ReportLab's parser reads it (data[i], data[a:b], len(data)), each read from the file when
    asked: subsetting reads a few thousand glyphs of a 10 MB file."""

    def __init__(self, path: Path):
        self.path = path
        self.file = open(path, "rb")  # noqa: SIM115 - open while the font is in use (registered: the process)
        self.size = os.fstat(self.file.fileno()).st_size
        weakref.finalize(self, self.file.close)

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, key):
        if isinstance(key, slice):
            start, stop, step = key.indices(self.size)
            if step != 1:
                raise ValueError("FileSlices: only contiguous slices")
            return self._read(start, max(0, stop - start))
        if key < 0:
            key += self.size
        if not 0 <= key < self.size:
            raise IndexError(key)
        return self._read(key, 1)[0]

    def _read(self, offset: int, length: int) -> bytes:
        if hasattr(os, "pread"):
            return os.pread(self.file.fileno(), length, offset)
        self.file.seek(offset)  # pragma: no cover - Windows
        return self.file.read(length)


def _save(cached: Path, state: dict) -> None:
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".tmp{os.getpid()}")
        tmp.write_bytes(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, cached)
    except OSError:
        pass  # a cache that cannot be written only costs time


def _font_of(name: str, face: TTFontFace) -> TTFont:
    """A TTFont around an already parsed face: what TTFont.__init__ sets, without parsing the file again."""
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, g) for g in _UNSHAPED)
    return font


def _map_svg_family(family: str, weight: str, rl_name: str, path: Path) -> None:
    """svglib's font map: family + weight → our registered font (svglib would parse the file again itself)."""
    from svglib import fonts as svgfonts

    font_map = getattr(svgfonts, "_font_map", None)
    build = getattr(svgfonts.FontMap, "build_internal_name", None)
    if font_map is None or build is None or not isinstance(getattr(font_map, "_map", None), dict):
        svgfonts.register_font(family, str(path), weight=weight, rlgFontName=rl_name)  # older svglib
        return
    font_map._map[build(family, weight, "normal")] = {"svg_family": family, "svg_weight": weight,
                                                     "svg_style": "normal", "rlgFont": rl_name, "exact": True}
    font_map._family_index.setdefault(family.lower(), family)


class Markup:
    """Escapes data text for ReportLab markup and routes characters the font lacks to a fallback font."""

    def __init__(self, env: WriterEnv, names: dict[str, str]):
        self.env = env
        self.names = names

    def __call__(self, text: str, font_file: str) -> str:
        glyphs = self.env.glyphs
        path = self.env.theme.font_path(font_file)
        missing = set(glyphs.missing(text, path))
        if not missing:
            return escape(text)
        out = []
        for ch in text:
            if ch in missing:
                fb = glyphs.fallback_for(ch)
                if fb is not None:
                    out.append(f'<font name="{self.names[fb.name]}">{escape(ch)}</font>')
                    continue
            out.append(escape(ch))
        return "".join(out)

    def runs(self, runs: M.Inline, font_file: str, figure_font: str, figure_color: str) -> str:
        parts = []
        for r in runs:
            if r.figure:
                parts.append(f'<font name="{self.names[figure_font]}" color="{figure_color}">'
                             f"{self(r.text, figure_font)}</font>")
            else:
                parts.append(self(r.text, font_file))
        return "".join(parts)
