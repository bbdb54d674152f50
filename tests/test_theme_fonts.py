"""One theme, fonts too: change the body font once in theme.toml and every document uses it (issue 27 §2)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

from tests.conftest import make_designed, run_cli

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
NEW_OFFICE, NEW_PRINT = "仿宋", "FandolFang-Regular.ttf"


def _set_body_font(project: Path) -> None:
    theme = project / "templates" / "theme.toml"
    text = theme.read_text(encoding="utf-8")
    new = re.sub(r'(\[fonts\.body\]\nprint = )"[^"]*"\noffice = "[^"]*"', rf'\g<1>"{NEW_PRINT}"\noffice = "{NEW_OFFICE}"',
                 text)
    assert new != text
    theme.write_text(new, encoding="utf-8")


def _style_fonts(styles, name: str) -> tuple[str | None, str | None]:
    for st in styles.iter(W + "style"):
        n = st.find(W + "name")
        if n is not None and n.get(W + "val") == name:
            rf = st.find(f"{W}rPr/{W}rFonts")
            return (None, None) if rf is None else (rf.get(W + "eastAsia"), rf.get(W + "ascii"))
    raise AssertionError(name)


def it_uses_a_changed_body_font_in_all_three_documents_without_a_hand_edit(project: Path):
    make_designed(project)
    _set_body_font(project)
    res = run_cli("check", "--root", str(project))
    assert res.code == 0, res.err
    notes = [line for line in res.out.splitlines() if line.startswith("提示：templates/")]
    assert not any("字体" in n or "fonts." in n for n in notes), notes  # nothing asked to be edited by hand
    out = project / "out"
    res = run_cli("build", "--root", str(project), "--out", str(out), "--jobs", "1", "--quiet")
    assert res.code == 0, res.err
    # Word: the 简报 styles bound to the body role, the document defaults and the theme's 正文字体
    jianbao = [p for p in (out / "briefings").glob("*.docx") if _is_jianbao(p)]
    assert jianbao
    for path in jianbao:
        with zipfile.ZipFile(path) as z:
            styles = etree.fromstring(z.read("word/styles.xml"))
            theme = etree.fromstring(z.read("word/theme/theme1.xml"))
        for name in ("Normal", "简报正文", "简报要点", "插图"):
            assert _style_fonts(styles, name) == (NEW_OFFICE, NEW_OFFICE), (path.name, name)
        defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
        assert defaults.get(W + "eastAsia") == defaults.get(W + "ascii") == NEW_OFFICE
        minor = theme.find(f".//{A}minorFont")
        assert minor.find(A + "latin").get("typeface") == minor.find(A + "ea").get("typeface") == NEW_OFFICE
    # the deck: its theme's 正文字体 and the body text of the slides
    with zipfile.ZipFile(out / "congress-review-deck.pptx") as z:
        theme = etree.fromstring(z.read("ppt/theme/theme1.xml"))
        slides = "".join(z.read(n).decode("utf-8") for n in z.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n))
    minor = theme.find(f".//{A}minorFont")
    assert {minor.find(A + t).get("typeface") for t in ("latin", "ea")} == {NEW_OFFICE}
    assert f'<a:ea typeface="{NEW_OFFICE}"/>' in slides and '<a:ea typeface="宋体"/>' not in slides
    # the PDF embeds (a subset of) the new print font
    from pypdf import PdfReader

    fonts = set()
    for page in PdfReader(out / "fyp14-summary.pdf").pages:
        for f in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(f.get_object()["/BaseFont"]))
    assert any("FandolFang" in f for f in fonts), fonts
    assert not any("NotoSerifSC-Regular" in f or f.endswith("NotoSerifSC") for f in fonts), fonts


def _is_jianbao(path: Path) -> bool:
    """A briefing made from the 专题 template (the 简报 and 公文 keep GB/T 9704's fonts, not the theme's)."""
    with zipfile.ZipFile(path) as z:
        styles = z.read("word/styles.xml").decode("utf-8")
    return "仿宋_GB2312" not in styles


def it_writes_a_font_and_colour_a_style_lost_validly_into_the_style(project: Path):
    make_designed(project)
    """A designer cleared the font and colour of 一级标题 and the bullet's font in Word: the build writes
    theme.toml's into the style (so it shows them), in the order ECMA-376 wants."""
    from tests.ooxml_schema import validate
    from tests.test_theme_check import JIANBAO, edit_part

    def clear(xml: str) -> str:
        start = xml.index('w:styleId="Heading1Brief"')
        end = xml.index("</w:style>", start)
        cut = re.sub(r"<w:rFonts [^>]*/>|<w:color [^>]*/>", "", xml[start:end])
        return xml[:start] + cut + xml[end:]

    edit_part(project / JIANBAO, "word/styles.xml", clear)
    edit_part(project / JIANBAO, "word/numbering.xml", lambda xml: re.sub(r"<w:rFonts [^>]*/>", "", xml))
    _set_body_font(project)
    out = project / "out"
    res = run_cli("build", "--root", str(project), "--out", str(out), "--jobs", "1", "--quiet", "--only", "briefings")
    assert res.code == 0, res.err
    path = next(p for p in (out / "briefings").glob("*.docx") if _is_jianbao(p))
    assert validate(path) == []
    with zipfile.ZipFile(path) as z:
        styles = etree.fromstring(z.read("word/styles.xml"))
        numbering = z.read("word/numbering.xml").decode("utf-8")
    assert _style_fonts(styles, "一级标题") == ("微软雅黑", "微软雅黑")  # fonts.figure.office
    h1 = next(s for s in styles.iter(W + "style") if s.find(W + "name").get(W + "val") == "一级标题")
    assert h1.find(f"{W}rPr/{W}color").get(W + "val") == "A61E22"
    assert f'w:eastAsia="{NEW_OFFICE}"' in numbering  # 简报要点's bullet font = fonts.body.office


