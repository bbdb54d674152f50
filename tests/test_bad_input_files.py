"""Hostile templates/ and assets/: theme, chart style, fonts, photos, Office templates, symlinks out of the project."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from tests.test_bad_input_common import Case, assert_refused, both, edit, ids, replace, write

THEME = "templates/theme.toml"
STYLE = "templates/charts.mplstyle"
DECK = "data/texts/deck.yaml"
PHOTO = "        photo: 工人们在特变电工南方智能电网科技园内生产特高压设备。"


def _png(w: int, h: int, whole: bool = True) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))
    body = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    body += chunk(b"IDAT", zlib.compress(b"\x00" * 16))
    return body + (chunk(b"IEND", b"") if whole else b"")


def _photo(name: str, data: bytes | None = None, link: str | None = None):
    def mutate(root: Path) -> None:
        target = root / "assets" / "images" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if link is not None:
            target.symlink_to(link)
        elif data is not None:
            replace(target, data)
        edit(DECK, PHOTO, PHOTO + f"\n        image: {name}")(root)
    return mutate


def _sparse_png(root: Path) -> None:
    p = root / "assets" / "images" / "big.png"
    p.parent.mkdir(parents=True, exist_ok=True)
    with p.open("wb") as fh:
        fh.write(_png(10, 10))
        fh.truncate(21 * 1024 * 1024)
    edit(DECK, PHOTO, PHOTO + "\n        image: big.png")(root)


def _rezip(rel: str, change) -> object:
    """Rewrite an Office template with one member changed (or dropped when `change` returns None)."""
    def mutate(root: Path) -> None:
        p = root / rel
        buf = io.BytesIO()
        with zipfile.ZipFile(p) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = change(info.filename, src.read(info))
                if data is not None:
                    dst.writestr(info.filename, data)
        replace(p, buf.getvalue())
    return mutate


def _damage_member(rel: str, member: str):
    """Flip bytes inside one compressed member: the zip directory stays intact, the member's CRC fails."""
    def mutate(root: Path) -> None:
        p = root / rel
        data = bytearray(p.read_bytes())
        with zipfile.ZipFile(p) as zf:
            info = zf.getinfo(member)
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        for i in range(start + 5, start + min(info.compress_size - 2, 60)):
            data[i] ^= 0x5A
        replace(p, bytes(data))
    return mutate


def _claim_huge(rel: str):
    """A zip whose directory claims a 2 GB member (how a zip bomb looks before anything is unpacked)."""
    def mutate(root: Path) -> None:
        p = root / rel
        data = bytearray(p.read_bytes())
        at = data.index(b"PK\x01\x02")
        data[at + 24: at + 28] = struct.pack("<I", 0x7FFFFFFF)
        replace(p, bytes(data))
    return mutate


def _font(name: str, data_of) -> object:
    def mutate(root: Path) -> None:
        p = root / "assets" / "fonts" / name
        replace(p, data_of(p.read_bytes()))
    return mutate


THEME_CASES = [
    Case("toml-missing-equals", edit(THEME, "body_size = 10.5", "body_size 10.5"), THEME, ("TOML 格式错误", "="), "body_size 10.5"),
    Case("toml-unclosed-string", edit(THEME, 'primary = "#A61E22"', 'primary = "#A61E22'), THEME, ("引号",), 'primary = "#A61E22'),
    Case("toml-duplicate-key", edit(THEME, "body_size = 10.5", "body_size = 10.5\nbody_size = 11"), THEME, ("两次",), "body_size = 11"),
    Case("toml-unquoted-text", edit(THEME, 'page = "A4"', "page = A4"), THEME, ("引号",), "page = A4"),
    Case("size-above-bound", edit(THEME, "body_size = 10.5", "body_size = 99"), THEME, ("小于或等于 20", "99"), "body_size = 99"),
    Case("size-not-a-number", edit(THEME, "body_size = 10.5", 'body_size = "大"'), THEME, ("应为数字",), 'body_size = "大"'),
    Case("size-nan", edit(THEME, "body_size = 10.5", "body_size = nan"), THEME, ("有限的数字",), "body_size = nan"),
    Case("misspelt-theme-key", edit(THEME, "body_size = 10.5", "body_sise = 10.5"), THEME, ("“body_size”",), "body_sise"),
    Case("missing-table", edit(THEME, "[chart]", "[chrt]"), THEME, ("“chart”",)),
    Case("font-absolute-path", edit(THEME, 'print = "NotoSerifSC-Regular.ttf"', 'print = "/etc/passwd"'), THEME,
         ("绝对路径",), "/etc/passwd"),
    Case("font-leaves-project", edit(THEME, 'print = "NotoSerifSC-Regular.ttf"', 'print = "../../../etc/x.ttf"'), THEME,
         ("..",), "../../../etc/x.ttf"),
    Case("font-truncated", _font("NotoSansSC-Regular.ttf", lambda b: b[:200_000]), THEME, ("不完整", "assets/fonts/NotoSansSC-Regular.ttf"),
         'print = "NotoSansSC-Regular.ttf"'),
    Case("font-not-a-font", _font("NotoSansSC-Bold.ttf", lambda b: b"<html>not a font</html>" * 10), THEME,
         ("不是可用", "assets/fonts/NotoSansSC-Bold.ttf"), 'print = "NotoSansSC-Bold.ttf"'),
]

