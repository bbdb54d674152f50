"""Bundled fonts: character maps, glyph checks with fallback, never tofu."""

from __future__ import annotations

import contextlib
import functools
import os
import struct
import sys
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from generators.errors import InputError, Problem, shown

if TYPE_CHECKING:
    from generators.load.records import Dataset

# Characters no font needs to draw: line breaks and layout controls.
_IGNORABLE = {"\n", "\r", "\t", "\u200b", "\u200d", "\ufeff", "\u00ad"}


@functools.lru_cache(maxsize=32)
def cmap(path: Path) -> frozenset[int]:
    """Code points a font file maps (from its metrics: one parse per font and process)."""
    return frozenset(metrics(path).advances)


def covered(path: Path, cache_dir: Path | None) -> frozenset[int]:
    """The code points a font maps, its metrics parsed or read from `cache_dir` first (then `cmap` finds them)."""
    metrics(path, cache_dir)
    return cmap(path)


@dataclass(frozen=True)
class Metrics:
    """Horizontal metrics of a font: advance per code point (font units), units per em, line height in em."""

    upm: int
    advances: dict[int, int]
    line: float


_METRICS: dict[Path, Metrics] = {}  # one parse per font file and process, whoever asks first


def metrics(path: Path, cache_dir: Path | None = None) -> Metrics:
    """Advance widths for measuring text: parsed once per process; with `cache_dir`, kept there between runs."""
    hit = _METRICS.get(path)
    if hit is None:
        if len(_METRICS) >= 32:  # tests and the web server open many projects: keep the newest fonts only
            del _METRICS[next(iter(_METRICS))]
        hit = _METRICS[path] = _load_metrics(path, cache_dir)
    return hit


def _load_metrics(path: Path, cache_dir: Path | None) -> Metrics:
    cached = None
    if cache_dir is not None:
        st = path.stat()
        cached = cache_dir / f"metrics-{path.stem}-{st.st_size}-{st.st_mtime_ns}.bin"
        if cached.is_file():
            raw = array("I", cached.read_bytes())
            return Metrics(raw[0], dict(zip(raw[3::2], raw[4::2], strict=False)), raw[1] / raw[2])
    fast = _read_metrics(path)
    if fast is not None:
        upm, adv, line_units = fast
    else:
        with _open_font(path) as font:
            # Placeholder glyph names: fontTools would otherwise make names from the cmap for fonts without
            # a 'post' name table (most CJK fonts), the slowest part of the parse; only glyph ids matter here.
            font.setGlyphOrder([f"g{i}" for i in range(font["maxp"].numGlyphs)])
            upm = font["head"].unitsPerEm
            hmtx = font["hmtx"].metrics
            adv = {cp: hmtx[g][0] for cp, g in (font.getBestCmap() or {}).items() if g in hmtx}
            hhea, os2 = font["hhea"], font["OS/2"]
            line_units = max(hhea.ascent - hhea.descent + hhea.lineGap, os2.usWinAscent + os2.usWinDescent,
                             os2.sTypoAscender - os2.sTypoDescender + os2.sTypoLineGap)
    if cached is not None:
        flat = array("I", [upm, line_units, upm])
        for cp in sorted(adv):
            flat.extend((cp, adv[cp]))
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".tmp{os.getpid()}")
        tmp.write_bytes(flat.tobytes())
        os.replace(tmp, cached)
    return Metrics(upm, adv, line_units / upm)


