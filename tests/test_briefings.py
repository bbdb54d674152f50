"""Word briefings: every shipped spec builds; named styles only; charts with alt text; GB/T 9704 page; reproducible."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Length

from generators import model as M
from generators.charts import ChartRenderer
from generators.documents import briefing
from generators.errors import TemplateError
from generators.fonts import GlyphChecker
from generators.load import load_dataset
from generators.load import specs as S
from generators.load.textio import read_yaml
from generators.theme import load_theme
from generators.writers import WriterEnv
from generators.writers import docx as writer

ROOT = Path(__file__).resolve().parents[1]
ZHUANTI = "economy-zhuanti"
SHIPPED = {"economy", "industry-innovation", "urban-rural-livelihood", "ecology", "party"}
CONTRACT = {name: kind for preset in writer.PRESETS for name, kind, _ in writer.contract(preset).values()}
CHAR_STYLES = {name for name, kind in CONTRACT.items() if kind == writer.WD_STYLE_TYPE.CHARACTER}
# The only paragraph properties set on a paragraph rather than its style, each measured where the style cannot
# know it (writers/docx/frame.py): the closing block at the foot of the last page (LibreOffice ignores a frame
# set in a style), the 35 mm of the 发文机关标志 when lines stand above it, the 署名 centred over its date, and
# keep-with-next on the body's last paragraph and the 印章's blank lines (the 署名 never alone on a page).
FRAMED = {"版记抄送", "版记分隔线", "版记印发", "报尾", "报尾印数"}
MEASURED = {**{n: {qn("w:framePr")} for n in FRAMED}, "发文机关标志": {qn("w:spacing")}, "发文机关署名": {qn("w:ind")},
            "简报正文": {qn("w:keepNext")}, "附件说明": {qn("w:keepNext")}, "红线五角星": {qn("w:framePr")}}
FIGURE_STYLE = writer.STYLES["figure"][0]
WP_INLINE = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}inline"
WP_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"


def make_env(root: Path) -> WriterEnv:
    theme = load_theme(ROOT)
    glyphs = GlyphChecker([theme.font_path(theme.role("body").print)], [theme.font_path(f) for f in theme.fonts.fallback])
    return WriterEnv(root, theme, ChartRenderer(theme), glyphs)


@pytest.fixture(scope="module")
def ds():
    return load_dataset(ROOT / "data")


@pytest.fixture(scope="module")
def benv():
    return make_env(ROOT)


def build(ds, spec, stem: str) -> M.Document:
    return briefing.build(ds, spec, stem, ds.year, ROOT / "assets" / "images")


@pytest.fixture(scope="module")
def built(ds, benv, tmp_path_factory):
    """stem → (Document, .docx path) for every shipped briefing."""
    out = tmp_path_factory.mktemp("briefings")
    result = {}
    # The designed look (专题) of the economy briefing beside the shipped specs: the same content, the third 版式.
    specs = {**ds.briefings, ZHUANTI: ds.briefings["economy"].model_copy(update={"preset": "专题", "file": "经济运行专题"})}
    for stem, spec in specs.items():
        doc = build(ds, spec, stem)
        dest = out / f"{doc.name}.docx"
        writer.write(doc, benv, dest)
        result[stem] = (doc, dest)
    return result


def paragraphs(document):
    """Every w:p of the body, table cells included."""
    return list(document.element.body.iter(qn("w:p")))


def style_names(document) -> dict[str, str]:
    return {s.style_id: s.name for s in document.styles}


# ---- the shipped specs ----------------------------------------------------------

def it_ships_five_briefings_with_a_chart_each_and_one_gongwen(ds, built):
    assert SHIPPED <= set(ds.briefings)
    presets = {stem: doc.meta["preset"] for stem, (doc, _) in built.items() if stem != ZHUANTI}
    assert presets["party"] == "公文"
    assert {p for s, p in presets.items() if s != "party"} == {"简报"}
    for stem, (doc, path) in built.items():
        assert path.is_file() and path.stat().st_size > 5000, stem
        assert doc.charts(), f"{stem}: no chart"


def they_use_only_the_named_styles_and_no_direct_formatting(built):
    for stem, (_, path) in built.items():
        d = docx.Document(str(path))
        names = style_names(d)
        for p in paragraphs(d):
            ppr = p.find(qn("w:pPr"))
            assert ppr is not None, f"{stem}: paragraph without a style"
            assert ppr[0].tag == qn("w:pStyle"), f"{stem}: paragraph without a style"
            name = names[ppr.find(qn("w:pStyle")).get(qn("w:val"))]
            assert CONTRACT.get(name) is not None, f"{stem}: style {name} is not in the contract"
            assert {c.tag for c in ppr[1:]} <= MEASURED.get(name, set()), f"{stem}: direct paragraph formatting in {name}"
            if name in FRAMED:
                assert ppr.find(qn("w:framePr")) is not None, f"{stem}: {name} not at the foot of the page"
            for r in p.iter(qn("w:r")):
                rpr = r.find(qn("w:rPr"))
                if rpr is not None:
                    assert [c.tag for c in rpr] == [qn("w:rStyle")], f"{stem}: direct run formatting"
                    assert names[rpr[0].get(qn("w:val"))] in CHAR_STYLES
        for t in d.element.body.iter(qn("w:tbl")):
            tstyle = t.find(qn("w:tblPr")).find(qn("w:tblStyle")).get(qn("w:val"))
            assert names[tstyle] in ("关键数据表", "图片占位框")
        assert "样张" not in "".join(p.text for p in d.paragraphs), "template specimen not cleared"


def they_mark_figures_with_the_character_style(built):
    doc, path = built["economy"]
    d = docx.Document(str(path))
    figure_runs = [r.text for p in d.paragraphs for r in p.runs if r.style is not None and r.style.name == FIGURE_STYLE]
    assert any("461.71" in t for t in figure_runs)


def they_each_have_an_inline_chart_with_alt_text(built):
    for stem, (doc, path) in built.items():
        d = docx.Document(str(path))
        inlines = list(d.element.body.iter(WP_INLINE))
        assert inlines, stem
        alts = {c.data.alt for c in doc.charts()}
        described = [i.find(WP_DOCPR) for i in inlines]
        assert {p.get("descr") for p in described} >= alts, stem
        assert all(p.get("descr") and p.get("title", "").startswith("图") for p in described), stem
        assert len(d.inline_shapes) == len(doc.charts())  # photos without files are placeholders, not pictures
        captions = [p.text for p in d.paragraphs if p.style.name == "图题"]
        assert [c.caption for c in doc.charts()] == [c for c in captions if c.startswith("图")]


def it_draws_labelled_placeholders_for_missing_photos(built):
    doc, path = built["industry-innovation"]
    photos = [b for s in doc.sections for b in s.blocks if isinstance(b, M.Photo)]
    assert photos and photos[0].image is None
    d = docx.Document(str(path))
    boxes = [t for t in d.tables if t.style.name == "图片占位框"]
    assert len(boxes) == len(photos)
    assert boxes[0].cell(0, 0).text.startswith("图片待补充：" + photos[0].caption)


def its_key_figures_table_shows_before_after_and_growth(built):
    doc, path = built["economy"]
    d = docx.Document(str(path))
    table = next(t for t in d.tables if t.style.name == "关键数据表")
    assert [c.text for c in table.rows[0].cells] == ["指标", "数值", "时期", "说明"]
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
    kf = doc.sections[0].blocks[0].items
    first = rows[kf[0].label]
    assert first[1] == kf[0].value.text and first[3] == "增长" + kf[0].growth.text
    before_after = next(k for k in kf if k.before)
    assert rows[before_after.label][1] == f"{before_after.before.text} → {before_after.value.text}"


def they_number_headings_in_the_issued_formats_only(built):
    """一、（一） in the 公文 and the 简报 (GB/T 9704 levels); the designed 专题 has unnumbered headings."""
    for doc, path in built.values():
        d = docx.Document(str(path))
        h1 = [p.text for p in d.paragraphs if p.style.name == "一级标题"]
        titles = [s.title for s in doc.sections if s.title]
        if doc.meta["preset"] in ("公文", "简报"):
            assert h1 == [f"{n}、{t}" for n, t in zip("一二三四五六七八九", titles, strict=False)]
            h2 = [p.text for p in d.paragraphs if p.style.name == "二级标题"]
            assert all(t.startswith(("（一）", "（二）", "（三）")) for t in h2)
        else:
            assert h1 == titles


# ---- styles and page setup --------------------------------------------------------

def _chain(styles_el, style_id: str):
    """A style and its basedOn ancestors (XML elements)."""
    by_id = {s.get(qn("w:styleId")): s for s in styles_el.iter(qn("w:style"))}
    while style_id in by_id:
        s = by_id[style_id]
        yield s
        based = s.find(qn("w:basedOn"))
        style_id = based.get(qn("w:val")) if based is not None else None


def they_set_an_east_asian_font_on_every_style(built):
    for stem, (_, path) in built.items():
        d = docx.Document(str(path))
        styles_el = d.styles.element
        for rfonts in styles_el.iter(qn("w:rFonts")):
            assert rfonts.get(qn("w:eastAsia")), f"{stem}: rFonts without eastAsia"
            assert not any(rfonts.get(qn(a)) for a in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme"))
        used = {p.find(qn("w:pPr")).find(qn("w:pStyle")).get(qn("w:val")) for p in paragraphs(d)}
        used |= {t.find(qn("w:tblPr")).find(qn("w:tblStyle")).get(qn("w:val")) for t in d.element.body.iter(qn("w:tbl"))}
        for sid in used:
            fonts = [r.get(qn("w:eastAsia")) for s in _chain(styles_el, sid) for r in s.iter(qn("w:rFonts"))]
            assert fonts and fonts[0], f"{stem}: style {sid} has no East Asian font"


def _style_font(d, name: str) -> tuple[str, float]:
    s = d.styles[name]
    rfonts = s.element.find(qn("w:rPr")).find(qn("w:rFonts"))
    return rfonts.get(qn("w:eastAsia")), s.font.size.pt


def its_gongwen_briefing_follows_gbt_9704(built):
    doc, path = built["party"]
    d = docx.Document(str(path))
    sec = d.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    for got, want in ((sec.top_margin, 37), (sec.bottom_margin, 35), (sec.left_margin, 28), (sec.right_margin, 26)):
        assert abs(got.mm - want) <= 0.5
    assert _style_font(d, "简报标题") == ("方正小标宋简体", 22)
    assert d.styles["简报标题"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert _style_font(d, "简报正文") == ("仿宋_GB2312", 16)
    assert _style_font(d, "一级标题") == ("黑体", 16)
    assert _style_font(d, "二级标题") == ("楷体_GB2312", 16)
    assert _style_font(d, "三级标题")[0] == "仿宋_GB2312"
    body = d.styles["简报正文"]
    pf = body.paragraph_format
    line = pf.line_spacing.pt
    assert pf.line_spacing_rule == WD_LINE_SPACING.EXACTLY and 28.5 <= line <= 29.2
    text_h = Length(sec.page_height - sec.top_margin - sec.bottom_margin).pt
    text_w = Length(sec.page_width - sec.left_margin - sec.right_margin).pt
    assert int(text_h // line) == 22
    spacing = body.element.find(qn("w:rPr")).find(qn("w:spacing"))
    pitch = 16 + int(spacing.get(qn("w:val"))) / 20
    assert int(text_w // pitch) == 28
    ind = body.element.find(qn("w:pPr")).find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    grid = sec._sectPr.find(qn("w:docGrid"))
    assert int(text_h * 20 // int(grid.get(qn("w:linePitch")))) == 22
    # Page numbers: "— N —" PAGE field, 宋体 14 pt; odd right one character in, even left one character in.
    assert d.settings.odd_and_even_pages_header_footer
    for footer, align, side in ((sec.footer, WD_ALIGN_PARAGRAPH.RIGHT, "w:rightChars"),
                                (sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "w:leftChars")):
        p = footer.paragraphs[0]
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert any(i.text.strip() == "PAGE" for i in p._p.iter(qn("w:instrText")))
        assert p.style.paragraph_format.alignment == align
        assert p.style.element.find(qn("w:pPr")).find(qn("w:ind")).get(qn(side)) == "100"
        assert _style_font(d, p.style.name) == ("宋体", 14)


def its_designed_look_has_a_page_number_field_and_red_headings(built):
    _, path = built[ZHUANTI]
    d = docx.Document(str(path))
    sec = d.sections[0]
    assert abs(sec.top_margin.mm - 22) <= 0.5 and abs(sec.left_margin.mm - 20) <= 0.5
    assert any(i.text.strip() == "PAGE" for i in sec.footer._element.iter(qn("w:instrText")))
    assert str(d.styles["一级标题"].font.color.rgb) == "A61E22"
    assert d.styles["简报正文"].paragraph_format.line_spacing == 1.5


# ---- metadata, names, reproducibility ----------------------------------------------

def it_sets_core_properties_from_the_document(built):
    doc, path = built["ecology"]
    cp = docx.Document(str(path)).core_properties
    assert cp.title == doc.title and cp.author == doc.meta["author"] and cp.subject == doc.meta["subject"]
    assert cp.keywords == doc.meta["keywords"]
    fixed = datetime(int(doc.meta["year"]), 12, 31, tzinfo=timezone.utc)
    assert cp.created == fixed and cp.modified == fixed and cp.revision == 1


def it_writes_byte_identical_files_twice(ds, built, tmp_path):
    for stem in ("party", "economy"):
        _, first = built[stem]
        again = tmp_path / f"{stem}.docx"
        writer.write(build(ds, ds.briefings[stem], stem), make_env(ROOT), again)  # fresh renderer: charts drawn anew
        assert again.read_bytes() == first.read_bytes(), stem


@pytest.mark.parametrize("title", ["../x", "县委常委会 专题/简报", "..\\..\\evil"])
def it_builds_a_copy_of_a_spec_with_another_title_under_a_safe_name(ds, benv, tmp_path, title):
    text = (ROOT / "data" / "briefings" / "economy.yaml").read_text(encoding="utf-8")
    text = text.replace("title: 衡南县经济运行情况", f"title: '{title}'").replace("file: 经济运行简报\n", "")
    copy = tmp_path / "copy.yaml"
    copy.write_text(text, encoding="utf-8")
    spec, problems = S.validate(S.BriefingSpec, read_yaml(copy), str(copy))
    assert not problems
    doc = build(ds, spec, title)  # worst case: the stem itself is hostile
    assert doc.title == title
    assert "/" not in doc.name and "\\" not in doc.name and ".." not in doc.name and doc.name
    out = tmp_path / "out"
    out.mkdir()
    dest = out / f"{doc.name}.docx"
    assert dest.resolve().parent == out.resolve()
    writer.write(doc, benv, dest)
    assert docx.Document(str(dest)).core_properties.title == title


# ---- LibreOffice -----------------------------------------------------------------

needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                       reason="LibreOffice 或 poppler-utils 未安装")


def libreoffice_pdfs(files: list[Path], tmp_path: Path) -> dict[Path, Path]:
    """Each .docx converted to PDF by LibreOffice (headless, private profile, bundled fonts): docx → pdf."""
    profile = tmp_path / "lo-profile"  # private profile: parallel conversions sharing one lose output silently
    out = tmp_path / "pdf"
    env = dict(os.environ)
    fc = ROOT / "assets" / "fonts" / "fontconfig" / "fonts.conf"
    if fc.is_file():
        env["FONTCONFIG_FILE"] = str(fc)
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), *map(str, files)], env=env, capture_output=True, timeout=300, check=True)
    return {f: out / (f.stem + ".pdf") for f in files}


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


@needs_libreoffice
def they_convert_to_pdf_with_libreoffice(built, tmp_path):
    pdfs = libreoffice_pdfs([p for _, p in built.values()], tmp_path)
    for stem, (doc, path) in built.items():
        pdf = pdfs[path]
        assert pdf.is_file(), f"{stem}: LibreOffice wrote no PDF"
        text = pdf_text(pdf)
        key = next(b for s in doc.sections for b in s.blocks if isinstance(b, M.KeyFigures)).items[0]
        assert key.value.number in text, stem
        assert doc.title.replace(" ", "") in text.replace(" ", "").replace("\n", ""), stem
        pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        n = int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")))
        # 3号 on 22 lines a page (简报, 公文) takes more pages than the designed look's 12 pt
        most = 4 if doc.meta["preset"] == "专题" else 6
        assert 1 <= n <= most, f"{stem}: {n} pages (a briefing should stay short)"


# ---- template contract -------------------------------------------------------------

def it_raises_template_error_naming_a_missing_style(ds, tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(ROOT / "templates", root / "templates")
    path = root / "templates" / "briefing-简报.docx"
    d = docx.Document(str(path))
    d.styles["引语"].name = "我的引语"
    d.save(str(path))
    env = make_env(root)
    doc = build(ds, ds.briefings["economy"], "economy")
    with pytest.raises(TemplateError) as err:
        writer.write(doc, env, tmp_path / "x.docx")
    msg = str(err.value)
    assert "briefing-简报.docx" in msg and "“引语”" in msg and "docs/briefing-templates.md" in msg
    assert not (tmp_path / "x.docx").exists()
    with pytest.raises(TemplateError, match="引语"):
        writer.check_template(env)
    with pytest.raises(TemplateError, match="引语"):
        writer.check(doc, env)


def it_checks_a_briefing_without_writing_a_file(ds, benv, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    doc = build(ds, ds.briefings["economy"], "economy")
    assert writer.check(doc, benv) is None
    assert not list(tmp_path.iterdir())
    bad = M.Document(kind="briefing", name="x", title="x", meta={"preset": "白皮书"})
    with pytest.raises(TemplateError, match="白皮书"):
        writer.check(bad, benv)


def it_captions_the_key_figures_with_the_themes_label(ds, tmp_path):
    env = make_env(ROOT)
    theme = env.theme.model_copy(update={"labels": env.theme.labels.model_copy(update={"key_figures": "关键数字"})})
    env = WriterEnv(ROOT, theme, env.charts, env.glyphs)
    doc = build(ds, ds.briefings["economy"], "economy")
    writer.write(doc, env, tmp_path / "x.docx")
    captions = [p.text for p in docx.Document(str(tmp_path / "x.docx")).paragraphs if p.style.name == "图题"]
    assert "关键数字" in captions and "主要指标" not in captions


def it_raises_template_error_for_a_missing_template(ds, tmp_path):
    root = tmp_path / "proj"
    (root / "templates").mkdir(parents=True)
    env = make_env(root)
    doc = build(ds, ds.briefings["party"], "party")
    with pytest.raises(TemplateError, match="briefing-公文.docx"):
        writer.write(doc, env, tmp_path / "x.docx")