STYLE_CASES = [
    Case("style-usetex", write(STYLE, "text.usetex: True\n"), STYLE, ("LaTeX", "text.usetex"), "text.usetex"),
    Case("style-latex-preamble", write(STYLE, "axes.linewidth: 0.6\ntext.latex.preamble: \\input{/etc/passwd}\n"), STYLE,
         ("不允许",), "preamble"),
    Case("style-pgf-preamble", write(STYLE, "pgf.preamble: x\n"), STYLE, ("不允许",), "pgf.preamble"),
    Case("style-backend", write(STYLE, "backend: pdf\n"), STYLE, ("不允许",), "backend"),
    Case("style-savefig-directory", write(STYLE, "savefig.directory: /etc\n"), STYLE, ("不允许",), "savefig"),
    Case("style-animation-writer", write(STYLE, "animation.ffmpeg_path: /bin/sh\n"), STYLE, ("不允许",), "ffmpeg"),
    Case("style-path-effects", write(STYLE, "path.sketch: None\n"), STYLE, ("不允许",), "path.sketch"),
    Case("style-font-family", write(STYLE, "font.family: serif\n"), STYLE, ("不允许", "theme.toml"), "font.family"),
    Case("style-misspelt-key", write(STYLE, "axes.linewdith: 1\n"), STYLE, ("“axes.linewidth”",), "linewdith"),
    Case("style-bad-value", write(STYLE, "lines.linewidth: thick\n"), STYLE, ("取值不对", "thick"), "lines.linewidth"),
    Case("style-missing-colon", write(STYLE, "grid.linewidth 0.5\n"), STYLE, ("冒号",), "grid.linewidth"),
    Case("style-duplicate", write(STYLE, "grid.linewidth: 0.5\ngrid.linewidth: 0.7\n"), STYLE, ("重复",), "0.7"),
    Case("style-colour-cycle", write(STYLE, "axes.prop_cycle: cycler('color', ['r'])\n"), STYLE, ("theme.toml",), "prop_cycle"),
]

IMAGE_CASES = [
    Case("image-symlink-out", _photo("link.png", link="/etc/hostname"), "assets/images/link.png", ("项目文件夹之外",),
         located=False),
    Case("image-symlink-inside", _photo("inner.png", link="../../templates/theme.toml"), DECK, ("符号链接",), "inner.png"),
    Case("image-truncated", _photo("cut.png", _png(10, 10, whole=False)), DECK, ("不完整",), "cut.png"),
    Case("image-wrong-magic", _photo("fake.jpg", b"GIF89a" + b"\0" * 64), DECK, ("损坏",), "fake.jpg"),
    Case("image-too-many-pixels", _photo("huge.png", _png(10000, 10000)), DECK, ("百万像素", "10000×10000"), "huge.png"),
    Case("image-too-many-bytes", _sparse_png, DECK, ("过大", "20 MB"), "big.png"),
    Case("image-jpeg-truncated", _photo("cut.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x01" * 200), DECK, ("损坏",), "cut.jpg"),
    Case("image-path-escape", _photo("../../../etc/passwd.png"), DECK, ("只能写文件名",), "passwd.png"),
]

TEMPLATE_CASES = [
    Case("pptx-not-a-zip", write("templates/deck.pptx", "这不是幻灯片"), "templates/deck.pptx", ("不是有效的 Office",), located=False),
    Case("docx-damaged-member", _damage_member("templates/briefing-简报.docx", "word/styles.xml"), "templates/briefing-简报.docx",
         ("已损坏", "word/styles.xml")),
    Case("pptx-missing-part", _rezip("templates/deck.pptx", lambda n, d: None if n == "ppt/presentation.xml" else d),
         "templates/deck.pptx", ("缺少必需的部件", "ppt/presentation.xml")),
    Case("docx-external-entity", _rezip("templates/briefing-简报.docx", lambda n, d: (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + d.split(b"?>", 1)[1])
        if n == "word/styles.xml" else d), "templates/briefing-简报.docx", ("DOCTYPE", "word/styles.xml"), absent=("root:x",)),
    Case("pptx-zip-bomb", _claim_huge("templates/deck.pptx"), "templates/deck.pptx", ("解压后过大",), located=False),
    Case("docx-broken-xml", _rezip("templates/briefing-公文.docx", lambda n, d: d[: len(d) // 2] if n == "word/document.xml" else d),
         "templates/briefing-公文.docx", ("不是完整的 XML", "word/document.xml")),
]

SECRET = "root:x:0:0"
LINK_CASES = [
    Case("csv-symlink-out", lambda r: (r / "data/figures/evil.csv").symlink_to("/etc/passwd"), "evil.csv", ("符号链接",),
         absent=(SECRET,), located=False),
    Case("template-symlink-out", both(lambda r: (r / "templates/theme.toml").unlink(),
                                      lambda r: (r / "templates/theme.toml").symlink_to("/etc/passwd")),
         "theme.toml", ("符号链接",), absent=(SECRET,), located=False),
    Case("font-symlink-out", lambda r: (r / "assets/fonts/Evil.ttf").symlink_to("/etc/passwd"), "Evil.ttf", ("符号链接",),
         absent=(SECRET,), located=False),
]

ALL = THEME_CASES + STYLE_CASES + IMAGE_CASES + TEMPLATE_CASES + LINK_CASES


@pytest.mark.parametrize("case", ALL, ids=ids(ALL))
def it_refuses_bad_templates_and_assets_with_a_located_chinese_message(project: Path, case: Case):
    assert_refused(project, case)


@pytest.mark.parametrize("case", [TEMPLATE_CASES[1], STYLE_CASES[0], IMAGE_CASES[1]], ids=["template", "style", "image"])
def it_refuses_the_same_way_when_building(project: Path, case: Case):
    from dataclasses import replace as with_

    assert_refused(project, with_(case, command=("build", "--only", "briefings")))
