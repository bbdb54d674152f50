#!/usr/bin/env python3
"""Reproduce the bundled CJK fonts in assets/fonts/ from pinned Debian packages.

What it does (see README.md beside this file):

1. Gets the pinned Debian packages (``apt-get download PKG=VERSION`` into a cache
   directory, or .deb files you already have via ``--deb-dir``) and extracts only
   the files it needs.  Every input file is checked against a pinned SHA-256.
2. Builds the character set: every character of GBK / GB 18030's two-byte area
   (all 20,923 GBK hanzi plus symbols), the 8,105 characters of 通用规范汉字表
   (Unihan kTGH, from Debian's unicode-data), plus Latin, punctuation, symbol,
   CJK-punctuation and full-width ranges (``EXTRA_RANGES``).
3. For each output font: takes one face of the source (.ttc index or .otf),
   subsets it to that character set (layout features kept: kern/palt/vert...,
   'locl' dropped, hinting dropped, glyph names dropped), converts CFF outlines
   to TrueType quadratic ``glyf`` outlines (fontTools cu2qu, max error 1 unit
   of 1000), gives it a clean family/style name, and writes it with
   head.created/modified fixed, so the same input gives byte-identical output.
   LXGW WenKai is copied unmodified (it is TrueType already, and its OFL
   reserves the name "LXGW": a modified copy could not keep its name).
4. Writes licence texts to assets/fonts/licenses/ and the manifest
   assets/fonts/fonts.toml (sizes, SHA-256, coverage counts).

Usage::

    python tools/fonts/build_fonts.py                 # build into assets/fonts
    python tools/fonts/build_fonts.py --check         # rebuild in a temp dir, compare bytes
    python tools/fonts/build_fonts.py --deb-dir DIR   # use already-downloaded .deb files

Needs: Debian/Ubuntu with apt-get and dpkg-deb (or --deb-dir), Python >= 3.11,
fontTools >= 4.50.
"""
from __future__ import annotations

import argparse
import bz2
import gzip
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO / "assets" / "fonts"
DEFAULT_CACHE = REPO / "build" / "font-sources"

#: head.created and head.modified of every font this script writes (2023-01-17 00:00 UTC).
FIXED_TIMESTAMP_UNIX = 1673913600

#: cu2qu approximation tolerance, in font units (all sources have 1000 units/em).
CU2QU_MAX_ERR = 1.0

# --------------------------------------------------------------------------------------
# Pinned inputs
# --------------------------------------------------------------------------------------

#: Debian package -> exact version (Debian 12 "bookworm").
PACKAGES: dict[str, str] = {
    "fonts-noto-cjk": "1:20220127+repack1-1",
    "fonts-lxgw-wenkai": "1.250+repack-1",
    "texlive-lang-chinese": "2022.20230122-1",
    "unicode-data": "15.0.0-1",
}

#: key -> (package, path inside the package, SHA-256 or None for text we only copy from)
INPUTS: dict[str, tuple[str, str, str | None]] = {
    "noto-serif-regular": (
        "fonts-noto-cjk",
        "usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
        "a04178ec485dffdff7cc0c0c20e1fce9202d7e2160d805e8e44a4c8841c58481",
    ),
    "noto-serif-bold": (
        "fonts-noto-cjk",
        "usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
        "a5d4b046c127da3d7c72f98b46c41489cd29bf52abfdf18aba920903e920d4ac",
    ),
    "noto-sans-regular": (
        "fonts-noto-cjk",
        "usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "b76b0433203017ca80401b2ee0dd69350349871c4b19d504c34dbdd80541690a",
    ),
    "noto-sans-bold": (
        "fonts-noto-cjk",
        "usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
        "faa5f3656a78b2e2d450d27fe8382c778bc2b6bb5ea29c986664a6a435056ceb",
    ),
    "wenkai-regular": (
        "fonts-lxgw-wenkai",
        "usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf",
        "bbf534b0ca093928f94d1782855e65a19a32cde82b075d495d072025521953c8",
    ),
    "fandol-fang": (
        "texlive-lang-chinese",
        "usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf",
        "d838ad32ce2244d8144f408c37fe71065aba6fbbc80759a4d2aa2033948d5bc9",
    ),
    "unihan-othermappings": (
        "unicode-data",
        "usr/share/unicode/Unihan_OtherMappings.txt.bz2",
        None,  # checked through the counts it must give (8105 kTGH, 6763 kGB0)
    ),
    "noto-copyright": ("fonts-noto-cjk", "usr/share/doc/fonts-noto-cjk/copyright", None),
    "wenkai-copyright": ("fonts-lxgw-wenkai", "usr/share/doc/fonts-lxgw-wenkai/copyright", None),
    "fandol-copying": ("texlive-lang-chinese", "usr/share/doc/texlive-doc/fonts/fandol/COPYING.gz", None),
    "fandol-readme": ("texlive-lang-chinese", "usr/share/doc/texlive-doc/fonts/fandol/README", None),
}


