"""DOCX writer (python-docx): fills templates/briefing-<preset>.docx with named styles only, native charts."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.image.image import Image
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from generators import chartkinds
from generators import model as M
from generators import typography as T
from generators.errors import Problem, TemplateError, shown
from generators.units import chinese_numeral, period_span
from generators.writers import WriterEnv
from generators.writers.docx import frame as F
from generators.writers.docx.flow import FLOAT_PAST, Flow, text_follows
from generators.writers.docx.nativechart import add_chart
from generators.writers.docx_theme import apply_theme
from generators.writers.ooxml import save_normalized
from generators.writers.template_messages import missing_word_style, no_template, unreadable_template

PRESETS = ("简报", "公文", "专题")
OFFICIAL = ("简报", "公文")  # the documents an office issues: numbered headings, 报头/版头, no bullets

# Role → (style name in the template, style type, what it is for). The contract of docs/briefing-templates.md.
STYLES: dict[str, tuple[str, WD_STYLE_TYPE, str]] = {
    "title": ("简报标题", WD_STYLE_TYPE.PARAGRAPH, "标题"),
    "subtitle": ("简报副标题", WD_STYLE_TYPE.PARAGRAPH, "副标题"),
    "meeting": ("会议信息", WD_STYLE_TYPE.PARAGRAPH, "会议、日期、编发单位一行"),
    "body": ("简报正文", WD_STYLE_TYPE.PARAGRAPH, "正文段落"),
    "h1": ("一级标题", WD_STYLE_TYPE.PARAGRAPH, "各部分标题"),
    "h2": ("二级标题", WD_STYLE_TYPE.PARAGRAPH, "部分内的小标题"),
    "h3": ("三级标题", WD_STYLE_TYPE.PARAGRAPH, "更低一级的小标题"),
    "quote": ("引语", WD_STYLE_TYPE.PARAGRAPH, "引语"),
    "speaker": ("引语出处", WD_STYLE_TYPE.PARAGRAPH, "引语的说话人"),
    "point": ("简报要点", WD_STYLE_TYPE.PARAGRAPH, "要点列表"),
    "caption": ("图题", WD_STYLE_TYPE.PARAGRAPH, "图表、表格的标题，如“图1 …”"),
    "picture": ("插图", WD_STYLE_TYPE.PARAGRAPH, "放图表图片的段落"),
    "source": ("资料来源", WD_STYLE_TYPE.PARAGRAPH, "图表下方的资料来源"),
    "cell": ("表格文字", WD_STYLE_TYPE.PARAGRAPH, "表格中的文字"),
    "cell_number": ("表格数字", WD_STYLE_TYPE.PARAGRAPH, "表格中右对齐的数值"),
    "cell_header": ("表头文字", WD_STYLE_TYPE.PARAGRAPH, "表格的标题行"),
    "placeholder": ("图片占位", WD_STYLE_TYPE.PARAGRAPH, "缺图时占位框中的说明"),
    "figure": ("数字", WD_STYLE_TYPE.CHARACTER, "正文中引用的数字"),
    "table": ("关键数据表", WD_STYLE_TYPE.TABLE, "关键数据表和数据表格"),
    "placeholder_box": ("图片占位框", WD_STYLE_TYPE.TABLE, "缺图时的占位框"),
}

# Generic labels the writer prints around the county's content (never content itself); shared wording is in
# generators/typography.py, the frame's captions in the theme's [labels].
TABLE_HEADER = ("指标", "数值", "时期", "说明")
FRONT_SEP = "　　"

KIND_ZH = {WD_STYLE_TYPE.PARAGRAPH: "段落", WD_STYLE_TYPE.CHARACTER: "字符", WD_STYLE_TYPE.TABLE: "表格"}
PHOTO_MAX_HEIGHT_MM = 110.0
PLACEHOLDER_HEIGHT_MM = 28.0


def template_path(env: WriterEnv, preset: str) -> Path:
    return env.templates / f"briefing-{preset}.docx"


def _open(path: Path):
    where = shown(path)
    if not path.is_file():
        raise TemplateError(Problem(where, message=no_template("简报模板", "python tools/make_docx_templates.py")))
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError) as exc:  # lxml's parse error is a SyntaxError
        raise TemplateError(Problem(where, message=f"简报模板无法打开（{type(exc).__name__}）；"
                                                   f"{unreadable_template('Word/WPS', '.docx')}")) from None


def contract(preset: str) -> dict[str, tuple[str, WD_STYLE_TYPE, str]]:
    """Every style the template of `preset` must carry: the body's and its 报头/版头 and 报尾/版记."""
    return {**STYLES, **F.FRAME_STYLES.get(preset, {})}


