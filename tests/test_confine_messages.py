"""Rule 6 and 7: no internal error on any bad file, and messages name the real cause (file, line, the character
or value), with out/ and data/ exactly as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.load.textio import unclosed_quote_line
from tests.conftest import run_cli
from tests.test_bad_input_common import Case, assert_refused, edit, ids

FIG = "data/figures/congress13.csv"
SPEC = "data/briefings/party.yaml"
TEXT = "data/texts/summary.yaml"

CASES = [
    Case("csv-unclosed-quote", edit(FIG, ",打造经济硬实力,", ',"打造经济硬实力,'), FIG, ("双引号", "没有闭合"),
         needle='"打造经济硬实力'),
    Case("yaml-fullwidth-colon", edit(SPEC, "\ntitle: ", "\ntitle："), SPEC, ("全角冒号", "：", "U+FF1A"), needle="title："),
    Case("yaml-ideographic-space-after-colon", edit(SPEC, "\ntitle: ", "\ntitle:\u3000"), SPEC, ("全角空格", "U+3000"),
         needle="title:\u3000"),
    Case("yaml-ideographic-indent", edit(TEXT, "\n  ", "\n\u3000 ", 1), TEXT, ("全角空格", "U+3000"), needle="\u3000 "),
]


def _typo_in_texts(root: Path) -> str:
    """Misspell the first `{indicator@Y}` reference of summary.yaml; returns the typo."""
    import re

    p = root / TEXT
    text = p.read_text(encoding="utf-8")
    m = re.search(r"\{([a-z_]+)@Y\b", text)
    assert m
    typo = m.group(1)[:-1] + "x" + m.group(1)[-1]
    p.unlink()
    p.write_text(text[: m.start(1)] + typo + text[m.end(1):], encoding="utf-8")
    return typo


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def it_names_the_real_cause(project: Path, case: Case):
    assert_refused(project, case)


def it_names_a_misspelt_indicator_in_an_at_y_reference_in_one_line(project: Path):
    typo = _typo_in_texts(project)
    res = run_cli("check", "--root", str(project))
    assert res.code == 2 and f"“{typo}”" in res.err and "您是不是要写" in res.err and TEXT in res.err, res.err
    assert res.err.count("\n  - ") == 1, res.err  # not dozens of lines about a missing year


def it_echoes_the_value_typed_in_an_option_error(project: Path):
    for args, value in ((["build", "--jobs", "abc"], "abc"), (["build", "--year", "二〇二四"], "二〇二四"),
                        (["preview", "--dpi", "5000"], "5000"), (["watch", "--interval", "x1"], "x1"),
                        (["diff", "2024", "abc"], "abc"), (["diff", "--format", "json", "2024x", "2025"], "2024x"),
                        (["new-year", "20x5", "--out", "a.xlsx"], "20x5")):
        res = run_cli(*args, "--root", str(project))
        assert res.code == 2 and value in res.err and "Traceback" not in res.err, (args, res.err)


CELL = st.text(alphabet='ab,"\n 中', max_size=12)


@settings(max_examples=500, deadline=None)
@given(rows=st.lists(st.lists(CELL, min_size=1, max_size=4), min_size=1, max_size=5))
def it_finds_an_unclosed_quote_exactly_when_csv_would_run_to_the_end(rows):
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    text = buf.getvalue()
    assert unclosed_quote_line(text) is None  # what a spreadsheet writes always closes
    broken = text + '"unclosed,x\nmore\n'
    assert unclosed_quote_line(broken) == text.count("\n") + 1


# ---- damaged pictures and fonts (rule 6) ----------------------------------------------------------------

def _photo(root: Path, name: str, data: bytes) -> None:
    from tests.test_bad_input_common import replace

    images = root / "assets" / "images"
    if (root / "assets").is_symlink():  # the fixture's assets/ is a link to hard-linked files: make it a folder
        import shutil

        real = (root / "assets").resolve()
        (root / "assets").unlink()
        shutil.copytree(real, root / "assets", symlinks=True)
    images.mkdir(parents=True, exist_ok=True)
    replace(images / name, data)
    deck = root / "data/texts/deck.yaml"
    text = deck.read_text(encoding="utf-8")
    needle = "photo: 工人们在特变电工南方智能电网科技园内生产特高压设备。"
    assert needle in text
    deck.unlink()
    deck.write_text(text.replace(needle, needle + f"\n        image: {name}", 1), encoding="utf-8")


def _jpeg(mode: str = "RGB", damage: bool = False) -> bytes:
    import io
    import random

    from PIL import Image

    r = random.Random(7)
    im = Image.frombytes("RGB", (400, 300), bytes(r.randrange(256) for _ in range(400 * 300 * 3))).convert(mode)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=85)
    data = bytearray(buf.getvalue())
    if damage:
        start = data.find(b"\xff\xda") + 500
        for i in range(start, start + 3000):
            data[i] = r.randrange(256)
    return bytes(data)


def _damaged_png() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 10, 10)).save(buf, "PNG")
    data = bytearray(buf.getvalue())
    at = data.find(b"IDAT") + 8
    for i in range(at, at + 100):
        data[i] ^= 0x5A
    return bytes(data)


@pytest.mark.parametrize("name,make,word", [("cmyk.jpg", lambda: _jpeg("CMYK"), "CMYK"),
                                            ("bits.jpg", lambda: _jpeg(damage=True), "已损坏"),
                                            ("pixels.png", _damaged_png, "已损坏")])
def it_refuses_damaged_pictures_by_name(project: Path, name, make, word):
    _photo(project, name, make())
    res = run_cli("check", "--root", str(project))
    assert res.code == 2 and f"assets/images/{name}" in res.err and word in res.err, res.err
    assert "Traceback" not in res.err and "内部错误" not in res.err


def it_names_a_font_damaged_in_the_middle(project: Path):
    import struct

    from tests.test_bad_input_common import replace

    font = project / "assets" / "fonts" / "NotoSansSC-Regular.ttf"
    data = bytearray(font.read_bytes())
    count = struct.unpack(">H", data[4:6])[0]
    for i in range(count):
        tag, _cs, off, ln = struct.unpack(">4sIII", data[12 + 16 * i: 28 + 16 * i])
        if tag == b"glyf":
            for j in range(off + ln // 2, off + ln // 2 + 4000):
                data[j] ^= 0xA5
    replace(font, bytes(data))
    res = run_cli("check", "--root", str(project))
    assert res.code == 2 and "NotoSansSC-Regular.ttf" in res.err and "glyf" in res.err, res.err
    assert "内部错误" not in res.err