def _read_metrics(path: Path) -> tuple[int, dict[int, int], int] | None:
    """(units per em, advance per code point, line height in units) read straight from the tables of a plain
    TrueType font whose Unicode map is a Windows full-repertoire format 12 subtable (every bundled CJK font),
    with fontTools' reading of those tables (getBestCmap, hmtx, hhea, OS/2) to the code point; None for
    anything else, which fontTools then reads (a test holds the two equal on the bundled fonts)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
        if data[:4] not in (b"\x00\x01\x00\x00", b"true"):
            return None  # a collection, CFF outlines or not a font: fontTools says which
        tables = {}
        for i in range(struct.unpack_from(">H", data, 4)[0]):
            tag, _, offset, length = struct.unpack_from(">4sLLL", data, 12 + 16 * i)
            tables[tag] = (offset, length)
        if not {b"glyf", b"cmap", b"head", b"hhea", b"hmtx", b"maxp", b"OS/2"} <= tables.keys():
            return None
        upm = struct.unpack_from(">H", data, tables[b"head"][0] + 18)[0]
        num_glyphs = struct.unpack_from(">H", data, tables[b"maxp"][0] + 4)[0]
        hhea = tables[b"hhea"][0]
        ascent, descent, gap = struct.unpack_from(">hhh", data, hhea + 4)
        n_hmetrics = struct.unpack_from(">H", data, hhea + 34)[0]
        os2, os2_len = tables[b"OS/2"]
        if os2_len < 78 or not 0 < n_hmetrics <= num_glyphs or tables[b"hmtx"][1] < 4 * n_hmetrics:
            return None
        typo_asc, typo_desc, typo_gap, win_asc, win_desc = struct.unpack_from(">hhhHH", data, os2 + 68)
        hm = array("H", data[tables[b"hmtx"][0]:tables[b"hmtx"][0] + 4 * n_hmetrics])
        if sys.byteorder == "little":
            hm.byteswap()
        advances = hm[::2]
        groups = _format12_groups(data, tables[b"cmap"])
        if groups is None:
            return None
        last = advances[-1]
        adv: dict[int, int] = {}
        last_end = 0
        for start, end, gid in zip(*[iter(groups)] * 3, strict=True):  # as fontTools (HarfBuzz) expands them
            end = min(end, 0x10FFFF)
            if start > end or start < last_end:
                continue
            last_end = end
            if gid == 0:  # the missing glyph maps the group's first code point to nothing
                start, gid = start + 1, 1
            for cp in range(start, end + 1):
                g = gid + cp - start
                if g >= num_glyphs:
                    continue  # no such glyph: fontTools names it but hmtx has no entry for it
                adv[cp] = advances[g] if g < n_hmetrics else last
        line = max(ascent - descent + gap, win_asc + win_desc, typo_asc - typo_desc + typo_gap)
        return upm, adv, line
    except (OSError, struct.error, ValueError, IndexError):
        return None


def _format12_groups(data: bytes, cmap: tuple[int, int]) -> array | None:
    """The (start, end, glyph) triples of the first (3, 10) subtable, if it is format 12 and well formed."""
    base, length = cmap
    count = struct.unpack_from(">H", data, base + 2)[0]
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHL", data, base + 4 + 8 * i)
        if (platform, encoding) != (3, 10):
            continue
        at = base + offset
        if offset + 16 > length or struct.unpack_from(">H", data, at)[0] != 12:
            return None
        size, _, n_groups = struct.unpack_from(">LLL", data, at + 4)
        if size != 16 + 12 * n_groups or offset + size > length:
            return None
        groups = array("I", data[at + 16:at + size])
        if sys.byteorder == "little":
            groups.byteswap()
        return groups
    return None


@contextlib.contextmanager
def _open_font(path: Path):
    """A parsed font (tables read lazily); a broken file is an input problem naming the file."""
    from fontTools.ttLib import TTFont

    with open(path, "rb") as fh:
        try:
            font = TTFont(fh, lazy=True, fontNumber=0)
            if "glyf" not in font or "cmap" not in font:
                raise ValueError("不是 TrueType 轮廓（glyf）字体")
        except Exception as exc:  # noqa: BLE001 - any broken font file is an input problem
            why = str(exc) if isinstance(exc, ValueError) and "TrueType" in str(exc) else "文件已损坏或不是字体"
            raise InputError(Problem(shown(path), message=f"字体文件无法使用（{why}）；ReportLab 需要 TrueType 轮廓的 .ttf，"
                                                           "请换回原始字体文件或按 tools/fonts/README.md 重新生成")) from None
        yield font


@functools.lru_cache(maxsize=32)
def family_name(path: Path) -> str:
    """The font's family name as matplotlib and fontconfig see it."""
    with _open_font(path) as font:
        return str(font["name"].getBestFamilyName())


class GlyphChecker:
    """Which font draws each character: the role's font, else a fallback, else a clear error."""

    def __init__(self, primary: list[Path], fallback: list[Path], cache_dir: Path | None = None):
        self.primary = primary
        self.fallback = fallback
        self.cache_dir = cache_dir  # where parsed font tables are kept between runs (None: nowhere)

    def load(self, fonts: "Iterable[Path]") -> None:
        """Metrics of these fonts read now, from the cache when there is one: measuring then never parses a font."""
        for font in fonts:
            metrics(font, self.cache_dir)

    def have(self, font: Path) -> frozenset[int]:
        return covered(font, self.cache_dir)

    def missing(self, text: str, font: Path) -> list[str]:
        have = self.have(font)
        return sorted({c for c in text if ord(c) not in have and c not in _IGNORABLE})

    def fallback_for(self, ch: str) -> Path | None:
        for f in self.fallback:
            if ord(ch) in self.have(f):
                return f
        return None

    def undrawable(self, text: str, font: Path) -> list[str]:
        """Characters neither the font nor any fallback can draw."""
        return [c for c in self.missing(text, font) if self.fallback_for(c) is None]

    def require(self, texts: list[str], font: Path, where: str) -> None:
        problems = []
        for t in texts:
            bad = self.undrawable(t, font)
            if bad:
                chars = "、".join(f"“{c}”(U+{ord(c):04X})" for c in bad[:8])
                problems.append(Problem(where, message=f"字体 {font.name} 及备用字体都缺字 {chars}；所在文字：“{t[:40]}”。"
                                                        "请换用常用字，或在主题中增加含该字的备用字体"))
        if problems:
            raise InputError(problems)


def text_glyph_problems(ds: Dataset, checker: GlyphChecker) -> list[Problem]:
    """Characters of data/ texts (YAML strings, indicator names, scopes) no bundled font can draw, by file and line."""
    from generators.load.textcheck import SKIP_KEYS
    from generators.load.textio import walk_strings

    font = checker.primary[0]
    problems: list[Problem] = []

    def judge(text: str, where: str, line: int | None, field: str) -> None:
        bad = checker.undrawable(text, font)
        if bad:
            chars = "、".join(f"“{c}”(U+{ord(c):04X})" for c in bad[:8])
            problems.append(Problem(where, line, field=field, message=(
                f"字体 {font.name} 及备用字体都缺字 {chars}（如表情符号），文档中会变成方框或无法生成；"
                "请换用常用字，或在 templates/theme.toml 中增加含该字的备用字体")))

    for file, raw in ds.raw_texts.items():
        where = shown(Path(file))
        for text, line, path, key in walk_strings(raw):
            if key not in SKIP_KEYS:
                judge(text, where, line, path)
    for ind in ds.indicators.values():
        judge(ind.name, ind.file, ind.line, "name")
    for fig in ds.figures.values():
        judge(fig.scope + fig.note + fig.section, fig.file, fig.line, "scope/section/note")
    return problems