def _styles(document, path: Path, preset: str) -> dict[str, object]:
    """Every contract style, found by name; all missing or mistyped ones reported at once."""
    by_name = {s.name: s for s in document.styles}
    found, problems = {}, []
    wanted = contract(preset)
    for role, (name, kind, purpose) in wanted.items():
        style = by_name.get(name)
        want = KIND_ZH[kind]
        if style is None:
            problems.append(missing_word_style(shown(path), name, kind, want, purpose, document,
                                               [n for n, _k, _p in wanted.values()]))
        elif style.type != kind:
            got = KIND_ZH.get(style.type, str(style.type))
            problems.append(Problem(shown(path), field=name, message=(
                f"样式“{name}”应为{want}样式，模板中却是{got}样式（类型建立后不能更改）。改法：Word 中 开始 → 样式 → "
                f"右击“{name}” → 删除，再 新建样式，名称写“{name}”，样式类型选“{want}”；约定见 docs/briefing-templates.md")))
        else:
            found[role] = style
    if problems:
        raise TemplateError(problems)
    return found


def check_template(env: WriterEnv) -> None:
    """Every briefing template exists and carries every named style of its 版式 (called before any build)."""
    problems: list[Problem] = []
    for preset in PRESETS:
        path = template_path(env, preset)
        try:
            _styles(_open(path), path, preset)
        except TemplateError as exc:
            problems.extend(exc.problems)
    if problems:
        raise TemplateError(problems)


# ---- numbering of headings per preset -------------------------------------------

def _number(preset: str, level: int, n: int) -> str:
    """GB/T 9704 heading numbers for the 公文 and the 简报 (一、 （一） 1. （1））; the designed 专题 has none."""
    if preset not in OFFICIAL:
        return ""
    return {1: f"{chinese_numeral(n)}、", 2: f"（{chinese_numeral(n)}）", 3: f"{n}.", 4: f"（{n}）"}.get(level, "")


@dataclass
class _Cell:
    runs: M.Inline
    number: bool = False  # right-aligned (style 表格数字)
    header: bool = False  # header row (style 表头文字)


