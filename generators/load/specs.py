"""Schemas (pydantic) of the YAML files: texts, charts, derived checks, briefings, with Chinese errors."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)

from generators import chartkinds
from generators.errors import Problem, did_you_mean
from generators.load import schema_zh as zh
from generators.load.textio import LineDict, LineList, line_of


class Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)


SpecT = TypeVar("SpecT", bound=Spec)

Text = str
# Lengths a slide or a page can carry (a longer deck title cannot fit its placeholder even at the smallest size).
Title = Annotated[str, Field(min_length=1, max_length=60)]
Short = Annotated[str, Field(min_length=1, max_length=16)]
Heading = Annotated[str, Field(min_length=1, max_length=30)]
Line = Annotated[str, Field(min_length=1, max_length=120)]
Optional60 = Annotated[str, Field(max_length=60)]
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_BAD_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')

#: A photo's focus point: where the crop centres, x and y as shares of the width and height (0.5, 0.5 = centre).
Focus = tuple[float, float]


def _check_focus(v: "Focus | None") -> "Focus | None":
    if v is not None and not all(0 <= c <= 1 for c in v):
        raise ValueError(f"“focus”应为两个 0 到 1 之间的数（横向、纵向位置，如 [0.5, 0.3]），实际为 {list(v)}")
    return v


Policy = Literal["drop", "earlier"]  # a figure not published for the edition year: drop the use, or the latest earlier one


class FigureItem(Spec):
    ref: str
    label: str | None = None
    from_: str | None = Field(default=None, alias="from")
    growth: str | None = None
    note: str | None = None
    unpublished: Policy | None = None  # default: settings.yaml unpublished.figures


BLOCK_KINDS = ("p", "heading", "quote", "figures", "chart", "photo", "points", "table", "use")
BLOCK_ID = re.compile(r"^[a-z][a-z0-9_]*$")
USE_REF = re.compile(r"^([a-z][a-z0-9_-]*)#([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*)$")  # stem#id or stem#place.n


def _check_block_id(v: str | None) -> str | None:
    if v is not None and not BLOCK_ID.match(v):
        raise ValueError(f"内容块的 id 应为小写英文字母、数字和下划线（如 ecology_air），实际为“{v}”")
    return v


InlineKind = Literal["bar", "column", "line", "composition"]


class InlineChart(Spec):
    """A chart written where it is used, from picked figures: `chart: {kind: bar, title: …, figures: [a@2021-2025,
    b@2021-2025]}`. Figures of several indicators are the bars (or the parts of a composition); figures of one
    indicator over years are its line or columns; several indicators over the same years are one series each."""

    kind: InlineKind
    title: Title
    figures: list[str] = Field(min_length=1, max_length=24)
    total: float | None = Field(default=None, gt=0)  # composition: the sum the parts must reach (default 100 for %)
    source: Text | None = None
    note: Text | None = None


def _chart_branch(v: Any) -> str:
    return "picked" if isinstance(v, (dict, InlineChart)) else "gallery"


_UNION_TAGS = {"gallery", "picked"}  # branch names of a tagged union: not fields, left out of a problem's path
ChartRef = Annotated[Annotated[str, Tag("gallery")] | Annotated[InlineChart, Tag("picked")],
                     Discriminator(_chart_branch)]


class BlockSpec(Spec):
    p: Text | None = None
    heading: Text | None = None
    quote: Text | None = None
    speaker: Text | None = None
    figures: list[FigureItem] | None = None
    chart: ChartRef | None = None  # a gallery id of data/charts.yaml, or a chart from picked figures
    photo: Text | None = None
    image: str | None = None
    points: list[Text] | None = None
    table: list[str] | None = None
    caption: Text | None = None
    use: str | None = None
    id: str | None = None
    focus: Focus | None = None  # photo: the point kept in view when cropped (x, y from 0 to 1)

    @field_validator("id")
    @classmethod
    def _id_form(cls, v: str | None) -> str | None:
        return _check_block_id(v)

    @field_validator("focus")
    @classmethod
    def _focus_range(cls, v: Focus | None) -> Focus | None:
        return _check_focus(v)

    @field_validator("use")
    @classmethod
    def _use_form(cls, v: str | None) -> str | None:
        if v is not None and not USE_REF.match(v):
            raise ValueError(f"“use”应写成“文件名#段落id”或“文件名#位置”（如 summary#ecology_air、summary#industry.2），实际为“{v}”")
        return v

    @model_validator(mode="after")
    def _one_kind(self) -> "BlockSpec":
        kinds = [k for k in BLOCK_KINDS if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(f"每个内容块必须且只能有一种类型（{'、'.join(BLOCK_KINDS)}），实际为：{'、'.join(kinds) or '无'}")
        if self.speaker is not None and kinds[0] != "quote":
            raise ValueError("“speaker”只能用于 quote 块")
        if (self.image is not None or self.focus is not None) and kinds[0] != "photo":
            raise ValueError("“image”和“focus”只能用于 photo 块")
        if self.caption is not None and kinds[0] not in ("table", "chart"):
            raise ValueError("“caption”只能用于 table 或 chart 块")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in BLOCK_KINDS if getattr(self, k) is not None)


class ReviewItem(Spec):
    heading: Heading
    points: list[Text] = Field(min_length=1)
    text: Text
    id: str | None = None
    # Deck design hints: 对比 = this item and the next side by side; 荣誉 = the points as a list of honours.
    layout: Literal["对比", "荣誉"] | None = None
    figures: list[FigureItem] = []  # figures the points talk about, shown beside them (not on the cards)
    photo: Text | None = None  # caption of the photo that illustrates the points
    image: str | None = None
    focus: Focus | None = None

    @field_validator("id")
    @classmethod
    def _id_form(cls, v: str | None) -> str | None:
        return _check_block_id(v)

    @field_validator("focus")
    @classmethod
    def _focus_range(cls, v: Focus | None) -> Focus | None:
        return _check_focus(v)


DECK_PARTS = ("economy", "culture", "people", "environment", "politics")  # data/README.md: five fixed parts, in order


class PartSpec(Spec):
    id: str
    number: int = Field(ge=1, le=len(DECK_PARTS))
    title: Heading
    short: Short
    numbers: list[BlockSpec] = []
    review: list[ReviewItem] = []
    charts: list[str] = []
    photos: list[BlockSpec] = []

    @field_validator("id")
    @classmethod
    def _fixed_part(cls, v: str) -> str:
        if v not in DECK_PARTS:
            raise ValueError(f"部分 id“{v}”不是固定的五个部分之一（{'、'.join(DECK_PARTS)}）。" + did_you_mean(v, DECK_PARTS))
        return v


class ClosingSpec(Spec):
    text: Text
    goals: list[Text] = Field(min_length=1)
    finale: Text | None = None  # the final message, set under the goals


class DeckSpec(Spec):
    source: str
    title: Title
    subtitle: Title
    occasion: Line
    credits: Annotated[str, Field(max_length=200)] = ""
    footer: Optional60 = ""
    intro: list[BlockSpec] = []
    parts: list[PartSpec] = Field(min_length=1)
    closing: ClosingSpec

    @field_validator("parts")
    @classmethod
    def _five_parts(cls, parts: list[PartSpec]) -> list[PartSpec]:
        ids = [p.id for p in parts]
        if ids != list(DECK_PARTS):
            raise ValueError(f"幻灯片应正好有五个部分，按顺序为 {'、'.join(DECK_PARTS)}；实际为 {'、'.join(ids)}")
        numbers = [p.number for p in parts]
        if numbers != list(range(1, len(DECK_PARTS) + 1)):
            raise ValueError(f"各部分的 number 应依次为 1—{len(DECK_PARTS)}；实际为 {'、'.join(map(str, numbers))}")
        return parts


class ChapterSpec(Spec):
    id: str
    title: Title
    short: Short
    blocks: list[BlockSpec] = Field(min_length=1)


class SummarySpec(Spec):
    source: str
    title: Title
    kicker: Text = ""
    subtitle: Text = ""
    subtitle2: Text = ""
    byline: Text = ""
    intro: list[BlockSpec] = []
    headline: list[FigureItem] = []
    chapters: list[ChapterSpec] = Field(min_length=1)
    closing: list[BlockSpec] = []


class SeriesSpec(Spec):
    label: Text | None = None
    refs: list[str] | None = None
    indicator: str | None = None
    periods: list[str] | None = None

    @field_validator("periods", mode="before")
    @classmethod
    def _years_as_text(cls, v: Any) -> Any:
        """`periods: [2015, 2020]` is how people write years; they are periods as text."""
        return [str(p) if isinstance(p, int) and not isinstance(p, bool) else p for p in v] if isinstance(v, list) else v

    @model_validator(mode="after")
    def _refs_or_indicator(self) -> "SeriesSpec":
        if (self.refs is None) == (self.indicator is None):
            raise ValueError("数据系列要么写 refs（引用列表），要么写 indicator（指标ID），二者选一")
        return self


class HeadlineSpec(Spec):
    """A chart title that says what the chart shows: words (may hold {refs}), then a derived change in words."""

    text: Text
    derived: str | None = None  # id of a pct_change in data/derived.yaml, worded 增长…% / 下降…%
    decimals: int = Field(default=1, ge=0, le=3)


if TYPE_CHECKING:
    ChartKind = str
else:  # the kinds of the chart-kind registry, checked (and listed in messages) as a Literal
    ChartKind = Literal[chartkinds.names()]


class ChartSpec(Spec):
    id: str
    kind: ChartKind
    title: Title
    unit: str | None = None
    series: list[SeriesSpec] = Field(min_length=1)
    categories: list[Text] | None = None
    total: float | None = Field(default=None, gt=0)  # composition: the sum the shares must reach (default 100 for %)
    source: Text | None = None
    note: Text | None = None
    alt: Text | None = None
    headline: HeadlineSpec | None = None
    unpublished: Policy | None = None  # default: settings.yaml unpublished.chart


class ChartsFile(Spec):
    charts: list[ChartSpec]


class DerivedSpec(Spec):
    id: str
    label: Text
    kind: Literal["pct_change", "ratio", "sum", "diff", "multiple"]
    inputs: list[str] = Field(min_length=1)
    stated: str | None = None
    expected: float | None = None
    tolerance: float = Field(default=0.05, ge=0)
    on_mismatch: Literal["error", "warn"] = "error"


class DerivedFile(Spec):
    derived: list[DerivedSpec]


class BriefingSection(Spec):
    title: Line
    blocks: list[BlockSpec] = Field(min_length=1)


class FactGroup(Spec):
    """One table of the fact sheet: a heading and its figures (rows: indicator, value, unit, period, growth, source)."""

    title: Heading
    figures: list[FigureItem] = Field(min_length=1)


class FactsheetSpec(Spec):
    """data/texts/factsheet.yaml: the one-page 主要指标一览 of the edition (PDF and Word)."""

    title: Title
    subtitle: Text = ""
    note: Text = ""  # under the tables: how the figures are given
    groups: list[FactGroup] = Field(min_length=1)


def form(title: str, widget: str = "text", **extra: Any) -> Any:
    """A briefing field as the page's form draws it (the served JSON schema carries it): its label (`title`), the
    widget (text, wide, select ("" choice: omitted), year, number (empty: omitted), check, lines (one string a line);
    "" = not on the basic form), `free_text` (prose: checked for hand-typed numbers, shown as it will print),
    `placeholder`, `choices` [[value, label]…], `presets` (the field belongs to those 版式 only), and `labels` /
    `placeholders` {版式: text} where one field is called otherwise in a 版式 (issuer: 编印单位 / 发文机关署名)."""
    return Field(title=title, json_schema_extra={"widget": widget, **extra})


class BriefingSpec(Spec):
    title: Annotated[Line, form("标题", "wide", free_text=True, placeholder="如：经济运行情况")]
    subtitle: Annotated[Text, form("副标题", "wide", free_text=True)] = ""
    meeting: Annotated[Text, form("会议", free_text=True, placeholder="如：县委常委会会议")] = ""
    date: Annotated[Text, form("日期", free_text=True, placeholder="如：2025年3月",
                               labels={"简报": "印发日期", "公文": "成文日期"},
                               placeholders={"公文": "年月日写全，如：2025年3月5日"})] = ""
    issuer: Annotated[Text, form("编发单位", free_text=True, placeholder="如：县委办公室",
                                 labels={"简报": "编印单位", "公文": "发文机关署名"})] = ""
    preset: Annotated[Literal["简报", "公文", "专题"], form(
        "版式", "select", choices=[["简报", "简报（报头、期号、报尾）"], ["公文", "公文（红头文件，GB/T 9704）"],
                                   ["专题", "专题材料（设计版式）"]])] = "简报"
    # 简报: 报头 (name, 期号, classification), 报尾 (报/送/发; copies last: it ends 版记 too). Absent: settings.yaml.
    bulletin: Annotated[Optional60 | None, form("简报名称（报头）", presets=["简报"], placeholder="如：××工作简报")] = None
    number: Annotated[int | None, Field(ge=1, le=9999), form("期号", "number", presets=["简报"],
                                                              placeholder="留空则自动编为下一期")] = None
    total_number: Annotated[int | None, Field(ge=1, le=99999), form("总期号", "number", presets=["简报"])] = None
    supplement: Annotated[bool, form("增刊", "check", presets=["简报"])] = False
    classification: Annotated[Optional60 | None, form("密级或“内部资料”", presets=["简报"],
                                                      placeholder="如：内部资料　注意保存")] = None
    editor_note: Annotated[Text, form("编者按", "wide", presets=["简报"], free_text=True)] = ""
    report_to: Annotated[Text | None, form("报（报送上级）", "wide", presets=["简报"])] = None
    send_to: Annotated[Text | None, form("送", "wide", presets=["简报"])] = None
    distribute_to: Annotated[Text | None, form("发", "wide", presets=["简报"])] = None
    # 公文 (GB/T 9704-2012): 版头, 主送, 附件说明, 版记. `signer` makes it a 上行文.
    authority: Annotated[Optional60 | None, form("发文机关标志", presets=["公文"],
                                                 placeholder="如：中共××县委办公室文件")] = None
    code: Annotated[Annotated[str, Field(min_length=1, max_length=20)] | None,
                    form("机关代字", presets=["公文"], placeholder="如：××办发")] = None
    doc_number: Annotated[Annotated[str, Field(max_length=40)] | None,
                          form("发文字号", presets=["公文"], placeholder="留空则按机关代字自动编号，如：××办发〔2025〕3号")] = None
    copy_no: Annotated[Annotated[str, Field(pattern=r"^\d{6}$")] | None,
                       form("份号（6 位数字）", presets=["公文"], placeholder="如：000001")] = None
    secrecy: Annotated[Optional60 | None, form("密级和保密期限", presets=["公文"], placeholder="如：秘密★1年")] = None
    urgency: Annotated[Literal["特急", "加急"] | None, form(
        "紧急程度", "select", presets=["公文"], choices=[["", "（无）"], ["特急", "特急"], ["加急", "加急"]])] = None
    direction: Annotated[Literal["下行文", "平行文", "上行文"] | None, form(
        "行文方向", "select", presets=["公文"],
        choices=[["", "下行文或平行文"], ["上行文", "上行文（须写签发人）"]])] = None
    signer: Annotated[Annotated[str, Field(min_length=1, max_length=30)] | None,
                      form("签发人", presets=["公文"], placeholder="上行文必填")] = None
    star: Annotated[Literal["有", "无"] | None, form(
        "红线中的五角星", "select", presets=["公文"],
        choices=[["", "按发文机关（党的机关加）"], ["有", "加五角星"], ["无", "不加"]])] = None
    addressee: Annotated[Text | None, form("主送机关", "wide", presets=["公文"], placeholder="如：各乡镇党委，县直各单位")] = None
    attachments: Annotated[list[Annotated[str, Field(min_length=1, max_length=80)]],
                           form("附件名称", "lines", presets=["公文"], placeholder="每行一个附件名称")] = []
    cc: Annotated[Text | None, form("抄送", "wide", presets=["公文"])] = None
    printed_by: Annotated[Optional60 | None, form("印发机关", presets=["公文"], placeholder="默认为发文机关")] = None
    printed_date: Annotated[Text | None, form("印发日期", presets=["公文"], placeholder="默认为成文日期")] = None
    copies: Annotated[int | None, Field(ge=1, le=100000), form("印数（份）", "number", presets=["简报", "公文"])] = None
    # Word charts: editable (native) or pictures; None: the theme's choice
    charts: Annotated[Literal["native", "picture"] | None, form("Word 中的图表", "")] = None
    year: Annotated[int | None, Field(ge=1949, le=2100), form("数字年份（“当年”指哪一年）", "year")] = None
    file: Annotated[Annotated[str, Field(min_length=1, max_length=60)] | None,
                    form("输出文件名", placeholder="默认用保存名")] = None
    # 草稿: kept in data/briefings/ and listed on the page, but no build makes it; 成品 (or no status, as in a
    # hand-written file): made by every build. The page saves a draft unless 成品 is ticked on purpose.
    status: Annotated[Literal["草稿", "成品"] | None, form("状态", "")] = None
    keyfigures: Annotated[list[FigureItem], form("关键数据", "")] = []
    sections: Annotated[list[BriefingSection], Field(min_length=1), form("各部分", "")]

    @field_validator("file", mode="before")
    @classmethod
    def _file_trimmed(cls, v: Any) -> Any:
        """Spaces around a file name and dots after it are what a hand leaves, not part of the name: trimmed (a
        leading dot is kept: "../x" must be refused as typed, not turned into "/x")."""
        return (v.strip(" \t").rstrip(". \t") or None) if isinstance(v, str) else v

    @field_validator("file")
    @classmethod
    def _file_name(cls, v: str | None) -> str | None:
        if v is None:
            return v
        if _BAD_NAME.search(v) or ".." in v or v.strip(" .") != v:
            raise ValueError(f"file 只写文件名（不含路径、“..”和 \\ / : * ? \" < > | 这些字符，首尾不能是空格或点），实际为“{v}”")
        if v.split(".")[0].upper() in _WINDOWS_RESERVED:
            raise ValueError(f"“{v}”是 Windows 的保留名称，不能作文件名；请换一个名称")
        return v


    @field_validator("copy_no", mode="before")
    @classmethod
    def _copy_no_text(cls, v: Any) -> Any:
        """份号 typed as a number (YAML reads 000001 as 1) is the same 份号 written with its zeros."""
        return f"{v:06d}" if isinstance(v, int) and not isinstance(v, bool) and 0 < v < 1_000_000 else v

    @field_validator("doc_number")
    @classmethod
    def _doc_number(cls, v: str | None) -> str | None:
        return None if v is None else check_doc_number(v)

    @model_validator(mode="after")
    def _upward(self) -> "BriefingSpec":
        if self.direction == "上行文" and not self.signer:
            raise ValueError("上行文须标注签发人：请填写 signer（签发人），或把 direction 改为下行文/平行文")
        if self.signer and self.direction in ("下行文", "平行文"):
            raise ValueError(f"写了签发人的公文是上行文，direction 却是“{self.direction}”：删去 signer，或把 direction 改为上行文")
        return self

    @property
    def upward(self) -> bool:
        """A 上行文: 发文字号 at the left and 签发人 at the right of one line (GB/T 9704-2012 7.2.5)."""
        return bool(self.signer) or self.direction == "上行文"


DOC_NUMBER = re.compile(r"^(?P<code>[^〔〕]+)〔(?P<year>\d{4})〕(?P<n>[1-9]\d*)号$")
_WRONG_BRACKETS = re.compile(r"[\[\]［］【】()（）{}｛｝〈〉《》「」<>]")


def check_doc_number(v: str) -> str:
    """A 发文字号 as GB/T 9704-2012 7.2.5 writes it: 机关代字〔年份〕序号号 — 六角括号, no 第, no leading zero."""
    text = v.strip()
    if DOC_NUMBER.match(text):
        return text
    if _WRONG_BRACKETS.search(text):
        raise ValueError(f"发文字号的年份要用六角括号〔〕（如“××办发〔2025〕3号”），实际为“{v}”")
    m = re.match(r"^(?P<code>[^〔〕]+)〔(?P<year>\d{4})〕(?P<n>.*)号$", text)
    if m and m["n"].startswith("第"):
        raise ValueError(f"发文字号的序号前不加“第”字（如“××办发〔2025〕3号”），实际为“{v}”")
    if m and re.fullmatch(r"0\d*", m["n"]):
        raise ValueError(f"发文字号的序号不编虚位、不加 0（如“3号”而不是“03号”），实际为“{v}”")
    raise ValueError(f"发文字号应写成 机关代字〔年份〕序号号（如“××办发〔2025〕3号”），实际为“{v}”")


def _locate(raw: Any, loc: tuple[Any, ...]) -> tuple[int | None, str]:
    """Walk the raw YAML along a pydantic loc to find the nearest line and a readable path."""
    node, line, path = raw, line_of(raw), []
    for key in loc:
        if isinstance(node, LineDict) and key in node:
            line = line_of(node, key, line)
            node = node[key]
            path.append(str(key))
        elif isinstance(node, LineList) and isinstance(key, int) and key < len(node):
            line = line_of(node, key, line)
            node = node[key]
            path.append(f"[{key + 1}]")
        elif isinstance(key, str) and not key.startswith(("function-", "literal")) and key not in _UNION_TAGS:
            path.append(str(key))
    return line, ".".join(path).replace(".[", "[")


def validate(model: type[SpecT], raw: Any, where: str) -> tuple[SpecT | None, list[Problem]]:
    """Validate raw YAML; return (model or None, located Chinese problems)."""
    try:
        return model.model_validate(raw), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            line, path = _locate(raw, tuple(err["loc"]))
            problems.append(Problem(where, line, field=path or None, message=zh.message(err, model), found=zh.found_text(err)))
        return None, problems
