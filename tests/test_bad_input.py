"""Bad input gets a clear Chinese error naming file, line and field; exit 2; out/ untouched."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Callable

import pytest

from tests.conftest import run_cli, tree_digest

FIG = "data/figures/congress13.csv"
FYP = "data/figures/fyp14.csv"
IND = "data/indicators/common.csv"
DECK = "data/texts/deck.yaml"
SUMMARY = "data/texts/summary.yaml"


def _edit(rel: str, old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        p = root / rel
        text = p.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        p.write_text(text.replace(old, new, count), encoding="utf-8")
    return mutate


def _append(rel: str, line: str) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        with (root / rel).open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")
    return mutate


def _write_bytes(rel: str, data: bytes) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        (root / rel).write_bytes(data)
    return mutate


def _line_of(root: Path, rel: str, needle: str) -> int:
    for n, line in enumerate((root / rel).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(needle)


# (case id, mutation, file named in the message, needle whose line must be named or None, words expected)
CASES = [
    ("non-number", _edit(FIG, "gdp,2020,,356.01,", "gdp,2020,,三百五十六,"), FIG, "gdp,2020,,三百五十六", ["value", "数字"]),
    ("missing-column", _edit(FIG, "indicator,period,scope,value", "indicator,period,value"), FIG, "indicator,period,value", ["缺少列", "scope"]),
    ("extra-column", _edit(IND, "yearly,description", "yearly,description,extra"), IND, "yearly,description,extra", ["多出列", "extra"]),
    ("conflicting-duplicate", _append(FIG, "gdp,2020,,356.02,亿元,congress13,打造经济硬实力,"), FIG, "356.02", ["冲突", "356.01", "356.02"]),
    ("harmless-duplicate-is-fine-but-bad-unit", _append(FIG, "gdp,2015,,244.83,公斤,congress13,x,"), FIG, "244.83,公斤", ["unit", "公斤"]),
    ("unknown-indicator-in-text", _edit(DECK, "{gdp@2015}", "{gdp_typo@2015}"), DECK, "{gdp_typo@2015}", ["gdp_typo", "不存在"]),
    ("unknown-period-in-text", _edit(DECK, "{gdp@2015}", "{gdp@2016}"), DECK, "{gdp@2016}", ["gdp@2016", "找不到"]),
    ("bad-ref-syntax", _edit(DECK, "{gdp@2015}", "{GDP@2015}"), DECK, "{GDP@2015}", ["写法不对"]),
    ("stray-brace", _edit(DECK, "{gdp@2015}", "{gdp@2015"), DECK, "{gdp@2015", ["花括号"]),
    ("yaml-syntax", _edit(DECK, "\nparts:\n", "\nparts:\n  - id: [unclosed\n"), DECK, None, ["YAML 格式错误"]),
    ("yaml-unknown-key", _edit(DECK, "\nsubtitle:", "\nsubtitel:"), DECK, "subtitel:", ["subtitel", "不认识的字段"]),
    ("yaml-wrong-type", _edit(DECK, "  goals: [", "  goals: {a: 1}\n  x: ["), DECK, "goals: {a: 1}", ["goals", "列表"]),
    ("yaml-alias-refused", _edit(DECK, "\nsubtitle:", "\nx: &a [1]\ny: *a\nsubtitle:"), DECK, "y: *a", ["别名"]),
    ("empty-file", _write_bytes(FYP, b""), FYP, None, ["空的"]),
    ("utf16-file", lambda r: (r / FIG).write_bytes((r / FIG).read_text(encoding="utf-8").encode("utf-16")), FIG, None, ["UTF-8"]),
    ("undecodable-file", _write_bytes(FIG, "indicator,period\n".encode() + b"\xff\xff\xfe\x80\n"), FIG, None, ["编码", "UTF-8"]),
    ("bad-period", _edit(FIG, "gdp,2015,,244.83", "gdp,2015年,,244.83"), FIG, "2015年", ["period", "2015年"]),
    ("unknown-source", _edit(FIG, "gdp,2015,,244.83,亿元,congress13", "gdp,2015,,244.83,亿元,paper"), FIG, ",paper,", ["source", "paper"]),
    ("bad-indicator-id", _edit(IND, "\ngdp,地区生产总值", "\nGDP,地区生产总值"), IND, "GDP,地区生产总值", ["id", "GDP"]),
    ("duplicate-indicator", _append(IND, "gdp,重复,亿元,2,economy,stated,,yes,"), IND, "gdp,重复", ["重复定义"]),
    ("bad-decimals", _edit(IND, "gdp,地区生产总值,亿元,2,", "gdp,地区生产总值,亿元,two,"), IND, "亿元,two,", ["decimals"]),
    ("column-count", _append(FIG, "gdp,2030,,1,2,亿元,congress13,x,"), FIG, "gdp,2030", ["列数"]),
    ("control-character", _append(FIG, "gdp,2031,,1,亿元,congress13,x\x07,"), FIG, "gdp,2031", ["控制字符"]),
    ("unknown-chart", _edit(DECK, "charts: [gdp_review,", "charts: [gdp_reviews,"), DECK, "gdp_reviews", ["gdp_reviews"]),
    ("derived-mismatch", _edit(FIG, "hightech_enterprises_increase,2016-2021,,440,", "hightech_enterprises_increase,2016-2021,,400,"), "data/derived.yaml", None, ["440.00", "400.00"]),
    ("chart-bad-kind", _edit("data/charts.yaml", "kind: composition", "kind: pie"), "data/charts.yaml", "kind: pie", ["kind", "允许"]),
    ("huge-file", lambda r: (r / FYP).write_bytes(b"indicator,period,scope,value,unit,source,section,note\n" + b"#" * (6 * 1024 * 1024)), FYP, None, ["过大"]),
    ("theme-bad-colour", _edit("templates/theme.toml", 'primary = "#A61E22"', 'primary = "red"'), "templates/theme.toml", 'primary = "red"', ["#RRGGBB"]),
    ("theme-syntax", _edit("templates/theme.toml", "[palette]", "[palette"), "templates/theme.toml", None, ["TOML"]),
    ("theme-missing-font", _edit("templates/theme.toml", 'print = "NotoSerifSC-Regular.ttf"', 'print = "Missing.ttf"'), "templates/theme.toml", "Missing.ttf", ["Missing.ttf", "不存在"]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def it_rejects_bad_input_clearly_and_keeps_out_untouched(project: Path, case):
    _, mutate, file, needle, words = case
    out = project / "out"
    (out / "keep.txt").write_text("之前的输出", encoding="utf-8")
    (out / "manifest.json").write_text('{"files": {}}', encoding="utf-8")
    before = tree_digest(out)
    mutate(project)
    line = _line_of(project, file, needle) if needle else None
    spec = file.startswith("data/briefings/")  # rule 5: a bad spec is set aside, the other briefings publish
    res = run_cli("build", "--root", str(project), "--out", str(out), "--quiet", *(("--only", "briefings") if spec else ()))
    assert res.code == 2, (res.code, res.err)
    assert "Traceback" not in res.err
    assert file in res.err, res.err
    if line is not None:
        assert f"第{line}行" in res.err, res.err
    for w in words:
        assert w in res.err, (w, res.err)
    if spec:
        after = tree_digest(out)
        assert "其余文档已正常生成并发布" in res.err and after["keep.txt"] == before["keep.txt"]
        built = [k for k in after if k.startswith("briefings/")]
        assert len(built) == len(list((project / "data/briefings").glob("*.yaml"))) - 1, built
    else:
        assert tree_digest(out) == before
    assert re.search(r"[\u4e00-\u9fff]", res.err)


def it_reads_gbk_csv_with_a_warning(project: Path):
    p = project / FIG
    p.write_bytes(p.read_text(encoding="utf-8").encode("gb18030"))
    res = run_cli("check", "--root", str(project))
    assert res.code == 0, res.err
    assert "GBK" in res.out


def it_accepts_a_utf8_bom(project: Path):
    p = project / FIG
    p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes())
    assert run_cli("check", "--root", str(project)).code == 0


def it_reports_all_problems_in_one_run(project: Path):
    _edit(FIG, "gdp,2020,,356.01,", "gdp,2020,,x,")(project)
    _edit(FIG, "gdp,2015,,244.83,亿元,congress13", "gdp,2015,,244.83,亿元,nowhere")(project)
    res = run_cli("check", "--root", str(project))
    assert res.code == 2 and "value" in res.err and "nowhere" in res.err


def it_refuses_unknown_products(project: Path):
    res = run_cli("build", "--root", str(project), "--only", "poster")
    assert res.code == 2 and "poster" in res.err


BRIEF = "data/briefings/economy.yaml"

MORE_CASES = [
    ("brief-bad-preset", _edit(BRIEF, "preset: 简报", "preset: 海报"), BRIEF, "preset: 海报", ["preset", "允许"]),
    ("brief-unknown-chart", lambda r: _append(BRIEF, "")(r) or _edit(BRIEF, "chart: ", "chart: no_such_")(r), BRIEF, "no_such_", ["no_such_"]),
    ("brief-no-sections", lambda r: (r / BRIEF).write_text("title: 只有标题\n", encoding="utf-8"), BRIEF, None, ["sections", "缺少"]),
    ("photo-missing-file", _edit(DECK, "photo: 莲湖湾国家湿地公园。", "photo: 莲湖湾国家湿地公园。\n        image: nope.jpg"), DECK, "nope.jpg", ["nope.jpg", "找不到图片"]),
    ("photo-outside-folder", _edit(DECK, "photo: 莲湖湾国家湿地公园。", "photo: 莲湖湾国家湿地公园。\n        image: ../../etc/passwd.png"), DECK, "passwd", ["assets/images"]),
]


def _corrupt(rel: str, keep: int) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        p = root / rel
        data = p.read_bytes()
        p.unlink()
        p.write_bytes(data[:keep])
    return mutate


def _bad_font(root: Path) -> None:
    fonts = root / "assets"
    real = fonts.resolve()
    fonts.unlink()
    shutil.copytree(real, fonts, ignore=shutil.ignore_patterns("*.ttf"))
    for f in real.glob("fonts/*.ttf"):
        (fonts / "fonts" / f.name).symlink_to(f)
    (fonts / "fonts" / "NotoSansSC-Regular.ttf").unlink()
    (fonts / "fonts" / "NotoSansSC-Regular.ttf").write_bytes(b"not a font at all")


MORE_CASES += [
    ("deck-template-truncated", _corrupt("templates/deck.pptx", 2000), "templates/deck.pptx", None, ["deck.pptx"]),
    ("docx-template-truncated", _corrupt("templates/briefing-简报.docx", 1500), "templates/briefing-简报.docx", None, ["briefing-简报.docx"]),
    ("font-file-corrupt", _bad_font, "NotoSansSC-Regular.ttf", None, ["字体"]),
]


@pytest.mark.parametrize("case", MORE_CASES, ids=[c[0] for c in MORE_CASES])
def it_rejects_bad_specs_templates_fonts_and_images(project: Path, case):
    it_rejects_bad_input_clearly_and_keeps_out_untouched(project, case)


def it_rejects_a_corrupt_image(project: Path):
    images = project / "assets"
    real = images.resolve()
    images.unlink()
    shutil.copytree(real, images, symlinks=True)
    (images / "images").mkdir(exist_ok=True)
    (images / "images" / "bad.jpg").write_bytes(b"GIF89a not a jpeg")
    _edit(DECK, "photo: 莲湖湾国家湿地公园。", "photo: 莲湖湾国家湿地公园。\n        image: bad.jpg")(project)
    res = run_cli("check", "--root", str(project))
    assert res.code == 2 and "bad.jpg" in res.err and "损坏" in res.err


def it_reports_a_bad_reference_format_as_input(project: Path):
    _edit(DECK, "{gdp@2015}", "{gdp@2015|xyz}")(project)
    res = run_cli("check", "--root", str(project))
    assert res.code == 2 and "|xyz" in res.err and DECK in res.err, res.err
    _edit(DECK, "{gdp@2015|xyz}", "{gdp@2015|cn}")(project)
    res = run_cli("build", "--root", str(project), "--out", str(project / "out"), "--quiet")
    assert res.code == 2 and "整数" in res.err and "Traceback" not in res.err, res.err


def it_reports_a_folder_given_as_a_spec(tmp_path: Path):
    from tests.conftest import ROOT

    res = run_cli("briefing", str(tmp_path), "--root", str(ROOT))
    assert res.code == 2 and "文件夹" in res.err, res.err


def it_rebuilds_when_the_chart_style_changes(project: Path):
    out = project / "out"
    assert run_cli("build", "--root", str(project), "--out", str(out), "--quiet", "--only", "summary").code == 0
    before = (out / "fyp14-summary.pdf").read_bytes()
    style = project / "templates" / "charts.mplstyle"
    style.write_text(style.read_text(encoding="utf-8") + "axes.facecolor: FFEEEE\n", encoding="utf-8")
    assert run_cli("build", "--root", str(project), "--out", str(out), "--quiet", "--only", "summary").code == 0
    assert (out / "fyp14-summary.pdf").read_bytes() != before