class _Writer:
    """Emits one Document into an opened template, block by block, styles only."""

    def __init__(self, doc: M.Document, env: WriterEnv, document, styles: dict[str, object]):
        self.doc, self.env, self.d, self.s = doc, env, document, styles
        self.preset = doc.meta.get("preset", "简报")
        sec = document.sections[-1]
        self.text_width = sec.page_width - sec.left_margin - sec.right_margin  # EMU
        self.text_width_twips = int(self.text_width / 635)
        self.counters = [0, 0, 0]
        self.chart_mode = doc.meta.get("charts") or env.theme.docx.charts  # the spec's choice, else the theme's
        self.flow = Flow(document)  # where the body has got to on its page: a figure that does not fit floats on

    # ---- primitives ---------------------------------------------------------
    def para(self, role: str, runs: M.Inline | str = (), container=None):
        target = container if container is not None else self.d
        p = target.add_paragraph(style=self.s[role])
        self.runs(p, (M.Run(runs),) if isinstance(runs, str) else runs)
        return p

    def runs(self, p, runs: M.Inline) -> None:
        for r in runs:
            if r.text:
                p.add_run(r.text, style=self.s["figure"] if r.figure else None)

    def separate(self) -> None:
        """Word joins two tables that touch: keep an empty body line between them."""
        body = self.d.element.body
        last = body[-2] if len(body) > 1 else None
        if last is not None and last.tag == qn("w:tbl"):
            self.para("body")

    def table(self, header: tuple[str, ...], rows: list[list[_Cell]], style: str = "table",
              shares: tuple[float, ...] = ()):
        self.separate()
        t = self.d.add_table(rows=1 + len(rows), cols=len(header))
        t.style = self.s[style]
        t.autofit = False
        widths = self._widths([[_Cell((M.Run(h),)) for h in header], *rows], shares)
        for i, col in enumerate(t.columns):
            col.width = widths[i]
        head = t.rows[0]
        _repeat_header(head)
        for cell, text, w in zip(head.cells, header, widths, strict=True):
            cell.width = w
            self.cell(cell, _Cell((M.Run(text),), header=True))
        for row, cells in zip(t.rows[1:], rows, strict=True):
            for cell, c, w in zip(row.cells, cells, widths, strict=True):
                cell.width = w
                self.cell(cell, c)
        return t

    def cell(self, cell, c: _Cell) -> None:
        p = cell.paragraphs[0]
        p.style = self.s["cell_header" if c.header else "cell_number" if c.number else "cell"]
        self.runs(p, c.runs)

    def _widths(self, rows: list[list[_Cell]], shares: tuple[float, ...] = ()) -> list[int]:
        """Column widths as the table asks (`shares`), else in proportion to their longest text (CJK counts
        double), within 12–50 % of the block."""
        n = len(rows[0])
        need = [max(T.display_width(M.plain(r[i].runs)) for r in rows) for i in range(n)]
        total = sum(need) or 1
        share = list(shares) if len(shares) == n else [min(max(x / total, 0.12), 0.5) for x in need]
        norm = sum(share)
        widths = [int(self.text_width * s / norm) for s in share]
        widths[-1] += self.text_width - sum(widths)
        return widths

    def picture(self, data: bytes | Path, width_mm: float, height_mm: float, title: str, descr: str):
        p = self.para("picture")
        run = p.add_run()
        src = io.BytesIO(data) if isinstance(data, bytes) else str(data)
        shape = run.add_picture(src, width=Mm(width_mm), height=Mm(height_mm))
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", descr)
        doc_pr.set("title", title)
        return p

    # ---- document -----------------------------------------------------------
    def write(self) -> None:
        doc, preset = self.doc, self.preset
        if preset == "简报":
            F.jianbao_head(self)
        elif preset == "公文" and doc.front.get("authority"):
            F.gongwen_head(self)
        self.para("title", doc.title)
        if doc.subtitle:
            self.para("subtitle", doc.subtitle)
        if preset == "简报":
            F.jianbao_front(self)
        elif preset == "公文":
            F.gongwen_front(self)
        else:
            self.front_line()
        n = 0
        for section in doc.sections:
            if section.kind == "keyfigures":
                for b in section.blocks:
                    self.block(b, caption=self.env.theme.labels.key_figures)
                continue
            self.counters = [0, 0, 0]
            if section.title:
                n += 1
                self.para("h1", _number(self.preset, 1, n) + section.title)
            self.blocks(section.blocks)
        if preset == "简报":
            F.jianbao_tail(self)
        elif preset == "公文":
            F.gongwen_end(self)

    def front_line(self) -> None:
        """The designed look's meeting · date · issuer line; one part a line when they do not fit on one, so no
        name is broken in the middle."""
        front = [t for t in (self.doc.front.get(k, "") for k in ("meeting", "date", "issuer")) if t]
        if not front:
            return
        style = self.s["meeting"]
        size = F._style_size(style, 10.5)
        fits = F._chars(FRONT_SEP.join(front)) * size <= self.text_width / Mm(1) * 72 / 25.4
        p = self.para("meeting", FRONT_SEP.join(front) if fits else front[0])
        for part in [] if fits else front[1:]:
            p.add_run().add_break()
            p.add_run(part)

    def points(self, items: tuple[M.Inline, ...]) -> None:
        """A list: bullets in the designed look; in the 简报 and 公文 numbered 1. 2. (（1） under a 1. heading),
        no "●" (GB/T 9704 levels)."""
        if self.preset not in OFFICIAL:
            for item in items:
                self.para("point", item)
            return
        deep = self.counters[2] > 0
        for i, item in enumerate(items, 1):
            self.para("body", (M.Run(f"（{i}）" if deep else f"{i}."), *item))

    def blocks(self, blocks: tuple[M.Block, ...]) -> None:
        """A section's blocks in order, except that a chart or photo that would not fit on the page (leaving a
        quarter page or more empty) floats on: it follows the text after it (paragraphs, quotes, lists and
        sub-headings, FLOAT_PAST), placed once that text has reached the next page, or before the next figure,
        table or key-figure block, at the latest at its section's end (never past its section or another
        figure, never past a block that may itself run over pages)."""
        pending: M.Block | None = None
        since = 0
        for i, b in enumerate(blocks):
            figure = isinstance(b, (M.Chart, M.Photo))
            if pending is not None and (not isinstance(b, FLOAT_PAST) or self.flow.at()[0] > since):
                self.block(pending)  # at the next page, or before a figure, table or list of figures
                pending = None
            text_after = text_follows(blocks[i + 1:])
            if figure and pending is None and text_after and self.flow.worth_deferring(self.figure_height(b)):
                pending, since = b, self.flow.at()[0]
                continue
            self.block(b)
        if pending is not None:
            self.block(pending)

    def figure_height(self, b: M.Block) -> float:
        """The points a chart (caption, picture, notes) or photo (picture or placeholder box, caption) takes."""
        sid = {role: getattr(self.s[role], "style_id", "") for role in ("caption", "picture", "source", "placeholder")}
        if isinstance(b, M.Chart):
            w, h = self.chart_size()
            notes = [t for t in (b.data.note, b.data.source) if t]
            return (self.flow.text_height(sid["caption"], b.caption)
                    + self.flow.text_height(sid["picture"], "", h * 72 / 25.4)
                    + sum(self.flow.text_height(sid["source"], t) for t in notes))
        assert isinstance(b, M.Photo)
        if b.image is None:  # the labelled box and the empty line under it
            return PLACEHOLDER_HEIGHT_MM * 72 / 25.4 + self.flow.text_height(sid["placeholder"], "")
        return (self.flow.text_height(sid["picture"], "", self.photo_size(b.image)[1] * 72 / 25.4)
                + self.flow.text_height(sid["caption"], b.caption))

    def chart_size(self) -> tuple[float, float]:
        """(width, height) in mm of a chart: the theme's, no wider than the text block."""
        ct = self.env.theme.chart
        width = min(ct.width_mm, self.text_width / Mm(1))
        return width, ct.height_mm * width / ct.width_mm

    def photo_size(self, image: Path) -> tuple[float, float]:
        """(width, height) in mm of a photo: 80 % of the text block wide, at most PHOTO_MAX_HEIGHT_MM high."""
        img = Image.from_file(str(image))
        width = self.text_width / Mm(1) * 0.8
        height = width * img.px_height / img.px_width
        if height > PHOTO_MAX_HEIGHT_MM:
            width, height = width * PHOTO_MAX_HEIGHT_MM / height, PHOTO_MAX_HEIGHT_MM
        return width, height

    def block(self, b: M.Block, caption: str = "") -> None:
        match b:
            case M.Paragraph(runs=runs):
                self.para("body", runs)
            case M.Heading(text=text, level=level):
                self.heading(text, 2 if level <= 3 else 3)
            case M.Quote(runs=runs, speaker=speaker):
                text = M.plain(runs)
                quoted = runs if text.startswith(("“", "「")) else ((M.Run("“"), *runs, M.Run("”")))
                self.para("quote", quoted)
                if speaker:
                    self.para("speaker", T.speaker(speaker))
            case M.Points(items=items):
                self.points(items)
            case M.KeyFigures() as k:
                self.key_figures(k, k.title or caption)
            case M.Chart() as c:
                self.chart(c)
            case M.Photo() as ph:
                self.photo(ph)
            case M.Table() as t:
                self.data_table(t)
            case M.Review(heading=heading, points=points, text=text):
                self.heading(heading, 2)
                self.points(points)
                self.para("body", text)
            case _:
                raise TypeError(f"DOCX writer cannot render {type(b).__name__}")

    def heading(self, text: str, level: int) -> None:
        self.counters[level - 1] += 1
        for deeper in range(level, len(self.counters)):
            self.counters[deeper] = 0
        self.para(f"h{level}", _number(self.preset, level, self.counters[level - 1]) + text)

    def key_figures(self, k: M.KeyFigures, caption: str) -> None:
        if caption:
            self.para("caption", caption)
        rows = []
        for f in k.items:
            if f.before:
                value: tuple[M.Run, ...] = (M.Run(f.before.text, True), M.Run(T.ARROW), M.Run(f.value.text, True))
                period = period_span(f.before.span, f.value.span)
            else:
                value, period = (M.Run(f.value.text, True),), f.value.period
            note: list[M.Run] = []
            if f.growth:
                word, figure = T.growth(f.growth)
                note += [M.Run(word), M.Run(figure, True)]
            if f.note:
                note += [M.Run(("；" if note else "") + f.note)]
            rows.append([_Cell((M.Run(f.label),)), _Cell(value, number=True), _Cell((M.Run(period),)),
                         _Cell(tuple(note))])
        header: tuple[str, ...] = TABLE_HEADER
        if not any(r[-1].runs for r in rows):  # no growth or note anywhere: no empty 说明 column
            header, rows = header[:-1], [r[:-1] for r in rows]
        self.table(header, rows)
        sources = sorted({f.source for f in k.items if f.source})
        if sources:
            self.para("source", T.SOURCE + "；".join(sources))

    def data_table(self, t: M.Table) -> None:
        if t.caption or t.number:
            self.para("caption", t.label)
        align = t.align or ("l",) * len(t.header)
        rows = [[_Cell((M.Run(cell, figure=a == "r"),), number=a == "r") for cell, a in zip(row, align, strict=False)]
                for row in t.rows]
        self.table(t.header, rows, shares=t.widths)
        if t.source:
            self.para("source", t.source)

    def chart(self, c: M.Chart) -> None:
        width, height = self.chart_size()
        self.para("caption", c.caption)
        if self.chart_mode == "picture" or not chartkinds.get(c.data.kind).word_native:
            png = self.env.charts.png(c.data, width, height)
            self.picture(png, width, height, title=c.caption, descr=c.data.alt)
        else:
            add_chart(self.para("picture").add_run(), c.data, self.env.theme, (Mm(width), Mm(height)), c.caption)
        if c.data.note:
            self.para("source", c.data.note)
        if c.data.source:
            self.para("source", c.data.source)

    def photo(self, ph: M.Photo) -> None:
        if ph.image is not None:
            self.picture(ph.image, *self.photo_size(ph.image), title=ph.caption, descr=ph.caption)
            self.para("caption", ph.caption)
            return
        # No file: a visible labelled box, never a fake picture.
        self.separate()
        t = self.d.add_table(rows=1, cols=1)
        t.style = self.s["placeholder_box"]
        t.autofit = False
        t.columns[0].width = self.text_width
        row = t.rows[0]
        row.height = Mm(PLACEHOLDER_HEIGHT_MM)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        cell = row.cells[0]
        cell.width = self.text_width
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        p.style = self.s["placeholder"]
        p.add_run(T.photo_placeholder(ph.caption, ph.name))
        self.para("placeholder")  # Word has no space below a table: an empty line keeps the text off the box