def it_sizes_the_jianbao_styles_from_theme_toml(project: Path):
    """[docx.sizes]: a size set once in theme.toml is the style's size in every 简报 briefing; check asks nothing."""
    make_designed(project)
    theme = project / "templates" / "theme.toml"
    text = theme.read_text(encoding="utf-8")
    theme.write_text(re.sub(r"(?m)^body = 12$", "body = 13.5", text, count=1).replace(
        "h1 = 15\n", "h1 = 15\nsource = 7.5\n"), encoding="utf-8")
    res = run_cli("check", "--root", str(project))
    assert res.code == 0 and "字号" not in res.out, res.out
    out = project / "out"
    res = run_cli("build", "--root", str(project), "--out", str(out), "--jobs", "1", "--quiet", "--only", "briefings")
    assert res.code == 0, res.err
    path = next(p for p in (out / "briefings").glob("*.docx") if _is_jianbao(p))
    with zipfile.ZipFile(path) as z:
        styles = etree.fromstring(z.read("word/styles.xml"))
    size = {s.find(W + "name").get(W + "val"): s.find(f"{W}rPr/{W}sz") for s in styles.iter(W + "style")}
    assert size["简报正文"].get(W + "val") == "27" and size["资料来源"].get(W + "val") == "15"
    assert size["一级标题"].get(W + "val") == "30"  # as set


def it_refuses_an_unknown_size_role_in_chinese(project: Path):
    theme = project / "templates" / "theme.toml"
    theme.write_text(theme.read_text(encoding="utf-8").replace("h1 = 15\n", "h1 = 15\nfootnote = 8\n"),
                     encoding="utf-8")
    res = run_cli("check", "--root", str(project))
    assert res.code == 2 and "不认识的样式“footnote”" in res.err and "theme.toml" in res.err


def it_maps_each_size_role_to_the_writers_style():
    from generators.theme import DOCX_SIZE_ROLES
    from generators.theme_contract import JIANBAO_SIZES
    from generators.writers.docx import STYLES

    assert tuple(JIANBAO_SIZES) == DOCX_SIZE_ROLES
    assert all(STYLES[role][0] == name for role, name in JIANBAO_SIZES.items())


def it_lists_each_bundled_font_byte_for_byte_and_each_passes_the_table_checks():
    """A font whose sha256 is the one in fonts.toml is not checked again (theme._check_fonts): so each listed
    sha256 must be a font that passes every table checksum."""
    import hashlib

    from generators.load.files import check_font_tables
    from generators.theme import _bundled_digests
    from tests.conftest import ROOT

    listed = _bundled_digests(ROOT / "assets" / "fonts")
    assert len(listed) >= 5
    for file, sha in listed.items():
        path = ROOT / "assets" / "fonts" / file
        assert hashlib.sha256(path.read_bytes()).hexdigest() == sha, file
        check_font_tables(path)


def it_still_checks_a_font_that_is_not_the_bundled_one(project: Path):
    """Same name, other bytes (a damaged copy): the table checks run and name the file."""
    font = project / "assets" / "fonts" / "NotoSansSC-Bold.ttf"
    data = bytearray(font.read_bytes())
    font.unlink()  # a hard link to the repository's file: replaced, never written into
    data[len(data) // 2] ^= 0xFF
    font.write_bytes(bytes(data))
    res = run_cli("check", "--root", str(project))
    assert res.code == 2, res.err
    assert "NotoSansSC-Bold.ttf" in res.err and "校验和" in res.err


def it_reads_the_bundled_fonts_metrics_straight_from_their_tables_as_fonttools_does(monkeypatch, tmp_path: Path):
    from generators import fonts as F

    root = Path(__file__).resolve().parents[1] / "assets" / "fonts"
    fast = {p.name: F._read_metrics(p) for p in sorted(root.glob("*.ttf"))}
    assert sum(v is not None for v in fast.values()) >= 5  # the Noto and LXGW faces: format 12 maps
    monkeypatch.setattr(F, "_read_metrics", lambda _path: None)  # what fontTools reads of the same files
    for name, got in fast.items():
        if got is not None:
            slow = F._load_metrics(root / name, None)
            assert (got[0], got[1], got[2] / got[0]) == (slow.upm, slow.advances, slow.line), name
    monkeypatch.undo()
    cut = tmp_path / "cut.ttf"
    cut.write_bytes((root / "NotoSansSC-Regular.ttf").read_bytes()[:5000])  # tables pointing past the end
    assert F._read_metrics(cut) is None  # left to fontTools, whose failure names the file