@dataclass(frozen=True)
class FontSpec:
    file: str
    family: str
    style: str  # "regular" | "bold"
    role: str  # serif | sans | kai | fang
    source: str  # key of INPUTS
    face_index: int | None  # face of a .ttc
    source_face_name: str  # expected name ID 4 of the source face (sanity check)
    mode: str  # "convert" (subset + CFF->glyf) | "copy" (byte-identical copy)
    postscript_name: str
    licence_id: str
    licence_file: str
    upstream: str


FONTS: list[FontSpec] = [
    FontSpec(
        "NotoSerifSC-Regular.ttf", "Noto Serif SC", "regular", "serif",
        "noto-serif-regular", 2, "Noto Serif CJK SC", "convert", "NotoSerifSC-Regular",
        "OFL-1.1", "licenses/NotoCJK-OFL.txt", "https://github.com/notofonts/noto-cjk",
    ),
    FontSpec(
        "NotoSerifSC-Bold.ttf", "Noto Serif SC", "bold", "serif",
        "noto-serif-bold", 2, "Noto Serif CJK SC Bold", "convert", "NotoSerifSC-Bold",
        "OFL-1.1", "licenses/NotoCJK-OFL.txt", "https://github.com/notofonts/noto-cjk",
    ),
    FontSpec(
        "NotoSansSC-Regular.ttf", "Noto Sans SC", "regular", "sans",
        "noto-sans-regular", 2, "Noto Sans CJK SC", "convert", "NotoSansSC-Regular",
        "OFL-1.1", "licenses/NotoCJK-OFL.txt", "https://github.com/notofonts/noto-cjk",
    ),
    FontSpec(
        "NotoSansSC-Bold.ttf", "Noto Sans SC", "bold", "sans",
        "noto-sans-bold", 2, "Noto Sans CJK SC Bold", "convert", "NotoSansSC-Bold",
        "OFL-1.1", "licenses/NotoCJK-OFL.txt", "https://github.com/notofonts/noto-cjk",
    ),
    FontSpec(
        "LXGWWenKai-Regular.ttf", "LXGW WenKai", "regular", "kai",
        "wenkai-regular", None, "LXGW WenKai", "copy", "LXGWWenKai-Regular",
        "OFL-1.1", "licenses/LXGWWenKai-OFL.txt", "https://github.com/lxgw/LxgwWenKai",
    ),
    FontSpec(
        "FandolFang-Regular.ttf", "FandolFang", "regular", "fang",
        "fandol-fang", None, "FandolFang R", "convert", "FandolFang-Regular",
        "GPL-3.0-only WITH Font-exception-2.0", "licenses/Fandol-GPL-3.0.txt",
        "https://ctan.org/pkg/fandol",
    ),
]

# --------------------------------------------------------------------------------------
# Character sets
# --------------------------------------------------------------------------------------