def _repeat_header(row) -> None:
    """Mark a table's first row as the header row Word repeats on each page."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:tblHeader")) is None:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _clear_body(document) -> None:
    """Remove the template's specimen content, keeping the final sectPr (page setup, footers)."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _core_properties(document, doc: M.Document) -> None:
    cp = document.core_properties
    meta = doc.meta
    year = int(meta.get("year") or 2000)
    fixed = datetime(year, 12, 31)
    cp.title = doc.title
    cp.subject = meta.get("subject", "")
    cp.author = meta.get("author", "")
    cp.keywords = meta.get("keywords", "")
    cp.last_modified_by = meta.get("author", "")
    cp.comments = ""
    cp.created = fixed
    cp.modified = fixed
    cp.revision = 1


def _render(doc: M.Document, env: WriterEnv):
    """The filled python-docx document for `doc`, from the template its preset names (not saved)."""
    preset = doc.meta.get("preset", "简报")
    path = template_path(env, preset)
    if preset not in PRESETS:
        raise TemplateError(Problem(shown(path), field="preset", message="不认识的简报样式",
                                    expected=" 或 ".join(PRESETS), found=preset))
    document = _open(path)
    styles = _styles(document, path, preset)
    apply_theme(document, f"templates/{path.name}", env.theme)  # theme.toml's colours and fonts
    _clear_body(document)
    _Writer(doc, env, document, styles).write()
    _core_properties(document, doc)
    return document


def check(doc: M.Document, env: WriterEnv) -> None:
    """Everything `write` does (template, styles, charts, every block) except saving the file."""
    _render(doc, env)


def write(doc: M.Document, env: WriterEnv, dest: Path) -> None:
    """Write `doc` as .docx to `dest` from the template its preset names; deterministic bytes."""
    save_normalized(_render(doc, env).save, dest)
