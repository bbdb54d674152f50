#!/usr/bin/env python3
"""Smoke-test the bundled fonts in assets/fonts/ (see README.md beside this file).

Checks, for every font in assets/fonts/fonts.toml:
  * the file matches the manifest (size, SHA-256), is one TrueType-outline face (not a
    collection, no CFF) and has the characters the manifest says it has;
  * ReportLab: registers it as a TTFont, draws Chinese + digits + Latin, saves with subset
    embedding; pdffonts must list it as an embedded "CID TrueType" subset (never Type 3)
    and pdftotext must give the text back;
  * matplotlib: font_manager.addfont + family name finds the file (bold finds the Bold
    file), a figure saved as PDF with pdf.fonttype 42 embeds it as CID TrueType;
  * fontconfig (if fc-match is installed): fontconfig/fonts.conf maps the Windows font
    names (仿宋_GB2312, 方正小标宋简体, 黑体 ...) to the bundled faces;
  * LibreOffice (if soffice is installed and --with-soffice is given): a .docx naming
    仿宋_GB2312 / 黑体 / 楷体_GB2312 / 方正小标宋简体 converts to a PDF that embeds the bundled faces.

Prints one line per check and ends with "N passed, M failed" (exit status 1 on failure).
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FONT_DIR = REPO / "assets" / "fonts"
FC_CONF = FONT_DIR / "fontconfig" / "fonts.conf"

SAMPLE = "衡南县2025年经济运行报告：GDP 1,234.5亿元，同比增长±3.2%（Ⅻ月）①⑳ 28℃ 5‰ —“引号”…《公文》 Quick brown fox"

#: fc-match query -> (expected file, expected style)
FC_EXPECT = {
    "仿宋_GB2312": ("FandolFang-Regular.ttf", "Regular"),
    "仿宋": ("FandolFang-Regular.ttf", "Regular"),
    "FangSong": ("FandolFang-Regular.ttf", "Regular"),
    "宋体": ("NotoSerifSC-Regular.ttf", "Regular"),
    "SimSun": ("NotoSerifSC-Regular.ttf", "Regular"),
    "华文中宋": ("NotoSerifSC-Regular.ttf", "Regular"),
    "方正小标宋简体": ("NotoSerifSC-Bold.ttf", "Bold"),
    "宋体:bold": ("NotoSerifSC-Bold.ttf", "Bold"),
    "黑体": ("NotoSansSC-Regular.ttf", "Regular"),
    "SimHei": ("NotoSansSC-Regular.ttf", "Regular"),
    "微软雅黑": ("NotoSansSC-Regular.ttf", "Regular"),
    "Microsoft YaHei": ("NotoSansSC-Regular.ttf", "Regular"),
    "等线": ("NotoSansSC-Regular.ttf", "Regular"),
    "黑体:bold": ("NotoSansSC-Bold.ttf", "Bold"),
    "楷体": ("LXGWWenKai-Regular.ttf", "Regular"),
    "楷体_GB2312": ("LXGWWenKai-Regular.ttf", "Regular"),
    "KaiTi": ("LXGWWenKai-Regular.ttf", "Regular"),
    "serif:lang=zh-cn": ("NotoSerifSC-Regular.ttf", "Regular"),
    "sans-serif:lang=zh-cn": ("NotoSansSC-Regular.ttf", "Regular"),
}


class Results:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def check(self, ok: bool, what: str, detail: str = "") -> bool:
        if ok:
            self.passed += 1
            print(f"ok    {what}" + (f"  [{detail}]" if detail else ""))
        else:
            self.failed += 1
            print(f"FAIL  {what}" + (f"  [{detail}]" if detail else ""))
        return ok


def load_manifest() -> list[dict]:
    with open(FONT_DIR / "fonts.toml", "rb") as fh:
        return tomllib.load(fh)["font"]


def text_for(font_path: Path, text: str) -> str:
    from fontTools.ttLib import TTFont

    cmap = TTFont(font_path, lazy=True).getBestCmap()
    return "".join(c for c in text if c == " " or ord(c) in cmap)


def pdffonts(pdf: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        # name type(1-2 words) encoding emb sub uni object ID
        parts = line.split()
        if len(parts) >= 7:
            rows.append(parts)
    return rows


def check_files(res: Results, fonts: list[dict]) -> None:
    from fontTools.ttLib import TTFont

    total = 0
    for f in fonts:
        p = FONT_DIR / f["file"]
        data = p.read_bytes()
        total += len(data)
        res.check(len(data) == f["bytes"] and hashlib.sha256(data).hexdigest() == f["sha256"],
                  f"{f['file']}: size and SHA-256 match fonts.toml", f"{len(data) / 1e6:.2f} MB")
        tt = TTFont(p, lazy=True)
        res.check(data[:4] == b"\x00\x01\x00\x00" and "glyf" in tt and "CFF " not in tt,
                  f"{f['file']}: single TrueType-outline face (glyf)")
        name = tt["name"]
        res.check(name.getDebugName(1) == f["family"] and tt["OS/2"].usWeightClass == f["weight"],
                  f"{f['file']}: family {f['family']!r}, weight {f['weight']}",
                  f"style {name.getDebugName(2)}")
        lic = FONT_DIR / f["licence_file"]
        res.check(lic.is_file(), f"{f['file']}: licence file {f['licence_file']} present")
    res.check(total <= 60 * 1024 * 1024, "all fonts together within 60 MiB", f"{total / 1e6:.1f} MB")


def draw_sample(pdf: Path, rl_name: str, text: str, title: str) -> None:
    from reportlab.pdfgen import canvas

    # initialFontName: otherwise the page also declares a non-embedded Helvetica.
    c = canvas.Canvas(str(pdf), invariant=1, initialFontName=rl_name)
    c.setFont(rl_name, 22)
    c.drawString(40, 780, title)
    c.setFont(rl_name, 12)
    y = 750
    for i in range(0, len(text), 36):  # keep every line inside the page
        c.drawString(40, y, text[i : i + 36])
        y -= 18
    c.showPage()
    c.save()


def check_reportlab(res: Results, fonts: list[dict], tmp: Path) -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas
    from reportlab.platypus import Paragraph

    registered = {}
    for f in fonts:
        rl_name = f["postscript_name"]
        try:
            t0 = time.perf_counter()
            pdfmetrics.registerFont(TTFont(rl_name, str(FONT_DIR / f["file"])))
            registered[f["file"]] = rl_name
            res.check(True, f"ReportLab accepts {f['file']}", f"registerFont {time.perf_counter() - t0:.2f} s")
        except Exception as exc:  # noqa: BLE001 - report any rejection
            res.check(False, f"ReportLab accepts {f['file']}", f"{type(exc).__name__}: {exc}")
    by_family: dict[str, dict[str, str]] = {}
    for f in fonts:
        if f["file"] in registered:
            by_family.setdefault(f["family"], {})[f["style"]] = registered[f["file"]]
    for family, styles in by_family.items():
        reg = styles.get("regular")
        bold = styles.get("bold", reg)
        pdfmetrics.registerFontFamily(family, normal=reg, bold=bold, italic=reg, boldItalic=bold)

    for f in fonts:
        rl_name = registered.get(f["file"])
        if rl_name is None:
            continue
        pdf = tmp / f"rl-{rl_name}.pdf"
        text = text_for(FONT_DIR / f["file"], SAMPLE)
        title = text_for(FONT_DIR / f["file"], "关于2025年度工作的报告")
        draw_sample(pdf, rl_name, text, title)
        all_rows = pdffonts(pdf)
        rows = [r for r in all_rows if rl_name in r[0]]
        # ReportLab writes simple TrueType fonts (256-glyph subsets, ToUnicode), not CIDFonts.
        ok = bool(rows) and all(
            "TrueType" in " ".join(r[1:3]) and "+" in r[0] and r[-5:-2] == ["yes", "yes", "yes"]
            for r in rows
        )
        others = [r[0] for r in all_rows if rl_name not in r[0]]
        res.check(ok and not others, f"ReportLab PDF embeds {f['file']} as a TrueType subset, nothing else",
                  "; ".join(" ".join(r[:-2]) for r in all_rows) or "no fonts listed")
        got = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        squeeze = lambda s: "".join(s.split())  # noqa: E731 - a one-line helper beside its only use
        res.check(squeeze(title) + squeeze(text) == squeeze(got),
                  f"ReportLab text round-trips through pdftotext ({f['file']})")
        # same file twice -> same bytes (invariant=1)
        pdf2 = tmp / f"rl-{rl_name}-2.pdf"
        draw_sample(pdf2, rl_name, text, title)
        res.check(pdf.read_bytes() == pdf2.read_bytes(), f"ReportLab output reproducible ({f['file']})")

    # <b> in a Paragraph picks the Bold file of the family
    for family, styles in by_family.items():
        if "bold" not in styles:
            continue
        pdf = tmp / f"rl-bold-{styles['regular']}.pdf"
        c = canvas.Canvas(str(pdf), invariant=1, initialFontName=styles["regular"])
        p = Paragraph("正文 <b>加粗标题</b>", ParagraphStyle("x", fontName=styles["regular"], fontSize=14))
        p.wrapOn(c, 400, 100)
        p.drawOn(c, 40, 700)
        c.save()
        names = {r[0].split("+")[-1] for r in pdffonts(pdf)}
        res.check({styles["regular"], styles["bold"]} <= names,
                  f"ReportLab <b> uses {styles['bold']} for family {family!r}", ", ".join(sorted(names)))


def check_matplotlib(res: Results, fonts: list[dict], tmp: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager as fm

    for f in fonts:
        fm.fontManager.addfont(str(FONT_DIR / f["file"]))
    for f in fonts:
        prop = fm.FontProperties(family=f["family"], weight=f["style"] if f["style"] == "bold" else "normal")
        try:
            found = Path(fm.findfont(prop, fallback_to_default=False)).name
        except ValueError as exc:
            found = f"not found: {exc}"
        res.check(found == f["file"], f"matplotlib family {f['family']!r} {f['style']} -> {f['file']}", found)

    plt.rcParams["pdf.fonttype"] = 42
    plt.rcParams["axes.unicode_minus"] = False
    has_bold = {f["family"] for f in fonts if f["style"] == "bold"}
    for family in sorted({f["family"] for f in fonts}):
        pdf = tmp / f"mpl-{family.replace(' ', '')}.pdf"
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig, ax = plt.subplots(figsize=(4, 3))
            ax.bar(["一月", "二月", "三月"], [12.5, -3.2, 8.0])
            ax.set_title("衡南县2025年主要指标（亿元）", fontfamily=family,
                         fontweight="bold" if family in has_bold else "normal")
            ax.set_xlabel("月份 Month", fontfamily=family)
            for lab in ax.get_xticklabels() + ax.get_yticklabels():
                lab.set_fontfamily(family)
            fig.savefig(pdf, metadata={"CreationDate": None})
            plt.close(fig)
        missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
        rows = pdffonts(pdf)
        types = {" ".join(r[1:3]) for r in rows}
        res.check(not missing and "Type 3" not in " ".join(types) and any(r[1] == "CID" for r in rows),
                  f"matplotlib PDF ({family}) embeds TrueType, no missing glyphs",
                  "; ".join(sorted({r[0].split('+')[-1] + ' ' + ' '.join(r[1:3]) for r in rows}))
                  + (f"; {missing[:2]}" if missing else ""))


def check_fontconfig(res: Results) -> None:
    if not shutil.which("fc-match"):
        print("skip  fontconfig checks: fc-match not installed")
        return
    env = dict(os.environ, FONTCONFIG_FILE=str(FC_CONF))
    for query, (want_file, want_style) in FC_EXPECT.items():
        out = subprocess.run(["fc-match", query, "--format", "%{file}|%{style[0]}"],
                             capture_output=True, text=True, env=env)
        file_, _, style = out.stdout.partition("|")
        res.check(Path(file_).name == want_file and style == want_style,
                  f"fc-match {query!r} -> {want_file} {want_style}", f"{Path(file_).name} {style}")


def check_soffice(res: Results, tmp: Path) -> None:
    soffice = shutil.which("soffice")
    if not soffice:
        print("skip  LibreOffice check: soffice not installed")
        return
    try:
        from docx import Document
        from docx.oxml.ns import qn
        from docx.shared import Pt
    except ImportError:
        print("skip  LibreOffice check: python-docx not installed")
        return
    doc = Document()
    expect = {
        "方正小标宋简体": "NotoSerifSC-Bold",
        "黑体": "NotoSansSC-Regular",
        "楷体_GB2312": "LXGWWenKai-Regular",
        "仿宋_GB2312": "FandolFang-Regular",
        "宋体": "NotoSerifSC-Regular",
    }
    for win_name in expect:
        run = doc.add_paragraph().add_run(f"{win_name}：衡南县2025年工作报告 — 1")
        run.font.size = Pt(16)
        run.font.name = win_name
        rpr = run._element.get_or_add_rPr()
        rpr.get_or_add_rFonts().set(qn("w:eastAsia"), win_name)
    src = tmp / "fontcheck.docx"
    doc.save(src)
    env = dict(os.environ, FONTCONFIG_FILE=str(FC_CONF))
    profile = tmp / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp), str(src)],
        capture_output=True, text=True, env=env, timeout=180,
    )
    pdf = tmp / "fontcheck.pdf"
    if not res.check(pdf.is_file(), "LibreOffice converts a .docx naming Windows fonts"):
        return
    names = {r[0].split("+")[-1] for r in pdffonts(pdf)}
    for win_name, ps in expect.items():
        res.check(ps in names, f"LibreOffice renders {win_name} (docx w:eastAsia) with {ps}",
                  ", ".join(sorted(names)))

    # .pptx: python-pptx has no API for the East Asian slot, so a:ea is written by hand
    # (schema order in a:rPr: a:latin, a:ea, a:cs).
    try:
        from pptx import Presentation
        from pptx.oxml.ns import qn as pqn
        from pptx.util import Inches
        from pptx.util import Pt as PPt
    except ImportError:
        print("skip  LibreOffice .pptx check: python-pptx not installed")
        return
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    box = slide.shapes.add_textbox(Inches(0.5), Inches(0.5), Inches(9), Inches(6))
    tf = box.text_frame
    pexpect = {"Noto Sans SC": "NotoSansSC-Regular", "LXGW WenKai": "LXGWWenKai-Regular",
               "仿宋_GB2312": "FandolFang-Regular", "宋体": "NotoSerifSC-Regular"}
    for i, fam in enumerate(pexpect):
        para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        run = para.add_run()
        run.text = f"{fam}：衡南县2025年工作报告"
        run.font.size = PPt(24)
        run.font.name = fam  # a:latin
        rpr = run._r.get_or_add_rPr()
        latin = rpr.find(pqn("a:latin"))
        ea = rpr.makeelement(pqn("a:ea"), {"typeface": fam})
        latin.addnext(ea)
    psrc = tmp / "fontcheck.pptx"
    prs.save(psrc)
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp), str(psrc)],
        capture_output=True, text=True, env=env, timeout=180,
    )
    ppdf = tmp / "fontcheck.pdf"
    names = {r[0].split("+")[-1] for r in pdffonts(ppdf)} if ppdf.is_file() else set()
    for fam, ps in pexpect.items():
        res.check(ps in names, f"LibreOffice renders .pptx a:ea {fam!r} with {ps}", ", ".join(sorted(names)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--with-soffice", action="store_true", help="also test LibreOffice (slow)")
    args = ap.parse_args(argv)
    res = Results()
    fonts = load_manifest()
    with tempfile.TemporaryDirectory(prefix="fontcheck-") as t:
        tmp = Path(t)
        check_files(res, fonts)
        check_reportlab(res, fonts, tmp)
        check_matplotlib(res, fonts, tmp)
        check_fontconfig(res)
        if args.with_soffice:
            check_soffice(res, tmp)
    print(f"{res.passed} passed, {res.failed} failed")
    return 1 if res.failed else 0


if __name__ == "__main__":
    sys.exit(main())