#: Ranges kept besides GBK / GB 18030 two-byte characters and 通用规范汉字表 (inclusive).
EXTRA_RANGES: list[tuple[int, int, str]] = [
    (0x0020, 0x007E, "Basic Latin (ASCII)"),
    (0x00A0, 0x00FF, "Latin-1 Supplement"),
    (0x0100, 0x024F, "Latin Extended-A/B (pinyin ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ)"),
    (0x0250, 0x02FF, "IPA extensions, spacing modifiers (ɑ ɡ ˇ ˉ ˊ ˋ ˙)"),
    (0x0300, 0x036F, "Combining diacritics"),
    (0x0370, 0x03FF, "Greek"),
    (0x0400, 0x045F, "Cyrillic (basic)"),
    (0x2000, 0x206F, "General Punctuation (— … ‘ ’ “ ” ‰ ※)"),
    (0x2070, 0x209F, "Superscripts and Subscripts"),
    (0x20A0, 0x20CF, "Currency symbols (€)"),
    (0x2100, 0x214F, "Letterlike symbols (℃ № ℉ ™)"),
    (0x2150, 0x218F, "Number forms (Ⅰ–Ⅻ ⅰ–ⅻ ½)"),
    (0x2190, 0x21FF, "Arrows"),
    (0x2200, 0x22FF, "Mathematical operators (± ≤ ≥ ≈ ≠ ∞ √ ∑)"),
    (0x2300, 0x23FF, "Miscellaneous technical (⌒)"),
    (0x2460, 0x24FF, "Enclosed alphanumerics (①–⑳ ⑴ ⒈ ⓐ)"),
    (0x2500, 0x25FF, "Box drawing, block elements, geometric shapes (■□▲△◆◇○●)"),
    (0x2600, 0x26FF, "Miscellaneous symbols (★☆)"),
    (0x2700, 0x27BF, "Dingbats (✓ ✔ ❶–❿)"),
    (0x3000, 0x303F, "CJK Symbols and Punctuation"),
    (0x3040, 0x30FF, "Hiragana, Katakana"),
    (0x3100, 0x312F, "Bopomofo"),
    (0x3220, 0x3243, "Parenthesized ideographs (㈠–㈩)"),
    (0x3251, 0x325F, "Circled numbers 21–35"),
    (0x3280, 0x32BF, "Circled ideographs (㊀–㊉), circled numbers 36–50"),
    (0x32C0, 0x32CB, "Ideographic telegraph months"),
    (0x3358, 0x33FF, "CJK compatibility: units (㎡ ㎏ ㏄), telegraph days/hours"),
    (0xFE10, 0xFE1F, "Vertical forms"),
    (0xFE30, 0xFE6F, "CJK compatibility forms, small form variants"),
    (0xFF00, 0xFFEF, "Halfwidth and Fullwidth Forms"),
    (0xFFFD, 0xFFFD, "Replacement character"),
]

#: Characters every bundled font is checked for (reported as "missing_required" if absent).
REQUIRED_TEXT = (
    "".join(chr(c) for c in range(0x20, 0x7F))
    + "—…‘’“”·、。〈〉《》「」『』【】〔〕〖〗～"
    + "，：；！？（）［］｛｝％＋－＝＜＞０１２３４５６７８９"
    + "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
    + "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ"
    + "±²³×÷≤≥℃‰°¥"
)

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUBSCRIPT_DIGITS = "₀₁₂₃₄₅₆₇₈₉"


def _is_ideograph(cp: int) -> bool:
    name = unicodedata.name(chr(cp), "")
    return name.startswith("CJK UNIFIED IDEOGRAPH") or name.startswith("CJK COMPATIBILITY IDEOGRAPH")


def _decodable_two_byte(codec: str) -> set[int]:
    out: set[int] = set()
    for b1 in range(0x81, 0xFF):
        for b2 in range(0x40, 0xFF):
            if b2 == 0x7F:
                continue
            try:
                ch = bytes((b1, b2)).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(ch) == 1 and unicodedata.category(ch) != "Co":  # no private use
                out.add(ord(ch))
    return out


@dataclass
class Charsets:
    gb2312_hanzi: frozenset[int]  # Unihan kGB0: 6763
    tgh_8105: frozenset[int]  # Unihan kTGH: 8105 (通用规范汉字表, 2013)
    gbk_hanzi: frozenset[int]  # ideographs of CP936/GBK (Python "gbk" codec): 20923
    gbk_all: frozenset[int]  # every character of GBK
    gb18030_two_byte: frozenset[int]  # GBK + the rest of GB 18030's two-byte area
    wanted: frozenset[int]  # what the subset keeps (if the font has it)


def load_charsets(unihan_othermappings: Path) -> Charsets:
    kgb0: set[int] = set()
    ktgh: set[int] = set()
    with bz2.open(unihan_othermappings, "rt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3:
                continue
            if parts[1] == "kGB0":
                kgb0.add(int(parts[0][2:], 16))
            elif parts[1] == "kTGH":
                ktgh.add(int(parts[0][2:], 16))
    if len(kgb0) != 6763 or len(ktgh) != 8105:
        raise SystemExit(f"Unihan gave {len(kgb0)} kGB0 / {len(ktgh)} kTGH, expected 6763 / 8105")
    gbk_all = _decodable_two_byte("gbk")
    gb18030 = _decodable_two_byte("gb18030")
    gbk_hanzi = {c for c in gbk_all if _is_ideograph(c)}
    wanted = set(gb18030) | ktgh | kgb0
    for lo, hi, _ in EXTRA_RANGES:
        wanted.update(range(lo, hi + 1))
    return Charsets(
        frozenset(kgb0), frozenset(ktgh), frozenset(gbk_hanzi), frozenset(gbk_all),
        frozenset(gb18030), frozenset(wanted),
    )


# --------------------------------------------------------------------------------------
# Getting the inputs
# --------------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _deb_version(deb: Path) -> str:
    return subprocess.run(
        ["dpkg-deb", "-f", str(deb), "Version"], check=True, capture_output=True, text=True
    ).stdout.strip()


def find_or_download_deb(pkg: str, version: str, deb_dirs: list[Path], cache: Path) -> Path:
    for d in deb_dirs + [cache]:
        for deb in sorted(d.glob(f"{pkg}_*.deb")):
            if _deb_version(deb) == version:
                return deb
    cache.mkdir(parents=True, exist_ok=True)
    print(f"  apt-get download {pkg}={version}", flush=True)
    subprocess.run(["apt-get", "download", f"{pkg}={version}"], cwd=cache, check=True)
    for deb in sorted(cache.glob(f"{pkg}_*.deb")):
        if _deb_version(deb) == version:
            return deb
    raise SystemExit(f"apt-get download did not produce {pkg} {version}")


def extract_inputs(deb_dirs: list[Path], cache: Path, workdir: Path) -> dict[str, Path]:
    """Extract the files named in INPUTS; returns key -> extracted path."""
    wanted_by_pkg: dict[str, dict[str, str]] = {}
    for key, (pkg, member, _sha) in INPUTS.items():
        wanted_by_pkg.setdefault(pkg, {})[member] = key
    result: dict[str, Path] = {}
    for pkg, members in sorted(wanted_by_pkg.items()):
        deb = find_or_download_deb(pkg, PACKAGES[pkg], deb_dirs, cache)
        proc = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE)
        assert proc.stdout is not None
        with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
            for info in tar:
                name = info.name[2:] if info.name.startswith("./") else info.name
                if name in members and info.isfile():
                    dest = workdir / pkg / name
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    src = tar.extractfile(info)
                    assert src is not None
                    with open(dest, "wb") as out:
                        shutil.copyfileobj(src, out)
                    result[members[name]] = dest
        if proc.wait() != 0:
            raise SystemExit(f"dpkg-deb failed on {deb}")
        missing = sorted(set(members.values()) - set(result))
        if missing:
            raise SystemExit(f"{deb.name} lacks {missing}")
    for key, (_pkg, _member, sha) in INPUTS.items():
        if sha is not None:
            got = sha256_file(result[key])
            if got != sha:
                raise SystemExit(f"{key}: SHA-256 {got} differs from the pinned {sha}")
    return result


# --------------------------------------------------------------------------------------
# Font surgery
# --------------------------------------------------------------------------------------

LAYOUT_FEATURES = [
    # kept (their glyph closure is small); 'locl' is dropped on purpose: in these faces
    # it maps SC glyphs to Japanese/Korean/Traditional forms, thousands of extra glyphs.
    "ccmp", "liga", "calt", "clig", "kern", "mark", "mkmk",
    "frac", "numr", "dnom", "sups", "subs",
    "halt", "palt", "chws",
    "vert", "vrt2", "vhal", "vpal", "vkrn", "vchw",
]


def _subset_options():
    from fontTools import subset

    opts = subset.Options()
    opts.layout_features = list(LAYOUT_FEATURES)
    # CFF hints and subroutines need no removing here: cff_to_glyf() draws every glyph
    # through a pen, which drops hints and inlines subroutines anyway (and it is faster).
    opts.hinting = True
    opts.desubroutinize = False
    opts.glyph_names = False
    opts.notdef_outline = True
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.name_legacy = True
    opts.legacy_kern = True
    opts.prune_unicode_ranges = True
    opts.recalc_timestamp = False
    opts.canonical_order = True
    opts.drop_tables = list(opts.drop_tables) + ["DSIG"]
    return opts


def cff_to_glyf(font) -> None:
    """Replace CFF outlines by TrueType quadratic outlines (same glyph order, metrics)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    assert font.sfntVersion == "OTTO" and "CFF " in font
    order = font.getGlyphOrder()
    glyphset = font.getGlyphSet()
    glyphs = {}
    for gname in order:
        pen = TTGlyphPen(None)
        glyphset[gname].draw(Cu2QuPen(pen, CU2QU_MAX_ERR, reverse_direction=True))
        glyphs[gname] = pen.glyph(dropImpliedOnCurves=True)

    vorg = font["VORG"] if "VORG" in font else None
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    for gname in order:
        glyphs[gname].recalcBounds(glyf)

    hmtx = font["hmtx"]
    vmtx = font["vmtx"] if "vmtx" in font else None
    for gname in order:
        g = glyf[gname]
        adv, _lsb = hmtx.metrics[gname]
        hmtx.metrics[gname] = (adv, g.xMin if g.numberOfContours else 0)
        if vmtx is not None and g.numberOfContours:
            vadv, tsb = vmtx.metrics[gname]
            if vorg is not None:
                origin_y = vorg.VOriginRecords.get(gname, vorg.defaultVertOriginY)
                tsb = origin_y - g.yMax
            vmtx.metrics[gname] = (vadv, tsb)
    if vorg is not None:
        del font["VORG"]

    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(order)
    for attr in ("maxZones",):
        setattr(maxp, attr, 1)
    for attr in (
        "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
        "maxStackElements", "maxSizeOfInstructions", "maxComponentElements", "maxComponentDepth",
        "maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours",
    ):
        setattr(maxp, attr, 0)
    maxp.recalc(font)

    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}

    gasp = font["gasp"] = newTable("gasp")
    gasp.version = 1
    gasp.gaspRange = {0xFFFF: 0x000A}  # no grid-fitting (unhinted), smooth everywhere

    font.sfntVersion = "\x00\x01\x00\x00"


def set_identity(font, spec: FontSpec, source_version: str) -> None:
    """Clean family/style names, weight flags, fixed timestamps."""
    from fontTools.misc.timeTools import timestampSinceEpoch

    bold = spec.style == "bold"
    style_name = "Bold" if bold else "Regular"
    name = font["name"]
    kept = {}
    for nid in (0, 7, 8, 9, 11, 12, 13, 14):
        rec = name.getName(nid, 3, 1, 0x409)
        if rec is not None and rec.toUnicode().strip():
            kept[nid] = rec.toUnicode()
    name.names = []
    src_face = f"{spec.source_face_name} {source_version}".strip()
    pkg = INPUTS[spec.source][0]
    description = (
        f"Modified version of {src_face} (Debian {pkg} {PACKAGES[pkg]}): subset to GBK, "
        "GB 18030 two-byte and Tongyong Guifan Hanzi Biao characters plus Latin and symbols; "
        "CFF outlines converted to TrueType; hinting removed. "
        "Made by tools/fonts/build_fonts.py of hengnan-reportgen."
    )
    if spec.source.startswith("noto"):
        kept.setdefault(13, "This Font Software is licensed under the SIL Open Font License, Version 1.1.")
        kept.setdefault(14, "https://openfontlicense.org")
    if spec.source == "fandol-fang":
        kept[13] = (
            "GNU General Public License (see COPYING) with the GPL font exception: embedding this "
            "font in a document does not by itself make the document subject to the GPL."
        )
        kept[14] = "https://www.gnu.org/licenses/gpl-3.0.html"
    records = {
        **kept,
        1: spec.family,
        2: style_name,
        3: f"{spec.postscript_name};{source_version};hengnan-reportgen",
        4: spec.family if not bold else f"{spec.family} Bold",
        5: f"Version {source_version}; hengnan-reportgen subset",
        6: spec.postscript_name,
        10: description,
    }
    for nid in sorted(records):
        name.setName(records[nid], nid, 3, 1, 0x409)
    # Windows names only; Mac-platform records are dropped (FreeType, fontconfig,
    # matplotlib and ReportLab all read the Windows ones).

    os2 = font["OS/2"]
    os2.usWeightClass = 700 if bold else 400
    sel = os2.fsSelection & ~(0b1100001)  # clear ITALIC(0), BOLD(5), REGULAR(6)
    os2.fsSelection = sel | ((1 << 5) if bold else (1 << 6))
    head = font["head"]
    head.macStyle = (head.macStyle & ~0b11) | (1 if bold else 0)
    stamp = timestampSinceEpoch(FIXED_TIMESTAMP_UNIX)
    head.created = stamp
    head.modified = stamp
    if "CFF " in font:  # keep the CFF name in step (only before conversion)
        cff = font["CFF "].cff
        cff.fontNames = [spec.postscript_name]


def _source_version(font) -> str:
    rev = font["head"].fontRevision
    return f"{rev:.3f}"


def build_one(spec: FontSpec, src: Path, wanted: frozenset[int], out_path: Path) -> dict:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    t0 = time.perf_counter()
    if spec.mode == "copy":
        shutil.copyfile(src, out_path)
        return {"file": spec.file, "seconds": round(time.perf_counter() - t0, 2)}

    kw = {"fontNumber": spec.face_index} if spec.face_index is not None else {}
    font = TTFont(src, recalcTimestamp=False, lazy=False, **kw)
    got = font["name"].getDebugName(4)
    if got != spec.source_face_name:
        raise SystemExit(f"{src}#{spec.face_index}: face is {got!r}, expected {spec.source_face_name!r}")
    version = _source_version(font)
    cmap = font.getBestCmap()
    unicodes = sorted(set(cmap) & wanted)
    subsetter = subset.Subsetter(_subset_options())
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    set_identity(font, spec, version)
    if "CFF " in font:
        cff_to_glyf(font)
    font.recalcTimestamp = False
    font.save(out_path, reorderTables=True)
    return {"file": spec.file, "seconds": round(time.perf_counter() - t0, 2)}


# --------------------------------------------------------------------------------------
# Licences
# --------------------------------------------------------------------------------------

GPL_FONT_EXCEPTION = """\
GPL font exception (the standard text published by the Free Software Foundation,
https://www.gnu.org/licenses/gpl-faq.html#FontException), which the Fandol README
("These fonts's licensing is GPL + GPL font exception.") refers to:

As a special exception, if you create a document which uses this font, and
embed this font or unaltered portions of this font into the document, this
font does not by itself cause the resulting document to be covered by the
GNU General Public License. This exception does not however invalidate any
other reasons why the document might be covered by the GNU General Public
License. If you modify this font, you may extend this exception to your
version of the font, but you are not obligated to do so. If you do not wish
to do so, delete this exception statement from your version.

The modified FandolFang-Regular.ttf in this directory keeps the exception.
Its Corresponding Source is the unmodified FandolFang-Regular.otf from the
Debian package texlive-lang-chinese 2022.20230122-1 (also on CTAN:
https://ctan.org/pkg/fandol) together with tools/fonts/build_fonts.py of this
repository, which turns the former into the latter.
"""


def _debian_licence_block(copyright_file: Path, licence_name: str) -> str:
    """Body of the 'License: NAME' stanza of a machine-readable debian/copyright file."""
    lines = copyright_file.read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    inside = False
    for line in lines:
        if line.strip() == f"License: {licence_name}":
            inside = True
            out = []
            continue
        if inside:
            if line.startswith(" "):
                body = line[1:]
                out.append("" if body.strip() == "." else body)
            else:
                if out:
                    break
                inside = False
    if not out:
        raise SystemExit(f"no 'License: {licence_name}' text in {copyright_file}")
    return "\n".join(out).strip("\n") + "\n"


def write_licences(inputs: dict[str, Path], out_dir: Path, noto_copyrights: list[str]) -> None:
    lic = out_dir / "licenses"
    lic.mkdir(parents=True, exist_ok=True)
    ofl_noto = _debian_licence_block(inputs["noto-copyright"], "SIL-1.1")
    header = (
        "Noto Serif SC / Noto Sans SC (NotoSerifSC-*.ttf, NotoSansSC-*.ttf in this directory)\n"
        "are Modified Versions of Noto Serif CJK SC / Noto Sans CJK SC\n"
        "(https://github.com/notofonts/noto-cjk; Debian package fonts-noto-cjk "
        f"{PACKAGES['fonts-noto-cjk']}).\n\n"
        + "".join(f"{c}\n" for c in noto_copyrights)
        + "Upstream: Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name\n"
        "'Source'. Noto is a trademark of Google Inc.\n"
        "The modified fonts do not use the Reserved Font Name.\n\n"
        "This Font Software is licensed under the SIL Open Font License, Version 1.1.\n"
        "This license is copied below, and is also available with a FAQ at:\n"
        "https://openfontlicense.org\n\n"
    )
    (lic / "NotoCJK-OFL.txt").write_text(header + ofl_noto, encoding="utf-8")

    ofl_wk = _debian_licence_block(inputs["wenkai-copyright"], "OFL-1.1")
    header = (
        "LXGW WenKai (LXGWWenKai-Regular.ttf in this directory) is an unmodified copy of\n"
        "LXGWWenKai-Regular.ttf 1.250 from the Debian package fonts-lxgw-wenkai "
        f"{PACKAGES['fonts-lxgw-wenkai']}\n(https://github.com/lxgw/LxgwWenKai).\n\n"
        "Copyright 2021-2023 LXGW (https://github.com/lxgw/LxgwWenKai)\n"
        "Copyright 2020 The Klee Project Authors (https://github.com/fontworks-fonts/Klee)\n"
        'With Reserved Font Names "霞鹜" and "LXGW". A modified version (for example a\n'
        "subset) must not use these names; this is why the file is shipped unmodified.\n\n"
        "This Font Software is licensed under the SIL Open Font License, Version 1.1.\n"
        "This license is copied below, and is also available with a FAQ at:\n"
        "https://openfontlicense.org\n\n"
    )
    (lic / "LXGWWenKai-OFL.txt").write_text(header + ofl_wk, encoding="utf-8")

    with gzip.open(inputs["fandol-copying"], "rt", encoding="utf-8") as fh:
        (lic / "Fandol-GPL-3.0.txt").write_text(fh.read(), encoding="utf-8")
    readme = inputs["fandol-readme"].read_text(encoding="utf-8")
    (lic / "Fandol-README.txt").write_text(
        "Upstream README of the Fandol fonts (texmf-dist/doc/fonts/fandol/README):\n\n" + readme,
        encoding="utf-8",
    )
    (lic / "Fandol-font-exception.txt").write_text(GPL_FONT_EXCEPTION, encoding="utf-8")


# --------------------------------------------------------------------------------------
# Manifest
# --------------------------------------------------------------------------------------


def coverage(path: Path, cs: Charsets) -> dict:
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    cmap = set(font.getBestCmap())
    req_missing = sorted({c for c in REQUIRED_TEXT if ord(c) not in cmap})
    return {
        "outlines": "glyf" if "glyf" in font else ("CFF" if "CFF " in font else "?"),
        "glyphs": font["maxp"].numGlyphs,
        "cmap_codepoints": len(cmap),
        "gb2312_hanzi": len(cs.gb2312_hanzi & cmap),
        "tgh_8105": len(cs.tgh_8105 & cmap),
        "gbk_hanzi": len(cs.gbk_hanzi & cmap),
        "cjk_unified_and_ext": sum(1 for c in cmap if _is_ideograph(c)),
        "ascii_printable": sum(1 for c in range(0x20, 0x7F) if c in cmap),
        "latin1_printable": sum(1 for c in range(0xA0, 0x100) if c in cmap),
        "cjk_symbols_3000_303f": sum(1 for c in range(0x3000, 0x3040) if c in cmap),
        "fullwidth_ff00_ffef": sum(1 for c in range(0xFF00, 0xFFF0) if c in cmap),
        "circled_1_20": sum(1 for c in range(0x2460, 0x2474) if c in cmap),
        "roman_2160_216b": sum(1 for c in range(0x2160, 0x216C) if c in cmap),
        "superscript_digits": "".join(c for c in SUPERSCRIPT_DIGITS if ord(c) in cmap),
        "subscript_digits": "".join(c for c in SUBSCRIPT_DIGITS if ord(c) in cmap),
        "missing_required": "".join(req_missing),
        "weight": font["OS/2"].usWeightClass,
    }


def _toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_manifest(out_dir: Path, cs: Charsets, inputs: dict[str, Path]) -> None:
    lines = [
        "# Bundled CJK fonts. Generated by tools/fonts/build_fonts.py: do not edit by hand.",
        "# Coverage counts are of the font's cmap: gb2312_hanzi of 6763 (GB 2312, Unihan kGB0),",
        "# tgh_8105 of 8105 (通用规范汉字表 2013, Unihan kTGH), gbk_hanzi of "
        f"{len(cs.gbk_hanzi)} (GBK/CP936 ideographs).",
        "# Licence texts: licenses/. fontconfig aliases for Windows font names: fontconfig/fonts.conf.",
        "",
        "[totals]",
        f"gb2312_hanzi = {len(cs.gb2312_hanzi)}",
        f"tgh_8105 = {len(cs.tgh_8105)}",
        f"gbk_hanzi = {len(cs.gbk_hanzi)}",
        "",
    ]
    for spec in FONTS:
        path = out_dir / spec.file
        cov = coverage(path, cs)
        pkg, member, _ = INPUTS[spec.source]
        lines += [
            "[[font]]",
            f"file = {_toml_str(spec.file)}",
            f"family = {_toml_str(spec.family)}",
            f"style = {_toml_str(spec.style)}",
            f"weight = {cov['weight']}",
            f"role = {_toml_str(spec.role)}",
            f"postscript_name = {_toml_str(spec.postscript_name)}",
            f"licence = {_toml_str(spec.licence_id)}",
            f"licence_file = {_toml_str(spec.licence_file)}",
            f"modified = {'false' if spec.mode == 'copy' else 'true'}",
            f"source_package = {_toml_str(pkg)}",
            f"source_version = {_toml_str(PACKAGES[pkg])}",
            f"source_file = {_toml_str('/' + member)}",
            f"source_face_index = {spec.face_index if spec.face_index is not None else -1}",
            f"source_face_name = {_toml_str(spec.source_face_name)}",
            f"source_sha256 = {_toml_str(INPUTS[spec.source][2] or '')}",
            f"upstream = {_toml_str(spec.upstream)}",
            f"bytes = {path.stat().st_size}",
            f"sha256 = {_toml_str(sha256_file(path))}",
            f"outlines = {_toml_str(cov['outlines'])}",
            f"glyphs = {cov['glyphs']}",
            f"cmap_codepoints = {cov['cmap_codepoints']}",
            f"gb2312_hanzi = {cov['gb2312_hanzi']}",
            f"tgh_8105 = {cov['tgh_8105']}",
            f"gbk_hanzi = {cov['gbk_hanzi']}",
            f"cjk_ideographs = {cov['cjk_unified_and_ext']}",
            f"ascii_printable = {cov['ascii_printable']}",
            f"latin1_printable = {cov['latin1_printable']}",
            f"cjk_symbols_3000_303f = {cov['cjk_symbols_3000_303f']}",
            f"fullwidth_ff00_ffef = {cov['fullwidth_ff00_ffef']}",
            f"circled_1_20 = {cov['circled_1_20']}",
            f"roman_2160_216b = {cov['roman_2160_216b']}",
            f"superscript_digits = {_toml_str(cov['superscript_digits'])}",
            f"subscript_digits = {_toml_str(cov['subscript_digits'])}",
            f"missing_required = {_toml_str(cov['missing_required'])}",
            "",
        ]
    (out_dir / "fonts.toml").write_text("\n".join(lines), encoding="utf-8")


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------


def build(out_dir: Path, deb_dirs: list[Path], cache: Path, jobs: int) -> None:
    from fontTools.ttLib import TTFont

    t_start = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="fontsrc-") as tmp:
        print("Extracting inputs ...", flush=True)
        inputs = extract_inputs(deb_dirs, cache, Path(tmp))
        t_inputs = time.perf_counter()
        cs = load_charsets(inputs["unihan-othermappings"])
        print(
            f"Character set: {len(cs.wanted)} code points wanted "
            f"(GBK hanzi {len(cs.gbk_hanzi)}, 通用规范 {len(cs.tgh_8105)}, GB2312 {len(cs.gb2312_hanzi)})",
            flush=True,
        )
        with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
            futs = [
                pool.submit(build_one, spec, inputs[spec.source], cs.wanted, out_dir / spec.file)
                for spec in FONTS
            ]
            for fut in futs:
                r = fut.result()
                print(f"  {r['file']}: {r['seconds']} s", flush=True)
        noto_copyrights = []
        for key in ("noto-serif-regular", "noto-sans-regular"):
            f = TTFont(inputs[key], fontNumber=2, lazy=True)
            noto_copyrights.append(f"{f['name'].getDebugName(4)}: {f['name'].getDebugName(0)}")
        write_licences(inputs, out_dir, noto_copyrights)
        write_manifest(out_dir, cs, inputs)
    total = sum((out_dir / s.file).stat().st_size for s in FONTS)
    print(
        f"Done in {time.perf_counter() - t_start:.1f} s "
        f"(inputs {t_inputs - t_start:.1f} s); fonts total {total / 1e6:.1f} MB",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory (default assets/fonts)")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where .deb files are downloaded")
    ap.add_argument("--deb-dir", type=Path, action="append", default=[], help="directory with .deb files")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument(
        "--check", action="store_true",
        help="build into a temporary directory and compare with --out byte for byte",
    )
    args = ap.parse_args(argv)
    if not args.check:
        build(args.out, args.deb_dir, args.cache, args.jobs)
        return 0
    with tempfile.TemporaryDirectory(prefix="fontcheck-") as tmp:
        build(Path(tmp), args.deb_dir, args.cache, args.jobs)
        bad = []
        for p in sorted(Path(tmp).rglob("*")):
            if p.is_file():
                rel = p.relative_to(tmp)
                ref = args.out / rel
                if not ref.is_file() or ref.read_bytes() != p.read_bytes():
                    bad.append(str(rel))
        if bad:
            print("DIFFERENT:", *bad, sep="\n  ")
            return 1
        print("All generated files are byte-identical to", args.out)
        return 0


if __name__ == "__main__":
    sys.exit(main())
